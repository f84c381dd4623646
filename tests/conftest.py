"""Shared fixtures: the built report graph, and throw-away project roots for bad input.

Tests write only to temporary folders: the default project root (where a build writes
data/build) is a copy of this checkout's inputs in a temporary folder, set as
$COPGRAPH_ROOT before copgraph is imported (``Paths()`` defaults are made at import) and
inherited by every command a test starts.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

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


def _session_root() -> Path:
    """A copy of the checkout's inputs, removed when the process that made it exits."""
    root = Path(tempfile.mkdtemp(prefix="copgraph-tests-"))
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("build"))
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(root, ignore_errors=True))
    return root


os.environ["COPGRAPH_ROOT"] = str(_session_root())

from copgraph.build import Paths, build_graph  # noqa: E402 - after COPGRAPH_ROOT is set


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


class CliResult:
    """What a command gave: ``returncode``, ``stdout`` and ``stderr``, as a process's."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> CliResult:
    """Run the ``copgraph`` command in this process (click's CliRunner).

    An exception the command did not turn into a message and an exit code is raised here,
    so a test sees the traceback a user would have seen.
    """
    from click.testing import CliRunner

    from copgraph.cli import main

    with contextlib.chdir(cwd or ROOT):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliResult(result.exit_code, result.stdout, result.stderr)


def run_process(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``copgraph`` command in its own process: only where a test needs one
    (a hash seed, a real exit, a signal)."""
    return subprocess.run(
        [sys.executable, "-m", "copgraph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
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
    from copgraph.worker import _die_with_parent

    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent,  # no server left behind by a test process killed
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


@contextmanager
def running_server(*args: str, root: Path | None = None, started_within: float = 120.0):
    """`copgraph serve --port 0 ARGS` in a subprocess, as a user starts it: yields
    (base URL, process) once it answers, and stops it after."""
    import tempfile
    import time
    import urllib.request

    command = [sys.executable, "-m", "copgraph", "serve", "--port", "0", *args]
    if root is not None:
        command += ["--root", str(root)]
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=ROOT
        )
        try:
            deadline = time.monotonic() + started_within
            line = _read_line(process, deadline)
            match = re.search(r"(http://\S+/) ", line)
            if match is None:
                errors.seek(0)
                raise RuntimeError(f"copgraph serve did not start: {line!r} {errors.read()}")
            url = match.group(1)
            while True:
                try:
                    urllib.request.urlopen(url, timeout=5).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        errors.seek(0)
                        raise RuntimeError(f"{url} did not answer: {errors.read()}") from None
                    time.sleep(0.1)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _read_line(process, deadline: float) -> str:
    import selectors
    import time

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.5):
                return process.stdout.readline()
            if process.poll() is not None:
                return ""
    return ""


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None, method=None):
    """(status, headers, body) of one request; HTTP errors are answers here, not raised."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
