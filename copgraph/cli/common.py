"""What every copgraph command shares: failure handling, paths, options, opening the graph."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

# Only click at the top: `copgraph --help` and `copgraph queries` must start at once, so
# rdflib, pandas and pyoxigraph are imported inside the commands that need them.


class CommandError(click.ClickException):
    """One line on stderr and an exit code; click prints it, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    raise CommandError(message, code)


class Main(click.Group):
    """The command group; any failure that reaches it becomes one line and an exit code.

    Data and query mistakes are handled where they happen; this catches what is left:
    a file system or memory failure, Ctrl-C (exit 130), a closed pipe (``| head``).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # the reader went away (copgraph ... | head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except MemoryError:
            fail("error: out of memory")
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            fail_for(exc)
            raise


def fail_for(exc: Exception) -> None:
    """One clear line and an exit code for a known failure; returns for anything else.

    The exception classes are imported here, not at the top, so that `copgraph --help`
    and `copgraph queries` load neither rdflib nor pyoxigraph.
    """
    from copgraph.build import BuildError, OutputError, os_error_message
    from copgraph.catalog import QueryError
    from copgraph.store import StoreError

    if isinstance(exc, BuildError):
        fail(exc.report())
    if isinstance(exc, QueryError | StoreError):
        fail(f"error: {exc}", 2)
    if isinstance(exc, OutputError):
        fail(f"error: {exc}")
    if isinstance(exc, OSError):
        fail(f"error: {os_error_message('a file or system operation failed', exc)}")


def paths_for(root: str | None):
    from copgraph.build import Paths

    return Paths(root=Path(root).resolve()) if root else Paths()


def progress(message: str) -> None:
    click.echo(message, err=True)


def checked_build(paths, quiet: bool = False):
    """Assemble and validate, reporting every problem; exits 1 on any."""
    from copgraph.build import BuildError, assemble, validate_shapes
    from copgraph.build.progress import status

    started = time.perf_counter()
    try:
        if not quiet:
            progress("reading data/reports and data/shared, checking every record and quote ...")
        built = assemble(paths)
        if not quiet:
            progress(f"validating {len(built.graph)} triples against ontology/shapes.ttl ...")
        warnings: list[str] = []
        shapes = paths.ontology_dir / "shapes.ttl"
        with status(f"SHACL on {len(built.graph)} triples"):
            violations = validate_shapes(built.graph, shapes, built.records, warnings)
        if violations:
            raise BuildError(violations)
    except BuildError as exc:
        fail(exc.report())
    for line in warnings:
        progress(f"warning: {line}")
    if not quiet:
        progress(f"checked in {time.perf_counter() - started:.1f}s")
    return built


REPORT_OPTION = click.option(
    "--report",
    default=None,
    metavar="ID",
    help="Only what one report states (its id, e.g. cop-ap-2023; see: copgraph reports).",
)
ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False),
    help="Project folder with data/ and ontology/ (default: $COPGRAPH_ROOT, else this checkout).",
)


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


def timeout_seconds(value: float | None = None) -> float | None:
    """Seconds a query may run: --timeout, else $COPGRAPH_TIMEOUT, else the default; 0: none."""
    from copgraph.store import DEFAULT_TIMEOUT

    if value is None:
        env = os.environ.get("COPGRAPH_TIMEOUT", "").strip()
        try:
            value = float(env) if env else DEFAULT_TIMEOUT
        except ValueError:
            fail(f"error: COPGRAPH_TIMEOUT must be a number of seconds, got {env[:20]!r}", 2)
    if value < 0:
        fail("error: the timeout must be 0 (no limit) or more seconds", 2)
    return value or None


def open_kg(
    store: str | None,
    full_iris: bool = False,
    root: str | None = None,
    timeout: float | None = None,
    report: str | None = None,
):
    """The graph on a store; with ``report``, only what that report states."""
    from copgraph.build import BuildError
    from copgraph.catalog import QueryError
    from copgraph.kg import DEFAULT_STORE, open_graph
    from copgraph.store import StoreError

    try:
        kg = open_graph(
            store or DEFAULT_STORE,
            paths=paths_for(root),
            full_iris=full_iris,
            progress=progress,
            timeout=timeout_seconds(timeout),
        )
        return kg.for_report(report) if report else kg
    except BuildError as exc:
        fail(exc.report())
    except QueryError as exc:
        fail(f"error: {exc}", 2)
    except StoreError as exc:
        fail(f"error: {exc}")


def run_reporting(action):
    """Run a query action, turning user mistakes into one clear line and exit code 2."""
    from copgraph.catalog import QueryError
    from copgraph.store import StoreError

    try:
        return action()
    except (QueryError, StoreError) as exc:
        fail(f"error: {exc}", 2)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"error: --param {pair!r} must look like NAME=VALUE (e.g. org=itu)", 2)
        params[key.strip()] = value
    return params
