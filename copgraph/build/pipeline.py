"""The build as one all-or-nothing step: read, convert report by report, validate, write.

Each report is a unit: its triples are a function of its folder, the shared entities, the
ontology and the code only (``convert_report``), so a unit whose inputs did not change can
be reused. The shared entities are a unit of their own (``convert_shared``); references
from one unit to another unit's records are checked once all are converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from copgraph.build.convert import (
    Converter,
    Reference,
    check_references,
    document_triples,
    notes_naming_unknown_discrepancies,
)
from copgraph.build.ontology import load_ontology, ontology_properties, scheme_members
from copgraph.build.paths import Paths
from copgraph.build.progress import status
from copgraph.build.shapes import validate_shapes
from copgraph.evidence import Source, SourceError, load_source
from copgraph.namespaces import bind_prefixes
from copgraph.records import Problem, Record, parse_documents, read_curated


class BuildError(Exception):
    """The build found problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem | str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found")

    def report(self) -> str:
        lines = [f"build failed: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass
class Unit:
    """One report's (or the shared entities') conversion: its triples, the records they
    came from, the problems found, and the references left for the other units."""

    name: str  # the report id, or "shared"
    graph: Graph
    records: list[Record] = field(default_factory=list)
    problems: list[Problem | str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    unreadable: bool = False  # a curated file did not parse: references are not checked


@dataclass
class Built:
    graph: Graph
    records: list[Record]
    sources: dict[str, Source]  # by report id

    @property
    def source(self) -> Source:
        """The report of a one-report project (the first, by id, otherwise)."""
        return next(iter(self.sources.values()))


def load_shared(shared_dir: Path) -> tuple[list[Record], list[Problem]]:
    """The shared entities (``data/shared/*.yaml``, optional), checked record by record."""
    if not shared_dir.is_dir():
        return [], []
    documents, unreadable = read_curated(shared_dir)
    if not documents and not unreadable:
        return [], []
    unreadable = [p for p in unreadable if p.message != "no *.yaml files to build from"]
    records, problems = parse_documents(documents)
    return records, unreadable + problems


def _convert(converter: Converter, records: list[Record]) -> None:
    for record in records:
        if converter.files_of.get(record.id) == record.file:
            converter.convert(record)


def convert_report(
    report_dir: Path,
    shared_records: list[Record],
    ontology: Graph,
    source: Source | None = None,
) -> Unit:
    """One report's triples: its document node, its records and their quotes.

    A function of the report's folder (see ``paths.report_inputs``), the shared records,
    the ontology and the code only; ``source`` saves reading the text twice.
    """
    name = report_dir.name
    try:
        source = source or load_source(report_dir)
    except SourceError as exc:
        return Unit(name, bind_prefixes(Graph()), problems=[str(exc)])
    documents, unreadable = read_curated(report_dir / "curated")
    records, problems = parse_documents(documents)
    if unreadable:  # references into a file that did not parse would all look unknown
        return Unit(name, bind_prefixes(Graph()), records, unreadable + problems, unreadable=True)
    converter = Converter(
        {name: source},
        name,
        scheme_members(ontology),
        records,
        ontology_properties(ontology),
        known=shared_records,
    )
    _convert(converter, records)
    document_triples(converter.graph, source)
    return Unit(name, converter.graph, records, problems + converter.problems, converter.references)


def convert_shared(shared_records: list[Record], sources: dict[str, Source], ontology) -> Unit:
    """The shared entities' triples; each of their quotes names the report it is from."""
    converter = Converter(
        sources, None, scheme_members(ontology), shared_records, ontology_properties(ontology)
    )
    _convert(converter, shared_records)
    return Unit("shared", converter.graph, shared_records, converter.problems, converter.references)


def cross_report_problems(units: list[Unit]) -> list[Problem | str]:
    """What no single unit can see: an id defined by two units, a reference into another
    unit's records, a note naming a discrepancy recorded elsewhere."""
    types_of: dict[str, str] = {}
    files_of: dict[str, str] = {}
    problems: list[Problem | str] = []
    for unit in units:
        for record in unit.records:
            if record.id in files_of and files_of[record.id] != record.file:
                problems.append(
                    Problem(
                        record.file,
                        record.id,
                        "id",
                        f"duplicate id: also a {types_of[record.id]} record in "
                        f"{files_of[record.id]}; an entity several reports name belongs in "
                        "data/shared/",
                    )
                )
                continue
            types_of.setdefault(record.id, record.type.key)
            files_of.setdefault(record.id, record.file)
    for unit in units:
        problems += check_references(unit.references, types_of)
    records = [record for unit in units for record in unit.records]
    problems += notes_naming_unknown_discrepancies(records, types_of)
    return problems


def assemble(paths: Paths | None = None) -> Built:
    """Check and convert every report and the shared entities; raise BuildError listing
    every problem."""
    paths = paths or Paths()
    ontology = load_ontology(paths.ontology_dir)
    shared_records, shared_problems = load_shared(paths.shared_dir)
    folders = paths.report_dirs()
    if not folders:
        raise BuildError([f"{paths.reports_dir}: no report folders (data/reports/<id>/)"])
    sources, problems = {}, list(shared_problems)
    for folder in folders:
        try:
            sources[folder.name] = load_source(folder)
        except SourceError as exc:
            problems.append(str(exc))
    if problems:  # quotes cannot be checked against a report that cannot be read
        raise BuildError(problems)
    units = [convert_shared(shared_records, sources, ontology)] + [
        convert_report(folder, shared_records, ontology, sources[folder.name]) for folder in folders
    ]
    for unit in units:
        problems += unit.problems
    if any(unit.unreadable for unit in units):
        raise BuildError(
            problems + ["references and quotes are checked once every curated file can be read"]
        )
    problems += cross_report_problems(units)
    if problems:
        raise BuildError(problems)
    # the others are added to the largest unit's graph: copying 25,000 triples into a new
    # graph would cost a quarter of the conversion (the output is sorted, so order is moot)
    largest = max(units, key=lambda unit: len(unit.graph))
    graph = largest.graph
    for unit in units:
        if unit is not largest:
            graph += unit.graph
    graph += ontology
    records = [record for unit in units for record in unit.records]
    return Built(graph=graph, records=records, sources=sources)


def build_graph(paths: Paths | None = None, shapes: bool = True) -> Graph:
    """The whole built graph, ontology and schemes included, validated by the shapes
    (``copgraph.build_graph()``: about 5 s, so no doctest runs it)."""
    paths = paths or Paths()
    built = assemble(paths)
    if shapes:
        with status(f"SHACL on {len(built.graph)} triples"):
            shapes_path = paths.ontology_dir / "shapes.ttl"
            violations = validate_shapes(built.graph, shapes_path, built.records)
        if violations:
            raise BuildError(violations)
    return built.graph
