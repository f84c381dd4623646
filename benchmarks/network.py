"""Does the network grow linearly? The report's graph at 1x, 4x, 16x and 64x.

Run: ``python benchmarks/network.py`` (``--no-browser`` to skip Chromium, ``--repeat``).
The graph is scaled by copying every node of the report (organizations, partnerships,
their facts and quotes) k times, except the countries and ITU, which all copies share: the
copies form one connected network around ITU, as a programme k times larger would. For
each scale it prints the median wall time of

- reading the graph: raw pyoxigraph (load the N-Triples) and raw rdflib (parse them),
  the baselines the network's own figures stand beside;
- ``network.load`` (the network's SPARQL queries) and ``partnership_graph``;
- exact betweenness (what the measures avoid above their limit), and the betweenness the
  measures use (sampled above ``BETWEENNESS_EXACT_LIMIT`` organizations);
- ``network.summary`` (betweenness once, centralities, communities, brokers, mixing);
- ``viz.page`` (the page's HTML) and, in headless Chromium, the time until the page is
  stabilized and a click on a node opens its panel;

then the log-log slope of each against the number of ties (1 = linear, 2 = quadratic).
Python figures are CPU seconds of this process (median of ``--repeat`` runs; raw rdflib
and exact betweenness run once); the browser figure is wall time.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyoxigraph
from rdflib import Graph

from copgraph import network, viz
from copgraph.build import ensure_built
from copgraph.kg import KnowledgeGraph
from copgraph.store import OxigraphStore

ID = "https://w3id.org/copgraph/id/"
IRI = re.compile(r"<https://w3id\.org/copgraph/id/([^>]*)>")
SHARED = {"itu"}
SCALES = (1, 4, 16, 64)
CHROMIUM = "/usr/bin/chromium"


def scaled_ntriples(text: str, k: int) -> str:
    """The report's triples with every node but the countries and ITU copied k times."""
    countries = set(
        re.findall(
            r"<https://w3id\.org/copgraph/id/([^>]*)> "
            r"<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> "
            r"<https://w3id\.org/copgraph/ontology#Country> \.",
            text,
        )
    )
    shared = SHARED | countries
    lines = text.splitlines()
    out = set(lines)
    for copy in range(1, k):

        def rename(match, copy=copy):
            local = match.group(1)
            return match.group(0) if local in shared else f"<{ID}{local}~{copy}>"

        out.update(IRI.sub(rename, line) for line in lines)
    return "\n".join(sorted(out)) + "\n"


def timed(function, repeat: int):
    """Median CPU seconds of this process (the machine is shared: wall time would measure
    the neighbours too), and the function's result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = function()
        times.append(time.process_time() - started)
    return statistics.median(times), result


def browser_time(html: Path, node: str) -> float:
    """Seconds from opening the page to the side panel of ``node`` after a click."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page.set_default_timeout(120_000)
        started = time.perf_counter()
        page.goto(html.as_uri())
        page.wait_for_function("() => window.copgraph && window.copgraph.stabilized")
        point = page.evaluate(
            """(id) => {
              const net = window.copgraph.network;
              const dom = net.canvasToDOM(net.getPositions([id])[id]);
              const box = document.getElementById('network').getBoundingClientRect();
              return [dom.x + box.left, dom.y + box.top];
            }""",
            node,
        )
        page.mouse.click(*point)
        page.wait_for_selector(f"#panel[data-node='{node}']")
        elapsed = time.perf_counter() - started
        browser.close()
    return elapsed


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-6)) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum(
        (a - mx) ** 2 for a in lx
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    args = parser.parse_args()
    base = ensure_built().read_text(encoding="utf-8")
    scales = [int(s) for s in args.scales.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="copgraph-network-bench-"))
    columns = [
        "triples",
        "orgs",
        "ties",
        "read ox",
        "read rdflib",
        "net.load",
        "graph",
        "betw exact",
        "betw used",
        "summary",
        "viz.page",
        "browser",
    ]
    rows = []
    for k in scales:
        text = scaled_ntriples(base, k)
        row = {"scale": k, "triples": text.count("\n")}
        row["read ox"], _ = timed(
            lambda text=text: pyoxigraph.Store().bulk_load(
                text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES
            ),
            args.repeat,
        )
        row["read rdflib"], _ = timed(lambda text=text: Graph().parse(data=text, format="nt"), 1)
        ox = OxigraphStore()
        ox.load_ntriples(text)
        kg = KnowledgeGraph(ox)
        row["net.load"], data = timed(lambda kg=kg: network.load(kg), args.repeat)
        row["graph"], graph = timed(lambda data=data: network.partnership_graph(data), args.repeat)
        row["orgs"], row["ties"] = graph.number_of_nodes(), graph.number_of_edges()
        row["betw exact"], _ = timed(lambda g=graph: nx.betweenness_centrality(g), 1)
        row["betw used"], (_, sample) = timed(lambda g=graph: network.betweenness(g), args.repeat)
        row["sample"] = sample
        row["summary"], _ = timed(lambda g=graph: network.summary(g), args.repeat)
        row["viz.page"], html = timed(lambda g=graph: viz.page(g), args.repeat)
        if not args.no_browser:
            path = folder / f"network-{k}x.html"
            path.write_text(html, encoding="utf-8")
            row["browser"] = statistics.median(
                browser_time(path, "itu") for _ in range(args.repeat)
            )
        rows.append(row)
        print(f"{k}x done", flush=True)

    print(f"\n{'scale':>6}" + "".join(f"{c:>12}" for c in columns) + f"{'sample':>8}")
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            if value is None:
                cells.append(f"{'-':>12}")
            elif isinstance(value, float):
                cells.append(f"{value:>12.4f}")
            else:
                cells.append(f"{value:>12}")
        print(f"{row['scale']:>5}x" + "".join(cells) + f"{row['sample'] or 'exact':>8}")
    if len(rows) > 1:
        ties = [r["ties"] for r in rows]
        print(f"\nlog-log slope against ties ({ties[0]} to {ties[-1]}):")
        for c in columns[3:]:
            if all(r.get(c) is not None for r in rows):
                print(f"  {c:<12} {slope(ties, [r[c] for r in rows]):.2f}")
    print(
        f"\nbetweenness: exact up to {network.BETWEENNESS_EXACT_LIMIT} organizations, else "
        f"{network.BETWEENNESS_SAMPLE} sample sources; page: at most {viz.NODE_LIMIT} "
        f"organizations, precomputed positions above {viz.PHYSICS_LIMIT}"
    )


if __name__ == "__main__":
    main()
