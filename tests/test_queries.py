"""The query layer: named queries, three stores, safe parameters, clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from copgraph.catalog import QueryError, load_catalog
from copgraph.kg import KnowledgeGraph, UndefinedTermWarning, open_graph
from copgraph.store import EndpointStore, StoreError

from .conftest import run_cli

#: For a query whose header gives no example (evidence.rq is the lead's file).
FALLBACK = {"subject": "atsuko-okuda"}


def example(named) -> dict[str, str]:
    return named.example or {p.name: FALLBACK[p.name] for p in named.params if p.required}


def run_catalog(kg: KnowledgeGraph) -> dict[str, list]:
    results = {}
    for name, named in load_catalog().items():
        frame = kg.query(name, **example(named))
        # exactly the header's columns: what `copgraph queries` and the README list
        assert list(frame.columns) == named.columns, name
        results[name] = sorted(map(repr, frame.values.tolist()))
    return results


@pytest.fixture(scope="module")
def kg_endpoint(oxigraph_server):
    from copgraph.kg import load_endpoint

    load_endpoint(oxigraph_server)
    return open_graph(oxigraph_server)


def test_catalog_headers_are_complete():
    catalog = load_catalog()
    expected = {
        "people",
        "organizations",
        "members-of",
        "countries",
        "country-profile",
        "outputs",
        "outputs-by-country",
        "events",
        "agenda",
        "speakers",
        "partners-of",
        "partnerships",
        "figures",
        "topics",
        "who-raised",
        "evidence",
        "stakeholder-mix",
        "about",
        "instruments",
        "discrepancies",
        "topics-of",
    }
    assert expected <= set(catalog)
    for named in catalog.values():
        assert named.title and named.description and named.columns
        # an explained column is a real column; a documented example names real parameters
        assert set(named.explained) <= set(named.columns), named.name
        assert all(named.param(k) for k in named.example), named.name
        assert set(dict(named.zipped)) | named.lists <= set(named.columns), named.name


def test_every_named_query_returns_the_same_rows_on_every_store(
    kg_rdflib, kg_oxigraph, kg_endpoint, tmp_path
):
    persisted = open_graph(f"oxigraph:{tmp_path / 'store'}")
    reference = run_catalog(kg_rdflib)
    assert sum(len(rows) for rows in reference.values()) > 50
    for kg in (kg_oxigraph, kg_endpoint, persisted):
        assert run_catalog(kg) == reference, kg.store.name
    persisted.close()


def test_a_persisted_store_reopens_without_reloading(tmp_path):
    folder = tmp_path / "store"
    first = open_graph(f"oxigraph:{folder}")
    count = len(first.query("organizations"))
    first.close()
    messages = []
    again = open_graph(f"oxigraph:{folder}", progress=messages.append)
    assert messages == [], "an unchanged graph is not loaded again"
    assert len(again.query("organizations")) == count


def test_partners_of_itu_names_australia_with_the_quote(kg_oxigraph):
    frame = kg_oxigraph.query("partners-of", org="itu")
    row = frame[frame.partner == "id:government-of-australia"].iloc[0]
    assert row.kind == "funding"
    assert "funded a project on COP for the Asia-Pacific region in June 2019" in row.quote


def test_parameters_accept_ids_acronyms_and_labels(kg_oxigraph):
    by_id = kg_oxigraph.query("members-of", org="unicef-mongolia")
    by_label = kg_oxigraph.query("members-of", org="UNICEF Mongolia")
    assert by_id.equals(by_label)
    assert "Ayako Kaino" in set(by_id.name)
    # sub-organizations count as members of their parent
    assert "Ayako Kaino" in set(kg_oxigraph.query("members-of", org="UNICEF").name)


def test_people_lists_one_row_per_post_with_country(kg_oxigraph):
    frame = kg_oxigraph.query("people")
    kaino = frame[frame.name == "Ayako Kaino"].iloc[0]
    assert (kaino.honorific, kaino.title, kaino.organization, kaino.country) == (
        "Ms.",
        "Deputy Representative",
        "id:unicef-mongolia",
        "MN",
    )


def test_countries_marks_the_six_beneficiaries(kg_oxigraph):
    frame = kg_oxigraph.query("countries")
    beneficiaries = set(frame[frame.beneficiary == True].iso2)  # noqa: E712
    assert beneficiaries == {"BT", "ID", "MN", "PK", "TH", "KH"}
    assert set(frame[frame.iso2 == "PH"].beneficiary) == {False}


def test_country_profile_accepts_iso_codes_and_names(kg_oxigraph):
    by_code = kg_oxigraph.query("country-profile", country="MN")
    assert by_code.equals(kg_oxigraph.query("country-profile", country="MNG"))
    assert by_code.equals(kg_oxigraph.query("country-profile", country="Mongolia"))
    assert "id:unicef-mongolia" in set(by_code.item)


def test_agenda_gives_times_with_the_agenda_time_zone(kg_oxigraph):
    frame = kg_oxigraph.query("agenda")
    opening = frame[frame.session == "id:opening-segment"].iloc[0]
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert (opening.start, opening.end) == (
        dt.datetime(2023, 12, 7, 9, 0, tzinfo=bangkok),
        dt.datetime(2023, 12, 7, 9, 30, tzinfo=bangkok),
    )
    assert opening.moderator == ["Yu Cheng"]


def test_speakers_of_one_session(kg_oxigraph):
    frame = kg_oxigraph.query("speakers", session="opening")
    roles = dict(zip(frame.name, frame.role, strict=True))
    assert roles["Atsuko Okuda"] == "welcome remarks"
    assert roles["Pauline Ross"] == "special address"
    assert set(frame.session) == {"id:opening-segment"}


def test_events_filter_by_partial_dates(kg_oxigraph):
    frame = kg_oxigraph.query("events", **{"from": "2023-12", "to": "2023-12"})
    assert "id:concluding-workshop" in set(frame.event)
    workshop = frame[frame.event == "id:concluding-workshop"].iloc[0]
    assert (workshop.participants, workshop.participants_value) == (
        "a total of 50 participants",
        50,
    )
    assert kg_oxigraph.query("events", to="2019").empty


def test_evidence_reaches_the_quotes_behind_a_person(kg_oxigraph):
    frame = kg_oxigraph.query("evidence", subject="Atsuko Okuda")
    assert {"4.1.1", "5"} <= set(frame.section)
    assert any("Regional Director for Asia and the Pacific" in q for q in frame.quote)


def test_injection_is_matched_literally_and_changes_nothing(kg_rdflib, kg_oxigraph):
    evil = ['x" } ; DROP ALL ; #', "<http://evil>", "') } DELETE WHERE { ?s ?p ?o } #"]
    for kg in (kg_rdflib, kg_oxigraph):
        before = len(kg.query("organizations"))
        for value in evil:
            with pytest.raises(QueryError, match="no organization is called"):
                kg.query("partners-of", org=value)
            # a string parameter is bound as a literal: it simply matches no kind
            assert kg.query("outputs", kind=value).empty
        assert len(kg.query("organizations")) == before


def test_errors_are_clear(kg_oxigraph):
    with pytest.raises(QueryError, match="did you mean partners-of"):
        kg_oxigraph.query("partner-of")
    with pytest.raises(QueryError, match="needs the keyword argument org="):
        kg_oxigraph.query("partners-of")
    with pytest.raises(QueryError, match="has no keyword argument 'organisation'"):
        kg_oxigraph.query("partners-of", organisation="itu")
    with pytest.raises(QueryError, match="ISO 8601"):
        kg_oxigraph.query("events", **{"from": "last year"})
    with pytest.raises(QueryError, match="line 2, column"):
        kg_oxigraph.sparql("SELECT ?s\nWHERE { ?s ?p }")
    with pytest.raises(QueryError, match="Update is refused"):
        kg_oxigraph.sparql("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="SERVICE"):
        kg_oxigraph.sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_unknown_names_list_close_matches(kg_oxigraph):
    # 'ITU' names ITU itself only; a bare word shared by several nodes is ambiguous
    with pytest.raises(QueryError, match="close matches"):
        kg_oxigraph.query("members-of", org="unicef mongol")


def test_an_unreachable_endpoint_says_so_with_its_url():
    with pytest.raises(
        StoreError, match=r"cannot reach the SPARQL endpoint http://127\.0\.0\.1:9/query"
    ):
        EndpointStore("http://127.0.0.1:9", timeout=2).select("SELECT * WHERE { ?s ?p ?o }")


def test_sparql_returns_frames_booleans_and_graphs(kg_oxigraph):
    frame = kg_oxigraph.sparql("SELECT ?name WHERE { ?p a cg:Person ; rdfs:label ?name }")
    assert "Atsuko Okuda" in set(frame.name)
    assert kg_oxigraph.sparql("ASK { id:itu a cg:Organization }") is True
    graph = kg_oxigraph.sparql("DESCRIBE id:itu")
    assert len(graph) > 3
    full = kg_oxigraph.sparql("SELECT ?o WHERE { ?o a cg:Organization }", full_iris=True)
    assert all(v.startswith("https://w3id.org/copgraph/id/") for v in full.o)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_csv_and_json_parse_back_to_the_same_table(kg_oxigraph, fmt):
    result = run_cli("query", "people", "--format", fmt)
    assert result.returncode == 0, result.stderr
    expected = kg_oxigraph.query("people").fillna("")
    if fmt == "csv":
        parsed = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
        # text formats write booleans as RDF does, so no reader mistakes "False" for true
        expected["former"] = expected["former"].map({False: "false", True: "true"})
    else:
        parsed = pd.DataFrame(json.loads(result.stdout)).fillna("").astype(str)
    assert list(parsed.columns) == list(expected.columns)
    assert parsed.values.tolist() == expected.astype(str).values.tolist()


def test_cli_errors_exit_non_zero_without_traceback():
    cases = [
        (["query", "partner-of"], "did you mean"),
        (["query", "partners-of", "--param", "org"], "NAME=VALUE"),
        (["query", "partners-of", "-p", "org=nobody-at-all"], "no organization is called"),
        (["query", "partners-of"], "pass --param org=VALUE"),
        (["query", "partners-of", "-p", "organisation=itu"], "--param org=..."),
        (["query", "topics-of"], "needs one of --param org=VALUE or --param person=VALUE"),
        (["sparql", "SELECT ?s WHERE { ?s ?p"], "syntax error at line 1"),
        (["sparql", "CLEAR DEFAULT"], "Update is refused"),
        (["query", "people", "--store", "http://127.0.0.1:9/query"], "cannot reach"),
        (["query", "people", "--store", "mysql"], "unknown store"),
    ]
    for args, words in cases:
        result = run_cli(*args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert words in result.stderr, (args, result.stderr)


def test_cli_table_shows_a_row_count():
    result = run_cli("query", "partners-of", "--param", "org=itu")
    assert result.returncode == 0, result.stderr
    expected = len(open_graph("oxigraph").query("partners-of", org="itu"))
    assert result.stdout.rstrip().splitlines()[-1] == f"({expected} rows)"
    assert "funding" in result.stdout


def test_cli_load_uploads_to_a_server_that_then_answers(oxigraph_server, kg_oxigraph):
    loaded = run_cli("load", "--store", oxigraph_server)
    assert loaded.returncode == 0, loaded.stderr
    assert f"into {oxigraph_server}" in loaded.stdout
    result = run_cli(
        "query",
        "partners-of",
        "-p",
        "org=ITU",
        "--store",
        f"{oxigraph_server}/query",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    served = {row["partner"] for row in json.loads(result.stdout)}
    assert served == set(kg_oxigraph.query("partners-of", org="itu").partner)


def test_a_name_shared_by_two_nodes_is_refused_with_both_ids(kg_oxigraph):
    # two people hold a post titled "Executive Director": the evidence query cannot guess
    with pytest.raises(QueryError, match="names more than one node") as caught:
        kg_oxigraph.query("evidence", subject="Executive Director")
    assert "guillaume-landry" in str(caught.value) and "qindeel-shujaat" in str(caught.value)


# -- typed results ---------------------------------------------------------------------------


def test_cells_are_typed_lists_ints_and_dates(kg_oxigraph, kg_rdflib):
    for kg in (kg_oxigraph, kg_rdflib):
        countries = kg.query("countries")
        assert all(type(n) is int for n in countries.outputs), kg.store.name
        figures = kg.query("figures").set_index("figure")
        assert type(figures.loc["id:bhutan-fgd-count", "value"]) is int
        outputs = kg.query("outputs", kind="translated guideline")
        assert all(isinstance(cell, list) for cell in outputs.country)
        indonesian = outputs[outputs.output == "id:guidelines-indonesian"].iloc[0]
        assert indonesian.country == ["ID"] and indonesian.partners == []


def test_the_cli_prints_numbers_and_lists_for_people():
    table = run_cli("query", "figures", "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    count = next(r for r in rows if r["figure"] == "id:bhutan-fgd-count")
    assert count["value"] == "10"  # not 10.0
    assert not any(v.endswith(".0") for r in rows for v in (r["value"], r["min"], r["max"]))
    data = json.loads(run_cli("query", "outputs", "-p", "country=ID", "--format", "json").stdout)
    assert all(isinstance(r["country"], list) and "ID" in r["country"] for r in data)


def test_select_star_keeps_the_query_order_on_every_store(kg_rdflib, kg_oxigraph, kg_endpoint):
    text = "SELECT * WHERE { ?org a cg:Organization ; rdfs:label ?label ; cg:kind ?kind }"
    for kg in (kg_rdflib, kg_oxigraph, kg_endpoint):
        assert list(kg.sparql(text).columns) == ["org", "label", "kind"], kg.store.name


def test_a_misspelt_ontology_term_warns_with_the_nearest(kg_oxigraph):
    with pytest.warns(UndefinedTermWarning, match="cg:parent is not.*cg:parentOrganization"):
        kg_oxigraph.sparql("SELECT ?o ?p WHERE { ?o cg:parent ?p }")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # defined terms, and cg: inside a string, are fine
        kg_oxigraph.sparql('SELECT ?o WHERE { ?o cg:parentOrganization ?p FILTER(?o != "cg:x") }')
    result = run_cli("sparql", "SELECT ?o WHERE { ?o cg:organisation ?p }")
    assert result.returncode == 0 and "warning: cg:organisation" in result.stderr
    assert "did you mean cg:organization?" in result.stderr


# -- forgiving parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "3",
        "session-3",
        "Session 3",
        "  session   3 ",
        "industry",
        "Panel discussion with Industries on \u201cPreventative measures on protecting "
        "children online.\u201d",
        'panel discussion with industries on "preventative measures on protecting children online"',
        "Preventative Measures on Protecting Children Online",
    ],
)
def test_a_session_is_found_by_number_words_or_title_in_any_quote_style(kg_oxigraph, value):
    assert str(kg_oxigraph.resolve("session", value, "Session")).endswith("/session-3")


def test_an_ambiguous_value_lists_what_it_could_mean_as_labelled(kg_oxigraph):
    with pytest.raises(QueryError, match="names more than one organization") as caught:
        kg_oxigraph.query("partners-of", org="government")
    assert "government-of-australia (Government of Australia)" in str(caught.value)


def test_close_matches_are_spelt_as_labelled(kg_oxigraph):
    with pytest.raises(QueryError, match="close matches") as caught:
        kg_oxigraph.query("members-of", org="unicef mongol")
    assert "unicef-mongolia (UNICEF Mongolia)" in str(caught.value)


# -- the new questions -----------------------------------------------------------------------


def test_about_a_country_gives_each_fact_with_only_its_own_quotes(kg_oxigraph):
    frame = kg_oxigraph.query("about", subject="Thailand")
    assert frame.equals(kg_oxigraph.query("about", subject="TH"))
    facts = set(zip(frame.direction, frame.property, frame.value, strict=True))
    assert ("out", "cg:iso2", "TH") in facts
    assert ("in", "cg:country", "id:unicef-thailand") in facts  # an office in Thailand
    introduced = set(kg_oxigraph.query("evidence", subject="thailand").quote)
    for row in frame.itertuples():
        assert len(row.quotes) == len(row.sections) == len(row.lines)
        assert all(isinstance(line, int) for line in row.lines)
        if row.property in ("rdf:type", "rdfs:label", "skos:altLabel"):
            assert set(row.quotes) <= introduced and row.quotes, row
        else:  # a fact's quotes are those of its cg:Fact node, never the record's
            assert set(row.quotes) == fact_quotes(kg_oxigraph, row), row


def fact_quotes(kg, row) -> set[str]:
    subject, obj = (
        ("id:thailand", row.value) if row.direction == "out" else (row.value, "id:thailand")
    )
    if not str(obj).startswith(("id:", "cg:", "topic:")):
        return {  # a literal value: compare the lexical form
            q
            for q, o in kg.sparql(
                f"SELECT ?q ?o WHERE {{ ?f rdf:subject {subject} ; rdf:predicate {row.property} ;"
                " rdf:object ?o ; cg:evidence/cg:exact ?q }"
            ).itertuples(index=False)
            if str(o) == str(row.value) or o == row.value
        }
    found = kg.sparql(
        f"SELECT ?q WHERE {{ ?f rdf:subject {subject} ; rdf:predicate {row.property} ;"
        f" rdf:object {obj} ; cg:evidence/cg:exact ?q }}"
    )
    return set(found.q)


def test_about_a_person_shows_their_posts_and_statements(kg_oxigraph):
    frame = kg_oxigraph.query("about", subject="pauline ross.")
    posts = frame[frame.property == "cg:holder"]
    assert "Online Safety Branch" in posts.value_label.iloc[0]
    said = frame[frame.property == "cg:speaker"].value_label
    assert any("cyberbullying" in text for text in said)


def test_instruments_say_who_cites_them_and_where(kg_oxigraph):
    frame = kg_oxigraph.query("instruments").set_index("instrument")
    act = frame.loc["id:australian-act-esafety"]
    assert (act.kind, act.jurisdiction) == ("law", "AU")
    assert act.cited_by == ["id:pauline-ross"] and act.cited_by_names == ["Pauline Ross"]
    assert act.sessions == ["id:opening-segment"] and act.sections == ["4.1.2"]
    assert act.issuers == [] and act.issuer_names == []  # the report names no issuer
    assert "E-Safety Commissioner" in act.quote


def test_discrepancies_give_each_variant_with_its_quote(kg_oxigraph):
    frame = kg_oxigraph.query("discrepancies")
    fgd = frame[frame.discrepancy == "id:fgd-acronym"].set_index("value")
    assert set(fgd.index) == {"FDGs", "FGDs"}
    assert fgd.loc["FDGs", "quotes"] == ["focus group discussions (FDGs)"]
    assert fgd.loc["FGDs", "quotes"] == ["The insights derived from the FGDs"]
    assert set(fgd.property) == {"rdfs:label"}  # two spellings of a name


def test_topics_of_an_organization_include_its_offices(kg_oxigraph):
    unicef = kg_oxigraph.query("topics-of", org="UNICEF")
    assert {"Ayako Kaino", "Mark Kavenagh"} <= set(unicef.name)  # UNICEF Mongolia, UNICEF
    assert "cyberbullying" in set(unicef.topic_label)
    kaino = kg_oxigraph.query("topics-of", person="Ayako Kaino")
    assert set(kaino.statement) <= set(unicef.statement) and set(kaino.name) == {"Ayako Kaino"}
    with pytest.raises(QueryError, match="only one of"):
        kg_oxigraph.query("topics-of", org="UNICEF", person="Ayako Kaino")


def test_figures_carry_their_quote_and_section(kg_oxigraph):
    frame = kg_oxigraph.query("figures").set_index("figure")
    row = frame.loc["id:bhutan-fgd-count"]
    assert row.sections == ["4.2.1"]
    assert any(row.wording.lower() in q.lower() for q in row.quotes)
    assert row.subject_label.startswith("Focus group discussions")
    assert (row.stated_by, row.stated_by_label) == ("id:yu-cheng", "Yu Cheng")
    # a figure nobody is said to state has no speaker's name either
    assert all(
        (who is None) == (name is None)
        for who, name in zip(frame.stated_by, frame.stated_by_label, strict=True)
    )


def test_people_show_the_top_level_organization_beside_the_unit(kg_oxigraph):
    frame = kg_oxigraph.query("people")
    ross = frame[frame.name == "Pauline Ross"].iloc[0]
    assert ross.organization_label == "Online Safety Branch"
    assert ross.top_organization == "id:government-of-australia"
    assert set(frame.former) == {False}
    everything = kg_oxigraph.query("people", former="yes")
    former = kg_oxigraph.query("people", former="only")
    assert len(everything) >= len(frame) and set(former.former) <= {True, None}
    with pytest.raises(QueryError, match="must be one of yes, only"):
        kg_oxigraph.query("people", former="maybe")


def test_outputs_filter_by_partial_dates(kg_oxigraph):
    every = kg_oxigraph.query("outputs")
    since = kg_oxigraph.query("outputs", since="2023-02", until="2023-06")
    assert 0 < len(since) < len(every)
    # a partial date ("2023") is compared at its own precision
    assert all("2023-02"[: len(d)] <= d[:7] <= "2023-06" for d in since.date), list(since.date)
    assert kg_oxigraph.query("outputs", until="2018").empty
    assert "id:guidelines-indonesian" in set(since.output)  # 2023-02-08


def test_partners_of_filters_by_country(kg_oxigraph):
    frame = kg_oxigraph.query("partners-of", org="itu", country="Mongolia")
    assert "id:unicef-mongolia" in set(frame.partner)
    assert "id:government-of-australia" not in set(frame.partner)
    assert len(frame) < len(kg_oxigraph.query("partners-of", org="itu"))


def test_help_and_queries_start_without_the_heavy_libraries(tmp_path):
    code = (
        "import sys\n"
        "from copgraph.cli import main\n"
        "for args in (['--help'], ['queries'], ['query', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('rdflib', 'pandas', 'numpy', 'pyoxigraph', 'networkx', 'pyvis')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
    assert "copgraph query about -p subject=Thailand" in result.stdout


def test_stats_reads_the_built_graph_without_building_again(monkeypatch, kg_oxigraph):
    from click.testing import CliRunner

    import copgraph.build.pipeline
    from copgraph.cli import main

    def refuse(*args, **kwargs):
        raise AssertionError("stats must not assemble or validate again")

    monkeypatch.setattr(copgraph.build.pipeline, "assemble", refuse)
    monkeypatch.setattr(copgraph.build.pipeline, "validate_shapes", refuse)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    people = len(kg_oxigraph.query("people").person.unique())
    assert re.search(rf"Person\s+{people}\s", result.output)


# -- what the report does not state yet: former posts, hubs, issuers, speakers of figures ----

SMALL = """
@prefix cg: <https://w3id.org/copgraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix id: <https://w3id.org/copgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:agency a cg:Organization ; rdfs:label "Agency" .
id:branch a cg:Organization ; rdfs:label "Branch" ; cg:parentOrganization id:agency .
id:other a cg:Organization ; rdfs:label "Other" .
id:third a cg:Organization ; rdfs:label "Third" .
id:ann a cg:Person ; rdfs:label "Ann" .
id:post-now a cg:Post ; cg:holder id:ann ; cg:organization id:branch ; cg:title "Head" .
id:post-before a cg:Post ; cg:holder id:ann ; cg:organization id:other ; cg:title "Adviser" ;
    cg:former true .
