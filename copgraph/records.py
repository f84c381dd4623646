"""Read the curated YAML and check every record against the record schema.

A curated file is a mapping from record type (``organizations``, ``people`` ...) to a
list of records. Every record has an ``id`` (a readable slug that becomes its IRI) and
``evidence``: quotes of the report. The schema below is the single description of what
each record may hold; the build, the docs and the error messages all read it.

>>> records, problems = parse_documents({"x.yaml": {"countries": [{"id": "fiji"}]}})
>>> [p.field for p in problems]
['label', 'iso2', 'iso3', 'beneficiary', 'evidence']
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# BCP 47 (RFC 5646) well-formed tags, simplified: language, then script/region/variants.
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Field:
    """One field of a record type.

    ``kind`` is one of: string, integer, number, boolean, date, datetime, ref (an id of a
    record of ``targets``, any type if empty), concept (a concept of scheme
    ``targets[0]``), language (a BCP 47 tag), property (a field of the record a discrepancy
    is about, or a property's CURIE), quantity, evidence, nested (a list of records of type
    ``targets[0]``).
    """

    name: str
    kind: str
    required: bool = False
    many: bool = False
    targets: tuple[str, ...] = ()
    doc: str = ""
    # A fact field's every value needs a quote that states it (an evidence item whose
    # ``supports`` names the field). Names, labels, codes and the curator's own text are
    # not facts of that kind: the record's plain quotes back them.
    fact: bool = True


@dataclass(frozen=True)
class RecordType:
    key: str  # the YAML key, e.g. "organizations"
    cls: str  # the ontology class's local name, e.g. "Organization"
    fields: tuple[Field, ...]
    top_level: bool = True  # False for records nested in another record (posts ...)
    # A compact record (a post, a figure, a statement ...) is stated whole by each of its
    # quotes, so a quote without ``supports`` backs every one of its facts.
    compact: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _common(*fields: Field, evidence_required: bool = True, with_id: bool = True) -> tuple:
    head = (Field("id", "string", required=True, doc="readable slug; becomes the IRI", fact=False),)
    tail = (
        Field("evidence", "evidence", required=evidence_required, doc="quotes of the report"),
        Field("note", "string", doc="a doubt or ambiguity, in the curator's words", fact=False),
    )
    return (head if with_id else ()) + fields + tail


ORG = ("organizations",)
PERSON = ("people",)
COUNTRY = ("countries",)


def _label(name: str = "label", **kw) -> Field:
    """A name, label or code: backed by the record's plain quotes, not a fact of its own."""
    return Field(name, "string", fact=False, **kw)


