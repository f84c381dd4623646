"""The three store adapters on a tiny graph: the same rdflib terms from each, term by term
(IRIs, blank nodes, plain, typed and language-tagged literals), and one clear error."""

from __future__ import annotations

import errno

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from copgraph.store import (
    EndpointStore,
    OxigraphStore,
    RdflibStore,
    StoreError,
    _describe,
    _from_json,
    _plain,
    _prologue,
    _term,
    _to_rdflib,
    brief,
    check_url,
    decode_codepoints,
    is_endpoint,
    oxigraph_syntax_message,
    parse_rdflib,
    parse_store_spec,
)

pytestmark = pytest.mark.timeout(20)

A, P, Q = URIRef("urn:ex:a"), URIRef("urn:ex:p"), URIRef("urn:ex:q")
OBJECTS = [
    URIRef("urn:ex:b"),
    Literal("plain"),
    Literal("hello", lang="en-gb"),  # Oxigraph writes tags in lower case
    Literal("bonjour", lang="fr"),
    Literal("5", datatype=XSD.integer),
    Literal("2.5", datatype=XSD.decimal),  # and numbers in canonical form
    Literal("2023", datatype=XSD.gYear),
    Literal("mn", datatype=XSD.language),
    Literal("true", datatype=XSD.boolean),
    Literal('a "quoted"\nline'),
]


def tiny_graph() -> Graph:
    graph = Graph()
    for obj in OBJECTS:
        graph.add((A, P, obj))
    graph.add((BNode("n1"), Q, A))
    return graph


def same_rows(rows):
    """Rows comparable across stores: blank node labels differ, so blank nodes are '_'."""
    return sorted(
        tuple("_" if isinstance(t, BNode) else (type(t).__name__, t.n3()) for t in row)
        for row in rows
    )


EXPECTED_OBJECTS = sorted(
    ("URIRef" if isinstance(o, URIRef) else "Literal", o.n3()) for o in OBJECTS
)


# -- terms, one by one ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "term, plain",
    [
        (ox.NamedNode("urn:ex:a"), ("u", "urn:ex:a")),
        (URIRef("urn:ex:a"), ("u", "urn:ex:a")),
        (ox.BlankNode("b1"), ("b", "b1")),
        (BNode("b1"), ("b", "b1")),
        (
            ox.Literal("x", language="en-gb"),
            (
                "l",
                "x",
                str(ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString").value),
                "en-gb",
            ),
        ),
        (Literal("x", lang="en-GB"), ("l", "x", None, "en-GB")),
        (
            ox.Literal("5", datatype=ox.NamedNode(str(XSD.integer))),
            ("l", "5", str(XSD.integer), None),
        ),
        (Literal("5", datatype=XSD.integer), ("l", "5", str(XSD.integer), None)),
        (Literal("plain"), ("l", "plain", None, None)),
        (None, None),
    ],
)
def test_terms_travel_between_processes_as_plain_tuples(term, plain):
    assert _plain(term) == plain


