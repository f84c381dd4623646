"""The page in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

Skipped when Chromium or Playwright is missing, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from copgraph import network, viz
from copgraph.kg import open_graph

from .test_network import fixture_kg

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CHROMIUM = Path(os.environ.get("COPGRAPH_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
XSS = "<img src=x onerror=alert(1)>"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason}: in CI (CI=true) the browser test must run, not skip")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as p:
        yield p


def launch(playwright, profile: Path, allowed: str = "file:"):
    """Chromium with a fresh profile; every request whose URL does not start with
    ``allowed`` is refused and recorded in ``context.refused``."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=ARGS,
        viewport={"width": 1280, "height": 860},
        service_workers="block",
    )
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.refused = refused
    context.set_default_timeout(20_000)  # a failure fails, it never hangs
    return context


@pytest.fixture
def browser(playwright, tmp_path):
    """A fresh profile, and every request that is not file: refused and recorded."""
    context = launch(playwright, tmp_path / "profile")
    yield context
    context.close()


def _open(browser, path: Path):
    """Open a page, recording errors and dialogs; wait until it is stabilized."""
    page = browser.new_page()
    page.errors, page.dialogs = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.copgraph && window.copgraph.stabilized")
    return page


def _click_node(page, node: str) -> None:
    point = page.evaluate(
        """(id) => {
          const net = window.copgraph.network;
          const dom = net.canvasToDOM(net.getPositions([id])[id]);
          const box = document.getElementById('network').getBoundingClientRect();
          return [dom.x + box.left, dom.y + box.top];
        }""",
        node,
    )
    page.mouse.click(*point)


def _graphs():
    return {
        "fixture": lambda: network.partnership_graph(
            network.load(fixture_kg("tiny.ttl", "xss.ttl"))
        ),
        "report": lambda: network.partnership_graph(network.load(open_graph("oxigraph"))),
    }


