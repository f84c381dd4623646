"""Render DataFrames for a terminal or a pipe: table, csv, json, markdown.

Output is safe to open: a CSV cell a spreadsheet would run as a formula (one that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` as OWASP
recommends, unless ``raw`` is asked; Markdown cells escape ``|``, turn line breaks into
spaces, write ``<``, ``>`` and ``&`` as entities (no HTML) and backslash-escape what
Markdown would read as links or emphasis.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterable, Iterator

import pandas as pd
from tabulate import tabulate

FORMATS = ("table", "csv", "json", "markdown")


def _cells(frame: pd.DataFrame, text: bool = True) -> list[list[str]]:
    return [[_cell(v, text) for v in row] for row in frame.itertuples(index=False)]


def _cell(value: object, text: bool) -> object:
    """None and NaN as empty; in text, booleans as RDF writes them (tabulate's wrapping
    reads the text "False" as a Python bool and prints True)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if text and isinstance(value, bool):
        return "true" if value else "false"
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()|!])")


def csv_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, with a leading quote; others as-is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def markdown_safe(value: object) -> object:
    """A cell as Markdown text: no table break, no line break, no HTML, no link."""
    if not isinstance(value, str):
        return value
    flat = " ".join(value.splitlines())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def render(
    frame: pd.DataFrame, fmt: str = "table", width: int | None = None, raw: bool = False
) -> str:
    """Text for the frame; tables wrap long cells to the terminal and end with a row count."""
    if fmt == "csv":
        safe = frame if raw else frame.map(csv_safe)
        return safe.to_csv(index=False)
    if fmt == "json":
        records = [dict(zip(frame.columns, row, strict=True)) for row in _cells(frame, False)]
        records = [{k: (None if v == "" else v) for k, v in r.items()} for r in records]
        return json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "markdown":
        cells = [[markdown_safe(v) for v in row] for row in _cells(frame)]
        headers = [markdown_safe(str(c)) for c in frame.columns]
        return tabulate(cells, headers=headers, tablefmt="github", disable_numparse=True) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    width = width or shutil.get_terminal_size((160, 24)).columns
    cells = _cells(frame)
    text = tabulate(
        cells,
        headers=list(frame.columns),
        tablefmt="simple",
        maxcolwidths=column_widths(frame.columns, cells, width),
        disable_numparse=True,
    )
    rows = len(frame)
    return f"{text}\n({rows} row{'s' if rows != 1 else ''})\n"


def column_widths(headers, cells, width: int) -> list[int]:
    """Narrow columns keep their width; the long ones share what is left of the line."""
    natural = [
        max([len(str(h))] + [len(str(row[i])) for row in cells]) for i, h in enumerate(headers)
    ]
    budget = max(width - 2 * len(natural), 12 * len(natural))
    widths = list(natural)
    while sum(widths) > budget:
        wide = [i for i, w in enumerate(widths) if w > 12]
        if not wide:
            break
        share = max(
            12, (budget - sum(w for i, w in enumerate(widths) if i not in wide)) // len(wide)
        )
        changed = False
        for i in wide:
            if widths[i] > share:
                widths[i], changed = share, True
        if not changed:
            break
    return widths


def stream(
    columns: list[str],
    rows: Iterable[list],
    fmt: str,
    write,
    *,
    raw: bool = False,
    max_rows: int | None = None,
) -> tuple[int, bool]:
    """Write rows as they come (csv, json) or up to ``max_rows`` (table, markdown).

    Returns (rows written, whether rows were left out because of ``max_rows``).
    """
    if fmt == "csv":
        return _stream_csv(columns, rows, write, raw, max_rows)
    if fmt == "json":
        return _stream_json(columns, rows, write, max_rows)
    shown, more = [], False
    for row in rows:
        if max_rows is not None and len(shown) >= max_rows:
            more = True
            break
        shown.append(row)
    frame = pd.DataFrame(shown, columns=columns).astype(object)
    write(render(frame, fmt, raw=raw))
    return len(shown), more


def _limited(rows: Iterable[list], max_rows: int | None) -> Iterator[list]:
    for count, row in enumerate(rows):
        if max_rows is not None and count >= max_rows:
            raise _More
        yield row


class _More(Exception):
    pass


FLUSH_ROWS = 1000  # rows gathered before each write: one write a row is slow


def _stream_csv(columns, rows, write, raw, max_rows) -> tuple[int, bool]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    count, more = 0, False
    try:
        for row in _limited(rows, max_rows):
            cells = ["" if v is None else v for v in row]
            writer.writerow(cells if raw else [csv_safe(v) for v in cells])
            count += 1
            if count % FLUSH_ROWS == 0:
                write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
    except _More:
        more = True
    write(buffer.getvalue())
    return count, more


def _stream_json(columns, rows, write, max_rows) -> tuple[int, bool]:
    write("[")
    count, more = 0, False
    try:
        for row in _limited(rows, max_rows):
            record = {c: (None if v == "" else v) for c, v in zip(columns, row, strict=True)}
            body = json.dumps(record, ensure_ascii=False, indent=1, default=str)
            write(("," if count else "") + "\n " + body.replace("\n", "\n "))
            count += 1
    except _More:
        more = True
    write("\n]\n" if count else "]\n")
    return count, more
