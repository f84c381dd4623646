"""Routes: the pages, the SPARQL endpoint, the limits and the security headers.

Every answer carries a Content-Security-Policy without ``'unsafe-inline'`` (pages load
their one stylesheet from this server and run no script; the network page runs only its
own inline scripts, allowed by their sha256 in its own policy), ``nosniff``, no referrer
and no framing. There is no write route and no directory listing: the routes below are
all there is, and only GET (and POST for ``/sparql``) is allowed. CORS is off unless the
app is made with ``cors=True``. No request ever gets a traceback: the unexpected is a
500 with one line, logged on the server's side.
"""

from __future__ import annotations

import itertools
import logging
import threading
from pathlib import Path

import jinja2
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from copgraph.catalog import QueryError, display_value, for_people
from copgraph.evidence import load_source
from copgraph.kg import PREFIX_IRIS, check_query
from copgraph.namespaces import compact
from copgraph.serve import protocol
from copgraph.serve.protocol import GRAPH_TYPES, RESULT_TYPES, ProtocolError
from copgraph.serve.report import layout
from copgraph.serve.site import ENTITY_BASE, Busy, Site, group_counts, slug_of
from copgraph.store import QueryTimeout, StoreError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "serve"
log = logging.getLogger("copgraph.serve")

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
#: the network page brings its own strict policy (a meta tag, inline code by sha256)
NETWORK_POLICY = "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
HTML_TYPES = {"text/html": "html", "application/xhtml+xml": "html"}
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class SecurityHeaders:
    """ASGI middleware: the security headers on every answer, whichever route made it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = NETWORK_POLICY if scope.get("path") == "/network" else PAGE_POLICY

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"server", b"content-security-policy")
                ]
                headers += SECURITY_HEADERS + [(b"content-security-policy", policy.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["entity_href"] = entity_href
    env.filters["shown"] = lambda v: display_value(v)
    return env


def entity_href(iri: object) -> str | None:
    """``/id/...`` for a copgraph node's IRI, else None (the value is shown as text)."""
    slug = slug_of(str(iri)) if isinstance(iri, str) else None
    return ENTITY_BASE + slug if slug else None


def _cells(values, site: Site) -> list[tuple[str, str | None]]:
    """A result cell as (text, link) items: lists give several, IRIs of nodes a link."""
    items = values if isinstance(values, list) else [values]
    out = []
    for item in items:
        if item is None:
            continue
        href = entity_href(item)
        iri = isinstance(item, str) and item.startswith(("http://", "https://"))
        text = site.name_of(item) if iri else str(display_value(item))
        out.append((text, href))
    return out


