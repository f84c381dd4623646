"""Progress of long build steps on stderr, only where someone watches it.

A bar (tqdm) appears when stderr is a terminal and a step lasts over a second; in a pipe,
a log file, CI or a notebook nothing is written, so output stays clean and deterministic.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")
#: Seconds before a bar shows: a quick step leaves no trace.
DELAY = 1.0


def _watched(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress_bar(
    items: Iterable[T],
    what: str,
    *,
    total: int | None = None,
    unit: str = "record",
    label: Callable[[T], str] | None = None,
    stream=None,
) -> Iterator[T]:
    """``items``, with a bar counting them on ``stream`` (stderr) when it is a terminal;
    ``label(item)`` names the item being worked on (a report's id) beside the bar."""
    stream = stream or sys.stderr
    if not _watched(stream):
        yield from items
        return
    bar = tqdm(items, desc=what, total=total, unit=unit, file=stream, delay=DELAY, leave=False)
    with bar:
        for item in bar:
            if label:
                bar.set_postfix_str(label(item), refresh=False)
            yield item


@contextmanager
def status(what: str, stream=None):
    """A one-step bar ('SHACL on report x ...'), for a step that cannot count its progress;
    shown at once (no delay: nothing would redraw it later), nothing when ``stream``
    (stderr) is not a terminal."""
    stream = stream or sys.stderr
    if not _watched(stream):
        yield
        return
    bar = tqdm(total=1, desc=what, file=stream, leave=False, bar_format="{desc} {elapsed}")
    with bar:
        yield
        bar.update(1)