id:star a cg:Partnership ; cg:kind id:k ; cg:description "a star" ; cg:hub id:agency ;
    cg:partnerOrganization id:agency, id:other, id:third .
id:k skos:prefLabel "collaboration" .
id:law a cg:Instrument ; rdfs:label "Law" ; cg:kind id:lawkind ; cg:issuer id:agency, id:other .
id:lawkind skos:prefLabel "law" .
id:n a cg:Figure ; cg:unit "people" ; cg:wording "ten people" ; cg:value 10 ;
    cg:statedBy id:ann .
id:star cg:evidence id:quote . id:law cg:evidence id:quote . id:n cg:evidence id:quote .
id:quote a cg:Evidence ; cg:exact "Ann said ten people" ; cg:section "1" ; cg:line 3 .
id:star-other a cg:Fact ; rdf:subject id:star ; rdf:predicate cg:partnerOrganization ;
    rdf:object id:other ; cg:evidence id:partners .
id:star-third a cg:Fact ; rdf:subject id:star ; rdf:predicate cg:partnerOrganization ;
    rdf:object id:third ; cg:evidence id:partners .
id:star-agency a cg:Fact ; rdf:subject id:star ; rdf:predicate cg:partnerOrganization ;
    rdf:object id:agency ; cg:evidence id:partners .
