"""Named SPARQL queries: ``queries/*.rq`` files, their headers, safe parameters, typed cells.

Each ``.rq`` file starts with a header of ``# key: value`` lines::

    # title: Partners of an organization
    # description: Organizations the graph records as partners of ORG, with the quote.
    # param: org | id:Organization | required | the organization: id, acronym or name
    # example: org=itu
    # columns: partner, partner_label, kind, about, quote
    # column: via | ORG itself or the sub-organization of ORG that is the partner
    # lists: about

Parameter types: ``iri``, ``id`` or ``id:Class`` (an id, label or acronym, resolved to a
node of that class), ``country`` (ISO alpha-2/alpha-3, id or name), ``string``, ``date``,
``integer``, ``choice:a/b`` (one of the words listed, any case). Values are bound as RDF
terms in an escaped ``VALUES`` block, as variable ``?p_<name>`` (``org`` binds
``?p_org``), placed at each line ``# @values`` when the query has any (inside a
sub-select, or in each branch of a UNION), else first in the outer ``WHERE`` group; no
value is ever spliced into the query's own text. ``one-of: a, b`` asks for exactly one
of two optional parameters. ``example:`` gives the parameters of the documented example.

``lists`` names columns built with ``GROUP_CONCAT(...; separator="\\n")``: they come
back as sorted Python lists without empty items (write ``GROUP_CONCAT(DISTINCT
COALESCE(?x, ""); ...)``: rdflib fails on an unbound value in a DISTINCT aggregate).
``zip: lines:integer, sections, quotes`` names list columns that are parallel (item i of
each belongs together): they are kept aligned, de-duplicated and sorted by the first.
``column: NAME | text`` explains a column that is not self-evident.

>>> q = parse_query_file(QUERY_DIR / "partners-of.rq")
>>> q.name, [p.name for p in q.params], q.columns[:2]
('partners-of', ['org', 'country'], ['partner', 'partner_label'])
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from copgraph.records import parse_date

QUERY_DIR = Path(__file__).parent / "queries"
INTERNAL_DIR = QUERY_DIR / "internal"
PARAM_TYPES = ("iri", "id", "country", "string", "date", "integer", "choice")
LIST_SEPARATOR = "\n"
XSD = "http://www.w3.org/2001/XMLSchema#"


class QueryError(Exception):
    """A query name, parameter or text that cannot be run; the message says why.

    ``cli`` is the same message worded for the command line (``--param`` rather than
    keyword arguments), where the two differ.
    """

    def __init__(self, message: str, cli: str | None = None):
        super().__init__(message)
        self.cli = cli or message


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES
    cls: str | None  # for id:Class
    required: bool
    doc: str

    @property
    def type_label(self) -> str:
        return f"{self.type}:{self.cls}" if self.cls else self.type


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    columns: list[str]
    lists: frozenset[str] = field(default_factory=frozenset)
    zipped: tuple[tuple[str, str | None], ...] = ()  # (column, item type) kept parallel
    one_of: tuple[str, ...] = ()
    explained: dict[str, str] = field(default_factory=dict)
    example: dict[str, str] = field(default_factory=dict)
    text: str = ""  # read once, with the file

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def list_columns(self) -> frozenset[str]:
        return self.lists | {c for c, _ in self.zipped}


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = re.match(r"^#\s*([\w-]+):\s*(.*)$", line)
        if match:
            header.setdefault(match.group(1), []).append(match.group(2).strip())
        elif line.strip() and not line.startswith("#"):
            break
    for key in ("title", "description", "columns"):
        if key not in header:
            raise QueryError(f"{path}: header line '# {key}:' is missing")
    params = []
    for spec in header.get("param", []):
        parts = [p.strip() for p in spec.split("|")]
        if len(parts) != 4 or parts[2] not in ("required", "optional"):
            raise QueryError(
                f"{path}: '# param: {spec}' must be 'name | type | required|optional | doc'"
            )
        kind, _, cls = parts[1].partition(":")
        if kind not in PARAM_TYPES:
            raise QueryError(f"{path}: parameter type {parts[1]!r} is not one of {PARAM_TYPES}")
        params.append(Param(parts[0], kind, cls or None, parts[2] == "required", parts[3]))
    split = lambda key: [c.strip() for c in ",".join(header.get(key, [])).split(",") if c.strip()]  # noqa: E731
    explained = {}
    for spec in header.get("column", []):
        name, sep, doc = (p.strip() for p in spec.partition("|"))
        if not sep or not doc:
            raise QueryError(f"{path}: '# column: {spec}' must be 'name | what it means'")
        explained[name] = doc
    example = {}
    for pair in header.get("example", []):
        for item in pair.split(" -p "):
            key, sep, value = item.strip().removeprefix("-p ").partition("=")
            if sep:
                example[key.strip()] = value.strip()
    zipped = tuple((c.partition(":")[0], c.partition(":")[2] or None) for c in split("zip"))
    return NamedQuery(
        name=path.stem,
        path=path,
        title=header["title"][0],
        description=header["description"][0],
        params=tuple(params),
        columns=split("columns"),
        lists=frozenset(split("lists")),
        zipped=zipped,
        one_of=tuple(split("one-of")),
        explained=explained,
        example=example,
        text=text,
    )


def load_catalog(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name (the file's stem)."""
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def example_command(query: NamedQuery) -> str:
    """The query's documented example as a command line."""
    words = ["copgraph", "query", query.name]
    for key, value in query.example.items():
        words += ["-p", f"{key}={value}" if " " not in value else f'"{key}={value}"']
    return " ".join(words)


