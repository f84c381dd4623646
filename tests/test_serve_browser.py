"""`copgraph serve` in Chromium: what an analyst clicks through, with nothing fetched from
anywhere but the server (every other request is refused and recorded)."""

from __future__ import annotations

import pytest

from .conftest import running_server
from .test_browser import _click_node, launch, playwright  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def url():
    with running_server() as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser(playwright, url, tmp_path_factory):  # noqa: F811
    context = launch(playwright, tmp_path_factory.mktemp("serve-browser"), allowed=url)
    yield context
    assert context.refused == [], f"requests off the server: {context.refused}"
    context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    assert page.problems == [], page.problems  # a CSP violation is a console error
    page.close()


def test_search_unicef_and_open_the_organization(page, url):
    page.goto(url)
    page.fill("#q", "UNICEF")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=UNICEF")
    page.click("text=United Nations Children's Fund")
    page.wait_for_url(url + "id/unicef")
    assert page.inner_text("h1") == "United Nations Children's Fund"


def test_a_quote_leads_to_its_highlighted_span_in_the_report(page, url):
    page.goto(url + "id/unicef")
    quote = page.locator("dd a.quote").first
    words = quote.inner_text().strip("\u201c\u201d")
    href = quote.get_attribute("href")
    assert href.startswith("/report/cop-ap-2023#L")
    line = href.split("#L", 1)[1]
    quote.click()
    page.wait_for_url(f"{url}report/cop-ap-2023#L{line}")
    target = page.evaluate(
        """() => {
          const t = document.querySelector(':target');
          const box = t.getBoundingClientRect();
          const spans = Array.from(t.querySelectorAll('a.q.fact')).map((a) => a.textContent);
          const background = spans.length
            ? getComputedStyle(t.querySelector('a.q.fact')).backgroundColor : '';
          return {id: t.id, spans: spans, visible: box.top >= 0 && box.top < innerHeight,
                  background: background};
        }"""
    )
    assert target["id"] == f"L{line}" and target["visible"]
    assert target["spans"] and words.startswith(target["spans"][0].strip()[:20])
    assert target["background"] not in ("", "rgba(0, 0, 0, 0)")  # highlighted


def test_run_partners_of_from_its_form_and_follow_a_result(page, url):
    page.goto(url + "queries/partners-of")
    page.fill("#p-org", "ITU")
    page.click("form.params button")
    page.wait_for_selector("table.results")
    first = page.locator("table.results tbody tr td:first-child a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(url + "id/**")
    assert page.inner_text("h1") == name


def test_the_network_leads_to_an_entity_page(page, url):
    page.goto(url + "network")
    page.wait_for_function("() => window.copgraph && window.copgraph.stabilized")
    _click_node(page, "itu")
    page.click("#panel a.entity-link")
    page.wait_for_url(url + "id/itu")
    assert page.inner_text("h1") == "International Telecommunication Union"


def test_every_page_runs_with_no_request_off_the_server(page, url):
    for path in (
        "",
        "search?q=mongolia",
        "id/mongolia",
        "report",
        "queries",
        "queries/speakers?session=2",
        "network",
        "sparql",
    ):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    page.fill("#query", "SELECT ?n WHERE { ?o a cg:Country ; rdfs:label ?n }")
    page.click("form.editor button")
    page.wait_for_selector("table.results")
    assert "Mongolia" in page.inner_text("table.results")
