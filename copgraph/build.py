"""Records to triples: check the curated data, convert it, validate it, write the graph.

The build is all-or-nothing: every problem it finds (in the YAML, in a quote, in a
reference, against the SHACL shapes) is collected and reported together, and nothing is
written unless there are none. The same inputs give byte-identical output files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from copgraph.evidence import Report, Source, SourceError, collapse, load_source
from copgraph.namespaces import CG, ID, PREFIXES, SCHEMES, bind_prefixes
from copgraph.records import Problem, Record, _text_of, load_records, suggest

ROOT = Path(__file__).resolve().parent.parent


def default_root() -> Path:
    """The project folder: $COPGRAPH_ROOT if set, else this checkout."""
    env = os.environ.get("COPGRAPH_ROOT")
    return Path(env).resolve() if env else ROOT


PARTICIPATION_SOURCES = {"agenda", "narrative"}


@dataclass(frozen=True)
class Paths:
    """Where the inputs and outputs live; defaults to this checkout's folders."""

    root: Path = field(default_factory=default_root)
    source: Path | None = None
    curated: Path | None = None
    ontology: Path | None = None
    out: Path | None = None

    @property
    def source_dir(self) -> Path:
        return self.source or self.root / "data" / "source"

    @property
    def curated_dir(self) -> Path:
        return self.curated or self.root / "data" / "curated"

    @property
    def ontology_dir(self) -> Path:
        return self.ontology or self.root / "ontology"

    @property
    def out_dir(self) -> Path:
        return self.out or self.root / "data" / "build"


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
    problems: list[Problem] = field(default_factory=list)


# Which predicate each YAML field becomes. A field absent here is handled by hand below.
PREDICATES: dict[str, URIRef] = {
    "label": RDFS.label,
    "name": RDFS.label,
    "alt_labels": SKOS.altLabel,
    "alt_names": SKOS.altLabel,
    "acronym": CG.acronym,
    "kind": CG.kind,
    "country": CG.country,
    "parent": CG.parentOrganization,
    "note": CG.note,
    "honorific": CG.honorific,
    "title": CG.title,
    "organization": CG.organization,
    "iso2": CG.iso2,
    "iso3": CG.iso3,
    "beneficiary": CG.beneficiary,
    "appears_as": CG.appearsAs,
    "established": CG.established,
    "start": CG.start,
    "end": CG.end,
    "established_by": CG.establishedBy,
    "within": CG.withinFramework,
    "funders": CG.funder,
    "beneficiaries": CG.beneficiaryCountry,
    "outcomes": CG.outcome,
    "language": CG.language,
    "producers": CG.producer,
    "partners": CG.partner,
    "date": CG.date,
    "end_date": CG.endDate,
    "status": CG.status,
    "audience": CG.audience,
    "age_range": CG.ageRange,
    "translation_of": CG.translationOf,
    "launched_at": CG.launchedAt,
    "programme": CG.programme,
    "place": CG.place,
    "participants": CG.participants,
    "organizers": CG.organizer,
    "part_of": CG.partOf,
    "number": CG.sessionNumber,
    "alt_titles": CG.alternativeTitle,
    "event": CG.partOf,
    "topics": CG.topic,
    "person": CG.participant,
    "role": CG.role,
    "source": CG.source,
    "organizations": CG.partnerOrganization,
    "about": CG.description,
    "about_item": CG.about,
    "subject": CG.about,
    "value": CG.value,
    "min": CG.minValue,
    "max": CG.maxValue,
    "unit": CG.unit,
    "year": CG.year,
    "wording": CG.wording,
    "jurisdiction": CG.jurisdiction,
    "speaker": CG.speaker,
    "session": CG.session,
    "text": CG.text,
    "property": CG.property,
    "description": CG.description,
    "hub": CG.hub,
    "former": CG.former,
    "stated_by": CG.statedBy,
    "issuer": CG.issuer,
    "online": CG.online,
}
# Where one field name means something else in one record type.
OVERRIDES: dict[tuple[str, str], URIRef] = {
    ("variants", "value"): CG.variantValue,
    ("discrepancies", "about"): CG.about,
}
# Fields whose triple points from the referenced node to the record (X cites instrument).
INVERSE = {"cited_by": CG.cites, "sessions": CG.cites}


