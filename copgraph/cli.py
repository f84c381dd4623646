"""The ``copgraph`` command: a thin layer over the package's functions."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

# Only click at the top: `copgraph --help` and `copgraph queries` must start at once, so
# rdflib, pandas and pyoxigraph are imported inside the commands that need them.


def _fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


class _Main(click.Group):
    """The command group; any failure that reaches it becomes one line and an exit code.

    Data and query mistakes are handled where they happen; this catches what is left:
    a file system or memory failure, Ctrl-C (exit 130), a closed pipe (``| head``).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            # the reader went away (copgraph ... | head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except MemoryError:
            _fail("error: out of memory")
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            _fail_for(exc)
            raise


def _fail_for(exc: Exception) -> None:
    """One clear line and an exit code for a known failure; returns for anything else.

    The exception classes are imported here, not at the top, so that `copgraph --help`
    and `copgraph queries` load neither rdflib nor pyoxigraph.
    """
    from copgraph.build import BuildError, OutputError, os_error_message
    from copgraph.catalog import QueryError
    from copgraph.store import StoreError

    if isinstance(exc, BuildError):
        _fail(exc.report())
    if isinstance(exc, QueryError | StoreError):
        _fail(f"error: {exc}", 2)
    if isinstance(exc, OutputError):
        _fail(f"error: {exc}")
    if isinstance(exc, OSError):
        _fail(f"error: {os_error_message('a file or system operation failed', exc)}")


def _paths(root: str | None):
    from copgraph.build import Paths

    return Paths(root=Path(root).resolve()) if root else Paths()


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _build(paths, quiet: bool = False):
    """Assemble and validate, reporting every problem; exits 1 on any."""
    from copgraph.build import BuildError, assemble, validate_shapes

    started = time.perf_counter()
    try:
        if not quiet:
            _progress("reading data/curated and checking every record and quote ...")
        built = assemble(paths)
        if not quiet:
            _progress(f"validating {len(built.graph)} triples against ontology/shapes.ttl ...")
        warnings: list[str] = []
        shapes = paths.ontology_dir / "shapes.ttl"
        violations = validate_shapes(built.graph, shapes, built.records, warnings)
        if violations:
            raise BuildError(violations)
    except BuildError as exc:
        _fail(exc.report())
    for line in warnings:
        _progress(f"warning: {line}")
    if not quiet:
        _progress(f"checked in {time.perf_counter() - started:.1f}s")
    return built


ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False),
    help="Project folder with data/ and ontology/ (default: $COPGRAPH_ROOT, else this checkout).",
)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copgraph")
def main() -> None:
    """copgraph: the ITU Child Online Protection (COP) for Asia and the Pacific programme
    as a knowledge graph, every fact traced to a quote of the concluding-workshop report.

    \b
    Start with:
      copgraph build                         check data/curated, validate, write data/build/
      copgraph stats                         counts per class and per report section
      copgraph queries                       the named questions
      copgraph query partners-of -p org=itu  ask one (with the quotes behind each answer)
      copgraph sparql 'SELECT ...'           ask your own
      copgraph network summary               who carries the programme
      copgraph viz -o out/network.html       the network as one offline page
    """


@main.command()
@ROOT_OPTION
@click.option(
    "-o", "--out", type=click.Path(file_okay=False), help="Output folder (default data/build)."
)
def build(root, out) -> None:
    """Check every record and quote, convert to RDF, validate with SHACL, write the graph.

    Writes copgraph.ttl, copgraph.nt (sorted), copgraph.jsonld and context.jsonld, each
    atomically, then stamp.json (the digest of the inputs and of each output), which
    queries check before trusting the files. Any problem stops the build with exit code 1
    and a list of every problem found, and leaves the previous graph as it was.

    \b
    Examples:
      copgraph build
      copgraph build -o /tmp/graph      write the files elsewhere
    """
    from copgraph.build import OutputError, inputs_digest, write_outputs

    paths = _paths(root)
    digest = inputs_digest(paths)  # before reading: an edit during the build stays stale
    built = _build(paths)
    out_dir = Path(out) if out else paths.out_dir
    try:
        written = write_outputs(built.graph, out_dir, digest)
    except OutputError as exc:
        _fail(f"error: {exc}")
    for _name, path in written.items():
        click.echo(f"wrote {path}")
    click.echo(f"{len(built.graph)} triples, {len(built.records)} curated records")


