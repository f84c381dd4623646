"""Progress shows on a terminal and nowhere else: pipes, logs and CI get clean output."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios

from copgraph.build import progress
from copgraph.build.progress import progress_bar, status

from .conftest import REPORT_ID, ROOT
from .test_build import COUNTRY


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_counts_the_items_on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    screen = Terminal()
    assert list(progress_bar(range(3), "converting records", stream=screen)) == [0, 1, 2]
    assert "converting records" in screen.getvalue()
    assert "0/3" in screen.getvalue()  # the count of items, drawn at the start


def test_nothing_is_written_when_the_stream_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    log = io.StringIO()
    assert list(progress_bar(range(3), "converting records", stream=log)) == [0, 1, 2]
    with status("SHACL", stream=log):
        pass
    assert log.getvalue() == ""


def build_stderr(root, terminal: bool) -> str:
    """``copgraph build`` on ROOT, its stderr a pseudo-terminal or a pipe; what it wrote."""
    command = [sys.executable, "-m", "copgraph", "build", "--root", str(root)]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stderr
    main, child = pty.openpty()
    # a new pseudo-terminal is 0 columns wide, where a bar has no room: make it 100 x 30
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child, cwd=ROOT)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert process.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_build_shows_shacl_progress_on_a_terminal_only(project):
    root = project({"countries.yaml": COUNTRY})
    # the report being validated and its records (1: the country); the shared entities too
    assert f"{REPORT_ID}: 1 records, SHACL" in build_stderr(root, terminal=True)
    (root / "data" / "build").rename(root / "previous")  # build again from scratch
    piped = build_stderr(root, terminal=False)
    assert "records, SHACL" not in piped and "\r" not in piped