def _save_screenshot(page, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / f"network-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    keep = os.environ.get("COPGRAPH_SCREENSHOTS")  # a folder to keep them in, if wanted
    if keep:
        shutil.copyfile(shot, Path(keep) / shot.name)
    return shot


CANVAS_INK = """() => {
  const canvas = document.querySelector('#network canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { ink += 1; } }
  return {width: canvas.width, height: canvas.height, ink: ink};
}"""
VISIBLE = "() => window.copgraph.nodes.get({filter: (n) => !n.hidden}).length"


@pytest.mark.parametrize("name", ["fixture", "report"])
def test_page_in_headless_chromium(browser, tmp_path, name):
    graph = _graphs()[name]()
    assert graph.number_of_edges() > 0
    path = viz.write_page(graph, tmp_path / f"{name}.html")
    page = browser.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.copgraph && window.copgraph.stabilized")

    # the counts in the page's vis DataSets are the NetworkX graph's (plus "part of" links)
    counts = page.evaluate("() => [window.copgraph.nodes.length, window.copgraph.ties.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]

    # the network is drawn: the canvas has ink
    canvas = page.evaluate(CANVAS_INK)
    assert canvas["width"] > 0 and canvas["height"] > 0
    assert canvas["ink"] > 1000, canvas

    # physics stopped after stabilizing
    assert page.evaluate("() => window.copgraph.network.physics.options.enabled") is False

    # a filter control changes the visible nodes
    total = page.evaluate(VISIBLE)
    assert total == graph.number_of_nodes()
    options = page.eval_on_selector_all(
        "#country-filter option", "(os) => os.map((o) => o.value).filter((v) => v)"
    )
    shown = {}
    for code in options:
        page.select_option("#country-filter", code)
        shown[code] = page.evaluate(VISIBLE)
    assert any(n < total for n in shown.values()), shown
    assert f"of {total} organizations" in page.inner_text("#shown-count")
    page.click("#reset-filters")
    assert page.evaluate(VISIBLE) == total
    kinds = page.eval_on_selector_all(
        "#kind-filter option", "(os) => os.map((o) => o.value).filter((v) => v)"
    )
    page.select_option("#kind-filter", kinds[0])
    with_kind = page.evaluate(VISIBLE)
    expected = {n for u, v, k in graph.edges(data="kinds") if kinds[0] in k for n in (u, v)}
    assert with_kind == len(expected)
    page.click("#reset-filters")

    if name == "fixture":
        # the hostile label is data: the DataSet holds it, the tooltip shows it as text
        title = page.evaluate("() => window.copgraph.nodes.get('xss-org').title")
        assert title.startswith(XSS + "\n")
        point = page.evaluate(
            """() => {
              const net = window.copgraph.network;
              const dom = net.canvasToDOM(net.getPositions(['xss-org'])['xss-org']);
              const box = document.getElementById('network').getBoundingClientRect();
              return [dom.x + box.left, dom.y + box.top];
            }"""
        )
        page.mouse.move(*point)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        tooltip = page.inner_text("div.vis-tooltip")
        assert tooltip.startswith(XSS)
        page.wait_for_timeout(300)
    assert (
        page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    )
    assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
    assert dialogs == [], "a script injected through a label ran"
    assert errors == [], errors
    assert browser.refused == [], f"the page tried to reach the network: {browser.refused}"

    _save_screenshot(page, tmp_path, name)

    # and the CSP is in force: a load the page did not plan is refused before it leaves
    violated = page.evaluate(
        """() => new Promise((resolve) => {
          const done = (e) => resolve(e.effectiveDirective);
          document.addEventListener('securitypolicyviolation', done);
          const img = new Image();
          img.src = 'http://example.invalid/pixel.png';
          document.body.appendChild(img);
        })"""
    )
    assert violated == "img-src"
    assert browser.refused == []
    page.close()


DRAWN_TIE_COLOURS = """() => {
  const ties = new Set(window.copgraph.ties.map((t) => t.id));
  return window.copgraph.edges.get({filter: (e) => !e.hidden && ties.has(e.id)})
    .map((e) => e.color.color);
}"""
LEGEND_COLOUR = """(kind) => {
  const line = document.querySelector(`#tie-kinds li[data-kind="${kind}"] .line`);
  const rgb = getComputedStyle(line).borderTopColor.match(/\\d+/g).map(Number);
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase();
}"""


def test_report_page_is_an_evidence_browser(browser, tmp_path):
    """Click ITU: its ties and a quote with section and line; filter by a kind: the
    legend's colour on every drawn tie. Stabilized and clickable in under 2 s."""
    import time

    graph = network.partnership_graph(network.load(open_graph("oxigraph")))
    path = viz.write_page(graph, tmp_path / "report.html")
    started = time.perf_counter()
    page = _open(browser, path)
    _click_node(page, "itu")
    page.wait_for_selector("#panel[data-node='itu']")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"stabilized and clicked after {elapsed:.2f} s"

    panel = page.inner_text("#panel")
    assert panel.startswith("International Telecommunication Union")
    assert "kind\nUN agency" in panel.replace("\t", "\n")
    partners = page.eval_on_selector_all("#panel .partner", "(bs) => bs.map((b) => b.textContent)")
    assert len(partners) >= graph.degree("itu")  # a partner per tie and kind
    assert any(p.startswith("Government of Australia (") for p in partners)
    quote = page.locator("#panel .quotes li").first.inner_text()
    assert re.search(r"\u00a7\d+(\.\d+)*, line \d+$", quote), quote
    headings = page.eval_on_selector_all("#panel h3", "(hs) => hs.map((h) => h.dataset.kind)")
    kinds = {k for *_, ks in graph.edges("itu", data="kinds") for k in ks}
    assert set(headings) == kinds  # ties grouped by kind

    # the funding tie with Australia is also support: under "funding" it is drawn in funding
    page.select_option("#kind-filter", "funding")
    colours = page.evaluate(DRAWN_TIE_COLOURS)
    assert colours, "no tie drawn under the funding filter"
    assert set(colours) == {page.evaluate(LEGEND_COLOUR, "funding")}
    for kind in page.eval_on_selector_all(
        "#kind-filter option", "(os) => os.map((o) => o.value).filter((v) => v)"
    ):
        page.select_option("#kind-filter", kind)
        assert set(page.evaluate(DRAWN_TIE_COLOURS)) <= {page.evaluate(LEGEND_COLOUR, kind)}
    page.select_option("#kind-filter", "")

    # a click on the ITU - Australia tie (its middle) shows its quotes
    point = page.evaluate(
        """() => {
          const net = window.copgraph.network;
          const p = net.getPositions(['itu', 'government-of-australia']);
          const a = p['itu'], b = p['government-of-australia'];
          const dom = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
          const box = document.getElementById('network').getBoundingClientRect();
          return [dom.x + box.left, dom.y + box.top];
        }"""
    )
    page.mouse.click(*point)
    page.wait_for_selector("#panel[data-tie]")
    panel = page.inner_text("#panel")
    assert panel.startswith("Government of Australia \u2014 International Telecommunication")
    assert "funded a project on COP" in panel and "\u00a71, line" in panel

    # the search box finds an organization by another of its names
    page.fill("#search", "ITU")
    page.press("#search", "Enter")
    page.wait_for_selector("#panel[data-node='itu']")
    assert page.errors == [], page.errors
    assert browser.refused == []
    page.close()


def test_fixture_page_full_labels_search_and_part_of(browser, tmp_path):
    graph = network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")))
    page = _open(browser, viz.write_page(graph, tmp_path / "fixture.html"))
    label = "() => window.copgraph.nodes.get('alpha').label"
    assert page.evaluate(label) == "ALP"
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(12):  # the mouse wheel, as a reader zooms in
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(30)
    page.wait_for_function(f"() => window.copgraph.network.getScale() >= {viz.FULL_LABEL_SCALE}")
    assert page.evaluate(label) == "Alpha Agency"  # zoomed in: the full name
    page.fill("#search", "agency of the region")  # part of an alternative name
    page.press("#search", "Enter")
    page.wait_for_selector("#panel[data-node='alpha']")
    assert "also called" in page.inner_text("#panel")
    part = page.evaluate(
        "() => window.copgraph.edges.get({filter: (e) => e.id.startsWith('part')})"
    )
    assert [(p["from"], p["to"], p["dashes"]) for p in part] == [("alpha-office", "alpha", [2, 5])]
    # the hostile quote is shown as text in the panel
    page.evaluate("() => window.copgraph.network.fit({animation: false})")
    _click_node(page, "xss-org")
    page.wait_for_selector("#panel[data-node='xss-org']")
    assert "</script><script>alert(2)</script>" in page.inner_text("#panel")
    assert page.dialogs == [] and page.errors == []
    page.close()


def test_an_injected_inline_script_or_handler_does_not_run(browser, tmp_path):
    """Even if escaping were bypassed, the CSP (no 'unsafe-inline') stops injected code."""
    graph = network.partnership_graph(network.load(fixture_kg("tiny.ttl", "xss.ttl")))
    html = viz.page(graph).replace(
        "<main>",
        '<img id="bad-img" src="data:," onerror="window.pwned = 1; alert(1)">'
        "<script>window.pwned = 2; alert(2)</script>"
        '<button id="bad-button" type="button" onclick="window.pwned = 3">x</button>'
        "<main>",
        1,
    )
    path = tmp_path / "injected.html"
    path.write_text(html, encoding="utf-8")
    page = _open(browser, path)
    page.click("#bad-button")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.pwned") is None
    assert page.dialogs == []
    refused = [e for e in page.errors if "Content Security Policy" in e]
    assert len(refused) >= 3, page.errors  # the script, the onerror and the onclick
    assert page.evaluate("() => window.copgraph.stabilized") is True  # the page still works
    page.close()


def test_a_graph_64_times_the_report_is_usable_in_under_10_s(browser, tmp_path):
    import time

    import networkx as nx

    big = nx.barabasi_albert_graph(2300, 2, seed=3)
    big = nx.relabel_nodes(big, {n: f"org{n:04d}" for n in big})
    for n in big:
        big.nodes[n].update(label=f"Organization {n}", kind="company")
    for u, v in big.edges:
        big.edges[u, v].update(kinds=["collaboration"], primary_kind="collaboration", weight=1)
    path = viz.write_page(big, tmp_path / "big.html")
    started = time.perf_counter()
    page = _open(browser, path)
    shown = page.evaluate("() => window.copgraph.nodes.length")
    node = page.evaluate("() => window.copgraph.nodes.getIds()[0]")
    _click_node(page, node)
    page.wait_for_selector(f"#panel[data-node='{node}']")
    elapsed = time.perf_counter() - started
    assert elapsed < 10.0, f"usable after {elapsed:.2f} s"
    assert shown == viz.NODE_LIMIT
    assert f"{2300 - viz.NODE_LIMIT} organizations and" in page.inner_text("#left-out")
    page.close()