@pytest.mark.parametrize(
    "plain, term",
    [
        (("u", "urn:ex:a"), URIRef("urn:ex:a")),
        (("b", "b1"), BNode("b1")),
        (("l", "x", None, "en-GB"), Literal("x", lang="en-GB")),
        (
            ("l", "x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "fr"),
            Literal("x", lang="fr"),
        ),
        (("l", "5", str(XSD.integer), None), Literal("5", datatype=XSD.integer)),
        (("l", "plain", None, None), Literal("plain")),
        (("l", "plain", str(XSD.string), None), Literal("plain")),
        (None, None),
    ],
)
def test_plain_tuples_become_the_same_rdflib_terms(plain, term):
    made = _term(plain)
    assert made == term
    assert type(made) is type(term)
    if isinstance(term, Literal):
        assert (made.datatype, made.language) == (term.datatype, term.language)


def test_an_unknown_term_from_a_store_is_one_clear_error():
    assert _plain(object())[0] == "?"
    with pytest.raises(StoreError, match=r"^unsupported term from the store: \('\?', "):
        _term(("?", "x"))


def test_pyoxigraph_terms_become_rdflib_terms():
    assert _to_rdflib(ox.NamedNode("urn:ex:a")) == URIRef("urn:ex:a")
    literal = _to_rdflib(ox.Literal("2023", datatype=ox.NamedNode(str(XSD.gYear))))
    assert (literal, literal.datatype) == (Literal("2023", datatype=XSD.gYear), XSD.gYear)
    assert _to_rdflib(ox.Literal("plain")).datatype is None
    assert _to_rdflib(ox.Literal("x", language="mn")).language == "mn"


@pytest.mark.parametrize(
    "binding, term",
    [
        ({"type": "uri", "value": "urn:ex:a"}, URIRef("urn:ex:a")),
        ({"type": "bnode", "value": "b1"}, BNode("b1")),
        ({"type": "literal", "value": "x", "xml:lang": "en-GB"}, Literal("x", lang="en-GB")),
        (
            {"type": "literal", "value": "5", "datatype": str(XSD.integer)},
            Literal("5", datatype=XSD.integer),
        ),
        (
            {"type": "typed-literal", "value": "5", "datatype": str(XSD.integer)},
            Literal("5", datatype=XSD.integer),
        ),
        ({"type": "literal", "value": "plain"}, Literal("plain")),
        ({"type": "literal", "value": "s", "datatype": str(XSD.string)}, Literal("s")),
    ],
)
def test_sparql_json_bindings_become_the_same_rdflib_terms(binding, term):
    made = _from_json(binding)
    assert made == term and type(made) is type(term)
    if isinstance(term, Literal):
        assert (made.datatype, made.language) == (term.datatype, term.language)


# -- the local stores ------------------------------------------------------------------------


@pytest.fixture(params=["rdflib", "oxigraph", "oxigraph-folder"])
def local_store(request, tmp_path):
    if request.param == "rdflib":
        store = RdflibStore(tiny_graph())
    else:
        store = OxigraphStore(tmp_path / "ox" if request.param == "oxigraph-folder" else None)
        store.load_ntriples(tiny_graph().serialize(format="nt"))
    yield store
    store.close()


def test_every_local_store_gives_the_same_terms(local_store):
    variables, rows = local_store.select("SELECT ?o WHERE { <urn:ex:a> <urn:ex:p> ?o }")
    assert variables == ["o"]
    assert same_rows(rows) == [(o,) for o in EXPECTED_OBJECTS]
    literals = {row[0].n3(): row[0] for row in rows}
    assert literals['"hello"@en-gb'].language == "en-gb"
    assert literals['"5"^^<http://www.w3.org/2001/XMLSchema#integer>'].datatype == XSD.integer
    assert literals['"plain"'].datatype is None


def test_unbound_cells_and_blank_nodes_come_back(local_store):
    variables, rows = local_store.select(
        "SELECT ?s ?x WHERE { ?s <urn:ex:q> ?o OPTIONAL { ?s <urn:ex:none> ?x } }"
    )
    assert variables == ["s", "x"]
    ((subject, unbound),) = rows
    assert isinstance(subject, BNode) and unbound is None


def test_prefixes_are_declared_without_being_pasted_into_the_query(local_store):
    variables, rows = local_store.select(
        "SELECT ?s WHERE { ?s ex:q ?o }", prefixes={"ex": "urn:ex:"}
    )
    assert (variables, len(rows)) == (["s"], 1)


def test_ask_answers_true_and_false(local_store):
    assert local_store.ask("ASK { <urn:ex:a> <urn:ex:p> 5 }") is True
    assert local_store.ask("ASK { <urn:ex:a> <urn:ex:p> 6 }") is False


def test_construct_gives_an_rdflib_graph_of_the_same_terms(local_store):
    graph = local_store.graph("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(graph, Graph)
    expected = tiny_graph()
    assert len(graph) == len(expected)
    assert isomorphic(graph, expected)


def test_a_select_with_no_rows_has_its_variables(local_store):
    assert local_store.select("SELECT ?x WHERE { ?x <urn:ex:none> ?y }") == (["x"], [])


def test_select_stream_gives_rows_as_they_come(local_store):
    variables, rows = local_store.select_stream("SELECT ?o WHERE { <urn:ex:a> <urn:ex:p> ?o }")
    assert variables == ["o"]
    assert not isinstance(rows, list)
    assert len(list(rows)) == len(OBJECTS)


def test_two_streams_read_at_once_stay_apart(local_store):
    _, first = local_store.select_stream("SELECT ?o WHERE { <urn:ex:a> <urn:ex:p> ?o }")
    next(first)
    _, second = local_store.select_stream("SELECT ?s WHERE { ?s <urn:ex:q> ?o }")
    assert len(list(second)) == 1
    assert len(list(first)) == len(OBJECTS) - 1


def test_rdflib_store_errors_are_one_clear_line():
    store = RdflibStore(tiny_graph())
    try:
        with pytest.raises(StoreError) as caught:
            store.select("SELECT ?s WHERE { ?s nope:p ?o }")
        assert "\n" not in str(caught.value)
        assert "nope" in str(caught.value)
    finally:
        store.close()


def test_oxigraph_syntax_errors_point_at_the_users_text():
    store = OxigraphStore()
    try:
        with pytest.raises(StoreError) as caught:
            store.select("SELECT ?x\nWHERE { ?x ?y }")
        assert str(caught.value) == (
            "SPARQL syntax error at line 2, column 16, near 'the end of the query': "
            "expected LATERAL or SERVICE\n"
            "  WHERE { ?x ?y }\n"
            "                 ^"
        )
    finally:
        store.close()


def test_an_rdflib_store_sees_the_graph_as_it_was_until_closed():
    graph = tiny_graph()
    store = RdflibStore(graph)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        before = int(store.select(count)[1][0][0])
        graph.add((A, P, Literal("new")))
        store.close()
        assert int(store.select(count)[1][0][0]) == before + 1
    finally:
        store.close()


def test_a_reload_replaces_the_content(tmp_path):
    for folder in (None, tmp_path / "ox"):
        store = OxigraphStore(folder)
        try:
            store.load_ntriples(tiny_graph().serialize(format="nt"))
            store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")
            assert store.select("SELECT ?s WHERE { ?s ?p ?o }")[1] == [(URIRef("urn:ex:x"),)]
        finally:
            store.close()


def test_the_stamp_of_a_load_is_read_back_from_memory_and_from_a_folder(tmp_path):
    meta = "urn:copgraph:meta"
    memory = OxigraphStore()
    memory.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")
    assert memory.stamp(meta) is None
    memory.close()
    store = OxigraphStore(tmp_path / "ox")
    assert store.stamp(meta) is None  # a new, empty folder
    store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n", stamp=(meta, "abc123"))
    assert store.stamp(meta) == "abc123"
    again = OxigraphStore(tmp_path / "ox")  # reopened without reloading
    try:
        assert again.stamp(meta) == "abc123"
        assert again.select("SELECT ?s WHERE { ?s ?p ?o }")[1] == [(URIRef("urn:ex:x"),)]
        store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:w> .\n")  # no stamp: none kept
        assert again.stamp(meta) is None
    finally:
        again.close()
        store.close()


def test_an_oxigraph_folder_that_is_a_file_or_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        OxigraphStore(tmp_path / "file")
    assert str(caught.value) == f"{tmp_path / 'file'} is a file, not an Oxigraph folder"
    with pytest.raises(StoreError, match="^cannot create the Oxigraph folder "):
        OxigraphStore(tmp_path / "file" / "below")


def test_a_damaged_oxigraph_folder_is_one_line(tmp_path):
    folder = tmp_path / "ox"
    store = OxigraphStore(folder)
    store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")
    store.close()
    for path in folder.iterdir():
        if path.name.startswith(("CURRENT", "MANIFEST")):
            path.write_text("garbage", encoding="utf-8")
    store = OxigraphStore(folder)
    with pytest.raises(StoreError) as caught:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert f"cannot open the Oxigraph store in {folder} (" in str(caught.value)
    assert str(caught.value).endswith(
        f"it may be damaged: delete the folder and run copgraph load --store oxigraph:{folder}"
    )
    store.close()


# -- messages ------------------------------------------------------------------------------


def test_an_unknown_prefix_is_named_with_what_to_add():
    message = oxigraph_syntax_message(
        "SELECT ?x\nWHERE { ?x foo:bar ?y }", "error at 2:16: expected one of Prefix not found"
    )
    assert message == (
        "SPARQL syntax error at line 2, column 16, near 'bar ?y }': the prefix 'foo:' is not "
        "declared (add PREFIX foo: <...>)\n"
        "  WHERE { ?x foo:bar ?y }\n"
        "                 ^"
    )


def test_a_syntax_error_at_the_end_says_so():
    message = oxigraph_syntax_message("SELECT ?x WHERE {", "error at 1:18: expected one of '}'")
    assert message.startswith(
        "SPARQL syntax error at line 1, column 18, near 'the end of the query': unexpected text"
    )


def test_a_syntax_error_beyond_the_query_has_no_line_to_show():
    message = oxigraph_syntax_message("ASK {}", "error at 5:1: expected one of Var, IRI")
    assert message == (
        "SPARQL syntax error at line 5, column 1, near 'the end of the query': "
        "expected Var or IRI\n  \n  ^"
    )


def test_an_error_without_a_position_is_kept_short():
    assert oxigraph_syntax_message("x", "something odd") == "SPARQL syntax error: something odd"
    long = oxigraph_syntax_message("x", "y" * 300)
    assert long == "SPARQL syntax error: " + "y" * 197 + "..."


def test_failures_in_the_worker_are_described_by_kind():
    assert _describe(MemoryError(), "q", False) == (
        "memory",
        "the query ran out of memory and was stopped",
    )
    kind, text = _describe(SyntaxError("error at 1:1: x"), "q", False)
    assert (kind, text.split(",")[0]) == ("syntax", "SPARQL syntax error at line 1")
    unreachable = OSError(errno.ENETUNREACH, "Network is unreachable")
    assert _describe(unreachable, "q", False)[0] == "network"
    assert "pass --allow-service" in _describe(unreachable, "q", False)[1]
    assert _describe(OSError(errno.EMFILE, "too many"), "q", False)[0] == "network"
    assert _describe(OSError("os error 101 in the store"), "q", False)[0] == "network"
    assert _describe(OSError("Host unreachable"), "q", False)[0] == "network"
    assert _describe(unreachable, "q", True) == (
        "error",
        "the store could not run the query: [Errno 101] Network is unreachable",
    )
    assert _describe(ValueError("unreachable"), "q", False)[0] == "error"
    assert _describe(RuntimeError("x" * 400), "q", False)[1] == (
        "the store could not run the query: " + "x" * 297 + "..."
    )


def test_brief_keeps_short_text_and_cuts_long_text():
    assert brief("x" * 80) == "x" * 80
    assert brief("x" * 81) == "x" * 77 + "..."
    assert brief(12345, limit=4) == "1..."


# -- parsing as Oxigraph reads -----------------------------------------------------------------


def test_codepoint_escapes_become_characters_never_syntax():
    assert decode_codepoints("\\u0041\\U0001F600") == "A\U0001f600"
    assert decode_codepoints("\\u0022") == '\\"'
    assert decode_codepoints("\\u0027\\u005C\\u000A\\u000d") == "\\'\\\\\\n\\r"
    assert decode_codepoints("\\\\u0041") == "\\\\u0041"  # an escaped backslash stays


def test_rdflib_parses_a_tab_inside_a_string_as_a_tab():
    parse_rdflib('SELECT * WHERE { ?s ?p "a\tb" }')  # parses
    graph = Graph()
    graph.add((A, P, Literal("a\tb")))
    store = RdflibStore(graph)
    try:
        assert store.ask('ASK { ?s ?p "a\tb" }') is True
        assert store.ask('ASK { ?s ?p "a    b" }') is False
        assert store.ask('ASK { ?s ?p "\\u0061\tb" }') is True
    finally:
        store.close()


# -- choosing a store, and the endpoint client ---------------------------------------------------


@pytest.mark.parametrize(
    "spec, parsed",
    [
        ("rdflib", ("rdflib", None)),
        ("oxigraph", ("oxigraph", None)),
        ("oxigraph:data/ox", ("oxigraph", "data/ox")),
        ("http://localhost:7878", ("endpoint", "http://localhost:7878")),
        ("https://example.org/sparql", ("endpoint", "https://example.org/sparql")),
    ],
)
def test_store_specs(spec, parsed):
    assert parse_store_spec(spec) == parsed


@pytest.mark.parametrize("spec", ["oxigraph:", "Oxigraph", "rdflib:x", "ftp://x", ""])
def test_an_unknown_store_spec_says_what_is_accepted(spec):
    with pytest.raises(StoreError) as caught:
        parse_store_spec(spec)
    assert str(caught.value) == (
        f"unknown store {spec!r}: use rdflib, oxigraph, oxigraph:FOLDER or an "
        "http(s):// SPARQL endpoint URL"
    )


def test_only_http_urls_with_a_host_are_endpoints():
    assert is_endpoint("http://x") and is_endpoint("https://x")
    assert not is_endpoint("oxigraph:http://x")
    check_url("http://127.0.0.1:7878/query")
    with pytest.raises(StoreError) as caught:
        check_url("http:///query")
    assert str(caught.value) == "'http:///query' is not an http(s) URL with a host"
    with pytest.raises(StoreError, match=r"^'ftp://host' is not an http\(s\) URL"):
        check_url("ftp://host")
    with pytest.raises(StoreError, match=r"^'http://host:99999' is not a valid URL: "):
        check_url("http://host:99999")
    with pytest.raises(StoreError, match="is not a valid URL"):
        parse_store_spec("http://[::1")


@pytest.mark.parametrize(
    "url, query_url, store_url",
    [
        ("http://h:7878", "http://h:7878/query", "http://h:7878/store"),
        ("http://h:7878/", "http://h:7878/query", "http://h:7878/store"),
        ("http://h:7878/query", "http://h:7878/query", "http://h:7878/store"),
        ("http://h/ds/sparql", "http://h/ds/sparql", "http://h/ds/store"),
    ],
)
def test_the_endpoint_derives_query_and_store_urls(url, query_url, store_url):
    store = EndpointStore(url)
    assert (store.query_url, store.store_url) == (query_url, store_url)
    assert EndpointStore(url, graph_store="http://g/data").store_url == "http://g/data"


def test_the_endpoint_prologue_declares_each_prefix():
    assert _prologue({"ex": "urn:ex:", "cg": "urn:cg#"}) == (
        "PREFIX ex: <urn:ex:>\nPREFIX cg: <urn:cg#>\n"
    )
    assert _prologue(None) == ""


def test_a_real_endpoint_gives_the_same_terms_as_the_local_stores(oxigraph_server):
    store = EndpointStore(oxigraph_server, timeout=30)
    store.load_ntriples(tiny_graph().serialize(format="nt"))
    assert store.count_triples() == len(tiny_graph())
    variables, rows = store.select("SELECT ?o WHERE { ex:a ex:p ?o }", prefixes={"ex": "urn:ex:"})
    assert variables == ["o"]
    assert same_rows(rows) == [(o,) for o in EXPECTED_OBJECTS]
    _, rows = store.select("SELECT ?s ?x WHERE { ?s <urn:ex:q> ?o OPTIONAL { ?s <urn:ex:n> ?x } }")
    ((subject, unbound),) = rows
    assert isinstance(subject, BNode) and unbound is None
    assert store.ask("ASK { <urn:ex:a> <urn:ex:p> 5 }") is True
    assert store.ask("ASK { <urn:ex:a> <urn:ex:p> 6 }") is False
    assert isomorphic(store.graph("CONSTRUCT WHERE { ?s ?p ?o }"), tiny_graph())
    store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")  # replaces
    assert store.count_triples() == 1


def test_an_endpoint_error_reply_is_one_line_with_its_status(oxigraph_server):
    store = EndpointStore(oxigraph_server, timeout=30)
    with pytest.raises(StoreError) as caught:
        store.select("SELECT nonsense")
    assert str(caught.value).startswith(f"{oxigraph_server}/query answered HTTP 400: ")
    assert "\n" not in str(caught.value)


def test_an_endpoint_that_is_not_there_is_one_line():
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as caught:
        EndpointStore(url, timeout=5).ask("ASK {}")
    assert str(caught.value).startswith(f"cannot reach the SPARQL endpoint {url}/query: ")


# -- what the worker sends back, term by term (run here in this process) ----------------------


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph", "oxigraph-folder"])
def test_the_worker_sends_plain_tuples_for_rows_booleans_and_triples(kind, tmp_path):
    if kind == "rdflib":
        store = RdflibStore(tiny_graph())
    else:
        store = OxigraphStore(tmp_path / "ox" if kind == "oxigraph-folder" else None)
        store.load_ntriples(tiny_graph().serialize(format="nt"))
    handle = store._open_in_child()
    try:
        select = "SELECT ?p ?o WHERE { ex:a ?p ?o } ORDER BY ?o"
        variables, *rows = list(store._produce(handle, (select, {"ex": "urn:ex:"}, "select")))
        assert variables == ["p", "o"]
        assert all(row[0] == ("u", "urn:ex:p") for row in rows)
        objects = {_term(row[1]) for row in rows}
        assert objects == set(OBJECTS)
        unbound = "SELECT ?o ?x WHERE { ex:a ex:p ?o FILTER(?o = 5) OPTIONAL { ?o ex:n ?x } }"
        answer = list(store._produce(handle, (unbound, {"ex": "urn:ex:"}, "select")))
        assert answer == [["o", "x"], (("l", "5", str(XSD.integer), None), None)]
        ask = "ASK { <urn:ex:a> <urn:ex:p> 5 }"
        assert list(store._produce(handle, (ask, None, "bool"))) == [True]
        assert list(store._produce(handle, (ask.replace("5", "6"), None, "bool"))) == [False]
        construct = "CONSTRUCT WHERE { ?s <urn:ex:q> ?o }"
        ((s, p, o),) = list(store._produce(handle, (construct, None, "graph")))
        assert s[0] == "b" and p == ("u", "urn:ex:q") and o == ("u", "urn:ex:a")
    finally:
        store._release(handle)
        store.close()


def test_a_persisted_store_is_opened_read_only_under_a_shared_lock_and_released(tmp_path):
    import fcntl
    import os

    store = OxigraphStore(tmp_path / "ox")
    store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")
    handle = store._open_in_child()
    lock = os.open(tmp_path / "ox" / "copgraph.lock", os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):  # a reader holds it: no load may start
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)  # another reader may
        fcntl.flock(lock, fcntl.LOCK_UN)
        store._release(handle)
        assert handle.store is None
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released: a load may start
        fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        os.close(lock)
        store.close()
    memory = OxigraphStore()
    assert memory._open_in_child() is memory.ox
    memory._release(memory.ox)  # nothing to release
    memory.close()


def test_a_load_waits_for_readers_and_then_gives_up_with_one_line(tmp_path):
    store = OxigraphStore(tmp_path / "ox")
    store.load_ntriples("<urn:ex:x> <urn:ex:y> <urn:ex:z> .\n")
    reader = store._lock(exclusive=False)
    told = []
    try:
        with pytest.raises(StoreError) as caught:
            store._lock(exclusive=True, progress=told.append, wait=0.3)
        assert str(caught.value) == (
            f"cannot load {tmp_path / 'ox'}: another copgraph process has held it for more "
            "than 0.3 s"
        )
        assert told == [f"waiting for other copgraph processes using {tmp_path / 'ox'} ..."]
        second = store._lock(exclusive=False, wait=0.3)  # readers share it
        import os

        os.close(second)
    finally:
        import os

        os.close(reader)
    writer = store._lock(exclusive=True, wait=0.3)
    try:
        with pytest.raises(StoreError, match=r"^cannot read .*for more than 0.2 s$"):
            store._lock(exclusive=False, wait=0.2)
    finally:
        import os

        os.close(writer)
        store.close()


class _Redirect:
    """A real HTTP server on 127.0.0.1 that redirects /away to LOCATION and answers /query."""

    def __init__(self, location_of):
        import http.server
        import json
        import threading

        answer = json.dumps({"head": {"vars": []}, "boolean": True}).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # a 302 turns the POST into a GET
                self.do_POST()

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                if self.path.startswith("/away"):
                    self.send_response(302)
                    self.send_header("Location", location_of(self.server))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_redirect_is_followed_to_http_only():
    def elsewhere(server):
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    good = _Redirect(elsewhere)
    bad = _Redirect(lambda server: "ftp://127.0.0.1/file")  # urllib itself refuses file:
    try:
        assert EndpointStore(good.url + "/away/query", timeout=10).ask("ASK {}") is True
        with pytest.raises(StoreError) as caught:
            EndpointStore(bad.url + "/away/query", timeout=10).ask("ASK {}")
        assert str(caught.value) == (
            f"{bad.url}/away/query redirected to ftp://127.0.0.1/file, which is not http(s)"
        )
    finally:
        good.close()
        bad.close()


# -- more messages --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph"])
def test_prefixes_reach_ask_and_construct_too(kind):
    store = RdflibStore(tiny_graph()) if kind == "rdflib" else OxigraphStore()
    if kind == "oxigraph":
        store.load_ntriples(tiny_graph().serialize(format="nt"))
    try:
        assert store.ask("ASK { ex:a ex:p 5 }", prefixes={"ex": "urn:ex:"}) is True
        graph = store.graph("CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:q ?o }", {"ex": "urn:ex:"})
        assert len(graph) == 1
    finally:
        store.close()


def test_a_service_clause_is_refused_unless_allowed():
    from tests.conftest import free_port

    store = OxigraphStore()
    query = f"ASK {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    refused = (
        "the query tried to reach a remote service (SERVICE), which is refused: pass "
        "--allow-service (allow_service=True) if you mean it"
    )
    try:
        for run in (store.ask, store.select, store.graph):
            with pytest.raises(StoreError) as caught:
                graph_query = query.replace("ASK {", "CONSTRUCT { ?s ?p ?o } WHERE {")
                run(graph_query if run == store.graph else query)
            assert str(caught.value) == refused
        with pytest.raises(StoreError) as caught:
            store.ask(query, allow_service=True)
        assert str(caught.value) != refused
    finally:
        store.close()