def create_app(site: Site, *, cors: bool = False) -> Starlette:
    """The web application over an opened :class:`Site`."""
    env = environment()
    cache: dict[str, str] = {}
    # rdflib's parser (pyparsing) is not thread-safe: two queries checked at once in the
    # thread pool fail inside it. One at a time, off the event loop.
    parsing = threading.Lock()

    def checked(text: str) -> str:
        with parsing:
            return check_query(text)

    def page(name: str, status: int = 200, **values) -> HTMLResponse:
        html = env.get_template(name).render(**values)
        return HTMLResponse(html, status_code=status)

    def error_page(status: int, title: str, message: str) -> HTMLResponse:
        return page("error.html.j2", status, title=title, message=message)

    # -- pages ------------------------------------------------------------------------
    async def home(request: Request):
        return page(
            "home.html.j2",
            counts=group_counts(site.counts),
            queries=list(site.catalog.values()),
        )

    async def search(request: Request):
        text = request.query_params.get("q", "")[:200]
        found = site.search(text) if text.strip() else []
        return page("search.html.j2", text=text, found=found)

    async def entity(request: Request):
        slug = request.path_params["slug"]
        if not _valid_slug(slug):
            return error_page(404, "No such page", "no node of the graph has this address")
        wanted = protocol.negotiate(
            request.headers.get("accept"), {**HTML_TYPES, **GRAPH_TYPES}, "html"
        )
        if wanted is None:
            raise protocol.not_acceptable(
                request.headers.get("accept"), {**HTML_TYPES, **GRAPH_TYPES}
            )
        if wanted != "html":
            graph = await run_in_threadpool(site.description, slug)
            if graph is None:
                return PlainTextResponse("no node of the graph has this IRI", 404)
            body = protocol.graph_bytes(graph, wanted)
            return Response(
                body, media_type=protocol.MEDIA_TYPES[wanted], headers={"Vary": "Accept"}
            )
        found = await run_in_threadpool(site.entity, slug)
        if found is None:
            return error_page(404, "No such node", f"the graph holds nothing about id:{slug}")
        response = page("entity.html.j2", entity=found, name_of=site.name_of)
        response.headers["Vary"] = "Accept"
        return response

    def report_page(report: str) -> str:
        """A report laid out once (a few tenths of a second), then served as it is."""
        if report not in cache:
            source = load_source(site.reports()[report])
            quotes = site.quotes(report)
            lines = layout(source.report, quotes)
            cache[report] = env.get_template("report.html.j2").render(
                report=report,
                title=source.manifest["title"],
                publisher=source.manifest["publisher"],
                lines=lines,
                sections=source.report.sections,
                quoted=sum(1 for q in quotes if q["facts"]),
                introducing=sum(1 for q in quotes if not q["facts"]),
                bare=sum(1 for line in lines if not line.quoted and _text_of(line).strip()),
            )
        return cache[report]

    async def reports(request: Request):
        """The one report, or the list of them to choose from."""
        found = site.reports()
        if len(found) == 1:
            return HTMLResponse(await run_in_threadpool(report_page, next(iter(found))))
        listed = [(rid, load_source(folder).manifest) for rid, folder in found.items()]
        return page("reports.html.j2", reports=listed)

    async def report(request: Request):
        name = request.path_params["report"]
        if name not in site.reports():
            return error_page(404, "No such report", f"there is no report '{name[:80]}'")
        return HTMLResponse(await run_in_threadpool(report_page, name))

    async def queries(request: Request):
        return page("queries.html.j2", queries=list(site.catalog.values()))

    async def named_query(request: Request):
        name = request.path_params["name"]
        named = site.catalog.get(name)
        if named is None:
            return error_page(404, "No such query", f"there is no named query '{name[:80]}'")
        fields = protocol.form_fields(request.scope.get("query_string", b""), "query string")
        fmt = (fields.pop("format", ["html"]) or ["html"])[0]
        values = {p.name: (fields.get(p.name) or [""])[0][:500] for p in named.params}
        unknown = sorted(set(fields) - set(values))
        repeated = sorted(k for k, v in fields.items() if len(v) > 1 and k in values)
        if unknown or repeated:
            message = (
                f"query '{name}' has no parameter {', '.join(map(repr, unknown))}"
                if unknown
                else f"give {', '.join(map(repr, repeated))} once (it takes one value)"
            )
            return page(
                "query.html.j2",
                400,
                query=named,
                values=values,
                error=message,
                frame=None,
                rows=None,
                download=None,
            )
        ran = bool(request.scope.get("query_string")) or not named.params
        if not ran:
            return page(
                "query.html.j2",
                query=named,
                values=values,
                error=None,
                frame=None,
                rows=None,
                download=None,
            )
        if fmt not in ("html", *DOWNLOADS):
            raise ProtocolError(400, f"unknown format '{fmt[:20]}': use html, csv or json")
        try:
            frame = await run_in_threadpool(site.run_named, name, values, fmt == "html")
        except QueryError as exc:
            if fmt != "html":
                raise ProtocolError(400, str(exc)) from None
            return page(
                "query.html.j2",
                400,
                query=named,
                values=values,
                error=str(exc),
                frame=None,
                rows=None,
                download=None,
            )
        if len(frame) > site.limits.rows:
            raise ProtocolError(422, site.limits.rows_message())
        if fmt != "html":
            from copgraph.output import render

            body = render(for_people(frame, fmt), fmt).encode("utf-8")
            return Response(
                body,
                media_type=DOWNLOADS[fmt],
                headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
            )
        rows = [[_cells(v, site) for v in row] for row in frame.itertuples(index=False)]
        given = {k: v for k, v in values.items() if v}
        return page(
            "query.html.j2",
            query=named,
            values=values,
            error=None,
            frame=list(frame.columns),
            rows=rows,
            download=given,
        )

    async def network_page(request: Request):
        html = await run_in_threadpool(site.network_page)
        return HTMLResponse(html)

    async def stylesheet(request: Request):
        css = (TEMPLATES / "serve.css").read_text(encoding="utf-8")
        return Response(
            css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
        )

    # -- the SPARQL endpoint ----------------------------------------------------------
    async def sparql(request: Request):
        accept = request.headers.get("accept")
        browser = protocol.negotiate(accept, HTML_TYPES, "") == "html"
        try:
            text = await _query_of(request, site)
        except ProtocolError as exc:
            if browser and request.method == "GET" and not request.scope.get("query_string"):
                return page("sparql.html.j2", text=_EXAMPLE, result=None, error=None)
            if browser:
                return page("sparql.html.j2", exc.status, text="", result=None, error=str(exc))
            raise
        try:  # parsing a long query takes time: off the event loop
            form = await run_in_threadpool(checked, text)
        except QueryError as exc:
            status = 403 if "Update is refused" in str(exc) else 400
            if browser:
                return page("sparql.html.j2", status, text=text, result=None, error=str(exc))
            raise ProtocolError(status, str(exc)) from None
        if browser:
            try:
                result = await run_in_threadpool(_html_result, site, text, form)
            except ProtocolError as exc:
                return page("sparql.html.j2", exc.status, text=text, result=None, error=str(exc))
            return page("sparql.html.j2", text=text, result=result, error=None)
        graphs = form in ("ConstructQuery", "DescribeQuery")
        offered = GRAPH_TYPES if graphs else RESULT_TYPES
        fmt = protocol.negotiate(accept, offered, "turtle" if graphs else "json")
        if fmt is None or (form == "AskQuery" and fmt not in protocol.ASK_FORMATS):
            raise protocol.not_acceptable(accept, offered)
        body = await run_in_threadpool(_answer, site, text, form, fmt)
        return Response(body, media_type=protocol.MEDIA_TYPES[fmt], headers={"Vary": "Accept"})

    async def favicon(request: Request):
        return Response(status_code=204)

    # -- failures ---------------------------------------------------------------------
    async def protocol_error(request: Request, exc: ProtocolError):
        return PlainTextResponse(f"error: {exc}\n", exc.status)

    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code == 404:
            return error_page(404, "No such page", "nothing is served at this address")
        if exc.status_code == 405:
            return PlainTextResponse(
                "error: this address takes GET only (and /sparql POST); nothing here is "
                "written to\n",
                405,
                headers={
                    "Allow": "GET, HEAD, POST" if request.url.path == "/sparql" else "GET, HEAD"
                },
            )
        return PlainTextResponse(f"error: {exc.detail}\n", exc.status_code)

    async def busy(request: Request, exc: Busy):
        return PlainTextResponse(f"error: {exc}\n", 503, headers={"Retry-After": "5"})

    async def unexpected(request: Request, exc: Exception):
        log.error(
            "%s %s failed: %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
            str(exc)[:300],
        )
        return PlainTextResponse("error: the server failed to answer this request\n", 500)

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/id/{slug:path}", entity),
        Route("/report", reports),
        Route("/report/{report}", report),
        Route("/queries", queries),
        Route("/queries/{name}", named_query),
        Route("/network", network_page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/static/serve.css", stylesheet),
        Route("/favicon.ico", favicon),
    ]
    # the report (0.5 MB) and the network page (0.8 MB) shrink five- to tenfold
    middleware = [Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=4096)]
    if cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
                max_age=600,
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            ProtocolError: protocol_error,
            HTTPException: http_error,
            Busy: busy,
            Exception: unexpected,
        },
    )


