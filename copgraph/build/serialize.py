"""The built graph as files: sorted N-Triples, Turtle, JSON-LD, written atomically with a stamp."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph

from copgraph.namespaces import PREFIXES, bind_prefixes


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted: byte-identical for the same graph."""
    # split on "\n" only: str.splitlines() would also cut a literal holding U+2028, U+0085,
    # \x0b, \x0c or \x1c, which the N-Triples writer leaves unescaped
    lines = graph.serialize(format="nt").split("\n")
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_turtle(graph: Graph) -> str:
    # rdflib's Turtle writer sorts subjects and predicates; parse from sorted N-Triples so
    # that nothing else (insertion order, hash seeds) can reach the output.
    ordered = bind_prefixes(Graph())
    ordered.parse(data=to_ntriples(graph), format="nt")
    return ordered.serialize(format="turtle")


def context() -> dict:
    return {"@context": {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}}


def to_jsonld(graph: Graph) -> str:
    """JSON-LD with copgraph's context inline, nodes and values in a fixed order."""
    data = json.loads(graph.serialize(format="json-ld", context=context()["@context"]))
    nodes = data.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    data["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


OUTPUT_NAMES = ("copgraph.ttl", "copgraph.nt", "copgraph.jsonld", "context.jsonld")
STAMP = "stamp.json"


class OutputError(Exception):
    """The built graph could not be written (folder not writable, disk full ...)."""


def write_outputs(graph: Graph, out_dir: Path, digest: str | None = None) -> dict[str, Path]:
    """Write every output atomically, then the stamp that covers inputs and outputs.

    Every file is first written in full to a temporary file in the same folder and
    fsynced; only when all of them are written are they renamed into place, so a full
    disk or an error leaves the previous files untouched, and a reader sees an old file
    or a new one, never half of one. The stamp comes last: a build killed between the
    renames leaves a stamp that does not match the outputs, and the next query rebuilds
    instead of trusting them.
    """
    files = {
        "copgraph.ttl": to_turtle(graph),
        "copgraph.nt": to_ntriples(graph),
        "copgraph.jsonld": to_jsonld(graph),
        "context.jsonld": json.dumps(context(), indent=1, sort_keys=True) + "\n",
    }
    data = {name: text.encode("utf-8") for name, text in files.items()}
    stamp = {
        "inputs": digest,
        "outputs": {name: hashlib.sha256(body).hexdigest() for name, body in data.items()},
    }
    staged: dict[str, str] = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        for name, body in data.items():
            staged[name] = _stage(out_dir / name, body)
        for name, temporary in list(staged.items()):
            os.replace(temporary, out_dir / name)
            del staged[name]
        write_atomic(out_dir / STAMP, (json.dumps(stamp, indent=1, sort_keys=True) + "\n").encode())
        _fsync_folder(out_dir)
    except OSError as exc:
        raise OutputError(os_error_message("cannot write the graph", exc, out_dir)) from None
    finally:
        for temporary in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return {name: out_dir / name for name in data}


def _stage(path: Path, body: bytes) -> str:
    """Write ``body`` in full to a fsynced temporary file beside ``path``; its name."""
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
    return handle.name


def write_atomic(path: Path, body: bytes) -> None:
    """Temporary file in the same folder, fsync, rename: all of ``body`` or nothing."""
    temporary = _stage(path, body)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _remove_leftovers(folder: Path, older_than: float = 600.0) -> None:
    """Delete temporary files a killed build left (old ones only: another build may be
    writing the fresh ones right now)."""
    import time

    for leftover in folder.glob(".*.part"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > older_than:
                leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (where the platform lets a folder be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def os_error_message(what: str, exc: OSError, where: Path | None = None) -> str:
    """One line for an OSError: what failed, on which file, and the system's reason."""
    target = exc.filename or where
    reason = exc.strerror or str(exc)
    return f"{what}: {target}: {reason}" if target else f"{what}: {reason}"


def read_stamp(out_dir: Path) -> dict | None:
    try:
        stamp = json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stale_reason(out_dir: Path, digest: str) -> str | None:
    """Why the built graph in ``out_dir`` cannot be served as it is, or None if it can."""
    stamp = read_stamp(out_dir)
    if stamp is None:
        return "no complete build yet"
    if stamp.get("inputs") != digest:
        return "a report, the shared entities, the ontology or the build code changed"
    expected = (stamp.get("outputs") or {}).get("copgraph.nt")
    try:
        actual = hashlib.sha256((out_dir / "copgraph.nt").read_bytes()).hexdigest()
    except OSError:
        return "copgraph.nt is missing"
    if actual != expected:
        return "copgraph.nt is incomplete or was changed after the build"
    return None
