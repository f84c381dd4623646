"""`copgraph serve` under load, beside the same work done in-process, in one run.

Run: ``python benchmarks/serve.py`` (``--seconds 10 --clients 1,8,32 --workers 2``);
``--oxigraph-server`` runs the same levels a second time with the queries sent to a real
Oxigraph server (``oxigraph serve``, loaded with ``copgraph load``) behind the app.

A real server (``copgraph serve --port 0``, a subprocess) on loopback; for each number of
clients, that many threads with a keep-alive connection each send requests for a bounded
time, cycling through one fixed mix: entity pages (HTML), named queries (JSON download)
and raw SPARQL (POST ``application/sparql-query``, JSON results). Reported per level:
requests, throughput, p50/p95/p99 latency, errors (any status but 200), and the resident
memory of the server and its query workers at the start and the end of the level (after
3 s of warm-up at 8 clients, not counted).

Baseline, in this process, measured just before each level for as long: the same mix
through the same code without HTTP (``Site`` opened on the same store: ``entity`` and the
page template, ``run_named`` and the JSON rendering, the endpoint's query-and-serialize
function), one request after another. The ratio is the server's wall time per request
(at that concurrency) over the in-process time per request; the clients share the
machine's two cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENTITIES = [
    "unicef",
    "itu",
    "mongolia",
    "thailand",
    "atsuko-okuda",
    "ecpat",
    "session-2",
    "bhutan",
    "unicef-mongolia",
    "apt",
]
NAMED = [
    ("partners-of", {"org": "itu"}),
    ("speakers", {"session": "2"}),
    ("countries", {}),
    ("members-of", {"org": "UNICEF"}),
    ("about", {"subject": "Thailand"}),
]
SPARQL = [
    "SELECT ?name WHERE { ?o a cg:Organization ; rdfs:label ?name } ORDER BY ?name",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 20",
    "SELECT ?quote ?line WHERE { ?f rdf:subject id:unicef ; cg:evidence ?e . "
    "?e cg:exact ?quote ; cg:line ?line }",
]


def mix() -> list[tuple[str, str, object]]:
    """(kind, path, payload): one cycle of the request mix."""
    out = []
    for i in range(max(len(ENTITIES), len(NAMED), len(SPARQL))):
        out.append(("entity", f"/id/{ENTITIES[i % len(ENTITIES)]}", None))
        name, params = NAMED[i % len(NAMED)]
        query = urllib.parse.urlencode({**params, "format": "json"})
        out.append(("named", f"/queries/{name}?{query}", (name, params)))
        out.append(("sparql", "/sparql", SPARQL[i % len(SPARQL)]))
    return out


def start_server(workers: int, store: str) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "copgraph", "serve", "--port", "0"]
    command += ["--workers", str(workers), "--store", store]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    line = process.stdout.readline()
    url = re.search(r"(http://\S+)/ ", line).group(1)
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/", timeout=5).read()
            return process, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer")


def memory_mib(pid: int) -> float:
    """Resident memory of a process and its children (the query workers), MiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


def client(url: str, requests: list, deadline: float, start: int, out: list, errors: list):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    i = start
    while time.monotonic() < deadline:
        kind, path, payload = requests[i % len(requests)]
        i += 1
        began = time.perf_counter()
        try:
            if kind == "sparql":
                conn.request(
                    "POST",
                    path,
                    body=payload.encode(),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
            else:
                conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        out.append(time.perf_counter() - began)
        if status != 200:
            errors.append((path, status))
    conn.close()


def load_level(url: str, pid: int, clients: int, seconds: float) -> dict:
    requests = mix()
    latencies: list[float] = []
    errors: list = []
    before = memory_mib(pid)
    deadline = time.monotonic() + seconds
    began = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(url, requests, deadline, i * 7, latencies, errors))
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": clients,
        "requests": len(latencies),
        "per_s": len(latencies) / wall,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "errors": len(errors),
        "rss_start": before,
        "rss_end": memory_mib(pid),
        "ms_per_request": wall * 1000 / max(1, len(latencies)),
        "error_kinds": Counter(status for _, status in errors).most_common(3),
    }


