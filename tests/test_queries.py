"""The query layer: named queries, three stores, safe parameters, clear errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from copgraph.catalog import QueryError, load_catalog
from copgraph.kg import KnowledgeGraph, open_graph
from copgraph.store import EndpointStore, StoreError

from .conftest import run_cli

REQUIRED = {"org": "itu", "country": "MN", "topic": "cyberbullying", "subject": "atsuko-okuda"}


def run_catalog(kg: KnowledgeGraph) -> dict[str, list]:
    results = {}
    for name, named in load_catalog().items():
        params = {p.name: REQUIRED[p.name] for p in named.params if p.required}
        frame = kg.query(name, **params)
        assert list(frame.columns[: len(named.columns)]) == named.columns, name
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
    }
    assert expected <= set(catalog)
    for named in catalog.values():
        assert named.title and named.description and named.columns


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
    assert (opening.start, opening.end) == (
        "2023-12-07T09:00:00+07:00",
        "2023-12-07T09:30:00+07:00",
    )
    assert opening.moderator == "Yu Cheng"


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
    with pytest.raises(QueryError, match="needs parameter 'org'"):
        kg_oxigraph.query("partners-of")
    with pytest.raises(QueryError, match="has no parameter 'organisation'"):
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
    else:
        parsed = pd.DataFrame(json.loads(result.stdout)).fillna("").astype(str)
    assert list(parsed.columns) == list(expected.columns)
    assert parsed.values.tolist() == expected.astype(str).values.tolist()


def test_cli_errors_exit_non_zero_without_traceback():
    cases = [
        (["query", "partner-of"], "did you mean"),
        (["query", "partners-of", "--param", "org"], "NAME=VALUE"),
        (["query", "partners-of", "-p", "org=nobody-at-all"], "no organization is called"),
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
