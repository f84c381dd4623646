"""Where a build's inputs and outputs live, and a digest of everything it is built from."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from copgraph.records import curated_files

ROOT = Path(__file__).resolve().parents[2]  # the checkout, when run from one
#: What an installed wheel carries instead: ontology/ and data/ (see setup.py).
BUNDLED_ROOT = Path(__file__).resolve().parents[1] / "project"


def is_project(folder: Path) -> bool:
    return (folder / "ontology" / "copgraph.ttl").is_file() and (folder / "data").is_dir()


def default_root() -> Path:
    """The project folder: $COPGRAPH_ROOT if set, else this checkout, else the copy of the
    ontology and data an installed wheel carries. Read when a Paths is made, not at import."""
    env = os.environ.get("COPGRAPH_ROOT")
    if env:
        return Path(env).resolve()
    return ROOT if is_project(ROOT) or not is_project(BUNDLED_ROOT) else BUNDLED_ROOT


def cache_dir() -> Path:
    """Where an installed copgraph writes its built graph: $XDG_CACHE_HOME/copgraph/VERSION.

    The package folder may be read-only (a system install); the cache is the user's.
    """
    from copgraph import __version__

    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "copgraph" / __version__ / "build"


@dataclass(frozen=True)
class Paths:
    """Where the inputs and outputs live; defaults to this checkout's folders.

    ``data/reports/<id>/`` holds one report each (manifest.yaml, its text, curated/*.yaml);
    ``data/shared/*.yaml`` the entities several reports share. A root holding a single
    report folder is a project like any other (the tests build such roots).
    """

    root: Path = field(default_factory=default_root)
    reports: Path | None = None
    shared: Path | None = None
    ontology: Path | None = None
    out: Path | None = None

    @property
    def reports_dir(self) -> Path:
        return self.reports or self.root / "data" / "reports"

    @property
    def shared_dir(self) -> Path:
        return self.shared or self.root / "data" / "shared"

    def report_dir(self, report_id: str) -> Path:
        return self.reports_dir / report_id

    def report_dirs(self) -> list[Path]:
        """Every report folder, sorted by report id (the folder's name)."""
        if not self.reports_dir.is_dir():
            return []
        return sorted(p for p in self.reports_dir.iterdir() if p.is_dir())

    @property
    def ontology_dir(self) -> Path:
        return self.ontology or self.root / "ontology"

    @property
    def out_dir(self) -> Path:
        if self.out:
            return self.out
        return cache_dir() if self.root == BUNDLED_ROOT else self.root / "data" / "build"


def code_files() -> list[Path]:
    """The build's own code: a change to it changes every report's triples."""
    package = Path(__file__).resolve().parents[1]
    return sorted((package / "build").glob("*.py")) + [
        package / name for name in ("records.py", "evidence.py", "namespaces.py")
    ]


def report_inputs(report_dir: Path) -> list[Path]:
    """The files one report's triples depend on, besides the shared entities, the ontology
    and the code: its manifest, its text, its curated YAML (draft/ is never read)."""
    return sorted(p for p in report_dir.glob("*") if p.is_file()) + curated_files(
        report_dir / "curated"
    )


def shared_inputs(paths: Paths) -> list[Path]:
    """The shared entities' files (their quotes name reports: those reports' manifests and
    texts are inputs of the shared triples too, see ``report_inputs``)."""
    return curated_files(paths.shared_dir) if paths.shared_dir.is_dir() else []


def input_files(paths: Paths) -> list[Path]:
    """Everything the graph is built from: reports, shared entities, ontology, build code."""
    reports = [f for folder in paths.report_dirs() for f in report_inputs(folder)]
    return reports + shared_inputs(paths) + sorted(paths.ontology_dir.rglob("*.ttl")) + code_files()


def inputs_digest(paths: Paths | None = None) -> str:
    """A digest of everything the graph is built from: data, ontology and build code."""
    paths = paths or Paths()
    digest = hashlib.sha256()
    for path in input_files(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:  # a folder or unreadable file: the build will say which
            body = f"<{type(exc).__name__}>".encode()
        name = path.relative_to(paths.root) if path.is_relative_to(paths.root) else path.name
        digest.update(str(name).encode() + b"\0" + body + b"\0")
    return digest.hexdigest()
