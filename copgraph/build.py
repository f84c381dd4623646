"""Records to triples: check the curated data, convert it, validate it, write the graph.

The build is all-or-nothing: every problem it finds (in the YAML, in a quote, in a
reference, against the SHACL shapes) is collected and reported together, and nothing is
written unless there are none. The same inputs give byte-identical output files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from copgraph.evidence import Report, Source, SourceError, collapse, load_source
from copgraph.namespaces import CG, ID, PREFIXES, SCHEMES, bind_prefixes, compact
from copgraph.records import (
    TYPES,
    Problem,
    Record,
    _text_of,
    curated_files,
    parse_documents,
    read_curated,
    suggest,
)

ROOT = Path(__file__).resolve().parent.parent


def default_root() -> Path:
    """The project folder: $COPGRAPH_ROOT if set, else this checkout."""
    env = os.environ.get("COPGRAPH_ROOT")
    return Path(env).resolve() if env else ROOT


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
    "status": CG.status,
    "audience": CG.audience,
    "age_range": CG.ageRange,
    "translation_of": CG.translationOf,
    "launched_at": CG.launchedAt,
    "programme": CG.programme,
    "place": CG.place,
    "participants": CG.participantCount,
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
    "about": CG.about,
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
}
# What a discrepancy's property names when it is a field holding nested records.
NESTED_PREDICATES = {"posts": CG.holder, "participants": CG.participant, "variants": CG.variant}
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

    def __init__(
        self,
        source: Source,
        schemes: dict[str, set[str]],
        records: list[Record],
        properties: frozenset[URIRef] = frozenset(),
    ):
        self.report: Report = source.report
        self.document = ID[source.document_id]
        self.schemes = schemes
        self.properties = properties
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
        names = [f.name for f in record.type.fields if f.name not in ("id", "evidence", "note")]
        for index, (_, supports, unnamed) in enumerate(quotes):
            if unnamed and supports is None and not record.type.compact:
                self.problem(
                    record,
                    f"evidence[{index}].unnamed",
                    "'unnamed' goes with 'supports': it explains the facts listed there",
                )
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
            chosen += [(node, why) for node, supports, why in quotes if supports is None]
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
        if spec.kind == "language":
            return Literal(value, datatype=XSD.language)
        if spec.kind == "property":
            return self.property_iri(record, value)
        if spec.kind in ("string", "integer", "boolean", "number"):
            return Literal(value)
        return None  # nested: handled by SPECIAL

    def property_iri(self, record: Record, value: str) -> URIRef | None:
        """A discrepancy's property as the IRI of the predicate that differs: a field of the
        record it is about (``title``, ``participants``), or a CURIE (``cg:title``)."""
        if ":" in value:
            prefix, _, local = value.partition(":")
            iri = URIRef(f"{PREFIXES[prefix]}{local}") if prefix in PREFIXES else None
            if iri is None or iri not in self.properties:
                known = [compact(str(p)) for p in self.properties]
                self.problem(
                    record,
                    "property",
                    f"'{value}' is no property of the ontology{suggest(value, known)}",
                )
                return None
            return iri
        about = self.types_of.get(record.data.get("about", ""))
        if about is None:
            return None  # the unknown 'about' is reported on its own field
        rtype = TYPES[about]
        spec = rtype.field(value)
        if spec is None or value in ("id", "evidence", "note"):
            names = [f.name for f in rtype.fields if f.name not in ("id", "evidence", "note")]
            self.problem(
                record,
                "property",
                f"'{value}' is no field of a {about} record (nor a CURIE such as cg:title)"
                f"{suggest(value, names)}",
            )
            return None
        if spec.kind == "nested":
            return NESTED_PREDICATES[value]
        return INVERSE.get(value) or OVERRIDES.get((about, value), PREDICATES[value])

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

    def nested_link(self, triple: tuple, nested_record: Record) -> None:
        """A post's holder, a participation's session, a discrepancy's variant: stated by
        the nested record's own quotes (with their ``unnamed`` reasons)."""
        self.graph.add(triple)
        nested = triple[0] if triple[1] in (CG.holder, CG.session) else triple[2]
        reasons = sorted(
            {e["unnamed"] for e in nested_record.data.get("evidence", []) if e.get("unnamed")}
        )
        self.fact(triple, sorted(self.graph.objects(nested, CG.evidence)), reasons)

    def _person(self, record, subject, evidence):
        for post in record.nested.get("posts", []):
            org = post.data.get("organization")
            node = post_iri(record.id, org or "unknown", post.data.get("title", ""))
            self.convert(post, node)
            self.nested_link((node, CG.holder, subject), post)

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
            self.nested_link((node, CG.session, subject), part)

    def _discrepancy(self, record, subject, evidence):
        variants = record.nested.get("variants", [])
        if len(variants) < 2:
            self.problem(record, "variants", "a discrepancy needs at least two variants")
        for variant in variants:
            node = ID[f"variant/{record.id}/{_hash(variant.data.get('value'))[:8]}"]
            self.convert(variant, node)
            self.nested_link((subject, CG.variant, node), variant)

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
    hidden = invisible_characters(needle)
    if low < 12:
        return f"'{shown}'{hidden}"
    line = report.line_of(report._raw_offset[report.collapsed.find(needle[:low])])
    return (
        f"'{shown}' (the first {low} characters match near line {line}; "
        f"it differs from: '{needle[low : low + 30]}'){hidden}"
    )


