"""Which store should be the default? Start-up plus the whole named-query catalog.

Run: ``make bench`` (or ``python benchmarks/stores.py --repeat 5``). Prints, per store,
the median wall time of (open the built graph + run every named query once) and of the
catalog alone, as ratios against rdflib measured in the same run. The graph is built
once beforehand so that every store starts from the same N-Triples file.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from copgraph.build import ensure_built
from copgraph.catalog import load_catalog
from copgraph.kg import open_graph

#: For a query whose header gives no example (evidence.rq).
FALLBACK = {"subject": "itu"}


def run_catalog(kg) -> int:
    rows = 0
    for name, named in load_catalog().items():
        params = named.example or {p.name: FALLBACK[p.name] for p in named.params if p.required}
        rows += len(kg.query(name, **params))
    return rows


def measure(store: str, repeat: int) -> tuple[float, float, int]:
    totals, catalogs, rows = [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        kg = open_graph(store)
        opened = time.perf_counter()
        rows = run_catalog(kg)
        done = time.perf_counter()
        kg.close()
        totals.append(done - started)
        catalogs.append(done - opened)
    return statistics.median(totals), statistics.median(catalogs), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per store (median taken)")
    args = parser.parse_args()
    ensure_built()
    folder = Path(tempfile.mkdtemp()) / "store"
    open_graph(f"oxigraph:{folder}").close()  # first load, not measured: later opens reuse it
    stores = ["rdflib", "oxigraph", f"oxigraph:{folder}"]
    results = {store: measure(store, args.repeat) for store in stores}
    base_total, base_catalog, _ = results["rdflib"]
    header = ("open+catalog s", "ratio", "catalog s", "ratio", "rows")
    print(f"{'store':<28}{header[0]:>16}{header[1]:>8}{header[2]:>12}{header[3]:>8}{header[4]:>7}")
    for store, (total, catalog, rows) in results.items():
        label = "oxigraph:FOLDER" if store.startswith("oxigraph:") else store
        print(
            f"{label:<28}{total:>16.3f}{total / base_total:>8.2f}"
            f"{catalog:>12.3f}{catalog / base_catalog:>8.2f}{rows:>7}"
        )


if __name__ == "__main__":
    main()