def date_literal(text: str) -> Literal:
    """ISO 8601 partial dates keep their precision: gYear, gYearMonth or date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=datatype)


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def post_iri(person: str, organization: str, title: str) -> URIRef:
    return ID[f"post/{person}/{organization}-{_hash(title)[:6]}"]


def participation_iri(session: str, person: str, role: str) -> URIRef:
    return ID[f"participation/{session}/{person}/{role}"]


class _Converter:
    """Checks references and quotes while it turns records into triples."""

    def __init__(self, source: Source, schemes: dict[str, set[str]], records: list[Record]):
        self.report: Report = source.report
        self.document = ID[source.document_id]
        self.schemes = schemes
        self.graph = bind_prefixes(Graph())
        self.problems: list[Problem] = []
        self.types_of: dict[str, str] = {}
        self.files_of: dict[str, str] = {}
        for record in records:
            if record.id in self.types_of:
                self.problems.append(
                    Problem(
                        record.file,
                        record.id,
                        "id",
                        f"duplicate id: also a {self.types_of[record.id]} record "
                        f"in {self.files_of[record.id]}",
                    )
                )
                continue
            self.types_of[record.id] = record.type.key
            self.files_of[record.id] = record.file
        self.person_names = _person_names(records)

    # -- checks -------------------------------------------------------------------------
    def problem(self, record: Record, field_name: str, message: str) -> None:
        self.problems.append(Problem(record.file, record.id, field_name, message))

    def ref(self, record: Record, field_name: str, value: str, targets) -> URIRef | None:
        kind = self.types_of.get(value)
        if kind is None:
            pool = [i for i, t in self.types_of.items() if not targets or t in targets]
            self.problem(record, field_name, f"unknown id '{value}'{suggest(value, pool)}")
            return None
        if targets and kind not in targets:
            wanted = " or ".join(targets)
            self.problem(record, field_name, f"'{value}' is a {kind} record, expected {wanted}")
            return None
        return ID[value]

    def concept(self, record: Record, field_name: str, value: str, scheme: str) -> URIRef | None:
        known = self.schemes.get(scheme, set())
        if value not in known:
            self.problem(
                record,
                field_name,
                f"'{value}' is not in the {scheme} scheme (ontology/schemes/{scheme}.ttl)"
                f"{suggest(value, known)}",
            )
            return None
        return SCHEMES[scheme][value]

    def evidence(self, record: Record, items: list[dict], field_name="evidence") -> list[URIRef]:
        return [node for node, *_ in self.quotes(record, items, field_name)]

    def quotes(self, record: Record, items: list[dict], field_name="evidence") -> list:
        """Each quote found in the report, as (evidence node, the facts it supports)."""
        found = []
        for index, item in enumerate(items):
            where = f"{field_name}[{index}].quote"
            matches = self.report.find(item["quote"])
            if not matches:
                self.problem(
                    record,
                    where,
                    f"quote not found in the report: {_hint(self.report, item['quote'])}",
                )
                continue
            wanted = item.get("section")
            if wanted:
                chosen = [m for m in matches if m.section == wanted] or [
                    m for m in matches if m.section.startswith(wanted + ".")
                ]
                if not chosen:
                    found_in = ", ".join(sorted({m.section for m in matches}))
                    self.problem(
                        record,
                        f"{field_name}[{index}].section",
                        f"the quote is not in section {wanted} (it is in {found_in})",
                    )
                    continue
                matches = chosen
            elif len({m.section for m in matches}) > 1:
                places = ", ".join(f"{m.section} (line {m.line})" for m in matches)
                self.problem(
                    record,
                    where,
                    f"the quote occurs {len(matches)} times, in sections {places}; "
                    "add 'section:' to choose one",
                )
                continue
            node = self._evidence_node(matches[0], item.get("note"))
            found.append((node, item.get("supports"), item.get("unnamed")))
        return found

    def _evidence_node(self, match, note) -> URIRef:
        node = ID[f"evidence/{_hash(self.document, match.start, match.end)}"]
        g = self.graph
        if (node, RDF.type, CG.Evidence) not in g:
            g.add((node, RDF.type, CG.Evidence))
            g.add((node, CG.inDocument, self.document))
            g.add((node, CG.exact, Literal(self.report.collapsed[match.start : match.end])))
            if match.prefix:
                g.add((node, CG.prefix, Literal(match.prefix)))
            if match.suffix:
                g.add((node, CG.suffix, Literal(match.suffix)))
            g.add((node, CG.section, Literal(match.section)))
            g.add((node, CG.sectionTitle, Literal(match.section_title)))
            g.add((node, CG.line, Literal(match.line)))
            g.add((node, CG.sentence, Literal(match.sentence)))
        if note:
            g.add((node, CG.note, Literal(note)))
        return node

    def fact(self, triple: tuple, evidence: list[URIRef], unnamed=()) -> URIRef:
        """The fact node beside a triple, naming the quotes that state exactly that triple."""
        s, p, o = triple
        node = ID[f"fact/{_hash(s, p, o.n3())}"]
        g = self.graph
        g.add((node, RDF.type, CG.Fact))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        for e in evidence:
            g.add((node, CG.evidence, e))
        for reason in unnamed:
            g.add((node, CG.unnamedBecause, Literal(reason)))
        return node

    def check_supports(self, record: Record, quotes: list) -> None:
        """Every ``supports`` entry names a field of the record, and a value it holds."""
        names = [f.name for f in record.type.fields if f.name not in ("id", "evidence")]
        for index, (_, supports, _) in enumerate(quotes):
            for name, value in supports or ():
                where = f"evidence[{index}].supports"
                spec = record.type.field(name)
                if spec is None or name in ("id", "evidence", "note"):
                    self.problem(record, where, f"no field '{name}'{suggest(name, names)}")
                    continue
                held = record.data.get(name)
                if held is None and name not in record.nested:
                    self.problem(record, where, f"'{name}' has no value in this record")
                    continue
                if value is not None:
                    values = [_text_of(v) for v in (held if spec.many else [held])]
                    if value not in values:
                        self.problem(
                            record,
                            where,
                            f"'{name}: {value}' is not a value of this record's '{name}' "
                            f"({', '.join(values)})",
                        )

    def support(self, record: Record, spec, value, quotes: list) -> list[tuple]:
        """The quotes that state this field's value, each with its ``unnamed`` reason."""
        text = _text_of(value)
        chosen = [
            (node, unnamed)
            for node, supports, unnamed in quotes
            if supports and ((spec.name, None) in supports or (spec.name, text) in supports)
        ]
        if record.type.compact:
            chosen += [(node, None) for node, supports, _ in quotes if supports is None]
        return list(dict.fromkeys(chosen))

    # -- conversion ---------------------------------------------------------------------
    def convert(self, record: Record, subject: URIRef | None = None) -> URIRef:
        rtype = record.type
        subject = subject or ID[record.id]
        g = self.graph
        g.add((subject, RDF.type, CG[rtype.cls]))
        items = record.data.get("evidence") or self.implied_evidence(record)
        quotes = self.quotes(record, items)
        self.check_supports(record, quotes)
        # Record-level quotes name the record: those that support no fact, or its labels.
        naming = [
            node
            for node, supports, _ in quotes
            if supports is None or any(not _is_fact(rtype, name) for name, _ in supports)
        ] or [node for node, *_ in quotes]
        for node in naming:
            g.add((subject, CG.evidence, node))
        evidence = [node for node, *_ in quotes]
        for spec in rtype.fields:
            value = record.data.get(spec.name)
            if spec.name in ("id", "evidence") or value is None:
                continue
            for one in value if spec.many else [value]:
                obj = self.term(record, spec, one, subject, evidence)
                if obj is None:
                    continue
                if spec.name in INVERSE:
                    triple = (obj, INVERSE[spec.name], subject)
                else:
                    predicate = OVERRIDES.get((rtype.key, spec.name), PREDICATES[spec.name])
                    triple = (subject, predicate, obj)
                g.add(triple)
                if spec.kind == "quantity":
                    self.fact(triple, sorted(g.objects(obj, CG.evidence)))
                elif spec.fact and one is not False:
                    support = self.support(record, spec, one, quotes)
                    if support:
                        reasons = sorted({why for _, why in support if why})
                        self.fact(triple, [node for node, _ in support], reasons)
                    else:
                        self.problem(
                            record,
                            spec.name,
                            f"no quote states '{spec.name}: {_text_of(one)}': add "
                            f"'supports: [{spec.name}]' to the quote that does, or drop the "
                            "value and keep the doubt in 'note'",
                        )
        handler = self.SPECIAL.get(rtype.key)
        if handler:
            handler(self, record, subject, naming)
        return subject

    def implied_evidence(self, record: Record) -> list[dict]:
        """A statement without quotes is quoted by its own text."""
        if record.type.key == "statements" and record.data.get("text"):
            return [{"quote": record.data["text"], "section": None, "supports": None}]
        return []

    def term(self, record, spec, value, subject, evidence):
        if spec.kind == "ref":
            return self.ref(record, spec.name, value, spec.targets)
        if spec.kind == "concept":
            return self.concept(record, spec.name, value, spec.targets[0])
        if spec.kind == "date":
            return date_literal(value)
        if spec.kind == "datetime":
            return Literal(value, datatype=XSD.dateTime)
        if spec.kind == "quantity":
            return self.quantity(record, spec.name, value, subject, evidence)
        if spec.kind == "integer" and spec.name == "year":
            return Literal(str(value), datatype=XSD.gYear)
        if spec.kind in ("string", "integer", "boolean", "number"):
            if spec.name == "source" and value not in PARTICIPATION_SOURCES:
                self.problem(record, spec.name, f"'{value}' must be agenda or narrative")
                return None
            return Literal(value)
        return None  # nested: handled by SPECIAL

    def quantity(self, record, field_name, value, subject, evidence) -> URIRef | None:
        node = URIRef(f"{subject}/{field_name}")
        own = self.evidence(record, value["evidence"], f"{field_name}.evidence")
        supporting = own or [e for e in evidence if _quote_has(self.graph, e, value["wording"])]
        if not supporting:
            self.problem(
                record,
                f"{field_name}.wording",
                f"'{value['wording']}' is not in any of the record's quotes; "
                f"quote it under {field_name}.evidence",
            )
            return None
        g = self.graph
        g.add((node, RDF.type, CG.Figure))
        g.add((node, CG.about, subject))
        g.add((node, CG.description, Literal(f"{field_name} of {record.id}")))
        g.add((node, CG.unit, Literal(value.get("unit") or field_name)))
        g.add((node, CG.wording, Literal(value["wording"])))
        for key, predicate in (("value", CG.value), ("min", CG.minValue), ("max", CG.maxValue)):
            if value.get(key) is not None:
                g.add((node, predicate, Literal(value[key])))
        if value.get("note"):
            g.add((node, CG.note, Literal(value["note"])))
        for e in supporting:
            g.add((node, CG.evidence, e))
        return node

    def nested_link(self, triple: tuple) -> None:
        """A post's holder, a participation's session, a discrepancy's variant: stated by
        the nested record's own quotes."""
        self.graph.add(triple)
        nested = triple[0] if triple[1] in (CG.holder, CG.session) else triple[2]
        self.fact(triple, sorted(self.graph.objects(nested, CG.evidence)))

    def _person(self, record, subject, evidence):
        for post in record.nested.get("posts", []):
            org = post.data.get("organization")
            node = post_iri(record.id, org or "unknown", post.data.get("title", ""))
            self.convert(post, node)
            self.nested_link((node, CG.holder, subject))

    def _session(self, record, subject, evidence):
        for part in record.nested.get("participants", []):
            person, role = part.data.get("person"), part.data.get("role")
            node = participation_iri(record.id, person or "unknown", role or "unknown")
            if (node, RDF.type, CG.Participation) in self.graph:
                self.problem(
                    part,
                    "role",
                    f"{person} already has role {role} in this session; merge the two "
                    "(list both sources and both quotes)",
                )
            self.convert(part, node)
            self.nested_link((node, CG.session, subject))

    def _discrepancy(self, record, subject, evidence):
        variants = record.nested.get("variants", [])
        if len(variants) < 2:
            self.problem(record, "variants", "a discrepancy needs at least two variants")
        for variant in variants:
            node = ID[f"variant/{record.id}/{_hash(variant.data.get('value'))[:8]}"]
            self.convert(variant, node)
            self.nested_link((subject, CG.variant, node))

    def _statement(self, record, subject, evidence):
        text, speaker = record.data["text"], record.data.get("speaker")
        if record.data.get("evidence") and not self.report.contains(text):
            self.problem(record, "text", "the statement's text is not in the report")
            return
        fact = ID[f"fact/{_hash(subject, CG.speaker, ID[speaker].n3())}"] if speaker else None
        if fact is None or (fact, RDF.type, CG.Fact) not in self.graph:
            return
        if self._names_speaker(fact, speaker):
            return
        named = self._person_named_before(text)
        if named is None or named[0] != speaker:
            who = f"'{named[1]}' (line {named[2]})" if named else "nobody"
            self.problem(
                record,
                "speaker",
                f"the person the report names last before these words is {who}, not "
                f"'{speaker}': quote the words that name the speaker, with supports: [speaker]",
            )
            return
        self.graph.add(
            (
                fact,
                CG.unnamedBecause,
                Literal(
                    f"The report names the speaker ('{named[1]}', line {named[2]}) just before "
                    "these words, and no other person in between; the build checks it."
                ),
            )
        )

    def _names_speaker(self, fact, speaker: str) -> bool:
        names = self.person_names.get(speaker, ())
        return any(
            any(collapse(n).lower() in str(q).lower() for n in names)
            for e in self.graph.objects(fact, CG.evidence)
            for q in self.graph.objects(e, CG.exact)
        )

    def _person_named_before(self, text: str):
        """(person id, name, line) of the last person named before the text, in its section."""
        matches = self.report.find(text)
        if not matches:
            return None
        start = matches[0].start
        section = self.report.section_at(matches[0].line)
        floor = 0
        if section is not None:
            floor = self.report.collapsed.find(collapse(section.title))
        window = self.report.collapsed[max(floor, 0) : start].lower()
        best = None
        for person, names in self.person_names.items():
            for name in names:
                at = window.rfind(collapse(name).lower())
                if at != -1 and (best is None or at > best[0]):
                    best = (at, person, name)
        if best is None:
            return None
        offset = max(floor, 0) + best[0]
        return best[1], best[2], self.report.line_of(self.report._raw_offset[offset])

    def _figure(self, record, subject, evidence):
        data = record.data
        quoted = list(self.graph.objects(subject, CG.evidence))
        if quoted and not any(_quote_has(self.graph, e, data["wording"]) for e in quoted):
            self.problem(record, "wording", f"'{data['wording']}' is not in the record's quotes")

    def _partnership(self, record, subject, evidence):
        orgs = record.data.get("organizations") or []
        if len(set(orgs)) < 2:
            self.problem(record, "organizations", "a partnership needs two or more organizations")

    SPECIAL: dict[str, Callable] = {
        "people": _person,
        "sessions": _session,
        "discrepancies": _discrepancy,
        "statements": _statement,
        "figures": _figure,
        "partnerships": _partnership,
    }


