"""Scaffold a report folder (``data/reports/<id>/``) from a PDF or a plain-text report.

Reports arrive as PDFs. The text a curator quotes must be the report's words and nothing
else, so page furniture is removed (running headers and footers: lines that repeat at the
top or bottom of most pages or that carry the page's own number, and page numbers), and a
word hyphenated at a line end is joined. The page each line came from is kept in the
manifest (``pages``: the 1-based line where each page starts), so evidence can cite the page
as well as the line.

>>> lines = clean_pages(["COP Report\\nThe well-\\nbeing of chil-\\ndren.\\n1",
...                      "COP Report\\nTheir well-being online.\\n2"])
>>> [(line.page, line.text) for line in lines]
[(1, 'The well-being'), (1, 'of children.'), (2, 'Their well-being online.')]
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from copgraph.build import write_atomic
from copgraph.records import DATE, SLUG

REPORT_TEXT = "report.txt"
# How many lines at the top and at the bottom of a page may be a running header or footer.
EDGE_LINES = 3
# A page number alone on its line: "7", "- 7 -", "Page 7", "7 of 12", "vii" (a front-matter
# roman numeral up to xxxix, so that words such as "mix" or "civil" are never taken for one).
ROMAN = r"(?=[xvi])x{0,3}(?:ix|iv|v?i{0,3})"
PAGE_NUMBER = re.compile(
    rf"^(?:page\s+)?[-–—(\[]?\s*(?:\d{{1,4}}|{ROMAN})\s*[-–—)\]]?(?:\s+of\s+\d{{1,4}})?$",
    re.IGNORECASE,
)
# A number at the start or the end of a line (a page number inside a header or footer)
EDGE_NUMBER = re.compile(r"^(\d{1,4})(?=\s|$)")
EDGE_NUMBER_END = re.compile(r"(?<=\s)(\d{1,4})$")
# A word broken at the line end: letters, then a hyphen (not a dash between spaces).
BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-$")


class IngestError(Exception):
    """The source cannot become a report folder; the message is one line for the user."""


@dataclass(frozen=True)
class Line:
    page: int  # 1-based page of the original document
    text: str


def extract_pdf_text(path: Path) -> list[str]:
    """The text of each page of a PDF, in page order (pypdf's plain extraction)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise IngestError(f"{path}: the PDF is encrypted; save a decrypted copy first")
        return [page.extract_text() or "" for page in reader.pages]
    except PyPdfError as exc:
        raise IngestError(f"{path}: not a readable PDF: {exc}") from exc


def _furniture_key(line: str) -> str:
    """A line with its digits blanked, so 'Report 2023 | page 4' repeats as one header."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def _edges(lines: list[str]) -> set[int]:
    """Indexes of the non-blank lines within EDGE_LINES of the top or bottom of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that sit at the top or bottom of most pages (at least half, two or more).

    A one-page document has none: a line cannot repeat.
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_furniture_key(lines[i]) for i in _edges(lines)})
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in counts.items() if count >= needed and key}