_EXAMPLE = """SELECT ?name ?kind WHERE {
  ?org a cg:Organization ; rdfs:label ?name ; cg:kind/skos:prefLabel ?kind .
}
ORDER BY ?name
LIMIT 20
"""


def _valid_slug(slug: str) -> bool:
    return bool(slug) and all(c.isalnum() or c in "-._~/" for c in slug) and ".." not in slug


def _text_of(line) -> str:
    return "".join(s.text for s in line.segments)


async def _query_of(request: Request, site: Site) -> str:
    """The query text of a GET or POST, within the limits; ProtocolError otherwise."""
    limits = site.limits
    if request.method == "GET":
        raw = request.scope.get("query_string", b"")
        if len(raw) > 3 * limits.query_chars + 1024:
            raise ProtocolError(414, limits.query_message(len(raw)))
        text = protocol.query_from_fields(protocol.form_fields(raw, "query string"))
        if len(text) > limits.query_chars:
            raise ProtocolError(414, limits.query_message(len(text)))
        return text
    media, _, params = (request.headers.get("content-type") or "").partition(";")
    media = media.strip().lower()
    charset = params.lower().replace(" ", "").partition("charset=")[2].strip('"')
    if charset and charset not in ("utf-8", "utf8", "us-ascii"):
        raise ProtocolError(415, f"charset '{charset[:20]}' is not supported; send UTF-8")
    if media == "application/sparql-update":
        raise ProtocolError(403, "SPARQL Update is refused: this endpoint is read-only")
    if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
        raise ProtocolError(
            415,
            f"unsupported Content-Type '{media[:60] or 'none'}': POST "
            "application/sparql-query (the query as the body) or "
            "application/x-www-form-urlencoded (query=...)",
        )
    body = await _body(request, limits.body_bytes, limits.body_message())
    if media == "application/sparql-query":
        text = protocol.body_text(body)
    else:
        text = protocol.query_from_fields(protocol.form_fields(body, "form body"))
    if len(text) > limits.query_chars:
        raise ProtocolError(413, limits.query_message(len(text)))
    return text


