"""The offline page and the PNG: self-contained, escaped, deterministic."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from copgraph import network, viz
from copgraph.cli import main
from copgraph.kg import open_graph

from .conftest import ROOT, run_process
from .test_network import fixture_kg

XSS = "<img src=x onerror=alert(1)>"
NETWORK_LINK = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def hostile():
    """The tiny fixture plus an organization named like an HTML injection."""
    return network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")))


@pytest.fixture(scope="module")
def report_graph():
    return network.partnership_graph(network.load(open_graph("oxigraph")))


DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def page_json(html: str) -> dict:
    return json.loads(DATA_BLOCK.search(html).group(1))


def page_data(html: str) -> tuple[list, list]:
    data = page_json(html)
    return data["nodes"], data["edges"]


def test_same_graph_same_bytes(tmp_path, hostile):
    again = network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")))
    first = viz.write_page(hostile, tmp_path / "a.html").read_bytes()
    second = viz.write_page(again, tmp_path / "b.html").read_bytes()
    assert first == second
    assert '"randomSeed":7' in first.decode()


def test_page_and_png_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED draw the report: the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        html, png = tmp_path / f"{seed}.html", tmp_path / f"{seed}.png"
        result = run_process(
            "viz", "-o", str(html), "--png", str(png), env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        outputs.append((html.read_bytes(), png.read_bytes()))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]


@pytest.mark.parametrize("which", ["hostile", "report_graph"])
def test_page_loads_nothing_from_the_network(request, which):
    html = viz.page(request.getfixturevalue(which))
    assert not NETWORK_LINK.findall(html)
    for attr in re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.I):
        assert not attr.lower().startswith("http"), attr
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", html)
    for host in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com", "bootstrap.min"):
        assert host not in html
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp and "default-src 'none'" in csp.group(1)
    assert "connect-src 'none'" in csp.group(1)
    assert "unsafe-inline" not in csp.group(1) and "unsafe-eval" not in csp.group(1)
    # the CSP comes before any script or style it governs
    assert html.index("Content-Security-Policy") < html.index("<script")
    assert html.index("Content-Security-Policy") < html.index("<style")


def test_csp_hashes_are_exactly_the_inline_scripts_and_styles(hostile):
    html = viz.page(hostile)
    policy = re.search(r'content="(default-src[^"]+)"', html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))

    def hashes(tag: str) -> set[str]:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)  # no attributes: inline code
        return {
            "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
            for b in blocks
        }

    assert set(directives["script-src"].split()) == hashes("script")
    assert set(directives["style-src"].split()) == hashes("style")
    assert len(hashes("script")) == 2 and len(hashes("style")) == 2  # vis-network + the page
    # the page's script is the same whatever the graph: its data is a JSON block
    script = re.findall(r"<script>(.*?)</script>", html, re.S)[-1]
    assert script == (viz.TEMPLATES / "network.js").read_text(encoding="utf-8")
    assert "style=" not in html.split("</head>")[1]  # no inline style attributes


def test_page_holds_the_graph(hostile, report_graph):
    for graph in (hostile, report_graph):
        nodes, edges = page_data(viz.page(graph))
        assert len(nodes) == graph.number_of_nodes()
        assert len(edges) == graph.number_of_edges()
        assert {n["id"] for n in nodes} == set(graph)
        assert {frozenset((e["from"], e["to"])) for e in edges} == {
            frozenset(e) for e in graph.edges
        }


def test_nodes_and_edges_are_styled(hostile):
    nodes, edges = page_data(viz.page(hostile))
    by_id = {n["id"]: n for n in nodes}
    assert by_id["alpha"]["label"] == "ALP"  # acronym
    assert by_id["alpha"]["color"] == viz.KIND_COLOURS["UN agency"]
    assert by_id["beta"]["size"] > by_id["alpha-office"]["size"]  # sized by centrality
    assert "country: Mongolia (MN)" in by_id["beta"]["title"]
    assert by_id["alpha"]["names"] == ["Alpha Agency", "ALP", "the Alpha agency of the region"]
    edge = next(e for e in edges if {e["from"], e["to"]} == {"epsilon", "zeta"})
    assert edge["kinds"] == ["review", "shared output"]
    assert "[\u00a74.10, line 41] \u201cEpsilon reviewed Zeta\u201d" in edge["title"]
    assert [v["relation"] for v in edge["via"]] == ["o1", "p7"]
    data = page_json(viz.page(hostile))
    assert data["quotes"]["evidence/e7"] == {
        "quote": "Epsilon reviewed Zeta",
        "section": "4.10",
        "line": 41,
    }
    assert data["edge_styles"]["shared event"]["dashed"] is True  # not a stated partnership


def test_sub_units_are_drawn_part_of_their_parent(hostile):
    data = page_json(viz.page(hostile))
    assert [(p["from"], p["to"]) for p in data["parts"]] == [("alpha-office", "alpha")]
    assert all(p["id"] not in {e["id"] for e in data["edges"]} for p in data["parts"])
    html = viz.page(hostile)
    assert 'data-kind="part of"' in html  # its own legend entry


def test_a_tie_of_several_kinds_is_drawn_in_its_best_supported_kind(hostile):
    nodes, edges = page_data(viz.page(hostile))
    edge = next(e for e in edges if {e["from"], e["to"]} == {"alpha", "beta"})
    folded = network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")), fold=True)
    _, folded_edges = page_data(viz.page(folded))
    tie = next(e for e in folded_edges if {e["from"], e["to"]} == {"alpha", "beta"})
    assert tie["kinds"] == ["funding", "shared event"]
    assert tie["primary_kind"] == "funding"  # one sentence each: the scheme's order wins
    assert "most sentences" in viz.page(folded)  # and the legend says so
    assert edge["primary_kind"] == "funding"


def test_large_graphs_are_cut_to_the_best_connected_and_laid_out_in_advance():
    graph = nx.barabasi_albert_graph(300, 2, seed=1)
    nx.set_edge_attributes(graph, 1, "weight")
    nx.set_edge_attributes(graph, ["collaboration"], "kinds")
    nx.set_edge_attributes(graph, "collaboration", "primary_kind")
    graph = nx.relabel_nodes(graph, {n: f"org{n:03d}" for n in graph})
    data = viz.page_data(graph, limit=100)
    assert len(data["nodes"]) == 100 and data["left_out"] == 200
    kept = {n["id"] for n in data["nodes"]}
    degree = dict(graph.degree)
    assert min(degree[n] for n in kept) >= max(degree[n] for n in graph if n not in kept)
    assert data["options"]["physics"]["enabled"] is (100 <= viz.PHYSICS_LIMIT)
    html = viz.page(graph, limit=100)
    assert "200 organizations and" in html and "are left out" in html
    small = viz.page_data(graph, limit=1000)
    assert small["left_out"] == 0 and len(small["nodes"]) == 300
    assert small["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in small["nodes"])


def test_hostile_names_are_escaped(hostile):
    html = viz.page(hostile)
    assert XSS not in html
    assert "<img" not in html.replace("<img src=", "")  # no img tag at all
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # the quote that tries to close the script stays inside its JSON string
    assert html.count("</script") == 3  # vis-network, the data block, the page script
    assert "alert(2)" in html and "<script>alert(2)" not in html
    nodes, edges = page_data(html)
    assert {n["name"] for n in nodes} >= {XSS}  # shown as text, unchanged


def test_legend_and_controls_are_html_escaped():
    graph = nx.Graph()
    graph.add_node("a", label="A & <b>", kind="<script>alert(4)</script>", country='Q"Z')
    graph.add_node("b", label="B", kind="company", country="")
    graph.add_edge("a", "b", kinds=["<i>odd</i>"], primary_kind="<i>odd</i>", weight=1, quotes=[])
    html = viz.page(graph)
    assert "<script>alert(4)" not in html and "<i>odd</i>" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html  # the legend shows it as text
    assert "&lt;i&gt;odd&lt;/i&gt;" in html  # the kind filter's option
    assert 'value="Q&#34;Z"' in html  # the country filter's option


def test_controls_list_countries_and_kinds(hostile):
    html = viz.page(hostile)
    assert '<select id="country-filter">' in html and '<select id="kind-filter">' in html
    assert '<option value="MN">Mongolia (MN)</option>' in html
    assert '<option value="shared event">shared event</option>' in html


def test_png_is_drawn_and_deterministic(tmp_path, hostile):
    first = viz.write_png(hostile, tmp_path / "a.png").read_bytes()
    second = viz.write_png(hostile, tmp_path / "b.png").read_bytes()
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(first) > 10_000
    assert first == second


def test_png_takes_a_dollar_sign_as_text(tmp_path):
    graph = nx.Graph()
    graph.add_edge("a", "b", primary_kind="funding", weight=1)
    graph.nodes["a"]["short"] = "$x^2$ Fund $"
    assert viz.write_png(graph, tmp_path / "d.png").stat().st_size > 0


def test_empty_graph_still_renders(tmp_path):
    assert page_data(viz.page(nx.Graph())) == ([], [])
    assert viz.write_png(nx.Graph(), tmp_path / "e.png").stat().st_size > 0


def test_cli_viz_writes_page_and_png_twice_the_same(tmp_path):
    runner = CliRunner()
    outputs = []
    for name in ("one", "two"):
        html, png = tmp_path / f"{name}.html", tmp_path / f"{name}.png"
        result = runner.invoke(main, ["viz", "-o", str(html), "--png", str(png)])
        assert result.exit_code == 0, result.output
        assert f"wrote {html}" in result.stdout and f"wrote {png}" in result.stdout
        outputs.append((html.read_bytes(), png.read_bytes()))
    assert outputs[0] == outputs[1]


def test_cli_viz_creates_a_missing_folder_and_refuses_a_folder_as_file(tmp_path):
    target = tmp_path / "new" / "x.html"
    result = CliRunner().invoke(main, ["viz", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(main, ["viz", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_the_page_templates_are_shipped_as_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["copgraph"]
    for name in ("network.html.j2", "network.js", "network.css"):
        assert (viz.TEMPLATES / name).is_file()
        assert any(fnmatch.fnmatch(f"templates/{name}", p) for p in patterns), name


def test_every_organization_kind_of_the_scheme_has_its_own_colour():
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from copgraph.namespaces import SCHEMES

    scheme = Graph().parse(ROOT / "ontology" / "schemes" / "organization-kind.ttl")
    kinds = {
        str(label)
        for concept, label in scheme.subject_objects(SKOS.prefLabel)
        if str(concept).startswith(str(SCHEMES["organization-kind"]))
    }
    assert kinds <= set(viz.KIND_COLOURS), kinds - set(viz.KIND_COLOURS)
    assert len(set(viz.KIND_COLOURS.values())) == len(viz.KIND_COLOURS)
    assert viz.UNKNOWN_COLOUR not in viz.KIND_COLOURS.values()
