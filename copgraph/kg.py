"""The Python API: open the graph on a store once, then ask named or ad-hoc queries.

>>> import copgraph
>>> kg = copgraph.open_graph("rdflib")  # doctest: +SKIP
>>> kg.query("partners-of", org="itu")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
import warnings
from collections import defaultdict
from pathlib import Path

import pandas as pd
from pyparsing import ParseException
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from copgraph.build import Paths, ensure_built, to_ntriples
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
    shape_rows,
    typed_value,
)
from copgraph.evidence import document_id_of
from copgraph.namespaces import ID, PREFIXES, compact, sparql_prologue
from copgraph.records import suggest
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
#: Which name of a node to show when a value is ambiguous or unknown, best first.
DISPLAY_PROPERTIES = ("label", "prefLabel", "title", "altLabel", "acronym")


class UndefinedTermWarning(UserWarning):
    """A query names a cg: term the ontology does not define (a typo, most often)."""


class KnowledgeGraph:
    """A store plus the query catalog, label resolution and result formatting."""

    def __init__(self, store: Store, full_iris: bool = False):
        self.store = store
        self.full_iris = full_iris
        self._catalog = load_catalog()
        self._prologue = sparql_prologue()
        self._labels: dict[str, NameIndex] | None = None
        self._terms: set[str] | None = None
        self._compacted: dict[str, str] = {}

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
        """Run a named query; parameters are ids, labels, codes or values as a person types them.

        List columns hold Python lists, counts ints, decimals Decimal, dates date/datetime.
        """
        named = self.named(name)
        bindings = {f"p_{name}": term for name, term in self.bind(named, params).items()}
        text = bind_values(self._prologue + named.text, bindings)
        convert = self._compact(full_iris)
        variables, rows = self._cells(text, convert)
        missing = [c for c in named.columns if c not in variables]
        if missing:
            raise QueryError(f"{named.path}: the query does not return column(s) {missing}")
        shape_rows(rows, variables, named, convert)
        return cells_frame(rows, variables)

    def bind(self, named: NamedQuery, params: dict[str, str]) -> dict:
        """Each given parameter as an RDF term; errors worded for the API and for the CLI."""
        unknown = [k for k in params if named.param(k) is None]
        if unknown:
            names = ", ".join(map(repr, unknown))
            known = ", ".join(p.name for p in named.params) or "none"
            flags = ", ".join(f"--param {p.name}=..." for p in named.params) or "none"
            raise QueryError(
                f"query '{named.name}' has no keyword argument {names} (its parameters: {known})",
                cli=f"query '{named.name}' has no parameter {names} (its parameters: {flags})",
            )
        given = {k: str(v).strip() for k, v in params.items() if v is not None and str(v).strip()}
        for param in named.params:
            if param.required and param.name not in given:
                raise QueryError(
                    f"query '{named.name}' needs the keyword argument {param.name}= "
                    f"({param.doc}), e.g. kg.query({named.name!r}, {param.name}=...)",
                    cli=f"query '{named.name}' needs parameter '{param.name}' ({param.doc}); "
                    f"pass --param {param.name}=VALUE",
                )
        if named.one_of and sum(name in given for name in named.one_of) != 1:
            many = sum(name in given for name in named.one_of) > 1
            what = "only one" if many else "one"
            raise QueryError(
                f"query '{named.name}' needs {what} of the keyword arguments "
                + " or ".join(f"{n}=" for n in named.one_of),
                cli=f"query '{named.name}' needs {what} of "
                + " or ".join(f"--param {n}=VALUE" for n in named.one_of),
            )
        bindings = {}
        for param in named.params:
            value = given.get(param.name)
            if value is None:
                continue
            if param.type in ("id", "country"):
                bindings[param.name] = self.resolve(param.name, value, param.cls, param.type)
            elif param.type == "iri":
                bindings[param.name] = iri_param(param, value)
            else:
                bindings[param.name] = literal_param(param, value)
        return bindings

    # -- resolving what a person types to a node ------------------------------------------
    def labels(self) -> dict[str, NameIndex]:
        """For each class local name, the names a person might type for its nodes."""
        if self._labels is None:
            indexes: dict[str, NameIndex] = defaultdict(NameIndex)
            _, rows = self.store.select(self._prologue + internal_query("labels"))
            for node, cls, prop, text in rows:
                name = str(cls).rsplit("#", 1)[-1]
                indexes[name].add(str(node), str(prop).rsplit("#", 1)[-1], str(text))
            self._labels = dict(indexes)
        return self._labels

    def resolve(self, param: str, value: str, cls: str | None, kind: str = "id") -> URIRef:
        """An id, label, acronym, code or a few words to one node, or an error that helps.

        Case, quote style, white space and a trailing full stop do not matter; when no name
        matches, the words of the value are looked for in the nodes' names ("industry").
        """
        if kind == "country":
            cls = "Country"
        index = self.labels()
        pools = [index.get(cls, NameIndex())] if cls else list(index.values())
        what = cls.lower() if cls else "node"
        for finder in (NameIndex.exact, NameIndex.by_words):
            found = set().union(*(finder(pool, value) for pool in pools))
            if len(found) == 1:
                return URIRef(found.pop())
            if found:
                shown = sorted(_described(pools, iri) for iri in found)
                more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
                raise QueryError(
                    f"parameter '{param}': {value!r} names more than one {what}: "
                    f"{'; '.join(shown[:12])}{more}; pass one of these ids"
                )
        close = []
        for pool in pools:
            close += pool.close(value)
        close = sorted(close, key=lambda pair: -pair[0])[:5]
        hint = f"; close matches: {'; '.join(_described(pools, i) for _, i in close)}"
        raise QueryError(
            f"parameter '{param}': no {what} is called {value!r}{hint if close else ''}"
        )

    # -- one report ---------------------------------------------------------------------------
    def reports(self) -> pd.DataFrame:
        """The reports the graph holds: report (its id), title, publisher, date."""
        _, rows = self.store.select(self._prologue + internal_query("reports"))
        prefix = str(ID[document_id_of("")])
        return pd.DataFrame(
            [[str(d).removeprefix(prefix), str(t), str(p), str(w)] for d, t, p, w in rows],
            columns=["report", "title", "publisher", "date"],
        )

    def for_report(self, report: str) -> KnowledgeGraph:
        """The graph as one report states it, for the named queries and the network to
        answer for that report alone: its quotes, the facts they state (with its quotes
        only) and the nodes it names (queries/internal/report-view.rq).

        The view is made by Oxigraph even for an rdflib store: rdflib runs the query's
        anti-joins as nested loops (minutes, against a second).
        """
        known = self.reports().report.tolist()
        if report not in known:
            raise QueryError(
                f"no report '{report}' in the graph{suggest(report, known)} "
                f"(reports: {', '.join(known) or 'none'})"
            )
        document = URIRef(ID[document_id_of(report)])
        text = bind_values(self._prologue + internal_query("report-view"), {"document": document})
        engine = self.store
        if isinstance(engine, RdflibStore):
            engine = OxigraphStore(timeout=self.store.timeout)
            engine.load_ntriples(to_ntriples(self.store.rdf))
        view = engine.graph(text)
        if isinstance(self.store, RdflibStore):
            return KnowledgeGraph(RdflibStore(view, timeout=self.store.timeout), self.full_iris)
        store = OxigraphStore(timeout=self.store.timeout)
        store.load_ntriples(to_ntriples(view))
        return KnowledgeGraph(store, self.full_iris)

    def class_counts(self) -> dict[str, int]:
        """Nodes of each class the ontology declares, by class local name."""
        _, rows = self.store.select(self._prologue + internal_query("class-counts"))
        return {str(cls).rsplit("#", 1)[-1]: int(count) for cls, count in rows}

    # -- ad-hoc SPARQL ----------------------------------------------------------------------
    def sparql(self, text: str, *, allow_service: bool = False, full_iris: bool | None = None):
        """Run any SELECT/ASK/CONSTRUCT/DESCRIBE: a DataFrame, a bool or an rdflib Graph.

        Warns (UndefinedTermWarning) about cg: terms the ontology does not define.
        """
        form = check_query(text, allow_service=allow_service)
        self.warn_undefined_terms(text)
        if form == "SelectQuery":
            variables, rows = self.store.select(text, PREFIX_IRIS, allow_service)
            convert = self._compact(full_iris)
            cells = [
                [None if (v := typed_value(term, convert)) == "" else v for term in row]
                for row in rows
            ]
            return cells_frame(cells, variables)[star_order(text, variables)]
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

    def terms(self) -> set[str]:
        """Local names of every cg: term the ontology defines."""
        if self._terms is None:
            _, rows = self.store.select(self._prologue + internal_query("terms"))
            self._terms = {str(row[0]).rsplit("#", 1)[-1] for row in rows}
        return self._terms

    def warn_undefined_terms(self, text: str) -> None:
        defined = self.terms()
        if not defined:  # a store without the ontology: nothing to compare with
            return
        for name in dict.fromkeys(cg_terms(text)):
            if name not in defined:
                hint = nearest_term(name, defined)
                warnings.warn(
                    f"cg:{name} is not defined by the ontology"
                    + (f"; did you mean cg:{hint}?" if hint else ""),
                    UndefinedTermWarning,
                    stacklevel=3,
                )

    # -- formatting -------------------------------------------------------------------------
    def _compact(self, full_iris: bool | None):
        full = self.full_iris if full_iris is None else full_iris
        if full:
            return str
        cache = self._compacted

        def cached(iri: str) -> str:
            try:
                return cache[iri]
            except KeyError:
                cache[iri] = short = compact(iri)
                return short

        return cached

    def select_terms(self, text: str) -> tuple[list[str], list[list]]:
        """A trusted SELECT's variables and rows as rdflib terms (None where unbound).

        For the package's own queries (the network's), which want terms, not display values.
        """
        return self.store.select(text)

    def _cells(self, text: str, convert) -> tuple[list[str], list[list]]:
        """Variables and rows of typed Python cells, whatever the store."""
        variables, rows = self.select_terms(text)
        # an empty GROUP_CONCAT is "" on some stores and unbound on others: make it None
        return variables, [
            [None if (v := typed_value(term, convert)) == "" else v for term in row] for row in rows
        ]

    def close(self) -> None:
        self.store.close()


def cells_frame(rows: list[list], variables: list[str]) -> pd.DataFrame:
    """One object column per variable, cells as they are (lists stay lists, ints ints)."""
    return pd.DataFrame(rows, columns=variables, dtype=object)


# -- names a person types ------------------------------------------------------------------

_QUOTES = re.compile(
    "[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a]"
)


def normal(text: str) -> str:
    """Case, quote style, white space and a trailing full stop removed.

    >>> normal('  Panel on \u201cOverview of COP\u201d. ')
    'panel on overview of cop'
    """
    text = _QUOTES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split()).rstrip(".").strip()


def stems(text: str) -> frozenset[str]:
    """The words of a name, plurals folded ('Industries' and 'industry' agree)."""
    words = set()
    for word in re.findall(r"\w+", normal(text)):
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


class NameIndex:
    """The names of one class's nodes: exact (normalized) names, words, and what to show."""

    def __init__(self):
        self.names: dict[str, set[str]] = defaultdict(set)
        self.words: list[tuple[frozenset[str], str]] = []
        self.shown: dict[str, tuple[int, str]] = {}

    def add(self, iri: str, prop: str, text: str) -> None:
        local = iri.rsplit("/id/", 1)[-1] if "/id/" in iri else iri.rsplit("/", 1)[-1]
        for key in (text, local, compact(iri), iri):
            self.names[normal(key)].add(iri)
        if prop == "sessionNumber":
            self.names[normal(f"session {text}")].add(iri)
        if prop in ("label", "prefLabel", "altLabel", "title", "alternativeTitle"):
            self.words.append((stems(text), iri))
        rank = DISPLAY_PROPERTIES.index(prop) if prop in DISPLAY_PROPERTIES else 9
        if iri not in self.shown or rank < self.shown[iri][0]:
            self.shown[iri] = (rank, text)

    def exact(self, value: str) -> set[str]:
        return set(self.names.get(normal(value), ()))

    def by_words(self, value: str) -> set[str]:
        wanted = stems(value)
        if not wanted:
            return set()
        return {iri for words, iri in self.words if wanted <= words}

    def close(self, value: str) -> list[tuple[float, str]]:
        keys = [k for k in self.names if "://" not in k]
        found = difflib.get_close_matches(normal(value), keys, n=5, cutoff=0.6)
        scored = {}
        for key in found:
            score = difflib.SequenceMatcher(None, normal(value), key).ratio()
            for iri in self.names[key]:
                scored[iri] = max(score, scored.get(iri, 0))
        return [(score, iri) for iri, score in scored.items()]


