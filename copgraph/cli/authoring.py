"""CLI commands for report folders: ``new-report`` (ingest a PDF or text) and ``draft``."""

from __future__ import annotations

from pathlib import Path

import click

from copgraph.cli.common import ROOT_OPTION, fail, paths_for


@click.command("new-report")
@click.argument("report_id", metavar="ID")
@click.option(
    "--source",
    "source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The report as a .pdf (text extracted with pypdf) or a .txt (copied as it is).",
)
@click.option("--title", default=None, help="The report's title (default: the PDF's own).")
@click.option("--publisher", default=None, help="Who published it (default: the PDF's author).")
@click.option("--date", default=None, help="Publication date, ISO 8601: 2024, 2024-03, 2024-03-15.")
@ROOT_OPTION
def new_report_command(report_id, source, title, publisher, date, root) -> None:
    """Scaffold data/reports/ID/ from a PDF or a text file: report.txt, manifest.yaml
    (sha256, id report-ID, title, publisher, date and, for a PDF, the line where each page
    starts) and an empty curated/. Never overwrites an existing report folder.

    \b
    From a PDF, running headers and footers (lines at the top or bottom of most pages)
    and page numbers are removed, and words hyphenated at line ends are joined.

    \b
    Example:
      copgraph new-report cop-mongolia-2024 --source ~/Downloads/assessment.pdf \\
          --title "COP national assessment report: Mongolia" --publisher ITU --date 2024-03
    """
    from copgraph.build import os_error_message
    from copgraph.ingest import IngestError, write_report_folder

    reports_dir = paths_for(root).reports_dir
    try:
        folder = write_report_folder(reports_dir, report_id, source, title, publisher, date)
    except IngestError as exc:
        fail(f"error: {exc}")
    except OSError as exc:
        fail(f"error: {os_error_message('cannot write the report folder', exc)}")
    import yaml

    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    pages = len(manifest.get("pages") or [])
    click.echo(
        f"wrote {folder}: report.txt ({manifest['sha256'][:12]}...)"
        + (f", {pages} pages" if pages else "")
        + ", manifest.yaml, curated/"
    )
    for key in ("title", "publisher", "date"):
        if not manifest.get(key):
            click.echo(f"note: manifest.yaml: fill in '{key}' (give --{key})", err=True)
    click.echo(f"next: copgraph draft {folder}")


def _report_folder(report: str, root) -> Path:
    """A report id (a folder of data/reports/) or a path to a report folder."""
    path = Path(report)
    if path.is_dir():
        return path
    candidate = paths_for(root).root / "data" / "reports" / report
    if candidate.is_dir():
        return candidate
    fail(f"error: {report}: neither a report folder nor a report id under {candidate.parent}")
    raise AssertionError  # fail exits


def _report_text_path(folder: Path) -> Path:
    import yaml

    manifest_path = folder / "manifest.yaml"
    if not manifest_path.is_file():
        fail(f"error: {manifest_path}: missing; a report folder has a manifest naming its text")
    try:
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        fail(f"error: {manifest_path}: not valid YAML: {str(exc).splitlines()[0]}")
    if not isinstance(manifest, dict) or not manifest.get("file"):
        fail(f"error: {manifest_path}: field 'file' is missing")
    return folder / str(manifest["file"])


@click.command("draft")
@click.argument("report", required=False)
@click.option(
    "--source",
    "source",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A report text file (e.g. a text outside data/reports/) instead of a report folder.",
)
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the draft YAML goes (default: REPORT/draft/; with --source, data/draft/).",
)
@click.option(
    "--known",
    "known_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Curated folders whose organizations count as known (default: "
    "data/shared and every data/reports/*/curated). Repeatable.",
)
@ROOT_OPTION
def draft_command(report, source, out, known_dirs, root) -> None:
    """Draft candidate records from a report's text, for a curator to accept, edit or delete.

    REPORT is a report id (a folder of data/reports/) or the path to a report folder.
    Writes draft/people.yaml, organizations.yaml, countries.yaml, events.yaml,
    figures.yaml and instruments.yaml in the curated format, each candidate with the
    report's words it came from as its evidence. Rule-based and offline: the same text
    always gives the same files. Never writes into curated/.

    \b
    Examples:
      copgraph draft cop-mongolia-2024          writes data/reports/cop-mongolia-2024/draft/
      copgraph draft cop-ap-2023 --out /tmp/draft
      copgraph draft --source ~/Downloads/report.txt --out /tmp/draft
    """
    from copgraph.build import os_error_message
    from copgraph.draft import (
        KnownNamesError,
        draft_records,
        in_curated,
        load_known,
        write_drafts,
    )

    project = paths_for(root).root
    if (report is None) == (source is None):
        fail("error: give a REPORT (id or folder) or --source FILE, not both and not neither")
    if report is not None:
        folder = _report_folder(report, root)
        text_path = _report_text_path(folder)
        out_dir = out or folder / "draft"
    else:
        text_path = source
        out_dir = out or project / "data" / "draft"
    if in_curated(out_dir):
        fail(f"error: {out_dir}: drafts never go into a curated folder; choose another --out")
    try:
        text = text_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        fail(f"error: {text_path}: no such file")
    except UnicodeDecodeError as exc:
        fail(f"error: {text_path}: not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        fail(f"error: {os_error_message('cannot read the report', exc)}")
    if known_dirs:
        folders = list(known_dirs)
    else:
        paths = paths_for(root)
        folders = [paths.shared_dir, *(folder / "curated" for folder in paths.report_dirs())]
    try:
        known = load_known(folders)
    except KnownNamesError as exc:
        fail(f"error: {exc}")
    drafts = draft_records(text, known)
    try:
        written = write_drafts(drafts, out_dir)
    except OSError as exc:
        fail(f"error: {os_error_message('cannot write the drafts', exc)}")
    counts = ", ".join(f"{len(drafts[p.stem])} {p.stem}" for p in written)
    click.echo(f"wrote {out_dir}: {counts}")
    click.echo("each candidate quotes the report; move the right ones into curated/ and edit them")
