"""The Python API: open the graph on a store once, then ask named or ad-hoc queries.

>>> import copgraph
>>> kg = copgraph.open_graph("rdflib")  # doctest: +SKIP
>>> kg.query("partners-of", org="itu")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

import pandas as pd
from pyparsing import ParseException
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from copgraph.build import Paths, ensure_built, inputs_digest
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
from copgraph.namespaces import CG, compact, sparql_prologue
from copgraph.store import (
    EndpointStore,
    OxigraphStore,
    RdflibStore,
    Store,
    parse_store_spec,
)

DEFAULT_STORE = "oxigraph"
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
        full = sparql_prologue() + text
        if form == "SelectQuery":
            variables, rows = self.store.select(full)
            return self._frame(variables, rows, full_iris)
        if form == "AskQuery":
            return self.store.ask(full)
        return self.store.graph(full)

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


def check_query(text: str, allow_service: bool = False) -> str:
    """Parse a query; refuse updates and (unless allowed) SERVICE. Returns its form."""
    prologue = sparql_prologue()
    try:
        parsed = parseQuery(prologue + text)
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
) -> KnowledgeGraph:
    """Open the built graph on ``rdflib``, ``oxigraph``, ``oxigraph:FOLDER`` or an endpoint URL.

    The graph is built first when its inputs changed since the last build. An endpoint is
    used as it is: load it with ``copgraph load --store URL``.
    """
    paths = paths or Paths()
    kind, where = parse_store_spec(store)
    if kind == "endpoint":
        return KnowledgeGraph(EndpointStore(where), full_iris)
    nt = ensure_built(paths, progress)
    if kind == "rdflib":
        graph = Graph().parse(nt, format="nt")
        return KnowledgeGraph(RdflibStore(graph), full_iris)
    if where is None:
        ox_store = OxigraphStore()
        ox_store.load_ntriples(nt.read_text(encoding="utf-8"))
        return KnowledgeGraph(ox_store, full_iris)
    ox_store = OxigraphStore(Path(where))
    digest = inputs_digest(paths)
    if _stored_digest(ox_store) != digest:
        if progress:
            progress(f"loading the graph into {where} ...")
        ox_store.load_ntriples(nt.read_text(encoding="utf-8"))
        _stamp(ox_store, digest)
    return KnowledgeGraph(ox_store, full_iris)


def _stored_digest(store: OxigraphStore) -> str | None:
    import pyoxigraph as ox

    quads = list(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(META_GRAPH)))
    return quads[0].object.value if quads else None


def _stamp(store: OxigraphStore, digest: str) -> None:
    import pyoxigraph as ox

    meta = ox.NamedNode(META_GRAPH)
    store.ox.add(ox.Quad(meta, ox.NamedNode(str(CG.inputsDigest)), ox.Literal(digest), meta))
    store.ox.flush()


def load_endpoint(url: str, paths: Paths | None = None, progress=None) -> int:
    """Upload the built graph to an endpoint's default graph; returns the triple count."""
    nt = ensure_built(paths or Paths(), progress)
    text = nt.read_text(encoding="utf-8")
    EndpointStore(url).load_ntriples(text)
    return text.count("\n")