@main.command()
@ROOT_OPTION
def validate(root) -> None:
    """Run every check (records, references, quotes, shapes, quality queries) without writing.

    The quality queries are copgraph/quality/*.rq: each must return no rows.

    \b
    Example:
      copgraph validate && echo "the data is sound"
    """
    from copgraph.kg import KnowledgeGraph
    from copgraph.quality import run_checks
    from copgraph.store import RdflibStore

    built = _build(_paths(root))
    failed = {
        name: rows
        for name, rows in run_checks(KnowledgeGraph(RdflibStore(built.graph))).items()
        if len(rows)
    }
    for name, rows in failed.items():
        click.echo(f"quality check {name} found {len(rows)} row(s):", err=True)
        click.echo(rows.to_string(index=False), err=True)
    if failed:
        sys.exit(1)
    click.echo(f"valid: {len(built.records)} records, {len(built.graph)} triples")


@main.command()
@ROOT_OPTION
def stats(root) -> None:
    """Counts per class and per report section, and the share of facts with evidence.

    Reads the built graph (data/build/copgraph.nt), building it only when an input changed.

    \b
    Example:
      copgraph stats
    """
    from copgraph.stats import class_counts, evidence_share, read_built, section_counts

    graph = read_built(_paths(root), _progress)
    click.echo(class_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(section_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(f"facts with evidence: {evidence_share(graph):.1%}")


# -- the query layer ------------------------------------------------------------------------

STORE_OPTION = click.option(
    "--store",
    default=None,
    envvar="COPGRAPH_STORE",
    show_envvar=True,
    help="rdflib | oxigraph (default) | oxigraph:FOLDER (persisted) | http(s)://host/query "
    "(a SPARQL 1.1 endpoint).",
)
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for reading, csv/json for pipes, markdown for documents.",
)
FULL_IRIS = click.option("--full-iris", is_flag=True, help="Show full IRIs, not id:/cg: names.")


def _timeout(value: float | None = None) -> float | None:
    """Seconds a query may run: --timeout, else $COPGRAPH_TIMEOUT, else the default; 0: none."""
    from copgraph.store import DEFAULT_TIMEOUT

    if value is None:
        env = os.environ.get("COPGRAPH_TIMEOUT", "").strip()
        try:
            value = float(env) if env else DEFAULT_TIMEOUT
        except ValueError:
            _fail(f"error: COPGRAPH_TIMEOUT must be a number of seconds, got {env[:20]!r}", 2)
    if value < 0:
        _fail("error: the timeout must be 0 (no limit) or more seconds", 2)
    return value or None


def _open(
    store: str | None,
    full_iris: bool = False,
    root: str | None = None,
    timeout: float | None = None,
):
    from copgraph.build import BuildError
    from copgraph.kg import DEFAULT_STORE, open_graph
    from copgraph.store import StoreError

    try:
        return open_graph(
            store or DEFAULT_STORE,
            paths=_paths(root),
            full_iris=full_iris,
            progress=_progress,
            timeout=_timeout(timeout),
        )
    except BuildError as exc:
        _fail(exc.report())
    except StoreError as exc:
        _fail(f"error: {exc}")


def _run(action):
    """Run a query action, turning user mistakes into one clear line and exit code 2."""
    from copgraph.catalog import QueryError
    from copgraph.store import StoreError

    try:
        return action()
    except (QueryError, StoreError) as exc:
        _fail(f"error: {exc}", 2)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"error: --param {pair!r} must look like NAME=VALUE (e.g. org=itu)", 2)
        params[key.strip()] = value
    return params


