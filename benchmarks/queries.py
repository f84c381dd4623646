"""The named-query catalog against the raw engines, side by side in one run; growth with size.

Run: ``make bench`` (or ``python benchmarks/queries.py --repeat 7 --scales 1,4,16,64``).

Part 1, per query and in total, the fastest of ``--repeat`` runs taken in turns (on a
shared machine the least disturbed run is the engine's speed), all in this process:

- raw rdflib: ``Graph.query`` on the exact SPARQL text copgraph sends (prologue, VALUES
  block), rows materialized as tuples of terms;
- raw pyoxigraph: ``Store.query`` on the same text, rows materialized as tuples of terms;
- copgraph on rdflib and on Oxigraph (the default): ``kg.query(name, **example)``, i.e.
  binding, the query, typed cells and the DataFrame.

Part 2: ``topics``, ``members-of`` and the whole catalog on Oxigraph, on the graph copied
1x, 4x, 16x, 64x (every ``id:`` node copied under a new IRI; ontology and schemes shared),
against raw pyoxigraph on the same text. Linear growth keeps ms per copy flat.
"""

from __future__ import annotations

import argparse
import time

from rdflib import Graph

from copgraph.build import ensure_built
from copgraph.catalog import bind_values, load_catalog
from copgraph.kg import KnowledgeGraph, open_graph
from copgraph.namespaces import ID, compact
from copgraph.store import OxigraphStore

#: Values for parameters a query's header gives no example for (evidence.rq).
FALLBACK = {"subject": "atsuko-okuda"}


def examples() -> dict[str, dict[str, str]]:
    return {
        name: q.example or {p.name: FALLBACK[p.name] for p in q.params if p.required}
        for name, q in load_catalog().items()
    }


def texts(kg: KnowledgeGraph, params: dict[str, dict[str, str]]) -> dict[str, str]:
    """The exact SPARQL copgraph sends for each query (parameters resolved and bound)."""
    out = {}
    for name, values in params.items():
        named = kg.named(name)
        bindings = {f"p_{k}": v for k, v in kg.bind(named, values).items()}
        out[name] = bind_values(kg._prologue + named.text, bindings)
    return out


def best_ms(action, repeat: int) -> float:
    """The fastest of REPEAT runs, in ms: on a shared machine the least disturbed one."""
    return interleaved([action], repeat)[0]


def interleaved(actions: list, repeat: int) -> list[float]:
    """Each action's fastest run in ms, the actions taking turns so that load hits all alike."""
    best = [float("inf")] * len(actions)
    for _ in range(repeat):
        for i, action in enumerate(actions):
            started = time.perf_counter()
            action()
            best[i] = min(best[i], time.perf_counter() - started)
    return [b * 1000 for b in best]


def raw_rdflib(graph: Graph, text: str):
    return lambda: [tuple(row) for row in graph.query(text)]


def raw_oxigraph(store, text: str):
    return lambda: [tuple(s) for s in store.query(text)]


def side_by_side(repeat: int) -> None:
    nt = ensure_built()
    rdf = open_graph("rdflib")
    ox = open_graph("oxigraph")
    params = examples()
    sparql = texts(ox, params)
    rdf_graph = rdf.store.rdf
    ox_store = ox.store.ox
    rows = []
    for name, text in sparql.items():
        values = params[name]
        actions = [
            raw_rdflib(rdf_graph, text),
            raw_oxigraph(ox_store, text),
            lambda n=name, v=values: rdf.query(n, **v),
            lambda n=name, v=values: ox.query(n, **v),
        ]
        rows.append((name, *interleaved(actions, repeat)))
    # the whole catalog in one go, as a user's session runs it
    totals = interleaved(
        [
            lambda: [raw_rdflib(rdf_graph, t)() for t in sparql.values()],
            lambda: [raw_oxigraph(ox_store, t)() for t in sparql.values()],
            lambda: [rdf.query(n, **v) for n, v in params.items()],
            lambda: [ox.query(n, **v) for n, v in params.items()],
        ],
        repeat,
    )
    print(f"graph: {nt} ({sum(1 for _ in open(nt, encoding='utf-8'))} triples)")
    print(
        f"fastest of {repeat} interleaved runs, ms; 'x ox' = copgraph/oxigraph over raw pyoxigraph,"
    )
    print("'rdflib/' = raw rdflib over copgraph/oxigraph (how many times faster)\n")
    head = ("query", "raw rdflib", "raw ox", "cg rdflib", "cg ox", "x ox", "rdflib/")
    print(f"{head[0]:<20}" + "".join(f"{h:>11}" for h in head[1:]))
    for name, r_rdf, r_ox, c_rdf, c_ox in rows + [("TOTAL (catalog)", *totals)]:
        print(
            f"{name:<20}{r_rdf:>11.2f}{r_ox:>11.2f}{c_rdf:>11.2f}{c_ox:>11.2f}"
            f"{c_ox / r_ox:>11.2f}{r_rdf / c_ox:>11.1f}"
        )
    slowest = min(rows, key=lambda r: r[1] / r[4])
    print(
        f"\nleast gain over raw rdflib: {slowest[0]} ({slowest[1] / slowest[4]:.1f}x); "
        f"catalog {totals[3] / totals[1]:.2f}x raw pyoxigraph, "
        f"{totals[0] / totals[3]:.1f}x faster than raw rdflib"
    )


