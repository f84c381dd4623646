"""``copgraph serve``: the web site and the SPARQL endpoint on one port."""

from __future__ import annotations

import socket
import sys

import click

from copgraph.cli.common import ROOT_OPTION, STORE_OPTION, fail, paths_for, progress

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface; anyone who reaches "
    "this machine can then read the graph).",
)
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed at start).",
)
@STORE_OPTION
@click.option(
    "--timeout",
    type=float,
    default=5.0,
    show_default=True,
    help="Seconds a query may run before it is stopped (0: no limit).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Queries answered at once (each has its own copy of the graph).",
)
@click.option(
    "--cors", is_flag=True, help="Let web pages of any other origin query the endpoint (CORS *)."
)
@ROOT_OPTION
def serve(host, port, store, timeout, workers, cors, root) -> None:
    """Serve the graph as a web site and a read-only SPARQL 1.1 endpoint.

    Pages: / (counts, search), /id/NAME (every fact with its quotes; Turtle, N-Triples
    or JSON-LD by Accept), /report (the text, quoted spans marked), /queries, /network,
    /sparql (an editor, and the SPARQL 1.1 Protocol). Updates and SERVICE are refused.

    \b
    Examples:
      copgraph serve                       http://127.0.0.1:7878/
      copgraph serve --port 8080 --cors    let other sites' pages query /sparql
      curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/sparql' \\
           --data-urlencode 'query=SELECT ?n WHERE { ?o a cg:Organization ; rdfs:label ?n }'
    """
    import uvicorn

    from copgraph.build import BuildError
    from copgraph.serve import Limits, Site, create_app
    from copgraph.store import StoreError

    if timeout < 0:
        fail("error: --timeout must be 0 (no limit) or more seconds", 2)
    try:
        listener = _listen(host, port)
    except OSError as exc:
        fail(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}")
    limits = Limits()
    paths = paths_for(root)
    try:
        site = Site.open(
            store or "oxigraph",
            paths=paths,
            timeout=timeout or None,
            workers=workers,
            limits=limits,
            progress=progress,
        )
    except BuildError as exc:
        fail(exc.report())
    except StoreError as exc:
        fail(f"error: {exc}")
    app = create_app(site, cors=cors)
    bound = listener.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    url = f"http://{shown}:{bound[1]}/"
    if host not in LOOPBACK:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the graph",
            err=True,
        )
    click.echo(f"copgraph serve: {url} (SPARQL endpoint {url}sparql); Ctrl-C to stop", nl=True)
    sys.stdout.flush()
    config = uvicorn.Config(
        app,
        log_level="warning",
        server_header=False,
        date_header=True,
        access_log=False,
        # the longest GET a query within the limit needs (percent-encoding triples it)
        h11_max_incomplete_event_size=3 * limits.query_chars + 16 * 1024,
        limit_concurrency=256,
        timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[listener])
    finally:
        site.close()


def _listen(host: str, port: int) -> socket.socket:
    """Bind here, so a busy port is one clear line (and --port 0 gets a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it each answer's body waits 40 ms for the ACK of its headers (Nagle)
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)
    listener.set_inheritable(True)
    return listener
