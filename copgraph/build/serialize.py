"""The built graph as files: sorted N-Triples, Turtle, JSON-LD, written atomically with a stamp.

N-Triples is the master copy: one triple a line, sorted by the line's UTF-8 bytes, so the
same graph always gives the same bytes. Turtle and JSON-LD are streamed from it by
pyoxigraph's writers, which group a subject's consecutive triples: no pretty printer holds
the whole graph, and sorted input gives deterministic output. Sorted N-Triples files (one per
report) merge into one with a k-way merge, so a corpus never has to fit in memory at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from copgraph.namespaces import PREFIXES

#: How many sorted files one merge pass reads at once (each holds an open file).
MERGE_FAN_IN = 64


def ntriples_lines(graph: Graph) -> list[bytes]:
    """The graph's N-Triples lines (each ending in a newline), sorted by bytes.

    Byte order of UTF-8 is code point order, so this is also the order of the text lines.
    Split on "\\n" only: str.splitlines() would also cut a literal holding U+2028, U+0085,
    \\x0b, \\x0c or \\x1c, which rdflib's N-Triples writer leaves unescaped.
    """
    body = graph.serialize(format="nt", encoding="utf-8")
    return sorted(line + b"\n" for line in body.split(b"\n") if line.strip())


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted: byte-identical for the same graph."""
    return b"".join(ntriples_lines(graph)).decode("utf-8")


def merge_sorted(files: list[Path], out: BinaryIO) -> int:
    """Merge sorted N-Triples files into ``out``, each line once; the number of lines.

    Above MERGE_FAN_IN files, groups are merged into temporary files first, so the number
    of open files stays bounded whatever the number of reports.
    """
    files = list(files)
    with tempfile.TemporaryDirectory(prefix="copgraph-merge-") as scratch:
        round_ = 0
        while len(files) > MERGE_FAN_IN:
            merged = []
            for start in range(0, len(files), MERGE_FAN_IN):
                target = Path(scratch) / f"{round_}-{start}.nt"
                with open(target, "wb") as handle:
                    _merge(files[start : start + MERGE_FAN_IN], handle)
                merged.append(target)
            files, round_ = merged, round_ + 1
        return _merge(files, out)


def _merge(files: list[Path], out: BinaryIO) -> int:
    with contextlib.ExitStack() as stack:
        streams = [stack.enter_context(open(path, "rb")) for path in files]
        written, previous = 0, None
        for line in heapq.merge(*streams):
            if line != previous:
                out.write(line)
                written += 1
                previous = line
        return written


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def _triples(ntriples: BinaryIO | bytes) -> Iterator[ox.Triple]:
    return ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)


def write_turtle(ntriples: BinaryIO | bytes, out: BinaryIO) -> None:
    """Turtle streamed from sorted N-Triples: a subject's triples together, with prefixes."""
    ox.serialize(_triples(ntriples), out, ox.RdfFormat.TURTLE, prefixes=_prefixes())


def write_jsonld(ntriples: BinaryIO | bytes, out: BinaryIO) -> None:
    """JSON-LD (expanded form, full IRIs) streamed from sorted N-Triples: one node a subject."""
    ox.serialize(_triples(ntriples), out, ox.RdfFormat.JSON_LD)
    out.write(b"\n")


def to_turtle(graph: Graph) -> str:
    out = io.BytesIO()
    write_turtle(to_ntriples(graph).encode("utf-8"), out)
    return out.getvalue().decode("utf-8")


def to_jsonld(graph: Graph) -> str:
    out = io.BytesIO()
    write_jsonld(to_ntriples(graph).encode("utf-8"), out)
    return out.getvalue().decode("utf-8")


def context() -> dict:
    """copgraph's prefixes as a JSON-LD context, for tools that compact the JSON-LD."""
    return {"@context": _prefixes()}


OUTPUT_NAMES = ("copgraph.ttl", "copgraph.nt", "copgraph.jsonld", "context.jsonld")
STAMP = "stamp.json"


class OutputError(Exception):
    """The built graph could not be written (folder not writable, disk full ...)."""


def write_outputs(
    graph: Graph | Iterable[Path], out_dir: Path, digest: str | None = None
) -> dict[str, Path]:
    """Write every output atomically, then the stamp that covers inputs and outputs.

    ``graph`` is an rdflib Graph or sorted N-Triples files (one per report) to merge. The
    N-Triples is written first; Turtle and JSON-LD are streamed from it.

    Every file is first written in full to a temporary file in the same folder and
    fsynced; only when all of them are written are they renamed into place, so a full
    disk or an error leaves the previous files untouched, and a reader sees an old file
    or a new one, never half of one. The stamp comes last: a build killed between the
    renames leaves a stamp that does not match the outputs, and the next query rebuilds
    instead of trusting them.
    """
    if isinstance(graph, Graph):
        lines = ntriples_lines(graph)

        def write_nt(out: BinaryIO) -> None:
            out.writelines(lines)
    else:
        parts = list(graph)

        def write_nt(out: BinaryIO) -> None:
            merge_sorted(parts, out)

    staged: dict[str, str] = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staged["copgraph.nt"] = _stage(out_dir / "copgraph.nt", write_nt)
        for name, writer in (("copgraph.ttl", write_turtle), ("copgraph.jsonld", write_jsonld)):
            with open(staged["copgraph.nt"], "rb") as ntriples:
                staged[name] = _stage(out_dir / name, lambda out, w=writer, n=ntriples: w(n, out))
        body = (json.dumps(context(), indent=1, sort_keys=True) + "\n").encode()
        staged["context.jsonld"] = _stage(out_dir / "context.jsonld", lambda out: out.write(body))
        stamp = {
            "inputs": digest,
            "outputs": {name: _sha256(Path(staged[name])) for name in OUTPUT_NAMES},
        }
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
    return {name: out_dir / name for name in OUTPUT_NAMES}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stage(path: Path, write) -> str:
    """``write(file)`` in full into a fsynced temporary file beside ``path``; its name."""
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
    return handle.name


def write_atomic(path: Path, body: bytes) -> None:
    """Temporary file in the same folder, fsync, rename: all of ``body`` or nothing."""
    temporary = _stage(path, lambda out: out.write(body))
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