def numbered_edges(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) of the top and bottom lines that carry the page's own number.

    A header that changes with the chapter ("Chapter 2: Utilities 7") repeats on no page,
    but its number runs with the pages: the number minus the page's position is the same
    on a third of the pages or more. A table of contents' numbers do not run so.
    """
    by_offset: dict[int, set[tuple[int, int]]] = {}
    for position, lines in enumerate(pages, start=1):
        for index in _edges(lines):
            for number in EDGE_NUMBER.findall(lines[index].strip())[:1] + EDGE_NUMBER_END.findall(
                lines[index].strip()
            ):
                by_offset.setdefault(int(number) - position, set()).add((position, index))
    if not by_offset:
        return set()
    offset = max(sorted(by_offset), key=lambda o: len({p for p, _ in by_offset[o]}))
    found = by_offset[offset]
    needed = max(2, math.ceil(len(pages) / 3))
    return found if len({p for p, _ in found}) >= needed else set()


def clean_pages(pages: list[str]) -> list[Line]:
    """The report's lines with page furniture removed and line-end hyphenation joined.

    A hyphen at a line end followed by a lower-case letter is a broken word ("chil-" +
    "dren" -> "children"), unless the document writes the word with its hyphen elsewhere
    ("well-being"); before a capital it belongs to a compound ("Secretary-" + "General" ->
    "Secretary-General"). Either way the whole word moves up to the first line, even
    across a page break. Blank lines are kept, so paragraphs stay visible.
    """
    split = [
        page.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n") for page in pages
    ]
    furniture = running_lines(split)
    numbered = numbered_edges(split)
    kept: list[Line] = []
    for number, lines in enumerate(split, start=1):
        edges = _edges(lines)
        for index, line in enumerate(lines):
            text = line.rstrip()
            if index in edges and (
                _furniture_key(text) in furniture
                or PAGE_NUMBER.match(text.strip())
                or (number, index) in numbered
            ):
                continue
            kept.append(Line(number, text))
    return _join_hyphenation(_trim_blank_runs(kept))


def _trim_blank_runs(lines: list[Line]) -> list[Line]:
    """No blank lines at the start or end, and never two in a row."""
    out: list[Line] = []
    for line in lines:
        if not line.text.strip() and (not out or not out[-1].text.strip()):
            continue
        out.append(line)
    while out and not out[-1].text.strip():
        out.pop()
    return out


def _join_hyphenation(lines: list[Line]) -> list[Line]:
    hyphenated = {
        w.lower() for line in lines for w in re.findall(r"[^\W\d_]+-[^\W\d_]+", line.text)
    }
    out: list[Line | None] = list(lines)
    for i in range(len(out) - 1):
        current, following = out[i], out[i + 1]
        if current is None or following is None or not BROKEN_WORD.search(current.text):
            continue
        rest = following.text.lstrip()
        word = re.match(r"\S+", rest)
        if not word:
            continue
        head = re.search(r"[^\W\d_]+-$", current.text).group()
        compound = (head + re.sub(r"\W+$", "", word.group())).lower() in hyphenated
        joined = current.text[:-1] if rest[0].islower() and not compound else current.text
        out[i] = Line(current.page, joined + word.group())
        rest = rest[word.end() :].lstrip()
        # a line that held only the word's end is gone, not left blank
        out[i + 1] = Line(following.page, rest) if rest else None
    return [line for line in out if line is not None]


def page_starts(lines: list[Line], page_count: int) -> list[int]:
    """The 1-based line where each page starts; a page left empty starts where the next does."""
    starts: list[int] = []
    position = 0
    for page in range(1, page_count + 1):
        while position < len(lines) and lines[position].page < page:
            position += 1
        starts.append(position + 1)
    return starts


def check_report_id(report_id: str) -> None:
    if not SLUG.match(report_id):
        raise IngestError(
            f"report id {report_id!r} is not a slug: use a-z, 0-9 and single hyphens "
            "(e.g. cop-ap-2023)"
        )


def report_text(source: Path) -> tuple[str, list[int] | None, dict]:
    """The report's text, its page starts (None for plain text), and the PDF's metadata."""
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        pages = extract_pdf_text(source)
        lines = clean_pages(pages)
        if not any(line.text.strip() for line in lines):
            raise IngestError(
                f"{source}: no text found in the PDF (a scanned image needs OCR first)"
            )
        text = "\n".join(line.text for line in lines) + "\n"
        return text, page_starts(lines, len(pages)), _pdf_metadata(source)
    if suffix == ".txt":
        try:
            text = source.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{source}: not UTF-8 text (byte {exc.start})") from exc
        return text, None, {}
    raise IngestError(f"{source}: expected a .pdf or a .txt file")


def _pdf_metadata(source: Path) -> dict:
    from pypdf import PdfReader

    info = PdfReader(source).metadata
    found = {"title": info.title, "author": info.author} if info else {}
    return {key: value.strip() for key, value in found.items() if value and value.strip()}


def manifest_text(
    report_id: str,
    source_name: str,
    sha256: str,
    title: str,
    publisher: str,
    date: str,
    pages: list[int] | None,
) -> str:
    """The manifest, in the field order of data/reports/*/manifest.yaml."""
    manifest = {
        "file": REPORT_TEXT,
        "sha256": sha256,
        "id": f"report-{report_id}",
        "title": title,
        "publisher": publisher,
        "date": date,
        "note": (
            f"Text of {source_name}, scaffolded by copgraph new-report"
            + (
                " (pypdf): words hyphenated at line ends joined, running headers, footers "
                "and page numbers removed; pages gives the line where each page starts."
                if pages is not None
                else "."
            )
        ),
    }
    if pages is not None:
        manifest["pages"] = pages
    header = "# A report folder: its text, this manifest, curated/ (the facts) and draft/.\n"
    return header + yaml.safe_dump(
        manifest, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )


def write_report_folder(
    reports_dir: Path,
    report_id: str,
    source: Path,
    title: str | None = None,
    publisher: str | None = None,
    date: str | None = None,
) -> Path:
    """Create ``reports_dir/<report_id>/`` with report.txt, manifest.yaml and curated/.

    The folder is made whole beside its final place and renamed in one step, so a failure
    leaves nothing half written; an existing folder is never overwritten.
    """
    check_report_id(report_id)
    if date is not None and not DATE.match(date):
        raise IngestError(f"date {date!r} is not an ISO 8601 date (2023, 2023-12 or 2023-12-07)")
    target = reports_dir / report_id
    if target.exists():
        raise IngestError(f"{target}: already exists; new-report never overwrites a report")
    if not source.is_file():
        raise IngestError(f"{source}: no such file")
    text, pages, metadata = report_text(source)
    body = text.encode("utf-8")
    manifest = manifest_text(
        report_id,
        source.name,
        hashlib.sha256(body).hexdigest(),
        title or metadata.get("title") or "",
        publisher or metadata.get("author") or "",
        date or "",
        pages,
    )
    reports_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=reports_dir, prefix=f".{report_id}.", suffix=".part"))
    try:
        write_atomic(staging / REPORT_TEXT, body)
        (staging / "curated").mkdir()
        write_atomic(staging / "manifest.yaml", manifest.encode("utf-8"))
        os.chmod(staging, 0o755)
        if target.exists():  # made by someone else meanwhile
            raise IngestError(f"{target}: already exists; new-report never overwrites a report")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
