"""`copgraph serve` as a client sees it: a real server (the command, in a subprocess, on a
free loopback port), its pages, the SPARQL 1.1 Protocol, and what it refuses."""

from __future__ import annotations

import hashlib
import html
import json
import re
import socket
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from copgraph.catalog import for_people
from copgraph.namespaces import CG, ID
from copgraph.output import render

from .conftest import fetch, run_cli, running_server
from .test_reliability import escape_trick, listener  # noqa: F401 - a fixture

pytestmark = [pytest.mark.server, pytest.mark.timeout(300)]

TIMEOUT = 3  # the server's --timeout
RESULTS_JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server():
    with running_server("--timeout", str(TIMEOUT)) as (url, process):
        yield url, process


@pytest.fixture(scope="module")
def url(server):
    return server[0]


def sparql(url, query, accept=RESULTS_JSON, how="get"):
    """One query by GET, POST of the query itself, or POST of a form."""
    if how == "get":
        target = url + "sparql?" + urllib.parse.urlencode({"query": query})
        return fetch(target, headers={"Accept": accept})
    if how == "post":
        return fetch(
            url + "sparql",
            data=query.encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/sparql-query"},
        )
    return fetch(
        url + "sparql",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )


def rows(url, query, bnodes: bool = True) -> list[dict]:
    """The bindings' values; with ``bnodes=False`` a blank node is ``_`` (each worker of
    the server loads its own copy of the graph, with its own blank node labels)."""
    status, _, body = sparql(url, query)
    assert status == 200, body
    return [
        {k: "_" if v["type"] == "bnode" and not bnodes else v["value"] for k, v in b.items()}
        for b in json.loads(body)["results"]["bindings"]
    ]


