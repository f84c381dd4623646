"""Named SPARQL queries: ``queries/*.rq`` files, their headers, and safe parameters.

Each ``.rq`` file starts with a header of ``# key: value`` lines::

    # title: Partners of an organization
    # description: Organizations the graph records as partners of ORG, with the quote.
    # param: org | id:Organization | required | the organization: id, acronym or name
    # columns: partner, partner_label, kind, about, quote
    # lists: about

Parameter types: ``iri``, ``id`` or ``id:Class`` (an id, label or acronym, resolved to a
node of that class), ``country`` (ISO alpha-2/alpha-3, id or name), ``string``, ``date``,
``integer``. Values are bound as RDF terms in an escaped ``VALUES`` block placed at the
top of the query's outer ``WHERE`` group, as variable ``?p_<name>`` (``org`` binds
``?p_org``), so the result columns keep their own names; no value is ever spliced into
the query's own text. ``lists`` names columns whose cells are ``; ``-joined lists, returned
sorted without empty items (write ``GROUP_CONCAT(DISTINCT COALESCE(?x, ""); ...)``: rdflib
fails on an unbound value in a DISTINCT aggregate).

>>> q = parse_query_file(QUERY_DIR / "partners-of.rq")
>>> q.name, [p.name for p in q.params], q.columns[:2]
('partners-of', ['org'], ['partner', 'partner_label'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from copgraph.records import parse_date

QUERY_DIR = Path(__file__).parent / "queries"
INTERNAL_DIR = QUERY_DIR / "internal"
PARAM_TYPES = ("iri", "id", "country", "string", "date", "integer")
LIST_SEPARATOR = "; "


class QueryError(Exception):
    """A query name, parameter or text that cannot be run; the message says why."""


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

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_query_file(path: Path) -> NamedQuery:
    header: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#\s*(\w+):\s*(.*)$", line)
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
    return NamedQuery(
        name=path.stem,
        path=path,
        title=header["title"][0],
        description=header["description"][0],
        params=tuple(params),
        columns=split("columns"),
        lists=frozenset(split("lists")),
    )


def load_catalog(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name (the file's stem)."""
    return {p.stem: parse_query_file(p) for p in sorted(directory.glob("*.rq"))}


def catalog_frame(catalog: dict[str, NamedQuery] | None = None):
    """The catalog as a table: name, title, description, parameters, columns."""
    import pandas as pd

    rows = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": "; ".join(
                f"{p.name} ({p.type_label}, {'required' if p.required else 'optional'})"
                for p in q.params
            ),
            "columns": ", ".join(q.columns),
        }
        for q in (catalog or load_catalog()).values()
    ]
    return pd.DataFrame(rows, columns=["name", "title", "description", "parameters", "columns"])


def internal_query(name: str) -> str:
    return (INTERNAL_DIR / f"{name}.rq").read_text(encoding="utf-8")


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(query: str, bindings: dict[str, Node]) -> str:
    """Put an escaped ``VALUES`` block first in the outer WHERE group.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal('x" } ; DROP ALL ; #')})
    'SELECT ?s WHERE { VALUES (?o) { ("x\\\\" } ; DROP ALL ; #") }\\n ?s ?p ?o }'
    """
    if not bindings:
        return query
    # search with comment lines blanked out (same length, so offsets still hold)
    code = "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in query.split("\n")
    )
    match = _WHERE.search(code)
    if match is None:
        raise QueryError("the query has no WHERE { ... } group to bind parameters in")
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    block = (
        f"VALUES ({' '.join('?' + n for n in names)}) "
        f"{{ ({' '.join(bindings[n].n3() for n in names)}) }}\n"
    )
    return query[: match.end()] + " " + block + query[match.end() :]


def literal_param(param: Param, value: str) -> Literal:
    """Check and type a non-IRI parameter value."""
    if param.type == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise QueryError(
                f"parameter '{param.name}' must be a whole number, got {value!r}"
            ) from None
    if param.type == "date":
        try:
            text = parse_date(value)
        except ValueError as exc:
            raise QueryError(f"parameter '{param.name}' {exc}") from None
        # compare as strings: dates in the graph are partial (2022-04) as often as not
        return Literal(text)
    return Literal(value)


def iri_param(param: Param, value: str) -> URIRef:
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
        raise QueryError(f"parameter '{param.name}' must be an absolute IRI, got {value!r}")
    return URIRef(value)


def python_value(term: Node | None, compact_iri) -> object:
    """An rdflib term as a plain Python value for a DataFrame cell."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
            return int(term)
        if term.datatype in (XSD.decimal, XSD.double, XSD.float):
            number = float(term)
            return int(number) if number.is_integer() else number
        if term.datatype == XSD.boolean:
            return term.toPython() is True
        return str(term)
    return str(term)


def tidy_list(cell: object, compact_iri) -> object:
    """Sort and de-duplicate a '; '-joined cell, compacting any IRIs in it."""
    if not isinstance(cell, str) or not cell:
        return cell
    items = {compact_iri(i) if "://" in i else i for i in cell.split(LIST_SEPARATOR) if i.strip()}
    return LIST_SEPARATOR.join(sorted(items)) or None