def scaled_ntriples(text: str, copies: int) -> str:
    """The graph with every id: node copied COPIES times under new IRIs."""
    prefix = f"<{ID}"
    own = [line for line in text.splitlines() if prefix in line]
    shared = [line for line in text.splitlines() if prefix not in line]
    out = shared + own
    for k in range(1, copies):
        out += [line.replace(prefix, f"{prefix}copy{k}/") for line in own]
    return "\n".join(out) + "\n"


GROWTH = {"topics": {}, "members-of": {"org": "id:itu"}}


def growth(scales: list[int], repeat: int) -> None:
    text = ensure_built().read_text(encoding="utf-8")
    print("\ngrowth on Oxigraph (fastest ms; per copy = ms / scale: flat means linear)")
    names = [*GROWTH, "catalog"]
    print(
        f"{'scale':>6}{'triples':>10}"
        + "".join(f"{n + ' ms':>18}{'per copy':>10}" for n in names)
        + f"{'raw ox catalog':>16}"
    )
    for scale in scales:
        data = scaled_ntriples(text, scale)
        figures, raw = measure_scale(data, repeat)
        cells = "".join(f"{ms:>18.1f}{ms / scale:>10.2f}" for ms in figures)
        print(f"{scale:>6}{data.count(chr(10)):>10}{cells}{raw:>16.1f}")


def measure_scale(data: str, repeat: int) -> tuple[list[float], float]:
    """ms for each GROWTH query and for the catalog through copgraph; the raw catalog."""
    store = OxigraphStore()
    store.load_ntriples(data)
    kg = KnowledgeGraph(store)
    figures = [best_ms(lambda n=n, v=v: kg.query(n, **v), repeat) for n, v in GROWTH.items()]
    # ids stay unique after copying; names do not, so pass the originals' ids
    catalog = {
        name: {key: _unique(kg, key, value) for key, value in values.items()}
        for name, values in examples().items()
    }
    figures.append(best_ms(lambda: [kg.query(n, **v) for n, v in catalog.items()], 1))
    sparql = texts(kg, catalog)
    raw = best_ms(lambda: [raw_oxigraph(store.ox, t)() for t in sparql.values()], 1)
    return figures, raw


def _unique(kg: KnowledgeGraph, key: str, value: str) -> str:
    """The original node's id for an example value, so that copies do not make it ambiguous."""
    param = next(p for q in kg._catalog.values() for p in q.params if p.name == key)
    if param.type not in ("id", "country"):
        return value
    cls = "Country" if param.type == "country" else param.cls
    found = set().union(
        *(
            pool.exact(value) | pool.by_words(value)
            for name, pool in kg.labels().items()
            if cls is None or name == cls
        )
    )
    originals = sorted(i for i in found if "/copy" not in i)
    return compact(originals[0]) if originals else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (fastest taken)")
    parser.add_argument("--scales", default="1,4,16,64", help="copies of the graph for growth")
    args = parser.parse_args()
    side_by_side(args.repeat)
    growth([int(s) for s in args.scales.split(",") if s], max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
