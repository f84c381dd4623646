"""Record the real graph's content: counts per class and every named query's answer.

``python -m tests.baseline`` writes tests/fixtures/baseline.json from the default build
(data/ of this checkout); test_reports compares a fresh build with it. Refresh it only on
purpose, when the data or a query changes what the graph says (and review the diff): a
change of layout or code alone must leave it as it is.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "baseline.json"


def content(kg, graph, columns: dict[str, list[str]] | None = None) -> dict:
    """Counts per class, and per named query (README example parameters) its columns, its
    answer's row count and the sha256 of its CSV; ``columns`` (by query) keeps to the
    columns recorded, so that a column added later leaves the recorded answer comparable."""
    from copgraph.catalog import for_people, load_catalog
    from copgraph.docs import FALLBACK
    from copgraph.stats import class_counts

    counts = {
        row["class"]: [int(row["count"]), int(row["with_evidence"])]
        for row in class_counts(graph).to_dict("records")
    }
    answers = {}
    for q in load_catalog().values():
        params = q.example or {p.name: FALLBACK[p.name] for p in q.params if p.required}
        frame = kg.query(q.name, **params)
        kept = (columns or {}).get(q.name, list(frame.columns))
        text = for_people(frame[kept], "csv").to_csv(index=False)
        answers[q.name] = {
            "columns": kept,
            "params": params,
            "rows": len(frame),
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
    return {"classes": counts, "queries": answers}


def main() -> int:
    from copgraph.kg import open_graph
    from copgraph.stats import read_built

    recorded = content(open_graph(), read_built())
    FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
