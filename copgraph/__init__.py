"""copgraph: the ITU COP Asia-Pacific programme as an evidence-backed knowledge graph.

>>> import copgraph
>>> kg = copgraph.open_graph()  # doctest: +SKIP
>>> kg.query("partners-of", org="itu")  # doctest: +SKIP
"""

from copgraph.build import BuildError, Paths, build_graph
from copgraph.kg import KnowledgeGraph, open_graph

__all__ = ["BuildError", "KnowledgeGraph", "Paths", "build_graph", "open_graph"]
__version__ = "0.1.0"