def test_rdflib_errors_keep_the_parsers_words_and_refuse_trailing_text():
    store = RdflibStore(tiny_graph())
    long_prefix = "p" * 100
    try:
        with pytest.raises(StoreError) as caught:
            store.select(f"SELECT ?s WHERE {{ ?s {long_prefix}:p ?o }}")
        assert str(caught.value) == (
            f"the store could not run the query: Unknown namespace prefix : {long_prefix}"
        )
        with pytest.raises(StoreError) as caught:
            store.select("SELECT * WHERE { ?s ?p ?o } garbage")
        assert "found 'garbage'" in str(caught.value)
    finally:
        store.close()


def test_a_syntax_error_on_the_first_line_shows_that_line():
    message = oxigraph_syntax_message("SELECT ?x WHERE {", "error at 1:18: expected one of '}'")
    assert message == (
        "SPARQL syntax error at line 1, column 18, near 'the end of the query': unexpected "
        "text\n  SELECT ?x WHERE {\n                   ^"
    )


@pytest.mark.parametrize("prefix", ["Foo", ""])
def test_an_undeclared_prefix_is_named_whatever_its_case_or_if_empty(prefix):
    query = f"ASK {{ ?x {prefix}:bar ?y }}"
    column = query.index(":") + 2
    message = oxigraph_syntax_message(query, f"error at 1:{column}: Prefix not found")
    assert f"the prefix '{prefix}:' is not declared (add PREFIX {prefix}: <...>)" in message


