"""The build: deterministic, strict about bad input, and faithful to the report."""

from __future__ import annotations

import hashlib
import textwrap

import pytest
from rdflib import RDF, Graph
from rdflib.compare import isomorphic

from copgraph.build import (
    BuildError,
    Paths,
    build_graph,
    to_jsonld,
    to_ntriples,
    to_turtle,
)
from copgraph.evidence import collapse, load_source
from copgraph.namespaces import CG

from .conftest import REPORT_DIR, REPORT_TEXT, curated_of, run_cli, run_process

COUNTRY = """
countries:
  - id: fiji
    label: Fiji
    iso2: FJ
    iso3: FJI
    beneficiary: false
    evidence:
      - quote: "shared some online practices among children and youth in Fiji"
"""


def test_two_builds_give_identical_bytes_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"build-{seed}"
        result = run_process("build", "-o", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        files = sorted(p for p in out.rglob("*") if p.is_file())
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in files})
    assert {name for name in outputs[0] if "/" not in name} == {
        "copgraph.ttl",
        "copgraph.nt",
        "copgraph.jsonld",
        "context.jsonld",
        "stamp.json",
    }
    # and the per-report cache (reports/: each unit's sorted triples and index)
    assert "reports/report-cop-ap-2023.nt" in outputs[0]
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], f"{name} differs between builds"


def test_ntriples_are_sorted_one_triple_a_line(graph):
    lines = to_ntriples(graph).splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(graph)
    blank = [line for line in lines if line.startswith("_:") or " _:" in line]
    owl_only = (
        "owl#AllDisjointClasses",
        "owl#members",
        "rdf-syntax-ns#first",
        "rdf-syntax-ns#rest",
    )
    assert blank and all(any(word in line for word in owl_only) for line in blank), (
        "blank nodes only for the ontology's OWL axioms and RDF lists, as OWL tools expect"
    )


@pytest.mark.parametrize(
    "fmt, serialize", [("turtle", to_turtle), ("nt", to_ntriples), ("json-ld", to_jsonld)]
)
def test_outputs_parse_back_into_the_same_graph(graph, fmt, serialize):
    again = Graph().parse(data=serialize(graph), format=fmt)
    assert isomorphic(again, graph)


def test_every_quote_in_the_graph_is_in_the_report(graph):
    report = load_source(REPORT_DIR).report
    quotes = [str(q) for q in graph.objects(None, CG.exact)]
    assert quotes
    missing = [q for q in quotes if collapse(q) not in report.collapsed]
    assert missing == []


def test_every_fact_reaches_its_quote_in_one_or_two_hops(graph):
    rows = graph.query(
        """PREFIX cg: <https://w3id.org/copgraph/ontology#>
        SELECT ?fact WHERE {
          ?fact a ?class .
          VALUES ?class { cg:Organization cg:Person cg:Post cg:Participation cg:Partnership
                          cg:Output cg:Event cg:Figure cg:Instrument cg:Statement cg:Session }
          FILTER NOT EXISTS { ?fact cg:evidence/cg:exact ?quote }
        }"""
    )
    assert list(rows) == []


