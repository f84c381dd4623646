"""SHACL validation, each result traced back to the curated file, record and field."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal

from copgraph.build.mapping import OVERRIDES, PREDICATES
from copgraph.namespaces import CG, ID, compact
from copgraph.records import Record, _relative


def validate_shapes(
    graph: Graph,
    shapes_path: Path | Graph,
    records: list[Record] | None = None,
    warnings: list[str] | None = None,
    *,
    ontology: Graph | None = None,
    focus: list | None = None,
) -> list[str]:
    """Run pySHACL; one readable line per violation, which fails the build.

    Results of severity Warning or Info (a gap the report allows, such as a post without
    a title) do not fail it: they are appended to ``warnings`` when given. With the records,
    each line names the curated file, record and field the node and property came from.
    ``shapes_path`` may be the shapes already parsed (a build of many reports parses them
    once); with ``focus``, only those nodes are validated (one report's own nodes, its
    graph holding what they refer to), with ``ontology`` mixed in.
    """
    from pyshacl import validate

    shapes = shapes_path if isinstance(shapes_path, Graph) else Graph().parse(shapes_path)
    conforms, results, _ = validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        focus_nodes=focus,
    )
    if conforms:
        return []
    from rdflib.namespace import SH

    by_id = {record.id: record for record in records or []}
    lines = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = _path_of(results, results.value(result, SH.resultPath))
        message = results.value(result, SH.resultMessage)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        where = _locate(focus, path, by_id)
        node = f"{_short(focus)}{' ' + _short(path) if path else ''}"
        if where:
            line = f"{where}: {message} (SHACL {severity} on {node})"
        else:
            line = f"SHACL {severity}: {node}: {message}"
        if severity == "Violation":
            lines.append(line)
        elif warnings is not None:
            warnings.append(line)
    if warnings is not None:
        warnings.sort()
    return sorted(lines)


def _locate(focus, path, by_id: dict[str, Record]) -> str | None:
    """'file: record 'x', field 'y'' for a node minted from a curated record, else None."""
    text = str(focus)
    if not text.startswith(str(ID)):
        return None
    parts = text[len(str(ID)) :].split("/")
    index = next((i for i, part in enumerate(parts) if part in by_id), None)
    if index is None:
        return None
    record = by_id[parts[index]]
    field_name = _field_of(record, path)
    if index == 0 and len(parts) == 2:  # a quantity's node: <record>/<field>
        field_name = f"{parts[1]}.{field_name}" if field_name else parts[1]
    field_part = f", field '{field_name}'" if field_name else ""
    return f"{_relative(record.file)}: record '{record.id}'{field_part}"


def _path_of(results: Graph, path):
    """A result's path; an inverse path (a blank node, whose label changes run to run) as
    the text '^cg:holder', so that messages are the same every time."""
    if isinstance(path, BNode):
        from rdflib.namespace import SH

        inverse = results.value(path, SH.inversePath)
        return Literal(f"^{_short(inverse)}") if inverse is not None else Literal("(a path)")
    return path


def _field_of(record: Record, path) -> str | None:
    """The YAML field whose triples use the predicate ``path`` (None if none does)."""
    if path is None:
        return None
    names = [name for name, predicate in PREDICATES.items() if predicate == path]
    names += [name for (_, name), predicate in OVERRIDES.items() if predicate == path]
    own = [n for n in names if record.type.field(n) is not None]
    chosen = own or names
    if chosen:
        return chosen[0]
    return {CG.minValue: "min", CG.maxValue: "max", CG.value: "value"}.get(path, _short(path))


def _short(term) -> str:
    return compact(str(term))