def parameter_summary(query: NamedQuery) -> str:
    return "; ".join(
        f"{p.name} ({p.type_label}, {'required' if p.required else 'optional'})"
        for p in query.params
    )


def catalog_rows(catalog: dict[str, NamedQuery] | None = None) -> list[dict]:
    """The catalog as plain rows: name, title, description, parameters, columns, explained."""
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": parameter_summary(q),
            "columns": ", ".join(q.columns),
            "explained": "; ".join(f"{c}: {doc}" for c, doc in q.explained.items()),
        }
        for q in (load_catalog() if catalog is None else catalog).values()
    ]


def catalog_frame(catalog: dict[str, NamedQuery] | None = None):
    """The catalog as a table: name, title, description, parameters, columns, explained."""
    import pandas as pd

    rows = catalog_rows(catalog)
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None, dtype=object)


def internal_query(name: str) -> str:
    return (INTERNAL_DIR / f"{name}.rq").read_text(encoding="utf-8")


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_MARKER = re.compile(r"^[ \t]*#[ \t]*@values[ \t]*$", re.MULTILINE)


def bind_values(query: str, bindings: dict) -> str:
    """Put an escaped ``VALUES`` block at each ``# @values``, else first in the outer WHERE group.

    >>> from rdflib import Literal
    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } ; DROP ALL ; #')})
    'SELECT ?s WHERE { VALUES (?o) { ("x\\\\" } ; DROP ALL ; #") }\\n ?s ?p ?o }'
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    block = (
        f"VALUES ({' '.join('?' + n for n in names)}) "
        f"{{ ({' '.join(bindings[n].n3() for n in names)}) }}\n"
    )
    if _MARKER.search(query):
        return _MARKER.sub(lambda _: block.rstrip("\n"), query)
    # search with comment lines blanked out (same length, so offsets still hold)
    code = "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in query.split("\n")
    )
    match = _WHERE.search(code)
    if match is None:
        raise QueryError("the query has no WHERE { ... } group to bind parameters in")
    return query[: match.end()] + " " + block + query[match.end() :]


def literal_param(param: Param, value: str):
    """Check and type a non-IRI parameter value."""
    from rdflib import Literal

    if param.type == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise QueryError(
                f"parameter '{param.name}' must be a whole number, got {value!r}"
            ) from None
    if param.type == "choice":
        choices = (param.cls or "").split("/")
        word = value.strip().rstrip(".").lower()
        if word not in choices:
            raise QueryError(
                f"parameter '{param.name}' must be one of {', '.join(choices)}, got {value!r}"
            )
        return Literal(word)
    if param.type == "date":
        try:
            text = parse_date(value)
        except ValueError as exc:
            raise QueryError(f"parameter '{param.name}' {exc}") from None
        # compare as strings: dates in the graph are partial (2022-04) as often as not
        return Literal(text)
    return Literal(value)


def iri_param(param: Param, value: str):
    from rdflib import URIRef

    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
        raise QueryError(f"parameter '{param.name}' must be an absolute IRI, got {value!r}")
    return URIRef(value)


# -- typed cells -------------------------------------------------------------------------


def _boolean(text: str) -> bool:
    return text in ("true", "1")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


#: How a literal's lexical form becomes a Python value, by datatype IRI; others stay text.
#: Partial dates (gYear, gYearMonth) stay text: Python has no type for them.
LITERAL_TYPES = {
    **{
        XSD + name: int
        for name in (
            "integer",
            "int",
            "long",
            "short",
            "byte",
            "nonNegativeInteger",
            "positiveInteger",
            "nonPositiveInteger",
            "negativeInteger",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
        )
    },
    XSD + "decimal": _decimal,
    XSD + "double": float,
    XSD + "float": float,
    XSD + "boolean": _boolean,
    XSD + "date": dt.date.fromisoformat,
    XSD + "dateTime": dt.datetime.fromisoformat,
}


def literal_value(text: str, datatype: str | None) -> object:
    """A literal's lexical form as a typed Python value (text when it has no usable type)."""
    convert = LITERAL_TYPES.get(datatype) if datatype else None
    if convert is None:
        return text
    try:
        return convert(text)
    except ValueError:
        return text