def invisible_characters(text: str) -> str:
    """'; it holds U+200B ZERO WIDTH SPACE at character 12' for what the eye cannot tell.

    Zero-width and other format characters, ligatures and odd spaces make a quote look
    identical to the report's words while it differs; the hint names them by code point.
    """
    import unicodedata

    found = []
    for index, char in enumerate(text):
        if char.isascii():
            continue
        decomposition = unicodedata.decomposition(char)
        if unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp") or decomposition.startswith(
            ("<compat>", "<noBreak>")
        ):
            name = unicodedata.name(char, "unnamed character")
            found.append(f"U+{ord(char):04X} {name} at character {index + 1}")
    if not found:
        return ""
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return f"; it holds {', '.join(found[:3])}{more}, which the eye cannot tell apart"


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


def ontology_properties(ontology: Graph) -> frozenset[URIRef]:
    """Every property the ontology declares, and the RDFS/SKOS labels it uses."""
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    declared = {p for kind in kinds for p in ontology.subjects(RDF.type, kind)}
    return frozenset(declared | {RDFS.label, SKOS.altLabel})


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
    documents, unreadable = read_curated(paths.curated_dir)
    records, problems = parse_documents(documents)
    if unreadable:  # references into a file that did not parse would all look unknown
        raise BuildError(
            unreadable
            + problems
            + ["references and quotes are checked once every curated file can be read"]
        )
    converter = _Converter(source, scheme_members(ontology), records, ontology_properties(ontology))
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


def validate_shapes(
    graph: Graph,
    shapes_path: Path,
    records: list[Record] | None = None,
    warnings: list[str] | None = None,
) -> list[str]:
    """Run pySHACL; one readable line per violation, which fails the build.

    Results of severity Warning or Info (a gap the report allows, such as a post without
    a title) do not fail it: they are appended to ``warnings`` when given. With the records,
    each line names the curated file, record and field the node and property came from.
    """
    from pyshacl import validate

    shapes = Graph().parse(shapes_path)
    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    from rdflib.namespace import SH

    by_id = {record.id: record for record in records or []}
    lines = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
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
    from copgraph.records import _relative

    field_part = f", field '{field_name}'" if field_name else ""
    return f"{_relative(record.file)}: record '{record.id}'{field_part}"


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
    from copgraph.namespaces import compact

    return compact(str(term))


def build_graph(paths: Paths = Paths(), shapes: bool = True) -> Graph:
    """The whole built graph, ontology and schemes included, validated by the shapes
    (``copgraph.build_graph()``: about 5 s, so no doctest runs it)."""
    built = assemble(paths)
    if shapes:
        violations = validate_shapes(built.graph, paths.ontology_dir / "shapes.ttl", built.records)
        if violations:
            raise BuildError(violations)
    return built.graph


