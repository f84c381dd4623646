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
    "copgraph/build.py": (
        "xǁ_Converterǁ*",
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
        "x_scheme_members__*",
        "x_ontology_properties__*",
        "x_document_triples__*",
    ),
}
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
    for path in paths:
        log = ROOT / "mutants" / f"{path.replace('/', '.')}.log"
        log.parent.mkdir(exist_ok=True)
        print(f"== mutmut over {path} (log: {log.relative_to(ROOT)})", flush=True)
        with log.open("w", encoding="utf-8") as out:
            subprocess.run(
                [str(MUTMUT), "run", "--max-children", jobs, *name_globs(path)],
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