NOTE_DISCREPANCY = re.compile(r"\bdiscrepanc(?:y|ies) ([a-z0-9]+(?:-[a-z0-9]+)+)")


def notes_naming_unknown_discrepancies(records, types_of: dict[str, str]) -> list[Problem]:
    """A note that points the reader to a discrepancy must name one that exists.

    >>> from copgraph.records import parse_documents
    >>> records, _ = parse_documents({"x.yaml": {"countries": [
    ...     {"id": "fiji", "note": "see discrepancy fiji-spelling"}]}})
    >>> [p.message for p in notes_naming_unknown_discrepancies(records, {"fiji": "countries"})]
    ["names discrepancy 'fiji-spelling', which is not a discrepancies record"]
    """
    known = [i for i, kind in types_of.items() if kind == "discrepancies"]
    problems = []
    for record in records:
        for owner, name, note in _notes(record):
            for found in NOTE_DISCREPANCY.findall(note):
                if types_of.get(found) != "discrepancies":
                    problems.append(
                        Problem(
                            owner.file,
                            owner.id,
                            name,
                            f"names discrepancy '{found}', which is not a discrepancies "
                            f"record{suggest(found, known)}",
                        )
                    )
    return problems


def _notes(record):
    """Every note of a record: its own, its quotes' and its nested records'."""
    if isinstance(record.data.get("note"), str):
        yield record, "note", record.data["note"]
    for index, item in enumerate(record.data.get("evidence") or []):
        if isinstance(item.get("note"), str):
            yield record, f"evidence[{index}].note", item["note"]
    for children in record.nested.values():
        for child in children:
            yield from _notes(child)