def test_a_source_whose_hash_differs_is_refused(project):
    root = project({"countries.yaml": COUNTRY})
    text = curated_of(root).parent / REPORT_TEXT.name
    text.chmod(0o644)
    text.write_text(text.read_text(encoding="utf-8") + "\nan extra line\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_graph(Paths(root=root))
    assert "sha256" in caught.value.report()
    assert hashlib.sha256(text.read_bytes()).hexdigest() in caught.value.report()


def test_a_minimal_valid_project_builds(project):
    graph = build_graph(Paths(root=project({"countries.yaml": COUNTRY})))
    assert (None, CG.iso3, None) in graph


BAD_INPUTS = {
    "quote missing from the report": (
        COUNTRY.replace("shared some online practices", "shared many online practices"),
        ("countries.yaml", "fiji", "evidence[0].quote", "not found"),
    ),
    "unknown reference": (
        COUNTRY
        + textwrap.dedent(
            """
            organizations:
              - id: fiji-online-safety-commission
                label: Online Safety Commission
                kind: regulator
                country: fijj
                evidence:
                  - quote: an online safety commission was established
                    supports: [kind, country]
            """
        ),
        ("countries.yaml", "fiji-online-safety-commission", "country", "did you mean 'fiji'"),
    ),
    "duplicate id": (
        COUNTRY + COUNTRY.replace("countries:\n", ""),
        ("countries.yaml", "fiji", "id", "duplicate id"),
    ),
    "wrong date": (
        COUNTRY
        + textwrap.dedent(
            """
            events:
              - id: some-event
                label: Some event
                kind: conference
                date: 2023-02-30
                evidence:
                  - quote: The first National Child Online Protection Conference was convened
            """
        ),
        ("countries.yaml", "some-event", "date", "not a real date"),
    ),
    "missing required field": (
        COUNTRY.replace("    iso3: FJI\n", ""),
        ("countries.yaml", "fiji", "iso3", "required"),
    ),
    "unknown field": (
        COUNTRY.replace("    iso3: FJI\n", "    iso3: FJI\n    capital: Suva\n"),
        ("countries.yaml", "fiji", "capital", "unknown field"),
    ),
    "language that is not a BCP 47 tag": (
        COUNTRY
        + textwrap.dedent(
            """
            outputs:
              - id: fiji-guide
                label: Fiji guide
                kind: guideline
                language: [Fijian]
                evidence:
                  - quote: shared some online practices among children and youth in Fiji
            """
        ),
        ("countries.yaml", "fiji-guide", "language", "must be a BCP 47 language tag"),
    ),
    "discrepancy property that is no field": (
        COUNTRY
        + textwrap.dedent(
            """
            discrepancies:
              - id: fiji-spelling
                about: fiji
                property: spelling
                description: two spellings
                variants:
                  - value: Fiji
                    evidence: [{quote: children and youth in Fiji}]
                  - value: Fidji
                    evidence: [{quote: shared some online practices}]
            """
        ),
        ("countries.yaml", "fiji-spelling", "property", "is no field of a countries record"),
    ),
    "unknown concept": (
        COUNTRY
        + textwrap.dedent(
            """
            organizations:
              - id: osc
                label: Online Safety Commission
                kind: regulater
                evidence:
                  - quote: an online safety commission was established
            """
        ),
        ("countries.yaml", "osc", "kind", "did you mean 'regulator'"),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_the_build_naming_file_record_and_field(project, case):
    text, (file, record, field, words) = BAD_INPUTS[case]
    root = project({"countries.yaml": text})
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = next((ln for ln in result.stderr.splitlines() if f"'{record}'" in ln), "")
    assert file in line and f"field '{field}'" in line and words in line, result.stderr
    # no graph is written (the per-report cache may keep the units that passed: the next
    # build then redoes only what failed)
    written = [p.name for p in (root / "data" / "build").glob("*") if p.is_file()]
    assert written == [], "nothing of the graph is written when the build fails"


def test_every_problem_is_reported_not_only_the_first(project):
    text = COUNTRY.replace("    iso3: FJI\n", "") + "  - id: Bad Id\n"
    result = run_cli("validate", "--root", str(project({"countries.yaml": text})))
    assert result.returncode == 1
    assert "field 'iso3'" in result.stderr and "field 'id'" in result.stderr


def test_broken_yaml_names_the_file_and_line(project):
    root = project({"countries.yaml": "countries:\n  - id: fiji\n   label: [unclosed\n"})
    result = run_process("validate", "--root", str(root))  # a real exit, without traceback
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "countries.yaml" in result.stderr and "line" in result.stderr


def test_a_quote_in_two_sections_must_name_its_section(project):
    text = COUNTRY.replace(
        '"shared some online practices among children and youth in Fiji"',
        "Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU",
    )
    root = project({"countries.yaml": text})
    result = run_cli("validate", "--root", str(root))
    assert "add 'section:'" in result.stderr
    fixed = text.replace("Pacific, ITU\n", 'Pacific, ITU\n        section: "4.1.1"\n')
    graph = build_graph(Paths(root=project({"countries.yaml": fixed})))
    sections = {str(s) for s in graph.objects(None, CG.section)}
    assert sections == {"4.1.1"}


def test_vague_numbers_keep_their_wording(graph):
    wordings = {str(w) for w in graph.objects(None, CG.wording)}
    assert "a total of 50 participants" in wordings


def test_opening_speakers_with_title_organization_role_and_quote(graph):
    rows = graph.query(
        """PREFIX cg: <https://w3id.org/copgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name ?title ?org ?role ?quote WHERE {
          ?p a cg:Participation ; cg:session <https://w3id.org/copgraph/id/opening-segment> ;
             cg:participant ?person ; cg:role/skos:prefLabel ?role ; cg:organization ?o ;
             cg:evidence/cg:exact ?quote .
          ?person rdfs:label ?name .
          ?post cg:holder ?person ; cg:title ?title ; cg:organization ?o .
          ?o rdfs:label ?org .
        }"""
    )
    found = {(str(r.name), str(r.role)) for r in rows}
    assert ("Atsuko Okuda", "welcome remarks") in found
    assert ("Pauline Ross", "special address") in found
    assert ("Yu Cheng", "moderator") in found
    assert {"Ayako Kaino", "Masanori Kondo", "Guillaume Landry"} <= {n for n, _ in found}
    titles = {(str(r.name), str(r.title), str(r.org)) for r in rows}
    assert ("Ayako Kaino", "Deputy Representative", "UNICEF Mongolia") in titles


def test_the_document_node_records_source_and_hash(graph):
    documents = list(graph.subjects(RDF.type, CG.Document))
    assert len(documents) == 1
    digest = str(graph.value(documents[0], CG.sha256))
    text = REPORT_TEXT
    assert digest == hashlib.sha256(text.read_bytes()).hexdigest()


def test_a_gap_the_report_allows_is_a_warning_and_the_build_succeeds(project, tmp_path):
    people = """
organizations:
  - id: itu
    label: International Telecommunication Union
    kind: un-agency
    evidence:
      - quote: Regional Director for Asia and the Pacific, ITU
        section: "4.1.1"
        supports: [kind]
people:
  - id: atsuko-okuda
    name: Atsuko Okuda
    evidence:
      - quote: Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened
    posts:
      - organization: itu
        evidence:
          - quote: Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened
"""
    root = project({"people.yaml": people})
    result = run_cli("build", "--root", str(root), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "warning: " in result.stderr and "The post has no title" in result.stderr


def test_copgraph_root_set_after_import_is_honoured(monkeypatch, tmp_path):
    """Defaults are read when a build is asked for, not frozen when the module is imported."""
    from copgraph.build import Paths, inputs_digest

    checkout = inputs_digest()
    monkeypatch.setenv("COPGRAPH_ROOT", str(tmp_path))
    assert Paths().root == tmp_path.resolve()
    assert inputs_digest() == inputs_digest(Paths(root=tmp_path)) != checkout
