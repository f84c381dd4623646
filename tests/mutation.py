"""Mutation testing of the core modules, one module at a time, and the score of each.

``python -m tests.mutation [PATH ...]`` (``make mutation``) runs mutmut over each module
listed in ``[tool.mutmut] only_mutate`` (or the paths given), then prints, per module, how
many mutants the unit tests killed. A mutant that makes a test hang past its time limit
counts as killed; one no test reaches counts as surviving. mutmut keeps its results in
``mutants/``: a second run retests only the functions that changed.

MUTATION_JOBS sets how many mutants run at once (default 2: the machine is shared).
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).parent / "mutmut"

# Functions of a module to mutate when only part of it is core (mutmut name globs);
# a module not named here is mutated whole.
PARTS = {
    "copgraph/build/convert.py": (
        "xǁConverterǁ*",
        "x_date_literal__*",
        "x__hash__*",
        "x_post_iri__*",
        "x_participation_iri__*",
        "x_notes_naming_unknown_discrepancies__*",
        "x__notes__*",
        "x__person_names__*",
        "x__is_fact__*",
        "x__quote_has__*",
        "x__hint__*",
        "x_invisible_characters__*",
        "x_document_triples__*",
        "x_evidence_iri__*",
        "x_reference_problem__*",
        "x_check_references__*",
    ),
}
# The store's adapters (terms, rows, messages, specs, the endpoint's replies), without its
# plumbing of processes, locks and sockets (the worker, the shared lock, the loader, the
# endpoint's transport): those are tested by tests/test_reliability.py and test_faults.py,
# whose real processes and time limits are too slow to run against every mutant.
PARTS["copgraph/store.py"] = (
    "x_brief__*",
    "xǁStoreǁ*",
    "x__plain__*",
    "x__term__*",
    "x__to_rdflib__*",
    "xǁ_LocalStoreǁ_produce__*",
    "xǁ_LocalStoreǁselect_stream__*",
    "xǁ_LocalStoreǁask__*",
    "xǁ_LocalStoreǁgraph__*",
    "x__guarded__*",
    "x__variables__*",
    "x__rows__*",
    "x__triples__*",
    "x__describe__*",
    "x_oxigraph_syntax_message__*",
    "xǁRdflibStoreǁ*",
    "x_decode_codepoints__*",
    "x_parse_rdflib__*",
    "xǁ_Openedǁ*",
    "xǁOxigraphStoreǁ__init____*",
    "xǁOxigraphStoreǁ_open_read_only__*",
    "xǁOxigraphStoreǁ_open_in_child__*",
    "xǁOxigraphStoreǁ_release__*",
    "xǁOxigraphStoreǁ_execute__*",
    "xǁ_NoRedirectOffHttpǁ*",
    "x__from_json__*",
    "xǁEndpointStoreǁ__init____*",
    "xǁEndpointStoreǁ_query__*",
    "xǁEndpointStoreǁ_json__*",
    "xǁEndpointStoreǁselect_stream__*",
    "xǁEndpointStoreǁask__*",
    "xǁEndpointStoreǁgraph__*",
    "xǁEndpointStoreǁcount_triples__*",
    "x__prologue__*",
    "x_check_url__*",
    "x_is_endpoint__*",
    "x_parse_store_spec__*",
)
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}


def core_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["mutmut"]["only_mutate"]


def name_globs(path: str) -> list[str]:
    """The mutmut mutant-name globs that select this module's (core) mutants."""
    module = path.removesuffix(".py").replace("/", ".")
    return [f"{module}.{part}" for part in PARTS.get(path, ("*",))]


def results() -> dict[str, str]:
    """Every mutant's status, by name, as mutmut last recorded it."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            found[name] = status
    return found


def score(path: str, statuses: dict[str, str]) -> Counter:
    globs = name_globs(path)
    return Counter(
        status for name, status in statuses.items() if any(fnmatch.fnmatch(name, g) for g in globs)
    )


def main(paths: list[str]) -> int:
    jobs = os.environ.get("MUTATION_JOBS", "2")
    # MUTATION_RESUME=1: run only the mutants not yet killed (after tests were added: a
    # mutant killed stays killed, since tests only grow); else every mutant again
    resume = os.environ.get("MUTATION_RESUME") == "1"
    for path in paths:
        log = ROOT / "mutants" / f"{path.replace('/', '.')}.log"
        log.parent.mkdir(exist_ok=True)
        print(f"== mutmut over {path} (log: {log.relative_to(ROOT)})", flush=True)
        with log.open("w", encoding="utf-8") as out:
            names = name_globs(path)
            if resume:
                statuses = results()
                names = [
                    name
                    for name, status in statuses.items()
                    if status not in DETECTED and any(fnmatch.fnmatch(name, g) for g in names)
                ]
                if not names:
                    continue
            subprocess.run(
                [str(MUTMUT), "run", "--max-children", jobs, *names],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
    statuses = results()
    print(f"{'module':34} {'killed':>7} {'total':>6} {'score':>6}  survived (mutmut show NAME)")
    worst = 100.0
    for path in paths:
        counts = score(path, statuses)
        total = sum(counts.values())
        killed = sum(counts[s] for s in DETECTED)
        percent = 100.0 * killed / total if total else 0.0
        worst = min(worst, percent)
        print(f"{path:34} {killed:7} {total:7} {percent:5.1f}%  {total - killed}")
    return 0 if worst >= 85.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or core_modules()))