def _person_names(records: list[Record]) -> dict[str, tuple[str, ...]]:
    """Every way the report names each person: full names and spellings, and the
    honorific with the surname ("Ms. Cheng", "Dr Okuda")."""
    found = {}
    for record in records:
        if record.type.key != "people":
            continue
        names = [record.data["name"], *record.data.get("alt_names", [])]
        surname = record.data["name"].split()[-1]
        for honorific in ("Mr.", "Ms.", "Dr.", "Mr", "Ms", "Dr", "H.E."):
            names.append(f"{honorific} {surname}")
        found[record.id] = tuple(dict.fromkeys(names))
    return found


def _is_fact(rtype, name: str) -> bool:
    spec = rtype.field(name)
    return spec is not None and spec.fact


def _quote_has(graph: Graph, evidence: URIRef, words: str) -> bool:
    exact = graph.value(evidence, CG.exact)
    return exact is not None and collapse(words) in str(exact)


def _hint(report: Report, quote: str) -> str:
    """Say how much of a missing quote the report does hold, to show where it differs."""
    needle = collapse(quote)
    low, high = 0, len(needle)
    while low < high:  # longest prefix that occurs
        mid = (low + high + 1) // 2
        if needle[:mid] in report.collapsed:
            low = mid
        else:
            high = mid - 1
    shown = needle if len(needle) <= 80 else needle[:77] + "..."
    if low < 12:
        return f"'{shown}'"
    line = report.line_of(report._raw_offset[report.collapsed.find(needle[:low])])
    return (
        f"'{shown}' (the first {low} characters match near line {line}; "
        f"it differs from: '{needle[low : low + 30]}')"
    )


