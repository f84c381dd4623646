"""Per-fact evidence: each fact is shown only with the quotes that state it."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal

from copgraph.build import BuildError, Paths, assemble
from copgraph.evidence import Report
from copgraph.namespaces import CG, ID, sparql_prologue
from copgraph.quality import QUALITY_DIR

COUNTRIES = """
countries:
  - id: thailand
    label: Thailand
    iso2: TH
    iso3: THA
    beneficiary: true
    evidence:
      - quote: "The beneficiary countries include Bhutan, Indonesia, Mongolia, Pakistan, Thailand and Cambodia."
        supports: [beneficiary]
"""

ORGANIZATIONS = """
organizations:
  - id: unicef-thailand
    label: UNICEF Thailand
    kind: un-agency
    country: thailand
    evidence:
      - quote: the UN2UN Agreement was fully signed between ITU and UNICEF Thailand
        supports: [country]
      - quote: UNRCO Thailand, UNICEF, UNODC, ILO, APT and ECPAT as the key partners with ITU
        supports: [kind]
      - quote: ITU and UNICEF Thailand have
"""


def _assemble(project, text):
    return assemble(Paths(root=project({"records.yaml": text + COUNTRIES})))


def _quotes_of_fact(graph, s, p, o):
    facts = [
        f
        for f in graph.subjects(RDF.subject, s)
        if (f, RDF.predicate, p) in graph and (f, RDF.object, o) in graph
    ]
    assert len(facts) == 1, f"one fact node for {s} {p} {o}, found {len(facts)}"
    return {str(graph.value(e, CG.exact)) for e in graph.objects(facts[0], CG.evidence)}


def test_a_fact_carries_only_the_quotes_that_support_it(project):
    graph = _assemble(project, ORGANIZATIONS).graph
    org = ID["unicef-thailand"]
    assert _quotes_of_fact(graph, org, CG.country, ID.thailand) == {
        "the UN2UN Agreement was fully signed between ITU and UNICEF Thailand"
    }
    # the plain quote names the record; quotes listed under supports do not
    naming = {str(graph.value(e, CG.exact)) for e in graph.objects(org, CG.evidence)}
    assert naming == {"ITU and UNICEF Thailand have"}


def test_a_fact_without_a_quote_that_states_it_is_refused(project):
    text = ORGANIZATIONS.replace("        supports: [country]\n", "")
    with pytest.raises(BuildError) as caught:
        _assemble(project, text)
    report = caught.value.report()
    assert "record 'unicef-thailand', field 'country': no quote states 'country: thailand'" in (
        report
    )


def test_supports_must_name_a_field_and_value_of_the_record(project):
    text = ORGANIZATIONS.replace("supports: [country]", "supports: [country, {parent: unicef}]")
    text = text.replace("supports: [kind]", "supports: [kind, contry]")
    with pytest.raises(BuildError) as caught:
        _assemble(project, text)
    report = caught.value.report()
    assert "evidence[0].supports': 'parent' has no value in this record" in report
    assert "evidence[1].supports': no field 'contry'; did you mean 'country'" in report


def test_supports_one_value_of_a_many_valued_field(project):
    text = """
programmes:
  - id: cop
    label: COP for Asia-Pacific
    beneficiaries: [thailand, bhutan]
    evidence:
      - quote: "The beneficiary countries include Bhutan, Indonesia, Mongolia, Pakistan, Thailand and Cambodia."
        supports:
          - beneficiaries: thailand
      - quote: developing tailored and localized national COP guidelines for Bhutan and Cambodia
"""
    bhutan = """
  - id: bhutan
    label: Bhutan
    iso2: BT
    iso3: BTN
    beneficiary: false
    evidence:
      - quote: national COP guidelines for Bhutan
"""

    def build(programmes):
        curated = {"records.yaml": programmes + COUNTRIES + bhutan}
        return assemble(Paths(root=project(curated)))

    with pytest.raises(BuildError) as caught:
        build(text)
    assert "no quote states 'beneficiaries: bhutan'" in caught.value.report()
    fixed = text.replace(
        "guidelines for Bhutan and Cambodia\n",
        "guidelines for Bhutan and Cambodia\n        supports: [{beneficiaries: bhutan}]\n",
    )
    graph = build(fixed).graph
    quotes = _quotes_of_fact(graph, ID.cop, CG.beneficiaryCountry, ID.bhutan)
    assert quotes == {
        "developing tailored and localized national COP guidelines for Bhutan and Cambodia"
    }


def test_a_compact_record_is_stated_whole_by_each_quote(project):
    text = """
organizations:
  - id: itu
    label: International Telecommunication Union
    kind: un-agency
    evidence:
      - quote: Regional Director for Asia and the Pacific, ITU
        section: "4.1.1"
        supports: [label, kind]
people:
  - id: atsuko-okuda
    name: Atsuko Okuda
    evidence:
      - quote: Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened
    posts:
      - title: Regional Director for Asia and the Pacific
        organization: itu
        evidence:
          - quote: Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened
