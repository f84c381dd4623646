"""How does copgraph's cost grow with the number of reports? Every stage, beside its baselines.

Run: ``python benchmarks/run.py`` (``--reports 1,10,100,1000 --repeat 3 --budget 30``;
``--add-to results.json`` adds sizes measured now to an earlier run's).
Not a test. For each N, ``benchmarks/corpus.py`` writes N synthetic reports (not timed),
then each figure below runs ``--repeat`` times, each time in a fresh child process: the
median wall seconds and the largest peak RSS of the child (``ru_maxrss``) are reported.

- build, cold: ``copgraph build`` into an empty output folder;
- build, incremental: one report's text and curated YAML changed, then ``copgraph build``;
- open: ``open_graph`` on rdflib, Oxigraph in memory and Oxigraph on disk (reopened),
  beside raw rdflib (``Graph.parse``) and raw pyoxigraph (``Store.bulk_load``) of the file;
- catalog: every named query through copgraph on each store, beside the exact same SPARQL
  texts on raw rdflib (``Graph.query``) and raw pyoxigraph (``Store.query``), rows read;
- network: ``network.load`` + ``partnership_graph`` + ``summary`` on Oxigraph, beside the
  network's SPARQL on raw pyoxigraph and raw rdflib;
- page: ``viz.page`` (the network page's HTML) from the partnership graph.

The run stops when ``--budget`` minutes are spent (a figure still running is cut off at
what is left) and says where; a figure whose first run takes over a minute is not run
again, and no run but a build may take over ``--task-timeout`` seconds. Writes
``benchmarks/RESULTS.md`` (the machine, every figure, the issue's targets) and
``benchmarks/results.png`` (log-log time against triples).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/ is not a package)

STORES = ("rdflib", "oxigraph", "oxigraph-disk")
#: Seconds above which a figure is not run again (its median is of fewer runs).
SLOW = 60
#: The figures of one N, in the order of the table; 'raw' ones are baselines.
TASKS = (
    "build-cold",
    "build-incremental",
    "open-rdflib",
    "open-oxigraph",
    "open-oxigraph-disk",
    "open-raw-rdflib",
    "open-raw-oxigraph",
    "catalog-rdflib",
    "catalog-oxigraph",
    "catalog-oxigraph-disk",
    "catalog-raw-rdflib",
    "catalog-raw-oxigraph",
    "network",
    "network-raw-rdflib",
    "network-raw-oxigraph",
    "page",
)


#: The order figures run in: the engine and build figures first, rdflib's last (they are the
#: slowest, and the first to be cut off when the budget runs out).
ORDER = sorted(TASKS, key=lambda task: "rdflib" in task)


# -- in the child process ------------------------------------------------------------------
def peak_mb() -> float:
    """This process's peak resident memory since its exec (VmHWM), in MB.

    Not ``ru_maxrss``: Linux carries the forking parent's peak over into the child's.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def paths_of(project: Path):
    from copgraph.build import Paths

    return Paths(root=project, out=project / "build")


def store_spec(store: str, project: Path) -> str:
    return f"oxigraph:{project / 'oxstore'}" if store == "oxigraph-disk" else store


def build(project: Path) -> None:
    from copgraph.cli import main

    main(["build", "--root", str(project), "-o", str(project / "build")], standalone_mode=False)


def sparql_texts(project: Path) -> dict[str, list[str]]:
    """The exact SPARQL copgraph sends for the catalog and for the network (from a file the
    parent wrote once)."""
    return json.loads((project / "sparql.json").read_text(encoding="utf-8"))


def raw_store(kind: str, nt: Path):
    if kind == "rdflib":
        from rdflib import Graph

        return Graph().parse(nt, format="nt")
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    return store


def run_raw(store, texts: list[str]) -> int:
    rows = 0
    for text in texts:
        rows += sum(1 for row in store.query(text) for _ in [tuple(row)])
    return rows


