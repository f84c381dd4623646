"""Commands that ask the graph: queries, query, sparql, load."""

from __future__ import annotations

from pathlib import Path

import click

from copgraph.cli.common import (
    FORMAT_OPTION,
    FULL_IRIS,
    REPORT_OPTION,
    ROOT_OPTION,
    STORE_OPTION,
    fail,
    open_kg,
    parse_params,
    paths_for,
    progress,
    run_reporting,
)


@click.command("queries")
@FORMAT_OPTION
def queries_command(fmt) -> None:
    """List the named queries with their parameters, columns and an example each.

    \b
    Examples:
      copgraph queries
      copgraph queries --format markdown
    """
    from copgraph.catalog import example_command, load_catalog

    if fmt != "table":
        from copgraph.catalog import catalog_frame
        from copgraph.output import render

        click.echo(render(catalog_frame(), fmt), nl=False)
        return
    for q in load_catalog().values():
        click.secho(q.name, bold=True, nl=False)
        click.echo(f"  {q.title}")
        click.echo(f"    {q.description}")
        for p in q.params:
            need = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=...  ({p.type_label}, {need}) {p.doc}")
        if q.one_of:
            click.echo(f"    give one of: {', '.join(q.one_of)}")
        click.echo(f"    columns: {', '.join(q.columns)}")
        for column, doc in q.explained.items():
            click.echo(f"      {column}: {doc}")
        click.echo(f"    example: {example_command(q)}")


@click.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter, e.g. --param org=itu or -p country=MN (repeatable).",
)
@STORE_OPTION
@FORMAT_OPTION
@FULL_IRIS
@ROOT_OPTION
@REPORT_OPTION
def query_command(name, params, store, fmt, full_iris, root, report) -> None:
    """Run the named query NAME (see: copgraph queries).

    Parameters take ids, names, acronyms, ISO codes, session numbers or words of a title,
    in any case and quote style. JSON keeps lists as arrays and numbers as numbers.

    \b
    Examples:
      copgraph query partners-of --param org=itu
      copgraph query about -p subject=Thailand
      copgraph query speakers -p session="Session 3"
      copgraph query outputs -p country=Mongolia -p since=2023 --format csv
      copgraph query events -p from=2023-01 -p to=2023-06
      copgraph query partnerships --report cop-ap-2023     as one report states them
    """
    from copgraph.catalog import QueryError, for_people
    from copgraph.output import render

    values = parse_params(params)
    kg = open_kg(store, full_iris, root, report=report)

    def ask():
        try:
            return kg.query(name, **values)
        except QueryError as exc:  # say --param, not keyword argument
            raise QueryError(exc.cli) from None

    frame = run_reporting(ask)
    click.echo(render(for_people(frame, fmt), fmt), nl=False)


@click.command("sparql")
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="Read the query from a .rq file.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE clauses (they make the store fetch remote URLs).",
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Stop the query after this many seconds (default $COPGRAPH_TIMEOUT, else 30; 0: none).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Print at most this many rows (default: 1000 for table and markdown, all for csv/json).",
)
@click.option("--raw", is_flag=True, help="CSV: leave cells that start with = + - @ as they are.")
@STORE_OPTION
@FORMAT_OPTION
@FULL_IRIS
@ROOT_OPTION
def sparql_command(
    text, path, allow_service, timeout, max_rows, raw, store, fmt, full_iris, root
) -> None:
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE).

    The prefixes cg:, id:, rdfs:, skos:, schema:, prov:, org:, foaf:, dct:, oa: and the
    scheme prefixes (topic:, outputkind: ...) are predeclared. Updates and FROM are
    refused. Rows are written as they come for csv and json.

    \b
    Examples:
      copgraph sparql 'SELECT ?name WHERE { ?p a cg:Person ; rdfs:label ?name }'
      copgraph sparql -f my-question.rq --format csv
    """
    import warnings

    from rdflib import Graph

    from copgraph.output import stream

    if (text is None) == (path is None):
        fail("error: give the query as an argument or with -f FILE.rq (one of the two)", 2)
    if path:
        text = _read_query_file(path)
    from copgraph.kg import check_query

    form = run_reporting(lambda: check_query(text, allow_service=allow_service))
    kg = open_kg(store, full_iris, root, timeout)
    with warnings.catch_warnings(record=True) as caught:  # a misspelt cg: term
        warnings.simplefilter("always")
        run_reporting(lambda: kg.warn_undefined_terms(text))
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    if form == "SelectQuery":
        if max_rows is None and fmt in ("table", "markdown"):
            max_rows = TABLE_ROWS
        columns, rows = run_reporting(lambda: kg.sparql_rows(text, allow_service=allow_service))
        shown, more = run_reporting(
            lambda: stream(
                columns, rows, fmt, lambda t: click.echo(t, nl=False), raw=raw, max_rows=max_rows
            )
        )
        if more:
            click.echo(
                f"note: stopped after {shown} rows; pass --max-rows N for more, "
                "or --format csv/json for all of them",
                err=True,
            )
        return
    with warnings.catch_warnings():  # already said above
        warnings.simplefilter("ignore")
        result = run_reporting(lambda: kg.sparql(text, allow_service=allow_service))
    if isinstance(result, bool):
        click.echo("true" if result else "false")
    elif isinstance(result, Graph):
        from copgraph.namespaces import bind_prefixes

        click.echo(bind_prefixes(result).serialize(format="turtle"), nl=False)


TABLE_ROWS = 1000  # rows a table shows unless --max-rows says otherwise


def _read_query_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        fail(f"error: {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8", 2)
    except OSError as exc:
        from copgraph.build import os_error_message

        fail(f"error: {os_error_message('cannot read the query', exc)}", 2)


@click.command("load")
@click.option(
    "--store",
    required=True,
    help="oxigraph:FOLDER to (re)load a persisted store, or an http(s):// SPARQL endpoint "
    "(its Graph Store Protocol URL is derived: http://host:7878 -> /store).",
)
@ROOT_OPTION
def load_command(store, root) -> None:
    """Load the built graph into a persisted Oxigraph folder or a SPARQL server.

    \b
    Examples:
      copgraph load --store oxigraph:/tmp/copgraph-store
      copgraph load --store http://127.0.0.1:7878     (a running `oxigraph serve`)
    """
    from copgraph.build import BuildError, ensure_built
    from copgraph.kg import load_endpoint, open_graph
    from copgraph.store import StoreError, is_endpoint

    paths = paths_for(root)
    try:
        if is_endpoint(store):
            count = load_endpoint(store, paths, progress)
            click.echo(f"loaded {count} triples into {store}")
        elif store.startswith("oxigraph:"):
            ensure_built(paths, progress)
            kg = open_graph(store, paths=paths, progress=progress)
            kg.close()
            click.echo(f"{store[len('oxigraph:') :]} holds the current graph")
        else:
            fail("error: --store must be oxigraph:FOLDER or an http(s):// endpoint URL", 2)
    except BuildError as exc:
        fail(exc.report())
    except StoreError as exc:
        fail(f"error: {exc}")
