"""The build report by report: convert, validate and serialize only the reports that changed.

Each report, the shared entities and the ontology are units. A unit's key is the digest of
its own files and of its context (the shared entities for a report, the report texts for
the shared entities' quotes, the ontology and shapes, the build code); a unit whose key
matches its cache entry (``cache``) is reused as it is. A unit that changed is converted,
validated by SHACL on its own nodes (with the shared entities it refers to and the
ontology, never the whole corpus), and its sorted N-Triples kept. The checks across units
(an id defined twice, a reference into another report, a note naming a discrepancy) run
on the small index each unit keeps beside its triples. The outputs are merged from the
units' sorted files: no rdflib Graph ever holds more than one report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from copgraph.build import cache
from copgraph.build.convert import (
    NOTE_DISCREPANCY,
    Reference,
    _notes,
    check_references,
    document_triples,
)
from copgraph.build.ontology import load_ontology
from copgraph.build.paths import Paths, code_files, inputs_digest, report_inputs, shared_inputs
from copgraph.build.pipeline import (
    BuildError,
    Unit,
    convert_report,
    convert_shared,
    load_shared,
)
from copgraph.build.progress import progress_bar, status
from copgraph.build.serialize import ntriples_lines, stale_reason, write_outputs
from copgraph.build.shapes import validate_shapes
from copgraph.evidence import SourceError, load_source
from copgraph.records import Problem, Record, suggest

ONTOLOGY_UNIT = "_ontology"
SHARED_UNIT = "_shared"
SHARED_LABEL = "shared entities"  # the shared unit, as rebuilt/reused name it


@dataclass
class Index:
    """What the checks across units need from one unit; kept in the cache beside it."""

    ids: list[list[str]] = field(default_factory=list)  # [id, record type, file]
    references: list[Reference] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)  # [file, record, field, named id]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "ids": self.ids,
            "references": [[*ref[:4], list(ref.targets), ref.by_name] for ref in self.references],
            "notes": self.notes,
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict) -> Index:
        references = [
            Reference(*ref[:4], tuple(ref[4]), bool(ref[5])) for ref in data.get("references", [])
        ]
        return cls(data.get("ids", []), references, data.get("notes", []), data.get("warnings", []))


def index_of(unit: Unit, warnings: list[str]) -> Index:
    notes = [
        [owner.file, owner.id, name, named]
        for record in unit.records
        for owner, name, note in _notes(record)
        for named in NOTE_DISCREPANCY.findall(note)
    ]
    ids = [[record.id, record.type.key, record.file] for record in unit.records]
    return Index(ids, list(unit.references), notes, warnings)


@dataclass
class Outcome:
    """What a build did: the units' sorted N-Triples, and which units it rebuilt or reused."""

    parts: list[Path]
    rebuilt: list[str]
    reused: list[str]
    records: int
    warnings: list[str]

    @property
    def reports(self) -> int:
        """How many reports the graph holds (the shared entities are not one)."""
        return len([name for name in self.rebuilt + self.reused if name != SHARED_LABEL])


def cross_unit_problems(indexes: list[Index]) -> list[Problem]:
    """What no single unit can see: an id two units define, a reference to no record of
    any unit (or to one of the wrong type), a note naming a discrepancy that is not one."""
    types_of: dict[str, str] = {}
    files_of: dict[str, str] = {}
    problems: list[Problem] = []
    for index in indexes:
        for record_id, kind, file in index.ids:
            if record_id in files_of and files_of[record_id] != file:
                problems.append(
                    Problem(
                        file,
                        record_id,
                        "id",
                        f"duplicate id: also a {types_of[record_id]} record in "
                        f"{files_of[record_id]}; an entity several reports name belongs in "
                        "data/shared/",
                    )
                )
                continue
            types_of.setdefault(record_id, kind)
            files_of.setdefault(record_id, file)
    for index in indexes:
        problems += check_references(index.references, types_of)
    known = [i for i, kind in types_of.items() if kind == "discrepancies"]
    for index in indexes:
        for file, record_id, name, named in index.notes:
            if types_of.get(named) != "discrepancies":
                problems.append(
                    Problem(
                        file,
                        record_id,
                        name,
                        f"names discrepancy '{named}', which is not a discrepancies "
                        f"record{suggest(named, known)}",
                    )
                )
    return problems