"""
    graph = _assemble(project, text).graph
    post = next(graph.subjects(CG.holder, ID["atsuko-okuda"]))
    assert _quotes_of_fact(graph, post, CG.organization, ID.itu) == {
        "Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened"
    }
    assert _quotes_of_fact(graph, post, CG.holder, ID["atsuko-okuda"])


def test_unnamed_reason_is_kept_on_the_fact(project):
    text = ORGANIZATIONS.replace(
        "        supports: [kind]\n",
        "        supports: [kind]\n        unnamed: the list names UN bodies\n",
    )
    graph = _assemble(project, text).graph
    reasons = set(graph.objects(None, CG.unnamedBecause))
    assert reasons == {Literal("the list names UN bodies")}


def test_unnamed_without_supports_is_refused(project):
    text = ORGANIZATIONS.replace(
        "      - quote: ITU and UNICEF Thailand have\n",
        "      - quote: ITU and UNICEF Thailand have\n        unnamed: because\n",
    )
    with pytest.raises(BuildError) as caught:
        _assemble(project, text)
    assert "'unnamed' goes with 'supports'" in caught.value.report()


def test_quotes_of_one_sentence_share_its_number():
    report = Report(
        "1. Intro\nDr. Okuda said ITU and UNICEF signed. Then ITU met ECPAT.\n\n"
        "\uf0b7 A bullet without a stop\n\uf0b7 Another bullet\n"
    )
    short, long_, other = (
        report.find(q)[0].sentence
        for q in ("UNICEF signed", "Dr. Okuda said ITU and UNICEF", "met ECPAT")
    )
    assert short == long_ != other
    bullets = {report.find(q)[0].sentence for q in ("A bullet", "Another bullet")}
    assert len(bullets) == 2


def test_a_statement_is_checked_against_the_person_named_before_it(project):
    people = """
people:
  - id: yu-cheng
    name: Yu Cheng
    evidence:
      - quote: Ms. Yu Cheng, Project Officer, ITU Regional Office for Asia and the Pacific
        section: "5"
  - id: atsuko-okuda
    name: Atsuko Okuda
    evidence:
      - quote: Dr. Atsuko Okuda, Regional Director for Asia and the Pacific, ITU. She opened
statements:
  - id: okuda-opening
    speaker: SPEAKER
    text: She opened the workshop
"""
    graph = _assemble(project, people.replace("SPEAKER", "atsuko-okuda")).graph
    fact = next(graph.subjects(RDF.object, ID["atsuko-okuda"]))
    assert "Atsuko Okuda" in str(graph.value(fact, CG.unnamedBecause))
    with pytest.raises(BuildError) as caught:
        _assemble(project, people.replace("SPEAKER", "yu-cheng"))
    assert "names last before these words is 'Atsuko Okuda'" in caught.value.report()


def test_every_fact_of_the_report_has_a_quote_and_an_asserted_triple(graph):
    facts = set(graph.subjects(RDF.type, CG.Fact))
    assert len(facts) > 1000
    for fact in facts:
        s, p, o = (graph.value(fact, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in graph, fact
        assert graph.value(fact, CG.evidence) is not None, fact


def test_a_note_naming_a_discrepancy_that_does_not_exist_fails_the_build(project):
    text = COUNTRIES.replace(
        "    beneficiary: true\n",
        "    beneficiary: true\n    note: the count differs (see discrepancy beneficiary-count)\n",
    )
    with pytest.raises(BuildError) as caught:
        assemble(Paths(root=project({"records.yaml": text})))
    assert (
        "record 'thailand', field 'note': names discrepancy 'beneficiary-count', which is not a "
        "discrepancies record"
    ) in caught.value.report()


NEITHER = QUALITY_DIR / "facts-whose-quotes-name-neither-side.rq"


def _neither_rows(graph):
    return {
        (str(r.subject).rsplit("/", 1)[-1], str(r.object).rsplit("/", 1)[-1])
        for r in graph.query(sparql_prologue() + NEITHER.read_text(encoding="utf-8"))
    }


def test_the_quality_check_flags_a_quote_that_names_neither_side(project):
    text = (
        ORGANIZATIONS
        + """
  - id: un
    label: United Nations
    acronym: UN
    kind: unstated
    evidence:
      - quote: UNRCO Thailand, UNICEF, UNODC, ILO, APT and ECPAT as the key partners with ITU
        supports: [label, kind]
partnerships:
  - id: tie
    kind: support
    organizations: [unicef-thailand, un]
    description: a tie
    evidence:
      - quote: the UN2UN Agreement was fully signed between ITU and UNICEF Thailand
        supports: [kind, {organizations: unicef-thailand}]
      - quote: UNRCO Thailand, UNICEF, UNODC, ILO, APT and ECPAT as the key partners with ITU
        supports: [{organizations: un}]
"""
    )
    graph = _assemble(project, text).graph
    # "UN" inside "UNICEF" or "UNRCO" does not name the United Nations
    assert _neither_rows(graph) == {("tie", "un")}
    explained = text.replace(
        "        supports: [{organizations: un}]\n",
        "        supports: [{organizations: un}]\n        unnamed: a made-up reason\n",
    )
    assert _neither_rows(_assemble(project, explained).graph) == set()