def test_near_shows_thirty_characters_of_the_rest_of_the_line():
    query = "SELECT ?x WHERE { " + "?x ?y ?z . " * 10 + "}"
    message = oxigraph_syntax_message(query, "error at 1:19: expected one of Var")
    near = message.split("near '")[1].split("'")[0]
    assert near == query[18:48]


class _Replies:
    """A real HTTP server on 127.0.0.1 that answers each path with a canned reply."""

    def __init__(self, replies: dict):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                kind, body = replies[self.path.split("?")[0].rsplit("/", 1)[0] or "/"]
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PUT = do_POST

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def replies():
    server = _Replies(
        {
            "/html": ("text/html", b"<html>Welcome</html>"),
            "/list": (JSON, b"[1, 2]"),
            "/nokeys": (JSON, b'{"hello": "world"}'),
            "/novars": (JSON, b'{"head": {}, "results": {"bindings": [{}]}}'),
            "/noboolean": (JSON, b'{"head": {}}'),
            "/count": (JSON, b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}'),
            "/nt": ("application/n-triples", b"<urn:a> <urn:b> <urn:c> .\n"),
            "/badnt": ("text/plain", b"not n-triples at all " + b"x" * 100),
        }
    )
    yield server.url
    server.close()


@pytest.mark.parametrize(
    "path, run, message",
    [
        (
            "/html",
            "select",
            "{url} did not answer with SPARQL JSON results (got text/html: '<html>Welcome</html>')",
        ),
        ("/list", "select", "{url} answered JSON that is not SPARQL results"),
        (
            "/nokeys",
            "select",
            "{url} answered JSON without SPARQL results (head.vars and results.bindings)",
        ),
        ("/noboolean", "ask", "{url} answered an ASK query without a boolean"),
        ("/count", "count", "{url} did not answer a triple count"),
        (
            "/badnt",
            "graph",
            "{url} did not answer with N-Triples (got text/plain: "
            "'not n-triples at all xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')",
        ),
    ],
)
def test_an_endpoint_that_answers_nonsense_is_one_line(replies, path, run, message):
    store = EndpointStore(f"{replies}{path}/query", timeout=10)
    with pytest.raises(StoreError) as caught:
        if run == "count":
            store.count_triples()
        else:
            getattr(store, run)("SELECT * WHERE { ?s ?p ?o }")
    assert str(caught.value) == message.format(url=f"{replies}{path}/query")


