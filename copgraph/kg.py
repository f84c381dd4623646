"""The Python API: open the graph on a store once, then ask named or ad-hoc queries.

>>> import copgraph
>>> kg = copgraph.open_graph("rdflib")  # doctest: +SKIP
>>> kg.query("partners-of", org="itu")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
from pyparsing import ParseException
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from copgraph.build import Paths, ensure_built
from copgraph.catalog import (
    NamedQuery,
    QueryError,
    bind_values,
    catalog_frame,
    internal_query,
    iri_param,
    literal_param,
    load_catalog,
    python_value,
    tidy_list,
)
from copgraph.namespaces import PREFIXES, compact, sparql_prologue
from copgraph.store import (
    DEFAULT_TIMEOUT,
    EndpointStore,
    OxigraphStore,
    RdflibStore,
    Store,
    StoreError,
    brief,
    parse_rdflib,
    parse_store_spec,
)

DEFAULT_STORE = "oxigraph"
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
META_GRAPH = "urn:copgraph:meta"


class KnowledgeGraph:
    """A store plus the query catalog, label resolution and result formatting."""

    def __init__(self, store: Store, full_iris: bool = False):
        self.store = store
        self.full_iris = full_iris
        self._catalog = load_catalog()
        self._labels: dict[str, dict[str, set[str]]] | None = None

    # -- the catalog ----------------------------------------------------------------------
    def catalog(self) -> pd.DataFrame:
        """The named queries: name, title, description, parameters, columns."""
        return catalog_frame(self._catalog)

    def named(self, name: str) -> NamedQuery:
        if name not in self._catalog:
            close = difflib.get_close_matches(name, list(self._catalog), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise QueryError(f"no named query '{name}'{hint} (see: copgraph queries)")
        return self._catalog[name]

    def query(self, name: str, *, full_iris: bool | None = None, **params: str) -> pd.DataFrame:
        """Run a named query; parameters are ids, labels, codes or values as a person types them."""
        named = self.named(name)
        bindings = {f"p_{name}": term for name, term in self.bind(named, params).items()}
        text = bind_values(sparql_prologue() + named.text, bindings)
        variables, rows = self.store.select(text)
        missing = [c for c in named.columns if c not in variables]
        if missing:
            raise QueryError(f"{named.path}: the query does not return column(s) {missing}")
        frame = self._frame(variables, rows, full_iris)
        for column in named.lists:
            frame[column] = frame[column].map(
                lambda cell: tidy_list(cell, self._compact(full_iris))
            )
        return frame

    def bind(self, named: NamedQuery, params: dict[str, str]) -> dict:
        unknown = [k for k in params if named.param(k) is None]
        if unknown:
            known = ", ".join(p.name for p in named.params) or "none"
            raise QueryError(
                f"query '{named.name}' has no parameter {', '.join(map(repr, unknown))} "
                f"(its parameters: {known})"
            )
        bindings = {}
        for param in named.params:
            value = params.get(param.name)
            if value is None or str(value).strip() == "":
                if param.required:
                    raise QueryError(
                        f"query '{named.name}' needs parameter '{param.name}' ({param.doc}); "
                        f"pass --param {param.name}=VALUE"
                    )
                continue
            value = str(value).strip()
            if param.type in ("id", "country"):
                bindings[param.name] = self.resolve(param.name, value, param.cls, param.type)
            elif param.type == "iri":
                bindings[param.name] = iri_param(param, value)
            else:
                bindings[param.name] = literal_param(param, value)
        return bindings

    # -- resolving what a person types to a node ------------------------------------------
    def labels(self) -> dict[str, dict[str, set[str]]]:
        """For each class local name: lower-cased names, ids, codes -> node IRIs."""
        if self._labels is None:
            index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            _, rows = self.store.select(sparql_prologue() + internal_query("labels"))
            for node, cls, text in rows:
                name = str(cls).rsplit("#", 1)[-1]
                iri = str(node)
                index[name][str(text).strip().lower()].add(iri)
                index[name][iri.rsplit("/", 1)[-1].lower()].add(iri)
                index[name][compact(iri).lower()].add(iri)
                index[name][iri.lower()].add(iri)
            self._labels = index
        return self._labels

    def resolve(self, param: str, value: str, cls: str | None, kind: str = "id") -> URIRef:
        """An id, label, acronym or code to one node, or a clear error with close matches."""
        if kind == "country":
            cls = "Country"
        index = self.labels()
        pools = [index[cls]] if cls else list(index.values())
        found = set().union(*(pool.get(value.lower(), set()) for pool in pools))
        if len(found) == 1:
            return URIRef(found.pop())
        what = cls.lower() if cls else "node"
        if len(found) > 1:
            options = ", ".join(sorted(compact(i) for i in found))
            raise QueryError(
                f"parameter '{param}': {value!r} names more than one {what}: {options}; "
                "pass one of these ids"
            )
        keys = sorted({k for pool in pools for k in pool if "://" not in k})
        close = difflib.get_close_matches(value.lower(), keys, n=5, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise QueryError(f"parameter '{param}': no {what} is called {value!r}{hint}")

    # -- ad-hoc SPARQL ----------------------------------------------------------------------
    def sparql(self, text: str, *, allow_service: bool = False, full_iris: bool | None = None):
        """Run any SELECT/ASK/CONSTRUCT/DESCRIBE: a DataFrame, a bool or an rdflib Graph."""
        form = check_query(text, allow_service=allow_service)
        if form == "SelectQuery":
            variables, rows = self.store.select(text, PREFIX_IRIS, allow_service)
            return self._frame(variables, rows, full_iris)
        if form == "AskQuery":
            return self.store.ask(text, PREFIX_IRIS, allow_service)
        return self.store.graph(text, PREFIX_IRIS, allow_service)

    def sparql_rows(self, text: str, *, allow_service: bool = False, full_iris=None):
        """A SELECT's columns and its rows as plain values, one at a time (for streaming)."""
        form = check_query(text, allow_service=allow_service)
        if form != "SelectQuery":
            raise QueryError("sparql_rows runs SELECT queries only")
        variables, rows = self.store.select_stream(text, PREFIX_IRIS, allow_service)
        # the same terms come back row after row: convert each once (most of the time of
        # a million-row result otherwise)
        convert = self._compact(full_iris)

        @functools.lru_cache(maxsize=1 << 16)
        def value(term):
            plain = python_value(term, convert)
            return None if plain == "" else plain

        def values():
            for row in rows:
                yield [value(t) for t in row]

        return variables, values()

    # -- formatting -------------------------------------------------------------------------
    def _compact(self, full_iris: bool | None):
        full = self.full_iris if full_iris is None else full_iris
        return (lambda iri: iri) if full else compact

    def _frame(self, variables, rows, full_iris) -> pd.DataFrame:
        convert = self._compact(full_iris)
        # an empty GROUP_CONCAT is "" on some stores and unbound on others: make it None
        data = [
            [None if (v := python_value(term, convert)) == "" else v for term in row]
            for row in rows
        ]
        return pd.DataFrame(data, columns=variables).astype(object)

    def close(self) -> None:
        self.store.close()


