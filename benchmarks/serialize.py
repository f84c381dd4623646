"""How do the output writers grow? rdflib's pretty printers against the streaming writers.

Run: ``python benchmarks/serialize.py --scales 1,4,16,64 --repeat 3``. The built graph's
``id:`` nodes are copied k times under new IRIs (ontology and schemes shared). Each figure
runs in a fresh child process (median wall seconds of ``--repeat`` runs, and the child's
peak RSS), all in the same run:

- ``rdflib``: what the build did before: sorted N-Triples from the rdflib Graph, the graph
  re-parsed and written by rdflib's Turtle pretty printer, and rdflib's JSON-LD writer;
- ``stream``: the build's writers from the same rdflib Graph (sorted N-Triples, then
  pyoxigraph's Turtle and JSON-LD writers streaming from it);
- ``files``: the build's writers from a sorted N-Triples file, as the multi-report build
  uses them (no rdflib Graph at all): the floor of the output stage.

The rdflib Graph's parse is not timed, but its memory is in the peak of the first two.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import peak_mb  # noqa: E402  (benchmarks/ is not a package; one way to read it)

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/copgraph/id/"


def scaled(text: str, copies: int) -> str:
    prefix = f"<{ID}"
    lines = [line for line in text.splitlines() if line.strip()]
    own = [line for line in lines if prefix in line]
    out = [line for line in lines if prefix not in line] + own
    for k in range(1, copies):
        out += [line.replace(prefix, f"{prefix}copy{k}/") for line in own]
    return "\n".join(sorted(out)) + "\n"


def child(mode: str, nt: Path, out: Path) -> None:
    """Run one writer and print its wall seconds (graph parsing excluded)."""
    from rdflib import Graph

    from copgraph.build import serialize

    graph = None
    if mode in ("rdflib", "stream"):
        graph = Graph().parse(nt, format="nt")
    started = time.perf_counter()
    if mode == "rdflib":
        ordered = "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))
        again = Graph()
        for prefix, namespace in serialize.PREFIXES.items():
            again.bind(prefix, namespace)
        again.parse(data=ordered, format="nt")
        (out / "g.nt").write_text(ordered, encoding="utf-8")
        (out / "g.ttl").write_bytes(again.serialize(format="turtle", encoding="utf-8"))
        (out / "g.jsonld").write_bytes(
            graph.serialize(format="json-ld", context=serialize.context()["@context"]).encode()
        )
    elif mode == "stream":
        serialize.write_outputs(graph, out)
    else:
        serialize.write_outputs([nt], out)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


def measure(mode: str, nt: Path, repeat: int) -> tuple[float, float]:
    """Median seconds and the largest peak RSS (MB) over REPEAT child processes."""
    times, peaks = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(nt), out],
                capture_output=True,
                text=True,
                check=True,
            )
        figures = json.loads(done.stdout.splitlines()[-1])
        times.append(figures["seconds"])
        peaks.append(figures["peak_mb"])
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4,16,64")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-up-to", type=int, default=16, help="largest scale for rdflib")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    from copgraph.build import ensure_built

    text = ensure_built().read_text(encoding="utf-8")
    print("mode    scale   triples   seconds   peak MB   (median of", args.repeat, "runs)")
    with tempfile.TemporaryDirectory() as scratch:
        for scale in [int(s) for s in args.scales.split(",")]:
            nt = Path(scratch) / f"x{scale}.nt"
            nt.write_text(scaled(text, scale), encoding="utf-8")
            triples = sum(1 for _ in open(nt, "rb"))
            for mode in ("rdflib", "stream", "files"):
                if mode == "rdflib" and scale > args.rdflib_up_to:
                    continue
                seconds, peak = measure(mode, nt, args.repeat)
                print(f"{mode:<7}{scale:>6}{triples:>10}{seconds:>10.2f}{peak:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