def _described(pools: list[NameIndex], iri: str) -> str:
    """'unicef-mongolia (UNICEF Mongolia)': the id to type, and the name as labelled."""
    short = compact(iri).removeprefix("id:")
    for pool in pools:
        if iri in pool.shown:
            return f"{short} ({pool.shown[iri][1]})"
    return short


# -- ad-hoc queries: terms and column order ------------------------------------------------

_CG_TERM = re.compile(r"(?:\bcg:|<https://w3id\.org/copgraph/ontology#)([A-Za-z_][\w-]*)")


def cg_terms(text: str) -> list[str]:
    """The cg: local names a query uses (comments and string literals ignored)."""
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', text)
    code = "\n".join(line for line in code.split("\n") if not line.lstrip().startswith("#"))
    return _CG_TERM.findall(code)


def nearest_term(name: str, defined: set[str]) -> str | None:
    """The defined term most like NAME: one that starts with it, else the closest spelling."""
    starting = sorted((t for t in defined if t.lower().startswith(name.lower())), key=len)
    if starting:
        return starting[0]
    close = difflib.get_close_matches(name, sorted(defined), n=1, cutoff=0.5)
    return close[0] if close else None


_STAR = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)


def star_order(text: str, variables: list[str]) -> list[str]:
    """For SELECT *, the variables in the order the query first names them (any store)."""
    match = _STAR.search(text)
    if match is None:
        return list(variables)
    seen = dict.fromkeys(re.findall(r"[?$]([A-Za-z_]\w*)", text[match.end() :]))
    return [v for v in seen if v in variables] + [v for v in variables if v not in seen]


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
            "DESCRIBE); the graph is changed by editing data/reports/*/curated (or data/shared) "
            "and running copgraph build"
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