id:partners a cg:Evidence ; cg:exact "Other and Third, the partners of Agency" ; cg:section "2" ;
    cg:line 4 .
"""


@pytest.fixture(scope="module")
def small_graphs():
    from rdflib import Graph

    from copgraph.store import OxigraphStore, RdflibStore

    graph = Graph().parse(data=SMALL, format="turtle")
    ox_store = OxigraphStore()
    ox_store.load_ntriples(graph.serialize(format="nt"))
    return [KnowledgeGraph(RdflibStore(graph)), KnowledgeGraph(ox_store)]


def test_former_posts_show_only_when_asked(small_graphs):
    for kg in small_graphs:
        now = kg.query("people")
        assert list(zip(now.title, now.former, now.top_organization, strict=True)) == [
            ("Head", False, "id:agency")
        ]
        both = kg.query("people", former="yes")
        assert sorted(zip(both.title, both.former, strict=True)) == [
            ("Adviser", True),
            ("Head", False),
        ]
        assert list(kg.query("people", former="only").title) == ["Adviser"]
        assert list(kg.query("members-of", org="Agency").name) == ["Ann"]  # via the branch
        assert kg.query("members-of", org="Other").empty
        assert list(kg.query("members-of", org="Other", former="yes").former) == [True]


def test_a_hub_is_the_partner_of_each_party_the_parties_not_of_each_other(small_graphs):
    for kg in small_graphs:
        partners = kg.query("partners-of", org="Agency")
        assert set(partners.partner) == {"id:other", "id:third"}
        # the quote shown is the partner's own fact's, never the partnership's other quotes
        assert set(partners.quote) == {"Other and Third, the partners of Agency"}
        assert set(kg.query("partners-of", org="Other").partner) == {"id:agency"}


def test_issuers_and_speakers_of_figures_are_shown(small_graphs):
    for kg in small_graphs:
        law = kg.query("instruments").iloc[0]
        assert law.issuers == ["id:agency", "id:other"]
        assert law.issuer_names == ["Agency", "Other"]
        figure = kg.query("figures").iloc[0]
        assert (figure.value, figure.stated_by, figure.stated_by_label) == (10, "id:ann", "Ann")
