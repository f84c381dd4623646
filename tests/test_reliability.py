"""Never a wrong answer with exit 0: each finding of issue 9, reproduced and now refused.

Most tests build a small project (one country, one event) in a temporary folder; the
CLI runs in click's CliRunner unless a real process is the point (signals, tracebacks).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from copgraph.build import (
    STAMP,
    BuildError,
    Paths,
    build_graph,
    ensure_built,
    inputs_digest,
    validate_shapes,
    write_outputs,
)
from copgraph.catalog import QueryError, bind_values
from copgraph.cli import main
from copgraph.kg import check_query, open_graph
from copgraph.output import render
from copgraph.records import brief
from copgraph.store import (
    EndpointStore,
    OxigraphStore,
    QueryTimeout,
    RdflibStore,
    StoreError,
)

from .conftest import ROOT, curated_of, new_project

COUNTRY = """\
countries:
  - id: fiji
    label: Fiji
    iso2: FJ
    iso3: FJI
    beneficiary: false
    evidence:
      - quote: "shared some online practices among children and youth in Fiji"
"""

EVENT = """\
events:
  - id: mn-conference
    label: National Child Online Protection Conference
    kind: conference
    date: 2023-06-14
    evidence:
      - quote: "Conference was convened on 14 June 2023 in Ulaanbaatar, Mongolia with 212 attendees"
        supports: [kind, date]
    participants:
      wording: 212 attendees
      value: 212
"""

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_one_clear_line(result, code: int, *words: str) -> None:
    """Exit code, the words in the message, and no traceback (CliRunner or a process)."""
    if isinstance(result, subprocess.CompletedProcess):
        text, exit_code = result.stdout + result.stderr, result.returncode
    else:
        text, exit_code = result.output, result.exit_code
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
    assert exit_code == code, text
    assert "Traceback" not in text
    for word in words:
        assert word in text, text


@pytest.fixture
def mini(project):
    """A small valid project (a country and an event) in a temporary folder."""
    return project({"countries.yaml": COUNTRY, "events.yaml": EVENT})


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory):
    """The small project, built once for the module (tests that change it copy it)."""
    root = tmp_path_factory.mktemp("built-mini")
    new_project(root)
    (curated_of(root) / "countries.yaml").write_text(COUNTRY, encoding="utf-8")
    (curated_of(root) / "events.yaml").write_text(EVENT, encoding="utf-8")
    ensure_built(Paths(root=root))
    return root


@pytest.fixture
def built(built_mini, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_mini, root)
    return root


def triple_count(kg) -> int:
    return int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").n[0])


# -- 1. a stale stamp -------------------------------------------------------------------------


def test_build_then_revert_serves_the_reverted_data(mini):
    paths = Paths(root=mini)
    curated = curated_of(mini) / "countries.yaml"
    assert cli("build", "--root", str(mini)).exit_code == 0
    messages = []
    open_graph("oxigraph", paths=paths, progress=messages.append)
    assert messages == [], "copgraph build wrote the stamp the query path checks"

    curated.write_text(COUNTRY.replace("label: Fiji", "label: Fiji Edited"), encoding="utf-8")
    assert cli("build", "--root", str(mini)).exit_code == 0
    curated.write_text(COUNTRY, encoding="utf-8")
    kg = open_graph("oxigraph", paths=paths, progress=messages.append)
    labels = kg.sparql("SELECT ?l WHERE { id:fiji rdfs:label ?l }").l.tolist()
    assert labels == ["Fiji"]
    assert messages, "the reverted data was rebuilt"


def test_the_stamp_covers_inputs_and_every_output(built):
    out = built / "data" / "build"
    stamp = json.loads((out / STAMP).read_text())
    assert stamp["inputs"] == inputs_digest(Paths(root=built))
    assert set(stamp["outputs"]) == {
        "copgraph.nt",
        "copgraph.ttl",
        "copgraph.jsonld",
        "context.jsonld",
    }


# -- 2. torn writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.0, 0.5, 0.999])
def test_a_truncated_graph_is_rebuilt_not_served(built, keep):
    paths = Paths(root=built)
    full = triple_count(open_graph("oxigraph", paths=paths))
    nt = built / "data" / "build" / "copgraph.nt"
    data = nt.read_bytes()
    nt.write_bytes(data[: int(len(data) * keep)])
    messages = []
    kg = open_graph("oxigraph", paths=paths, progress=messages.append)
    assert triple_count(kg) == full
    assert any("incomplete" in m for m in messages), messages
    assert nt.read_bytes() == data


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_failed_build_leaves_the_previous_graph_and_stamp(built):
    out = built / "data" / "build"
    before = files_in(out)
    curated = curated_of(built) / "countries.yaml"
    curated.write_text(COUNTRY.replace("iso3: FJI", "iso3: F"), encoding="utf-8")
    result = cli("build", "--root", str(built))
    assert_one_clear_line(result, 1, "iso3")
    assert files_in(out) == before  # the per-report cache (reports/) included


def test_an_unwritable_output_folder_is_one_line(built, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("build", "--root", str(built), "-o", str(blocker / "out"))
    assert_one_clear_line(result, 1, "cannot write the graph", "a-file")


def test_write_outputs_leaves_no_temporary_file(built, tmp_path):
    graph = build_graph(Paths(root=built))
    write_outputs(graph, tmp_path / "out", "digest")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(
        ["copgraph.nt", "copgraph.ttl", "copgraph.jsonld", "context.jsonld", STAMP]
    )


# -- 3. the SERVICE check cannot be bypassed --------------------------------------------------


@pytest.fixture
def listener():
    """A loopback TCP listener that records every connection it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(4096))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", hits
    stop.set()
    thread.join(timeout=5)
    server.close()


