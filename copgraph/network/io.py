"""Exports other tools read: GraphML, GEXF 1.2draft (Gephi), node-link JSON, CSV edge list.

GraphML and GEXF cannot hold lists, so :func:`exportable` turns them into JSON text; read
back with :func:`read_export`, an export equals that graph. The GEXF file follows the
GEXF 1.2draft schema: NetworkX's writer adds a ``name`` attribute to ``<graph>`` that the
schema does not allow, and a modification date that would make two runs differ, so both
are left out.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

FORMATS = ("graphml", "gexf", "json", "csv")


def exportable(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes GraphML and GEXF can hold: lists and dicts become JSON text,
    None becomes "", numbers stay numbers. Read back, an export equals this graph."""

    def clean(attrs: dict) -> dict:
        out = {}
        for key, value in attrs.items():
            if value is None:
                value = ""
            elif isinstance(value, list | tuple | dict | set):
                value = json.dumps(
                    sorted(value) if isinstance(value, set) else value,
                    ensure_ascii=False,
                    sort_keys=True,
                )
            elif not isinstance(value, bool | int | float | str):
                value = str(value)
            out[key] = value
        return out

    copy = nx.Graph()
    copy.graph.update(clean(graph.graph))
    copy.add_nodes_from((n, clean(a)) for n, a in graph.nodes(data=True))
    copy.add_edges_from((u, v, clean(a)) for u, v, a in graph.edges(data=True))
    return copy


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    """GEXF 1.2draft that the schema accepts: no ``graph@name``, no modification date."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    plain = exportable(graph)
    plain.graph.clear()
    writer.add_graph(plain)
    writer.graph_element.attrib.pop("name", None)
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    writer.write(path)
    return path


def quote_text(quotes) -> str:
    """Quotes as one spreadsheet cell: ``[§4.1, line 10] "Alpha funded Beta" | ...``."""
    return " | ".join(
        f"[\u00a7{q['section']}, line {q['line']}] \u201c{q['quote']}\u201d" for q in quotes or []
    )


def write_csv(graph: nx.Graph, path: Path) -> Path:
    """One row per tie for spreadsheets: both ends with their names, the tie's kinds,
    weight, countries, relations and the quotes behind it as text."""
    keys = sorted({k for *_, a in graph.edges(data=True) for k in a} - {"quotes", "via"})
    columns = ["source", "source_name", "target", "target_name", *keys, "quotes"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        for u, v in sorted(tuple(sorted(e, key=str)) for e in graph.edges):
            attrs = graph.edges[u, v]
            cells = [
                "; ".join(map(str, value)) if isinstance(value, list | tuple) else value
                for value in (attrs.get(k, "") for k in keys)
            ]
            out.writerow(
                [
                    u,
                    graph.nodes[u].get("label", u),
                    v,
                    graph.nodes[v].get("label", v),
                    *cells,
                    quote_text(attrs.get("quotes")),
                ]
            )
    return path


def export(graph: nx.Graph, path: Path, fmt: str) -> Path:
    """Write the graph as ``graphml``, ``gexf``, node-link ``json`` or a ``csv`` edge list
    (NetworkX reads the first three back: :func:`read_export`)."""
    path = Path(path)
    if fmt == "graphml":
        nx.write_graphml(exportable(graph), path, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        write_gexf(graph, path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    elif fmt == "csv":
        write_csv(graph, path)
    else:
        raise ValueError(f"unknown export format {fmt!r}: {', '.join(FORMATS)}")
    return path


def read_export(path: Path, fmt: str) -> nx.Graph:
    """Read an export back into NetworkX, without what the readers add on their own (GEXF's
    edge ``id`` and ``mode``, GraphML's ``node_default``/``edge_default``). GEXF keeps no
    graph attributes."""
    if fmt == "json":
        return nx.node_link_graph(json.loads(Path(path).read_text(encoding="utf-8")), edges="edges")
    if fmt == "graphml":
        graph = nx.read_graphml(path)
    elif fmt == "gexf":
        graph = nx.read_gexf(path)
        for *_, attrs in graph.edges(data=True):
            attrs.pop("id", None)
            weight = attrs.get("weight")
            if isinstance(weight, float) and weight.is_integer():
                attrs["weight"] = int(weight)
        graph.graph.pop("mode", None)
    else:
        raise ValueError(f"unknown export format {fmt!r}: graphml, gexf or json")
    for key in ("node_default", "edge_default"):
        graph.graph.pop(key, None)
    return graph
