"""The curated report: complete where the report is explicit, and true to its words.

The spot checks each assert one fact the report states, through SPARQL against the built
graph, drawn from every section of the report.
"""

from __future__ import annotations

import re

import pytest

from copgraph.coverage import load_ignore, measure
from copgraph.evidence import load_source
from copgraph.kg import KnowledgeGraph
from copgraph.quality import checks, run_checks
from copgraph.store import RdflibStore

from .conftest import REPORT_DIR

PREFIXES = """
PREFIX cg: <https://w3id.org/copgraph/ontology#>
PREFIX id: <https://w3id.org/copgraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX topic: <https://w3id.org/copgraph/vocab/topic/>
PREFIX outputkind: <https://w3id.org/copgraph/vocab/output-kind/>
PREFIX partnershipkind: <https://w3id.org/copgraph/vocab/partnership-kind/>
PREFIX sessionrole: <https://w3id.org/copgraph/vocab/session-role/>
PREFIX eventkind: <https://w3id.org/copgraph/vocab/event-kind/>
"""


@pytest.fixture(scope="module")
def report():
    return load_source(REPORT_DIR).report


def ask(graph, query: str) -> bool:
    return bool(graph.query(PREFIXES + query).askAnswer)


def select(graph, query: str) -> list:
    return [
        tuple(str(v) if v is not None else None for v in row)
        for row in graph.query(PREFIXES + query)
    ]


# -- completeness ----------------------------------------------------------------------------


def agenda_and_speaker_names(report) -> set[str]:
    """Names after an honorific in the agenda (Section 5) and in each "Speakers" paragraph."""
    agenda = report.text[report.text.index(" 5. Full Agenda") :]
    names = set(
        re.findall(
            r"(?:Mr\.|Ms\.|Dr\.|H\.E\.(?: Mr\.)?)\s+([A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+)*)", agenda
        )
    )
    names.add("Hangyu Zhou")  # the agenda names the Session 5 moderator without an honorific
    return names


def test_every_agenda_person_has_post_organization_and_session_role(graph, report):
    names = agenda_and_speaker_names(report)
    assert len(names) >= 30
    rows = select(
        graph,
        """SELECT ?name ?alt ?title ?org ?role WHERE {
             ?p a cg:Person ; rdfs:label ?name .
             OPTIONAL { ?p skos:altLabel ?alt }
             OPTIONAL { ?post cg:holder ?p ; cg:organization ?org . OPTIONAL { ?post cg:title ?title } }
             OPTIONAL { ?part cg:participant ?p ; cg:role ?role }
           }""",
    )
    known = {}
    for name, alt, _title, org, role in rows:
        for label in filter(None, (name, alt)):
            entry = known.setdefault(label, {"post": False, "role": False})
            entry["post"] |= bool(org)
            entry["role"] |= bool(role)
    missing = sorted(n for n in names if n not in known)
    assert missing == []
    incomplete = sorted(n for n in names if not (known[n]["post"] and known[n]["role"]))
    assert incomplete == []


def test_coverage_finds_no_missing_person_and_no_unexplained_organization(graph, report):
    result = measure(graph, report, load_ignore(REPORT_DIR / "coverage-ignore.yaml"))
    assert result.missing_people == []
    assert result.unexplained_organizations == []
    assert result.quotes_outside_sections == []
    per_section = result.sections.set_index("section")
    assert (
        per_section.loc[["1", "2", "3", "4.1.1", "4.2.1", "4.3", "4.5", "5"], "quotes"] > 0
    ).all()


def test_coverage_reports_a_person_the_graph_lacks(graph):
    from copgraph.evidence import Report

    text = "1. Intro\nThe panel heard Ms. Jane Example of Nowhere, and Dr. Atsuko Okuda.\n"
    result = measure(graph, Report(text))
    assert [m[0] for m in result.missing_people] == ["Ms. Jane Example"]


@pytest.mark.parametrize("name", sorted(checks()))
def test_quality_check_returns_no_rows(graph, name):
    rows = run_checks(KnowledgeGraph(RdflibStore(graph)))[name]
    assert rows.empty, f"{name}:\n{rows.to_string()}"


def test_a_quality_check_catches_a_defect(graph):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS

    broken = Graph()
    for triple in graph:
        broken.add(triple)
    unicef = URIRef("https://w3id.org/copgraph/id/unicef")
    broken.add((unicef, RDFS.label, Literal("International Telecommunication Union")))
    rows = run_checks(KnowledgeGraph(RdflibStore(broken)))["duplicate-labels"]
    assert [(r.first, r.second) for r in rows.itertuples()] == [("id:itu", "id:unicef")]


