"""The build as one all-or-nothing step: read, convert, validate, write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from copgraph.build.convert import Converter, document_triples, notes_naming_unknown_discrepancies
from copgraph.build.ontology import load_ontology, ontology_properties, scheme_members
from copgraph.build.paths import Paths, inputs_digest
from copgraph.build.progress import progress_bar, status
from copgraph.build.serialize import stale_reason, write_outputs
from copgraph.build.shapes import validate_shapes
from copgraph.evidence import Source, SourceError, load_source
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
class Built:
    graph: Graph
    records: list[Record]
    source: Source


def assemble(paths: Paths | None = None) -> Built:
    """Check and convert everything; raise BuildError listing every problem."""
    paths = paths or Paths()
    try:
        source = load_source(paths.source_dir)
    except SourceError as exc:
        raise BuildError([str(exc)]) from None
    ontology = load_ontology(paths.ontology_dir)
    documents, unreadable = read_curated(paths.curated_dir)
    records, problems = parse_documents(documents)
    if unreadable:  # references into a file that did not parse would all look unknown
        raise BuildError(
            unreadable
            + problems
            + ["references and quotes are checked once every curated file can be read"]
        )
    converter = Converter(source, scheme_members(ontology), records, ontology_properties(ontology))
    for record in progress_bar(records, "converting records"):
        if converter.files_of.get(record.id) == record.file:
            converter.convert(record)
    problems += converter.problems
    problems += notes_naming_unknown_discrepancies(records, converter.types_of)
    graph = converter.graph
    document_triples(graph, source)
    if problems:
        raise BuildError(problems)
    graph += ontology
    return Built(graph=graph, records=records, source=source)


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


def ensure_built(paths: Paths | None = None, progress=None) -> Path:
    """Path to the built N-Triples, building (and validating) first if it cannot be trusted.

    The outputs are trusted only when the stamp matches the current inputs and the file's
    own hash, so an edited, truncated or half-written graph is rebuilt, never served.
    """
    paths = paths or Paths()
    out = paths.out_dir
    digest = inputs_digest(paths)
    reason = stale_reason(out, digest)
    if reason is None:
        return out / "copgraph.nt"
    if progress:
        progress(f"building the graph ({reason}) ...")
    graph = build_graph(paths)
    write_outputs(graph, out, digest)
    return out / "copgraph.nt"
