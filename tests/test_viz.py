"""The offline page and the PNG: self-contained, escaped, deterministic."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from copgraph import network, viz
from copgraph.cli import main
from copgraph.kg import open_graph

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


def page_data(html: str) -> tuple[list, list]:
    nodes = json.loads(re.search(r"var NODES = (.*);\n", html).group(1))
    edges = json.loads(re.search(r"var EDGES = (.*);\n", html).group(1))
    return nodes, edges


def test_same_graph_same_bytes(tmp_path, hostile):
    again = network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")))
    first = viz.write_page(hostile, tmp_path / "a.html").read_bytes()
    second = viz.write_page(again, tmp_path / "b.html").read_bytes()
    assert first == second
    assert '"randomSeed":7' in first.decode()


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
    # the CSP comes before any script or style it governs
    assert html.index("Content-Security-Policy") < html.index("<script")
    assert html.index("Content-Security-Policy") < html.index("<style")


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
    edge = next(e for e in edges if {e["from"], e["to"]} == {"epsilon", "zeta"})
    assert edge["kinds"] == ["review", "shared output"]
    assert "[\u00a74.10, line 41] \u201cEpsilon reviewed Zeta\u201d" in edge["title"]
    dashed = next(e for e in edges if {e["from"], e["to"]} == {"alpha-office", "beta"})
    assert dashed["dashes"] is True  # a shared event, not a stated partnership


def test_hostile_names_are_escaped(hostile):
    html = viz.page(hostile)
    assert XSS not in html
    assert "<img" not in html.replace("<img src=", "")  # no img tag at all
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # the quote that tries to close the script stays inside its JSON string
    assert html.count("</script") == 2  # the two real closing tags, no more
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
    assert "var NODES = [];" in viz.page(nx.Graph())
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
