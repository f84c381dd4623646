"""The partnership network: known answers on a hand-made graph, the report's own
partnerships, exports that read back unchanged, and the ``copgraph network`` commands."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from copgraph import network
from copgraph.catalog import QueryError, parse_query_file
from copgraph.cli import main
from copgraph.kg import KnowledgeGraph, open_graph
from copgraph.store import RdflibStore

from . import gexf_schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "network"


def fixture_kg(*names: str) -> KnowledgeGraph:
    """The controlled lists (for the kinds' labels) plus hand-made Turtle fixtures."""
    graph = Graph()
    for scheme in sorted((ROOT / "ontology" / "schemes").glob("*.ttl")):
        graph.parse(scheme)
    for name in names:
        graph.parse(FIXTURES / name)
    return KnowledgeGraph(RdflibStore(graph))


@pytest.fixture(scope="module")
def tiny():
    return network.load(fixture_kg("tiny.ttl"))


@pytest.fixture(scope="module")
def folded(tiny):
    return network.partnership_graph(tiny, fold=True)


@pytest.fixture(scope="module")
def unfolded(tiny):
    return network.partnership_graph(tiny)


@pytest.fixture(scope="module")
def report():
    """The built report (data/curated of this checkout), on Oxigraph."""
    kg = open_graph("oxigraph")
    return kg, network.load(kg)


def edge_set(graph: nx.Graph) -> set[frozenset]:
    return {frozenset(e) for e in graph.edges}


def pairs(*names: str) -> set[frozenset]:
    return {frozenset(p.split("-")) for p in names}


# -- queries ---------------------------------------------------------------------------------


def test_every_network_query_has_a_header_and_returns_its_columns():
    kg = fixture_kg("tiny.ttl")
    files = sorted(network.NETWORK_QUERY_DIR.glob("*.rq"))
    assert {f.stem for f in files} >= {
        "organizations",
        "partnerships",
        "outputs",
        "events",
        "evidence",
        "participations",
        "countries",
    }
    for path in files:
        named = parse_query_file(path)
        assert named.title and named.description
        frame = network.select(kg, path.stem)
        assert list(frame.columns) == named.columns, path.name
        assert len(frame), f"{path.name} returns nothing on the fixture"


# -- the graph -------------------------------------------------------------------------------


def test_unfolded_graph_keeps_sub_organizations_and_drops_organizations_without_ties(unfolded):
    assert set(unfolded) == {"alpha", "alpha-office", "beta", "gamma", "delta", "epsilon", "zeta"}
    assert edge_set(unfolded) == pairs(
        "alpha-beta", "alpha-gamma", "beta-gamma", "gamma-delta", "delta-epsilon",
        "delta-zeta", "epsilon-zeta",
    ) | {frozenset(("alpha-office", "beta"))}  # fmt: skip
    assert unfolded.graph["organizations_without_ties"] == 1  # lonely
    assert unfolded.nodes["alpha-office"]["parent"] == "alpha"
    assert unfolded.nodes["alpha"]["short"] == "ALP"  # the acronym


def test_isolates_option_adds_organizations_without_ties(tiny):
    graph = network.partnership_graph(tiny, isolates=True)
    assert "lonely" in graph and graph.degree("lonely") == 0


def test_folding_merges_a_sub_organization_into_its_parent(folded):
    assert "alpha-office" not in folded
    assert folded.number_of_nodes() == 6 and folded.number_of_edges() == 7
    edge = folded.edges["alpha", "beta"]
    assert edge["kinds"] == ["funding", "shared event"]
    assert edge["relations"] == ["ev1", "p1"]
    assert edge["weight"] == 2  # two distinct pieces of evidence
    assert [(q["section"], q["quote"]) for q in edge["quotes"]] == [
        ("2", "Alpha Mongolia held a workshop with Beta"),
        ("4.1", "Alpha funded Beta"),
    ]
    assert folded.edges["epsilon", "zeta"]["kinds"] == ["review", "shared output"]
    assert folded.nodes["alpha"]["members"] == ["alpha", "alpha-office"]
    weights = {frozenset((u, v)): w for u, v, w in folded.edges(data="weight")}
    assert sorted(weights.values()) == [1, 1, 1, 1, 1, 2, 2]


def test_restricting_to_a_country_keeps_the_relations_placed_there(tiny):
    # p1, p3, ev1 state Mongolia; o1 and p7 state no country, though epsilon is based
    # there: a relation is never placed through a member
    graph = network.partnership_graph(tiny, fold=True, country="mn")
    assert edge_set(graph) == pairs("alpha-beta", "beta-gamma")
    assert graph.graph["country"] == "MN"
    with pytest.raises(QueryError, match="no country with ISO code"):
        network.partnership_graph(tiny, country="XX")


def test_restricting_to_a_kind(tiny):
    assert edge_set(network.partnership_graph(tiny, kind="Funding")) == pairs("alpha-beta")
    assert edge_set(network.partnership_graph(tiny, kind="output")) == pairs("epsilon-zeta")
    with pytest.raises(QueryError, match="did you mean funding"):
        network.partnership_graph(tiny, kind="fundin")


def test_a_partnership_with_a_hub_is_a_star_without_one_a_clique():
    data = network.load(fixture_kg("tiny.ttl", "hub.ttl"))
    graph = network.partnership_graph(data)
    assert data.relations["p8"].hub == "gamma"
    assert not graph.has_edge("alpha", "delta")  # two spokes of gamma's star: no tie
    assert "p8" in graph.edges["alpha", "gamma"]["relations"]
    assert "p8" in graph.edges["delta", "gamma"]["relations"]
    del data.relations["p8"].members["gamma"]  # no hub: every pair of parties is tied
    assert "p8" in network.partnership_graph(data).edges["alpha", "delta"]["relations"]


def test_a_country_comes_from_the_relation_never_from_a_member():
    data = network.load(fixture_kg("tiny.ttl", "hub.ttl"))
    # p8 states no country; gamma and delta are based in Thailand
    thailand = network.partnership_graph(data, country="TH")
    assert all("p8" not in rels for *_, rels in thailand.edges(data="relations"))
    assert network.partnership_graph(data).edges["delta", "gamma"]["countries"] == ["TH"]
    assert network.partnership_graph(data).edges["alpha", "gamma"]["countries"] == []
    partners = network.country_partners(data, "TH").set_index("id")
    assert "alpha" not in partners.index  # alpha is only in p8 with Thailand-based members
    assert partners.loc["gamma", "relations"] == 1  # p4, not p8
    places = network.country_organization_graph(data)
    assert not places.has_edge("alpha", "TH")


def test_a_tie_shows_only_the_quotes_of_its_facts_and_weighs_sentences(unfolded):
    funding = unfolded.edges["alpha", "beta"]
    # p1's record-level quote names the partnership but states no party: not shown
    assert [q["quote"] for q in funding["quotes"]] == ["Alpha funded Beta"]
    support = unfolded.edges["beta", "gamma"]
    assert [q["quote"] for q in support["quotes"]] == [
        "Gamma supported Beta",
        "Gamma supported Beta in 2023",
    ]
    assert support["weight"] == 1  # two quotes of one sentence count once
    assert support["via"] == [
        {
            "relation": "p3",
            "type": "partnership",
            "kind": "support",
            "about": "Gamma supports Beta",
            "evidence": ["evidence/e3", "evidence/e3b"],
        }
    ]


def test_a_star_tie_takes_the_quotes_of_both_ends_facts():
    data = network.load(fixture_kg("tiny.ttl", "hub.ttl"))
    tie = network.partnership_graph(data).edges["delta", "gamma"]
    quotes = {q["quote"] for q in tie["quotes"]}
    # the hub's and delta's facts in p8 (one sentence), and p4's quote: two sentences
    assert quotes == {"Gamma's key partners are Alpha", "and Delta", "Gamma worked with Delta"}
    assert tie["weight"] == 2
    assert tie["kinds"] == ["collaboration"]


# -- known answers ---------------------------------------------------------------------------


def test_centrality_known_answers_folded(folded):
    frame = network.centrality(folded).set_index("id")
    assert frame["degree"].to_dict() == {
        "alpha": 2, "beta": 2, "gamma": 3, "delta": 3, "epsilon": 2, "zeta": 2,
    }  # fmt: skip
    # every organization has 3 pieces of evidence on its ties
    assert set(frame["weighted_degree"]) == {3}
    # the bridge: 6 of the 10 pairs go through gamma and through delta
    assert frame.loc["gamma", "betweenness"] == frame.loc["delta", "betweenness"] == 0.6
    assert frame.loc[["alpha", "beta", "epsilon", "zeta"], "betweenness"].eq(0).all()
    # constant weighted degree: the leading eigenvector is uniform, 1/sqrt(6) each
    for value in frame["eigenvector"]:
        assert value == pytest.approx(1 / math.sqrt(6), abs=1e-4)


def test_betweenness_known_answers_unfolded(unfolded):
    frame = network.centrality(unfolded).set_index("id")
    # n = 7: normalised by (n-1)(n-2)/2 = 15 pairs
    assert frame.loc["gamma", "betweenness"] == round(9 / 15, 4)
    assert frame.loc["delta", "betweenness"] == round(8 / 15, 4)
    assert frame.loc["beta", "betweenness"] == round(5 / 15, 4)  # alpha-office's only way in
    assert frame.loc["alpha-office", "degree"] == 1


def test_louvain_finds_the_two_triangles_with_their_modularity(folded):
    frame = network.communities(folded)
    assert [set(m.split("; ")) for m in frame["members"]] == [
        {"alpha", "beta", "gamma"},
        {"delta", "epsilon", "zeta"},
    ]
    # Q = 2 * (4/9 - (9/18)^2) = 7/18 with weights (alpha-beta and epsilon-zeta weigh 2)
    assert set(frame["modularity"]) == {round(7 / 18, 4)}
    for seed in (1, 2, 3):
        assert (
            network.communities(folded, seed=seed)["members"].tolist() == frame["members"].tolist()
        )


def test_brokers_are_the_two_ends_of_the_bridge(folded):
    frame = network.brokers(folded)
    # only gamma and delta bridge anything: every other organization has betweenness 0
    assert frame["id"].tolist() == ["delta", "gamma"]
    assert frame["articulation_point"].tolist() == [True, True]
    assert frame["bridges"].tolist() == [1, 1]
    assert frame["partner_kinds"].tolist() == [3, 3]
    row = frame.set_index("id").loc["gamma"]
    assert row["kinds"] == "UN agency; civil-society organization; government body"
    # three partners, two of them tied to each other: effective size 3 - 2*1/3
    assert row["effective_size"] == round(3 - 2 / 3, 4)
    assert row["constraint"] == round(nx.constraint(folded)["gamma"], 4)
    assert any("betweenness is exact" in n for n in frame.attrs["notes"])


def test_no_broker_has_betweenness_0_unless_it_cuts_the_graph(unfolded):
    cut = set(nx.articulation_points(unfolded))
    frame = network.brokers(unfolded)
    assert set(frame["id"]) >= cut
    for row in frame.to_dict("records"):
        assert row["betweenness"] > 0 or row["articulation_point"], row
    # beta is alpha-office's only way in: an articulation point
    assert "beta" in cut and "beta" in set(frame["id"])


def test_a_hub_with_many_kinds_of_partner_that_bridges_nothing_is_no_broker():
    # a hub tied to four kinds in a closed clique: most partner kinds, betweenness 0
    graph = nx.complete_graph(["hub", "a", "b", "c", "d"])
    kinds = ["UN agency", "company", "government", "academic", "youth"]
    for node, kind in zip(graph, kinds, strict=True):
        graph.nodes[node]["kind"] = kind
    graph.add_edge("d", "e")
    graph.nodes["e"]["kind"] = "company"
    frame = network.brokers(graph)
    assert frame["id"].tolist() == ["d"]  # the only cut point
    assert network.centrality(graph).set_index("id").loc["hub", "betweenness"] == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_constraint_eigenvector_and_effective_size_equal_networkx(seed):
    graph = nx.gnm_random_graph(30, 70, seed=seed)
    graph.add_node("alone")
    for u, v in graph.edges:
        graph.edges[u, v]["weight"] = (u * v) % 4 + 1
    for weight in (None, "weight"):
        ours, theirs = network.constraint(graph, weight), nx.constraint(graph, weight=weight)
        assert set(ours) == set(theirs)
        for node, value in theirs.items():
            if math.isnan(value):
                assert math.isnan(ours[node])
            else:
                assert ours[node] == pytest.approx(value, rel=1e-12)
    ours, theirs = (
        network.eigenvector(graph, "weight"),
        nx.eigenvector_centrality(graph, weight="weight", tol=1e-9, max_iter=5000),
    )
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-9) for n in graph)
    sizes = network.effective_size(graph)
    for node, value in nx.effective_size(graph).items():
        assert sizes[node] == pytest.approx(value, nan_ok=True)