TYPES: dict[str, RecordType] = {
    t.key: t
    for t in (
        RecordType(
            "programmes",
            "Programme",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                Field("established", "date"),
                Field("start", "date"),
                Field("end", "date"),
                Field("established_by", "ref", many=True, targets=ORG),
                Field("within", "ref", targets=("programmes", "instruments")),
                Field("funders", "ref", many=True, targets=ORG),
                Field("beneficiaries", "ref", many=True, targets=COUNTRY),
                Field("outcomes", "string", many=True, doc="each in the report's words"),
            ),
        ),
        RecordType(
            "organizations",
            "Organization",
            _common(
                _label(required=True, doc="official name"),
                _label("acronym"),
                _label("alt_labels", many=True, doc="other names the report uses"),
                Field("kind", "concept", required=True, targets=("organization-kind",)),
                Field("country", "ref", targets=COUNTRY, doc="none for international bodies"),
                Field("parent", "ref", targets=ORG),
            ),
        ),
        RecordType(
            "people",
            "Person",
            _common(
                _label("name", required=True, doc="full name as the agenda spells it"),
                _label("honorific"),
                _label("alt_names", many=True, doc="other spellings the report uses"),
                Field("posts", "nested", many=True, targets=("posts",)),
            ),
        ),
        RecordType(
            "posts",
            "Post",
            _common(
                Field("title", "string", doc="as the report words it; none when it gives none"),
                Field("organization", "ref", required=True, targets=ORG),
                Field("former", "boolean", doc="true for a post the report gives as previous"),
                with_id=False,
            ),
            top_level=False,
            compact=True,
        ),
        RecordType(
            "countries",
            "Country",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                _label("iso2", required=True, doc="ISO 3166-1 alpha-2"),
                _label("iso3", required=True, doc="ISO 3166-1 alpha-3"),
                Field("beneficiary", "boolean", required=True),
                _label("appears_as", doc="why a non-beneficiary appears"),
            ),
        ),
        RecordType(
            "places",
            "Place",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                Field("country", "ref", targets=COUNTRY, doc="where the report ties the two"),
            ),
        ),
        RecordType(
            "outputs",
            "Output",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                Field("kind", "concept", required=True, targets=("output-kind",)),
                Field("country", "ref", many=True, targets=COUNTRY, doc="beneficiary country"),
                Field("language", "language", many=True, doc="BCP 47 tag: mn, th, id, en ..."),
                Field("producers", "ref", many=True, targets=ORG),
                Field("partners", "ref", many=True, targets=ORG),
                Field("date", "date"),
                Field("status", "concept", targets=("status",)),
                Field("audience", "string", many=True),
                Field("age_range", "string", many=True),
                Field("translation_of", "ref", targets=("outputs",)),
                Field("launched_at", "ref", targets=("events",)),
                Field("programme", "ref", targets=("programmes",)),
                Field("participants", "quantity", doc="people trained or reached"),
            ),
        ),
        RecordType(
            "events",
            "Event",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                Field("kind", "concept", required=True, targets=("event-kind",)),
                Field("date", "date", doc="the (first) day"),
                Field("end", "date", doc="the last day of a multi-day event"),
                Field("place", "ref", targets=("places",), doc="a city: a places record"),
                Field("online", "boolean", doc="true where the report says it was held online"),
                Field("country", "ref", targets=COUNTRY),
                Field("organizers", "ref", many=True, targets=ORG),
                Field("partners", "ref", many=True, targets=ORG),
                Field("part_of", "ref", targets=("events",)),
                Field("programme", "ref", targets=("programmes",)),
                Field("participants", "quantity"),
            ),
        ),
        RecordType(
            "sessions",
            "Session",
            _common(
                _label("number", required=True, doc="opening, 1 to 5, closing"),
                _label("title", required=True, doc="as the agenda words it"),
                _label("alt_titles", many=True, doc="as the narrative words it"),
                Field("start", "datetime"),
                Field("end", "datetime"),
                Field("event", "ref", required=True, targets=("events",)),
                Field("topics", "concept", many=True, targets=("topic",)),
                Field("participants", "nested", many=True, targets=("participations",)),
            ),
        ),
        RecordType(
            "agenda_items",
            "AgendaItem",
            _common(
                _label(required=True, doc="as the agenda words it"),
                Field("start", "datetime"),
                Field("end", "datetime"),
                Field("event", "ref", required=True, targets=("events",)),
            ),
            compact=True,
        ),
        RecordType(
            "participations",
            "Participation",
            _common(
                Field("person", "ref", required=True, targets=PERSON),
                Field("role", "concept", required=True, targets=("session-role",)),
                Field("organization", "ref", targets=ORG, doc="on whose behalf"),
                Field(
                    "source",
                    "concept",
                    required=True,
                    many=True,
                    targets=("report-part",),
                    doc="agenda (Section 5), narrative (Section 4), or both",
                    fact=False,
                ),
                with_id=False,
            ),
            top_level=False,
            compact=True,
        ),
        RecordType(
            "partnerships",
            "Partnership",
            _common(
                Field("kind", "concept", required=True, targets=("partnership-kind",)),
                Field("organizations", "ref", required=True, many=True, targets=ORG),
                Field(
                    "hub",
                    "ref",
                    targets=ORG,
                    doc="one of the organizations: the others are its partners, not each other's",
                ),
                _label("description", required=True, doc="what it was about, in a few words"),
                Field("about", "ref", many=True, doc="the output, event or programme"),
                Field("country", "ref", targets=COUNTRY),
            ),
        ),
        RecordType(
            "figures",
            "Figure",
            _common(
                _label("description", required=True, doc="what is counted, in a few words"),
                Field("about", "ref", doc="the node the number is about"),
                Field("stated_by", "ref", targets=("people", "organizations")),
                Field("value", "number"),
                Field("min", "number"),
                Field("max", "number"),
                _label("unit", required=True),
                Field("year", "integer"),
                _label("wording", required=True, doc="the report's exact words"),
            ),
            compact=True,
        ),
        RecordType(
            "instruments",
            "Instrument",
            _common(
                _label(required=True),
                _label("alt_labels", many=True),
                Field("kind", "concept", required=True, targets=("instrument-kind",)),
                Field("issuer", "ref", many=True, targets=("organizations", "countries")),
                Field("jurisdiction", "ref", targets=COUNTRY),
                Field("status", "concept", targets=("status",)),
                Field("year", "integer"),
                Field("cited_by", "ref", many=True, targets=("people", "organizations")),
                Field("sessions", "ref", many=True, targets=("sessions",)),
            ),
        ),
        RecordType(
            "statements",
            "Statement",
            _common(
                Field("speaker", "ref", required=True, targets=PERSON),
                Field("session", "ref", targets=("sessions",)),
                Field("topics", "concept", many=True, targets=("topic",)),
                _label("text", required=True, doc="the report's words"),
                evidence_required=False,
            ),
            compact=True,
        ),
        RecordType(
            "discrepancies",
            "Discrepancy",
            _common(
                Field("about", "ref", required=True, fact=False),
                Field(
                    "property",
                    "property",
                    required=True,
                    fact=False,
                    doc="a field of the record it is about (label, name, date, participants ...) "
                    "or a property's CURIE (cg:title)",
                ),
                _label("description", required=True),
                Field("variants", "nested", required=True, many=True, targets=("variants",)),
                evidence_required=False,
            ),
        ),
        RecordType(
            "variants",
            "Variant",
            _common(_label("value", required=True), with_id=False),
            top_level=False,
            compact=True,
        ),
    )
}