async def _body(request: Request, limit: int, message: str) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ProtocolError(413, message)
        except ValueError:
            raise ProtocolError(400, "Content-Length is not a number") from None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(413, message)
    return bytes(body)


def _run(site: Site, text: str, form: str):
    """Run a checked query on a borrowed graph: ('select', vars, rows) | ('ask', bool) |
    ('graph', Graph); at most ``limits.rows`` rows or triples."""
    from rdflib import Graph

    limit = site.limits.rows
    try:
        with site.graph() as kg:
            if form == "SelectQuery":
                variables, stream = kg.store.select_stream(text, PREFIX_IRIS)
                rows = [
                    tuple(protocol.simple(t) for t in row)
                    for row in itertools.islice(stream, limit + 1)
                ]
                _close(stream)
                if len(rows) > limit:
                    raise ProtocolError(422, site.limits.rows_message())
                return "select", variables, rows
            if form == "AskQuery":
                return "ask", kg.store.ask(text, PREFIX_IRIS)
            triples = kg.store.triples_stream(text, PREFIX_IRIS)
            taken = list(itertools.islice(triples, limit + 1))
            _close(triples)
            if len(taken) > limit:
                raise ProtocolError(422, site.limits.rows_message("triples"))
            graph = Graph()
            for triple in taken:
                graph.add(tuple(protocol.simple(t) for t in triple))
            return "graph", graph
    except QueryTimeout as exc:
        raise ProtocolError(503, f"timeout: {exc}") from None
    except StoreError as exc:
        text = str(exc)
        status = 503 if "memory" in text else 400
        raise ProtocolError(status, text) from None


def _close(iterator) -> None:
    """Stop a result stream early (a local store then stops its worker's query)."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


def _answer(site: Site, text: str, form: str, fmt: str) -> bytes:
    outcome = _run(site, text, form)
    if outcome[0] == "select":
        body = protocol.select_bytes(outcome[1], outcome[2], fmt)
    elif outcome[0] == "ask":
        body = protocol.ask_bytes(outcome[1], fmt)
    else:
        body = protocol.graph_bytes(outcome[1], fmt)
    if len(body) > site.limits.response_bytes:
        raise ProtocolError(422, site.limits.bytes_message())
    return body


def _html_result(site: Site, text: str, form: str) -> dict:
    """What the editor page shows: a table of terms, a boolean, or Turtle."""
    outcome = _run(site, text, form)
    if outcome[0] == "ask":
        return {"kind": "ask", "answer": outcome[1]}
    if outcome[0] == "graph":
        body = protocol.graph_bytes(outcome[1], "turtle").decode("utf-8")
        if len(body) > site.limits.response_bytes:
            raise ProtocolError(422, site.limits.bytes_message())
        return {"kind": "graph", "turtle": body, "triples": len(outcome[1])}
    rows = []
    for row in outcome[2]:
        cells = []
        for term in row:
            if term is None:
                cells.append(("", None))
                continue
            value = str(term)
            iri = isinstance(term, URIRef)
            href = entity_href(value) if iri else None
            shown = compact(value) if iri else value
            cells.append((shown, href))
        rows.append(cells)
    return {"kind": "select", "variables": outcome[1], "rows": rows}