def _reports_quoted(records: list[Record]) -> set[str]:
    """The reports the shared entities' quotes come from (each quote names its report)."""
    found = set()
    for record in records:
        for item in record.data.get("evidence") or []:
            if isinstance(item, dict) and isinstance(item.get("report"), str):
                found.add(item["report"])
        for children in record.nested.values():
            found |= _reports_quoted(children)
    return found


def _by_subject(ntriples: Path) -> dict[bytes, list[bytes]]:
    """A unit's sorted N-Triples lines grouped by their subject term."""
    grouped: dict[bytes, list[bytes]] = {}
    with open(ntriples, "rb") as handle:
        for line in handle:
            grouped.setdefault(line.split(b" ", 1)[0], []).append(line)
    return grouped


def _referenced(graph: Graph, context: dict[bytes, list[bytes]], seen: set) -> set[bytes]:
    """The subjects of ``context`` that ``graph`` refers to, except those ``seen``."""
    found = set()
    for obj in set(graph.objects()):
        if isinstance(obj, URIRef):
            term = f"<{obj}>".encode()
            if term in context and term not in seen:
                found.add(term)
    return found


def _validated(
    unit: Unit,
    shapes: Graph,
    ontology: Graph,
    context: dict[bytes, list[bytes]],
    sources=(),
) -> tuple[list[bytes], list[str], list[str]]:
    """The unit's sorted lines, its SHACL violations and warnings: its own nodes are
    validated, with the ontology, the triples of the shared entities they refer to and
    the document nodes of ``sources`` (the reports the shared entities quote) beside them."""
    lines = ntriples_lines(unit.graph)
    own = sorted(set(unit.graph.subjects()))
    unit.graph += ontology  # the schemes' concepts, whose membership the shapes check
    for source in sources:
        document_triples(unit.graph, source)
    # the shared nodes the unit refers to, and theirs in turn (an organization's quotes)
    frontier, seen = _referenced(unit.graph, context, set()), set()
    while frontier:
        seen |= frontier
        extra = b"".join(line for term in sorted(frontier) for line in context[term])
        added = Graph().parse(data=extra.decode("utf-8"), format="nt")
        unit.graph += added
        frontier = _referenced(added, context, seen)
    warnings: list[str] = []
    violations = validate_shapes(unit.graph, shapes, unit.records, warnings, focus=own)
    return lines, violations, warnings


