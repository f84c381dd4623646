"""Three stores behind one interface: rdflib in memory, Oxigraph, a SPARQL 1.1 endpoint.

Each store answers ``select`` (variables and rows of rdflib terms), ``ask`` and ``graph``
(CONSTRUCT/DESCRIBE), so the query layer and the network analyses never care which one
runs. Results are rdflib terms whatever the store, so every store returns the same rows.
``select_stream`` gives the rows as they come, for output that need not hold them all.

Every query is bounded: the local stores run it in a child process that is killed at the
time limit, on Ctrl-C, or when it outgrows its memory limit (see ``worker``); Oxigraph's
child cannot open a socket unless SERVICE is allowed, so the store itself refuses to
reach a remote service whatever its parser made of the query. The endpoint client limits
the total time and the size of a reply and follows no redirect off http(s).

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph().add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> store = RdflibStore(g)
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }")
(['o'], [(rdflib.term.Literal('x'),)])
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from copgraph import worker

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

Rows = list[tuple[Node | None, ...]]

DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MEMORY_MB = 2048  # MiB a query may add to what the store already uses
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # largest reply read from an endpoint
LOCK_NAME = "copgraph.lock"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(Exception):
    """A store could not be opened or reached, or refused a query."""


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


def brief(text: object, limit: int = 80) -> str:
    """At most ``limit`` characters of a value, for error messages."""
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


class Store:
    """What every store offers; see the three implementations below.

    ``prefixes`` (name -> namespace) are declared for the query without being pasted
    into its text, so error positions are those of the text as written.
    """

    name = "store"
    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB

    def select_stream(
        self, query: str, prefixes: dict | None = None, allow_service: bool = False
    ) -> tuple[list[str], Iterator[tuple]]:
        raise NotImplementedError

    def select(self, query: str, prefixes: dict | None = None, allow_service: bool = False):
        variables, rows = self.select_stream(query, prefixes, allow_service)
        return variables, list(rows)

    def ask(self, query: str, prefixes: dict | None = None, allow_service: bool = False) -> bool:
        raise NotImplementedError

    def graph(self, query: str, prefixes: dict | None = None, allow_service: bool = False):
        raise NotImplementedError

    def triples_stream(self, query: str, prefixes: dict | None = None, allow_service=False):
        """A CONSTRUCT/DESCRIBE's triples one at a time (a caller may stop early)."""
        return iter(self.graph(query, prefixes, allow_service))

    def close(self) -> None:
        """Release what the store holds; a no-op where nothing is held."""


# -- terms travel between processes as plain tuples ---------------------------------------