@main.command("queries")
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


@main.command("query")
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
def query_command(name, params, store, fmt, full_iris, root) -> None:
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
    """
    from copgraph.catalog import QueryError, for_people
    from copgraph.output import render

    values = _parse_params(params)
    kg = _open(store, full_iris, root)

    def ask():
        try:
            return kg.query(name, **values)
        except QueryError as exc:  # say --param, not keyword argument
            raise QueryError(exc.cli) from None

    frame = _run(ask)
    click.echo(render(for_people(frame, fmt), fmt), nl=False)


@main.command("sparql")
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
        _fail("error: give the query as an argument or with -f FILE.rq (one of the two)", 2)
    if path:
        text = _read_query_file(path)
    from copgraph.kg import check_query

    form = _run(lambda: check_query(text, allow_service=allow_service))
    kg = _open(store, full_iris, root, timeout)
    with warnings.catch_warnings(record=True) as caught:  # a misspelt cg: term
        warnings.simplefilter("always")
        _run(lambda: kg.warn_undefined_terms(text))
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    if form == "SelectQuery":
        if max_rows is None and fmt in ("table", "markdown"):
            max_rows = TABLE_ROWS
        columns, rows = _run(lambda: kg.sparql_rows(text, allow_service=allow_service))
        shown, more = _run(
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
        result = _run(lambda: kg.sparql(text, allow_service=allow_service))
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
        _fail(f"error: {path} is not UTF-8 text (byte {exc.start}): save it as UTF-8", 2)
    except OSError as exc:
        from copgraph.build import os_error_message

        _fail(f"error: {os_error_message('cannot read the query', exc)}", 2)


@main.command("load")
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

    paths = _paths(root)
    try:
        if is_endpoint(store):
            count = load_endpoint(store, paths, _progress)
            click.echo(f"loaded {count} triples into {store}")
        elif store.startswith("oxigraph:"):
            ensure_built(paths, _progress)
            kg = open_graph(store, paths=paths, progress=_progress)
            kg.close()
            click.echo(f"{store[len('oxigraph:') :]} holds the current graph")
        else:
            _fail("error: --store must be oxigraph:FOLDER or an http(s):// endpoint URL", 2)
    except BuildError as exc:
        _fail(exc.report())
    except StoreError as exc:
        _fail(f"error: {exc}")


@main.command("coverage")
@ROOT_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 when anything is missing or unexplained.")
def coverage_command(root, strict) -> None:
    """What the report mentions that the graph lacks, and coverage per report section.

    Scans for people (Mr., Ms., Dr., H.E. followed by a name) and for names that look like
    organizations; a mention is explained when the graph holds it or when
    data/coverage-ignore.yaml lists it with a reason.

    \b
    Examples:
      copgraph coverage
      copgraph coverage --strict       exit 1 when anything is missing (for CI)
    """
    from copgraph.coverage import load_ignore, measure

    paths = _paths(root)
    built = _build(paths, quiet=True)
    result = measure(
        built.graph, built.source.report, load_ignore(paths.root / "data" / "coverage-ignore.yaml")
    )
    click.echo(result.sections.to_string(index=False))
    click.echo("")
    for title, items in (
        ("people mentioned but missing from the graph", result.missing_people),
        (
            "organization-like names neither in the graph nor ignored",
            result.unexplained_organizations,
        ),
    ):
        click.echo(f"{title}: {len(items)}")
        for text, section, line in items:
            click.echo(f"  line {line:>4} (section {section or '-'}): {text}")
    click.echo(f"quotes outside any numbered section: {len(result.quotes_outside_sections)}")
    for quote in result.quotes_outside_sections:
        click.echo(f"  {quote[:100]}")
    if strict and not result.complete:
        sys.exit(1)


# Sub-commands that live in their own modules register themselves on `main`.
from copgraph import cli_network  # noqa: E402,F401
from copgraph.cli_reports import draft_command, new_report_command  # noqa: E402

main.add_command(new_report_command)
main.add_command(draft_command)
