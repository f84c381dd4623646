"""A hostile label served by `copgraph serve`: the graph built from a copy of the data in
which one organization is called ``<img src=x onerror=alert(1)>``, every page that shows
it opened in Chromium with ``alert`` hooked. The same server (one per module) also holds a
second report (the synthetic one of tests/test_reports.py) and runs with --cors."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from .conftest import fetch, new_project, running_server
from .test_browser import XSS, launch, playwright  # noqa: F401 - a fixture
from .test_reports import SECOND, add_second_report

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.timeout(300)]

HOOK = """
window.__alerts = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (message) => { window.__alerts.push(name + ':' + message); };
}
"""


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("hostile"), keep_curated=True)
    add_second_report(root, discrepancy=False)
    organizations = root / "data" / "shared" / "organizations.yaml"
    text = organizations.read_text(encoding="utf-8")
    original = "  - id: united-nations\n    label: United Nations\n"
    assert original in text
    hostile = f'  - id: united-nations\n    label: "{XSS}"\n'
    organizations.write_text(text.replace(original, hostile, 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def url(hostile_root):
    with running_server("--cors", root=hostile_root) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser(playwright, url, tmp_path_factory):  # noqa: F811
    context = launch(playwright, tmp_path_factory.mktemp("xss-browser"), allowed=url)
    context.add_init_script(HOOK)
    yield context
    assert context.refused == [], f"requests off the server: {context.refused}"
    context.close()


PAGES = [
    "id/united-nations",
    "id/united-nations-secretary-general",  # its parent, by name
    "search?q=" + urllib.parse.quote("onerror"),
    "queries/organizations",
    "queries/about?subject=united-nations-secretary-general",
    "sparql?query="
    + urllib.parse.quote("SELECT ?name WHERE { id:united-nations rdfs:label ?name }"),
    "network",
]


@pytest.mark.parametrize("path", PAGES)
def test_the_hostile_label_is_text_on_every_page(browser, url, path):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + path)
    if path == "network":
        page.wait_for_function("() => window.copgraph && window.copgraph.stabilized")
        # a sub-unit of the hostile organization: its panel names its parent
        page.evaluate("() => window.copgraph.showNode('united-nations-secretary-general')")
    else:
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert dialogs == [] and page.evaluate("() => window.__alerts") == []
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert XSS in page.inner_text("body")
    page.close()


def test_the_label_is_escaped_in_the_html_itself(url):
    status, _, body = fetch(url + "id/united-nations")
    assert status == 200
    assert b"&lt;img src=x onerror=alert(1)&gt;" in body and XSS.encode() not in body


def test_cors_when_asked_for(url):
    query = urllib.parse.urlencode({"query": "ASK {}"})
    origin = {"Origin": "http://elsewhere.example"}
    _, headers, _ = fetch(url + "sparql?" + query, headers=origin)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = fetch(
        url + "sparql",
        method="OPTIONS",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_two_reports_each_with_its_page_and_its_quotes_linked_to_it(url):
    status, _, body = fetch(url + "report")
    listing = body.decode()
    assert status == 200
    assert 'href="/report/cop-ap-2023"' in listing and f'href="/report/{SECOND}"' in listing
    status, _, body = fetch(url + "id/lena-tavola")  # named only by the second report
    links = re.findall(r'<a class="quote" href="/report/([^#"]+)#L(\d+)"', body.decode())
    assert links and {report for report, _ in links} == {SECOND}
    status, _, body = fetch(url + f"report/{SECOND}")
    page = body.decode()
    assert status == 200 and "Lena Tavola" in page
    for _, line in links:
        assert re.search(
            rf'id="L{line}"><a class="ln"[^>]*>{line}</a><span class="text">'
            r'.*?<a class="q fact"',
            page,
        )