def load_ontology(ontology_dir: Path) -> Graph:
    """The ontology and every SKOS scheme as one graph: the release form of the sources.

    Every concept of a flat scheme (none has a skos:broader) is made one of its top
    concepts, so that SKOS tools show them. The few blank nodes (RDF lists,
    owl:AllDisjointClasses) stay blank nodes, as OWL tools expect, with labels from rdflib's
    canonical labelling, so serializations stay byte-identical.
    """
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    graph.parse(ontology_dir / "copgraph.ttl")
    for path in sorted((ontology_dir / "schemes").glob("*.ttl")):
        graph.parse(path)
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        concepts = list(graph.subjects(SKOS.inScheme, scheme))
        if not any((c, SKOS.broader, None) in graph for c in concepts):
            for concept in concepts:
                graph.add((concept, SKOS.topConceptOf, scheme))
                graph.add((scheme, SKOS.hasTopConcept, concept))
    result = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph):
        result.add(triple)
    return result


def scheme_members(ontology: Graph) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for name, namespace in SCHEMES.items():
        scheme = URIRef(str(namespace).rstrip("/"))
        for concept in ontology.subjects(SKOS.inScheme, scheme):
            members[name].add(str(concept)[len(str(namespace)) :])
    return members


def document_triples(graph: Graph, source: Source) -> None:
    m, node = source.manifest, ID[source.document_id]
    graph.add((node, RDF.type, CG.Document))
    graph.add((node, RDFS.label, Literal(m["title"])))
    graph.add((node, DCTERMS.title, Literal(m["title"])))
    graph.add((node, DCTERMS.publisher, Literal(m["publisher"])))
    graph.add((node, DCTERMS.date, date_literal(str(m["date"]))))
    graph.add((node, CG.sha256, Literal(m["sha256"])))