def _walk(node):
    yield node
    if isinstance(node, CompValue):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or hasattr(node, "asList"):
        for value in node:
            yield from _walk(value)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """Replace \\uXXXX and \\UXXXXXXXX everywhere, as SPARQL 1.1 (19.2) does before parsing."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _has_code(text: str) -> bool:
    """Whether anything but white space and comments is left."""
    return any(line.split("#", 1)[0].strip() for line in text.split("\n"))


def check_query(text: str, allow_service: bool = False) -> str:
    """Parse a query with rdflib; refuse updates, FROM, and (unless allowed) SERVICE.

    Returns the query's form. rdflib's parser is the one the rdflib store runs; Oxigraph
    cannot reach a service anyway unless SERVICE is allowed (see ``store``), and for an
    endpoint the text is checked both as written and with its \\u escapes decoded, the
    way a server that follows the SPARQL spec reads it.
    """
    if not text.strip() or not _has_code(text):
        raise QueryError("the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    form = _check_one(text, allow_service)
    decoded = unescape_codepoints(text)
    if decoded != text:
        try:
            _check_one(decoded, allow_service)
        except QueryError as exc:
            if "SERVICE" in str(exc) or "FROM" in str(exc):
                raise QueryError(f"{exc} (once its \\u escapes are decoded)") from None
    return form


def _check_one(text: str, allow_service: bool) -> str:
    prologue = sparql_prologue()
    try:
        parsed = parse_rdflib(prologue + text)
    except ParseException as exc:
        try:
            parseUpdate(prologue + text)
        except ParseException:
            raise QueryError(syntax_message(exc, prologue.count("\n"))) from None
        raise QueryError(
            "SPARQL Update is refused: copgraph runs queries only (SELECT, ASK, CONSTRUCT, "
            "DESCRIBE); the graph is changed by editing data/curated and running copgraph build"
        ) from None
    if not allow_service and any(
        isinstance(n, CompValue) and n.name == "ServiceGraphPattern" for n in _walk(parsed)
    ):
        raise QueryError(
            "the query has a SERVICE clause, which would make the store fetch a remote URL; "
            "pass --allow-service (allow_service=True) if you mean it"
        )
    if isinstance(parsed[1].get("datasetClause"), list):
        raise QueryError(
            "FROM and FROM NAMED are refused: the stores read them differently; the graph "
            "is the default graph, query it without FROM"
        )
    try:
        translateQuery(parsed)
    except Exception as exc:  # rdflib raises bare Exceptions here
        match = re.match(r"Unknown namespace prefix : (\S*)", str(exc))
        if match:
            name = match.group(1)
            raise QueryError(
                f"the prefix '{name}:' is not declared: add PREFIX {name}: <...> "
                "(predeclared: " + ", ".join(sorted(PREFIXES)) + ")"
            ) from None
        raise QueryError(f"the query cannot be run: {brief(exc, 200)}") from None
    return parsed[1].name


def syntax_message(exc: ParseException, offset_lines: int) -> str:
    """Line and column in the user's own text, the offending text, and a caret under it."""
    line = max(1, exc.lineno - offset_lines)
    near = exc.line[exc.col - 1 :].strip()[:30] or "the end of the query"
    pointer = " " * (exc.col - 1) + "^"
    return (
        f"SPARQL syntax error at line {line}, column {exc.col}, near '{near}': {exc.msg}\n"
        f"  {exc.line}\n  {pointer}"
    )


