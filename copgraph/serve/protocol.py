"""The SPARQL 1.1 Protocol, read-only: what a request asks, in which format, and the answer.

Requests: ``GET /sparql?query=...``, ``POST`` with ``application/sparql-query`` (the query
is the body) or ``application/x-www-form-urlencoded`` (``query=...``). Every failure is a
:class:`ProtocolError` with an HTTP status and one line that says what to change.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_TYPES, "json")
'json'
>>> negotiate("image/png", RESULT_TYPES, "json") is None
True
>>> tsv_term(Literal("a\\tb"))
'"a\\\\tb"'
"""

from __future__ import annotations

import urllib.parse

from rdflib import Graph, Literal, Variable
from rdflib.query import Result

#: media type -> result format, for SELECT and ASK
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media type -> RDF format, for CONSTRUCT and DESCRIBE (and a node's description)
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
#: format -> the media type sent back
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
ASK_FORMATS = ("json", "xml")


class ProtocolError(Exception):
    """A request the endpoint will not answer: ``status`` and a message for the client."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


def accepted(header: str | None) -> list[str]:
    """Media types of an Accept header, most wanted first (q=0 dropped; order kept on ties)."""
    if not header or not header.strip():
        return ["*/*"]
    ranked = []
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media))
    return [media for _, _, media in sorted(ranked)]


def negotiate(header: str | None, offered: dict[str, str], default: str) -> str | None:
    """The offered format the Accept header wants most; None when it wants none of them."""
    for media in accepted(header):
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            for candidate, fmt in offered.items():
                if candidate.startswith(family):
                    return fmt
    return None


def not_acceptable(header: str | None, offered: dict[str, str]) -> ProtocolError:
    return ProtocolError(
        406,
        f"cannot answer in any of the types asked for (Accept: {(header or '')[:100]}); "
        f"this answer can be: {', '.join(offered)}",
    )


def form_fields(raw: bytes, what: str) -> dict[str, list[str]]:
    """Fields of a query string or form body; bad percent-encoding or UTF-8 is a 400."""
    try:
        text = raw.decode("ascii")
        pairs = urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(
            400, f"the {what} is not valid percent-encoded UTF-8; encode the query as UTF-8"
        ) from None
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return fields


def query_from_fields(fields: dict[str, list[str]]) -> str:
    """The one ``query`` a request carries; updates and datasets are refused."""
    if "update" in fields:
        raise ProtocolError(
            403, "SPARQL Update is refused: this endpoint is read-only (queries only)"
        )
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in fields:
            raise ProtocolError(
                400, f"'{name}' is refused: the graph is the default graph; query it as it is"
            )
    values = fields.get("query")
    if not values:
        raise ProtocolError(
            400, "no query: send ?query=... (GET), or POST application/sparql-query or a form"
        )
    if len(values) > 1:
        raise ProtocolError(400, "more than one 'query' parameter: send exactly one")
    return values[0]


def body_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            400, f"the query is not valid UTF-8 (byte {exc.start}); send it as UTF-8"
        ) from None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def simple(term):
    """A literal typed xsd:string as the simple literal it is (RDF 1.1: the same term), so
    answers read ``"x"``, not ``"x"^^xsd:string``."""
    if isinstance(term, Literal) and term.language is None and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term


def tsv_term(term) -> str:
    """One cell of SPARQL TSV results: the term in Turtle/N-Triples syntax, tabs escaped."""
    if term is None:
        return ""
    return term.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def select_bytes(variables: list[str], rows: list[tuple], fmt: str) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV."""
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    result = Result("SELECT")
    names = [Variable(v) for v in variables]
    result.vars = names
    result.bindings = [
        {n: t for n, t in zip(names, row, strict=True) if t is not None} for row in rows
    ]
    return result.serialize(format=fmt)


def ask_bytes(answer: bool, fmt: str) -> bytes:
    result = Result("ASK")
    result.askAnswer = answer
    return result.serialize(format=fmt)


def graph_bytes(graph: Graph, fmt: str) -> bytes:
    from copgraph.namespaces import bind_prefixes

    return bind_prefixes(graph).serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
