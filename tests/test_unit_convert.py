"""Records to triples on a report of a few lines: which triples, which fact nodes with
which quotes, and the one line that names file, record and field when a record is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

from copgraph.build.convert import (
    Converter,
    _hash,
    _hint,
    _person_names,
    _quote_has,
    check_references,
    date_literal,
    document_triples,
    invisible_characters,
    notes_naming_unknown_discrepancies,
    participation_iri,
    post_iri,
)
from copgraph.build.ontology import ontology_properties, scheme_members
from copgraph.evidence import Report, Source
from copgraph.namespaces import CG, ID, SCHEMES
from copgraph.records import Problem, parse_documents

pytestmark = pytest.mark.timeout(60)

TEXT = """\
1. Introduction
The International Telecommunication Union (ITU) and UNICEF signed an agreement
to protect children in Fiji and Tonga.
Over 200 participants attended the workshop in 2023.
2. Opening
Dr. Ann Lee, Director of ITU, opened the session.
"Children deserve safety online," she said.
Mr. Bob Ray spoke next. The agreement was signed again.
3. Close
The agreement was signed again.
"""
SCHEMES_USED = {
    "organization-kind": {"un-agency", "ngo"},
    "partnership-kind": {"agreement", "funding"},
    "event-kind": {"workshop"},
    "session-role": {"speaker", "moderator"},
    "report-part": {"agenda", "narrative"},
    "output-kind": {"guideline"},
    "topic": {"safety"},
}
PROPERTIES = frozenset({CG.title, CG.participantCount, RDFS.label})


def organizations(*ids, **changes):
    quotes = {
        "itu": "The International Telecommunication Union (ITU)",
        "unicef": "UNICEF signed",
    }
    return [
        {
            "id": i,
            "label": i.upper(),
            "kind": "un-agency",
            "evidence": [{"quote": quotes.get(i, "UNICEF"), "supports": ["kind"]}],
            **changes,
        }
        for i in ids
    ]


def countries(*ids):
    return [
        {
            "id": i,
            "label": i.title(),
            "iso2": i[:2].upper(),
            "iso3": i[:3].upper(),
            "beneficiary": True,
            "evidence": [{"quote": "children in Fiji and Tonga", "supports": ["beneficiary"]}],
        }
        for i in ids
    ]


def converter_for(source: Source, records) -> Converter:
    """A converter for one report (id "x"), as the build makes one per report folder."""
    return Converter({"x": source}, "x", SCHEMES_USED, records, PROPERTIES)


def convert_all(converter: Converter, records) -> Converter:
    """Convert every record, then check references as the build does once all units are in."""
    for record in records:
        if converter.files_of.get(record.id) == record.file:
            converter.convert(record)
    converter.problems += check_references(converter.references, converter.types_of)
    return converter


def convert(documents: dict, text: str = TEXT) -> Converter:
    records, problems = parse_documents(documents)
    assert problems == []
    source = Source(Path("r.txt"), {"id": "report-x"}, Report(text))
    return convert_all(converter_for(source, records), records)


def problems(converter) -> list[tuple[str, str, str]]:
    return [(p.record, p.field, p.message) for p in converter.problems]


def ok(documents: dict, text: str = TEXT) -> Graph:
    converter = convert(documents, text)
    assert converter.problems == []
    return converter.graph


def facts(graph: Graph, s, p, o) -> list[URIRef]:
    return [
        f
        for f in graph.subjects(RDF.type, CG.Fact)
        if (f, RDF.subject, s) in graph
        and (f, RDF.predicate, p) in graph
        and (f, RDF.object, o) in graph
    ]


def exacts(graph: Graph, node) -> set[str]:
    return {str(graph.value(e, CG.exact)) for e in graph.objects(node, CG.evidence)}


# -- small helpers ----------------------------------------------------------------------


def test_dates_keep_their_precision():
    assert date_literal("2023") == Literal("2023", datatype=XSD.gYear)
    assert date_literal("2023-06") == Literal("2023-06", datatype=XSD.gYearMonth)
    assert date_literal("2023-06-14") == Literal("2023-06-14", datatype=XSD.date)


def test_minted_iris_are_stable_and_readable():
    assert _hash("a", 1) == _hash("a", 1) != _hash("a", 2)
    assert len(_hash("x")) == 12
    assert _hash("a", "b") != _hash("ab")  # parts are kept apart
    assert str(post_iri("ann", "itu", "Director")) == (f"{ID}post/ann/itu-{_hash('Director')[:6]}")
    assert str(participation_iri("s1", "ann", "speaker")) == f"{ID}participation/s1/ann/speaker"


def test_person_names_add_the_honorific_with_the_surname():
    records, _ = parse_documents(
        {"p.yaml": {"people": [{"id": "ann", "name": "Ann Lee", "alt_names": ["A. Lee"]}]}}
    )
    assert _person_names(records) == {
        "ann": (
            "Ann Lee",
            "A. Lee",
            "Mr. Lee",
            "Ms. Lee",
            "Dr. Lee",
            "Mr Lee",
            "Ms Lee",
            "Dr Lee",
            "H.E. Lee",
        )
    }


def test_invisible_characters_are_named_by_code_point_at_most_three():
    assert invisible_characters("plain text, café") == ""
    assert invisible_characters("a\u200bb") == (
        "; it holds U+200B ZERO WIDTH SPACE at character 2, which the eye cannot tell apart"
    )
    four = invisible_characters("\u00a0x\ufb01\u200b\u2028")
    assert four.startswith(
        "; it holds U+00A0 NO-BREAK SPACE at character 1, U+FB01 LATIN SMALL LIGATURE FI at "
        "character 3, U+200B ZERO WIDTH SPACE at character 4 and 1 more,"
    )
    assert "and" not in invisible_characters("\u00a0\u00a0\u00a0").split("character 3")[1]


def test_a_missing_quote_hint_shows_where_the_words_part_from_the_report():
    report = Report(TEXT)
    hint = _hint(report, "Over 200 participants attended the meeting in 2023")
    assert hint == (
        "'Over 200 participants attended the meeting in 2023' (the first 35 characters "
        "match near line 4; it differs from: 'meeting in 2023')"
    )
    assert _hint(report, "Nothing like it") == "'Nothing like it'"
    assert _hint(report, "Over 200 pa\u200brticipants") == (
        "'Over 200 pa\u200brticipants'; it holds U+200B ZERO WIDTH SPACE at character 12, "
        "which the eye cannot tell apart"
    )
    long = _hint(report, "x" * 100)
    assert long == "'" + "x" * 77 + "...'"


def test_the_hint_needs_twelve_matching_characters():
    report = Report(TEXT)
    assert _hint(report, "Over 200 paXX") == "'Over 200 paXX'"  # 11 match
    assert _hint(report, "Over 200 parXX").startswith("'Over 200 parXX' (the first 12 characters")


def test_quote_has_looks_in_the_exact_words():
    graph = Graph()
    node = URIRef("urn:e")
    assert not _quote_has(graph, node, "x")
    graph.add((node, CG.exact, Literal("Over 200 participants")))
    assert _quote_has(graph, node, "200\n participants")
    assert not _quote_has(graph, node, "300")


def test_scheme_members_and_ontology_properties_read_the_ontology():
    ontology = Graph()
    scheme = URIRef(str(SCHEMES["topic"]).rstrip("/"))
    ontology.add((SCHEMES["topic"]["safety"], SKOS.inScheme, scheme))
    ontology.add((SCHEMES["status"]["draft"], SKOS.inScheme, URIRef("urn:other")))
    assert scheme_members(ontology) == {"topic": {"safety"}}
    ontology.add((CG.title, RDF.type, OWL.DatatypeProperty))
    ontology.add((CG.partner, RDF.type, OWL.ObjectProperty))
    ontology.add((CG.Thing, RDF.type, OWL.Class))
    assert ontology_properties(ontology) == {CG.title, CG.partner, RDFS.label, SKOS.altLabel}


def test_the_document_node_records_title_publisher_date_and_hash():
    graph = Graph()
    source = Source(
        Path("r.txt"),
        {"id": "report-x", "title": "T", "publisher": "ITU", "date": "2023-12", "sha256": "ab"},
        Report(""),
    )
    document_triples(graph, source)
    node = ID["report-x"]
    assert set(graph.predicate_objects(node)) == {
        (RDF.type, CG.Document),
        (RDFS.label, Literal("T")),
        (DCTERMS.title, Literal("T")),
        (DCTERMS.publisher, Literal("ITU")),
        (DCTERMS.date, Literal("2023-12", datatype=XSD.gYearMonth)),
        (CG.sha256, Literal("ab")),
    }


# -- evidence ------------------------------------------------------------------------------


def test_a_quote_becomes_an_evidence_node_with_its_selector():
    graph = ok({"o.yaml": {"organizations": organizations("itu")}})
    (node,) = graph.objects(ID.itu, CG.evidence)
    assert set(graph.predicate_objects(node)) == {
        (RDF.type, CG.Evidence),
        (CG.inDocument, ID["report-x"]),
        (CG.exact, Literal("The International Telecommunication Union (ITU)")),
        (CG.prefix, Literal("1. Introduction ")),
        (CG.suffix, Literal(" and UNICEF signed an agreemen")),  # 30 characters
        (CG.section, Literal("1")),
        (CG.sectionTitle, Literal("Introduction")),
        (CG.line, Literal(2)),
        (CG.sentence, Literal(2)),  # "1." ends a sentence before a capital
    }


def test_a_quote_at_the_very_start_or_end_has_no_empty_prefix_or_suffix():
    graph = ok(
        {"o.yaml": {"organizations": organizations("itu")}},
        "The International Telecommunication Union (ITU)",
    )
    (node,) = graph.objects(ID.itu, CG.evidence)
    assert graph.value(node, CG.prefix) is None and graph.value(node, CG.suffix) is None
    assert graph.value(node, CG.section) == Literal("")


def test_one_place_in_the_report_is_one_evidence_node_and_a_note_is_kept():
    orgs = organizations("itu")
    orgs[0]["evidence"].append(
        {"quote": "The International Telecommunication Union", "note": "the name"}
    )
    orgs.append({**organizations("itu2")[0], "id": "itu2"})
    orgs[1]["evidence"][0]["quote"] = "The International Telecommunication Union (ITU)"
    graph = ok({"o.yaml": {"organizations": orgs}})
    assert len(set(graph.subjects(RDF.type, CG.Evidence))) == 2  # three quotes, two places
    assert set(graph.objects(ID.itu2, CG.evidence)) < set(graph.subjects(RDF.type, CG.Evidence))
    noted = [e for e in graph.subjects(CG.note, Literal("the name"))]
    assert len(noted) == 1


def test_a_quote_not_in_the_report_is_named_with_a_hint():
    orgs = organizations("itu")
    orgs[0]["evidence"][0]["quote"] = "The International Telecommunication Union (UIT)"
    assert problems(convert({"o.yaml": {"organizations": orgs}})) == [
        (
            "itu",
            "evidence[0].quote",
            "quote not found in the report: 'The International Telecommunication Union (UIT)' "
            "(the first 43 characters match near line 2; it differs from: 'UIT)')",
        ),
        (
            "itu",
            "kind",
            "no quote states 'kind: un-agency': add 'supports: [kind]' to the quote that does, "
            "or drop the value and keep the doubt in 'note'",
        ),
    ]


def test_a_quote_in_two_sections_must_name_its_section():
    orgs = organizations("itu")
    orgs[0]["evidence"] = [{"quote": "The agreement was signed again."}]
    assert problems(convert({"o.yaml": {"organizations": orgs}}))[0] == (
        "itu",
        "evidence[0].quote",
        "the quote occurs 2 times, in sections 2 (line 8), 3 (line 10); add 'section:' to "
        "choose one",
    )


def test_a_section_chooses_one_of_the_places_and_a_wrong_section_is_named():
    orgs = organizations("itu")
    orgs[0]["evidence"] = [
        {"quote": "The agreement was signed again.", "section": "3"},
        {"quote": "The International Telecommunication Union (ITU)", "supports": ["kind"]},
    ]
    graph = ok({"o.yaml": {"organizations": orgs}})
    lines = {int(graph.value(e, CG.line)) for e in graph.subjects(RDF.type, CG.Evidence)}
    assert lines == {2, 10}
    orgs[0]["evidence"][0]["section"] = "1"
    assert problems(convert({"o.yaml": {"organizations": orgs}})) == [
        ("itu", "evidence[0].section", "the quote is not in section 1 (it is in 2, 3)")
    ]


def test_a_section_matches_its_subsections():
    text = "1. One\nsome words\n2. Two\n2.1 Sub\nsome words\n"
    orgs = organizations("itu")
    orgs[0]["evidence"] = [{"quote": "some words", "section": "2", "supports": ["kind"]}]
    graph = ok({"o.yaml": {"organizations": orgs}}, text)
    (node,) = graph.objects(ID.itu, CG.evidence)
    assert graph.value(node, CG.section) == Literal("2.1")
    orgs[0]["evidence"][0]["section"] = "2.1"
    assert ok({"o.yaml": {"organizations": orgs}}, text)
    orgs[0]["evidence"][0]["section"] = "2.11"
    assert problems(convert({"o.yaml": {"organizations": orgs}}, text))[0][1] == (
        "evidence[0].section"
    )


def test_two_places_in_one_section_take_the_first():
    text = "1. One\nsome words and some words\n"
    orgs = organizations("itu")
    orgs[0]["evidence"] = [{"quote": "some words", "supports": ["kind"]}]
    graph = ok({"o.yaml": {"organizations": orgs}}, text)
    (node,) = graph.objects(ID.itu, CG.evidence)
    assert graph.value(node, CG.prefix) == Literal("1. One ")


# -- references and concepts ---------------------------------------------------------------


def test_a_reference_becomes_a_triple_with_its_fact_and_quote():
    orgs = organizations("itu", "unicef")
    orgs[1]["parent"] = "itu"
    orgs[1]["evidence"].append({"quote": "ITU) and UNICEF", "supports": ["parent"]})
    graph = ok({"o.yaml": {"organizations": orgs}})
    assert (ID.unicef, CG.parentOrganization, ID.itu) in graph
    (fact,) = facts(graph, ID.unicef, CG.parentOrganization, ID.itu)
    assert exacts(graph, fact) == {"ITU) and UNICEF"}
    assert (ID.unicef, RDF.type, CG.Organization) in graph
    assert (ID.unicef, CG.kind, SCHEMES["organization-kind"]["un-agency"]) in graph


def test_an_unknown_reference_is_named_with_a_suggestion_of_the_right_type():
    orgs = organizations("itu", "unicef")
    orgs[1]["parent"] = "itv"
    assert (
        "unicef",
        "parent",
        "unknown id 'itv'; did you mean 'itu'?",
    ) in problems(convert({"o.yaml": {"organizations": orgs}}))


def test_a_reference_to_a_record_of_the_wrong_type_is_named():
    orgs = organizations("itu")
    orgs[0]["parent"] = "fiji"
    found = problems(convert({"o.yaml": {"organizations": orgs, "countries": countries("fiji")}}))
    assert found[0] == ("itu", "parent", "'fiji' is a countries record, expected organizations")


def test_a_reference_may_name_any_type_where_the_schema_allows_any():
    partnership = {
        "id": "deal",
        "kind": "agreement",
        "organizations": ["itu", "unicef"],
        "description": "an agreement",
        "about": ["fiji"],
        "evidence": [
            {
                "quote": "signed an agreement to protect children in Fiji",
                "supports": ["kind", "organizations", "about"],
            }
        ],
    }
    documents = {
        "o.yaml": {
            "organizations": organizations("itu", "unicef"),
            "countries": countries("fiji"),
            "partnerships": [partnership],
        }
    }
    graph = ok(documents)
    assert (ID.deal, CG.about, ID.fiji) in graph
    assert (ID.deal, CG.partnerOrganization, ID.itu) in graph
    assert (ID.deal, CG.partnerOrganization, ID.unicef) in graph
    assert (ID.deal, CG.description, Literal("an agreement")) in graph


def test_a_concept_outside_its_scheme_is_named_with_a_suggestion():
    orgs = organizations("itu", kind="un-agencies")
    assert problems(convert({"o.yaml": {"organizations": orgs}})) == [
        (
            "itu",
            "kind",
            "'un-agencies' is not in the organization-kind scheme "
            "(ontology/schemes/organization-kind.ttl); did you mean 'un-agency'?",
        )
    ]


def test_a_duplicate_id_is_named_and_the_first_record_kept():
    documents = {
        "a.yaml": {"organizations": organizations("itu")},
        "b.yaml": {"countries": [{**countries("fiji")[0], "id": "itu"}]},
    }
    converter = convert(documents)
    assert [(p.file, p.record, p.field, p.message) for p in converter.problems] == [
        ("b.yaml", "itu", "id", "duplicate id: also a organizations record in a.yaml")
    ]
    assert (ID.itu, RDF.type, CG.Organization) in converter.graph
    assert (ID.itu, RDF.type, CG.Country) not in converter.graph


# -- facts and their quotes --------------------------------------------------------------------


def test_each_value_of_a_fact_field_is_stated_by_the_quotes_that_support_it():
    country = countries("fiji", "tonga")
    programme = {
        "id": "prog",
        "label": "Programme",
        "beneficiaries": ["fiji", "tonga"],
        "evidence": [
            {"quote": "protect children"},
            {"quote": "in Fiji", "supports": [{"beneficiaries": "fiji"}]},
            {"quote": "and Tonga", "supports": [{"beneficiaries": "tonga"}]},
        ],
    }
    graph = ok({"c.yaml": {"countries": country, "programmes": [programme]}})
    (fiji,) = facts(graph, ID.prog, CG.beneficiaryCountry, ID.fiji)
    (tonga,) = facts(graph, ID.prog, CG.beneficiaryCountry, ID.tonga)
    assert exacts(graph, fiji) == {"in Fiji"}
    assert exacts(graph, tonga) == {"and Tonga"}
    # the plain quote names the record; the fact quotes do not
    assert exacts(graph, ID.prog) == {"protect children"}
    assert (fiji, RDF.type, CG.Fact) in graph


def test_without_plain_quotes_every_quote_names_the_record():
    graph = ok({"o.yaml": {"organizations": organizations("itu")}})
    assert exacts(graph, ID.itu) == {"The International Telecommunication Union (ITU)"}


def test_a_quote_that_supports_a_label_names_the_record():
    orgs = organizations("itu")
    orgs[0]["evidence"] = [
        {"quote": "The International Telecommunication Union", "supports": ["label"]},
        {"quote": "Union (ITU) and UNICEF", "supports": ["kind"]},
    ]
    graph = ok({"o.yaml": {"organizations": orgs}})
    assert exacts(graph, ID.itu) == {"The International Telecommunication Union"}
    (fact,) = facts(graph, ID.itu, CG.kind, SCHEMES["organization-kind"]["un-agency"])
    assert exacts(graph, fact) == {"Union (ITU) and UNICEF"}


def test_a_fact_without_a_quote_that_states_it_is_refused():
    country = countries("fiji")
    country[0]["evidence"][0]["supports"] = ["label"]
    assert problems(convert({"c.yaml": {"countries": country}})) == [
        (
            "fiji",
            "beneficiary",
            "no quote states 'beneficiary: true': add 'supports: [beneficiary]' to the quote "
            "that does, or drop the value and keep the doubt in 'note'",
        )
    ]


def test_a_false_value_needs_no_quote():
    country = countries("fiji")
    country[0]["beneficiary"] = False
    country[0]["evidence"][0]["supports"] = ["label"]
    graph = ok({"c.yaml": {"countries": country}})
    assert (ID.fiji, CG.beneficiary, Literal(False)) in graph
    assert facts(graph, ID.fiji, CG.beneficiary, Literal(False)) == []


def test_the_unnamed_reason_goes_on_the_fact():
    orgs = organizations("itu")
    orgs[0]["evidence"][0]["unnamed"] = "the report calls it the Union"
    graph = ok({"o.yaml": {"organizations": orgs}})
    (fact,) = facts(graph, ID.itu, CG.kind, SCHEMES["organization-kind"]["un-agency"])
    assert set(graph.objects(fact, CG.unnamedBecause)) == {Literal("the report calls it the Union")}


@pytest.mark.parametrize(
    "supports, message",
    [
        (["kidn"], ("evidence[0].supports", "no field 'kidn'; did you mean 'kind'?")),
        (["id"], ("evidence[0].supports", "no field 'id'; did you mean 'kind'?")),
        (["note"], ("evidence[0].supports", "no field 'note'")),
        (["parent"], ("evidence[0].supports", "'parent' has no value in this record")),
        (
            [{"kind": "ngo"}],
            (
                "evidence[0].supports",
                "'kind: ngo' is not a value of this record's 'kind' (un-agency)",
            ),
        ),
    ],
)
def test_supports_must_name_a_field_and_a_value_the_record_holds(supports, message):
    orgs = organizations("itu")
    orgs[0]["evidence"][0]["supports"] = supports
    found = problems(convert({"o.yaml": {"organizations": orgs}}))
    assert found[0] == ("itu", *message)


def test_unnamed_without_supports_is_refused_outside_compact_records():
    orgs = organizations("itu")
    orgs[0]["evidence"].append({"quote": "UNICEF signed", "unnamed": "why"})
    assert (
        "itu",
        "evidence[1].unnamed",
        "'unnamed' goes with 'supports': it explains the facts listed there",
    ) in problems(convert({"o.yaml": {"organizations": orgs}}))


def test_a_supported_value_is_compared_as_text():
    figure = {
        "id": "fig",
        "description": "participants",
        "value": 200,
        "unit": "people",
        "year": 2023,
        "wording": "Over 200",
        "evidence": [
            {"quote": "Over 200 participants", "supports": [{"value": 200}]},
            {"quote": "workshop in 2023", "supports": [{"year": "2023"}]},
        ],
    }
    graph = ok({"f.yaml": {"figures": [figure]}})
    assert (ID.fig, CG.value, Literal(200)) in graph
    (fact,) = facts(graph, ID.fig, CG.year, Literal("2023", datatype=XSD.gYear))
    assert exacts(graph, fact) == {"workshop in 2023"}


# -- compact records, nested records -----------------------------------------------------------


def person(**changes):
    return {
        "id": "ann",
        "name": "Ann Lee",
        "evidence": ["Dr. Ann Lee"],
        "posts": [
            {"organization": "itu", "title": "Director", "evidence": ["Director of ITU"]},
        ],
        **changes,
    }


def test_a_post_is_a_node_stated_whole_by_its_own_quotes():
    graph = ok({"p.yaml": {"people": [person()], "organizations": organizations("itu")}})
    post = post_iri("ann", "itu", "Director")
    assert (post, RDF.type, CG.Post) in graph
    assert (post, CG.holder, ID.ann) in graph
    assert (post, CG.title, Literal("Director")) in graph
    assert (post, CG.organization, ID.itu) in graph
    for triple in [(post, CG.holder, ID.ann), (post, CG.organization, ID.itu)]:
        (fact,) = facts(graph, *triple)
        assert exacts(graph, fact) == {"Director of ITU"}


def test_an_unnamed_reason_of_a_nested_record_goes_on_its_link():
    ann = person()
    ann["posts"][0]["evidence"] = [{"quote": "Director of ITU", "unnamed": "she is named above"}]
    graph = ok({"p.yaml": {"people": [ann], "organizations": organizations("itu")}})
    (fact,) = facts(graph, post_iri("ann", "itu", "Director"), CG.holder, ID.ann)
    assert set(graph.objects(fact, CG.unnamedBecause)) == {Literal("she is named above")}


def session(*participants):
    return {
        "id": "s1",
        "number": "1",
        "title": "Opening",
        "event": "ws",
        "evidence": [{"quote": "opened the session", "supports": ["event"]}],
        "participants": list(participants),
    }


def event():
    return {
        "id": "ws",
        "label": "Workshop",
        "kind": "workshop",
        "evidence": [{"quote": "attended the workshop", "supports": ["kind"]}],
    }


def participation(role="speaker"):
    return {
        "person": "ann",
        "role": role,
        "source": ["narrative"],
        "evidence": ["Dr. Ann Lee, Director of ITU, opened"],
    }


def test_a_participation_is_a_node_linked_to_its_session():
    documents = {
        "s.yaml": {
            "sessions": [session(participation())],
            "events": [event()],
            "people": [person()],
            "organizations": organizations("itu"),
        }
    }
    graph = ok(documents)
    node = participation_iri("s1", "ann", "speaker")
    assert (node, RDF.type, CG.Participation) in graph
    assert (node, CG.session, ID.s1) in graph
    assert (node, CG.participant, ID.ann) in graph
    assert (node, CG.role, SCHEMES["session-role"]["speaker"]) in graph
    assert (ID.s1, CG.partOf, ID.ws) in graph
    (fact,) = facts(graph, node, CG.session, ID.s1)
    assert exacts(graph, fact) == {"Dr. Ann Lee, Director of ITU, opened"}


def test_the_same_person_twice_in_one_role_of_a_session_is_refused():
    documents = {
        "s.yaml": {
            "sessions": [session(participation(), participation(), participation("moderator"))],
            "events": [event()],
            "people": [person()],
            "organizations": organizations("itu"),
        }
    }
    assert problems(convert(documents)) == [
        (
            "s1/participants[1]",
            "role",
            "ann already has role speaker in this session; merge the two (list both sources "
            "and both quotes)",
        )
    ]


def discrepancy(*values, prop="label"):
    return {
        "id": "itu-name",
        "about": "itu",
        "property": prop,
        "description": "two names",
        "variants": [{"value": v, "evidence": [q]} for v, q in values],
    }


def test_a_discrepancy_has_a_node_per_variant_and_names_the_property():
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [
                discrepancy(
                    ("ITU", "Union (ITU)"), ("the Union", "Telecommunication Union"), prop="title"
                )
            ],
        }
    }
    documents["d.yaml"]["discrepancies"][0]["property"] = "label"
    graph = ok(documents)
    variants = sorted(graph.objects(ID["itu-name"], CG.variant))
    assert len(variants) == 2
    assert {str(graph.value(v, CG.variantValue)) for v in variants} == {"ITU", "the Union"}
    assert (ID["itu-name"], CG.property, RDFS.label) in graph
    assert (ID["itu-name"], CG.about, ID.itu) in graph
    assert all(str(v).startswith(f"{ID}variant/itu-name/") for v in variants)


@pytest.mark.parametrize(
    "prop, predicate",
    [
        ("cg:title", CG.title),
        ("rdfs:label", RDFS.label),
        ("parent", CG.parentOrganization),
        ("acronym", CG.acronym),
    ],
)
def test_a_discrepancy_property_is_a_field_of_its_record_or_a_curie(prop, predicate):
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [discrepancy(("A", "Union (ITU)"), ("B", "UNICEF"), prop=prop)],
        }
    }
    assert (ID["itu-name"], CG.property, predicate) in ok(documents)


def test_a_discrepancy_property_of_nested_and_inverse_fields():
    documents = {
        "d.yaml": {
            "people": [person()],
            "organizations": organizations("itu"),
            "discrepancies": [
                {**discrepancy(("A", "Union (ITU)"), ("B", "UNICEF"), prop="posts"), "about": "ann"}
            ],
        }
    }
    assert (ID["itu-name"], CG.property, CG.holder) in ok(documents)


@pytest.mark.parametrize(
    "prop, message",
    [
        ("cg:nothing", "'cg:nothing' is no property of the ontology"),
        ("zz:title", "'zz:title' is no property of the ontology"),
        (
            "lable",
            "'lable' is no field of a organizations record (nor a CURIE such as "
            "cg:title); did you mean 'label'?",
        ),
        (
            "evidence",
            "'evidence' is no field of a organizations record (nor a CURIE such as cg:title)",
        ),
    ],
)
def test_a_discrepancy_property_that_is_neither_is_named(prop, message):
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [discrepancy(("A", "Union (ITU)"), ("B", "UNICEF"), prop=prop)],
        }
    }
    found = problems(convert(documents))
    assert found[0][:2] == ("itu-name", "property")
    assert found[0][2].startswith(message)


def test_a_discrepancy_about_an_unknown_record_is_named_once():
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [
                {**discrepancy(("A", "Union (ITU)"), ("B", "UNICEF")), "about": "nobody"}
            ],
        }
    }
    assert [p[1] for p in problems(convert(documents))] == ["about"]


def test_inverse_fields_point_from_the_citing_node_to_the_instrument():
    instrument = {
        "id": "law",
        "label": "The agreement",
        "kind": "agreement",
        "cited_by": ["itu"],
        "evidence": [{"quote": "ITU) and UNICEF signed an agreement", "supports": ["cited_by"]}],
    }
    documents = {"i.yaml": {"organizations": organizations("itu"), "instruments": [instrument]}}
    converter = convert(documents)
    # 'agreement' is an instrument kind only where the scheme says so
    assert problems(converter)[0][1] == "kind"
    assert (ID.itu, CG.cites, ID.law) in converter.graph
    assert facts(converter.graph, ID.itu, CG.cites, ID.law)


# -- kinds of value -------------------------------------------------------------------------------


def test_each_kind_of_value_has_its_datatype():
    output = {
        "id": "guide",
        "label": "Guide",
        "kind": "guideline",
        "language": ["mn"],
        "date": "2023-06",
        "audience": ["children"],
        "evidence": [
            {"quote": "protect children", "supports": ["kind", "language", "date", "audience"]}
        ],
    }
    graph = ok({"o.yaml": {"outputs": [output]}})
    assert (ID.guide, CG.language, Literal("mn", datatype=XSD.language)) in graph
    assert (ID.guide, CG.date, Literal("2023-06", datatype=XSD.gYearMonth)) in graph
    assert (ID.guide, CG.audience, Literal("children")) in graph
    assert (ID.guide, RDFS.label, Literal("Guide")) in graph
    agenda = {
        "id": "item",
        "label": "Opening",
        "event": "ws",
        "start": "2023-12-07T09:00+07:00",
        "evidence": ["opened the session"],
    }
    graph = ok({"a.yaml": {"agenda_items": [agenda], "events": [event()]}})
    assert (ID.item, CG.start, Literal("2023-12-07T09:00+07:00", datatype=XSD.dateTime)) in graph


# -- quantities, figures, statements, partnerships ------------------------------------------------


def workshop(participants: dict) -> dict:
    return {**event(), "participants": participants}


def test_a_quantity_is_a_figure_node_about_its_record():
    graph = ok(
        {
            "e.yaml": {
                "events": [
                    workshop(
                        {
                            "wording": "Over 200",
                            "min": 200,
                            "note": "a round number",
                            "evidence": ["Over 200 participants"],
                        }
                    )
                ]
            }
        }
    )
    node = URIRef(f"{ID.ws}/participants")
    assert set(graph.predicate_objects(node)) - {
        (CG.evidence, e) for e in graph.objects(node, CG.evidence)
    } == {
        (RDF.type, CG.Figure),
        (CG.about, ID.ws),
        (CG.description, Literal("participants of ws")),
        (CG.unit, Literal("participants")),
        (CG.wording, Literal("Over 200")),
        (CG.minValue, Literal(200)),
        (CG.note, Literal("a round number")),
    }
    assert exacts(graph, node) == {"Over 200 participants"}
    (fact,) = facts(graph, ID.ws, CG.participantCount, node)
    assert exacts(graph, fact) == {"Over 200 participants"}


def test_a_quantity_may_rest_on_the_records_own_quotes_with_its_unit_and_bounds():
    record = workshop({"wording": "attended the", "value": 5, "max": 9, "unit": "people"})
    graph = ok({"e.yaml": {"events": [record]}})
    node = URIRef(f"{ID.ws}/participants")
    assert (node, CG.unit, Literal("people")) in graph
    assert (node, CG.value, Literal(5)) in graph and (node, CG.maxValue, Literal(9)) in graph
    assert (node, CG.minValue, None) not in graph and (node, CG.note, None) not in graph
    assert exacts(graph, node) == {"attended the workshop"}


def test_a_quantity_whose_wording_is_quoted_nowhere_is_refused():
    record = workshop({"wording": "Over 300", "min": 300})
    assert problems(convert({"e.yaml": {"events": [record]}})) == [
        (
            "ws",
            "participants.wording",
            "'Over 300' is not in any of the record's quotes; quote it under participants.evidence",
        )
    ]


def test_a_figures_wording_must_be_in_its_quotes():
    figure = {
        "id": "fig",
        "description": "participants",
        "unit": "people",
        "wording": "Over 300",
        "evidence": ["Over 200 participants"],
    }
    assert problems(convert({"f.yaml": {"figures": [figure]}})) == [
        ("fig", "wording", "'Over 300' is not in the record's quotes")
    ]
    figure["wording"] = "Over 200"
    assert ok({"f.yaml": {"figures": [figure]}})


def statement(**changes):
    return {
        "id": "st",
        "speaker": "ann",
        "text": "Children deserve safety online",
        **changes,
    }


def people_and_orgs():
    return {
        "people": [person(), {"id": "bob", "name": "Bob Ray", "evidence": ["Mr. Bob Ray"]}],
        "organizations": organizations("itu"),
    }


def test_a_statement_without_quotes_is_quoted_by_its_text_and_its_speaker_checked():
    graph = ok({"s.yaml": {**people_and_orgs(), "statements": [statement()]}})
    assert exacts(graph, ID.st) == {"Children deserve safety online"}
    (fact,) = facts(graph, ID.st, CG.speaker, ID.ann)
    assert exacts(graph, fact) == {"Children deserve safety online"}
    (reason,) = graph.objects(fact, CG.unnamedBecause)
    assert str(reason) == (
        "The report names the speaker ('Ann Lee', line 6) just before these words, and "
        "no other person in between; the build checks it."
    )


def test_a_statement_whose_quote_names_the_speaker_needs_no_check():
    record = statement(
        evidence=[
            {"quote": "Dr. Ann Lee, Director of ITU, opened the session.", "supports": ["speaker"]},
            "Children deserve safety online",
        ],
        text="Children deserve safety online",
    )
    graph = ok({"s.yaml": {**people_and_orgs(), "statements": [record]}})
    (fact,) = facts(graph, ID.st, CG.speaker, ID.ann)
    assert list(graph.objects(fact, CG.unnamedBecause)) == []


def test_a_statement_given_to_the_wrong_speaker_is_refused():
    assert problems(
        convert({"s.yaml": {**people_and_orgs(), "statements": [statement(speaker="bob")]}})
    ) == [
        (
            "st",
            "speaker",
            "the person the report names last before these words is 'Ann Lee' (line 6), "
            "not 'bob': quote the words that name the speaker, with supports: [speaker]",
        )
    ]


def test_a_statement_nobody_is_named_before_is_refused():
    record = statement(speaker="bob", text="The International Telecommunication Union")
    found = problems(convert({"s.yaml": {**people_and_orgs(), "statements": [record]}}))
    assert found == [
        (
            "st",
            "speaker",
            "the person the report names last before these words is nobody, not 'bob': quote "
            "the words that name the speaker, with supports: [speaker]",
        )
    ]


def test_the_speaker_search_stays_inside_the_section():
    text = "1. One\nMr. Bob Ray was here.\n2. Two\nWords said here.\n"
    record = statement(speaker="bob", text="Words said here.")
    bob = {"id": "bob", "name": "Bob Ray", "evidence": ["Mr. Bob Ray"]}
    found = problems(convert({"s.yaml": {"people": [bob], "statements": [record]}}, text))
    assert found[0][2].startswith("the person the report names last before these words is nobody")


def test_the_last_person_named_before_the_words_is_the_speaker():
    record = statement(
        speaker="bob",
        text="The agreement was signed again.",
        evidence=[
            {"quote": "The agreement was signed again.", "section": "2", "supports": ["speaker"]}
        ],
    )
    graph = ok({"s.yaml": {**people_and_orgs(), "statements": [record]}})
    (fact,) = facts(graph, ID.st, CG.speaker, ID.bob)
    assert "('Bob Ray', line 8)" in str(graph.value(fact, CG.unnamedBecause))


def test_a_quoted_statement_whose_text_is_not_in_the_report_is_refused():
    record = statement(text="Children deserve nothing", evidence=["Children deserve safety"])
    found = problems(convert({"s.yaml": {**people_and_orgs(), "statements": [record]}}))
    assert ("st", "text", "the statement's text is not in the report") in found


# -- notes that name discrepancies -------------------------------------------------------------


def test_notes_must_name_discrepancies_that_exist_wherever_they_are():
    documents = {
        "x.yaml": {
            "countries": [
                {"id": "fiji", "note": "see discrepancy fiji-name and discrepancy itu-name"},
            ],
            "people": [
                {
                    "id": "ann",
                    "evidence": [{"quote": "q", "note": "the discrepancies ann-title apply"}],
                    "posts": [{"organization": "itu", "note": "discrepancy post-x"}],
                }
            ],
        }
    }
    records, _ = parse_documents(documents)
    types = {"fiji": "countries", "ann": "people", "itu-name": "discrepancies"}
    found = notes_naming_unknown_discrepancies(records, types)
    assert found == [
        Problem(
            "x.yaml",
            "fiji",
            "note",
            "names discrepancy 'fiji-name', which is not a discrepancies record; did you mean "
            "'itu-name'?",
        ),
        Problem(
            "x.yaml",
            "ann",
            "evidence[0].note",
            "names discrepancy 'ann-title', which is not a discrepancies record",
        ),
        Problem(
            "x.yaml",
            "ann/posts[0]",
            "note",
            "names discrepancy 'post-x', which is not a discrepancies record",
        ),
    ]
    assert notes_naming_unknown_discrepancies(records, {**types, "fiji-name": "countries"})[0]


# -- more: what a curator sees when a record is half right -----------------------------------


def convert_unchecked(documents: dict, text: str = TEXT) -> Converter:
    """As the build does: records with problems are still converted, so that every
    problem is found in one run (never a traceback)."""
    records, _ = parse_documents(documents)
    source = Source(Path("r.txt"), {"id": "report-x"}, Report(text))
    return convert_all(converter_for(source, records), records)


def test_minted_iris_follow_their_documented_form():
    import hashlib

    def sha(*parts):
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]

    assert _hash("ann", "itu") == sha("ann", "itu")
    assert str(post_iri("ann", "itu", "")) == f"{ID}post/ann/itu-{sha('')[:6]}"
    graph = ok(
        {
            "d.yaml": {
                "organizations": organizations("itu"),
                "discrepancies": [discrepancy(("ITU", "Union (ITU)"), ("UIT", "UNICEF"))],
            }
        }
    )
    variants = {str(v) for v in graph.objects(ID["itu-name"], CG.variant)}
    assert variants == {f"{ID}variant/itu-name/{sha(v)[:8]}" for v in ("ITU", "UIT")}


def test_a_post_without_title_has_the_iri_of_an_empty_title():
    ann = person()
    del ann["posts"][0]["title"]
    graph = ok({"p.yaml": {"people": [ann], "organizations": organizations("itu")}})
    assert (post_iri("ann", "itu", ""), CG.holder, ID.ann) in graph


def test_evidence_iris_differ_between_reports():
    def evidence_of(document_id):
        records, _ = parse_documents({"o.yaml": {"organizations": organizations("itu")}})
        source = Source(Path("r.txt"), {"id": document_id}, Report(TEXT))
        converter = converter_for(source, records)
        converter.convert(records[0])
        return set(converter.graph.objects(ID.itu, CG.evidence))

    assert evidence_of("report-a").isdisjoint(evidence_of("report-b"))


def test_after_a_duplicate_id_the_next_records_are_still_known():
    documents = {
        "a.yaml": {"organizations": organizations("itu")},
        "b.yaml": {
            "countries": [{**countries("fiji")[0], "id": "itu"}, *countries("tonga")],
            "organizations": [{**organizations("unicef")[0], "country": "tonga"}],
        },
    }
    converter = convert_unchecked(documents)
    assert [p.field for p in converter.problems] == ["id", "country"]  # no 'unknown id'
    assert converter.problems[1].message.startswith("no quote states 'country: tonga'")
    assert all(p.file in ("a.yaml", "b.yaml") for p in converter.problems)


def test_problems_name_the_file_of_the_record():
    orgs = organizations("itu", kind="un-agencies")
    converter = convert({"o.yaml": {"organizations": orgs}})
    assert [p.file for p in converter.problems] == ["o.yaml"]


def test_an_unknown_reference_suggests_only_records_of_the_right_type():
    orgs = organizations("itu")
    orgs[0]["parent"] = "fijj"
    found = problems(convert({"o.yaml": {"organizations": orgs, "countries": countries("fiji")}}))
    assert ("itu", "parent", "unknown id 'fijj'") in found


def test_a_reference_of_the_wrong_type_names_every_type_allowed():
    programme = {
        "id": "prog",
        "label": "P",
        "within": "fiji",
        "evidence": [{"quote": "protect children", "supports": ["within"]}],
    }
    found = problems(
        convert({"p.yaml": {"programmes": [programme], "countries": countries("fiji")}})
    )
    assert found[0] == (
        "prog",
        "within",
        "'fiji' is a countries record, expected programmes or instruments",
    )


def test_every_quote_is_checked_after_a_missing_or_ambiguous_one():
    orgs = organizations("itu")
    orgs[0]["evidence"] = [
        {"quote": "not in the report at all"},
        {"quote": "The agreement was signed again."},
        {"quote": "The International Telecommunication Union (ITU)", "supports": ["kind"]},
    ]
    converter = convert({"o.yaml": {"organizations": orgs}})
    assert [p.field for p in converter.problems] == ["evidence[0].quote", "evidence[1].quote"]
    (fact,) = facts(converter.graph, ID.itu, CG.kind, SCHEMES["organization-kind"]["un-agency"])
    assert exacts(converter.graph, fact) == {"The International Telecommunication Union (ITU)"}


@pytest.mark.parametrize(
    "supports, message",
    [
        (["evidence"], "no field 'evidence'"),
        (["evidenc"], "no field 'evidenc'"),
        (["kind", "kidn", "ntoe"], "no field 'kidn'; did you mean 'kind'?"),
    ],
)
def test_supports_cannot_name_the_evidence_itself(supports, message):
    orgs = organizations("itu")
    orgs[0]["evidence"][0]["supports"] = supports
    found = problems(convert({"o.yaml": {"organizations": orgs}}))
    assert found[0] == ("itu", "evidence[0].supports", message)
    if len(supports) == 3:  # every bad entry is named, not only the first
        assert [f[2] for f in found] == [message, "no field 'ntoe'"]


def test_a_value_not_held_lists_the_values_the_record_holds():
    country = countries("fiji")
    country[0]["alt_labels"] = ["Viti", "Fidji"]
    country[0]["evidence"].append({"quote": "Fiji and Tonga", "supports": [{"alt_labels": "Fiji"}]})
    found = problems(convert({"c.yaml": {"countries": country}}))
    assert found == [
        (
            "fiji",
            "evidence[1].supports",
            "'alt_labels: Fiji' is not a value of this record's 'alt_labels' (Viti, Fidji)",
        )
    ]


def test_supports_of_a_field_with_no_value_are_each_named():
    orgs = organizations("itu")
    orgs[0]["evidence"][0]["supports"] = ["parent", "country", "kind"]
    found = problems(convert({"o.yaml": {"organizations": orgs}}))
    assert [f[2] for f in found] == [
        "'parent' has no value in this record",
        "'country' has no value in this record",
    ]


@pytest.mark.parametrize(
    "prop, message",
    [
        ("cg:titl", "'cg:titl' is no property of the ontology; did you mean 'cg:title'?"),
        (
            "id",
            "'id' is no field of a organizations record (nor a CURIE such as cg:title); did "
            "you mean 'kind'?",
        ),
        ("note", "'note' is no field of a organizations record (nor a CURIE such as cg:title)"),
        (
            "evidenc",
            "'evidenc' is no field of a organizations record (nor a CURIE such as cg:title)",
        ),
        ("nte", "'nte' is no field of a organizations record (nor a CURIE such as cg:title)"),
        ("idd", "'idd' is no field of a organizations record (nor a CURIE such as cg:title)"),
    ],
)
def test_a_discrepancy_property_message_suggests_only_what_may_differ(prop, message):
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [discrepancy(("A", "Union (ITU)"), ("B", "UNICEF"), prop=prop)],
        }
    }
    assert problems(convert(documents)) == [("itu-name", "property", message)]


def test_a_discrepancy_about_who_cites_an_instrument_names_the_inverse_property():
    instrument = {
        "id": "law",
        "label": "Act",
        "kind": "agreement",
        "evidence": ["signed an agreement"],
    }
    documents = {
        "d.yaml": {
            "instruments": [instrument],
            "discrepancies": [
                {
                    **discrepancy(("A", "Union (ITU)"), ("B", "UNICEF"), prop="cited_by"),
                    "about": "law",
                }
            ],
        }
    }
    converter = convert(documents)
    assert (ID["itu-name"], CG.property, CG.cites) in converter.graph


def test_a_variant_link_is_stated_by_the_variants_own_quote():
    documents = {
        "d.yaml": {
            "organizations": organizations("itu"),
            "discrepancies": [discrepancy(("ITU", "Union (ITU)"), ("UIT", "UNICEF signed"))],
        }
    }
    graph = ok(documents)
    for variant in graph.objects(ID["itu-name"], CG.variant):
        (fact,) = facts(graph, ID["itu-name"], CG.variant, variant)
        assert exacts(graph, fact) == exacts(graph, variant)
        assert exacts(graph, fact)


def test_half_written_records_give_problems_not_a_traceback():
    documents = {
        "x.yaml": {
            "people": [
                {
                    "id": "ann",
                    "name": "Ann Lee",
                    "evidence": ["Dr. Ann Lee"],
                    "posts": [{"organization": "itu"}],
                }
            ],
            "organizations": organizations("itu"),
            "sessions": [{**session(), "participants": []}],
            "events": [event()],
            "discrepancies": [{**discrepancy(), "variants": []}],
            "statements": [{"id": "st", "text": "Children deserve safety online"}],
        }
    }
    converter = convert_unchecked(documents)
    fields = {(p.record, p.field) for p in converter.problems}
    # a discrepancy with no variants is SHACL's to refuse (cgs:DiscrepancyShape)
    assert ("ann/posts[0]", "evidence") not in fields  # a parse problem, not found here
    assert not any(p.record == "st" for p in converter.problems)  # no speaker: nothing to check


def test_a_statement_with_an_unknown_speaker_is_one_problem():
    record = statement(speaker="nobody")
    found = problems(convert({"s.yaml": {**people_and_orgs(), "statements": [record]}}))
    assert found == [("st", "speaker", "unknown id 'nobody'")]


def test_the_speaker_is_found_at_the_very_start_of_a_report_without_headings():
    text = "Bob Ray spoke first. Then the words came.\n"
    bob = {"id": "bob", "name": "Bob Ray", "evidence": ["Bob Ray spoke"]}
    record = statement(speaker="bob", text="Then the words came.")
    graph = ok({"s.yaml": {"people": [bob], "statements": [record]}}, text)
    (fact,) = facts(graph, ID.st, CG.speaker, ID.bob)
    assert "('Bob Ray', line 1)" in str(graph.value(fact, CG.unnamedBecause))


def test_the_speaker_search_starts_at_the_heading_not_at_a_later_use_of_its_title():
    text = "1. Intro\nx\n2. Opening\nMr. Bob Ray said the Opening went well. Words here.\n"
    bob = {"id": "bob", "name": "Bob Ray", "evidence": ["Mr. Bob Ray"]}
    record = statement(speaker="bob", text="Words here.")
    assert ok({"s.yaml": {"people": [bob], "statements": [record]}}, text)


def test_the_last_of_several_people_named_is_the_speaker():
    text = "1. Intro\nAnn Lee met Bob Ray. Then Ann Lee said: Words here.\n"
    people = [
        {"id": "ann", "name": "Ann Lee", "evidence": ["Ann Lee met"]},
        {"id": "bob", "name": "Bob Ray", "evidence": ["Bob Ray"]},
    ]
    record = statement(speaker="ann", text="Words here.")
    assert ok({"s.yaml": {"people": people, "statements": [record]}}, text)


def test_a_quantity_quote_that_is_not_in_the_report_is_named_under_the_quantity():
    record = workshop({"wording": "Over 200", "min": 200, "evidence": ["Over 900 participants"]})
    found = problems(convert({"e.yaml": {"events": [record]}}))
    assert found[0][:2] == ("ws", "participants.evidence[0].quote")
    assert found[0][2].startswith("quote not found in the report: 'Over 900 participants'")


def test_a_figures_wording_must_be_in_its_own_quotes_not_anothers():
    figure = {
        "id": "fig",
        "description": "participants",
        "unit": "people",
        "wording": "Over 200",
        "evidence": ["attended the workshop"],
    }
    documents = {
        "f.yaml": {  # the event first: its quote is in the graph when the figure is checked
            "events": [workshop({"wording": "Over 200", "min": 200, "evidence": ["Over 200"]})],
            "figures": [figure],
        }
    }
    found = problems(convert(documents))
    assert ("fig", "wording", "'Over 200' is not in the record's quotes") in found


def test_the_hint_shows_eighty_characters_and_thirty_of_the_difference():
    report = Report("1. A\n" + "word " * 40 + "\n")
    assert _hint(report, "q" * 80) == "'" + "q" * 80 + "'"
    quote = "word " * 10 + "x" * 40
    hint = _hint(report, quote)
    assert hint.endswith(f"it differs from: '{'x' * 30}')")
    assert _hint(report, "y" * 81) == "'" + "y" * 77 + "...'"


def test_the_hint_gives_the_line_of_the_first_place_the_words_match():
    report = Report("1. A\nsome long shared words here\n2. B\nsome long shared words here too\n")
    assert "near line 2;" in _hint(report, "some long shared words here and more")


@pytest.mark.parametrize(
    "char, name",
    [
        ("\u0085", "U+0085 unnamed character"),  # a control character without a name
        ("\u1680", "U+1680 OGHAM SPACE MARK"),  # a space
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
        ("\u2011", "U+2011 NON-BREAKING HYPHEN"),  # a no-break form
        ("\ufb01", "U+FB01 LATIN SMALL LIGATURE FI"),  # a compatibility form
    ],
)
def test_each_kind_of_invisible_difference_is_named(char, name):
    assert invisible_characters(f"a{char}b") == (
        f"; it holds {name} at character 2, which the eye cannot tell apart"
    )


def test_after_an_unknown_reference_the_next_values_of_the_field_are_kept():
    partnership = {
        "id": "deal",
        "kind": "agreement",
        "organizations": ["itu", "nobody", "unicef"],
        "description": "an agreement",
        "evidence": [{"quote": "signed an agreement", "supports": ["kind", "organizations"]}],
    }
    documents = {
        "p.yaml": {"organizations": organizations("itu", "unicef"), "partnerships": [partnership]}
    }
    converter = convert(documents)
    assert [p[1] for p in problems(converter)] == ["organizations"]
    assert (ID.deal, CG.partnerOrganization, ID.unicef) in converter.graph


def test_people_listed_after_other_records_are_named_by_honorific_and_surname():
    text = "1. Opening\nDr. Lee opened the session. Words here.\n"
    documents = {
        "s.yaml": {
            "organizations": organizations("itu"),
            "people": [{"id": "ann", "name": "Ann Mary Lee", "evidence": ["Dr. Lee opened"]}],
            "statements": [statement(speaker="ann", text="Words here.")],
        }
    }
    graph = ok(documents, text.replace("Dr. Lee opened", "Dr. Lee opened") + TEXT)
    (fact,) = facts(graph, ID.st, CG.speaker, ID.ann)
    assert "('Dr. Lee', line 2)" in str(graph.value(fact, CG.unnamedBecause))


# -- which report a quote is from (a report's own records, and the shared ones) ---------------

OTHER_TEXT = "1. Pacific\nUNICEF Pacific met in Suva.\n"


def convert_in(home, documents: dict) -> Converter:
    """A converter with two reports, x (TEXT) and y (OTHER_TEXT), at home in ``home`` (None:
    the shared entities, whose quotes each name their report)."""
    records, found = parse_documents(documents)
    assert found == []
    sources = {
        "x": Source(Path("x.txt"), {"id": "report-x"}, Report(TEXT)),
        "y": Source(Path("y.txt"), {"id": "report-y"}, Report(OTHER_TEXT)),
    }
    converter = Converter(sources, home, SCHEMES_USED, records, PROPERTIES)
    return convert_all(converter, records)


def unicef(quote: str, report=None) -> dict:
    item = {"quote": quote, "supports": ["kind"], **({"report": report} if report else {})}
    return {"organizations": [{**organizations("unicef")[0], "evidence": [item]}]}


def test_a_reports_own_quote_may_name_its_report_or_not():
    for named in (None, "x"):
        converter = convert_in("x", {"o.yaml": unicef("UNICEF signed", named)})
        assert problems(converter) == []
        (quote,) = converter.graph.objects(ID.unicef, CG.evidence)
        assert converter.graph.value(quote, CG.inDocument) == ID["report-x"]


def test_a_report_record_quoting_another_report_belongs_in_shared():
    # (and the fact that quote was to state is then unquoted: a second line, about 'kind')
    assert problems(convert_in("x", {"o.yaml": unicef("UNICEF Pacific", "y")}))[0] == (
        "unicef",
        "evidence[0].report",
        "quotes report 'y' from within report 'x': a record that quotes another report "
        "(a discrepancy across reports) belongs in data/shared/",
    )


def test_a_shared_quote_is_found_in_the_report_it_names():
    converter = convert_in(None, {"o.yaml": unicef("UNICEF Pacific met", "y")})
    assert problems(converter) == []
    (quote,) = converter.graph.objects(ID.unicef, CG.evidence)
    assert converter.graph.value(quote, CG.inDocument) == ID["report-y"]
    assert converter.graph.value(quote, CG.line) == Literal(2)
    # the same words are not in report x: naming x is a quote not found
    fields = [p[1] for p in problems(convert_in(None, {"o.yaml": unicef("UNICEF Pacific", "x")}))]
    assert fields[0] == "evidence[0].quote"


def test_a_shared_quote_must_name_a_report_that_exists():
    assert problems(convert_in(None, {"o.yaml": unicef("UNICEF signed")}))[0] == (
        "unicef",
        "evidence[0].report",
        "a shared record's quote names the report it is from: add 'report: ID' (one of x, y)",
    )
    (record, field, message), *_ = problems(convert_in(None, {"o.yaml": unicef("UNICEF", "yy")}))
    assert (record, field) == ("unicef", "evidence[0].report")
    assert message.startswith("no report 'yy' in data/reports/") and "'y'" in message


def test_references_left_open_are_checked_against_every_report():
    from copgraph.build.convert import Reference

    known = {"itu": "organizations", "fiji": "countries", "fijian-law": "instruments"}
    open_refs = [
        Reference("a.yaml", "deal", "organizations", "itu", ("organizations",)),  # fine
        Reference("a.yaml", "deal", "organizations", "fiji", ("organizations",)),
        Reference("a.yaml", "out", "country", "fijj", ("countries",)),
        Reference("a.yaml", "st", "about", "nothing", ()),
        Reference("b.yaml", "name-d", "property", "itu", (), by_name=True),
        Reference("b.yaml", "name-e", "property", "gone", (), by_name=True),  # 'about' says it
    ]
    assert [(p.file, p.record, p.field, p.message) for p in check_references(open_refs, known)] == [
        ("a.yaml", "deal", "organizations", "'fiji' is a countries record, expected organizations"),
        ("a.yaml", "out", "country", "unknown id 'fijj'; did you mean 'fiji'?"),
        ("a.yaml", "st", "about", "unknown id 'nothing'"),
        (
            "b.yaml",
            "name-d",
            "property",
            "'itu' is a record of another report: name the property as a CURIE "
            "(cg:title, rdfs:label ...)",
        ),
    ]
