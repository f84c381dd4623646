"""copgraph: the ITU COP Asia-Pacific programme as an evidence-backed knowledge graph.

>>> import copgraph
>>> kg = copgraph.open_graph()  # doctest: +SKIP
>>> kg.query("partners-of", org="itu")  # doctest: +SKIP

The names below are imported on first use, so that ``copgraph --help`` does not load
rdflib, pandas or pyoxigraph.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "BuildError": "copgraph.build",
    "Paths": "copgraph.build",
    "build_graph": "copgraph.build",
    "KnowledgeGraph": "copgraph.kg",
    "open_graph": "copgraph.kg",
}

__all__ = sorted(_EXPORTS)
__version__ = "0.2.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'copgraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
