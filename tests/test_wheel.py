"""An installed wheel works outside the checkout: it carries the ontology and the data,
builds its graph into the user's cache and answers a named query from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.timeout(600)


def _tracked_files(tmp: Path) -> Path:
    """A copy of what git tracks (and the working tree holds), so building writes only there."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    copy = tmp / "checkout"
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            target = copy / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return copy


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    checkout = _tracked_files(tmp)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp / "dist"),
            str(checkout),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = (tmp / "dist").glob("copgraph-*.whl")
    return found


def test_the_wheel_carries_ontology_data_queries_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "copgraph/project/ontology/copgraph.ttl",
        "copgraph/project/ontology/shapes.ttl",
        "copgraph/queries/partners-of.rq",
        "copgraph/templates/network.html.j2",
    ):
        assert expected in names, expected
    assert any(n.startswith("copgraph/project/data/") and n.endswith(".yaml") for n in names)
    assert not any("/data/build/" in n for n in names), "the wheel must not ship a stale build"


def test_an_installed_wheel_answers_a_query_from_another_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # the dependencies come from the test environment, the package from the wheel only
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPGRAPH", "PYTHON"))}
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run(
        [str(venv / "bin" / "copgraph"), "query", "people", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "id:ajmal-anwar-awan,Ajmal Anwar Awan,Mr.,Member of International Cooperation"
        in result.stdout
    )
    where = subprocess.run(
        [str(python), "-c", "import copgraph; print(copgraph.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(site), f"ran the checkout's copgraph, not the wheel's: {where}"
    built = list((tmp_path / "cache" / "copgraph").glob("*/build/copgraph.nt"))
    assert built, "the graph was built into the user's cache"


def test_the_wheel_carries_every_template_and_query_of_copgraph_serve(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates/serve", "queries/serve"):
        files = sorted((ROOT / "copgraph" / folder).iterdir())
        assert files
        for path in files:
            assert f"copgraph/{folder}/{path.name}" in names, path
