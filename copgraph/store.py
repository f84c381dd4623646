"""Three stores behind one interface: rdflib in memory, Oxigraph, a SPARQL 1.1 endpoint.

Each store answers ``select`` (variables and rows of rdflib terms), ``ask`` and ``graph``
(CONSTRUCT/DESCRIBE), so the query layer and the network analyses never care which one
runs. Results are rdflib terms whatever the store, so every store returns the same rows.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph().add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> store = RdflibStore(g)
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }")
(['o'], [(rdflib.term.Literal('x'),)])
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Rows = list[tuple[Node | None, ...]]


class StoreError(Exception):
    """A store could not be opened or reached, or refused a query."""


class Store:
    """What every store offers; see the three implementations below."""

    name = "store"

    def select(self, query: str) -> tuple[list[str], Rows]:
        raise NotImplementedError

    def ask(self, query: str) -> bool:
        raise NotImplementedError

    def graph(self, query: str) -> Graph:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds; a no-op where nothing is held."""


class RdflibStore(Store):
    """An rdflib Graph in memory: no set-up, pure Python."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self.rdf = graph

    def select(self, query):
        result = self.rdf.query(query)
        variables = [str(v) for v in result.vars]
        return variables, [tuple(row) for row in result]

    def ask(self, query):
        return bool(self.rdf.query(query).askAnswer)

    def graph(self, query):
        return self.rdf.query(query).graph


def _to_rdflib(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term from Oxigraph: {term!r}")


class OxigraphStore(Store):
    """pyoxigraph, in memory or persisted in a folder (reopened without reloading)."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None):
        self.path = path
        try:
            self.ox = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store in {path}: {exc}") from None

    def load_ntriples(self, text: str) -> None:
        self.ox.clear()
        self.ox.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        self.ox.flush()

    def _query(self, query):
        try:
            return self.ox.query(query)
        except SyntaxError as exc:
            raise StoreError(f"Oxigraph could not parse the query: {exc}") from None

    def select(self, query):
        solutions = self._query(query)
        variables = [v.value for v in solutions.variables]
        rows = [tuple(_to_rdflib(s[v]) for v in variables) for s in solutions]
        return variables, rows

    def ask(self, query):
        return bool(self._query(query))

    def graph(self, query):
        graph = Graph()
        for triple in self._query(query):
            graph.add(
                tuple(_to_rdflib(t) for t in (triple.subject, triple.predicate, triple.object))
            )
        return graph

    def close(self):
        if self.path:
            self.ox.flush()
        del self.ox


def _from_json(binding: dict) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


class EndpointStore(Store):
    """A SPARQL 1.1 endpoint over HTTP (Protocol for queries, Graph Store Protocol for loads).

    ``url`` is the query endpoint (``http://host:7878/query``) or the server's base URL,
    from which ``/query`` and ``/store`` are derived (Oxigraph's layout).
    """

    name = "endpoint"

    def __init__(self, url: str, graph_store: str | None = None, timeout: float = 30.0):
        base = url.rstrip("/")
        if base.endswith("/query") or base.endswith("/sparql"):
            self.query_url = base
            root = base.rsplit("/", 1)[0]
        else:
            self.query_url, root = base + "/query", base
        self.store_url = graph_store or root + "/store"
        self.timeout = timeout

    def _post(self, url: str, body: bytes, content_type: str, accept: str, method="POST"):
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type, "Accept": accept}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            raise StoreError(f"{url} answered HTTP {exc.code}: {detail[:500]}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None

    def _query(self, query: str, accept: str) -> bytes:
        return self._post(self.query_url, query.encode("utf-8"), "application/sparql-query", accept)

    def select(self, query):
        data = json.loads(self._query(query, "application/sparql-results+json"))
        variables = data["head"].get("vars", [])
        rows = [
            tuple(_from_json(b[v]) if v in b else None for v in variables)
            for b in data["results"]["bindings"]
        ]
        return variables, rows

    def ask(self, query):
        return bool(json.loads(self._query(query, "application/sparql-results+json"))["boolean"])

    def graph(self, query):
        return Graph().parse(data=self._query(query, "application/n-triples"), format="nt")

    def load_ntriples(self, text: str) -> None:
        """Replace the default graph with the given triples (Graph Store Protocol PUT)."""
        url = self.store_url + "?default"
        self._post(url, text.encode("utf-8"), "application/n-triples", "*/*", method="PUT")


def is_endpoint(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def parse_store_spec(spec: str) -> tuple[str, str | None]:
    """``rdflib`` | ``oxigraph`` | ``oxigraph:FOLDER`` | an ``http(s)://`` endpoint URL."""
    if is_endpoint(spec):
        return "endpoint", spec
    if spec == "rdflib":
        return "rdflib", None
    if spec == "oxigraph":
        return "oxigraph", None
    if spec.startswith("oxigraph:") and len(spec) > len("oxigraph:"):
        return "oxigraph", spec[len("oxigraph:") :]
    raise StoreError(
        f"unknown store {spec!r}: use rdflib, oxigraph, oxigraph:FOLDER or an http(s):// "
        "SPARQL endpoint URL"
    )
