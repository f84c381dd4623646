"""Render DataFrames for a terminal or a pipe: table, csv, json, markdown."""

from __future__ import annotations

import json
import shutil

import pandas as pd
from tabulate import tabulate

FORMATS = ("table", "csv", "json", "markdown")


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [
        ["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row]
        for row in frame.itertuples(index=False)
    ]


def render(frame: pd.DataFrame, fmt: str = "table", width: int | None = None) -> str:
    """Text for the frame; tables wrap long cells to the terminal and end with a row count."""
    if fmt == "csv":
        return frame.to_csv(index=False)
    if fmt == "json":
        records = [dict(zip(frame.columns, row, strict=True)) for row in _cells(frame)]
        records = [{k: (None if v == "" else v) for k, v in r.items()} for r in records]
        return json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "markdown":
        return tabulate(_cells(frame), headers=list(frame.columns), tablefmt="github") + "\n"
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