def child(task: str, project: Path) -> float:
    """Run one task; its wall seconds (set-up such as opening the store is not timed)."""
    from copgraph.kg import open_graph

    nt = project / "build" / "copgraph.nt"
    prepare = None
    if task == "build-cold":
        shutil.rmtree(project / "build", ignore_errors=True)
        action = lambda: build(project)  # noqa: E731
    elif task == "build-incremental":
        corpus.change_one_report(project)
        action = lambda: build(project)  # noqa: E731
    elif task.startswith("open-raw-"):
        action = lambda: raw_store(task.removeprefix("open-raw-"), nt)  # noqa: E731
    elif task.startswith("open-"):
        spec = store_spec(task.removeprefix("open-"), project)
        action = lambda: open_graph(spec, paths=paths_of(project), timeout=None)  # noqa: E731
    elif task.startswith("catalog-raw-") or task.startswith("network-raw-"):
        family, kind = task.split("-raw-")
        store = raw_store(kind, nt)
        texts = sparql_texts(project)[family]
        action = lambda: run_raw(store, texts)  # noqa: E731
    elif task.startswith("catalog-"):
        spec = store_spec(task.removeprefix("catalog-"), project)
        kg = open_graph(
            spec, paths=paths_of(project), timeout=None
        )  # the run's limit is --task-timeout
        params = json.loads((project / "params.json").read_text(encoding="utf-8"))
        action = lambda: [kg.query(name, **values) for name, values in params.items()]  # noqa: E731
    elif task == "network":
        from copgraph import network

        kg = open_graph("oxigraph", paths=paths_of(project))
        action = lambda: network.summary(network.partnership_graph(network.load(kg)))  # noqa: E731
    elif task == "prepare":  # the SPARQL texts for the raw engines; the disk store's first load
        write_sparql(project)
        action = lambda: open_graph(store_spec("oxigraph-disk", project), paths=paths_of(project))  # noqa: E731
    elif task == "page":
        from copgraph import network, viz

        kg = open_graph("oxigraph", paths=paths_of(project))
        graph = network.partnership_graph(network.load(kg))
        action = lambda: viz.page(graph)  # noqa: E731
    else:
        raise SystemExit(f"unknown task {task}")
    if prepare:
        prepare()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# -- in the parent ------------------------------------------------------------------------
def catalog_params(project: Path) -> dict[str, dict[str, str]]:
    """Each named query with parameters that exist in the synthetic corpus."""
    import yaml

    from copgraph.catalog import load_catalog

    countries = sorted(project.glob("data/**/countries.yaml"))
    iso2 = yaml.safe_load(countries[0].read_text(encoding="utf-8"))["countries"][0]["iso2"]
    values = {
        "subject": "org-00001",
        "org": "org-00001",
        "country": iso2,
        "session": "session-0001",
        "topic": "privacy",
        "kind": "guideline",
        "from": "2015",
        "to": "2030",
    }
    out = {}
    for name, named in load_catalog().items():
        # the parameters the query's own example uses (some need one of several), and any
        # required one
        wanted = set(named.example) | {p.name for p in named.params if p.required}
        out[name] = {p.name: values[p.name] for p in named.params if p.name in wanted}
    return out


def write_sparql(project: Path) -> None:
    """The texts the raw engines run: the catalog as copgraph binds it, the network's."""
    from copgraph.catalog import bind_values
    from copgraph.kg import open_graph
    from copgraph.namespaces import sparql_prologue

    params = catalog_params(project)
    kg = open_graph("oxigraph", paths=paths_of(project))
    catalog = []
    for name, values in params.items():
        named = kg.named(name)
        bindings = {f"p_{k}": v for k, v in kg.bind(named, values).items()}
        catalog.append(bind_values(sparql_prologue() + named.text, bindings))
    folder = Path(__import__("copgraph").__file__).parent / "queries" / "network"
    network = [sparql_prologue() + path.read_text() for path in sorted(folder.glob("*.rq"))]
    (project / "params.json").write_text(json.dumps(params), encoding="utf-8")
    texts = {"catalog": catalog, "network": network}
    (project / "sparql.json").write_text(json.dumps(texts), encoding="utf-8")


def measure(task: str, project: Path, repeat: int, timeout: float) -> dict:
    times, peaks = [], []
    for _ in range(repeat):
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", task, str(project)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            return {"error": tail[:200]}
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        times.append(figures["seconds"])
        peaks.append(figures["peak_mb"])
        if figures["seconds"] > SLOW:
            break  # one run of a slow figure says enough; the budget goes to larger N
    return {"seconds": statistics.median(times), "peak_mb": max(peaks), "runs": len(times)}


def triples_of(project: Path) -> int:
    with open(project / "build" / "copgraph.nt", "rb") as handle:
        return sum(1 for _ in handle)


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("rdflib", "pyoxigraph", "pyshacl", "networkx")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (shared with other users: load average "
        f"{os.getloadavg()[0]:.1f} at the start)",
        f"- memory: {memory:.0f} GiB; {platform.platform()}; Python {platform.python_version()}",
        f"- {packages}",
    ]


