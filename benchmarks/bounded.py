"""What do bounded queries cost? The catalog with each query in a killable child process.

Run: ``python benchmarks/bounded.py --repeat 5``. Every query of copgraph runs in a child
process forked from the one holding the store (``copgraph.worker``), so that a time
limit, Ctrl-C and a memory limit can stop it, and Oxigraph's child cannot open a
socket. This prints, per store, the median time of the whole named-query catalog with
the child process and without it (the query in this process, unbounded), and the raw
stores' own time for the same queries (pyoxigraph ``Store.query`` and rdflib
``Graph.query``, results read in full), all in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from copgraph import worker
from copgraph.build import ensure_built
from copgraph.catalog import bind_values, load_catalog
from copgraph.kg import open_graph
from copgraph.namespaces import sparql_prologue

PARAMS = {"org": "itu", "country": "MN", "topic": "cyberbullying", "subject": "itu"}


def catalog_texts(kg) -> list[str]:
    """Each named query's text with its required parameters bound, as the store gets it."""
    texts = []
    for named in load_catalog().values():
        params = {p.name: PARAMS[p.name] for p in named.params if p.required}
        bindings = {f"p_{k}": v for k, v in kg.bind(named, params).items()}
        texts.append(bind_values(sparql_prologue() + named.text, bindings))
    return texts


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median taken)")
    args = parser.parse_args()
    nt = ensure_built()
    folder = Path(tempfile.mkdtemp()) / "store"
    open_graph(f"oxigraph:{folder}").close()
    raw_ox = ox.Store()
    raw_ox.bulk_load(nt.read_bytes(), format=ox.RdfFormat.N_TRIPLES)
    raw_rdflib = Graph().parse(nt, format="nt")
    raw = {
        "rdflib": lambda q: list(raw_rdflib.query(q)),
        "oxigraph": lambda q: list(raw_ox.query(q)),
        "oxigraph:FOLDER": lambda q: list(ox.Store.read_only(str(folder)).query(q)),
    }
    print(f"{'store':<18}{'raw s':>9}{'in-process s':>14}{'child s':>10}{'child/raw':>11}")
    for label, spec in (
        ("rdflib", "rdflib"),
        ("oxigraph", "oxigraph"),
        ("oxigraph:FOLDER", f"oxigraph:{folder}"),
    ):
        kg = open_graph(spec)
        texts = catalog_texts(kg)
        store = kg.store
        run_store = lambda store=store, texts=texts: [store.select(t) for t in texts]  # noqa: E731
        child = timed(run_store, args.repeat)
        fork = worker.can_fork
        worker.can_fork = lambda: False  # the same code, the query in this process
        try:
            inline = timed(run_store, args.repeat)
        finally:
            worker.can_fork = fork
        base = timed(lambda run=raw[label], texts=texts: [run(t) for t in texts], args.repeat)
        print(f"{label:<18}{base:>9.3f}{inline:>14.3f}{child:>10.3f}{child / base:>11.2f}")
        kg.close()
    print(f"({len(texts)} queries a run)")


if __name__ == "__main__":
    main()