def typed_value(term, compact_iri) -> object:
    """An rdflib term as a typed Python value for a DataFrame cell (see LITERAL_TYPES)."""
    from rdflib import Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal):
        return literal_value(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


def python_value(term, compact_iri) -> object:
    """An rdflib term as a plain value: numbers and booleans typed, dates and the rest text.

    What the network analyses read; named queries use ``typed_value``.
    """
    from rdflib import Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        value = literal_value(str(term), datatype)
        if isinstance(value, Decimal | float):
            return int(value) if float(value).is_integer() else float(value)
        if isinstance(value, int | bool):
            return value
        return str(term)
    return str(term)


def list_cell(cell: object, compact_iri) -> list:
    """A ``GROUP_CONCAT`` cell as a sorted list without duplicates or empty items."""
    if not isinstance(cell, str) or not cell:
        return []
    items = {compact_iri(i) if "://" in i else i for i in cell.split(LIST_SEPARATOR) if i.strip()}
    return sorted(items)


def zipped_cells(cells: list, types: list[str | None], compact_iri) -> list[list]:
    """Parallel ``GROUP_CONCAT`` cells as parallel lists, de-duplicated, sorted by the first."""
    parts = [c.split(LIST_SEPARATOR) if isinstance(c, str) and c else [] for c in cells]
    if len({len(p) for p in parts}) != 1:  # not parallel after all: keep each list apart
        return [list_cell(c, compact_iri) for c in cells]
    typed = []
    for items in zip(*parts, strict=True):
        if not any(i.strip() for i in items):
            continue
        typed.append(
            tuple(
                int(i) if kind == "integer" and i.isdigit() else compact_iri(i) if "://" in i else i
                for i, kind in zip(items, types, strict=True)
            )
        )
    unique = sorted(set(typed), key=lambda t: tuple((type(v).__name__, v) for v in t))
    return [list(column) for column in zip(*unique, strict=True)] or [[] for _ in cells]


def shape_rows(rows: list[list], variables: list[str], named: NamedQuery, compact_iri) -> None:
    """Turn a named query's list and parallel-list cells into Python lists, in place."""
    index = {v: i for i, v in enumerate(variables)}
    plain = [index[c] for c in named.lists if c in index and c not in dict(named.zipped)]
    groups = [index[c] for c, _ in named.zipped if c in index]
    types = [t for c, t in named.zipped if c in index]
    for row in rows:
        for i in plain:
            row[i] = list_cell(row[i], compact_iri)
        if groups:
            for i, values in zip(
                groups, zipped_cells([row[i] for i in groups], types, compact_iri), strict=True
            ):
                row[i] = values


def display_value(value: object) -> object:
    """A cell as a person reads it: lists joined with '; ', 10.0 as 10, dates in ISO 8601."""
    if isinstance(value, list):
        return "; ".join(str(display_value(v)) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def json_value(value: object) -> object:
    """A cell for JSON: lists stay arrays, numbers stay numbers, dates become text."""
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def for_people(frame, fmt: str):
    """The frame as the CLI shows it: JSON keeps lists and numbers, other formats read well."""
    import pandas as pd

    if fmt == "json":
        convert = json_value
    else:  # text, so that no later step turns a column of ints with gaps into floats

        def convert(value):
            return None if value is None else str(display_value(value))

    return pd.DataFrame(
        {
            c: pd.Series([convert(v) for v in frame[c]], index=frame.index, dtype=object)
            for c in frame.columns
        },
        columns=frame.columns,
    )