def escape_trick(url: str) -> str:
    # rdflib (before this fix) read BIND("a\" AS ?x) ... as one string; Oxigraph ran SERVICE
    return (
        'SELECT * WHERE { ?s ?p ?o . BIND("a\\u005C" AS ?x) '
        f'SERVICE <{url}> {{ ?s ?p ?o }} # " AS ?x)\n }}'
    )


@pytest.mark.parametrize("store", ["oxigraph", "rdflib", "oxigraph:DIR"])
def test_the_u005c_escape_trick_reaches_no_server(built, listener, store, tmp_path):
    url, hits = listener
    store = store.replace("DIR", str(tmp_path / "store"))
    result = cli("sparql", "--root", str(built), "--store", store, escape_trick(url))
    assert_one_clear_line(result, 2, "SERVICE", "--allow-service")
    time.sleep(0.3)
    assert hits == []


@pytest.mark.parametrize("store", ["oxigraph", "oxigraph:DIR"])
def test_the_store_itself_refuses_service_whatever_the_parser_saw(built, listener, store, tmp_path):
    """Past every syntax check, Oxigraph's own child process cannot open a socket."""
    url, hits = listener
    spec = store.replace("DIR", str(tmp_path / "store"))
    kg = open_graph(spec, paths=Paths(root=built))
    with pytest.raises(StoreError, match="SERVICE"):
        kg.store.select(f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{url}> {{ ?s ?p ?o }} }}")
    time.sleep(0.3)
    assert hits == []


def test_allow_service_does_reach_the_listener(built, listener):
    """The control: the listener does see a request when SERVICE is allowed."""
    url, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    result = cli("sparql", "--root", str(built), "--allow-service", "--timeout", "10", query)
    assert result.exit_code == 2 and "Traceback" not in result.output
    time.sleep(0.3)
    assert hits, "the listener would have noticed a request"


def test_an_unbound_service_variable_is_one_line(built):
    query = "SELECT * WHERE { SERVICE ?u { ?s ?p ?o } }"
    result = cli("sparql", "--root", str(built), "--allow-service", query)
    assert_one_clear_line(result, 2, "unbound")


# -- 4. YAML alias bombs ----------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    lines = ['      evidence: [[&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"],']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"        &a{level} [{refs}],")
    lines.append("        x]]")
    return EVENT.replace("      value: 212\n", "      value: 212\n" + "\n".join(lines) + "\n")


def test_a_yaml_alias_bomb_is_refused_quickly_with_a_short_message(project):
    text = alias_bomb()
    assert len(text.encode()) < 2000
    root = project({"events.yaml": text})
    started = time.perf_counter()
    result = cli("validate", "--root", str(root))
    assert time.perf_counter() - started < 30
    assert_one_clear_line(result, 1, "events.yaml", "aliases")
    assert len(result.output) < 2000


def test_a_message_quotes_only_a_short_prefix_of_a_huge_value():
    huge = ["x" * 1000]
    for _ in range(30):
        huge = [huge] * 9  # 9**30 leaves once expanded: only a bounded repr can print it
    started = time.perf_counter()
    shown = brief(huge)
    assert len(shown) <= 60 and time.perf_counter() - started < 1