def count(url) -> int:
    return int(rows(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


def digest(url) -> str:
    """sha256 of every triple, sorted, read in pages within the server's row limit."""
    lines = []
    for offset in range(0, count(url), 5000):
        query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT 5000 OFFSET {offset}"
        lines += [f"{r['s']} {r['p']} {r['o']}" for r in rows(url, query, bnodes=False)]
    assert len(lines) == count(url)
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def assert_clear_4xx(status, body, *words):
    text = html.unescape(body.decode("utf-8", "replace"))
    assert 400 <= status < 500, (status, text[:300])
    assert "Traceback" not in text and 'File "' not in text
    for word in words:
        assert word.lower() in text.lower(), (word, text[:300])


# -- pages ----------------------------------------------------------------------------------


def test_the_command_prints_its_address_on_loopback(server):
    url, _ = server
    assert url.startswith("http://127.0.0.1:")


def test_a_busy_port_is_one_line_and_exit_1(url):
    port = str(urllib.parse.urlsplit(url).port)
    result = run_cli("serve", "--port", port)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_home_counts_each_class_as_the_graph_does(url):
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    orgs = rows(url, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a cg:Organization }")
    found = re.search(r"<td>Organization</td><td class=\"num\">(\d+)</td>", page)
    assert found and found.group(1) == orgs[0]["n"]
    assert 'href="/queries/partners-of"' in page and 'action="/search"' in page


def test_search_finds_by_acronym_and_links_the_entity(url):
    status, _, body = fetch(url + "search?q=" + urllib.parse.quote(" unicef. "))
    assert status == 200
    assert 'href="/id/unicef"' in body.decode()


def test_an_entity_page_shows_each_fact_with_its_own_quotes_and_report_links(url):
    facts = rows(
        url,
        "SELECT ?p ?o ?quote ?line WHERE { ?f rdf:subject id:unicef ; rdf:predicate ?p ; "
        "rdf:object ?o ; cg:evidence ?e . ?e cg:exact ?quote ; cg:line ?line }",
    )
    assert facts
    status, headers, body = fetch(url + "id/unicef")
    assert status == 200 and "Accept" in headers.get("Vary", "")
    page = html.unescape(body.decode())
    for fact in facts:
        assert f"\u201c{fact['quote']}\u201d</a>" in page, fact["quote"]
        assert f'href="/report/cop-ap-2023#L{fact["line"]}"' in page
    # incoming links: the posts at UNICEF link to the people who hold them
    incoming = rows(url, "SELECT ?post WHERE { ?post cg:organization id:unicef }")
    assert incoming
    for row in incoming:
        assert f'href="/id/{row["post"].rsplit("/id/", 1)[1]}"' in page


def test_a_quote_page_lists_the_facts_it_states(url):
    fact = rows(
        url,
        "SELECT ?e ?o ?quote ?line WHERE { ?f rdf:subject id:unicef ; rdf:predicate cg:cites ; "
        "rdf:object ?o ; cg:evidence ?e . ?e cg:exact ?quote ; cg:line ?line } LIMIT 1",
    )[0]
    status, _, body = fetch(url + "id/" + fact["e"].split("/id/", 1)[1])
    assert status == 200
    page = html.unescape(body.decode())
    assert f"<h1>{fact['quote']}</h1>" in page  # a quote is named by its words
    assert f'<p class="in-report"><a href="/report/cop-ap-2023#L{fact["line"]}">' in page
    section = body.decode().split("Facts this quote states", 1)[1].split("</section>", 1)[0]
    assert 'href="/id/unicef"' in section
    assert f'href="/id/{fact["o"].split("/id/", 1)[1]}"' in section


@pytest.mark.parametrize(
    "accept, fmt",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_an_entity_by_content_negotiation(url, accept, fmt):
    status, headers, body = fetch(url + "id/unicef", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=body.decode(), format=fmt)
    label = graph.value(ID.unicef, RDFS.label)
    assert label == Literal("United Nations Children's Fund")
    # its facts travel with it, as subject or value, each with its quotes
    facts = rows(
        url,
        "SELECT DISTINCT ?f ?quote WHERE { ?f a cg:Fact ; rdf:subject|rdf:object id:unicef ; "
        "cg:evidence/cg:exact ?quote }",
    )
    assert len({f["f"] for f in facts}) > 5
    quotes = {str(o) for o in graph.objects(predicate=CG.exact)}
    for fact in facts:
        assert (URIRef(fact["f"]), RDF.subject, None) in graph
        assert fact["quote"] in quotes


def test_an_unknown_entity_and_an_unknown_type_are_refused(url):
    assert fetch(url + "id/no-such-node")[0] == 404
    assert fetch(url + "id/no-such-node", headers={"Accept": "text/turtle"})[0] == 404
    status, _, body = fetch(url + "id/unicef", headers={"Accept": "image/png"})
    assert_clear_4xx(status, body, "text/turtle")


def test_the_report_marks_each_quote_on_its_line_and_what_states_no_fact(url):
    quote = rows(
        url,
        "SELECT ?e ?line WHERE { ?f rdf:subject id:unicef ; rdf:predicate cg:cites ; "
        "cg:evidence ?e . ?e cg:line ?line } LIMIT 1",
    )[0]
    status, _, body = fetch(url + "report/cop-ap-2023")
    assert status == 200
    page = body.decode()
    assert fetch(url + "report")[2] == body  # one report: /report is that report
    assert fetch(url + "report/no-such-report")[0] == 404
    line = re.search(rf'<div class="line[^"]*" id="L{quote["line"]}">(.*?)</div>', page)
    assert line, "the quote's line is numbered"
    spans = re.findall(
        r'<a class="q (fact|nofact)" href="[^"]+" data-evidence="([^"]+)"', line.group(1)
    )
    assert any(kind == "fact" and quote["e"] in ids.split() for kind, ids in spans)
    # lines with no quote are marked, as are quotes that state no fact (if there are any)
    assert re.search(r'<div class="line bare" id="L\d+">', page)
    unfact = rows(
        url,
        "SELECT (COUNT(*) AS ?n) WHERE { ?e a cg:Evidence "
        "FILTER NOT EXISTS { ?f a cg:Fact ; cg:evidence ?e } }",
    )
    assert (int(unfact[0]["n"]) > 0) == ('class="q nofact"' in page)


def test_a_named_query_form_and_its_downloads_give_the_api_answer(url, kg_oxigraph):
    frame = kg_oxigraph.query("partners-of", org="ITU")
    status, _, body = fetch(url + "queries/partners-of?org=ITU")
    assert status == 200
    page = body.decode()
    assert f"{len(frame)} rows" in page
    for partner in frame["partner"]:
        assert f'href="/id/{partner.removeprefix("id:")}"' in page
    status, headers, body = fetch(url + "queries/partners-of?org=ITU&format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode() == render(for_people(frame, "csv"), "csv")
    status, _, body = fetch(url + "queries/partners-of?org=ITU&format=json")
    assert json.loads(body) == json.loads(render(for_people(frame, "json"), "json"))


def test_a_named_query_with_a_bad_value_says_what_to_fix(url):
    status, _, body = fetch(url + "queries/partners-of?org=UNISEF")
    assert_clear_4xx(status, body, "UNISEF", "close matches")
    status, _, body = fetch(url + "queries/partners-of?nope=1")
    assert_clear_4xx(status, body, "nope")
    status, _, body = fetch(url + "queries/partners-of?org=itu&org=unicef")
    assert_clear_4xx(status, body, "give 'org' once")
    status, _, body = fetch(url + "queries/no-such-query")
    assert status == 404
    status, _, body = fetch(url + "queries/topics-of?org=UNICEF&person=Ayako%20Kaino")
    assert_clear_4xx(status, body, "exactly one of 'org' or 'person'")


def test_a_result_shows_names_not_iris(url, kg_oxigraph):
    frame = kg_oxigraph.query("topics-of", org="UNICEF", full_iris=True)
    status, _, body = fetch(url + "queries/topics-of?org=UNICEF")
    page = html.unescape(body.decode())
    assert status == 200
    for label in set(frame["topic_label"]):
        assert f"<td>{label}</td>" in page  # the topic (a concept, not a page): its name
    assert "/vocab/topic/" not in page


def test_the_network_page_links_organizations_to_their_pages(url):
    status, headers, body = fetch(url + "network")
    assert status == 200
    page = body.decode()
    data = json.loads(
        re.search(
            r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert data["entity_base"] == "/id/"
    assert '<nav id="site"><a href="/">copgraph</a>' in page  # the way back to the site
    for node in data["nodes"][:5]:
        assert fetch(url + "id/" + node["id"])[0] == 200


def test_large_pages_travel_compressed_when_the_client_accepts_it(url):
    import gzip

    _, plain_headers, plain = fetch(url + "report")
    status, headers, body = fetch(url + "report", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 4


def test_a_kept_alive_connection_gets_each_answer_at_once(url):
    """No 40 ms stall per answer (Nagle's algorithm against delayed ACKs): the server's
    sockets must have TCP_NODELAY, or each body waits for the ACK of its headers."""
    import http.client
    import statistics

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    times = []
    for _ in range(12):
        started = time.perf_counter()
        conn.request("GET", "/static/serve.css")
        response = conn.getresponse()
        assert response.status == 200 and response.read()
        times.append(time.perf_counter() - started)
    conn.close()
    assert statistics.median(times) < 0.035, times


def test_every_page_has_a_strict_policy_and_no_inline_code(url):
    for path in (
        "",
        "search?q=itu",
        "id/itu",
        "report",
        "queries",
        "queries/agenda",
        "sparql",
        "network",
        "no-such-page",
    ):
        _, headers, body = fetch(url + path, headers={"Accept": "text/html"})
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        page = body.decode()
        if path == "network":  # its own policy: inline code by hash only
            meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
            assert "unsafe-inline" not in meta.group(1) and "default-src 'none'" in meta.group(1)
        else:
            assert "<script" not in page and " style=" not in page and "<style" not in page


# -- the SPARQL 1.1 Protocol ----------------------------------------------------------------

QUERY = "SELECT ?name WHERE { id:unicef rdfs:label ?name }"


@pytest.mark.parametrize("how", ["get", "post", "form"])
def test_select_by_each_request_form(url, how):
    status, headers, body = sparql(url, QUERY, how=how)
    assert status == 200 and headers["Content-Type"].startswith(RESULTS_JSON)
    answer = json.loads(body)
    assert answer["head"]["vars"] == ["name"]
    assert answer["results"]["bindings"][0]["name"]["value"] == "United Nations Children's Fund"


def test_select_in_xml_csv_and_tsv(url):
    _, headers, body = sparql(url, QUERY, "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert headers["Content-Type"].startswith("application/sparql-results+xml")
    literal = ET.fromstring(body).find(".//r:binding[@name='name']/r:literal", ns)
    assert literal.text == "United Nations Children's Fund"
    _, headers, body = sparql(url, QUERY, "text/csv")
    assert body.decode().splitlines() == ["name", "United Nations Children's Fund"]
    _, headers, body = sparql(url, QUERY + " ", "text/tab-separated-values")
    assert body.decode().splitlines() == ["?name", '"United Nations Children\'s Fund"']


def test_ask_and_construct_by_accept(url):
    status, _, body = sparql(url, "ASK { id:unicef a cg:Organization }")
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = "CONSTRUCT { id:unicef ?p ?o } WHERE { id:unicef ?p ?o }"
    expected = {
        (str(r["p"]), str(r["o"])) for r in rows(url, "SELECT ?p ?o WHERE { id:unicef ?p ?o }")
    }
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ):
        status, headers, body = sparql(url, construct, accept, how="post")
        assert status == 200 and headers["Content-Type"].startswith(accept)
        graph = Graph().parse(data=body.decode(), format=fmt)
        assert {(str(p), str(o)) for _, p, o in graph} == expected
    status, _, body = sparql(url, "ASK {}", "text/csv")
    assert_clear_4xx(status, body, "application/sparql-results+json")


def test_sparqlwrapper_reads_the_endpoint_by_get_and_post(url):
    from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(url + "sparql")
    client.setQuery(QUERY)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert bindings[0]["name"]["value"] == "United Nations Children's Fund"
    client.setMethod(POST)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[1] == "United Nations Children's Fund"


def test_many_queries_at_once_are_each_answered(url):
    """Queries are checked in a thread pool: the parser must not be used by two at once."""
    from concurrent.futures import ThreadPoolExecutor

    queries = [
        f"SELECT ?name WHERE {{ ?o a cg:Organization ; rdfs:label ?name }} LIMIT {n}"
        for n in range(1, 41)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda q: sparql(url, q, how="post"), queries))
    for n, (status, _, body) in enumerate(answers, start=1):
        assert status == 200, body[:200]
        assert len(json.loads(body)["results"]["bindings"]) == n


def test_the_editor_page_runs_a_query_for_a_browser(url):
    status, _, body = sparql(url, QUERY, "text/html", how="form")
    assert status == 200
    assert "United Nations Children&#39;s Fund" in body.decode()
    status, _, body = fetch(url + "sparql", headers={"Accept": "text/html"})
    assert status == 200 and "<textarea" in body.decode()


# -- hardening ------------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    'DELETE DATA { id:unicef rdfs:label "United Nations Children\'s Fund" }',
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s rdfs:comment 'x' } WHERE { ?s a cg:Organization }",
    "LOAD <{listener}>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <urn:x:g>",
    "ADD DEFAULT TO <urn:x:g>",
    "MOVE DEFAULT TO <urn:x:g>",
    "COPY DEFAULT TO <urn:x:g>",
]


def test_every_update_form_is_refused_and_changes_nothing(url, listener):  # noqa: F811
    target, hits = listener
    before = (count(url), digest(url))
    for update in UPDATES:
        text = update.replace("{listener}", target)
        for how in ("get", "post", "form"):
            status, _, body = sparql(url, text, how=how)
            assert_clear_4xx(status, body, "update")
        form = urllib.parse.urlencode({"update": text}).encode()
        for data, kind in (
            (form, "application/x-www-form-urlencoded"),
            (text.encode(), "application/sparql-update"),
        ):
            status, _, body = fetch(url + "sparql", data=data, headers={"Content-Type": kind})
            assert_clear_4xx(status, body, "update")
    assert (count(url), digest(url)) == before
    assert hits == []


def test_service_reaches_no_server_even_through_the_escape_trick(url, listener):  # noqa: F811
    target, hits = listener
    for query in (
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        escape_trick(target),
    ):
        for how in ("get", "post", "form"):
            status, _, body = sparql(url, query, how=how)
            assert_clear_4xx(status, body, "SERVICE")
    time.sleep(0.5)
    assert hits == [], "the listener received a connection"


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))


EXPLOSIVE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (!(cg:x|^cg:x))* ?o . ?a (!(cg:x|^cg:x))* ?b }",
]