EVIDENCE_KEYS = {"quote", "section", "note", "supports", "unnamed", "report"}
QUANTITY_KEYS = {"value", "min", "max", "wording", "unit", "evidence", "note"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the curated data, located by file, record and field."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        file = _relative(self.file)
        where = f"record '{self.record}'" if self.record else "file"
        field_part = f", field '{self.field}'" if self.field else ""
        message = self.message if len(self.message) <= 500 else self.message[:497] + "..."
        return f"{file}: {where}{field_part}: {message}"


def _relative(path: str) -> str:
    """Show a path relative to the working folder when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


@dataclass
class Record:
    type: RecordType
    id: str
    data: dict
    file: str
    nested: dict[str, list[Record]] = field(default_factory=dict)


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean X?' when something close exists, else ''."""
    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML without implicit timestamps: dates stay text, so the schema checks them.

    libyaml's C parser (CSafeLoader) where PyYAML was built with it: several times faster.
    """


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

CURATED_PATTERNS = ("*.yaml", "*.yml")


MAX_VALUES = 200_000  # values a curated file may hold once its YAML aliases are expanded

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 50, 50, 3


def brief(value: object, limit: int = 60) -> str:
    """A short repr of a value, built without ever building the whole repr.

    A few bytes of nested YAML aliases (``*a``) can stand for gigabytes of text; a
    message quotes at most ``limit`` characters of it.
    """
    shown = _SHORT.repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def expanded_size(document: object, limit: int = MAX_VALUES) -> int:
    """How many values the document holds with aliases expanded; stops counting past limit."""
    count, stack = 0, [document]
    while stack and count <= limit:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def curated_files(curated_dir: Path) -> list[Path]:
    """Every ``*.yaml`` and ``*.yml`` under the folder, sorted by name."""
    return sorted(p for pattern in CURATED_PATTERNS for p in curated_dir.glob(pattern))


def read_curated(curated_dir: Path) -> tuple[dict[str, object], list[Problem]]:
    """Parse every ``*.yaml`` / ``*.yml`` file; one that cannot be read is a problem."""
    documents, problems = {}, []
    files = curated_files(curated_dir)
    if not files:
        problems.append(Problem(str(curated_dir), "", "", "no *.yaml files to build from"))
    for path in files:
        try:
            text = _read_text(path)
            document = yaml.load(text, _Loader) or {}
            if expanded_size(document) > MAX_VALUES:
                raise _Unreadable(
                    f"holds more than {MAX_VALUES} values once its YAML aliases (*name) are "
                    "expanded: write the values out instead of nesting aliases"
                )
            documents[str(path)] = document
        except _Unreadable as exc:
            problems.append(Problem(str(path), "", "", str(exc)))
        except yaml.YAMLError as exc:
            problems.append(Problem(str(path), "", "", _yaml_message(exc)))
    return documents, problems


class _Unreadable(Exception):
    pass


def _read_text(path: Path) -> str:
    if path.is_dir():
        raise _Unreadable("is a folder, not a YAML file: rename or move it")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Unreadable(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}): save it as UTF-8"
        ) from None


def _yaml_message(exc: yaml.YAMLError) -> str:
    """Where the construct that failed begins (an unclosed quote's line), then what broke."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = context_mark or problem_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    context = getattr(exc, "context", None)
    reason = getattr(exc, "problem", None) or str(exc)
    text = f"{context}, {reason}" if context else reason
    if context_mark and problem_mark and problem_mark.line != context_mark.line:
        text += f" (noticed at line {problem_mark.line + 1})"
    return f"not valid YAML{where}: {text}"


def parse_documents(documents: Mapping[str, object]) -> tuple[list[Record], list[Problem]]:
    """Check each record's shape (fields, types, formats); references are checked later."""
    records: list[Record] = []
    problems: list[Problem] = []
    for file, document in documents.items():
        if not isinstance(document, dict):
            problems.append(Problem(file, "", "", "must be a mapping of record type to a list"))
            continue
        for key, items in document.items():
            rtype = TYPES.get(key)
            if rtype is None or not rtype.top_level:
                top = [k for k, t in TYPES.items() if t.top_level]
                problems.append(
                    Problem(file, "", key, f"unknown record type '{key}'{suggest(key, top)}")
                )
                continue
            if not isinstance(items, list):
                problems.append(Problem(file, "", key, "must be a list of records"))
                continue
            for index, item in enumerate(items):
                record = _parse_record(rtype, item, file, f"{key}[{index}]", problems)
                if record is not None:
                    records.append(record)
    return records, problems


def _parse_record(rtype, item, file, position, problems, parent_id=None) -> Record | None:
    if not isinstance(item, dict):
        problems.append(Problem(file, parent_id or position, "", "a record must be a mapping"))
        return None
    if parent_id is None:
        record_id = item.get("id")
        label = str(record_id) if record_id else position
        if not isinstance(record_id, str) or not SLUG.match(record_id):
            problems.append(
                Problem(file, label, "id", "required: a slug of a-z, 0-9 and single hyphens")
            )
            return None
    else:
        record_id = f"{parent_id}/{position}"
        label = record_id
    data, nested = {}, {}
    for key in item:
        if rtype.field(key) is None:
            names = [f.name for f in rtype.fields]
            problems.append(Problem(file, label, key, f"unknown field{suggest(key, names)}"))
    for spec in rtype.fields:
        if spec.name == "id":
            continue
        value = item.get(spec.name)
        if value is None or value == [] or value == "":
            if spec.required:
                problems.append(Problem(file, label, spec.name, "required field is missing"))
            continue
        if spec.kind == "nested":
            child_type = TYPES[spec.targets[0]]
            if not isinstance(value, list):
                problems.append(Problem(file, label, spec.name, "must be a list"))
                continue
            children = []
            for index, child in enumerate(value):
                parsed = _parse_record(
                    child_type, child, file, f"{spec.name}[{index}]", problems, record_id
                )
                if parsed is not None:
                    children.append(parsed)
            nested[spec.name] = children
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not spec.many and spec.kind not in ("evidence",):
            problems.append(Problem(file, label, spec.name, "takes one value, not a list"))
            continue
        converted = []
        for one in values:
            try:
                converted.append(_convert(spec, one))
            except ValueError as exc:
                problems.append(Problem(file, label, spec.name, str(exc)))
        if spec.kind == "evidence":
            data[spec.name] = converted
        else:
            data[spec.name] = converted if spec.many else (converted[0] if converted else None)
    for field_name, message in check_order(data):
        problems.append(Problem(file, label, field_name, message))
    return Record(rtype, record_id, data, file, nested)


def _convert(spec: Field, value):
    kind = spec.kind
    if kind in ("string", "ref", "concept", "property", "language"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"must be text, got {type(value).__name__}")
        text = str(value).strip()
        if not text:
            raise ValueError("must not be empty")
        if kind == "language" and not LANGUAGE_TAG.match(text):
            raise ValueError(f"must be a BCP 47 language tag (mn, th, id, en ...), got {text!r}")
        return text
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, got {brief(value)}")
        if spec.name == "year" and not 1000 <= value <= 9999:
            raise ValueError(f"must be a year of four digits (1000 to 9999), got {value}")
        return value
    if kind == "number":
        return _number(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {brief(value)}")
        return value
    if kind == "date":
        return parse_date(value)
    if kind == "datetime":
        return parse_datetime(value)
    if kind == "evidence":
        item = _evidence(value)
        if item.get("note") is not None and not isinstance(item["note"], str):
            raise ValueError(f"an evidence note must be text, got {type(item['note']).__name__}")
        return item
    if kind == "quantity":
        return _quantity(value)
    raise AssertionError(f"schema field kind {kind!r} is not handled")


def parse_date(value) -> str:
    """An ISO 8601 date, possibly partial (``2023``, ``2022-04``, ``2023-06-14``)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value).strip()
    if isinstance(value, bool) or not DATE.match(text):
        raise ValueError(
            f"must be an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), got {brief(value)}"
        )
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"is not a real date: {text!r} ({exc})") from None
    return text


def parse_datetime(value) -> str:
    """An ISO 8601 date-time with its time zone (``2023-12-07T09:00:00+07:00``)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"needs a time zone, got {value.isoformat()!r}")
        return value.isoformat()
    text = str(value).strip()
    if not DATETIME.match(text):
        raise ValueError(
            f"must be an ISO 8601 date-time with time zone (2023-12-07T09:00:00+07:00), "
            f"got {brief(value)}"
        )
    try:
        dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"is not a real date-time: {text!r} ({exc})") from None
    return text


def _evidence(value) -> dict:
    if isinstance(value, str):
        value = {"quote": value}
    if not isinstance(value, dict):
        raise ValueError("each evidence item must be a mapping with 'quote' (and 'section')")
    unknown = set(value) - EVIDENCE_KEYS
    if unknown:
        raise ValueError(
            f"unknown evidence key(s) {sorted(unknown)}; "
            "use quote, section, supports, unnamed, note, report"
        )
    quote = value.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError("each evidence item needs a non-empty 'quote'")
    section = value.get("section")
    unnamed = value.get("unnamed")
    if unnamed is not None and (not isinstance(unnamed, str) or not unnamed.strip()):
        raise ValueError("'unnamed' says, in words, why the quote need not name the fact's sides")
    report = value.get("report")
    if report is not None and (not isinstance(report, str) or not SLUG.match(report)):
        raise ValueError(f"'report' is the id of a report (its folder's name), got {brief(report)}")
    return {
        "quote": quote,
        "report": report,
        "section": str(section) if section is not None else None,
        "note": value.get("note"),
        "supports": _supports(value.get("supports")),
        "unnamed": unnamed,
    }


def _supports(value) -> tuple[tuple[str, str | None], ...] | None:
    """The facts a quote states: ``[country, {beneficiaries: thailand}]`` ->
    ``(("country", None), ("beneficiaries", "thailand"))``; a bare field backs all its values.

    >>> _supports(["kind", {"partners": "unicef"}])
    (('kind', None), ('partners', 'unicef'))
    """
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError("'supports' lists at least one field (or drop it)")
    parsed = []
    for item in items:
        if isinstance(item, str) and item.strip():
            parsed.append((item.strip(), None))
        elif isinstance(item, dict) and len(item) == 1:
            ((name, one),) = item.items()
            if not isinstance(name, str) or isinstance(one, dict | list) or one is None:
                raise ValueError(f"'supports' entry {item!r} must be FIELD or FIELD: VALUE")
            parsed.append((name, _text_of(one)))
        else:
            raise ValueError(f"'supports' entry {item!r} must be FIELD or FIELD: VALUE")
    return tuple(parsed)


def _text_of(value) -> str:
    """How a supported value is compared with the record's: text, as YAML wrote it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _number(value) -> int | float:
    """A finite number: YAML's .nan and .inf are not values a report states."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {brief(value)}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value}")
    return value


def _quantity(value) -> dict:
    """A count stated by the report: non-negative numbers, min not above max."""
    if not isinstance(value, dict):
        raise ValueError("must be a mapping with 'wording' and 'value' or 'min'/'max'")
    unknown = set(value) - QUANTITY_KEYS
    if unknown:
        raise ValueError(
            f"unknown key(s) {brief(sorted(map(str, unknown)))}; use {sorted(QUANTITY_KEYS)}"
        )
    if not isinstance(value.get("wording"), str):
        raise ValueError("needs 'wording': the report's exact words for the number")
    for key in ("unit", "note"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise ValueError(f"'{key}' must be text, got {type(value[key]).__name__}")
    for key in ("value", "min", "max"):
        number = value.get(key)
        if number is None:
            continue
        try:
            _number(number)
        except ValueError as exc:
            raise ValueError(f"'{key}' {exc}") from None
        if number < 0:
            raise ValueError(f"'{key}' is a count and cannot be negative, got {number}")
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None and low > high:
        raise ValueError(f"'min' ({low}) is above 'max' ({high})")
    evidence = value.get("evidence") or []
    if not isinstance(evidence, list):
        raise ValueError("'evidence' must be a list of quotes")
    return {**value, "evidence": [_evidence(e) for e in evidence]}


# Fields that must not come before another field of the same record.
ORDERED_FIELDS = (("start", "end"), ("date", "end"), ("date", "end_date"), ("min", "max"))


def check_order(data: dict) -> list[tuple[str, str]]:
    """(field, message) for each pair of fields out of order (an end before its start).

    Partial dates compare on what both give: 2023-05 is not after 2023, nor before it.
    """
    found = []
    for first, second in ORDERED_FIELDS:
        low, high = data.get(first), data.get(second)
        if low is None or high is None:
            continue
        if isinstance(low, str) and isinstance(high, str):
            if "T" in low and "T" in high:
                out_of_order = dt.datetime.fromisoformat(low) > dt.datetime.fromisoformat(high)
            else:
                common = min(len(low), len(high))
                out_of_order = low[:common] > high[:common]
        else:
            out_of_order = low > high
        if out_of_order:
            found.append((second, f"'{second}' ({high}) is before '{first}' ({low})"))
    return found


def load_records(curated_dir: Path) -> tuple[list[Record], list[Problem]]:
    documents, problems = read_curated(curated_dir)
    records, more = parse_documents(documents)
    return records, problems + more