# -- serialization ------------------------------------------------------------------------


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted: byte-identical for the same graph."""
    # split on "\n" only: str.splitlines() would also cut a literal holding U+2028, U+0085,
    # \x0b, \x0c or \x1c, which the N-Triples writer leaves unescaped
    lines = graph.serialize(format="nt").split("\n")
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


OUTPUT_NAMES = ("copgraph.ttl", "copgraph.nt", "copgraph.jsonld", "context.jsonld")
STAMP = "stamp.json"


class OutputError(Exception):
    """The built graph could not be written (folder not writable, disk full ...)."""


def write_outputs(graph: Graph, out_dir: Path, digest: str | None = None) -> dict[str, Path]:
    """Write every output atomically, then the stamp that covers inputs and outputs.

    Every file is first written in full to a temporary file in the same folder and
    fsynced; only when all of them are written are they renamed into place, so a full
    disk or an error leaves the previous files untouched, and a reader sees an old file
    or a new one, never half of one. The stamp comes last: a build killed between the
    renames leaves a stamp that does not match the outputs, and the next query rebuilds
    instead of trusting them.
    """
    files = {
        "copgraph.ttl": to_turtle(graph),
        "copgraph.nt": to_ntriples(graph),
        "copgraph.jsonld": to_jsonld(graph),
        "context.jsonld": json.dumps(context(), indent=1, sort_keys=True) + "\n",
    }
    data = {name: text.encode("utf-8") for name, text in files.items()}
    stamp = {
        "inputs": digest,
        "outputs": {name: hashlib.sha256(body).hexdigest() for name, body in data.items()},
    }
    staged: dict[str, str] = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        for name, body in data.items():
            staged[name] = _stage(out_dir / name, body)
        for name, temporary in list(staged.items()):
            os.replace(temporary, out_dir / name)
            del staged[name]
        write_atomic(out_dir / STAMP, (json.dumps(stamp, indent=1, sort_keys=True) + "\n").encode())
        _fsync_folder(out_dir)
    except OSError as exc:
        raise OutputError(os_error_message("cannot write the graph", exc, out_dir)) from None
    finally:
        for temporary in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return {name: out_dir / name for name in data}


def _stage(path: Path, body: bytes) -> str:
    """Write ``body`` in full to a fsynced temporary file beside ``path``; its name."""
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
    return handle.name


def write_atomic(path: Path, body: bytes) -> None:
    """Temporary file in the same folder, fsync, rename: all of ``body`` or nothing."""
    temporary = _stage(path, body)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _remove_leftovers(folder: Path, older_than: float = 600.0) -> None:
    """Delete temporary files a killed build left (old ones only: another build may be
    writing the fresh ones right now)."""
    import time

    for leftover in folder.glob(".*.part"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > older_than:
                leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (where the platform lets a folder be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def os_error_message(what: str, exc: OSError, where: Path | None = None) -> str:
    """One line for an OSError: what failed, on which file, and the system's reason."""
    target = exc.filename or where
    reason = exc.strerror or str(exc)
    return f"{what}: {target}: {reason}" if target else f"{what}: {reason}"


# -- the built graph, reused while its inputs are unchanged ---------------------------------


def input_files(paths: Paths) -> list[Path]:
    """Everything the graph is built from: curated data, report, ontology, build code."""
    code = Path(__file__).parent
    curated = curated_files(paths.curated_dir)
    return (
        curated
        + sorted(paths.source_dir.glob("*"))
        + sorted(paths.ontology_dir.rglob("*.ttl"))
        + [code / name for name in ("build.py", "records.py", "evidence.py", "namespaces.py")]
    )


def inputs_digest(paths: Paths = Paths()) -> str:
    """A digest of everything the graph is built from: data, ontology and build code."""
    digest = hashlib.sha256()
    for path in input_files(paths):
        try:
            body = path.read_bytes()
        except OSError as exc:  # a folder or unreadable file: the build will say which
            body = f"<{type(exc).__name__}>".encode()
        digest.update(path.name.encode() + b"\0" + body + b"\0")
    return digest.hexdigest()


def read_stamp(out_dir: Path) -> dict | None:
    try:
        stamp = json.loads((out_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stale_reason(out_dir: Path, digest: str) -> str | None:
    """Why the built graph in ``out_dir`` cannot be served as it is, or None if it can."""
    stamp = read_stamp(out_dir)
    if stamp is None:
        return "no complete build yet"
    if stamp.get("inputs") != digest:
        return "data/curated, the ontology or the build code changed"
    expected = (stamp.get("outputs") or {}).get("copgraph.nt")
    try:
        actual = hashlib.sha256((out_dir / "copgraph.nt").read_bytes()).hexdigest()
    except OSError:
        return "copgraph.nt is missing"
    if actual != expected:
        return "copgraph.nt is incomplete or was changed after the build"
    return None


def ensure_built(paths: Paths = Paths(), progress=None) -> Path:
    """Path to the built N-Triples, building (and validating) first if it cannot be trusted.

    The outputs are trusted only when the stamp matches the current inputs and the file's
    own hash, so an edited, truncated or half-written graph is rebuilt, never served.
    """
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
