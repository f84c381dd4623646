"""The ontology's published documentation (make docs): every term with its definition."""

from __future__ import annotations

import html
import re

import pytest
from rdflib import OWL, RDF, RDFS
from rdflib.namespace import SKOS

from copgraph.build import load_ontology
from copgraph.namespaces import CG, SCHEMES
from copgraph.ontology_docs import write_ontology_docs

from .conftest import ROOT

pytest.importorskip("pylode", reason="pyLODE is in the test extra; pip install -e '.[test]'")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("ontology-docs")
    return out, write_ontology_docs(ROOT / "ontology", out)


def _text(path):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))).split())


def test_every_class_and_property_appears_with_its_definition(docs):
    out, _ = docs
    page = _text(out / "index.html")
    ontology = load_ontology(ROOT / "ontology")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [
        t for kind in kinds for t in ontology.subjects(RDF.type, kind) if str(t).startswith(str(CG))
    ]
    assert len(terms) > 80
    missing = []
    for term in sorted(terms):
        label = str(ontology.value(term, RDFS.label))
        definition = " ".join(str(ontology.value(term, SKOS.definition)).split())
        if label not in page or definition not in page:
            missing.append(str(term))
    assert missing == []


def test_each_scheme_page_lists_its_concepts(docs):
    out, written = docs
    ontology = load_ontology(ROOT / "ontology")
    page = _text(out / "organization-kind.html")
    concepts = [
        str(ontology.value(c, SKOS.prefLabel))
        for c in ontology.subjects(SKOS.topConceptOf, None)
        if "/organization-kind/" in str(c)
    ]
    assert "kind not stated" in concepts
    assert all(label in page for label in concepts)
    assert (out / "classes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(written) == len(SCHEMES) + 2  # index, a page per scheme, the diagram


def test_the_committed_pages_are_current(docs):
    """docs/ontology/ is what `make docs` writes from today's ontology (run it after a change)."""
    out, written = docs
    committed = ROOT / "docs" / "ontology"
    stale = [
        p.name
        for p in written
        if p.suffix == ".html" and (committed / p.name).read_bytes() != p.read_bytes()
    ]
    assert stale == [], "run `make docs` and commit docs/ontology/"
