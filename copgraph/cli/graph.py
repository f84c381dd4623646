"""Commands that make and describe the graph: build, validate, stats, coverage."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from copgraph.cli.common import (
    ROOT_OPTION,
    checked_build,
    fail,
    paths_for,
    progress,
)


@click.command()
@ROOT_OPTION
@click.option(
    "-o", "--out", type=click.Path(file_okay=False), help="Output folder (default data/build)."
)
def build(root, out) -> None:
    """Check every record and quote, convert to RDF, validate with SHACL, write the graph.

    Report by report: a report whose files (and the shared entities, ontology, shapes and
    code) did not change since the last build is reused from OUT/reports/, the others are
    converted and validated on their own. Writes copgraph.ttl, copgraph.nt (sorted),
    copgraph.jsonld and context.jsonld, each atomically, then stamp.json (the digest of
    the inputs and of each output), which queries check before trusting the files. Any
    problem stops the build with exit code 1 and a list of every problem found, and leaves
    the previous graph as it was.

    \b
    Examples:
      copgraph build
      copgraph build -o /tmp/graph      write the files elsewhere
    """
    from copgraph.build import (
        OUTPUT_NAMES,
        BuildError,
        OutputError,
        build_incremental,
        inputs_digest,
    )

    paths = paths_for(root)
    digest = inputs_digest(paths)  # before reading: an edit during the build stays stale
    out_dir = Path(out) if out else paths.out_dir
    started = time.perf_counter()
    progress("checking and converting the reports that changed, each validated by SHACL ...")
    try:
        outcome = build_incremental(paths, out_dir, digest)
    except BuildError as exc:
        fail(exc.report())
    except OutputError as exc:
        fail(f"error: {exc}")
    for line in outcome.warnings:
        progress(f"warning: {line}")
    progress(
        f"{len(outcome.rebuilt)} unit(s) rebuilt, {len(outcome.reused)} reused from "
        f"{out_dir / 'reports'} in {time.perf_counter() - started:.1f}s"
    )
    for name in OUTPUT_NAMES:
        click.echo(f"wrote {out_dir / name}")
    with open(out_dir / "copgraph.nt", "rb") as handle:
        triples = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    count = outcome.reports
    reports = f"{count} report{'s' if count != 1 else ''}"
    click.echo(f"{triples} triples, {outcome.records} curated records, {reports}")


@click.command()
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

    built = checked_build(paths_for(root))
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


@click.command()
@ROOT_OPTION
def stats(root) -> None:
    """Counts per class and per report section, and the share of facts with evidence.

    Reads the built graph (data/build/copgraph.nt), building it only when an input changed.

    \b
    Example:
      copgraph stats
    """
    from copgraph.stats import class_counts, evidence_share, read_built, read_shapes, section_counts

    paths = paths_for(root)
    graph = read_built(paths, progress)
    click.echo(class_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(section_counts(graph).to_string(index=False))
    click.echo("")
    click.echo(f"facts with evidence: {evidence_share(graph, read_shapes(paths)):.1%}")


@click.command("coverage")
@ROOT_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 when anything is missing or unexplained.")
@click.option("--report", "report_id", help="Only this report (its id; default: every report).")
def coverage_command(root, strict, report_id) -> None:
    """What each report mentions that the graph lacks, and coverage per report section.

    Scans for people (Mr., Ms., Dr., H.E. followed by a name) and for names that look like
    organizations; a mention is explained when the graph holds it or when the report's
    coverage-ignore.yaml (data/reports/ID/) lists it with a reason.

    \b
    Examples:
      copgraph coverage
      copgraph coverage --strict       exit 1 when anything is missing (for CI)
    """
    from copgraph.coverage import load_ignore, measure

    paths = paths_for(root)
    known = [folder.name for folder in paths.report_dirs()]
    if report_id is not None and report_id not in known:
        fail(f"error: no report '{report_id}' (reports: {', '.join(known) or 'none'})", 2)
    built = checked_build(paths, quiet=True)
    complete = True
    for rid, source in built.sources.items():
        if report_id is not None and rid != report_id:
            continue
        if len(built.sources) > 1:
            click.echo(f"report {rid}")
        ignore = load_ignore(paths.report_dir(rid) / "coverage-ignore.yaml")
        result = measure(built.graph, source.report, ignore, document=source.document_id)
        _print_coverage(result)
        complete = complete and result.complete
    if strict and not complete:
        sys.exit(1)


def _print_coverage(result) -> None:
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