# -- 5. bounded time and memory, Ctrl-C -------------------------------------------------------


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_a_runaway_query_stops_at_the_timeout(built, store):
    started = time.perf_counter()
    result = cli("sparql", "--root", str(built), "--store", store, "--timeout", "1", SLOW)
    assert_one_clear_line(result, 2, "longer than 1 s")
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_after_a_timeout_the_same_graph_answers_the_next_query(built, store):
    kg = open_graph(store, paths=Paths(root=built), timeout=1)
    total = triple_count(kg)
    with pytest.raises(QueryTimeout):
        kg.sparql(SLOW)
    assert triple_count(kg) == total
    kg.close()


def test_a_worker_holds_no_copy_of_other_pipes(built):
    """A pipe opened before the worker started still ends when its writer closes it."""
    import select

    read_end, write_end = os.pipe()
    kg = open_graph("oxigraph", paths=Paths(root=built))
    assert triple_count(kg) > 0  # the worker is forked now, while write_end is open
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], 5)
    assert ready and os.read(read_end, 1) == b"", "the worker kept the pipe open"
    os.close(read_end)
    kg.close()


def test_the_property_path_of_the_probe_stops_at_the_timeout(built):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s (!(cg:x|^cg:x))* ?o . ?a (!(cg:x|^cg:x))* ?b }"
    started = time.perf_counter()
    result = cli("sparql", "--root", str(built), "--timeout", "2", query)
    assert_one_clear_line(result, 2, "longer than 2 s")
    assert time.perf_counter() - started < 20


def test_a_query_that_grows_past_its_memory_limit_is_stopped(built):
    kg = open_graph("oxigraph", paths=Paths(root=built), timeout=60)
    kg.store.memory_mb = 64
    query = "SELECT ?a ?b ?c ?d WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?a ?b ?c ?d"
    with pytest.raises(StoreError, match="64 MiB"):
        kg.sparql(query)


