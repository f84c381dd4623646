"""Shared fixtures: the built report graph, and throw-away project roots for bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from copgraph.build import Paths, build_graph

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def graph():
    """The whole built graph of the report (ontology included), validated."""
    return build_graph()


@pytest.fixture(scope="session")
def kg_rdflib():
    from copgraph.kg import open_graph

    return open_graph("rdflib")


@pytest.fixture(scope="session")
def kg_oxigraph():
    from copgraph.kg import open_graph

    return open_graph("oxigraph")


@pytest.fixture
def project(tmp_path):
    """A copy of the project's ontology and source with an empty curated folder."""

    made = []

    def make(curated: dict[str, str] | None = None, keep_curated: bool = False) -> Path:
        made.append(1)
        root = tmp_path / f"project-{len(made)}"
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "data" / "source", root / "data" / "source")
        if keep_curated:
            shutil.copytree(ROOT / "data" / "curated", root / "data" / "curated")
        else:
            (root / "data" / "curated").mkdir(parents=True)
        for name, text in (curated or {}).items():
            (root / "data" / "curated" / name).write_text(text, encoding="utf-8")
        return root

    return make


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the real ``copgraph`` command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "copgraph.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def paths_for(root: Path) -> Paths:
    return Paths(root=root)
