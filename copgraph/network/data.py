"""What the network is made of: the rows of ``queries/network/*.rq``, read once.

Every graph comes from these queries run on the built graph (any store), never from the
YAML, so the network says exactly what the RDF says. Node ids are the records' ids
(``itu``, ``unicef-mongolia``).

A quote counts for a tie only when it supports one of the tie's facts (a ``cg:Fact``:
a partnership's party or hub, an output's producer or partner, an event's organizer or
partner); the quotes that merely name a partnership are not evidence that its parties
worked together. A relation has a country only where it has ``cg:country`` itself:
nothing is placed in a country because one of its members is based there.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from copgraph.catalog import QueryError, python_value
from copgraph.namespaces import ID, compact, sparql_prologue

NETWORK_QUERY_DIR = Path(__file__).resolve().parent.parent / "queries" / "network"

#: Partnership kinds in the order of the partnership-kind scheme, then the inferred ties.
EDGE_KINDS = (
    "funding",
    "agreement",
    "co-organization",
    "co-production",
    "membership",
    "support",
    "collaboration",
    "review",
    "shared output",
    "shared event",
)


def _local(iri: str) -> str:
    """A record's id for its IRI (``https://w3id.org/copgraph/id/itu`` -> ``itu``)."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else compact(iri)


def select(kg, name: str) -> pd.DataFrame:
    """Run ``queries/network/NAME.rq`` on the graph's store; ids as record ids, no NaN."""
    text = (NETWORK_QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    variables, rows = kg.select_terms(sparql_prologue() + text)
    data = [[python_value(term, _local) for term in row] for row in rows]
    return pd.DataFrame(data, columns=variables, dtype=object)


@dataclass
class Relation:
    """A partnership, output or event: what joins its organizations."""

    id: str
    type: str  # partnership | output | event
    kind: str  # a partnership kind, "shared output" or "shared event"
    about: str
    members: dict[str, set[str]]  # organization -> roles (partner, hub, producer, ...)
    places: set[str] = field(default_factory=set)  # ISO alpha-2 codes it states

    @property
    def hub(self) -> str | None:
        """The organization a partnership is centred on, if the graph names one."""
        hubs = sorted(o for o, roles in self.members.items() if "hub" in roles)
        return hubs[0] if hubs else None

    def pairs(self) -> list[tuple[str, str]]:
        """The ties this relation states: a star around its hub, else every pair.

        >>> Relation("p", "partnership", "support", "", {"h": {"hub", "partner"},
        ...          "a": {"partner"}, "b": {"partner"}}).pairs()
        [('h', 'a'), ('h', 'b')]
        >>> Relation("p", "partnership", "support", "", {"a": set(), "b": set(),
        ...          "c": set()}).pairs()
        [('a', 'b'), ('a', 'c'), ('b', 'c')]
        """
        members = sorted(self.members)
        if hub := self.hub:
            return [(hub, o) for o in members if o != hub]
        return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


@dataclass(frozen=True)
class Quote:
    evidence: str
    exact: str
    section: str
    line: int
    sentence: int | None = None
    document: str = ""

    @property
    def statement(self) -> tuple:
        """The report sentence a quote comes from: two quotes of one sentence count once.
        A quote without a sentence index counts as its own sentence."""
        if self.sentence is None:
            return ("evidence", self.evidence)
        return (self.document, self.sentence)

    def as_dict(self) -> dict:
        return {
            "evidence": self.evidence,
            "section": self.section,
            "line": self.line,
            "quote": self.exact,
        }


def sentences(quotes) -> int:
    """How many distinct report sentences the quotes come from: a tie's weight.

    >>> a = Quote("e1", "Alpha funded Beta", "4.1", 10, 57, "report")
    >>> b = Quote("e2", "Alpha funded Beta in 2023", "4.1", 10, 57, "report")
    >>> sentences([a, b]), sentences([a, Quote("e3", "x", "2", 3, 12, "report")])
    (1, 2)
    """
    return len({q.statement for q in quotes})


@dataclass
class NetworkData:
    """What the network queries returned, once, so several graphs can share it."""

    organizations: dict[str, dict] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    #: (relation, organization) -> the quotes of the facts joining them
    evidence: dict[tuple[str, str], list[Quote]] = field(default_factory=dict)
    countries: dict[str, dict] = field(default_factory=dict)  # iso2 -> id, label, beneficiary
    participations: list[dict] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # organization -> every name

    def org(self, org_id: str) -> dict:
        return self.organizations.get(org_id, {})

    def root(self, org_id: str) -> str:
        """The top of an organization's parent chain (UNICEF Mongolia -> UNICEF)."""
        seen = {org_id}
        while parent := self.org(org_id).get("parent"):
            if parent in seen:
                break
            seen.add(parent)
            org_id = parent
        return org_id

    def relation_countries(self, rel: Relation) -> set[str]:
        """Where a relation happened: only the countries it states itself."""
        return set(rel.places)

    def quotes(self, rel_id: str, orgs) -> list[Quote]:
        """The quotes of the facts joining ``orgs`` to relation ``rel_id``, in report order."""
        found = {q for o in orgs for q in self.evidence.get((rel_id, o), [])}
        return sorted(found, key=quote_key)


def _first(rows: pd.DataFrame, column: str) -> str:
    values = sorted(str(v) for v in rows[column] if v is not None and str(v) != "")
    return values[0] if values else ""


def load(kg) -> NetworkData:
    """Run every network query once on ``kg`` (a KnowledgeGraph, or anything with .store)."""
    data = NetworkData()
    orgs = select(kg, "organizations")
    for org_id, rows in orgs.groupby("organization", sort=True):
        data.organizations[org_id] = {
            col: _first(rows, col)
            for col in ("label", "acronym", "kind", "country", "country_label", "parent")
        }
    for org_id, info in data.organizations.items():
        info["label"] = info["label"] or org_id
    for query, rtype in (
        ("partnerships", "partnership"),
        ("outputs", "output"),
        ("events", "event"),
    ):
        for row in select(kg, query).to_dict("records"):
            rel = data.relations.setdefault(
                row["relation"],
                Relation(row["relation"], rtype, row["kind"] or rtype, row["about"] or "", {}),
            )
            rel.members.setdefault(row["organization"], set()).add(row["role"])
            if row["place"]:
                rel.places.add(row["place"])
    quotes: dict[tuple[str, str], set[Quote]] = defaultdict(set)
    for row in select(kg, "evidence").to_dict("records"):
        sentence = row["sentence"]
        quotes[row["item"], row["organization"]].add(
            Quote(
                row["evidence"],
                row["exact"],
                row["section"] or "",
                int(row["line"] or 0),
                int(sentence) if sentence is not None else None,
                row["document"] or "",
            )
        )
    data.evidence = {key: sorted(qs, key=quote_key) for key, qs in sorted(quotes.items())}
    for row in select(kg, "countries").to_dict("records"):
        data.countries.setdefault(
            row["iso2"],
            {"id": row["country"], "label": row["label"] or row["iso2"], "beneficiary": False},
        )
        if row["beneficiary"] is True:
            data.countries[row["iso2"]]["beneficiary"] = True
    data.participations = select(kg, "participations").to_dict("records")
    names: dict[str, set[str]] = defaultdict(set)
    for row in select(kg, "names").to_dict("records"):
        names[row["organization"]].add(str(row["name"]))
    data.names = {org: sorted(n) for org, n in sorted(names.items())}
    return data


def as_data(source) -> NetworkData:
    return source if isinstance(source, NetworkData) else load(source)


def section_key(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\s]", section or "") if p)


def quote_key(q: Quote) -> tuple:
    return (section_key(q.section), q.line, q.evidence)


# -- resolving what a person types ---------------------------------------------------------


def resolve_org(kg, text: str) -> str:
    """An id, name or acronym to an organization id; QueryError with close matches if none."""
    return _local(str(kg.resolve("org", text, "Organization")))


def resolve_country(kg, text: str, data: NetworkData | None = None) -> str:
    """An ISO code, id or name to the country's alpha-2 code; QueryError if unknown."""
    data = data or load(kg)
    code = text.strip().upper()
    if code in data.countries:
        return code
    try:
        node = _local(str(kg.resolve("country", text, "Country", "country")))
    except QueryError as exc:
        codes = ", ".join(sorted(data.countries))
        raise QueryError(f"{exc} (ISO codes in the graph: {codes})") from None
    for iso2, info in data.countries.items():
        if info["id"] == node:
            return iso2
    raise QueryError(f"country {text!r} has no ISO 3166-1 alpha-2 code in the graph")


def edge_kinds(data: NetworkData) -> list[str]:
    """Every kind of tie the graph can have: the scheme's kinds first, then any others."""
    found = {rel.kind for rel in data.relations.values()}
    return [k for k in EDGE_KINDS if k in found] + sorted(found - set(EDGE_KINDS))


def match_kind(data: NetworkData, text: str) -> str:
    """A partnership kind as typed (``co-organization``, ``Funding``, ``output``) or QueryError."""
    known = list(dict.fromkeys([*EDGE_KINDS, *edge_kinds(data)]))
    wanted = text.strip().lower().replace("_", "-")
    for kind in known:
        if wanted in (kind.lower(), kind.lower().replace(" ", "-"), kind.split()[-1]):
            return kind
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise QueryError(f"no partnership kind {text!r}{hint} (kinds: {', '.join(known)})")


def check_country(data: NetworkData, country: str | None) -> str | None:
    if not country:
        return None
    code = country.strip().upper()
    if code not in data.countries:
        known = ", ".join(sorted(data.countries))
        raise QueryError(f"no country with ISO code {country!r} in the graph (codes: {known})")
    return code