def _plain(term) -> tuple | None:
    """A pyoxigraph or rdflib term as a picklable tuple."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | URIRef):
        return ("u", term.value if isinstance(term, ox.NamedNode) else str(term))
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, BNode):
        return ("b", str(term))
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value, term.language)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return ("l", str(term), datatype, term.language)
    return ("?", str(term))


def _term(plain: tuple | None) -> Node | None:
    if plain is None:
        return None
    kind = plain[0]
    if kind == "u":
        return URIRef(plain[1])
    if kind == "b":
        return BNode(plain[1])
    if kind == "l":
        _, value, datatype, language = plain
        if language:
            return Literal(value, lang=language)
        # RDF 1.1: a simple literal is an xsd:string; Oxigraph writes the type, rdflib and
        # SPARQL JSON leave it out, and rdflib tells the two apart: all stores leave it out
        typed = datatype not in (None, XSD_STRING)
        return Literal(value, datatype=URIRef(datatype) if typed else None)
    raise StoreError(f"unsupported term from the store: {brief(plain)}")


def _to_rdflib(term) -> Node | None:
    """A pyoxigraph term as an rdflib term."""
    return _term(_plain(term))


# -- local stores: the query runs in a killable child process ------------------------------


class _LocalStore(Store):
    """A store in this process; its queries run in a worker process (see ``worker``)."""

    def _open_in_child(self):
        """The object the child queries (opened before the child's limits apply)."""
        raise NotImplementedError

    def _execute(self, handle, query: str, prefixes: dict | None):
        raise NotImplementedError

    def _release(self, handle) -> None:
        """Undo ``_open_in_child`` where no child process exits to do it."""

    needs_files = True  # whether the store opens files while it reads (see worker.Worker)
    _worker: worker.Worker | None = None

    def _new_worker(self, network: bool) -> worker.Worker:
        return worker.Worker(
            self._open_in_child,
            self._produce,
            lambda exc, request: _describe(exc, request[0], network),
            release=self._release,
            network=network,
            needs_files=self.needs_files,
        )

    def _produce(self, handle, request) -> Iterator:
        query, prefixes, shape = request
        result = self._execute(handle, query, prefixes)
        if shape == "bool":
            yield bool(result)
        elif shape == "select":
            variables = _variables(result)
            yield variables
            for row in _rows(result, variables):
                yield tuple(_plain(term) for term in row)
        else:
            for triple in _triples(result):
                yield tuple(_plain(t) for t in triple)

    def _results(self, query, prefixes, allow_service, shape: str) -> Iterator:
        """The results, from the store's worker (cut off from the network), or from a
        worker of its own that may reach the network when SERVICE is allowed."""
        request = (query, prefixes, shape)
        busy = self._worker is not None and self._worker.busy
        if allow_service or busy:  # busy: another query's rows are still being read
            one_off = self._new_worker(network=allow_service)
            try:
                yield from one_off.run(request, timeout=self.timeout, memory_mb=self.memory_mb)
            finally:
                one_off.stop()
            return
        if self._worker is None:
            self._worker = self._new_worker(network=False)
        yield from self._worker.run(request, timeout=self.timeout, memory_mb=self.memory_mb)

    def _stop_worker(self) -> None:
        """Stop the worker: the next query forks a new one that sees the current data."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def close(self) -> None:
        self._stop_worker()

    def select_stream(self, query, prefixes=None, allow_service=False):
        items = _guarded(self._results(query, prefixes, allow_service, "select"))
        variables = next(items, None)
        if variables is None:
            return [], iter(())
        term = functools.lru_cache(maxsize=1 << 16)(_term)  # terms repeat row after row
        return list(variables), (tuple(term(p) for p in row) for row in items)

    def ask(self, query, prefixes=None, allow_service=False):
        answers = list(_guarded(self._results(query, prefixes, allow_service, "bool")))
        return bool(answers and answers[0])

    def graph(self, query, prefixes=None, allow_service=False):
        graph = Graph()
        for triple in self.triples_stream(query, prefixes, allow_service):
            graph.add(triple)
        return graph

    def triples_stream(self, query, prefixes=None, allow_service=False):
        for triple in _guarded(self._results(query, prefixes, allow_service, "graph")):
            yield tuple(_term(p) for p in triple)


def _guarded(items: Iterator) -> Iterator:
    """Turn the worker's failures into StoreErrors, and close the child when done."""
    try:
        yield from items
    except worker.WorkerError as exc:
        error = QueryTimeout if exc.kind == "timeout" else StoreError
        raise error(str(exc)) from None
    finally:
        items.close()


def _variables(result) -> list[str]:
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables]
    return [str(v) for v in result.vars]


def _rows(result, variables: list[str]) -> Iterator[tuple]:
    if isinstance(result, ox.QuerySolutions):
        return (tuple(solution[v] for v in variables) for solution in result)
    return (tuple(row) for row in result)


def _triples(result):
    if isinstance(result, ox.QueryTriples):
        return ((t.subject, t.predicate, t.object) for t in result)
    return iter(result.graph)


def _describe(exc: BaseException, query: str, allow_service: bool) -> tuple[str, str]:
    """(kind, one clear line) for an exception raised in the child. Imports nothing."""
    if isinstance(exc, SyntaxError):
        return "syntax", oxigraph_syntax_message(query, str(exc))
    if isinstance(exc, MemoryError):
        return "memory", "the query ran out of memory and was stopped"
    text = str(exc)
    blocked = isinstance(exc, OSError) and (
        exc.errno in (errno.ENETUNREACH, errno.EMFILE)
        or any(sign in text for sign in ("os error 101", "os error 24", "unreachable"))
    )
    if blocked and not allow_service:
        return "network", (
            "the query tried to reach a remote service (SERVICE), which is refused: "
            "pass --allow-service (allow_service=True) if you mean it"
        )
    return "error", f"the store could not run the query: {brief(text, 300)}"


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def oxigraph_syntax_message(query: str, message: str) -> str:
    """Oxigraph's parse error as line, column, the offending text and a caret."""
    match = _OX_POSITION.match(message.strip())
    if not match:
        return f"SPARQL syntax error: {brief(message, 200)}"
    line_no, column, reason = int(match.group(1)), int(match.group(2)), match.group(3)
    lines = query.split("\n")
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    if "Prefix not found" in reason:
        found = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", line[: column - 1])
        name = (found.group(1) or "") if found else ""
        reason = f"the prefix '{name}:' is not declared (add PREFIX {name}: <...>)"
    else:
        words = re.findall(r"(?<![\w'])([A-Z][A-Za-z]+|[A-Za-z]+ [a-z]+)(?=,|$)", reason)
        reason = "expected " + " or ".join(dict.fromkeys(words)) if words else "unexpected text"
    near = line[column - 1 :].strip()[:30] or "the end of the query"
    return (
        f"SPARQL syntax error at line {line_no}, column {column}, near '{near}': {reason}\n"
        f"  {line}\n  {' ' * (column - 1)}^"
    )