def in_process_work(store: str, workers: int):
    """A function that runs the mix without HTTP for ``seconds``: ms per request."""
    from copgraph.catalog import for_people
    from copgraph.kg import check_query
    from copgraph.output import render
    from copgraph.serve import Site
    from copgraph.serve.app import _answer, environment

    site = Site.open(store, timeout=5.0, workers=workers)
    template = environment().get_template("entity.html.j2")

    def entity(path, payload):
        found = site.entity(path.rsplit("/id/", 1)[1])
        return template.render(entity=found, name_of=site.name_of, workers=site.workers)

    def named(path, payload):
        frame = site.run_named(payload[0], payload[1], full_iris=False)
        return render(for_people(frame, "json"), "json")

    def sparql(path, text):
        return _answer(site, text, check_query(text), "json")

    actions = {"entity": entity, "named": named, "sparql": sparql}
    requests = mix()
    for kind, path, payload in requests:  # warm, as the server is warm
        actions[kind](path, payload)

    def measure(seconds: float) -> float:
        done, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            kind, path, payload = requests[done % len(requests)]
            actions[kind](path, payload)
            done += 1
        return (time.perf_counter() - began) * 1000 / done

    return measure, site


def oxigraph_server(folder: str) -> tuple[subprocess.Popen, str]:
    """``oxigraph serve`` on a free loopback port, loaded with the built graph."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = str(Path(sys.executable).parent / "oxigraph")
    process = subprocess.Popen(
        [binary, "serve", "--location", folder, "--bind", f"127.0.0.1:{port}", "--timeout-s", "5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    subprocess.run(
        [sys.executable, "-m", "copgraph", "load", "--store", url],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return process, url


def run(store: str, args, levels: list[int]) -> None:
    """Each level, and just before it the same work in-process (the machine is shared:
    its load drifts, so each ratio compares two runs minutes apart at most)."""
    measure, site = in_process_work(store, args.workers)
    process, url = start_server(args.workers, store)
    results = []
    try:
        load_level(url, process.pid, 8, 3.0)  # warm: every page and query once or more
        for clients in levels:
            baseline = measure(args.seconds)
            results.append(
                {**load_level(url, process.pid, clients, args.seconds), "baseline": baseline}
            )
    finally:
        process.terminate()
        process.wait(timeout=30)
        site.close()
    shown = "an Oxigraph server (oxigraph serve)" if store.startswith("http") else store
    print(
        f"\nstore: {shown}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    header = (
        f"{'clients':>7} {'requests':>8} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'RSS MiB start':>13} {'end':>6} "
        f"{'in-proc ms':>10} {'ratio':>6}"
    )
    print(header)
    for r in results:
        print(
            f"{r['clients']:>7} {r['requests']:>8} {r['per_s']:>7.1f} {r['p50']:>8.1f} "
            f"{r['p95']:>8.1f} {r['p99']:>8.1f} {r['errors']:>6} {r['rss_start']:>13.0f} "
            f"{r['rss_end']:>6.0f} {r['baseline']:>10.2f} "
            f"{r['ms_per_request'] / r['baseline']:>6.2f}"
        )
        if r["errors"]:
            print(f"        errors by status: {r['error_kinds']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per level (default 10)")
    parser.add_argument("--clients", default="1,8,32", help="levels (default 1,8,32)")
    parser.add_argument("--workers", type=int, default=2, help="server --workers (default 2)")
    parser.add_argument(
        "--oxigraph-server",
        action="store_true",
        help="also behind a real Oxigraph server (oxigraph serve)",
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    run("oxigraph", args, levels)
    if args.oxigraph_server:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            server, url = oxigraph_server(folder)
            try:
                run(url, args, levels)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
