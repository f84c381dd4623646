"""copgraph: the ITU COP Asia-Pacific programme as an evidence-backed knowledge graph.

>>> import copgraph
>>> graph = copgraph.build_graph()  # doctest: +SKIP
"""

from copgraph.build import BuildError, Paths, build_graph

__all__ = ["BuildError", "Paths", "build_graph"]
__version__ = "0.1.0"