# -- opening a store -------------------------------------------------------------------------


def open_graph(
    store: str = DEFAULT_STORE,
    *,
    paths: Paths | None = None,
    full_iris: bool = False,
    progress=None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> KnowledgeGraph:
    """Open the built graph on ``rdflib``, ``oxigraph``, ``oxigraph:FOLDER`` or an endpoint URL.

    The graph is built first when its inputs changed since the last build, or when the
    built files do not match their stamp. An endpoint is used as it is: load it with
    ``copgraph load --store URL``. Each query may run ``timeout`` seconds (None: no limit).
    """
    paths = paths or Paths()
    kind, where = parse_store_spec(store)
    if kind == "endpoint":
        return KnowledgeGraph(EndpointStore(where, timeout=timeout), full_iris)
    nt = ensure_built(paths, progress)
    text = _read_graph(nt)
    if kind == "rdflib":
        graph = Graph().parse(data=text, format="nt")
        return KnowledgeGraph(RdflibStore(graph, timeout=timeout), full_iris)
    if where is None:
        ox_store = OxigraphStore(timeout=timeout)
        ox_store.load_ntriples(text)
        return KnowledgeGraph(ox_store, full_iris)
    ox_store = OxigraphStore(Path(where), timeout=timeout)
    digest = _graph_digest(text)
    if ox_store.stamp(META_GRAPH) != digest:
        if progress:
            progress(f"loading the graph into {where} ...")
        ox_store.load_ntriples(text, stamp=(META_GRAPH, digest), progress=progress)
    return KnowledgeGraph(ox_store, full_iris)


def _read_graph(nt: Path) -> str:
    try:
        return nt.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read the built graph {nt}: {brief(exc, 200)}") from None


def _graph_digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_endpoint(url: str, paths: Paths | None = None, progress=None) -> int:
    """Upload the built graph to an endpoint's default graph; returns the triple count.

    The server's own count is read back: a server that answers 200 without storing the
    triples (a proxy, a web page) is reported, not trusted.
    """
    nt = ensure_built(paths or Paths(), progress)
    text = _read_graph(nt)
    expected = sum(1 for line in text.split("\n") if line.strip())
    endpoint = EndpointStore(url)
    endpoint.load_ntriples(text)
    stored = endpoint.count_triples()
    if stored != expected:
        raise StoreError(
            f"{url} accepted the upload but holds {stored} triples, not {expected}: "
            "it is not a SPARQL store that keeps what it is sent (check the URL)"
        )
    return stored
