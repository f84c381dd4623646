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
    """Where the inputs and outputs live; defaults to this checkout's folders."""

    root: Path = field(default_factory=default_root)
    source: Path | None = None
    curated: Path | None = None
    ontology: Path | None = None
    out: Path | None = None

    @property
    def source_dir(self) -> Path:
        return self.source or self.root / "data" / "source"

    @property
    def curated_dir(self) -> Path:
        return self.curated or self.root / "data" / "curated"

    @property
    def ontology_dir(self) -> Path:
        return self.ontology or self.root / "ontology"

    @property
    def out_dir(self) -> Path:
        if self.out:
            return self.out
        return cache_dir() if self.root == BUNDLED_ROOT else self.root / "data" / "build"


def input_files(paths: Paths) -> list[Path]:
    """Everything the graph is built from: curated data, report, ontology, build code."""
    package = Path(__file__).resolve().parents[1]
    code = sorted((package / "build").glob("*.py")) + [
        package / name for name in ("records.py", "evidence.py", "namespaces.py")
    ]
    curated = curated_files(paths.curated_dir)
    return (
        curated
        + sorted(paths.source_dir.glob("*"))
        + sorted(paths.ontology_dir.rglob("*.ttl"))
        + code
    )


def inputs_digest(paths: Paths | None = None) -> str:
    """A digest of everything the graph is built from: data, ontology and build code."""
    paths = paths or Paths()
    digest = hashlib.sha256()
    for path in input_files(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:  # a folder or unreadable file: the build will say which
            body = f"<{type(exc).__name__}>".encode()
        digest.update(path.name.encode() + b"\0" + body + b"\0")
    return digest.hexdigest()
