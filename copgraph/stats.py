"""Counts that tell how much of the report the graph holds."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from rdflib import RDF, Graph

from copgraph.build import Paths, ensure_built
from copgraph.namespaces import CG


def read_built(paths: Paths | None = None, progress=None) -> Graph:
    """The built graph from data/build, built (and validated) first only if an input changed.

    Counting needs no second assembly and no second SHACL run: the build already did both.
    """
    return Graph().parse(ensure_built(paths or Paths(), progress), format="nt")


#: Classes whose instances are facts drawn from the report (and so need evidence).
FACT_CLASSES = (
    "Programme",
    "Organization",
    "Person",
    "Post",
    "Country",
    "Place",
    "Output",
    "Event",
    "Session",
    "AgendaItem",
    "Participation",
    "Partnership",
    "Figure",
    "Instrument",
    "Statement",
    "Discrepancy",
    "Variant",
    "Fact",
)


def class_counts(graph: Graph) -> pd.DataFrame:
    """Instances per class, with how many carry at least one quote."""
    rows = []
    for name in FACT_CLASSES + ("Topic", "Evidence"):
        members = set(graph.subjects(RDF.type, CG[name]))
        with_evidence = sum(1 for m in members if (m, CG.evidence, None) in graph)
        rows.append({"class": name, "count": len(members), "with_evidence": with_evidence})
    return pd.DataFrame(rows)


def evidence_share(graph: Graph) -> float:
    """Share of facts that carry at least one quote (1.0 means all).

    A discrepancy carries its quotes on its variants, so it is counted through them.
    """
    facts = {
        s
        for name in FACT_CLASSES
        if name != "Discrepancy"
        for s in graph.subjects(RDF.type, CG[name])
    }
    if not facts:
        return 0.0
    return sum(1 for s in facts if (s, CG.evidence, None) in graph) / len(facts)


def section_counts(graph: Graph) -> pd.DataFrame:
    """Per report section: quotes located there and facts that cite them."""
    quotes = Counter()
    facts = Counter()
    titles = {}
    for evidence in graph.subjects(RDF.type, CG.Evidence):
        section = str(graph.value(evidence, CG.section))
        titles[section] = str(graph.value(evidence, CG.sectionTitle))
        quotes[section] += 1
        facts[section] += len(set(graph.subjects(CG.evidence, evidence)))
    rows = [
        {"section": s, "title": titles[s], "quotes": quotes[s], "facts": facts[s]}
        # a quote before the first numbered heading has section "": it comes first
        for s in sorted(quotes, key=lambda s: [int(p) for p in s.split(".") if p])
    ]
    return pd.DataFrame(rows, columns=["section", "title", "quotes", "facts"])
