"""Network measures on graphs small enough to work out by hand, and the notes that say
where a small graph's numbers are fragile."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from copgraph.network import measures as m
from copgraph.network.data import NetworkData, Quote, Relation

pytestmark = pytest.mark.timeout(60)


def two_triangles() -> nx.Graph:
    """a-b-c and d-e-f, joined by the tie c-d: c and d are the brokers."""
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f")])
    graph.add_edge("f", "d")
    kinds = {"a": "ngo", "b": "ngo", "c": "un", "d": "government", "e": "ngo", "f": "un"}
    for node, kind in kinds.items():
        graph.nodes[node].update(kind=kind, label=node.upper() + " label", short=node.upper())
    return graph


def star(n: int) -> nx.Graph:
    graph = nx.star_graph(n)
    return nx.relabel_nodes(graph, {i: f"n{i}" for i in graph})


# -- fragility ---------------------------------------------------------------------------


def test_an_empty_graph_has_one_note_and_nothing_to_measure():
    assert m.fragility_notes(nx.Graph()) == ["the graph is empty: there is nothing to measure"]


def test_a_small_graph_says_how_small_with_singular_and_plural():
    note = m.fragility_notes(nx.Graph([("a", "b")]))[0]
    assert note.startswith("only 2 organizations and 1 tie: one more partnership")
    one = nx.Graph()
    one.add_node("a")
    assert m.fragility_notes(one)[0].startswith("only 1 organization and 0 ties:")


def test_a_graph_of_fifty_organizations_is_not_called_small():
    cycle = nx.cycle_graph(50)
    assert m.fragility_notes(cycle) == []
    assert m.fragility_notes(nx.cycle_graph(49))[0].startswith("only 49 organizations")


def test_separate_components_are_said():
    graph = nx.Graph([(i, i + 1) for i in range(60)] + [(100, 101)])
    assert m.fragility_notes(graph) == [
        "2 separate components: betweenness only counts paths inside a component, and "
        "eigenvector centrality is near 0 outside the largest one"
    ]


def test_a_hub_in_thirty_percent_of_the_ties_is_named():
    graph = nx.cycle_graph(60)  # 60 ties
    for i in range(100, 116):  # 0 takes part in 2 + 16 = 18 of 76 ties: 23.7 %
        graph.add_edge(0, i)
    assert m.fragility_notes(graph) == []
    for i in range(116, 120):  # 22 of 80: 27.5 %
        graph.add_edge(0, i)
    assert m.fragility_notes(graph) == []
    for i in range(120, 128):  # 30 of 88 = 34 %
        graph.add_edge(0, i)
    assert m.fragility_notes(graph) == [
        "0 takes part in 30 of the 88 ties (34%): the rankings mostly say how close an "
        "organization is to 0"
    ]


def test_the_hub_share_counts_from_thirty_percent_exactly():
    graph = nx.cycle_graph(51)  # 51 ties, 0 in 2 of them
    for i in range(100, 118):  # 0 in 20 of 69 ties: 29 %
        graph.add_edge(0, i)
    assert not any("takes part" in n for n in m.fragility_notes(graph))
    graph.add_edge(0, 118)  # 0 in 21 of 70 ties: 30 % exactly
    assert m.fragility_notes(graph) == [
        "0 takes part in 21 of the 70 ties (30%): the rankings mostly say how close an "
        "organization is to 0"
    ]


def test_the_busiest_node_is_the_one_named_ties_broken_by_name():
    graph = nx.Graph([("b", "x"), ("b", "y"), ("a", "z"), ("a", "w")])
    notes = m.fragility_notes(graph)
    assert any(n.startswith("a takes part in 2 of the 4 ties (50%)") for n in notes)


def test_a_large_relation_without_hub_is_said_from_four_members():
    graph = nx.cycle_graph(60)
    graph.graph["largest_relation"] = 3
    assert m.fragility_notes(graph) == []
    graph.graph["largest_relation"] = 4
    assert m.fragility_notes(graph) == [
        "one relation without a hub joins 4 organizations and makes 6 ties at once: it "
        "inflates its members' degree and density"
    ]


# -- structure -------------------------------------------------------------------------------


def test_betweenness_is_exact_up_to_the_limit_and_sampled_above():
    path = nx.path_graph(5)
    values, sample = m.betweenness(path, exact_limit=5)
    assert sample is None
    assert values == pytest.approx({0: 0.0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0.0})
    values, sample = m.betweenness(path, exact_limit=4, sample=3)
    assert sample == 3
    _, sample = m.betweenness(path, exact_limit=4, sample=10)
    assert sample == 5  # never more sources than nodes
    again, _ = m.betweenness(path, exact_limit=4, sample=3)
    assert values == again  # the same seed, the same sample


def test_the_betweenness_note_says_exact_or_how_it_was_sampled():
    assert m.betweenness_note(None, 10) == "betweenness is exact (every organization as a source)"
    assert m.betweenness_note(100, 400) == (
        "betweenness is estimated from 100 of the 400 organizations as sources (seed 42): "
        "above 300 organizations the exact measure grows with the square of the graph"
    )


def test_bridges_per_node_counts_each_end_of_each_bridge():
    assert m.bridges_per_node(nx.path_graph(3)) == {0: 1, 1: 2, 2: 1}
    assert m.bridges_per_node(two_triangles()) == {
        "a": 0,
        "b": 0,
        "c": 1,
        "d": 1,
        "e": 0,
        "f": 0,
    }


def test_effective_size_by_hand():
    sizes = m.effective_size(two_triangles())
    assert sizes["a"] == 1.0  # two partners tied to each other
    assert sizes["c"] == pytest.approx(3 - 2 * 1 / 3)  # a-b tied, d apart
    assert m.effective_size(star(3))["n0"] == 3.0
    lone = nx.Graph()
    lone.add_node("x")
    assert math.isnan(m.effective_size(lone)["x"])


@pytest.mark.parametrize("graph", [two_triangles(), star(4), nx.path_graph(4)])
def test_constraint_equals_networkx(graph):
    ours = m.constraint(graph)
    theirs = nx.constraint(graph)
    assert ours == pytest.approx(theirs)


def test_weighted_constraint_equals_networkx_and_an_isolate_is_nan():
    graph = two_triangles()
    for i, (u, v) in enumerate(sorted(graph.edges)):
        graph.edges[u, v]["weight"] = i + 1
    assert m.constraint(graph, weight="weight") == pytest.approx(
        nx.constraint(graph, weight="weight")
    )
    graph.add_node("alone")
    assert math.isnan(m.constraint(graph)["alone"])


def test_a_node_whose_ties_all_weigh_nothing_has_no_constraint():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=0)
    graph.add_edge("b", "c", weight=2)
    values = m.constraint(graph, weight="weight")
    assert math.isnan(values["a"])
    assert values["c"] == 1.0
    missing = nx.Graph()
    missing.add_edge("a", "b")  # no weight: counts 1
    assert m.constraint(missing, weight="weight")["a"] == 1.0


@pytest.mark.parametrize("weighted", [False, True])
def test_eigenvector_equals_networkx(weighted):
    graph = two_triangles()
    for i, (u, v) in enumerate(sorted(graph.edges)):
        graph.edges[u, v]["weight"] = i + 1
    weight = "weight" if weighted else None
    ours = m.eigenvector(graph, weight=weight)
    theirs = nx.eigenvector_centrality(graph, weight=weight, tol=1e-9, max_iter=5000)
    assert ours == pytest.approx(theirs, abs=1e-6)
    assert list(ours) == list(graph)


def test_eigenvector_of_an_empty_graph_is_empty_and_a_stalled_one_raises():
    assert m.eigenvector(nx.Graph()) == {}
    with pytest.raises(nx.PowerIterationFailedConvergence):
        m.eigenvector(two_triangles(), max_iter=2)


def test_an_edge_without_weight_counts_one_in_weighted_eigenvector():
    graph = nx.path_graph(3)
    assert m.eigenvector(graph, weight="weight") == pytest.approx(m.eigenvector(graph))


# -- brokers, centrality ------------------------------------------------------------------------


def test_brokers_of_two_triangles_are_the_bridge_ends_with_every_column():
    frame = m.brokers(two_triangles())
    assert list(frame.columns) == m.BROKER_COLUMNS
    rows = frame.to_dict("records")
    assert [r["id"] for r in rows] == ["c", "d"]
    c = rows[0]
    assert c == {
        "id": "c",
        "name": "C label",
        "kind": "un",
        "betweenness": 0.6,
        "articulation_point": True,
        "bridges": 1,
        "effective_size": round(3 - 2 / 3, 4),
        "constraint": round(nx.constraint(two_triangles())["c"], 4),
        "partners": 3,
        "partner_kinds": 2,
        "kinds": "government; ngo",
    }
    assert frame.attrs["betweenness_sample"] is None
    assert frame.attrs["notes"][-1] == "betweenness is exact (every organization as a source)"


def test_brokers_rank_by_betweenness_then_lower_constraint_then_id():
    graph = nx.path_graph(["a", "b", "c", "d", "e"])
    assert m.brokers(graph)["id"].tolist() == ["c", "b", "d"]
    square = nx.Graph([("x", "y"), ("y", "z"), ("z", "w"), ("w", "x")])
    assert m.brokers(square)["id"].tolist() == ["w", "x", "y", "z"]  # all equal: by id


def test_the_ends_of_a_path_are_no_brokers_and_its_middle_is():
    graph = nx.Graph([("a", "b")])
    frame = m.brokers(graph)
    assert frame.empty  # neither end lies between others nor cuts the graph
    graph.add_edge("b", "c")
    assert m.brokers(graph)["id"].tolist() == ["b"]


def test_given_betweenness_is_used_not_recomputed():
    graph = two_triangles()
    fake = ({n: (0.9 if n == "a" else 0.0) for n in graph}, 7)
    frame = m.brokers(graph, fake)
    assert frame["id"].tolist() == ["a", "c", "d"]
    assert frame.attrs["betweenness_sample"] == 7
    assert frame["betweenness"].tolist()[0] == 0.9


def test_brokers_of_an_empty_graph():
    frame = m.brokers(nx.Graph())
    assert frame.empty and list(frame.columns) == m.BROKER_COLUMNS
    assert frame.attrs["notes"] == ["the graph is empty: there is nothing to measure"]


def test_centrality_by_hand_sorted_by_weighted_degree_then_degree_then_id():
    graph = two_triangles()
    graph.edges["a", "b"]["weight"] = 5
    frame = m.centrality(graph)
    assert list(frame.columns) == m.CENTRALITY_COLUMNS
    rows = {r["id"]: r for r in frame.to_dict("records")}
    assert frame["id"].tolist()[:2] == ["a", "b"]  # weight 5 + 1
    assert rows["a"]["weighted_degree"] == 6 and rows["a"]["degree"] == 2
    assert rows["c"]["weighted_degree"] == 3 and rows["c"]["betweenness"] == 0.6
    assert rows["c"]["name"] == "C label" and rows["c"]["kind"] == "un"
    eigen = m.eigenvector(graph, weight="weight")
    assert rows["a"]["eigenvector"] == round(eigen["a"], 4)
    assert frame.attrs["betweenness_sample"] is None
    assert "betweenness is exact (every organization as a source)" in frame.attrs["notes"]


def test_unweighted_ties_count_one_each():
    frame = m.centrality(nx.path_graph(["a", "b", "c"]))
    assert frame["id"].tolist() == ["b", "a", "c"]
    assert frame["weighted_degree"].tolist() == [2, 1, 1]
    eigen = m.eigenvector(nx.path_graph(["a", "b", "c"]))
    assert frame["eigenvector"].tolist()[0] == round(eigen["b"], 4)


def test_centrality_without_ties_has_eigenvector_zero_and_an_empty_graph_no_rows():
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b"])
    frame = m.centrality(graph)
    assert frame["eigenvector"].tolist() == [0.0, 0.0]
    assert frame["degree"].tolist() == [0, 0]
    empty = m.centrality(nx.Graph())
    assert empty.empty and list(empty.columns) == m.CENTRALITY_COLUMNS


def test_centrality_says_when_eigenvector_does_not_converge(monkeypatch):
    def stalled(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1)

    monkeypatch.setattr(m, "eigenvector", stalled)
    frame = m.centrality(two_triangles())
    assert all(math.isnan(v) for v in frame["eigenvector"])
    assert frame.attrs["notes"][-1] == "eigenvector centrality did not converge: shown as NaN"


# -- communities, mixing -----------------------------------------------------------------------


def test_louvain_finds_the_two_triangles_biggest_first_with_modularity():
    graph = two_triangles()
    graph.add_edge("f", "g")
    graph.nodes["g"].update(kind="ngo", short="G")
    frame = m.communities(graph)
    assert list(frame.columns) == ["community", "size", "members", "names", "kinds", "modularity"]
    rows = frame.to_dict("records")
    assert [(r["community"], r["size"], r["members"]) for r in rows] == [
        (1, 4, "d; e; f; g"),
        (2, 3, "a; b; c"),
    ]
    assert rows[0]["names"] == "D; E; F; G"
    assert rows[0]["kinds"] == "ngo 2; government 1; un 1"
    q = round(nx.community.modularity(graph, [{"a", "b", "c"}, {"d", "e", "f", "g"}]), 4)
    assert [r["modularity"] for r in rows] == [q, q]
    assert not any("weakly separated" in n for n in frame.attrs["notes"])


def test_communities_of_a_graph_without_ties_and_a_weak_split_are_said():
    lone = nx.Graph()
    lone.add_nodes_from(["a", "b"])
    frame = m.communities(lone)
    assert frame.empty and frame.attrs["notes"][-1] == "no ties: no communities"
    clique = nx.complete_graph(4)
    notes = m.communities(clique).attrs["notes"]
    assert notes[-1] == "modularity 0.0 < 0.3: the communities are weakly separated"


def test_communities_use_the_weights():
    graph = nx.Graph()
    for u, v in [("a", "b"), ("c", "d")]:
        graph.add_edge(u, v, weight=10)
    for u, v in [("a", "c"), ("b", "d")]:
        graph.add_edge(u, v, weight=1)
    members = m.communities(graph)["members"].tolist()
    assert members == ["a; b", "c; d"]


def test_the_mixing_matrix_counts_ties_between_kinds_symmetrically():
    frame = m.mixing_matrix(two_triangles())
    assert list(frame.index) == list(frame.columns) == ["government", "ngo", "un"]
    assert frame.index.name == "kind"
    assert frame.loc["ngo", "ngo"] == 1  # a-b
    assert frame.loc["ngo", "un"] == frame.loc["un", "ngo"] == 3
    assert frame.loc["government", "un"] == frame.loc["un", "government"] == 2
    assert frame.loc["government", "ngo"] == 1
    assert frame.loc["un", "un"] == 0
    assert frame.loc["government", "government"] == 0


def test_assortativity_of_kinds_and_its_notes():
    graph = nx.Graph([("a", "b"), ("c", "d")])
    for node, kind in {"a": "x", "b": "x", "c": "y", "d": "y"}.items():
        graph.nodes[node]["kind"] = kind
    frame = m.assortativity(graph)
    assert frame.to_dict("records") == [{"attribute": "kind", "ties": 2, "assortativity": 1.0}]
    assert frame.attrs["notes"][-1] == "assortativity from 2 ties only"
    across = nx.Graph([("a", "c"), ("b", "d")])
    for node, kind in {"a": "x", "b": "x", "c": "y", "d": "y"}.items():
        across.nodes[node]["kind"] = kind
    assert m.assortativity(across)["assortativity"].tolist() == [-1.0]


def test_assortativity_is_nan_without_ties_or_kinds_and_not_small_from_20_ties():
    single = nx.path_graph(3)
    frame = m.assortativity(single)
    assert math.isnan(frame["assortativity"].iloc[0])
    assert frame.attrs["notes"][-1] == (
        "assortativity is undefined here (no ties, or a single kind)"
    )
    lone = nx.Graph()
    lone.add_node(1)
    assert math.isnan(m.assortativity(lone)["assortativity"].iloc[0])
    many = nx.Graph([(i, i + 100) for i in range(20)])
    for i in range(20):
        many.nodes[i]["kind"] = "x"
        many.nodes[i + 100]["kind"] = "x" if i % 2 else "y"
    notes = m.assortativity(many).attrs["notes"]
    assert not any("ties only" in n for n in notes)
    assert round(m.assortativity(many)["assortativity"].iloc[0], 4) == round(
        nx.attribute_assortativity_coefficient(many, "kind"), 4
    )


# -- one organization -----------------------------------------------------------------------


def quotes(*items):
    return [{"section": s, "line": line, "quote": q} for s, line, q in items]


def test_ego_lists_partners_nearest_first_then_best_documented():
    graph = nx.Graph()
    graph.add_edge("me", "b", kinds=["funding"], weight=1, quotes=quotes(("4.1", 10, "B funds")))
    graph.add_edge(
        "me", "a", kinds=["agreement", "funding"], weight=3, quotes=quotes(("2", 5, "A signs"))
    )
    graph.add_edge("a", "far", weight=9)
    graph.add_edge("b", "far", weight=1)
    graph.nodes["a"].update(label="Alpha", kind="ngo", country="TH")
    frame = m.ego(graph, "me", radius=2)
    rows = frame.to_dict("records")
    assert [(r["id"], r["distance"]) for r in rows] == [("a", 1), ("b", 1), ("far", 2)]
    assert rows[0] == {
        "id": "a",
        "name": "Alpha",
        "kind": "ngo",
        "country": "TH",
        "distance": 1,
        "via": "",
        "kinds": "agreement; funding",
        "weight": 3,
        "quotes": "[2, line 5] A signs",
    }
    assert rows[2]["via"] == "a; b"
    assert rows[2]["weight"] == 0 and rows[2]["quotes"] == "" and rows[2]["name"] == "far"
    assert [r["id"] for r in m.ego(graph, "me").to_dict("records")] == ["a", "b"]


def test_ego_joins_several_quotes_and_an_unknown_node_has_no_rows_and_no_notes():
    graph = nx.Graph()
    graph.add_edge("me", "a", quotes=quotes(("1", 1, "one"), ("2", 2, "two")), weight=2)
    assert m.ego(graph, "me")["quotes"].tolist() == ["[1, line 1] one | [2, line 2] two"]
    frame = m.ego(graph, "nobody")
    assert frame.empty and frame.attrs["notes"] == []
    assert list(frame.columns)[:5] == ["id", "name", "kind", "country", "distance"]


# -- countries ---------------------------------------------------------------------------------


def country_data() -> NetworkData:
    """Three relations in Thailand, one in Mongolia; unicef-th is based in Thailand."""
    data = NetworkData()
    data.organizations = {
        "unicef": {"label": "UNICEF", "kind": "un"},
        "unicef-th": {
            "label": "UNICEF Thailand",
            "kind": "un",
            "parent": "unicef",
            "country": "TH",
        },
        "itu": {"label": "ITU", "kind": "un"},
        "moe": {"label": "Ministry", "kind": "government", "country": "TH"},
        "idle": {"label": "Idle", "kind": "ngo", "country": "TH"},
    }
    data.countries = {
        "TH": {"id": "thailand", "label": "Thailand", "beneficiary": True},
        "MN": {"id": "mongolia", "label": "Mongolia", "beneficiary": True},
        "FR": {"id": "france", "label": "France", "beneficiary": False},
    }
    data.relations = {
        "p1": Relation("p1", "partnership", "funding", "", {"itu": set(), "moe": set()}, {"TH"}),
        "p2": Relation(
            "p2", "partnership", "agreement", "", {"unicef-th": set(), "moe": set()}, {"TH"}
        ),
        "o1": Relation(
            "o1", "output", "shared output", "", {"itu": set(), "unicef": set()}, {"TH"}
        ),
        "p3": Relation("p3", "partnership", "funding", "", {"itu": set(), "unicef": set()}, {"MN"}),
    }
    quote = Quote("e1", "ITU funded", "4", 1, 1, "r")
    data.evidence = {
        ("p1", "itu"): [quote],
        ("p1", "moe"): [quote, Quote("e2", "the ministry", "4", 2, 2, "r")],
    }
    return data


def test_country_partners_count_relations_placed_in_the_country_with_shares_and_quotes():
    frame = m.country_partners(country_data(), "th")
    assert list(frame.columns) == [
        "id",
        "name",
        "kind",
        "based_in",
        "relations",
        "share",
        "kinds",
        "evidence",
    ]
    rows = frame.to_dict("records")
    assert [r["id"] for r in rows] == ["moe", "itu", "unicef", "unicef-th", "idle"]
    moe, itu = rows[0], rows[1]
    assert moe == {
        "id": "moe",
        "name": "Ministry",
        "kind": "government",
        "based_in": "TH",
        "relations": 2,
        "share": round(2 / 3, 3),
        "kinds": "funding; agreement",
        "evidence": 2,
    }
    assert (itu["relations"], itu["share"], itu["kinds"], itu["evidence"]) == (
        2,
        0.667,
        "funding; shared output",
        1,
    )
    assert rows[-1]["relations"] == 0 and rows[-1]["share"] == 0.0  # based there, no relation
    assert frame.attrs["notes"][1] == (
        "only 3 relation(s) placed in TH: the shares are counts of a handful of statements"
    )


def test_folding_counts_a_sub_organization_as_its_parent():
    rows = m.country_partners(country_data(), "TH", fold=True).to_dict("records")
    unicef = next(r for r in rows if r["id"] == "unicef")
    assert unicef["relations"] == 2  # o1 itself and p2 through UNICEF Thailand
    assert "unicef-th" not in [r["id"] for r in rows]


def test_a_country_without_relations_has_zero_shares():
    data = country_data()
    data.organizations["fr-org"] = {"label": "French body", "kind": "ngo", "country": "FR"}
    rows = m.country_partners(data, "FR").to_dict("records")
    assert [(r["id"], r["relations"], r["share"]) for r in rows] == [("fr-org", 0, 0.0)]


def test_country_profiles_give_each_beneficiary_its_mix_and_top_partner():
    frame = m.country_profiles(country_data())
    rows = frame.to_dict("records")
    assert [r["iso2"] for r in rows] == ["MN", "TH"]
    mn, th = rows
    assert mn == {
        "iso2": "MN",
        "country": "Mongolia",
        "relations": 1,
        "organizations": 2,
        "kind_mix": "un 2",
        "top_partner": "itu",
        "top_share": 1.0,
        "single_partner": False,  # one relation only: no partner to rest on
    }
    assert th["kind_mix"] == "un 3; government 1"
    assert (th["top_partner"], th["top_share"], th["single_partner"]) == ("moe", 0.667, False)
    everyone = m.country_profiles(country_data(), beneficiaries_only=False)
    fr = everyone.to_dict("records")[0]
    assert (fr["iso2"], fr["organizations"], fr["top_partner"], fr["top_share"]) == (
        "FR",
        0,
        "",
        0.0,
    )


def test_a_country_that_rests_on_one_partner_is_flagged():
    data = country_data()
    data.relations["p4"] = Relation("p4", "partnership", "funding", "", {"itu": set()}, {"MN"})
    mn = m.country_profiles(data).to_dict("records")[0]
    assert (mn["relations"], mn["top_partner"], mn["top_share"]) == (2, "itu", 1.0)
    assert mn["single_partner"] is True


# -- the whole graph ----------------------------------------------------------------------------


def test_overview_by_hand():
    graph = two_triangles()
    graph.add_edge("a", "b", quotes=[{"evidence": "e1"}, {"evidence": "e2"}])
    graph.add_edge("c", "d", quotes=[{"evidence": "e1"}])
    graph.graph["organizations_without_ties"] = 4
    frame = m.overview(graph)
    assert frame.to_dict("records") == [
        {"measure": "organizations", "value": 6},
        {"measure": "ties", "value": 7},
        {"measure": "density", "value": round(7 / 15, 4)},
        {"measure": "components", "value": 1},
        {"measure": "largest component", "value": 6},
        {"measure": "quotes behind the ties", "value": 2},
        {"measure": "articulation points", "value": 2},
        {"measure": "bridges", "value": 1},
        {"measure": "betweenness sources", "value": 6},
        {"measure": "organizations without ties (not in the graph)", "value": 4},
    ]
    assert m.overview(graph, ({}, 3)).to_dict("records")[8]["value"] == 3


def test_overview_of_tiny_and_split_graphs():
    values = {r["measure"]: r["value"] for r in m.overview(nx.Graph()).to_dict("records")}
    assert (values["density"], values["components"], values["largest component"]) == (0.0, 0, 0)
    one = nx.Graph()
    one.add_node("a")
    assert {r["measure"]: r["value"] for r in m.overview(one).to_dict("records")}["density"] == 0.0
    split = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    values = {r["measure"]: r["value"] for r in m.overview(split).to_dict("records")}
    assert (values["components"], values["largest component"]) == (2, 3)


def test_summary_has_each_section_ranked():
    graph = two_triangles()
    frame = m.summary(graph, top=2)
    assert list(frame.columns) == ["section", "rank", "id", "name", "value"]
    sections = list(dict.fromkeys(frame["section"]))
    assert sections == [
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
    by = {s: frame[frame["section"] == s].to_dict("records") for s in sections}
    assert [(r["rank"], r["id"], r["value"]) for r in by["top by degree"]] == [
        (1, "c", 3),
        (2, "d", 3),
    ]
    assert [(r["rank"], r["id"]) for r in by["top by betweenness"]] == [(1, "c"), (2, "d")]
    assert [(r["rank"], r["id"], r["name"]) for r in by["brokers (betweenness)"]] == [
        (1, "c", "C label"),
        (2, "d", "D label"),
    ]
    assert [r["id"] for r in by["articulation points (betweenness)"]] == ["c", "d"]
    assert [r["id"] for r in by["communities"]] == ["a; b; c", "d; e; f", ""]
    assert by["communities"][-1]["name"] == "modularity"
    assert by["graph"][0] == {
        "section": "graph",
        "rank": "",
        "id": "",
        "name": "organizations",
        "value": 6,
    }
    assert by["stakeholder mixing"][0]["name"] == "kind assortativity"
    assert [r["name"] for r in by["notes"]] == frame.attrs["notes"]
    assert len(frame.attrs["notes"]) == len(set(frame.attrs["notes"]))


def test_summary_ranks_nan_last():
    graph = two_triangles()
    frame = m.summary(graph, top=6)
    eigen = frame[frame["section"] == "top by eigenvector"]
    assert len(eigen) == 6
    assert eigen["value"].tolist() == sorted(eigen["value"].tolist(), reverse=True)


def test_weights_are_used_when_the_ties_have_any():
    graph = nx.Graph()
    graph.add_edge(0, 1, weight=0)
    assert m._weight(graph) is None  # ties that weigh nothing are counted instead
    graph.edges[0, 1]["weight"] = 2
    assert m._weight(graph) == "weight"
    assert m._name(two_triangles(), "a") == "A label"
    assert m._name(nx.path_graph(2), 1) == 1


# -- more known answers ----------------------------------------------------------------------


def test_the_summary_of_a_path_worked_out_by_hand():
    graph = nx.path_graph(["a", "b", "c"])
    for node, kind in zip("abc", "xyx", strict=True):
        graph.nodes[node].update(kind=kind, label=node.upper())
    small = (
        "only 3 organizations and 2 ties: one more partnership in the data can reorder any "
        "ranking; read the numbers as a description of this report, not as a measure of "
        "importance"
    )
    notes = [
        small,
        "b takes part in 2 of the 2 ties (100%): the rankings mostly say how close an "
        "organization is to b",
        "betweenness is exact (every organization as a source)",
        "modularity 0.0 < 0.3: the communities are weakly separated",
        "assortativity from 2 ties only",
    ]
    graph_rows = [
        ("organizations", 3),
        ("ties", 2),
        ("density", 0.6667),
        ("components", 1),
        ("largest component", 3),
        ("quotes behind the ties", 0),
        ("articulation points", 1),
        ("bridges", 2),
        ("betweenness sources", 3),
        ("organizations without ties (not in the graph)", 0),
    ]
    expected = (
        [("graph", "", "", name, value) for name, value in graph_rows]
        + [
            ("top by degree", 1, "b", "B", 2),
            ("top by degree", 2, "a", "A", 1),
            ("top by weighted degree", 1, "b", "B", 2),
            ("top by weighted degree", 2, "a", "A", 1),
            ("top by betweenness", 1, "b", "B", 1.0),
            ("top by betweenness", 2, "a", "A", 0.0),
            ("top by eigenvector", 1, "b", "B", 0.7071),
            ("top by eigenvector", 2, "a", "A", 0.5),
            ("communities", 1, "a; b; c", "a; b; c", 3),  # no short names: the ids
            ("communities", "", "", "modularity", 0.0),
            ("brokers (betweenness)", 1, "b", "B", 1.0),
            ("articulation points (betweenness)", 1, "b", "B", 1.0),
            ("stakeholder mixing", "", "", "kind assortativity", -1.0),
        ]
        + [("notes", "", "", note, "") for note in notes]
    )
    frame = m.summary(graph, top=2)
    assert [tuple(row) for row in frame.itertuples(index=False)] == expected
    assert frame.attrs["notes"] == notes
    assert len(m.summary(graph)[lambda f: f["section"] == "top by degree"]) == 3  # top 5


def test_nodes_without_kind_short_name_or_country_show_empty_text():
    graph = nx.Graph([("a", "b"), ("b", "c")])
    broker = m.brokers(graph).to_dict("records")[0]
    assert (broker["kind"], broker["kinds"], broker["partner_kinds"]) == ("", "", 1)
    assert m.centrality(graph)["kind"].tolist() == ["", "", ""]
    community = m.communities(graph).to_dict("records")[0]
    assert (community["names"], community["kinds"]) == ("a; b; c", " 3")
    ego = m.ego(graph, "b").to_dict("records")[0]
    assert (ego["kind"], ego["country"], ego["name"]) == ("", "", "a")
    graph.nodes["a"]["kind"] = "ngo"
    matrix = m.mixing_matrix(graph)
    assert list(matrix.index) == ["", "ngo"]
    assert matrix.loc["", "ngo"] == matrix.loc["ngo", ""] == 1
    assert matrix.loc["", ""] == 1


def test_frames_carry_their_notes_and_columns_even_when_empty():
    lone = nx.Graph()
    lone.add_nodes_from(["a", "b"])
    communities = m.communities(lone)
    assert list(communities.columns) == [
        "community",
        "size",
        "members",
        "names",
        "kinds",
        "modularity",
    ]
    assert m.centrality(nx.Graph()).attrs["notes"] == [
        "the graph is empty: there is nothing to measure"
    ]
    graph = nx.path_graph(["a", "b", "c"])
    assert m.mixing_matrix(graph).attrs["notes"] == m.fragility_notes(graph)
    ego = m.ego(graph, "a", radius=2)
    assert ego.attrs["notes"] == m.fragility_notes(graph)
    assert list(m.ego(graph, "a").columns) == [
        "id",
        "name",
        "kind",
        "country",
        "distance",
        "via",
        "kinds",
        "weight",
        "quotes",
    ]


def test_the_hub_named_is_the_busiest_not_the_first_by_name():
    graph = nx.star_graph(["z", "a", "b", "c", "d"])
    assert any(n.startswith("z takes part in 4 of the 4 ties") for n in m.fragility_notes(graph))


def test_a_single_tie_of_weight_one_is_weighed():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1)
    assert m._weight(graph) == "weight"


def test_sampled_betweenness_is_networkx_with_the_fixed_seed():
    path = nx.path_graph(30)
    values, sample = m.betweenness(path, exact_limit=10, sample=5)
    assert sample == 5
    assert values == nx.betweenness_centrality(path, k=5, normalized=True, seed=m.SEED)
    assert values != nx.betweenness_centrality(path, normalized=True)


def test_each_end_of_every_bridge_counts():
    graph = nx.star_graph(["z", "a", "b", "c"])
    assert m.bridges_per_node(graph) == {"z": 3, "a": 1, "b": 1, "c": 1}
    reverse = nx.Graph([("a", "z"), ("b", "z"), ("c", "z")])
    assert m.bridges_per_node(reverse)["z"] == 3


def test_a_tie_without_weight_counts_one_among_weighted_ties():
    graph = two_triangles()
    graph.edges["a", "b"]["weight"] = 3
    graph.edges["c", "d"]["weight"] = 2
    assert m.constraint(graph, weight="weight") == pytest.approx(
        nx.constraint(graph, weight="weight")
    )
    ours = m.eigenvector(graph, weight="weight")
    theirs = nx.eigenvector_centrality(graph, weight="weight", tol=1e-9, max_iter=5000)
    assert ours == pytest.approx(theirs, abs=1e-6)


def test_eigenvector_of_a_graph_whose_last_node_is_alone():
    graph = nx.path_graph(["a", "b", "c"])
    graph.add_node("z")
    values = m.eigenvector(graph)
    assert list(values) == ["a", "b", "c", "z"]
    assert values["z"] == pytest.approx(0.0, abs=1e-6)
    assert values["b"] > values["a"] > 0


def test_rounded_values_keep_four_decimals():
    graph = nx.path_graph(["a", "b", "c", "d"])
    assert m.centrality(graph).set_index("id").loc["b", "betweenness"] == 0.6667
    assert m.brokers(graph).set_index("id").loc["b", "betweenness"] == 0.6667
    kinds = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("a", "e"), ("a", "c")])
    for node, kind in zip("abcde", "xxyyz", strict=True):
        kinds.nodes[node]["kind"] = kind
    exact = nx.attribute_assortativity_coefficient(kinds, "kind")
    assert exact != round(exact, 4)
    assert m.assortativity(kinds)["assortativity"].iloc[0] == round(exact, 4)


def test_a_graph_of_one_organization_has_one_row_of_centrality():
    one = nx.Graph()
    one.add_node("a", kind="ngo", label="A")
    assert m.centrality(one)["id"].tolist() == ["a"]


def test_centrality_ties_are_broken_by_degree_then_id_and_given_betweenness_is_used():
    graph = nx.Graph()
    graph.add_edge("z", "y", weight=2)  # z: weighted degree 2, degree 1
    graph.add_edge("b", "x", weight=1)
    graph.add_edge("b", "w", weight=1)  # b: weighted degree 2, degree 2
    graph.add_edge("a", "v", weight=2)  # a: as z
    assert m.centrality(graph)["id"].tolist()[:4] == ["b", "a", "v", "y"]
    between = ({n: 0.0 for n in graph}, 7)
    frame = m.centrality(graph, between)
    assert frame.attrs["betweenness_sample"] == 7
    assert frame.attrs["notes"][-1].startswith("betweenness is estimated from 7 of the 7 ")
    assert (
        m.brokers(graph, ({**between[0], "b": 0.5}, 7))
        .attrs["notes"][-1]
        .startswith("betweenness is estimated from 7 of the 7 ")
    )


def test_communities_by_resolution_weight_and_ties_in_size_and_kind():
    graph = two_triangles()
    assert len(m.communities(graph, resolution=0.01)) == 1  # low resolution: one community
    pairs = nx.Graph([("a", "z"), ("b", "c")])
    for node, kind in zip("azbc", ["x", "a", "m", "m"], strict=True):
        pairs.nodes[node]["kind"] = kind
    rows = m.communities(pairs).to_dict("records")
    assert [r["members"] for r in rows] == ["a; z", "b; c"]  # by first member
    assert rows[0]["kinds"] == "a 1; x 1"  # equal counts: by name
    weighted = nx.Graph()
    for u, v, w in [("a", "b", 10), ("c", "d", 10), ("a", "c", 1), ("b", "d", 1)]:
        weighted.add_edge(u, v, weight=w)
    q = m.communities(weighted)["modularity"].iloc[0]
    parts = [{"a", "b"}, {"c", "d"}]
    assert q == round(nx.community.modularity(weighted, parts, weight="weight"), 4)
    assert q != round(nx.community.modularity(weighted, parts, weight=None), 4)


def test_a_country_with_five_relations_is_not_called_a_handful():
    data = country_data()
    for i in range(3):
        data.relations[f"x{i}"] = Relation(
            f"x{i}", "partnership", "support", "", {"itu": set()}, {"MN"}
        )
    notes = m.country_partners(data, "MN").attrs["notes"]
    assert notes == [
        "a relation counts for a country only where the partnership, output or event itself "
        "names it, never through a member based there",
        "only 4 relation(s) placed in MN: the shares are counts of a handful of statements",
    ]
    data.relations["x3"] = Relation("x3", "partnership", "support", "", {"itu": set()}, {"MN"})
    assert len(m.country_partners(data, "MN").attrs["notes"]) == 1


def test_country_profiles_fold_and_order_equal_kinds_by_name():
    folded = m.country_profiles(country_data(), fold=True).set_index("iso2")
    assert folded.loc["TH", "organizations"] == 3  # UNICEF Thailand counts as UNICEF
    assert folded.loc["TH", "kind_mix"] == "un 2; government 1"
    data = country_data()
    data.countries["FR"]["beneficiary"] = True
    data.organizations["n"] = {"label": "N", "kind": "ngo"}
    data.organizations["u"] = {"label": "U", "kind": "academia"}
    data.relations["f"] = Relation(
        "f", "partnership", "funding", "", {"n": set(), "u": set()}, {"FR"}
    )
    frame = m.country_profiles(data)
    assert frame.set_index("iso2").loc["FR", "kind_mix"] == "academia 1; ngo 1"
    assert frame.attrs["notes"] == [
        "top_share is the share of the country's relations the top organization is in; with "
        "a few relations per country it moves with each one added"
    ]
    none = NetworkData()
    empty = m.country_profiles(none)
    assert empty.empty and list(empty.columns) == [
        "iso2",
        "country",
        "relations",
        "organizations",
        "kind_mix",
        "top_partner",
        "top_share",
        "single_partner",
    ]


def test_the_density_of_a_single_tie_is_one_and_the_overview_says_its_notes():
    pair = nx.Graph([("a", "b")])
    frame = m.overview(pair)
    assert {r["measure"]: r["value"] for r in frame.to_dict("records")}["density"] == 1.0
    assert frame.attrs["notes"] == m.fragility_notes(pair)


def test_the_summary_keeps_the_top_rows_of_each_section():
    graph = two_triangles()
    by_section = m.summary(graph, top=1).groupby("section").size()
    assert by_section["brokers (betweenness)"] == 1  # c and d are brokers: only the first
    assert by_section["articulation points (betweenness)"] == 1
    assert m.summary(graph).groupby("section").size()["top by degree"] == 5


def test_modularity_is_measured_at_the_resolution_asked_for():
    graph = two_triangles()
    frame = m.communities(graph, resolution=0.5)
    parts = [set(members.split("; ")) for members in frame["members"]]
    expected = round(nx.community.modularity(graph, parts, resolution=0.5), 4)
    assert frame["modularity"].iloc[0] == expected
