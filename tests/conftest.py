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
#: The real report, in its folder; the tests' throw-away projects hold a copy of its text.
REPORT_ID = "cop-ap-2023"
REPORT_DIR = ROOT / "data" / "reports" / REPORT_ID
REPORT_TEXT = REPORT_DIR / "cop-asia-pacific-concluding-workshop-2023.txt"


def curated_of(root: Path) -> Path:
    """The curated folder of the real report's copy in a throw-away project."""
    return root / "data" / "reports" / REPORT_ID / "curated"


def new_project(root: Path, keep_curated: bool = False) -> Path:
    """A project at ``root``: the ontology and the real report's text and manifest, with an
    empty curated folder, or with the real curated records and shared entities."""
    shutil.copytree(ROOT / "ontology", root / "ontology")
    report = root / "data" / "reports" / REPORT_ID
    report.mkdir(parents=True)
    for name in ("manifest.yaml", REPORT_TEXT.name):
        shutil.copy2(REPORT_DIR / name, report / name)
    if keep_curated:
        shutil.copytree(REPORT_DIR / "curated", report / "curated")
        shutil.copytree(ROOT / "data" / "shared", root / "data" / "shared")
    else:
        (report / "curated").mkdir()
    return root


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
    """A project of one report (the real report's text) whose curated files are given."""

    made = []

    def make(curated: dict[str, str] | None = None, keep_curated: bool = False) -> Path:
        made.append(1)
        root = new_project(tmp_path / f"project-{len(made)}", keep_curated)
        for name, text in (curated or {}).items():
            (curated_of(root) / name).write_text(text, encoding="utf-8")
        return root

    return make


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the real ``copgraph`` command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "copgraph", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def paths_for(root: Path) -> Paths:
    return Paths(root=root)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on 127.0.0.1 (the `oxigraph` package), stopped after."""
    import time
    import urllib.request

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        if IN_CI:
            pytest.fail("the oxigraph server binary is missing (pip install oxigraph)")
        pytest.skip("the oxigraph server binary is missing (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the oxigraph server did not answer within 10 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