def test_betweenness_is_sampled_above_the_limit_and_says_so():
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    values, sample = network.betweenness(graph, exact_limit=50, sample=20)
    assert sample == 20
    exact, none = network.betweenness(graph)
    assert none is None and exact == nx.betweenness_centrality(graph)
    assert values != exact  # an estimate, from 20 sources
    again, _ = network.betweenness(graph, exact_limit=50, sample=20)
    assert again == values  # seeded: the same estimate every time
    note = network.betweenness_note(sample, 60)
    assert "estimated from 20 of the 60" in note


def test_summary_computes_betweenness_once(folded, monkeypatch):
    calls = []
    real = nx.betweenness_centrality
    monkeypatch.setattr(
        nx, "betweenness_centrality", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    network.summary(folded)
    assert len(calls) == 1


def test_mixing_matrix_and_assortativity_known_answers(folded):
    matrix = network.mixing_matrix(folded)
    assert (matrix.values == matrix.values.T).all()
    assert all(matrix.loc[k, k] == 0 for k in matrix.index)  # no tie inside a kind
    assert matrix.loc["government body", "company"] == 1
    assert matrix.loc["government body", "academic institution"] == 1
    assert matrix.loc["civil-society organization", "government body"] == 1
    assert int(matrix.values.sum()) == 2 * folded.number_of_edges()
    # r = -sum(a_i^2) / (1 - sum(a_i^2)) with sum(a_i^2) = 42/196: r = -3/11
    assert network.assortativity(folded)["assortativity"].iloc[0] == round(-3 / 11, 4)


def test_ego_network(folded):
    frame = network.ego(folded, "gamma")
    assert frame["id"].tolist() == ["alpha", "beta", "delta"]
    assert frame.set_index("id").loc["delta", "quotes"] == "[4.3, line 30] Gamma worked with Delta"
    wider = network.ego(folded, "gamma", radius=2).set_index("id")
    assert wider.loc["epsilon", "distance"] == 2 and wider.loc["epsilon", "via"] == "delta"
    assert network.ego(folded, "lonely").empty


def test_country_partners_and_profiles(tiny):
    partners = network.country_partners(tiny, "MN").set_index("id")
    # three relations state Mongolia: p1, p3, ev1; beta is in all three
    assert partners.loc["beta", "relations"] == 3 and partners.loc["beta", "share"] == 1.0
    assert partners.loc["beta", "evidence"] == 4  # e1, e3, e3b, e9: its own facts' quotes
    assert partners.loc["alpha-office", "kinds"] == "shared event"
    # based in Mongolia, in no relation that states it: listed, with 0 relations
    assert partners.loc["epsilon", "relations"] == 0
    profiles = network.country_profiles(tiny).set_index("iso2")
    assert list(profiles.index) == ["MN", "TH"]  # beneficiaries only: not AU
    assert profiles.loc["MN", "top_partner"] == "beta"
    assert bool(profiles.loc["MN", "single_partner"]) is True  # beta is in every MN relation
    assert profiles.loc["TH", "relations"] == 2  # p4, p5


def test_bipartite_graphs_and_projections(tiny):
    people = network.person_session_graph(tiny)
    assert nx.is_bipartite(people)
    assert edge_set(network.project(people, "person")) == pairs("ann-bob", "bob-cat")
    sessions = network.project(people, "session")
    assert sessions.edges["s1", "s2"]["weight"] == 1  # bob took part in both
    outputs = network.organization_output_graph(tiny)
    assert outputs.edges["epsilon", "o1"]["roles"] == ["producer"]
    assert outputs.edges["zeta", "o1"]["roles"] == ["partner"]
    assert edge_set(network.project(outputs, "organization")) == pairs("epsilon-zeta")
    events = network.organization_event_graph(tiny, fold=True)
    assert events.edges["alpha", "ev1"]["roles"] == ["organizer"]
    countries = network.country_organization_graph(tiny)
    assert countries.edges["lonely", "AU"]["via"] == ["based in"]
    assert countries.edges["beta", "MN"]["relations"] == ["ev1", "p1", "p3"]


def test_fragility_is_said(folded):
    notes = network.centrality(folded).attrs["notes"]
    assert any("only 6 organizations and 7 ties" in n for n in notes)
    two = nx.Graph([("a", "b"), ("c", "d")])
    assert any("2 separate components" in n for n in network.fragility_notes(two))
    weak = network.communities(nx.path_graph(3))
    assert any("weakly separated" in n for n in weak.attrs["notes"])


def test_summary_table_has_every_section(folded):
    frame = network.summary(folded, top=3)
    assert list(dict.fromkeys(frame["section"])) == [
        "graph",
        "top by degree",
        "top by weighted degree",
        "top by betweenness",
        "top by eigenvector",
        "communities",
        "brokers (betweenness)",
        "articulation points (betweenness)",
        "stakeholder mixing",
        "notes",
    ]
    graph_rows = frame[frame["section"] == "graph"].set_index("name")["value"]
    assert graph_rows["organizations"] == 6 and graph_rows["ties"] == 7
    assert graph_rows["density"] == round(7 / 15, 4) and graph_rows["components"] == 1
    assert graph_rows["articulation points"] == 2 and graph_rows["bridges"] == 1
    assert graph_rows["betweenness sources"] == 6  # exact
    brokers = frame[frame["section"] == "brokers (betweenness)"]
    assert brokers["id"].tolist() == ["delta", "gamma"]  # the bridge's ends, no one else


# -- exports ---------------------------------------------------------------------------------


def _same(read: nx.Graph, expected: nx.Graph) -> None:
    assert dict(read.nodes(data=True)) == dict(expected.nodes(data=True))
    got = {frozenset((u, v)): a for u, v, a in read.edges(data=True)}
    want = {frozenset((u, v)): a for u, v, a in expected.edges(data=True)}
    assert got == want


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
@pytest.mark.parametrize(
    "build",
    [
        lambda d: network.partnership_graph(d, fold=True),
        lambda d: network.partnership_graph(d, isolates=True),
        network.person_session_graph,
        network.country_organization_graph,
        network.organization_output_graph,
    ],
    ids=["partnerships-folded", "partnerships-isolates", "person-session", "country-org", "output"],
)
def test_export_round_trip(tmp_path, tiny, build, fmt):
    graph = build(tiny)
    path = network.export(graph, tmp_path / f"net.{fmt}", fmt)
    expected = graph if fmt == "json" else network.exportable(graph)
    _same(network.read_export(path, fmt), expected)
    # plain NetworkX readers see the same nodes, edges and attributes (plus their own keys)
    raw = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}.get(fmt)
    if raw:
        back = raw(path)
        assert set(back) == set(graph)
        assert edge_set(back) == edge_set(graph)
        for node, attrs in expected.nodes(data=True):
            assert back.nodes[node] == back.nodes[node] | attrs
        for u, v, attrs in expected.edges(data=True):
            assert back.edges[u, v] == back.edges[u, v] | attrs
    if fmt == "graphml":
        assert network.read_export(path, fmt).graph == expected.graph