def assemble(paths: Paths = Paths()) -> Built:
    """Check and convert everything; raise BuildError listing every problem."""
    try:
        source = load_source(paths.source_dir)
    except SourceError as exc:
        raise BuildError([str(exc)]) from None
    ontology = load_ontology(paths.ontology_dir)
    records, problems = load_records(paths.curated_dir)
    converter = _Converter(source, scheme_members(ontology), records)
    for record in records:
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


def validate_shapes(graph: Graph, shapes_path: Path) -> list[str]:
    """Run pySHACL; one readable line per violation (warnings included)."""
    from pyshacl import validate

    shapes = Graph().parse(shapes_path)
    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    from rdflib.namespace import SH

    lines = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        lines.append(
            f"SHACL {str(severity).rsplit('#', 1)[-1]}: {_short(focus)}"
            f"{' ' + _short(path) if path else ''}: {message}"
        )
    return sorted(lines)


def _short(term) -> str:
    from copgraph.namespaces import compact

    return compact(str(term))


def build_graph(paths: Paths = Paths(), shapes: bool = True) -> Graph:
    """The whole built graph, ontology and schemes included, validated by the shapes.

    >>> g = build_graph()  # doctest: +SKIP
    """
    built = assemble(paths)
    if shapes:
        violations = validate_shapes(built.graph, paths.ontology_dir / "shapes.ttl")
        if violations:
            raise BuildError(violations)
    return built.graph