def build_units(paths: Paths, cache_dir: Path) -> Outcome:
    """Every unit, from the cache or rebuilt; BuildError listing every problem found."""
    ontology_dir = paths.ontology_dir
    ontology_digest = cache.files_digest(sorted(ontology_dir.rglob("*.ttl")), ontology_dir)
    code_digest = cache.files_digest(code_files())
    folders = paths.report_dirs()
    if not folders:
        raise BuildError([f"{paths.reports_dir}: no report folders (data/reports/<id>/)"])
    shared_digest = cache.files_digest(shared_inputs(paths), paths.shared_dir)
    texts = [p for folder in folders for p in sorted(folder.glob("*")) if p.is_file()]
    texts_digest = cache.files_digest(texts, paths.reports_dir)

    ontology = load_ontology(ontology_dir)
    shapes = Graph().parse(ontology_dir / "shapes.ttl")
    shared_records, problems = load_shared(paths.shared_dir)
    problems = list(problems)
    rebuilt, reused, indexes, parts, warnings = [], [], [], [], []
    unreadable = False

    key = cache.unit_key(ontology_digest, code_digest)
    found = cache.load(cache_dir, ONTOLOGY_UNIT, key)
    if found is None:
        found = cache.save(cache_dir, ONTOLOGY_UNIT, key, ntriples_lines(ontology), {})
    parts.append(found.ntriples)

    # SHACL's violations are reported only when the records, quotes and references are
    # sound (as in a build from scratch): a bad reference would show up twice otherwise
    violations: list[str] = []
    key = cache.unit_key(shared_digest, texts_digest, ontology_digest, code_digest)
    shared = cache.load(cache_dir, SHARED_UNIT, key)
    if shared is None and not problems:
        sources = {}
        for name in sorted(_reports_quoted(shared_records)):
            if (paths.reports_dir / name).is_dir():
                try:
                    sources[name] = load_source(paths.reports_dir / name)
                except SourceError as exc:
                    problems.append(str(exc))
        unit = convert_shared(shared_records, sources, ontology)
        problems += unit.problems
        rebuilt.append(SHARED_LABEL)
        if not unit.problems:
            quoted = sources.values()
            with status(f"{SHARED_LABEL}: {len(unit.records)} records, SHACL"):
                lines, found_violations, unit_warnings = _validated(
                    unit, shapes, ontology, {}, quoted
                )
            violations += found_violations
            index = index_of(unit, unit_warnings)
            if not found_violations:
                shared = cache.save(cache_dir, SHARED_UNIT, key, lines, index.to_json())
    elif shared is not None:
        reused.append(SHARED_LABEL)
    if shared is not None:
        parts.append(shared.ntriples)
        indexes.append(Index.from_json(shared.meta))
    # without the shared entities' triples, a report's references would all look wrong
    context = _by_subject(shared.ntriples) if shared is not None else None

    for folder in progress_bar(folders, "reports", unit="report", label=lambda f: f.name):
        name = folder.name
        own = cache.files_digest(report_inputs(folder), folder)
        key = cache.unit_key(own, shared_digest, ontology_digest, code_digest)
        found = cache.load(cache_dir, f"report-{name}", key)
        if found is not None:
            reused.append(name)
            parts.append(found.ntriples)
            indexes.append(Index.from_json(found.meta))
            continue
        unit = convert_report(folder, shared_records, ontology)
        problems += unit.problems
        unreadable = unreadable or unit.unreadable
        rebuilt.append(name)
        if unit.problems or context is None:
            indexes.append(index_of(unit, []))  # its ids, for the others' references
            continue
        with status(f"{name}: {len(unit.records)} records, SHACL"):
            lines, found_violations, unit_warnings = _validated(unit, shapes, ontology, context)
        violations += found_violations
        index = index_of(unit, unit_warnings)
        indexes.append(index)
        if not found_violations:
            found = cache.save(cache_dir, f"report-{name}", key, lines, index.to_json())
            parts.append(found.ntriples)
        del unit, lines  # one report's graph at a time

    if unreadable:
        problems.append("references and quotes are checked once every curated file can be read")
    else:
        problems += cross_unit_problems(indexes)
    if problems or violations:
        raise BuildError(problems or violations)
    _prune(cache_dir, parts)
    records = sum(len(index.ids) for index in indexes)
    warnings = sorted(w for index in indexes for w in index.warnings)
    return Outcome(parts, rebuilt, reused, records, warnings)


def _prune(cache_dir: Path, keep: list[Path]) -> None:
    """Drop the cache entries of reports that no longer exist."""
    kept = {path.stem for path in keep}
    for path in cache_dir.glob("*"):
        if path.suffix in (".nt", ".json") and path.stem not in kept:
            path.unlink(missing_ok=True)


def build_incremental(paths: Paths, out_dir: Path, digest: str | None) -> Outcome:
    """Build what changed into ``out_dir`` (its per-report cache in ``out_dir/reports``)
    and write the outputs merged from every unit's sorted triples."""
    outcome = build_units(paths, out_dir / cache.FOLDER)
    write_outputs(outcome.parts, out_dir, digest)
    return outcome


def ensure_built(paths: Paths | None = None, progress=None) -> Path:
    """Path to the built N-Triples, building (and validating) first if it cannot be trusted.

    The outputs are trusted only when the stamp matches the current inputs and the file's
    own hash, so an edited, truncated or half-written graph is rebuilt, never served; the
    rebuild redoes only the reports whose inputs changed.
    """
    paths = paths or Paths()
    out = paths.out_dir
    digest = inputs_digest(paths)
    reason = stale_reason(out, digest)
    if reason is None:
        return out / "copgraph.nt"
    if progress:
        progress(f"building the graph ({reason}) ...")
    build_incremental(paths, out, digest)
    return out / "copgraph.nt"