def test_ctrl_c_stops_a_query_with_one_line(built):
    process = subprocess.Popen(
        [sys.executable, "-m", "copgraph", "sparql", "--root", str(built), "--timeout", "0", SLOW],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # open the graph and start the query
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("Ctrl-C did not stop the query")
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err


# -- 6. results streamed, tables limited ------------------------------------------------------


def test_rows_arrive_before_a_huge_query_ends_and_the_rest_is_abandoned(built):
    kg = open_graph("oxigraph", paths=Paths(root=built), timeout=60)
    started = time.perf_counter()
    columns, rows = kg.sparql_rows("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    first = [next(rows) for _ in range(5)]
    rows.close()
    assert columns == ["a", "b", "c", "d", "e", "f", "g", "h", "i"] and len(first) == 5
    assert time.perf_counter() - started < 10


def test_two_result_streams_read_at_once_do_not_mix(built):
    kg = open_graph("oxigraph", paths=Paths(root=built))
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    _, first = kg.sparql_rows(query)
    _, second = kg.sparql_rows(query)
    pairs = list(zip(first, second, strict=True))
    assert pairs and all(a == b for a, b in pairs)
    assert triple_count(kg) == len(pairs)


def test_table_output_stops_at_max_rows_with_a_note(built):
    result = cli("sparql", "--root", str(built), "--max-rows", "7", "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.exit_code == 0, result.output
    assert "(7 rows)" in result.stdout
    assert "stopped after 7 rows" in result.stderr


def test_csv_streams_every_row(built):
    kg = open_graph("oxigraph", paths=Paths(root=built))
    total = triple_count(kg)
    result = cli("sparql", "--root", str(built), "--format", "csv", "SELECT ?s WHERE {?s ?p ?o}")
    assert result.exit_code == 0
    assert len(result.stdout.strip().split("\n")) == total + 1


def test_streamed_json_equals_the_rendered_frame(built):
    query = "SELECT ?s ?o WHERE { ?s rdfs:label ?o } ORDER BY ?s ?o"
    kg = open_graph("oxigraph", paths=Paths(root=built))
    result = cli("sparql", "--root", str(built), "--format", "json", query)
    assert result.stdout == render(kg.sparql(query), "json")


# -- 7. the endpoint client -------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    RESULTS = json.dumps(
        {
            "head": {"vars": ["n"]},
            "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
        }
    ).encode()

    def log_message(self, *args):
        pass

    def _reply(self, body: bytes, kind="application/sparql-results+json", code=200):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[0]
        if path.endswith("/html"):
            self._reply(b"<html><body>Welcome</body></html>", "text/html")
        elif path.endswith("/nokeys"):
            self._reply(b'{"hello": "world"}')
        elif path.endswith("/huge"):
            self._reply(b'{"head": {"vars": []}, "x": "' + b"x" * (3 << 20) + b'"}')
        elif path.endswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/file")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.endswith("/drip-headers"):
            try:
                for char in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n":
                    self.wfile.write(bytes([char]))
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
            self.close_connection = True
        elif path.endswith("/drip"):
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
        else:
            self._reply(self.RESULTS)


@pytest.fixture(scope="module")
def fake_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def garbage_server():
    """A TCP server that answers anything with bytes that are not HTTP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"\x00\xffGARBAGE not http at all\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize(
    "path, words",
    [
        ("/html/query", "did not answer with SPARQL JSON results (got text/html"),
        ("/nokeys/query", "JSON without SPARQL results"),
        ("/redirect/query", "which is not http(s)"),
    ],
)
def test_an_endpoint_that_answers_nonsense_is_one_line(fake_server, path, words):
    result = cli("sparql", "--store", fake_server + path, "SELECT * WHERE { ?s ?p ?o }")
    assert_one_clear_line(result, 2, words)


def test_a_reply_that_is_not_http_is_one_line(garbage_server):
    result = cli("sparql", "--store", garbage_server, "SELECT * WHERE { ?s ?p ?o }")
    assert_one_clear_line(result, 2, "cannot reach the SPARQL endpoint")


def test_a_huge_reply_is_cut_at_the_size_limit(fake_server):
    store = EndpointStore(fake_server + "/huge/query", max_bytes=1 << 20)
    with pytest.raises(StoreError, match="more than 1 MiB"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_a_dripping_server_is_stopped_at_the_total_time_limit(fake_server):
    store = EndpointStore(fake_server + "/drip/query", timeout=2)
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="longer than 2 s"):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert time.perf_counter() - started < 6


def test_headers_sent_one_byte_at_a_time_are_stopped_at_the_time_limit(fake_server):
    store = EndpointStore(fake_server + "/drip-headers/query", timeout=2)
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="longer than 2 s"):
        store.ask("ASK {}")
    assert time.perf_counter() - started < 6


def test_load_checks_that_the_server_kept_the_triples(built, fake_server):
    for path, words in (("/html", "did not answer"), ("", "holds 1 triples, not")):
        result = cli("load", "--root", str(built), "--store", fake_server + path)
        assert_one_clear_line(result, 1, words)


def test_a_malformed_store_url_is_one_line():
    result = cli("sparql", "--store", "http://[::1", "SELECT * WHERE { ?s ?p ?o }")
    assert_one_clear_line(result, 1, "not a valid URL")


# -- 8. values that are not valid -------------------------------------------------------------

BAD_VALUES = {
    "negative count": (
        EVENT.replace("value: 212", "value: -212"),
        ("participants", "cannot be negative"),
    ),
    "min above max": (
        EVENT.replace("value: 212", "min: 5000\n      max: 10"),
        ("participants", "'min' (5000) is above 'max' (10)"),
    ),
    "end before start": (
        EVENT.replace("date: 2023-06-14", "date: 2023-06-14\n    end: 2023-06-13"),
        ("end", "is before 'date'"),
    ),
    "year of one digit": (
        EVENT
        + "instruments:\n  - id: law\n    label: A law\n    kind: law\n    year: -5\n"
        + "    evidence:\n      - quote: an online safety commission was established\n",
        ("year", "four digits"),
    ),
    "not a number": (
        EVENT.replace("value: 212", "value: .nan"),
        ("participants", "finite"),
    ),
    "infinite": (
        EVENT.replace("value: 212", "value: .inf"),
        ("participants", "finite"),
    ),
    "note that is a mapping": (
        EVENT.replace("    date: 2023-06-14", "    date: 2023-06-14\n    note: {a: 1}"),
        ("note", "must be text"),
    ),
    "quantity note that is a mapping": (
        EVENT.replace("value: 212", "value: 212\n      note: {a: 1}"),
        ("participants", "'note' must be text"),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_invalid_values_name_file_record_and_field(project, case):
    text, (field, words) = BAD_VALUES[case]
    root = project({"events.yaml": text})
    result = cli("validate", "--root", str(root))
    assert_one_clear_line(result, 1)
    lines = [ln for ln in result.output.split("\n") if f"field '{field}'" in ln]
    assert any("events.yaml" in ln and words in ln for ln in lines), result.output


def test_shacl_refuses_impossible_values_the_records_never_produce():
    """The shapes hold on their own, for graphs built by other means."""
    from rdflib import RDF

    from copgraph.namespaces import CG, ID, XSD

    graph = Graph()
    figure, event = ID["e/participants"], ID["e"]
    graph.add((event, CG.participantCount, figure))
    graph.add((figure, RDF.type, CG.Figure))
    graph.add((figure, CG.minValue, Literal(5000)))
    graph.add((figure, CG.maxValue, Literal(10)))
    graph.add((figure, CG.value, Literal(-3)))
    graph.add((ID["law"], CG.year, Literal("-5", datatype=XSD.gYear)))
    graph.add((ID["s"], CG.start, Literal("2023-12-07T10:00:00+07:00", datatype=XSD.dateTime)))
    graph.add((ID["s"], CG.end, Literal("2023-12-07T09:00:00+07:00", datatype=XSD.dateTime)))
    graph.add((ID["f"], RDF.type, CG.Figure))
    graph.add((ID["f"], CG.value, Literal(float("nan"))))
    graph.add((ID["f"], CG.note, Literal("1", datatype=XSD.integer)))
    lines = "\n".join(validate_shapes(graph, ROOT / "ontology" / "shapes.ttl"))
    for words in (
        "minimum is not above its maximum",
        "participants is not negative",
        "year is an xsd:gYear of four digits",
        "Nothing ends before it starts",
        "finite number",
        "A note is text",
    ):
        assert words in lines, lines


def test_shacl_lines_name_file_record_and_field(project):
    person = textwrap.dedent(
        """
        people:
          - id: atsuko-okuda
            name: Atsuko Okuda
            evidence:
              - quote: "Dr. Atsuko Okuda, ITU Regional Director for Asia and the Pacific"
        """
    )
    root = project({"countries.yaml": COUNTRY, "people.yaml": person})
    result = cli("validate", "--root", str(root))
    assert_one_clear_line(result, 1)
    line = next(ln for ln in result.output.split("\n") if "holds at least one post" in ln)
    assert "people.yaml: record 'atsuko-okuda'" in line, line


# -- 9. one clear line instead of a traceback -------------------------------------------------


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"])
def test_line_separators_in_text_survive_build_and_query(project, char):
    escaped = json.dumps(f"Fi{char}ji")  # a YAML double-quoted string with the escape
    root = project({"countries.yaml": COUNTRY.replace("label: Fiji", f"label: {escaped}")})
    paths = Paths(root=root)
    for store in ("oxigraph", "rdflib"):
        kg = open_graph(store, paths=paths)
        assert kg.sparql("SELECT ?l WHERE { id:fiji rdfs:label ?l }").l.tolist() == [f"Fi{char}ji"]


def test_a_file_that_is_not_utf8_is_named(project):
    root = project({"countries.yaml": COUNTRY})
    (curated_of(root) / "latin1.yaml").write_bytes("note: caf\xe9\n".encode("latin-1"))
    result = cli("validate", "--root", str(root))
    assert_one_clear_line(result, 1, "latin1.yaml", "not UTF-8", "line 1")


def test_a_folder_named_yaml_is_named(project):
    root = project({"countries.yaml": COUNTRY})
    (curated_of(root) / "x.yaml").mkdir()
    result = cli("validate", "--root", str(root))
    assert_one_clear_line(result, 1, "x.yaml", "is a folder")


def test_yml_files_are_read(project):
    root = project({"countries.yml": COUNTRY})
    kg = open_graph("oxigraph", paths=Paths(root=root))
    assert kg.sparql("ASK { id:fiji a cg:Country }") is True


@pytest.mark.parametrize(
    "query, words",
    [
        ("SELECT * FROM NAMED <urn:x> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
        ("SELECT * WHERE { ?s foo:bar ?o }", "the prefix 'foo:' is not declared"),
        ("SELECT * WHERE { ?s (!(cg:x|^cg:x)) ?o }", "could not run the query"),
    ],
)
def test_rdflib_store_failures_are_one_line(built, query, words):
    result = cli("sparql", "--root", str(built), "--store", "rdflib", query)
    assert_one_clear_line(result, 2, words)


def test_a_damaged_oxigraph_folder_is_one_line(built, tmp_path):
    folder = tmp_path / "store"
    assert cli("load", "--root", str(built), "--store", f"oxigraph:{folder}").exit_code == 0
    for path in folder.iterdir():
        if path.name.startswith("MANIFEST") or path.name == "CURRENT":
            path.write_bytes(b"\x00garbage")
    result = cli("sparql", "--root", str(built), "--store", f"oxigraph:{folder}", "ASK {}")
    assert_one_clear_line(result, 1, str(folder), "damaged")


def test_an_oxigraph_folder_that_is_a_file_is_one_line(built, tmp_path):
    file = tmp_path / "store"
    file.write_text("x")
    result = cli("sparql", "--root", str(built), "--store", f"oxigraph:{file}", "ASK {}")
    assert_one_clear_line(result, 1, "is a file")


# -- 10. messages that say what is wrong, where -----------------------------------------------


def test_a_yaml_syntax_error_is_one_problem_at_its_line(project):
    people = textwrap.dedent(
        """\
        people:
          - id: someone
            name: Someone
            posts:
              - organization: fiji-office
                evidence:
                  - quote: "shared some online practices among children and youth in Fiji"
            evidence:
              - quote: "shared some online practices among children and youth in Fiji"
        """
    )
    broken = COUNTRY.replace('"shared some online', '"shared some online\n  unclosed')
    broken = broken.replace('in Fiji"', "in Fiji") + "\n" * 25 + "# end\n"
    root = project({"countries.yaml": broken, "people.yaml": people})
    result = cli("validate", "--root", str(root))
    assert_one_clear_line(result, 1, "countries.yaml", "at line 8")
    assert "unknown id" not in result.output
    assert "build failed: 2 problem(s)" in result.output  # the file, and why checks stopped


def test_oxigraph_syntax_errors_count_the_users_lines_only():
    store = OxigraphStore()
    with pytest.raises(StoreError) as caught:
        store.select("SELECT *\nWHERE {\n  ?s ?p ?o\n  FILTER(}", {"cg": "urn:cg#"})
    message = str(caught.value)
    assert "line 4" in message and "FILTER(}" in message


def test_an_unknown_prefix_on_oxigraph_is_named_without_unicode_ranges():
    store = OxigraphStore()
    with pytest.raises(StoreError) as caught:
        store.select("SELECT * WHERE { ?s foo:bar ?o }", {"cg": "urn:cg#"})
    message = str(caught.value)
    assert "'foo:'" in message and "\\u{" not in message and len(message) < 300


@pytest.mark.parametrize("text", ["", "   \n  ", "# only a comment\n"])
def test_an_empty_query_has_its_own_message(text):
    with pytest.raises(QueryError, match="the query is empty"):
        check_query(text)


@pytest.mark.parametrize(
    "quote, code",
    [
        ("shared some online prac\u200btices among children", "U+200B ZERO WIDTH SPACE"),
        ("ITU made signi\ufb01cant contributions to", "U+FB01 LATIN SMALL LIGATURE FI"),
    ],
)
def test_a_quote_with_an_invisible_difference_gets_a_hint_that_shows_it(project, quote, code):
    text = COUNTRY.replace(
        '"shared some online practices among children and youth in Fiji"', json.dumps(quote)
    )
    root = project({"countries.yaml": text})
    with pytest.raises(BuildError) as caught:
        build_graph(Paths(root=root))
    assert code in caught.value.report()


# -- 11. outputs safe to open -----------------------------------------------------------------


def test_csv_cells_a_spreadsheet_would_run_are_neutralized_unless_raw(built):
    query = 'SELECT ?x WHERE { VALUES ?x { "=HYPERLINK(1)" "+1" "-2" "@SUM(1)" "ok" } }'
    safe = cli("sparql", "--root", str(built), "--format", "csv", query).stdout.split("\n")
    assert safe[1:6] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(1)", "ok"]
    raw = cli("sparql", "--root", str(built), "--format", "csv", "--raw", query).stdout
    assert raw.split("\n")[1:6] == ["=HYPERLINK(1)", "+1", "-2", "@SUM(1)", "ok"]


def test_render_neutralizes_csv_formulas_for_named_queries_too():
    import pandas as pd

    frame = pd.DataFrame({"a": ["=1+1", "fine", None], "n": [-1, 2, 3]}).astype(object)
    lines = render(frame, "csv").split("\n")
    assert lines[1] == "'=1+1,-1" and lines[2] == "fine,2"


def test_markdown_escapes_pipes_line_breaks_and_html():
    import pandas as pd

    evil = 'a|b\nc <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="y">'
    text = render(pd.DataFrame({"v": [evil]}).astype(object), "markdown")
    lines = text.strip().split("\n")
    assert len(lines) == 3, text  # header, rule, one row: the newline did not split it
    assert lines[2].count("|") - lines[2].count("\\|") == 2  # only the table's own pipes
    assert "<script>" not in text and "<img" not in text and "](javascript" not in text


# -- 12. stores agree -------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("clause", ["FROM <urn:x>", "FROM NAMED <urn:x>"])
def test_from_is_refused_the_same_way_on_every_store(built, store, clause):
    result = cli(
        "sparql", "--root", str(built), "--store", store, f"SELECT * {clause} WHERE {{ ?s ?p ?o }}"
    )
    assert_one_clear_line(result, 2, "FROM and FROM NAMED are refused")


@pytest.mark.parametrize(
    "value", ["a\\u0041b", "tab\there", "two\t\ttabs", 'quote"and\\back', "a\\U0001F600", "\u2028"]
)
def test_parameter_values_pass_unchanged_on_every_store(value):
    graph = Graph().add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    oxigraph = OxigraphStore()
    oxigraph.load_ntriples('<urn:a> <urn:p> "x" .\n')
    query = bind_values("SELECT ?v WHERE {\t?s ?p ?o }", {"v": Literal(value)})
    for store in (RdflibStore(graph), oxigraph):
        assert str(store.select(query)[1][0][0]) == value, store.name


# -- 13. a persisted store serves parallel readers and a load ---------------------------------


LOADER = """
import sys
from copgraph.store import OxigraphStore

store = OxigraphStore(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
for _ in range(int(sys.argv[3])):
    store.load_ntriples(text, stamp=("urn:copgraph:meta", "another load"))
"""


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_eight_parallel_readers_and_a_load_all_succeed(built, tmp_path):
    folder = tmp_path / "store"
    spec = f"oxigraph:{folder}"
    total = triple_count(open_graph(spec, paths=Paths(root=built)))
    nt = str(built / "data" / "build" / "copgraph.nt")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    reader = ("sparql", "--root", str(built), "--store", spec, "--format", "csv", query)
    processes = [start(sys.executable, "-m", "copgraph", *reader) for _ in range(8)]
    processes.append(start(sys.executable, "-c", LOADER, str(folder), nt, "3"))
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    assert {out.strip().split("\n")[-1] for out, _ in outputs[:8]} == {str(total)}


def test_queries_see_one_complete_graph_during_reloads(built, tmp_path):
    """A reader never sees a store half cleared or half loaded."""
    folder = tmp_path / "store"
    kg = open_graph(f"oxigraph:{folder}", paths=Paths(root=built))
    total = triple_count(kg)
    nt = str(built / "data" / "build" / "copgraph.nt")
    loader = start(sys.executable, "-c", LOADER, str(folder), nt, "20")
    counts = []
    while loader.poll() is None:
        counts.append(triple_count(kg))
    assert loader.returncode == 0, loader.stderr.read()
    assert counts and set(counts) == {total}


def test_a_bad_copgraph_timeout_is_one_line(monkeypatch):
    monkeypatch.setenv("COPGRAPH_TIMEOUT", "soon")
    result = cli("sparql", "ASK {}")
    assert_one_clear_line(result, 2, "COPGRAPH_TIMEOUT")


def test_a_false_cell_reads_false_in_a_wrapped_table():
    """tabulate's wrapping turned the text "False" into True: `query people` said every
    current post was former."""
    import pandas as pd

    from copgraph.catalog import for_people
    from copgraph.output import render

    frame = pd.DataFrame({"title": ["Director " * 20, "Dean"], "former": [False, True]})
    for cells in (frame.astype(object), for_people(frame, "table")):
        lines = render(cells, "table", width=60).splitlines()
        assert lines[2].rstrip().endswith("false") and "true" not in lines[2], lines
        assert any(line.rstrip().endswith("true") for line in lines[3:]), lines