def test_contradictions_are_kept_and_queryable(graph):
    rows = select(
        graph,
        """SELECT ?about ?value ?section WHERE {
             ?d a cg:Discrepancy ; cg:about ?about ; cg:variant ?v .
             ?v cg:variantValue ?value ; cg:evidence/cg:section ?section .
           }""",
    )
    abouts = {r[0].rsplit("/", 1)[-1] for r in rows}
    assert {
        "cop-asia-pacific-project",
        "session-4",
        "pakistan-digital-inclusion-week-2023",
    } <= abouts
    assert len({r[0] for r in rows}) >= 8


# -- spot checks, one fact each, from every section -----------------------------------------

SPOT_CHECKS = {
    # Section 1
    "COP initiative established by ITU in November 2008": """ASK {
        id:itu-cop-initiative cg:established ?d ; cg:establishedBy id:itu .
        FILTER(STR(?d) = "2008-11") }""",
    "the project is funded by ITU and the Government of Australia": """ASK {
        id:cop-asia-pacific-project cg:funder id:itu, id:government-of-australia }""",
    "the project starts in June 2019": """ASK {
        id:cop-asia-pacific-project cg:start ?d . FILTER(STR(?d) = "2019-06") }""",
    "six beneficiary countries": """ASK {
        { SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { id:cop-asia-pacific-project cg:beneficiaryCountry ?c } }
        FILTER(?n = 6) }""",
    # Section 2
    "Mongolian guidelines include sign language": """ASK {
        ?o cg:kind outputkind:translated-guideline ; cg:country id:mongolia ; cg:language ?l .
        FILTER(STR(?l) = "msr") }""",
    "assessment reports for Bhutan, Mongolia, Pakistan and Thailand": """ASK {
        { SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
            ?o cg:kind outputkind:national-assessment-report ; cg:country ?c } }
        FILTER(?n = 4) }""",
    # Section 3
    "the concluding workshop on 7 December 2023 with 50 participants": """ASK {
        id:concluding-workshop cg:date ?d ; cg:organizer id:itu-roap ; cg:participantCount/cg:value 50 .
        FILTER(STR(?d) = "2023-12-07") }""",
    # 4.1.1 / 4.1.2
    "75% of 15 to 24-year-olds online in 2022": """ASK {
        ?f a cg:Figure ; cg:value ?v ; cg:wording ?w . FILTER(?v = 75 && CONTAINS(?w, "75%")) }""",
    "Pauline Ross is Acting Assistant Secretary": """ASK {
        ?post cg:holder id:pauline-ross ; cg:title ?t . FILTER(CONTAINS(?t, "Acting Assistant Secretary")) }""",
    "ECPAT has 126 member organizations": """ASK {
        ?f a cg:Figure ; cg:value 126 ; cg:about id:ecpat-international }""",
    # 4.2.1
    "UN2UN Agreement between ITU and UNICEF Thailand": """ASK {
        ?p cg:kind partnershipkind:agreement ; cg:partnerOrganization id:itu, id:unicef-thailand }""",
    "Mongolia's first national COP conference: 14 June 2023, Ulaanbaatar, 212 attendees": """ASK {
        id:mongolia-national-cop-conference-2023 cg:date ?d ; cg:place/rdfs:label "Ulaanbaatar" ;
            cg:participantCount/cg:value 212 .
        FILTER(STR(?d) = "2023-06-14") }""",
    "Indonesian guidelines launched on Safer Internet Day, 8 February 2023": """ASK {
        id:indonesia-guidelines-launch-2023 cg:date ?d . FILTER(STR(?d) = "2023-02-08") }""",
    "around 500 students and teachers trained at Girls in ICT Day Thailand": """ASK {
        ?o cg:participantCount ?f . ?f cg:value 500 ; cg:wording ?w . FILTER(CONTAINS(?w, "around 500")) }""",
    # 4.2 / 4.2.2
    "Puji Pujiono moderates Session 1": """ASK {
        ?p cg:session id:session-1 ; cg:participant id:puji-pujiono ; cg:role sessionrole:moderator }""",
    "Yu Cheng gives the keynote of Session 1": """ASK {
        ?p cg:session id:session-1 ; cg:participant id:yu-cheng ; cg:role sessionrole:keynote }""",
    "Fei Wang cites SDG Target 8.7": """ASK { id:fei-wang cg:cites id:sdg-target-8-7 }""",
    "a call to action signed by 75 member states": """ASK {
        ?f a cg:Figure ; cg:value 75 ; cg:wording ?w . FILTER(CONTAINS(?w, "75")) FILTER(CONTAINS(?w, "member states")) }""",
    # 4.3
    "Puthyvuth Sok is Secretary of State of Cambodia's Ministry of Post and Telecommunications": """ASK {
        ?post cg:holder id:puthyvuth-sok ; cg:organization id:mpt-cambodia ; cg:title ?t .
        FILTER(CONTAINS(?t, "Secretary of State")) }""",
    "Awan speaks of around 400 to 450 participants": """ASK {
        ?f a cg:Figure ; cg:minValue 400 ; cg:maxValue 450 }""",
    "the Philippines' Cyber Crime Prevention Act of 2012": """ASK {
        ?i a cg:Instrument ; cg:jurisdiction id:philippines ; cg:year ?y ; rdfs:label ?l .
        FILTER(STR(?y) = "2012") }""",
    # 4.4
    "Huawei Thailand trained 940 primary school students with NCSA": """ASK {
        ?o cg:participantCount/cg:value 940 .
        ?p a cg:Partnership ; cg:partnerOrganization ?h, ?n .
        ?h cg:parentOrganization id:huawei . ?n cg:acronym "NCSA" }""",
    "GSMA is a member of ITU's COP Initiative": """ASK {
        ?p cg:kind partnershipkind:membership ; cg:partnerOrganization id:gsma, ?i .
        FILTER(?i IN (id:itu)) }""",
    "Evence Su raised generative AI": """ASK { ?s cg:speaker id:evence-su ; cg:topic topic:generative-ai }""",
    # 4.5
    "1.2 million reported cases forwarded to the FIA in 2020": """ASK {
        ?f a cg:Figure ; cg:value ?v ; cg:year ?y . FILTER(?v = 1200000 && STR(?y) = "2020") }""",
    "Deborah Welsh's name is also spelled Welsch": """ASK { id:deborah-welsh skos:altLabel ?a . FILTER(CONTAINS(?a, "Welsch")) }""",
    "Session 4 has two titles": """ASK { id:session-4 cg:title ?a ; cg:alternativeTitle ?b . FILTER(?a != ?b) }""",
    # 4.6
    "the AskMe app is an educational app for children; the report names no producer": """ASK {
        id:askme-app cg:kind outputkind:educational-app ; cg:audience "children" .
        FILTER NOT EXISTS { id:askme-app cg:producer ?anyone } }""",
    "ITU partners with Saudi Arabia's NCA": """ASK {
        ?p a cg:Partnership ; cg:partnerOrganization id:itu, id:nca-saudi-arabia }""",
    # 4.7 / 5
    "Session 1 runs 09:35-10:35 Bangkok time": """ASK {
        id:session-1 cg:start ?s ; cg:end ?e .
        FILTER(STR(?s) = "2023-12-07T09:35:00+07:00" && STR(?e) = "2023-12-07T10:35:00+07:00") }""",
    "the agenda's group photo runs 09:30-09:35 Bangkok time": """ASK {
        ?slot a cg:AgendaItem ; rdfs:label "Group Photo Session" ; cg:start ?s ; cg:end ?e ;
            cg:partOf id:concluding-workshop .
        FILTER(STR(?s) = "2023-12-07T09:30:00+07:00" && STR(?e) = "2023-12-07T09:35:00+07:00") }""",
    "Atsuko Okuda wraps up the workshop (agenda)": """ASK {
        ?p cg:session id:closing-segment ; cg:participant id:atsuko-okuda ; cg:source reportpart:agenda }""",
}


def test_there_are_at_least_twenty_spot_checks():
    assert len(SPOT_CHECKS) >= 20


@pytest.mark.parametrize("fact", sorted(SPOT_CHECKS))
def test_spot_check(graph, fact):
    assert ask(graph, SPOT_CHECKS[fact]), fact


def test_cli_coverage_prints_sections_and_passes_strict():
    from .conftest import run_cli

    result = run_cli("coverage", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "people mentioned but missing from the graph: 0" in result.stdout
    assert "4.2.1" in result.stdout and "Keynote address" in result.stdout
