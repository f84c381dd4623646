"""The analysis notebooks: paired with their py:percent text, run top to bottom in a fresh
kernel without an error or a warning, and committed with the outputs a fresh run gives."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest

from .notebooks import NOTEBOOK_DIR, execute, pairs, plain_outputs, problems

EXPECTED = {"programme_analysis", "sparql_tour"}
PAIRS = pairs()


def test_the_two_notebooks_each_with_its_text_pair():
    assert {nb.stem for nb, _ in PAIRS} == EXPECTED
    assert {py.stem for py in NOTEBOOK_DIR.glob("*.py")} == EXPECTED
    assert all(py.exists() for _, py in PAIRS)


@pytest.mark.parametrize("nb_path, py_path", PAIRS, ids=lambda p: p.name)
def test_pair_in_sync(nb_path: Path, py_path: Path):
    """The .py a reviewer reads in a diff holds exactly the notebook's cells."""

    def cells(notebook):
        return [(c.cell_type, c.source) for c in notebook.cells]

    assert cells(jupytext.read(py_path)) == cells(nbformat.read(nb_path, as_version=4)), (
        f"{nb_path.name} and {py_path.name} differ: run `make notebooks-outputs`"
    )


@pytest.mark.parametrize("nb_path", [nb for nb, _ in PAIRS], ids=lambda p: p.name)
def test_runs_clean_and_committed_outputs_are_current(nb_path: Path, tmp_path: Path):
    """Executed on a copy in a temporary folder: no error, nothing on stderr, and every
    text output (tables, numbers, conclusions) equal to the committed one."""
    copy = shutil.copy(nb_path, tmp_path / nb_path.name)
    committed = nbformat.read(copy, as_version=4)
    fresh = execute(committed, tmp_path)
    assert problems(fresh) == []
    old, new = plain_outputs(committed), plain_outputs(fresh)
    assert new, "the notebook produced no output"
    if old != new:
        where = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        was = old[where] if where < len(old) else (None, "(nothing)")
        now = new[where] if where < len(new) else (None, "(nothing)")
        pytest.fail(
            f"{nb_path.name}: the committed outputs are stale (run `make notebooks-outputs`); "
            f"first difference, cell {was[0] or now[0]}:\n--- committed\n{was[1][:800]}\n"
            f"--- fresh run\n{now[1][:800]}"
        )


@pytest.mark.parametrize("py_path", [py for _, py in PAIRS], ids=lambda p: p.name)
def test_notebooks_use_only_public_names(py_path: Path):
    """Notebooks are examples for users: no private helper of copgraph (a `_name`)."""
    tree = ast.parse(py_path.read_text(encoding="utf-8"))
    private = [
        f"line {node.lineno}: {name}"
        for node in ast.walk(tree)
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("copgraph")
            else [node.attr]
            if isinstance(node, ast.Attribute)
            else []
        )
        if name.startswith("_") and not name.endswith("__")
    ]
    assert private == []