class RdflibStore(_LocalStore):
    """An rdflib Graph in memory: no set-up, pure Python.

    rdflib's own parser checks each query before it runs (``kg.check_query``), so SERVICE
    is refused by the parser of the store that runs the query. The worker that runs the
    queries sees the graph as it was at the first query: call ``close()`` after changing it.
    """

    name = "rdflib"

    def __init__(self, graph: Graph, timeout=DEFAULT_TIMEOUT, memory_mb=DEFAULT_MEMORY_MB):
        self.rdf = graph
        self.timeout, self.memory_mb = timeout, memory_mb

    def _open_in_child(self):
        return self.rdf

    def _execute(self, handle, query, prefixes):
        from rdflib.plugins.sparql.algebra import translateQuery

        try:
            return handle.query(translateQuery(parse_rdflib(query), initNs=prefixes or {}))
        except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes ...
            raise StoreError(brief(exc, 300)) from None


_CODEPOINT = re.compile(r"\\\\|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_KEEP_ESCAPED = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r"}


def decode_codepoints(text: str) -> str:
    """Decode \\uXXXX escapes as Oxigraph does: into characters, never into syntax.

    rdflib decodes them in the raw text before parsing, so ``\\u0022`` closes a string
    and the ``u0041`` after an escaped backslash (``\\\\u0041``) becomes ``A``: a
    parameter value is changed, and a query can read differently to the safety check
    and to the store. Here an escaped backslash stays as it is, and a decoded quote,
    backslash or line break stays escaped, so it is a character of its string.
    """

    def expand(match: re.Match) -> str:
        if match.group(0) == "\\\\":
            return match.group(0)
        char = chr(int(match.group(1) or match.group(2), 16))
        return _KEEP_ESCAPED.get(char, char)

    return _CODEPOINT.sub(expand, text)


def parse_rdflib(text: str):
    """rdflib's SPARQL parse tree for the text, \\u escapes decoded as Oxigraph reads them."""
    from rdflib.plugins.sparql.parser import Query

    # pyparsing expands tabs to spaces before parsing unless told not to: a tab inside a
    # string would become spaces (a copy of the grammar's root, so rdflib's own is unchanged)
    grammar = Query.copy().parse_with_tabs()
    return grammar.parse_string(decode_codepoints(text), parse_all=True)


class _Opened:
    """A persisted store opened read-only, and the shared lock held while it is open."""

    def __init__(self, store, lock: int):
        self.store, self.lock = store, lock


