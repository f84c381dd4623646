"""Run the analysis notebooks from their py:percent pairs, and compare outputs.

``python -m tests.notebooks`` (``make notebooks-outputs``) rewrites each
``notebooks/*.ipynb`` from its ``.py`` pair, executed top to bottom in a fresh kernel, so
the committed notebooks show current outputs. The tests use the same functions on a copy
in a temporary folder.
"""

from __future__ import annotations

import copy
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
TIMEOUT = 300  # seconds per cell

# what changes from run to run without the graph changing
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")
_TIMING = re.compile(r"\b\d+(\.\d+)?\s?(ms|µs|us|ns|s)\b")


def pairs() -> list[tuple[Path, Path]]:
    """(notebook, py:percent pair) for each notebook in notebooks/."""
    return [(nb, nb.with_suffix(".py")) for nb in sorted(NOTEBOOK_DIR.glob("*.ipynb"))]


def execute(notebook: nbformat.NotebookNode, workdir: Path) -> nbformat.NotebookNode:
    """Run a copy of the notebook top to bottom in a fresh kernel, in ``workdir``.

    The kernel is this environment's Python; no timing metadata is recorded, so the same
    graph gives the same file."""
    run = copy.deepcopy(notebook)
    saved = dict(os.environ)
    # the "python3" kernel starts `python` from PATH: make it this environment's Python;
    # charts use the kernel's inline backend whatever MPLBACKEND a shell sets
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(
            run,
            timeout=TIMEOUT,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return run


def normalize(text: str) -> str:
    return _TIMING.sub("<time>", _ADDRESS.sub("at 0x…", text))


def plain_outputs(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, normalized text) of every text/plain and stream output."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                text = output.text
            else:
                text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            if text:
                found.append((index, normalize(text)))
    return found


def problems(notebook: nbformat.NotebookNode) -> list[str]:
    """Errors and anything written to stderr (warnings), one line each."""
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index}: stderr: {output.text.strip()[:300]}")
    return found


def from_pair(py: Path) -> nbformat.NotebookNode:
    return jupytext.read(py)


def refresh(nb_path: Path) -> float:
    """Rewrite one notebook from its pair, executed; returns the run time in seconds."""
    notebook = from_pair(nb_path.with_suffix(".py"))
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:03d}"  # jupytext makes random ids: keep the file stable
    start = time.perf_counter()
    run = execute(notebook, nb_path.parent)
    seconds = time.perf_counter() - start
    if problems(run):
        raise SystemExit(f"{nb_path.name}: " + "; ".join(problems(run)))
    jupytext.write(run, nb_path, fmt="ipynb")
    return seconds


if __name__ == "__main__":
    for py in sorted(NOTEBOOK_DIR.glob("*.py")):
        nb_path = py.with_suffix(".ipynb")
        print(f"{nb_path.name}: executed in {refresh(nb_path):.1f} s")