def test_an_endpoint_without_variables_gives_none_and_n_triples_parse(replies):
    assert EndpointStore(f"{replies}/novars/query").select("SELECT * {}") == ([], [()])
    graph = EndpointStore(f"{replies}/nt/query").graph("CONSTRUCT WHERE { ?s ?p ?o }")
    assert set(graph) == {(URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c"))}


# -- what runs in the worker, run here (mutation testing sees only this process) --------------


def test_the_network_refusal_message_in_full():
    unreachable = OSError(errno.ENETUNREACH, "Network is unreachable")
    assert _describe(unreachable, "q", False) == (
        "network",
        "the query tried to reach a remote service (SERVICE), which is refused: pass "
        "--allow-service (allow_service=True) if you mean it",
    )
    assert _describe(OSError("os error 24: too many files"), "q", False)[0] == "network"
    assert _describe(OSError("a plain failure"), "q", False)[0] == "error"


def test_rdflib_errors_in_the_worker_are_one_line_store_errors():
    from pyparsing import ParseException

    store = RdflibStore(tiny_graph())
    handle = store._open_in_child()
    with pytest.raises(StoreError) as caught:
        store._execute(handle, "SELECT ?s WHERE { ?s " + "p" * 100 + ":x ?o }", None)
    assert str(caught.value) == "Unknown namespace prefix : " + "p" * 100
    with pytest.raises(ParseException):
        parse_rdflib("SELECT * WHERE { ?s ?p ?o } garbage")


def test_a_redirect_to_https_is_followed():
    server = _Redirect(lambda s: f"https://127.0.0.1:{s.server_address[1]}/query")
    try:
        with pytest.raises(StoreError) as caught:  # followed, then no TLS on that port
            EndpointStore(server.url + "/away/query", timeout=10).ask("ASK {}")
        assert "which is not http(s)" not in str(caught.value)
        assert str(caught.value).startswith("cannot reach the SPARQL endpoint")
    finally:
        server.close()


def test_a_reply_that_is_not_utf8_or_is_long_is_shown_in_short(replies_raw):
    url, path = replies_raw
    store = EndpointStore(f"{url}{path}/query", timeout=10)
    with pytest.raises(StoreError) as caught:
        store.select("SELECT * {}")
    assert str(caught.value) == (
        f"{url}{path}/query did not answer with SPARQL JSON results (got text/html: "
        f"'\ufffd{'y' * 56}...')"
    )
    with pytest.raises(StoreError) as caught:
        store.graph("CONSTRUCT WHERE { ?s ?p ?o }")
    assert str(caught.value).endswith(f"(got text/html: '\ufffd{'y' * 56}...')")


@pytest.fixture(scope="module")
def replies_raw():
    server = _Replies({"/bad": ("text/html", b"\xff" + b"y" * 100)})
    yield server.url, "/bad"
    server.close()


def test_a_real_endpoint_takes_prefixes_for_ask_and_construct(oxigraph_server):
    store = EndpointStore(oxigraph_server, timeout=30)
    store.load_ntriples(tiny_graph().serialize(format="nt"))
    assert store.ask("ASK { ex:a ex:p 5 }", prefixes={"ex": "urn:ex:"}) is True
    graph = store.graph("CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:q ?o }", {"ex": "urn:ex:"})
    assert len(graph) == 1