class OxigraphStore(_LocalStore):
    """pyoxigraph, in memory or persisted in a folder (reopened without reloading).

    A persisted store is opened read-only by each query, under a shared lock, so many
    processes read it at once; loading takes the lock exclusively and waits for readers.
    """

    name = "oxigraph"

    def __init__(self, path: Path | None = None, timeout=DEFAULT_TIMEOUT, memory_mb=None):
        self.path = Path(path) if path else None
        self.timeout = timeout
        self.memory_mb = DEFAULT_MEMORY_MB if memory_mb is None else memory_mb
        self.ox = None if self.path else ox.Store()
        self.needs_files = self.path is not None  # RocksDB opens its files as it reads
        if self.path:
            if self.path.exists() and not self.path.is_dir():
                raise StoreError(f"{self.path} is a file, not an Oxigraph folder")
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the Oxigraph folder {self.path}: {exc}") from None

    # -- the persisted store's lock and handles ---------------------------------------
    def _lock(self, exclusive: bool, progress=None, wait: float = 60.0):
        """Hold DIR/copgraph.lock shared (readers) or exclusive (a load), waiting ``wait`` s."""
        if fcntl is None:  # no flock (Windows): one process at a time is the user's care
            return os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    what = "load" if exclusive else "read"
                    raise StoreError(
                        f"cannot {what} {self.path}: another copgraph process has held it "
                        f"for more than {wait:g} s"
                    ) from None
                if progress and not told:
                    progress(f"waiting for other copgraph processes using {self.path} ...")
                    told = True
                time.sleep(0.05)

    def _open_read_only(self):
        try:
            return ox.Store.read_only(str(self.path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreError(
                f"cannot open the Oxigraph store in {self.path} ({brief(exc, 200)}); "
                "it may be damaged: delete the folder and run copgraph load --store "
                f"oxigraph:{self.path}"
            ) from None

    def _open_in_child(self):
        if self.ox is not None:
            return self.ox
        lock = self._lock(exclusive=False)  # held until the child exits
        return _Opened(self._open_read_only(), lock)

    def _release(self, handle) -> None:
        if isinstance(handle, _Opened):
            handle.store = None
            os.close(handle.lock)

    def _execute(self, handle, query, prefixes):
        store = handle.store if isinstance(handle, _Opened) else handle
        return store.query(query, prefixes=prefixes or None)

    # -- loading -----------------------------------------------------------------------
    def load_ntriples(self, text: str, stamp: tuple[str, str] | None = None, progress=None):
        """Replace the store's content; ``stamp`` (graph IRI, value) marks what was loaded."""
        data = text.encode("utf-8")
        self._stop_worker()  # its copy of the store would keep the old content
        if self.ox is not None:
            self.ox.clear()
            self.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
            return
        fd = self._lock(exclusive=True, progress=progress)
        try:
            try:
                store = ox.Store(str(self.path))
            except (OSError, RuntimeError) as exc:
                raise StoreError(
                    f"cannot open the Oxigraph store in {self.path} for writing "
                    f"({brief(exc, 200)}); if it is damaged, delete the folder"
                ) from None
            try:
                store.clear()  # removes the stamp first: a killed load is reloaded
                store.flush()
                store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
                if stamp:
                    meta = ox.NamedNode(stamp[0])
                    store.add(ox.Quad(meta, meta, ox.Literal(stamp[1]), meta))
                store.flush()
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"cannot write the Oxigraph store in {self.path}: {exc}") from None
            finally:
                del store
        finally:
            os.close(fd)

    def stamp(self, graph_iri: str) -> str | None:
        """The value stored by the last complete ``load_ntriples`` (None if none)."""
        if self.ox is not None:
            handle = self.ox
            quads = list(handle.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))
            return quads[0].object.value if quads else None
        if not any(p.name != LOCK_NAME for p in self.path.iterdir()):
            return None  # a new, empty folder
        fd = self._lock(exclusive=False)
        try:
            handle = self._open_read_only()
            quads = list(handle.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))
            del handle
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot read the Oxigraph store in {self.path}: {exc}") from None
        finally:
            os.close(fd)
        return quads[0].object.value if quads else None

    def close(self):
        self._stop_worker()
        self.ox = None


# -- a remote endpoint ----------------------------------------------------------------------


