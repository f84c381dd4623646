"""Counts that tell how much of the report the graph holds."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from rdflib import OWL, RDF, Graph

from copgraph.build import Paths, classes_needing_evidence, ensure_built
from copgraph.namespaces import CG


def read_built(paths: Paths | None = None, progress=None) -> Graph:
    """The built graph from data/build, built (and validated) first only if an input changed.

    Counting needs no second assembly and no second SHACL run: the build already did both.
    """
    return Graph().parse(ensure_built(paths or Paths(), progress), format="nt")


def read_shapes(paths: Paths | None = None) -> Graph:
    """The SHACL shapes the graph was validated with (they say which classes need quotes)."""
    return Graph().parse((paths or Paths()).ontology_dir / "shapes.ttl")


def class_counts(graph: Graph) -> pd.DataFrame:
    """Instances of each class the ontology declares, with how many carry a quote.

    >>> g = Graph().parse(data='''@prefix cg: <https://w3id.org/copgraph/ontology#> .
    ...     @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...     cg:Person a owl:Class . cg:Topic a owl:Class .
    ...     cg:ann a cg:Person ; cg:evidence cg:q1 . cg:bob a cg:Person .''', format="turtle")
    >>> class_counts(g).values.tolist()
    [['Person', 2, 1], ['Topic', 0, 0]]
    """
    rows = []
    declared = {c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(CG))}
    for cls in sorted(declared):
        members = set(graph.subjects(RDF.type, cls))
        with_evidence = sum(1 for m in members if (m, CG.evidence, None) in graph)
        rows.append({"class": cls.fragment, "count": len(members), "with_evidence": with_evidence})
    return pd.DataFrame(rows, columns=["class", "count", "with_evidence"])


def evidence_share(graph: Graph, shapes: Graph) -> float:
    """Share of the instances the shapes require a quote of that carry one (1.0 means all).

    A discrepancy carries its quotes on its variants, so the shapes ask them of its variants.
    """
    facts = {s for cls in classes_needing_evidence(shapes) for s in graph.subjects(RDF.type, cls)}
    if not facts:
        return 0.0
    return sum(1 for s in facts if (s, CG.evidence, None) in graph) / len(facts)


def section_counts(graph: Graph) -> pd.DataFrame:
    """Per report section: quotes located there and facts that cite them. With several
    reports, a first column names the report (their sections share numbers)."""
    quotes = Counter()
    facts = Counter()
    titles = {}
    for evidence in graph.subjects(RDF.type, CG.Evidence):
        report = str(graph.value(evidence, CG.inDocument)).rsplit("/report-", 1)[-1]
        key = (report, str(graph.value(evidence, CG.section)))
        titles[key] = str(graph.value(evidence, CG.sectionTitle))
        quotes[key] += 1
        facts[key] += len(set(graph.subjects(CG.evidence, evidence)))
    rows = [
        {
            "report": r,
            "section": s,
            "title": titles[r, s],
            "quotes": quotes[r, s],
            "facts": facts[r, s],
        }
        for r, s in sorted(quotes, key=lambda k: (k[0], [int(p) for p in k[1].split(".")]))
    ]
    frame = pd.DataFrame(rows, columns=["report", "section", "title", "quotes", "facts"])
    return frame if frame.report.nunique() > 1 else frame.drop(columns="report")
