"""The page in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

Skipped when Chromium or Playwright is missing, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from copgraph import network, viz
from copgraph.kg import open_graph

from .test_network import fixture_kg

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def browser(playwright, tmp_path):
    """A fresh profile, and every request that is not file: refused and recorded."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=ARGS,
        viewport={"width": 1280, "height": 860},
        service_workers="block",
    )
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.refused = refused
    yield context
    context.close()


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
    out = ROOT / "out"
    if out.is_dir():
        shutil.copyfile(shot, out / shot.name)
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
    page.wait_for_function("() => window.copgraph && window.copgraph.stabilized", timeout=60_000)

    # the counts in the page's vis DataSets are the NetworkX graph's
    counts = page.evaluate("() => [window.copgraph.nodes.length, window.copgraph.edges.length]")
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
        label = page.evaluate("() => window.copgraph.nodes.get('xss-org').name")
        assert label == XSS
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
