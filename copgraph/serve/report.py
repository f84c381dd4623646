"""The report's text, line by line, with every quoted span marked.

Each quote (a ``cg:Evidence`` node) is found in the text where the graph says it is (its
line), and the text is cut into segments where a quote starts or ends: a segment carries
the quotes that cover it and whether any of them states a fact (a ``cg:Fact`` cites it).
A quote that only introduces a node (no ``cg:Fact``) and a line that no quote touches are
visible as such, so a curator sees what the graph does not yet hold.

>>> from copgraph.evidence import Report
>>> lines = layout(Report("One fact here.\\nAnd none."), [
...     {"evidence": "urn:e1", "exact": "fact here", "line": 1, "facts": 1}])
>>> [(s.text, s.evidence) for s in lines[0].segments]
[('One ', ()), ('fact here', ('urn:e1',)), ('.', ())]
>>> lines[1].quoted
False
"""

from __future__ import annotations

from dataclasses import dataclass

from copgraph.evidence import Report


@dataclass(frozen=True)
class Segment:
    text: str
    evidence: tuple[str, ...]  # IRIs of the quotes that cover it, sorted
    states_fact: bool  # one of them is cited by a cg:Fact


@dataclass(frozen=True)
class Line:
    number: int
    segments: tuple[Segment, ...]
    section: str | None  # the section number when a numbered heading starts here

    @property
    def quoted(self) -> bool:
        return any(s.evidence for s in self.segments)


def spans(report: Report, quotes: list[dict]) -> list[tuple[int, int, str, bool]]:
    """(start, end, evidence IRI, states a fact) in the raw text, for each quote found.

    A quote that occurs several times is placed at the occurrence on its own line.
    """
    found = []
    for quote in quotes:
        matches = report.find(str(quote["exact"]))
        if not matches:
            continue
        line = quote.get("line")
        match = next((m for m in matches if m.line == line), matches[0])
        start, end = report.raw_span(match)
        found.append((start, end, str(quote["evidence"]), bool(quote.get("facts"))))
    return found


def layout(report: Report, quotes: list[dict]) -> list[Line]:
    """Every line of the report cut into segments by the quotes that cover them."""
    text = report.text
    placed = spans(report, quotes)
    cuts = {0, len(text)}
    for start, end, _, _ in placed:
        cuts.update((start, end))
    pos = 0
    for piece in text.split("\n")[:-1]:
        pos += len(piece) + 1
        cuts.add(pos - 1)  # the newline is a segment of its own, then dropped
        cuts.add(pos)
    bounds = sorted(cuts)
    # the quotes covering each elementary segment: a sweep over starts and ends
    starts: dict[int, list] = {}
    for item in placed:
        starts.setdefault(item[0], []).append(item)
    active: list = []
    headings = {s.line: s.number for s in report.sections}
    lines: list[Line] = []
    current: list[Segment] = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        active = [a for a in active if a[1] > left] + starts.get(left, [])
        piece = text[left:right]
        if piece == "\n":
            number = len(lines) + 1
            lines.append(Line(number, tuple(current), headings.get(number)))
            current = []
            continue
        evidence = tuple(sorted({a[2] for a in active}))
        current.append(Segment(piece, evidence, any(a[3] for a in active)))
    number = len(lines) + 1
    lines.append(Line(number, tuple(current), headings.get(number)))
    return lines
