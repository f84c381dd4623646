"""A per-report cache of converted, validated triples, so that a build redoes only what changed.

Each report (and the shared entities) is a unit whose sorted N-Triples are a function of
its own files, the shared entities, the ontology and shapes, and the build code. The cache
keeps, per unit, those N-Triples and a small JSON record (the key they were made from,
their sha256 and whatever the build needs to check references across units); a unit whose
key matches and whose file is intact is reused without reading its YAML or text again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from copgraph.build.serialize import OutputError, os_error_message, write_atomic

#: The cache's folder under the build folder.
FOLDER = "reports"


def files_digest(files: list[Path], base: Path | None = None) -> str:
    """sha256 over each file's name (relative to ``base``) and bytes, in the order given."""
    digest = hashlib.sha256()
    for path in files:
        name = str(path.relative_to(base)) if base else path.name
        try:
            body = path.read_bytes()
        except OSError as exc:  # the build itself says what is wrong with it
            body = f"<{type(exc).__name__}>".encode()
        digest.update(name.encode() + b"\0" + hashlib.sha256(body).digest())
    return digest.hexdigest()


def unit_key(own: str, *context: str) -> str:
    """The key of one unit: its own files' digest and its context's (shared entities,
    ontology and shapes, build code), each a hex digest."""
    return hashlib.sha256("\n".join((own, *context)).encode()).hexdigest()


@dataclass(frozen=True)
class Cached:
    """A unit's triples in the cache, and what was recorded beside them."""

    ntriples: Path
    meta: dict


def _paths(cache_dir: Path, name: str) -> tuple[Path, Path]:
    return cache_dir / f"{name}.nt", cache_dir / f"{name}.json"


def load(cache_dir: Path, name: str, key: str) -> Cached | None:
    """The unit's cached triples if they were made from ``key`` and are intact, else None."""
    ntriples, record = _paths(cache_dir, name)
    try:
        meta = json.loads(record.read_text(encoding="utf-8"))
        body = ntriples.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("key") != key:
        return None
    if meta.get("sha256") != hashlib.sha256(body).hexdigest():
        return None  # truncated or edited after it was written
    return Cached(ntriples, meta)


def save(cache_dir: Path, name: str, key: str, lines: list[bytes], meta: dict) -> Cached:
    """Keep a unit's sorted N-Triples lines and ``meta`` (JSON) under ``key``."""
    ntriples, record = _paths(cache_dir, name)
    body = b"".join(lines)
    full = {**meta, "key": key, "sha256": hashlib.sha256(body).hexdigest()}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(ntriples, body)
        write_atomic(record, (json.dumps(full, indent=1, sort_keys=True) + "\n").encode())
    except OSError as exc:
        raise OutputError(os_error_message("cannot write the graph", exc, cache_dir)) from None
    return Cached(ntriples, full)
