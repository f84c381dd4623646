"""Each quality check catches its defect on a tiny graph and passes the near miss; the
counts of ``copgraph stats`` on a graph counted by hand."""

from __future__ import annotations

import pytest
from rdflib import Graph

from copgraph.kg import KnowledgeGraph
from copgraph.quality import checks, run_checks
from copgraph.stats import class_counts, evidence_share, read_shapes, section_counts
from copgraph.store import RdflibStore

pytestmark = pytest.mark.timeout(60)

PREFIXES = """\
@prefix cg: <https://w3id.org/copgraph/ontology#> .
@prefix id: <https://w3id.org/copgraph/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix orgkind: <https://w3id.org/copgraph/vocab/organization-kind/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""

# check -> (Turtle with the defect, the ids its rows must name, Turtle of the near miss)
CASES = {
    "duplicate-labels": (
        """id:a a cg:Organization ; rdfs:label "ITU" . id:b a cg:Organization ; rdfs:label "ITU" .
           id:c a cg:Country ; rdfs:label "ITU" .""",
        {"a", "b"},
        """id:a a cg:Organization ; rdfs:label "ITU" . id:b a cg:Organization ; rdfs:label "UIT" .
           id:c a cg:Country ; rdfs:label "ITU" .""",
    ),
    "facts-not-asserted": (
        """id:f a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:b .""",
        {"f"},
        """id:f a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:b .
           id:a cg:partner id:b .""",
    ),
    "facts-whose-quotes-name-neither-side": (
        """id:f a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:b ;
               cg:evidence id:e .
           id:a rdfs:label "Alpha Agency" . id:b rdfs:label "UN" .
           id:e cg:exact "the UNICEF office and friends" .""",
        {"f"},
        """id:f a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:b ;
               cg:evidence id:e .
           id:a rdfs:label "Alpha Agency" . id:b rdfs:label "UN" .
           id:e cg:exact "the UN and friends" .
           id:g a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:c ;
               cg:evidence id:e2 .
           id:c rdfs:label "Beta" . id:e2 cg:exact "ALPHA AGENCY said" .
           id:h a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:d ;
               cg:evidence id:e2 ; cg:unnamedBecause "named just before" .
           id:d rdfs:label "Gamma" .
           id:i a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:kind ; rdf:object orgkind:ngo ;
               cg:evidence id:e2 .
           orgkind:ngo a skos:Concept ; rdfs:label "NGO" .
           id:j a cg:Fact ; rdf:subject id:a ; rdf:predicate cg:partner ; rdf:object id:k ;
               cg:evidence id:e3 .
           id:k rdfs:label "Kappa Corporation" ; cg:acronym "KC" . id:e3 cg:exact "(KC) said" .""",
    ),
    "participations-without-matching-post": (
        """id:x a cg:Participation ; cg:participant id:ann ; cg:organization id:unicef .
           id:post cg:holder id:ann ; cg:organization id:itu .""",
        {"x"},
        """id:x a cg:Participation ; cg:participant id:ann ; cg:organization id:unicef .
           id:post cg:holder id:ann ; cg:organization id:unicef-th .
           id:unicef-th cg:parentOrganization id:unicef .
           id:y a cg:Participation ; cg:participant id:bob ; cg:organization id:unicef-mn .
           id:post2 cg:holder id:bob ; cg:organization id:unicef .
           id:unicef-mn cg:parentOrganization id:unicef .
           id:z a cg:Participation ; cg:participant id:cy .""",
    ),
}


def rows_of(name: str, turtle: str) -> list[dict]:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    kg = KnowledgeGraph(RdflibStore(graph))
    try:
        return kg.sparql(checks()[name].text).to_dict("records")
    finally:
        kg.close()


def test_every_quality_check_has_a_case_here():
    assert sorted(checks()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_quality_check_catches_its_defect_and_passes_the_near_miss(name):
    defect, expected, near_miss = CASES[name]
    rows = rows_of(name, defect)
    if name == "duplicate-labels":  # the pair, once
        assert [(r["class"], r["first"], r["second"]) for r in rows] == [
            ("cg:Organization", "id:a", "id:b")
        ]
    else:  # the first column names the defective node
        assert {str(next(iter(r.values()))).removeprefix("id:") for r in rows} == expected
    assert rows_of(name, near_miss) == []


def test_run_checks_runs_every_check():
    graph = Graph().parse(data=PREFIXES + CASES["duplicate-labels"][0], format="turtle")
    kg = KnowledgeGraph(RdflibStore(graph))
    try:
        results = run_checks(kg)
    finally:
        kg.close()
    assert sorted(results) == sorted(CASES)
    failing = sorted(name for name, frame in results.items() if len(frame))
    assert failing == ["duplicate-labels"]


def test_the_classes_needing_a_quote_are_read_from_the_shapes():
    from rdflib import OWL, RDF

    from copgraph.build import ROOT, classes_needing_evidence
    from copgraph.namespaces import CG

    ontology = Graph().parse(ROOT / "ontology" / "copgraph.ttl")
    declared = set(ontology.subjects(RDF.type, OWL.Class))
    needing = set(classes_needing_evidence(read_shapes()))
    assert needing <= declared
    # a discrepancy's quotes are its variants'; documents, quotes and topics quote nothing
    assert declared - needing == {CG.Discrepancy, CG.Document, CG.Evidence, CG.Topic}


# -- stats ---------------------------------------------------------------------------------


STATS = """
cg:Organization a owl:Class . cg:Person a owl:Class . cg:Discrepancy a owl:Class .
cg:Topic a owl:Class . cg:Evidence a owl:Class . cg:Output a owl:Class .
id:a a cg:Organization ; cg:evidence id:e1 .
id:b a cg:Organization .
id:p a cg:Person ; cg:evidence id:e1 , id:e2 .
id:d a cg:Discrepancy .
id:t a cg:Topic .
id:e1 a cg:Evidence ; cg:section "4.10" ; cg:sectionTitle "Ten" .
id:e2 a cg:Evidence ; cg:section "4.9" ; cg:sectionTitle "Nine" .
id:e3 a cg:Evidence ; cg:section "10" ; cg:sectionTitle "Last" .
id:e4 a cg:Evidence ; cg:section "2" ; cg:sectionTitle "Two" .
id:e5 a cg:Evidence ; cg:section "" ; cg:sectionTitle "" .
id:f cg:evidence id:e3 .
id:g cg:evidence id:e3 .
"""


def stats_graph(turtle: str = STATS) -> Graph:
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def test_class_counts_count_instances_and_those_with_a_quote():
    frame = class_counts(stats_graph())
    rows = {r["class"]: (r["count"], r["with_evidence"]) for r in frame.to_dict("records")}
    assert list(rows) == ["Discrepancy", "Evidence", "Organization", "Output", "Person", "Topic"]
    assert rows["Organization"] == (2, 1)
    assert rows["Person"] == (1, 1)
    assert rows["Discrepancy"] == (1, 0)
    assert rows["Topic"] == (1, 0)
    assert rows["Evidence"] == (5, 0)
    assert rows["Output"] == (0, 0)


def test_evidence_share_counts_facts_with_a_quote_but_not_discrepancies():
    shapes = read_shapes()
    assert evidence_share(stats_graph(), shapes) == pytest.approx(2 / 3)  # a, p of a, b, p
    assert evidence_share(stats_graph("id:d a cg:Discrepancy ."), shapes) == 0.0
    assert evidence_share(Graph(), shapes) == 0.0


def test_section_counts_sort_sections_as_numbers_and_count_the_facts_citing_them():
    frame = section_counts(stats_graph())
    assert list(frame.columns) == ["section", "title", "quotes", "facts"]
    assert frame.to_dict("records") == [
        {"section": "", "title": "", "quotes": 1, "facts": 0},
        {"section": "2", "title": "Two", "quotes": 1, "facts": 0},
        {"section": "4.9", "title": "Nine", "quotes": 1, "facts": 1},
        {"section": "4.10", "title": "Ten", "quotes": 1, "facts": 2},
        {"section": "10", "title": "Last", "quotes": 1, "facts": 2},
    ]


def test_section_counts_of_a_graph_without_quotes_is_an_empty_table():
    frame = section_counts(Graph())
    assert frame.empty and list(frame.columns) == ["section", "title", "quotes", "facts"]