def run(sizes: list[int], repeat: int, budget: float, single: bool, seed: int, cap: float) -> dict:
    started = time.monotonic()
    results: dict = {"sizes": {}, "stopped": None}
    gave_up: dict[str, str] = {}
    for n in sizes:
        if results["stopped"]:
            break
        began = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"copgraph-bench-{n}-") as scratch:
            project = Path(scratch)
            corpus.write_corpus(project, n, seed, single=single)
            print(f"N = {n}: corpus written", file=sys.stderr, flush=True)
            row: dict = {}
            for task in ORDER:
                left = budget - (time.monotonic() - started)
                if task in gave_up:  # it ran out of time at a smaller N: it would again
                    row[task] = {"skipped": gave_up[task]}
                    continue
                if left <= 0:
                    results["stopped"] = (
                        f"stopped during N = {n}, before {task}: the {budget / 60:.0f} min "
                        "budget was spent"
                    )
                    break
                if "triples" not in row and not task.startswith("build"):  # the graph exists
                    if not (project / "build" / "copgraph.nt").is_file():
                        results["stopped"] = f"stopped at N = {n}: the build did not finish"
                        break
                    row["triples"] = triples_of(project)
                    row["prepare"] = measure("prepare", project, 1, max(left, 1))
                limit = max(left, 1) if task.startswith("build") else min(cap, max(left, 1))
                row[task] = measure(task, project, repeat, limit)
                if "timeout" in row[task]:
                    gave_up[task] = f"over {row[task]['timeout']:.0f} s at N = {n}"
                print(f"N = {n}: {task} {row[task]}", file=sys.stderr, flush=True)
            row["minutes"] = (time.monotonic() - began) / 60
            results["sizes"][n] = row
    return results


def cell(figure: dict | None) -> str:
    if not figure:
        return "-"
    if "timeout" in figure:
        return f"> {figure['timeout']:.0f} s (stopped)"
    if "skipped" in figure:
        return f"not run ({figure['skipped']})"
    if "error" in figure:
        return f"error: {figure['error']}"
    return f"{figure['seconds']:.2f} s, {figure['peak_mb']:.0f} MB"


def ratio(a: dict | None, b: dict | None) -> float | None:
    if not a or not b or "seconds" not in a or "seconds" not in b or not b["seconds"]:
        return None
    return a["seconds"] / b["seconds"]


TABLES = (
    ("Build", ("build-cold", "build-incremental")),
    (
        "Opening the graph",
        (
            "open-rdflib",
            "open-oxigraph",
            "open-oxigraph-disk",
            "open-raw-rdflib",
            "open-raw-oxigraph",
        ),
    ),
    (
        "The named-query catalog",
        (
            "catalog-rdflib",
            "catalog-oxigraph",
            "catalog-oxigraph-disk",
            "catalog-raw-rdflib",
            "catalog-raw-oxigraph",
        ),
    ),
    ("Network and page", ("network", "network-raw-rdflib", "network-raw-oxigraph", "page")),
)


def targets(sizes: dict) -> list[str]:
    """The issue's targets at the largest N measured, met or missed by how much."""
    ns = sorted(sizes)
    big = ns[-1]
    row = sizes[big]
    lines = [f"Measured at N = {big} (the targets are stated for 1000):", ""]
    if 100 in sizes and 1000 in sizes:
        r = ratio(sizes[1000]["build-cold"], sizes[100]["build-cold"])
        if r is not None:
            lines.append(f"- build(1000) / build(100) = {r:.1f} (target at most 11)")
    elif len(ns) >= 2:
        a, b = ns[-2], ns[-1]
        r = ratio(sizes[b]["build-cold"], sizes[a]["build-cold"])
        if r is not None:
            lines.append(
                f"- build({b}) / build({a}) = {r:.1f} for {b / a:.0f} times the reports "
                f"(linear: {b / a:.0f}; the target allows 1.1 times that)"
            )
    peak = row["build-cold"].get("peak_mb")
    if peak:
        lines.append(f"- peak build memory {peak:.0f} MB (target under 2048 MB at N = 1000)")
    r = ratio(row["build-incremental"], row["build-cold"])
    if r is not None:
        lines.append(f"- incremental / cold build = {100 * r:.0f} % (target under 5 %)")
    r_rdf = ratio(row["catalog-raw-rdflib"], row["catalog-oxigraph"])
    raw_rdf = row.get("catalog-raw-rdflib") or {}
    ox_seconds = (row.get("catalog-oxigraph") or {}).get("seconds")
    if r_rdf is None and "timeout" in raw_rdf and ox_seconds:
        lines.append(
            f"- catalog on Oxigraph: at least {raw_rdf['timeout'] / ox_seconds:.0f} times faster "
            f"than raw rdflib, which did not finish in {raw_rdf['timeout']:.0f} s (target 10)"
        )
    r_ox = ratio(row["catalog-oxigraph"], row["catalog-raw-oxigraph"])
    if r_rdf is not None:
        lines.append(f"- catalog on Oxigraph: {r_rdf:.1f} times faster than raw rdflib (target 10)")
    if r_ox is not None:
        lines.append(
            f"- catalog on Oxigraph: {r_ox:.2f} times raw pyoxigraph (target at most 1.25)"
        )
    return lines