@pytest.mark.parametrize("query", EXPLOSIVE, ids=["cross-product", "negated-path"])
def test_an_explosive_query_times_out_and_the_next_is_answered(server, query):
    url, process = server
    rows(url, QUERY)  # warm
    memory = _rss_kib(process.pid)
    started = time.monotonic()
    status, _, body = sparql(url, query)
    elapsed = time.monotonic() - started
    assert status == 503, body[:300]
    assert b"timeout" in body and f"longer than {TIMEOUT} s".encode() in body
    assert elapsed < TIMEOUT + 10
    started = time.monotonic()
    assert rows(url, QUERY)[0]["name"] == "United Nations Children's Fund"
    assert time.monotonic() - started < 5
    assert _rss_kib(process.pid) < memory + 50 * 1024  # the server itself did not grow


def test_limits_on_body_query_rows_and_bytes_each_say_which(url):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (300 * 1024)
    status, _, body = fetch(
        url + "sparql", data=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and b"request body is larger than" in body
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (70 * 1024)
    status, _, body = sparql(url, long)
    assert status == 414 and b"characters long" in body
    status, _, body = sparql(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422 and b"more than 10,000 rows" in body and b"LIMIT" in body
    status, _, body = sparql(url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert status == 422 and b"triples" in body
    # rows within the limit, but 1.6 MB each: the answer is larger than 16 MiB
    doubling = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(14))
    status, _, body = sparql(
        url,
        "SELECT ?v14 WHERE { ?e cg:exact ?q FILTER(STRLEN(?q) > 100) "
        f"BIND(SUBSTR(?q, 1, 100) AS ?v0) {doubling} }} LIMIT 20",
    )
    assert status == 422 and b"larger than 16,777,216 bytes" in body


MALFORMED = [
    ("GET", "sparql?query=%FF%FE", None, {}, "UTF-8"),
    ("GET", "sparql?query=%ZZ", None, {}, None),
    ("GET", "sparql?query=", None, {}, "empty"),
    ("GET", "sparql?query=%20%23only%20a%20comment", None, {}, "empty"),
    ("GET", "sparql?query=SELECT&query=ASK", None, {}, "one"),
    ("GET", "sparql", None, {"Accept": RESULTS_JSON}, "no query"),
    ("GET", "sparql?query=SELEKT%20*%20WHERE%20%7B%7D", None, {}, "line 1, column"),
    ("GET", "sparql?query=SELECT%20*%20WHERE%20%7B%20?s%20nope:x%20?o%20%7D", None, {}, "prefix"),
    ("GET", "sparql?query=ASK%7B%7D", None, {"Accept": "image/png"}, "sparql-results"),
    ("GET", "sparql?query=ASK%7B%7D&default-graph-uri=urn:x", None, {}, "default-graph-uri"),
    ("GET", "sparql?query=SELECT%20*%20FROM%20%3Curn:x%3E%20WHERE%20%7B%7D", None, {}, "FROM"),
    ("POST", "sparql", b"\xff\xfeSELECT", {"Content-Type": "application/sparql-query"}, "UTF-8"),
    ("POST", "sparql", b"ASK {}", {"Content-Type": "text/plain"}, "Content-Type"),
    (
        "POST",
        "sparql",
        b"ASK {}",
        {"Content-Type": "application/sparql-query; charset=latin-1"},
        "charset",
    ),
    (
        "POST",
        "sparql",
        b"query=%C3%28",
        {"Content-Type": "application/x-www-form-urlencoded"},
        "UTF-8",
    ),
    ("POST", "sparql", b"", {"Content-Type": "application/sparql-query"}, "empty"),
    (
        "POST",
        "sparql",
        b"SELECT * WHERE " + b"{" * 3000 + b"}" * 3000,
        {"Content-Type": "application/sparql-query"},
        "nested too deeply",
    ),
    (
        "POST",
        "sparql",
        b"ASK { FILTER(" + b"(" * 2000 + b"1" + b")" * 2000 + b") }",
        {"Content-Type": "application/sparql-query"},
        "nested too deeply",
    ),
    ("GET", "queries/partners-of?org=%FF", None, {}, "UTF-8"),
    ("GET", "queries/agenda?format=xlsx", None, {}, "format"),
]


@pytest.mark.parametrize("method, path, data, headers, word", MALFORMED)
def test_a_malformed_request_gets_a_4xx_with_a_message(url, method, path, data, headers, word):
    status, _, body = fetch(url + path, data=data, headers=headers, method=method)
    assert_clear_4xx(status, body, *([word] if word else []))


def test_a_deeply_nested_query_is_one_line_on_the_command_line_too():
    result = run_cli("sparql", "SELECT * WHERE " + "{" * 3000 + "}" * 3000)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: the query is nested too deeply (or is too long) for the parser: split it, or "
        "use fewer nested groups, brackets or patterns in one group"
    ]


def _raw(url: str, request: bytes) -> bytes:
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_broken_http_request_is_a_4xx(url):
    for request in (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: nope\r\n\r\nASK {}",
        b"GARBAGE\r\n\r\n",
    ):
        answer = _raw(url, request)
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500, answer[:200]
        assert b"Traceback" not in answer


def test_cors_is_off_by_default(url):
    _, headers, _ = fetch(
        url + "sparql?" + urllib.parse.urlencode({"query": QUERY}),
        headers={"Origin": "http://elsewhere.example", "Accept": RESULTS_JSON},
    )
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = fetch(
        url + "sparql",
        method="OPTIONS",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in headers and status >= 400


def test_no_write_route_and_no_directory_listing(url):
    before = count(url)
    for method in ("PUT", "DELETE", "PATCH"):
        for path in ("", "sparql", "id/unicef", "store", "static/serve.css"):
            status, _, body = fetch(
                url + path,
                data=b"<a> <b> <c> .",
                method=method,
                headers={"Content-Type": "application/n-triples"},
            )
            assert status in (404, 405), (method, path, status)
    for path in (
        "static/",
        "static",
        "templates/",
        "id/",
        "data/build/",
        "static/../",
        "static/%2e%2e/pyproject.toml",
    ):
        status, _, body = fetch(url + path)
        assert status in (404, 405), (path, status)
        assert b"Index of" not in body and b"serve.css</a>" not in body
    assert count(url) == before


def test_the_server_survives_all_of_the_above(url):
    assert rows(url, QUERY)[0]["name"] == "United Nations Children's Fund"
