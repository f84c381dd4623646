"""How well the drafting assistant finds what the curators found: precision and recall per type.

Runs ``copgraph.draft.draft_records`` on the concluding-workshop report and compares its
candidates with the curated records, twice: "cold", as for a report whose organizations the
graph does not know yet (the rules alone), and "warm", with the graph's organization names
(which for this report are the very records it is compared with, so warm recall of
organizations shows only that known names are found, not that the rules work).

Matching rules (one candidate matches at most one curated record: a maximum bipartite
matching, so duplicates count against precision):
  people         a normalized name (honorific dropped) of the candidate equals one of the record
  organizations  a normalized label, acronym or alternative label equals one of the record
  countries      label or alternative label, normalized
  instruments    label or alternative label, normalized
  events         the same date (ISO, as precise as the record's); records without a date are
                 not counted
  figures        the same number (value, min or max in common; or neither has one) and one
                 wording contains the other, normalized

Then how drafting time grows with the text (the report repeated 1, 4, 16 and 64 times),
beside the time to read the same text as the build does (``evidence.Report``: collapse it,
find its sections and sentences), with the log-log slope of each.

Usage: python benchmarks/draft.py [--root DIR] [--scales 1,4,16,64]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

from copgraph.draft import draft_records, load_known, normalize
from copgraph.evidence import Report
from copgraph.records import load_records

ROOT = Path(__file__).resolve().parent.parent
HONORIFICS = ("h e mr ", "h e ms ", "h e ", "mr ", "ms ", "mrs ", "dr ", "prof ")
TYPES = ("people", "organizations", "countries", "events", "figures", "instruments")
TARGETS = {"people": 0.9, "organizations": 0.9, "events": 0.8, "figures": 0.8}


def _bare(name: str) -> str:
    name = normalize(name)
    for honorific in HONORIFICS:
        if name.startswith(honorific):
            return name[len(honorific) :]
    return name.removeprefix("the ")


def names(record: dict, rtype: str) -> set[str]:
    if rtype == "people":
        found = [record.get("name"), *(record.get("alt_names") or [])]
    else:
        found = [record.get("label"), record.get("acronym"), *(record.get("alt_labels") or [])]
    return {_bare(str(n)) for n in found if n}


def numbers(record: dict) -> set[float]:
    found = set()
    for key in ("value", "min", "max"):
        value = record.get(key)
        if isinstance(value, dict):  # a quantity
            value = value.get("value")
        if value is not None:
            found.add(float(value))
    return found


def matches(rtype: str, draft: dict, curated: dict) -> bool:
    if rtype in ("people", "organizations", "countries", "instruments"):
        return bool(names(draft, rtype) & names(curated, rtype))
    if rtype == "events":
        return str(draft.get("date")) == str(curated.get("date"))
    if rtype == "figures":
        a, b = numbers(draft), numbers(curated)
        if (a or b) and not (a & b):
            return False
        x, y = normalize(draft.get("wording", "")), normalize(curated.get("wording", ""))
        return bool(x and y) and (x in y or y in x)
    raise ValueError(rtype)


def score(rtype: str, drafts: list[dict], curated: list[dict]) -> tuple[int, int, int]:
    """(matched, candidates, curated records) under a maximum one-to-one matching."""
    graph = nx.Graph()
    left = [("d", i) for i in range(len(drafts))]
    right = [("c", j) for j in range(len(curated))]
    graph.add_nodes_from(left, bipartite=0)
    graph.add_nodes_from(right, bipartite=1)
    for i, draft in enumerate(drafts):
        for j, record in enumerate(curated):
            if matches(rtype, draft, record):
                graph.add_edge(("d", i), ("c", j))
    matching = nx.bipartite.maximum_matching(graph, top_nodes=left)
    matched = sum(1 for node in left if node in matching)
    return matched, len(drafts), len(curated)


def curated_by_type(curated_dirs: list[Path]) -> dict[str, list[dict]]:
    records = []
    for folder in curated_dirs:
        found, problems = load_records(folder)
        if problems:
            sys.exit(f"{problems[0]}")
        records += found
    out: dict[str, list[dict]] = {t: [] for t in TYPES}
    for record in records:
        if record.type.key in out:
            out[record.type.key].append(record.data)
    out["events"] = [e for e in out["events"] if e.get("date")]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--scales", default="1,4,16,64")
    args = parser.parse_args()
    report = args.root / "data" / "reports" / "cop-ap-2023"
    source = report / "cop-asia-pacific-concluding-workshop-2023.txt"
    # the report's own records and the shared entities (all of which it names today)
    curated_dirs = [report / "curated", args.root / "data" / "shared"]
    text = source.read_text(encoding="utf-8")
    curated = curated_by_type(curated_dirs)
    print(f"report: {source.relative_to(args.root)} ({len(text.splitlines())} lines)")
    print(
        __doc__.split("Matching rules", 1)[1]
        .split("Then how")[0]
        .rstrip()
        .replace(" (one candidate", "Matching rules (one candidate", 1)
    )
    print()
    failed = []
    for mode, known in (("cold", []), ("warm", load_known(curated_dirs))):
        started = time.perf_counter()
        drafts = draft_records(text, known)
        seconds = time.perf_counter() - started
        print(
            f"{mode}: {'rules only' if not known else f'{len(known)} known organizations'}"
            f", drafted in {seconds:.2f}s"
        )
        print(
            f"  {'type':<14} {'found':>6} {'drafts':>7} {'curated':>8} {'precision':>10} "
            f"{'recall':>7}  target"
        )
        for rtype in TYPES:
            matched, n_drafts, n_curated = score(rtype, drafts[rtype], curated[rtype])
            precision = matched / n_drafts if n_drafts else 0.0
            recall = matched / n_curated if n_curated else 0.0
            target = TARGETS.get(rtype)
            mark = ""
            if target is not None:
                mark = f"recall >= {target:.0%} " + ("met" if recall >= target else "MISSED")
                if mode == "cold" and recall < target:
                    failed.append(rtype)
            print(
                f"  {rtype:<14} {matched:>6} {n_drafts:>7} {n_curated:>8} {precision:>10.0%} "
                f"{recall:>7.0%}  {mark}"
            )
        print()
    if failed:
        print(f"cold recall below target: {', '.join(failed)}")
        print()
    growth(text, load_known(curated_dirs), [int(n) for n in args.scales.split(",")])


def _seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def growth(text: str, known, scales: list[int]) -> None:
    """Median seconds to draft the report repeated n times, beside reading it (the baseline)."""
    print("growth (median seconds; the report's text repeated; warm)")
    print(f"  {'scale':>5} {'lines':>7} {'read text':>10} {'draft':>8} {'draft/read':>11}")
    rows = []
    for n in scales:
        big = text * n
        repeat = 3 if n <= 16 else 1
        read = _seconds(lambda big=big: Report(big), repeat)
        drafted = _seconds(lambda big=big: draft_records(big, known), repeat)
        rows.append((n, read, drafted))
        print(
            f"  {n:>4}x {len(big.splitlines()):>7} {read:>10.3f} {drafted:>8.3f} "
            f"{drafted / read:>11.1f}"
        )
    if len(rows) > 1:
        (n0, r0, d0), (n1, r1, d1) = rows[0], rows[-1]

        def slope(first: float, last: float) -> float:
            return math.log(last / first) / math.log(n1 / n0)

        print(f"  slope {'':>7} {slope(r0, r1):>10.2f} {slope(d0, d1):>8.2f}")


if __name__ == "__main__":
    main()