def test_exported_lists_are_json_text(tmp_path, folded):
    path = network.export(folded, tmp_path / "net.graphml", "graphml")
    back = nx.read_graphml(path)
    assert json.loads(back.edges["alpha", "beta"]["kinds"]) == ["funding", "shared event"]
    quotes = json.loads(back.edges["alpha", "beta"]["quotes"])
    assert quotes[1] == {"evidence": "evidence/e1", "line": 10, "quote": "Alpha funded Beta",
                         "section": "4.1"}  # fmt: skip


GRAPHS = {
    "partnerships-folded": lambda d: network.partnership_graph(d, fold=True),
    "partnerships-isolates": lambda d: network.partnership_graph(d, isolates=True),
    "person-session": network.person_session_graph,
    "country-org": network.country_organization_graph,
    "output": network.organization_output_graph,
}


@pytest.mark.parametrize("which", sorted(GRAPHS))
def test_gexf_follows_the_gexf_12draft_schema(tmp_path, tiny, which):
    graph = GRAPHS[which](network.load(fixture_kg("tiny.ttl", "xss.ttl")))
    path = network.export(graph, tmp_path / "net.gexf", "gexf")
    assert gexf_schema.problems(path) == []
    again = network.export(graph, tmp_path / "again.gexf", "gexf")
    assert path.read_bytes() == again.read_bytes()  # no date, no varying ids


