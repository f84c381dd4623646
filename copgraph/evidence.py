"""Find quotes in the report and say where they sit.

The report's plain text has hard line breaks, blank lines between lines and page
furniture, so quotes are compared with white space collapsed. A quote's position gives
its line and the numbered section (``4.2.1``) whose heading precedes it.

>>> report = Report("1. Intro\\nThe quick\\n\\nbrown fox.\\n2. Next\\nbrown fox.\\n")
>>> [m.section for m in report.find("quick brown")]
['1']
>>> [m.section for m in report.find("brown fox.")]
['1', '2']
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HEADING = re.compile(r"^[ \t]*(\d(?:\.\d){0,2})\.?[ \t]+(\S.*)$", re.MULTILINE)
WHITESPACE = re.compile(r"\s+")
CONTEXT_CHARS = 30
# Where a new sentence starts in the collapsed text: after a full stop, question or
# exclamation mark (and any closing quote or bracket) before a capital, digit or bullet;
# and before every bullet glyph and agenda time slot, which start items without a stop.
SENTENCE_START = re.compile(
    r"(?<=[.!?])[\"”’)]? (?=[\"“‘(]?[A-Z0-9\uf0b7•])"
    r"| (?=[\uf0b7•] )"
    r"| (?=\d{2}:\d{2}-\d{2}:\d{2} )"
)
# A stop after these ends no sentence ("Dr. Atsuko Okuda", "H.E. Mr. Sok", "e.g. apps").
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof|St|No|Vol|etc|vs|e\.g|i\.e)|H\.E|\b[A-Z])\.$")


class SourceError(Exception):
    """The report text or its manifest is not what the project expects."""


def collapse(text: str) -> str:
    """Collapse every run of white space to one space, as quotes are compared."""
    return WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    line: int


@dataclass(frozen=True)
class Match:
    """One place a quote occurs: its offset in the collapsed text, line and section."""

    start: int
    end: int
    line: int
    section: str
    section_title: str
    prefix: str
    suffix: str
    sentence: int  # index of the report sentence the quote starts in (1 = the first)


class Report:
    """The report text, collapsed for matching, with its numbered sections."""

    def __init__(self, text: str):
        self.text = text
        self.sections = _sections(text)
        pieces, offsets = [], []  # collapsed text, and for each of its chars the raw offset
        for token in re.finditer(r"\S+", text):
            if pieces:
                pieces.append(" ")
                offsets.append(token.start())
            pieces.append(token.group())
            offsets.extend(range(token.start(), token.end()))
        self.collapsed = "".join(pieces)
        self._raw_offset = offsets
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._section_lines = [s.line for s in self.sections]
        self._sentence_starts = [0] + [
            m.end()
            for m in SENTENCE_START.finditer(self.collapsed)
            if not ABBREVIATION.search(self.collapsed, max(0, m.start() - 6), m.start())
        ]

    def line_of(self, raw_offset: int) -> int:
        return bisect.bisect_right(self._line_starts, raw_offset)

    def line_at(self, offset: int) -> int:
        """The line (1 = the first) of the raw text holding this offset of the collapsed text.

        >>> r = Report("one\\n  two   three\\nfour")
        >>> [r.line_at(r.collapsed.find(w)) for w in ("one", "three", "four")]
        [1, 2, 3]
        """
        return self.line_of(self._raw_offset[offset])

    def section_at(self, line: int) -> Section | None:
        index = bisect.bisect_right(self._section_lines, line) - 1
        return self.sections[index] if index >= 0 else None

    def sentence_at(self, offset: int) -> int:
        """The sentence (1 = the first) holding this offset of the collapsed text.

        Two quotes of one sentence, however long, give the same number: a network tie is
        weighed by the sentences that state it, not by how often they were quoted.

        >>> r = Report("One fact. Dr. Two facts, said twice.\\n\\uf0b7 A bullet")
        >>> words = ("One", "fact.", "Dr.", "said", "\\uf0b7 A bullet")
        >>> [r.sentence_at(r.collapsed.find(w)) for w in words]
        [1, 1, 2, 2, 3]
        """
        return bisect.bisect_right(self._sentence_starts, offset)

    def sentence_starts(self) -> list[int]:
        """Offsets in the collapsed text where each sentence starts, in order (0 first)."""
        return sorted(set(self._sentence_starts))

    def find(self, quote: str) -> list[Match]:
        """Every place the quote occurs, in text order."""
        needle = collapse(quote)
        if not needle:
            return []
        matches, start = [], self.collapsed.find(needle)
        while start != -1:
            end = start + len(needle)
            line = self.line_at(start)
            section = self.section_at(line)
            matches.append(
                Match(
                    start=start,
                    end=end,
                    line=line,
                    section=section.number if section else "",
                    section_title=section.title if section else "",
                    prefix=self.collapsed[max(0, start - CONTEXT_CHARS) : start].lstrip(),
                    suffix=self.collapsed[end : end + CONTEXT_CHARS].rstrip(),
                    sentence=self.sentence_at(start),
                )
            )
            start = self.collapsed.find(needle, start + 1)
        return matches

    def contains(self, words: str) -> bool:
        return bool(words.strip()) and collapse(words) in self.collapsed


def _sections(text: str) -> list[Section]:
    """The numbered headings, in order; a number that goes backwards is not a heading."""
    found: list[Section] = []
    for m in HEADING.finditer(text):
        number, title = m.group(1), m.group(2).strip()
        if not title[0].isupper():
            continue
        key = tuple(int(p) for p in number.split("."))
        if found and key <= tuple(int(p) for p in found[-1].number.split(".")):
            continue
        line = text.count("\n", 0, m.start()) + 1
        found.append(Section(number, title, line))
    return found


@dataclass(frozen=True)
class Source:
    """One report: its text, its manifest (title, publisher, date, IRI id, sha256) and its
    id (the name of its folder, ``data/reports/<id>/``)."""

    path: Path
    manifest: dict
    report: Report
    report_id: str = ""

    @property
    def document_id(self) -> str:
        return self.manifest["id"]


def document_id_of(report_id: str) -> str:
    """The local name of a report's document node: ``report-<report id>``."""
    return f"report-{report_id}"


def load_source(source_dir: Path) -> Source:
    """Read ``manifest.yaml`` and the text it names, refusing a text whose hash differs.

    The folder's name is the report's id, and the manifest's ``id`` must be
    ``report-<that name>``: one name for the report in folders, filters and IRIs.
    """
    manifest_path = source_dir / "manifest.yaml"
    try:
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{manifest_path}: missing; it names the report and its sha256") from exc
    except yaml.YAMLError as exc:
        raise SourceError(f"{manifest_path}: not valid YAML: {exc}") from exc
    for field in ("file", "sha256", "id", "title", "publisher", "date"):
        if field not in (manifest or {}):
            raise SourceError(f"{manifest_path}: field '{field}' is missing")
    wanted = document_id_of(source_dir.name)
    if manifest["id"] != wanted:
        raise SourceError(
            f"{manifest_path}: field 'id' is {manifest['id']!r}; the report in folder "
            f"{source_dir.name}/ has the id {wanted!r}"
        )
    path = source_dir / str(manifest["file"])
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: the report text named by {manifest_path} is missing") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != manifest["sha256"]:
        raise SourceError(
            f"{path}: sha256 is {digest}, but {manifest_path} records {manifest['sha256']}; "
            "the report text must stay byte-identical to the published copy"
        )
    return Source(
        path=path, manifest=manifest, report=Report(raw.decode("utf-8")), report_id=source_dir.name
    )
