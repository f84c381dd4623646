"""What do bounded queries cost? The catalog with each query in a killable child process.

Run: ``python benchmarks/bounded.py --repeat 5``. Every query of copgraph runs in a child
process forked from the one holding the store (``copgraph.worker``), so that a time
limit, Ctrl-C and a memory limit can stop it, and Oxigraph's child cannot open a
socket. This prints, per store, the median time of the whole named-query catalog with
the child process and without it (the query in this process, unbounded), and the raw
stores' own time for the same queries (pyoxigraph ``Store.query`` and rdflib
``Graph.query``, results read in full), all in the same run.

A second table streams a large SELECT to CSV at 1x, 4x, 16x and 64x rows (15,625 to
1,000,000) through copgraph (worker, rows as they come) beside raw pyoxigraph (iterate,
csv.writer) and the buffered DataFrame path (``kg.sparql`` then ``to_csv``).
"""

from __future__ import annotations

import argparse
import csv
import io
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
from copgraph.output import render, stream

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
    scale(raw_ox, max(1, args.repeat // 2))


def scale(raw_ox, repeat: int) -> None:
    """Seconds to write N rows of CSV, growing N by 4 each step."""
    kg = open_graph("oxigraph", timeout=None)
    print(f"\n{'rows':>9}{'raw s':>9}{'copgraph s':>12}{'ratio':>7}{'buffered s':>12}")
    for factor in (1, 4, 16, 64):
        rows = 15_625 * factor
        query = f"SELECT * WHERE {{ ?s ?p ?o . ?a ?b ?c }} LIMIT {rows}"

        def raw(query=query):
            sink = io.StringIO()
            writer = csv.writer(sink)
            for solution in raw_ox.query(query):
                writer.writerow([term.value for term in solution])

        def streamed(query=query):
            columns, values = kg.sparql_rows(query)
            stream(columns, values, "csv", io.StringIO().write)

        def buffered(query=query):
            render(kg.sparql(query), "csv")

        base, ours = timed(raw, repeat), timed(streamed, repeat)
        whole = timed(buffered, repeat) if factor <= 16 else float("nan")
        print(f"{rows:>9}{base:>9.2f}{ours:>12.2f}{ours / base:>7.1f}{whole:>12.2f}")


if __name__ == "__main__":
    main()
