"""SPARQL quality checks in the style of the OBO ontology repositories.

Each ``quality/*.rq`` file is a query that must return no rows; a row is a defect, and
the query's header says what it checks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from copgraph.catalog import NamedQuery, load_catalog

QUALITY_DIR = Path(__file__).parent / "quality"


def checks() -> dict[str, NamedQuery]:
    return load_catalog(QUALITY_DIR)


def run_checks(kg) -> dict[str, pd.DataFrame]:
    """Every check's result rows (an empty frame means the check passes)."""
    return {name: kg.sparql(check.text) for name, check in checks().items()}