def test_the_gexf_check_catches_what_the_schema_forbids(tmp_path, folded):
    # plain NetworkX writes graph@name, which the schema does not allow
    plain = tmp_path / "plain.gexf"
    nx.write_gexf(network.exportable(folded), plain)
    assert any("graph@name" in p for p in gexf_schema.problems(plain))
    ours = network.export(folded, tmp_path / "ours.gexf", "gexf")
    text = ours.read_text(encoding="utf-8")
    for broken, message in (
        (text.replace("<meta>", '<meta lastmodifieddate="today">'), "not a valid date"),
        (text.replace('version="1.2"', 'version="1.3"'), "gexf@version"),
        (text.replace("<nodes>", "<nodes><viz/>", 1), "not allowed"),
        (re.sub(r'<attvalue for="(\d+)"', r'<attvalue for="99"', text, count=1), "not declared"),
        (text.replace('weight="1"', 'weight="one"', 1), "not a valid float"),
    ):
        bad = tmp_path / "bad.gexf"
        bad.write_text(broken, encoding="utf-8")
        assert any(message in p for p in gexf_schema.problems(bad)), message


def test_csv_edge_list_has_a_row_per_tie_with_its_quotes(tmp_path, folded):
    path = network.export(folded, tmp_path / "ties.csv", "csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == folded.number_of_edges()
    row = next(r for r in rows if {r["source"], r["target"]} == {"alpha", "beta"})
    assert row["source_name"] == "Alpha Agency" and row["target_name"] == "Beta Ministry"
    assert row["kinds"] == "funding; shared event" and row["weight"] == "2"
    assert row["quotes"] == (
        "[\u00a72, line 6] \u201cAlpha Mongolia held a workshop with Beta\u201d | "
        "[\u00a74.1, line 10] \u201cAlpha funded Beta\u201d"
    )


# -- the report ------------------------------------------------------------------------------


def _tie(graph, a, b):
    assert graph.has_edge(a, b), f"the report's partnership {a} - {b} is missing"
    return graph.edges[a, b]


def test_report_partnerships_are_in_the_graph(report):
    _, data = report
    graph = network.partnership_graph(data)
    funding = _tie(graph, "itu", "government-of-australia")
    assert "funding" in funding["kinds"]
    assert any(
        "funded a project on COP for the Asia-Pacific region" in q["quote"] and q["section"] == "1"
        for q in funding["quotes"]
    )
    assert 1 <= funding["weight"] <= len(funding["quotes"])  # sentences, not quotes
    # "a member of the ITU’ s COP Initiative"
    assert "membership" in _tie(graph, "gsma", "itu")["kinds"]
    for node in ("itu", "government-of-australia"):
        assert graph.nodes[node]["label"]
    assert graph.nodes["itu"]["kind"] == "UN agency"
    assert graph.nodes["government-of-australia"]["country"] == "AU"


def test_report_partnerships_stated_by_curators(report):
    """Partnerships the report states, as curated in data/curated."""
    _, data = report
    graph = network.partnership_graph(data)
    expected = {
        ("gsma", "itu"): "membership",
        ("government-of-australia", "itu"): "support",
        ("ecpat-international", "ecpat-member-organizations"): "membership",
        ("govtech-bhutan", "itu"): "co-organization",
        ("itu", "unicef-bhutan"): "co-organization",
        ("itu", "unodc"): "collaboration",
        ("itu", "unicef-thailand"): "agreement",
        ("itu", "moitt-pakistan"): "co-organization",
        ("huawei-thailand", "ncsa-thailand"): "co-production",
        ("esafety-commissioner", "fiji-online-safety-commission"): "collaboration",
        ("itu", "mpt-cambodia"): "support",
        ("itu", "mowecp-indonesia"): "support",
        ("itu", "unicef-country-offices"): "review",
    }
    for (a, b), kind in expected.items():
        assert kind in _tie(graph, a, b)["kinds"], (a, b, kind)


def test_report_shared_outputs_and_events_and_folding(report):
    _, data = report
    graph = network.partnership_graph(data)
    # Huawei Thailand and NCSA produced the Digital Bus training together
    assert "shared output" in _tie(graph, "huawei-thailand", "ncsa-thailand")["kinds"]
    # UNICEF Thailand's agreement with ITU becomes UNICEF's once the offices are folded
    folded = network.partnership_graph(data, fold=True)
    assert "unicef-thailand" not in folded
    assert "agreement" in _tie(folded, "itu", "unicef")["kinds"]
    assert "unicef-thailand" in folded.nodes["unicef"]["members"]
    thailand = network.partnership_graph(data, country="TH")
    assert "agreement" in _tie(thailand, "itu", "unicef-thailand")["kinds"]
    assert not thailand.has_edge("itu", "government-of-australia")


def test_report_tie_weight_counts_one_sentence_quoted_twice_once(report):
    """ITU - MoITT Pakistan: the same sentence quoted at two lengths, and one more."""
    _, data = report
    tie = network.partnership_graph(data).edges["itu", "moitt-pakistan"]
    lines = [q["line"] for q in tie["quotes"]]
    assert len(lines) > len(set(lines))  # two quotes of one sentence
    assert tie["weight"] == len(set(lines)) < len(tie["quotes"])


def test_report_thailand_lists_no_one_only_through_a_member_based_there(report):
    """The key-partners sentence names UNRCO Thailand beside ILO, UNODC, APT and UNICEF;
    that partnership states no country, so none of them works in Thailand through it."""
    _, data = report
    partners = network.country_partners(data, "TH")
    active = set(partners[partners["relations"] > 0]["id"])
    assert not active & {"ilo", "unodc", "apt", "unicef"}, active
    assert "unicef-thailand" in active
    thailand = network.partnership_graph(data, country="TH")
    assert not set(thailand) & {"ilo", "unodc", "apt", "unicef"}
    result = run("network", "country", "TH", "--format", "csv")
    assert result.exit_code == 0 and "ilo," not in result.stdout


def test_report_folding_and_analyses_run(report):
    _, data = report
    plain = network.partnership_graph(data)
    folded = network.partnership_graph(data, fold=True)
    subs = [o for o, info in data.organizations.items() if info.get("parent")]
    assert subs, "the report names sub-organizations (country offices, departments)"
    assert not any(o in folded for o in subs)
    assert folded.number_of_nodes() <= plain.number_of_nodes()
    for graph in (plain, folded):
        assert len(network.centrality(graph)) == graph.number_of_nodes()
        assert network.summary(graph)["section"].iloc[0] == "graph"
        network.communities(graph)
        network.mixing_matrix(graph)
    profiles = network.country_profiles(data)
    assert set(profiles["iso2"]) == {"BT", "ID", "KH", "MN", "PK", "TH"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_report_export_round_trip(tmp_path, report, fmt):
    _, data = report
    graph = network.partnership_graph(data)
    path = network.export(graph, tmp_path / f"report.{fmt}", fmt)
    _same(network.read_export(path, fmt), graph if fmt == "json" else network.exportable(graph))


# -- the commands ----------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_summary_json_and_table():
    result = run("network", "summary", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    sections = {r["section"] for r in rows}
    assert {"graph", "top by betweenness", "communities", "notes"} <= sections
    table = run("network", "summary", "--top", "3")
    assert table.exit_code == 0
    assert "top by weighted degree" in table.stdout and "modularity" in table.stdout


def test_cli_ego_and_country():
    ego = run("network", "ego", "ITU", "--format", "csv")
    assert ego.exit_code == 0, ego.output
    assert "government-of-australia" in ego.stdout
    assert ego.stdout.splitlines()[0].startswith("id,name,kind,country,distance")
    country = run("network", "country", "au", "--format", "json")
    assert country.exit_code == 0, country.output
    assert "government-of-australia" in {r["id"] for r in json.loads(country.stdout)}


@pytest.mark.parametrize(
    "args, message",
    [
        (("network", "ego", "no-such-organization"), "no organization is called"),
        (("network", "ego", "itu", "--kind", "fundin"), "did you mean funding"),
        (("network", "country", "XX"), "no country is called 'XX'"),
        (("network", "summary", "--country", "ZZ"), "no country is called 'ZZ'"),
        (("export", "-o", "/dev/null/x.graphml"), "cannot create folder /dev/null"),
    ],
)
def test_cli_user_mistakes_exit_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_cli_unknown_org_suggests_close_matches():
    result = run("network", "ego", "unicef-mongolai")
    assert result.exit_code == 2
    assert "close matches: unicef-mongolia" in result.stderr


def test_cli_ego_of_an_organization_without_ties_prints_no_whole_graph_notes():
    result = run("network", "ego", "DITRDCA")  # the report gives it no partner
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "ditrdca has no recorded ties in this graph"
    assert result.stdout == ""


def test_cli_brokers_help_explains_every_column():
    from copgraph.cli.network import BROKER_COLUMNS

    explained = {c.strip() for key in BROKER_COLUMNS for c in key.split(",")}
    assert explained == set(network.measures.BROKER_COLUMNS)
    text = run("network", "brokers", "--help").stdout
    for key in BROKER_COLUMNS:
        assert f"{key}:" in text
    assert "distinct report" in run("network", "--help").stdout


def test_network_doctests():
    import doctest

    from copgraph.network import data, graphs, measures

    for module in (data, graphs, measures):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_cli_export_csv_is_a_tie_list_with_quotes(tmp_path):
    out = tmp_path / "ties.csv"
    result = run("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    tie = next(r for r in rows if {r["source"], r["target"]} == {"government-of-australia", "itu"})
    assert "funding" in tie["kinds"].split("; ")
    assert "funded a project on COP for the Asia-Pacific region" in tie["quotes"]
    assert re.search(r"\[\u00a7\d[\d.]*, line \d+\] \u201c", tie["quotes"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_cli_export_reads_back(tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--fold")
    assert result.exit_code == 0, result.output
    back = network.read_export(out, fmt)
    assert back.number_of_nodes() > 0 and back.number_of_edges() > 0
    assert f"({back.number_of_nodes()} nodes, {back.number_of_edges()} edges" in result.stdout