class _NoRedirectOffHttp(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise StoreError(f"{req.full_url} redirected to {brief(newurl)}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _from_json(binding: dict) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    return _term(("l", value, binding.get("datatype"), binding.get("xml:lang")))


class EndpointStore(Store):
    """A SPARQL 1.1 endpoint over HTTP (Protocol for queries, Graph Store Protocol for loads).

    ``url`` is the query endpoint (``http://host:7878/query``) or the server's base URL,
    from which ``/query`` and ``/store`` are derived (Oxigraph's layout). ``timeout`` bounds
    the whole exchange, ``max_bytes`` the reply.
    """

    name = "endpoint"

    def __init__(
        self,
        url: str,
        graph_store: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ):
        check_url(url)
        base = url.rstrip("/")
        if base.endswith("/query") or base.endswith("/sparql"):
            self.query_url = base
            root = base.rsplit("/", 1)[0]
        else:
            self.query_url, root = base + "/query", base
        self.store_url = graph_store or root + "/store"
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._opener = urllib.request.build_opener(_NoRedirectOffHttp())

    def _post(self, url: str, body: bytes, content_type: str, accept: str, method="POST"):
        """The reply's bytes and content type, within the total time limit.

        Socket timeouts bound each read, not the whole exchange: a server that sends its
        headers one byte at a time would hold urllib for ever. So the exchange runs in a
        thread that is abandoned (left to end on its own) when the time is up.
        """
        timeout = self.timeout or 3600.0
        outcome: dict = {}

        def exchange():
            try:
                outcome["value"] = self._exchange(url, body, content_type, accept, method, timeout)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                outcome["error"] = exc

        thread = threading.Thread(target=exchange, name="copgraph-endpoint", daemon=True)
        thread.start()
        thread.join(timeout + 1.0)
        if thread.is_alive():
            raise QueryTimeout(f"{url} took longer than {timeout:g} s; stopped")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def _exchange(self, url, body, content_type, accept, method, timeout):
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type, "Accept": accept}
        )
        deadline = time.monotonic() + timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                kind = response.headers.get_content_type()
                chunks, size = [], 0
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise QueryTimeout(f"{url} took longer than {timeout:g} s; stopped")
                    with contextlib.suppress(AttributeError, OSError):
                        response.fp.raw._sock.settimeout(left)
                    chunk = response.read1(1 << 16)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise StoreError(
                            f"{url} sent more than {self.max_bytes // (1 << 20)} MiB; stopped "
                            "(add LIMIT to the query)"
                        )
                    chunks.append(chunk)
                return b"".join(chunks), kind
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            raise StoreError(f"{url} answered HTTP {exc.code}: {brief(detail, 300)}") from None
        except TimeoutError:
            raise QueryTimeout(f"{url} took longer than {timeout:g} s; stopped") from None
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None

    def _query(self, query: str, prefixes: dict | None, accept: str):
        text = _prologue(prefixes) + query
        return self._post(self.query_url, text.encode("utf-8"), "application/sparql-query", accept)

    def _json(self, query, prefixes) -> dict:
        body, kind = self._query(query, prefixes, "application/sparql-results+json")
        try:
            data = json.loads(body)
        except ValueError:
            raise StoreError(
                f"{self.query_url} did not answer with SPARQL JSON results "
                f"(got {kind}: {brief(body.decode('utf-8', 'replace').strip(), 60)!r})"
            ) from None
        if not isinstance(data, dict):
            raise StoreError(f"{self.query_url} answered JSON that is not SPARQL results")
        return data

    def select_stream(self, query, prefixes=None, allow_service=False):
        data = self._json(query, prefixes)
        try:
            variables = list(data["head"].get("vars", []))
            rows = [
                tuple(_from_json(b[v]) if v in b else None for v in variables)
                for b in data["results"]["bindings"]
            ]
        except (KeyError, TypeError, AttributeError):
            raise StoreError(
                f"{self.query_url} answered JSON without SPARQL results "
                "(head.vars and results.bindings)"
            ) from None
        return variables, iter(rows)

    def ask(self, query, prefixes=None, allow_service=False):
        answer = self._json(query, prefixes).get("boolean")
        if not isinstance(answer, bool):
            raise StoreError(f"{self.query_url} answered an ASK query without a boolean")
        return answer

    def graph(self, query, prefixes=None, allow_service=False):
        body, kind = self._query(query, prefixes, "application/n-triples")
        try:
            return Graph().parse(data=body.decode("utf-8"), format="nt")
        except Exception:  # rdflib raises several kinds for text that is not N-Triples
            raise StoreError(
                f"{self.query_url} did not answer with N-Triples (got {kind}: "
                f"{brief(body.decode('utf-8', 'replace').strip(), 60)!r})"
            ) from None

    def load_ntriples(self, text: str) -> None:
        """Replace the default graph with the given triples (Graph Store Protocol PUT)."""
        url = self.store_url + "?default"
        self._post(url, text.encode("utf-8"), "application/n-triples", "*/*", method="PUT")

    def count_triples(self) -> int:
        """How many triples the default graph holds, as the server reports it."""
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0][0])
        except (IndexError, TypeError, ValueError):
            raise StoreError(f"{self.query_url} did not answer a triple count") from None


def _prologue(prefixes: dict | None) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())


def check_url(url: str) -> None:
    """Refuse what is not an http(s) URL with a host, in one clear line."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise StoreError(f"{brief(url)!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{brief(url)!r} is not an http(s) URL with a host")


def is_endpoint(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def parse_store_spec(spec: str) -> tuple[str, str | None]:
    """``rdflib`` | ``oxigraph`` | ``oxigraph:FOLDER`` | an ``http(s)://`` endpoint URL."""
    if is_endpoint(spec):
        check_url(spec)
        return "endpoint", spec
    if spec == "rdflib":
        return "rdflib", None
    if spec == "oxigraph":
        return "oxigraph", None
    if spec.startswith("oxigraph:") and len(spec) > len("oxigraph:"):
        return "oxigraph", spec[len("oxigraph:") :]
    raise StoreError(
        f"unknown store {brief(spec)!r}: use rdflib, oxigraph, oxigraph:FOLDER or an "
        "http(s):// SPARQL endpoint URL"
    )