def write_results(results: dict, argv: list[str], out: Path, chart: Path, header: list[str]):
    sizes = results["sizes"]
    ns = sorted(sizes)
    lines = [
        "# Benchmarks: cost against the number of reports",
        "",
        f"Written by `python benchmarks/run.py {' '.join(argv)}` (see its docstring for what",
        "each figure is). Each cell: median wall seconds of the runs, each in a fresh child",
        "process, and the child's peak RSS. 'raw' columns are the baselines, measured in the",
        "same run on the same N-Triples with the same SPARQL.",
        "",
        "## Machine",
        "",
        *header,
        "",
    ]
    if results["stopped"]:
        lines += [f"**{results['stopped']}.**", ""]
    for title, tasks in TABLES:
        lines += [f"## {title}", "", "| N | triples | " + " | ".join(tasks) + " |"]
        lines.append("|" + " --- |" * (len(tasks) + 2))
        for n in ns:
            row = sizes[n]
            cells = " | ".join(cell(row.get(t)) for t in tasks)
            lines.append(f"| {n} | {row.get('triples', '?')} | {cells} |")
        lines.append("")
    lines += ["## Targets", "", *targets(sizes), "", f"![time against triples]({chart.name})", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def write_chart(results: dict, chart: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    ns = sorted(sizes)
    figure, axes = plt.subplots(figsize=(8, 5.5))
    colours = plt.get_cmap("tab20")
    for number, task in enumerate(TASKS):
        points = [
            (sizes[n]["triples"], sizes[n][task]["seconds"])
            for n in ns
            if "seconds" in sizes[n].get(task, {})
        ]
        if len(points) >= 1:
            xs, ys = zip(*points, strict=True)
            style = "--" if "raw" in task else "-"
            axes.plot(xs, ys, style, marker="o", label=task, color=colours(number % 20))
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("triples in the built graph")
    axes.set_ylabel("wall seconds (median)")
    axes.set_title("copgraph: time against size (dashed: raw baselines)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(chart, dpi=110, metadata={"Software": None})
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="1,10,100,1000", help="the N to measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--budget", type=float, default=30, help="minutes in all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--task-timeout", type=float, default=120, help="seconds one run of a figure may take"
    )
    parser.add_argument(
        "--single",
        action="store_true",
        help="write the N reports as one report folder (no shared entities)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--replot", type=Path, help="redraw the chart of a results .json")
    parser.add_argument(
        "--add-to", type=Path, help="a results .json of an earlier run to add these sizes to"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds = child(args.child[0], Path(args.child[1]))
        print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))
        return
    if args.replot:
        results = json.loads(args.replot.read_text(encoding="utf-8"))
        results["sizes"] = {int(n): row for n, row in results["sizes"].items()}
        write_chart(results, args.replot.with_suffix(".png"))
        return
    header = machine()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sizes = [int(n) for n in args.reports.split(",") if n]
    results = run(sizes, args.repeat, args.budget * 60, args.single, args.seed, args.task_timeout)
    if args.add_to:  # an earlier run's smaller sizes, and where that run stopped
        earlier = json.loads(args.add_to.read_text(encoding="utf-8"))
        results["sizes"] = {
            **{int(n): row for n, row in earlier["sizes"].items()},
            **results["sizes"],
        }
        notes = [f"sizes {sorted(results['sizes'])} from two runs: {earlier.get('argv')}"]
        notes += [f"then {sys.argv[1:]}"]
        if results["stopped"]:
            notes.append(results["stopped"])
        results["stopped"] = "; ".join(str(n) for n in notes)
    results["argv"] = sys.argv[1:]
    chart = args.out.with_name("results.png")
    write_chart(results, chart)
    write_results(results, sys.argv[1:], args.out, chart, header)
    (args.out.with_name("results.json")).write_text(
        json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out} and {chart}")


if __name__ == "__main__":
    main()