# -- serialization ------------------------------------------------------------------------


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted: byte-identical for the same graph."""
    lines = graph.serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_turtle(graph: Graph) -> str:
    # rdflib's Turtle writer sorts subjects and predicates; parse from sorted N-Triples so
    # that nothing else (insertion order, hash seeds) can reach the output.
    ordered = bind_prefixes(Graph())
    ordered.parse(data=to_ntriples(graph), format="nt")
    return ordered.serialize(format="turtle")


def context() -> dict:
    return {"@context": {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}}


def to_jsonld(graph: Graph) -> str:
    """JSON-LD with copgraph's context inline, nodes and values in a fixed order."""
    data = json.loads(graph.serialize(format="json-ld", context=context()["@context"]))
    nodes = data.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    data["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_outputs(graph: Graph, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "copgraph.ttl": to_turtle(graph),
        "copgraph.nt": to_ntriples(graph),
        "copgraph.jsonld": to_jsonld(graph),
        "context.jsonld": json.dumps(context(), indent=1, sort_keys=True) + "\n",
    }
    written = {}
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written[name] = path
    return written


# -- the built graph, reused while its inputs are unchanged ---------------------------------


def inputs_digest(paths: Paths = Paths()) -> str:
    """A digest of everything the graph is built from: data, ontology and build code."""
    digest = hashlib.sha256()
    code = Path(__file__).parent
    files = (
        sorted(paths.curated_dir.glob("*.yaml"))
        + sorted(paths.source_dir.glob("*"))
        + sorted(paths.ontology_dir.rglob("*.ttl"))
        + [code / name for name in ("build.py", "records.py", "evidence.py", "namespaces.py")]
    )
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_built(paths: Paths = Paths(), progress=None) -> Path:
    """Path to the built N-Triples, building (and validating) first if an input changed."""
    out = paths.out_dir
    nt, stamp = out / "copgraph.nt", out / "inputs.sha256"
    digest = inputs_digest(paths)
    if nt.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return nt
    if progress:
        progress("building the graph (data/curated or ontology changed) ...")
    graph = build_graph(paths)
    write_outputs(graph, out)
    stamp.write_text(digest + "\n")
    return nt
