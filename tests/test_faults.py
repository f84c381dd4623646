"""Fault injection: builds killed at random moments, a disk that fills up.

After every fault, each query either answers from a complete graph or fails with one
clear line; the files in data/build are always whole (the old ones or the new ones).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copgraph.build import STAMP, Paths, ensure_built

from .conftest import curated_of, new_project
from .test_reliability import COUNTRY, EVENT

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
OUTPUTS = ("copgraph.nt", "copgraph.ttl", "copgraph.jsonld", "context.jsonld")
SEED = int(os.environ.get("COPGRAPH_FAULT_SEED", time.time_ns() % 100_000))


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "copgraph", *args]


def query_count(root: Path, limit: str | None = None) -> subprocess.CompletedProcess:
    args = command("sparql", "--root", str(root), "--format", "csv", COUNT)
    if limit:  # a file size quota for the process, in KiB (bash's ulimit -f)
        args = ["bash", "-c", f'ulimit -f {limit}; exec "$@"', "copgraph", *args]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


@pytest.fixture
def two_versions(tmp_path):
    """A built project, and for each output its bytes before and after a data change."""
    root = tmp_path / "project"
    curated = curated_of(new_project(root))
    (curated / "events.yaml").write_text(EVENT, encoding="utf-8")
    (curated / "countries.yaml").write_text(COUNTRY, encoding="utf-8")
    out = root / "data" / "build"
    paths = Paths(root=root)
    ensure_built(paths)
    old = {name: (out / name).read_bytes() for name in (*OUTPUTS, STAMP)}
    (curated / "countries.yaml").write_text(
        COUNTRY.replace("label: Fiji", "label: Republic of Fiji"), encoding="utf-8"
    )
    ensure_built(paths)
    new = {name: (out / name).read_bytes() for name in (*OUTPUTS, STAMP)}
    assert old["copgraph.nt"] != new["copgraph.nt"]
    return root, old, new


def restore(out: Path, files: dict[str, bytes]) -> None:
    for name, body in files.items():
        (out / name).write_bytes(body)


def kill_build(root: Path, delay: float, after_checks: bool) -> None:
    """Start copgraph build; SIGKILL it ``delay`` s after start (or after its checks)."""
    process = subprocess.Popen(
        command("build", "--root", str(root)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if after_checks:  # the checks end with "checked in ...": the writing comes next
        for line in process.stderr:
            if line.startswith("checked in"):
                break
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def test_a_build_killed_at_random_moments_never_leaves_a_partial_graph(two_versions):
    root, old, new = two_versions
    out = root / "data" / "build"
    rng = random.Random(SEED)
    moments = [(rng.uniform(0.2, 5.0), False) for _ in range(3)]
    moments += [(rng.uniform(0.0, 0.4), True) for _ in range(4)]
    for delay, after_checks in moments:
        restore(out, old)
        kill_build(root, delay, after_checks)
        for name in OUTPUTS:
            body = (out / name).read_bytes()
            assert body in (old[name], new[name]), (
                f"{name} is neither the old nor the new file after a kill at {delay:.2f} s "
                f"(after checks: {after_checks}; seed {SEED})"
            )
    result = query_count(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[1] == str(new["copgraph.nt"].count(b"\n"))
    assert (out / "copgraph.nt").read_bytes() == new["copgraph.nt"]


def test_every_query_after_a_killed_build_answers_from_a_complete_graph(two_versions):
    root, old, new = two_versions
    out = root / "data" / "build"
    rng = random.Random(SEED + 1)
    for delay in (rng.uniform(0.0, 0.3), rng.uniform(0.0, 0.3)):
        restore(out, old)
        kill_build(root, delay, after_checks=True)
        result = query_count(root)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
        assert result.stdout.split("\n")[1] == str(new["copgraph.nt"].count(b"\n")), SEED


def test_a_full_disk_fails_the_build_with_one_line_and_keeps_the_graph(two_versions):
    root, old, new = two_versions
    out = root / "data" / "build"
    restore(out, old)
    quota = str(len(old["copgraph.nt"]) // 1024 // 2)  # half of the graph fits
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'ulimit -f {quota}; exec "$@"',
            "copgraph",
            *command("build", "--root", str(root)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "cannot write the graph" in result.stderr and "File too large" in result.stderr
    assert {name: (out / name).read_bytes() for name in old} == old
    assert not list(out.glob(".*.part")), "the temporary file is removed"


def test_a_query_that_must_rebuild_on_a_full_disk_fails_then_recovers(two_versions):
    root, old, new = two_versions
    out = root / "data" / "build"
    restore(out, old)  # the data changed since: the query must rebuild, and cannot write
    quota = str(len(old["copgraph.nt"]) // 1024 // 2)
    result = query_count(root, limit=quota)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "cannot write the graph" in result.stderr
    assert result.stdout == "", "no answer from a graph that could not be written"
    recovered = query_count(root)
    assert recovered.returncode == 0, recovered.stderr
    assert recovered.stdout.split("\n")[1] == str(new["copgraph.nt"].count(b"\n"))
