"""The ``copgraph`` command: a thin layer over the package's functions."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from copgraph.build import BuildError, Paths, assemble, validate_shapes, write_outputs


def _fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _paths(root: str | None) -> Paths:
    return Paths(root=Path(root).resolve()) if root else Paths()


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _build(paths: Paths, quiet: bool = False):
    """Assemble and validate, reporting every problem; exits 1 on any."""
    started = time.perf_counter()
    try:
        if not quiet:
            _progress("reading data/curated and checking every record and quote ...")
        built = assemble(paths)
        if not quiet:
            _progress(f"validating {len(built.graph)} triples against ontology/shapes.ttl ...")
        violations = validate_shapes(built.graph, paths.ontology_dir / "shapes.ttl")
        if violations:
            raise BuildError(violations)
    except BuildError as exc:
        _fail(exc.report())
    if not quiet:
        _progress(f"checked in {time.perf_counter() - started:.1f}s")
    return built


ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False),
    help="Project folder holding data/ and ontology/ (default: this checkout).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copgraph")
def main() -> None:
    """copgraph: the ITU Child Online Protection (COP) for Asia and the Pacific programme
    as a knowledge graph, every fact traced to a quote of the concluding-workshop report.

    \b
    Start with:
      copgraph build        check data/curated, validate, write data/build/
      copgraph stats        counts per class and per report section
    """


@main.command()
@ROOT_OPTION
@click.option(
    "-o", "--out", type=click.Path(file_okay=False), help="Output folder (default data/build)."
)
def build(root, out) -> None:
    """Check every record and quote, convert to RDF, validate with SHACL, write the graph.

    Writes copgraph.ttl, copgraph.nt (sorted), copgraph.jsonld and context.jsonld. Any
    problem stops the build with exit code 1 and a list of every problem found.
    """
    paths = _paths(root)
    built = _build(paths)
    out_dir = Path(out) if out else paths.out_dir
    for _name, path in write_outputs(built.graph, out_dir).items():
        click.echo(f"wrote {path}")
    click.echo(f"{len(built.graph)} triples, {len(built.records)} curated records")


@main.command()
@ROOT_OPTION
def validate(root) -> None:
    """Run every check of the build (records, references, quotes, shapes) without writing."""
    built = _build(_paths(root))
    click.echo(f"valid: {len(built.records)} records, {len(built.graph)} triples")


@main.command()
@ROOT_OPTION
def stats(root) -> None:
    """Counts per class and per report section, and the share of facts with evidence."""
    from copgraph.stats import class_counts, evidence_share, section_counts

    built = _build(_paths(root), quiet=True)
    graph = built.graph
    click.echo(class_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(section_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(f"facts with evidence: {evidence_share(graph):.1%}")


if __name__ == "__main__":
    main()
