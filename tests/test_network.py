"""The partnership network: known answers on a hand-made graph, the report's own
partnerships, exports that read back unchanged, and the ``copgraph network`` commands."""

from __future__ import annotations

import json
import math
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
    files = sorted(network.QUERY_DIR.glob("*.rq"))
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
    # p1, p3, ev1 are stated in Mongolia; o1 and p7 have no place and a member based there
    graph = network.partnership_graph(tiny, fold=True, country="mn")
    assert edge_set(graph) == pairs("alpha-beta", "beta-gamma", "epsilon-zeta")
    assert graph.graph["country"] == "MN"
    with pytest.raises(QueryError, match="no country with ISO code"):
        network.partnership_graph(tiny, country="XX")


def test_restricting_to_a_kind(tiny):
    assert edge_set(network.partnership_graph(tiny, kind="Funding")) == pairs("alpha-beta")
    assert edge_set(network.partnership_graph(tiny, kind="output")) == pairs("epsilon-zeta")
    with pytest.raises(QueryError, match="did you mean funding"):
        network.partnership_graph(tiny, kind="fundin")


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
    assert frame["id"].tolist()[:2] == ["delta", "gamma"]
    assert frame["partner_kinds"].tolist()[:2] == [3, 3]
    assert frame.set_index("id").loc["gamma", "kinds"] == (
        "UN agency; civil-society organization; government body"
    )


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
    assert frame.set_index("id").loc["delta", "quotes"] == "[4.3] Gamma worked with Delta"
    wider = network.ego(folded, "gamma", radius=2).set_index("id")
    assert wider.loc["epsilon", "distance"] == 2 and wider.loc["epsilon", "via"] == "delta"
    assert network.ego(folded, "lonely").empty


def test_country_partners_and_profiles(tiny):
    partners = network.country_partners(tiny, "MN").set_index("id")
    # five relations are placed in Mongolia: p1, p3, ev1 (stated), o1, p7 (members based there)
    assert partners.loc["beta", "relations"] == 3 and partners.loc["beta", "share"] == 0.6
    assert partners.loc["alpha-office", "kinds"] == "shared event"
    profiles = network.country_profiles(tiny).set_index("iso2")
    assert list(profiles.index) == ["MN", "TH"]  # beneficiaries only: not AU
    assert profiles.loc["MN", "top_partner"] == "beta"
    assert profiles.loc["TH", "relations"] == 6
    assert not profiles["single_partner"].any()


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
        "brokers (partner kinds)",
        "stakeholder mixing",
        "notes",
    ]
    graph_rows = frame[frame["section"] == "graph"].set_index("name")["value"]
    assert graph_rows["organizations"] == 6 and graph_rows["ties"] == 7
    assert graph_rows["density"] == round(7 / 15, 4) and graph_rows["components"] == 1


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
    assert funding["weight"] == len({q["evidence"] for q in funding["quotes"]})
    assert "membership" in _tie(graph, "gsma", "itu")["kinds"]  # "a member of the ITU’ s COP Initiative"
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


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_cli_export_reads_back(tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--fold")
    assert result.exit_code == 0, result.output
    back = network.read_export(out, fmt)
    assert back.number_of_nodes() > 0 and back.number_of_edges() > 0
    assert f"({back.number_of_nodes()} nodes, {back.number_of_edges()} edges" in result.stdout
