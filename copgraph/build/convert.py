"""Curated records to triples, checking references, concepts and quotes on the way.

Every fact a record states becomes its direct triple plus a ``cg:Fact`` node whose
``cg:evidence`` points to exactly the quotes that state it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import NamedTuple

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from copgraph.build.mapping import INVERSE, predicate_of
from copgraph.evidence import Report, Source, collapse
from copgraph.namespaces import CG, ID, PREFIXES, SCHEMES, bind_prefixes, compact
from copgraph.records import TYPES, Problem, Record, _text_of, suggest


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


class Reference(NamedTuple):
    """A reference to an id that the records converted together do not define: another
    report's record, checked once every report is converted (``check_references``)."""

    file: str
    record: str
    field: str
    id: str
    targets: tuple[str, ...]
    by_name: bool = False  # a discrepancy's property named as a field of its 'about'


class Converter:
    """Checks references and quotes while it turns records into triples.

    ``sources`` are the reports the quotes may come from, by report id; ``home`` is the
    report whose curated records these are (their quotes are its words), or None for the
    shared entities, whose every quote names its report. ``known`` are records defined
    elsewhere that these may refer to (the shared entities): they are not converted.
    """

    def __init__(
        self,
        sources: dict[str, Source],
        home: str | None,
        schemes: dict[str, set[str]],
        records: list[Record],
        properties: frozenset[URIRef] = frozenset(),
        known: list[Record] = (),
    ):
        self.sources = sources
        self.home = home
        self.report: Report | None = sources[home].report if home else None
        self.schemes = schemes
        self.properties = properties
        self.graph = bind_prefixes(Graph())
        self.problems: list[Problem] = []
        self.references: list[Reference] = []
        self.types_of: dict[str, str] = {}
        self.files_of: dict[str, str] = {}
        for record in [*known, *records]:
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
        if kind is None:  # perhaps another report's record: checked once all are converted
            self.references.append(
                Reference(record.file, record.id, field_name, value, tuple(targets or ()))
            )
            return ID[value]
        problem = reference_problem(value, kind, targets)
        if problem:
            self.problem(record, field_name, problem)
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

    def source_of(self, record: Record, item: dict, where: str) -> Source | None:
        """The report a quote is from: the home report, or for a shared record the one its
        ``report:`` names."""
        named = item.get("report")
        if self.home is not None:
            if named is None or named == self.home:
                return self.sources[self.home]
            self.problem(
                record,
                f"{where}.report",
                f"quotes report '{named}' from within report '{self.home}': a record that "
                "quotes another report (a discrepancy across reports) belongs in data/shared/",
            )
            return None
        if named is None:
            self.problem(
                record,
                f"{where}.report",
                "a shared record's quote names the report it is from: add 'report: ID' "
                f"(one of {', '.join(sorted(self.sources)) or 'no report'})",
            )
            return None
        if named not in self.sources:
            self.problem(
                record,
                f"{where}.report",
                f"no report '{named}' in data/reports/{suggest(named, self.sources)}",
            )
            return None
        return self.sources[named]

    def quotes(self, record: Record, items: list[dict], field_name="evidence") -> list:
        """Each quote found in its report, as (evidence node, the facts it supports)."""
        found = []
        for index, item in enumerate(items):
            where = f"{field_name}[{index}].quote"
            source = self.source_of(record, item, f"{field_name}[{index}]")
            if source is None:
                continue
            report = source.report
            matches = report.find(item["quote"])
            if not matches:
                self.problem(
                    record,
                    where,
                    f"quote not found in the report: {_hint(report, item['quote'])}",
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
            node = self._evidence_node(source, matches[0], item.get("note"))
            found.append((node, item.get("supports"), item.get("unnamed")))
        return found

    def _evidence_node(self, source: Source, match, note) -> URIRef:
        node = evidence_iri(source, match.start, match.end)
        g = self.graph
        if (node, RDF.type, CG.Evidence) not in g:
            g.add((node, RDF.type, CG.Evidence))
            g.add((node, CG.inDocument, ID[source.document_id]))
            g.add((node, CG.exact, Literal(source.report.collapsed[match.start : match.end])))
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
                predicate = predicate_of(rtype.key, spec.name)
                if spec.name in INVERSE:
                    triple = (obj, predicate, subject)
                else:
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
        if about is None:  # another report's record, or unknown: checked with the references
            self.references.append(
                Reference(record.file, record.id, "property", record.data["about"], (), True)
            )
            return None
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
        return predicate_of(about, value)

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
        for variant in record.nested.get("variants", []):
            node = ID[f"variant/{record.id}/{_hash(variant.data.get('value'))[:8]}"]
            self.convert(variant, node)
            self.nested_link((subject, CG.variant, node), variant)

    def _statement(self, record, subject, evidence):
        text, speaker = record.data["text"], record.data.get("speaker")
        if self.report is None:
            self.problem(record, "text", "a statement belongs in its report's curated folder")
            return
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
        return best[1], best[2], self.report.line_at(offset)

    def _figure(self, record, subject, evidence):
        data = record.data
        quoted = list(self.graph.objects(subject, CG.evidence))
        if quoted and not any(_quote_has(self.graph, e, data["wording"]) for e in quoted):
            self.problem(record, "wording", f"'{data['wording']}' is not in the record's quotes")

    SPECIAL: dict[str, Callable] = {
        "people": _person,
        "sessions": _session,
        "discrepancies": _discrepancy,
        "statements": _statement,
        "figures": _figure,
    }


def evidence_iri(source: Source, start: int, end: int) -> URIRef:
    """A quote's node, unique across reports: ``evidence/<report id>/<hash of its place>``."""
    return ID[f"evidence/{source.report_id}/{_hash(ID[source.document_id], start, end)}"]


def reference_problem(value: str, kind: str, targets) -> str | None:
    if targets and kind not in targets:
        return f"'{value}' is a {kind} record, expected {' or '.join(targets)}"
    return None


def check_references(references: list[Reference], types_of: dict[str, str]) -> list[Problem]:
    """The references each report left open, against every record of every report."""
    problems = []
    for ref in references:
        kind = types_of.get(ref.id)
        if ref.by_name:
            if kind is not None:
                problems.append(
                    Problem(
                        ref.file,
                        ref.record,
                        "property",
                        f"'{ref.id}' is a record of another report: name the property as a "
                        "CURIE (cg:title, rdfs:label ...)",
                    )
                )
            continue
        if kind is None:
            pool = [i for i, t in types_of.items() if not ref.targets or t in ref.targets]
            message = f"unknown id '{ref.id}'{suggest(ref.id, pool)}"
        else:
            message = reference_problem(ref.id, kind, ref.targets)
        if message:
            problems.append(Problem(ref.file, ref.record, ref.field, message))
    return problems


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
    line = report.line_at(report.collapsed.find(needle[:low]))
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


def document_triples(graph: Graph, source: Source) -> None:
    m, node = source.manifest, ID[source.document_id]
    graph.add((node, RDF.type, CG.Document))
    graph.add((node, RDFS.label, Literal(m["title"])))
    graph.add((node, DCTERMS.title, Literal(m["title"])))
    graph.add((node, DCTERMS.publisher, Literal(m["publisher"])))
    graph.add((node, DCTERMS.date, date_literal(str(m["date"]))))
    graph.add((node, CG.sha256, Literal(m["sha256"])))
