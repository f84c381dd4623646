"""The partnership network: NetworkX graphs built from SPARQL results, and their analyses.

Every graph here comes from the queries in ``queries/network/*.rq`` run on the built graph
(any store), never from the YAML, so the network says exactly what the RDF says. Node ids
are the records' ids (``itu``, ``unicef-mongolia``).

The organization partnership graph joins two organizations when the graph records them as
partners (a ``cg:Partnership``), as producers/partners of the same output or as
organizers/partners of the same event. Each edge keeps its kinds (the partnership kinds,
``shared output``, ``shared event``), the relations behind it, its weight (the number of
distinct pieces of evidence) and the quotes with their report sections.

The analyses are plain functions returning DataFrames; each frame's ``attrs["notes"]``
says where a measure is fragile, because the graph is small.

>>> from copgraph.network import NetworkData, Relation, partnership_graph, centrality
>>> data = NetworkData(
...     organizations={o: {"label": o.upper(), "kind": "company"} for o in ("a", "b", "c")},
...     relations={"p": Relation("p", "partnership", "funding", "", {"a": {"partner"},
...                "b": {"partner"}, "c": {"partner"}})},
... )
>>> g = partnership_graph(data)
>>> sorted(g.edges), g.edges["a", "b"]["kinds"]
([('a', 'b'), ('a', 'c'), ('b', 'c')], ['funding'])
>>> centrality(g)["degree"].tolist()
[2, 2, 2]
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from copgraph.catalog import QueryError, python_value
from copgraph.namespaces import ID, compact, sparql_prologue

QUERY_DIR = Path(__file__).parent / "queries" / "network"

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
#: Below this many nodes every ranking is called fragile.
SMALL_GRAPH = 50
#: Louvain's seed: the same graph always gives the same communities.
SEED = 42


# -- reading the RDF -----------------------------------------------------------------------


def _local(iri: str) -> str:
    """A record's id for its IRI (``https://w3id.org/copgraph/id/itu`` -> ``itu``)."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else compact(iri)


def select(kg, name: str) -> pd.DataFrame:
    """Run ``queries/network/NAME.rq`` on the graph's store; ids as record ids, no NaN."""
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    variables, rows = kg.store.select(sparql_prologue() + text)
    data = [[python_value(term, _local) for term in row] for row in rows]
    return pd.DataFrame(data, columns=variables, dtype=object)


@dataclass
class Relation:
    """A partnership, output or event: what joins its organizations."""

    id: str
    type: str  # partnership | output | event
    kind: str  # a partnership kind, "shared output" or "shared event"
    about: str
    members: dict[str, set[str]]  # organization -> roles
    places: set[str] = field(default_factory=set)  # ISO alpha-2 codes


@dataclass(frozen=True)
class Quote:
    evidence: str
    exact: str
    section: str
    line: int

    def as_dict(self) -> dict:
        return {
            "evidence": self.evidence,
            "section": self.section,
            "line": self.line,
            "quote": self.exact,
        }


@dataclass
class NetworkData:
    """What the network queries returned, once, so several graphs can share it."""

    organizations: dict[str, dict] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    evidence: dict[str, list[Quote]] = field(default_factory=dict)
    countries: dict[str, dict] = field(default_factory=dict)  # iso2 -> id, label, beneficiary
    participations: list[dict] = field(default_factory=list)

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
        """Where a relation happened: its stated countries, else its members' home countries."""
        if rel.places:
            return set(rel.places)
        return {c for o in rel.members if (c := self.org(o).get("country"))}


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
    quotes: dict[str, set[Quote]] = defaultdict(set)
    for row in select(kg, "evidence").to_dict("records"):
        line = row["line"]
        quotes[row["item"]].add(
            Quote(row["evidence"], row["exact"], row["section"] or "", int(line or 0))
        )
    data.evidence = {item: sorted(qs, key=_quote_key) for item, qs in quotes.items()}
    for row in select(kg, "countries").to_dict("records"):
        data.countries.setdefault(
            row["iso2"],
            {"id": row["country"], "label": row["label"] or row["iso2"], "beneficiary": False},
        )
        if row["beneficiary"] is True:
            data.countries[row["iso2"]]["beneficiary"] = True
    data.participations = select(kg, "participations").to_dict("records")
    return data


def _as_data(source) -> NetworkData:
    return source if isinstance(source, NetworkData) else load(source)


def _section_key(section: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\s]", section or "") if p)


def _quote_key(q: Quote) -> tuple:
    return (_section_key(q.section), q.line, q.evidence)


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


def _check_country(data: NetworkData, country: str | None) -> str | None:
    if not country:
        return None
    code = country.strip().upper()
    if code not in data.countries:
        known = ", ".join(sorted(data.countries))
        raise QueryError(f"no country with ISO code {country!r} in the graph (codes: {known})")
    return code


# -- graphs --------------------------------------------------------------------------------


def short_name(info: dict, limit: int = 24) -> str:
    """The acronym, or the name cut to ``limit`` characters: what a node shows."""
    name = info.get("acronym") or info.get("label") or ""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "\u2026"


def _node_attrs(data: NetworkData, org_id: str) -> dict:
    info = data.org(org_id)
    country = info.get("country", "")
    return {
        "type": "organization",
        "label": info.get("label", org_id),
        "acronym": info.get("acronym", ""),
        "short": short_name(info) or org_id,
        "kind": info.get("kind", "") or "unknown",
        "country": country,
        "country_label": info.get("country_label", "")
        or data.countries.get(country, {}).get("label", ""),
        "parent": info.get("parent", ""),
        "parent_label": data.org(info["parent"]).get("label", "") if info.get("parent") else "",
    }


def _primary_kind(kind_weights: Counter) -> str:
    order = {k: i for i, k in enumerate(EDGE_KINDS)}
    return sorted(kind_weights, key=lambda k: (-kind_weights[k], order.get(k, 99), k))[0]


def partnership_graph(
    source,
    *,
    fold: bool = False,
    country: str | None = None,
    kind: str | None = None,
    isolates: bool = False,
) -> nx.Graph:
    """Organizations joined by partnerships, shared outputs and shared events.

    ``fold`` merges sub-organizations into the top of their parent chain; ``country``
    (ISO alpha-2) keeps the relations that took place there (stated, or else where their
    members are based); ``kind`` keeps one kind of tie; ``isolates`` adds organizations
    with no tie (by default they are counted in ``graph["organizations_without_ties"]``).
    """
    data = _as_data(source)
    country = _check_country(data, country)
    kind = match_kind(data, kind) if kind else None
    place = (lambda o: data.root(o)) if fold else (lambda o: o)

    edges: dict[tuple[str, str], dict] = {}
    activity: dict[str, dict] = defaultdict(lambda: {"relations": set(), "countries": set()})
    largest = 0
    for rel_id in sorted(data.relations):
        rel = data.relations[rel_id]
        where = data.relation_countries(rel)
        if (kind and rel.kind != kind) or (country and country not in where):
            continue
        members = sorted({place(o) for o in rel.members})
        if len(members) < 2:
            continue
        largest = max(largest, len(members))
        quotes = data.evidence.get(rel_id, [])
        for org in members:
            activity[org]["relations"].add(rel_id)
            activity[org]["countries"] |= where
        for u, v in combinations(members, 2):
            edge = edges.setdefault(
                (u, v),
                {"relations": set(), "kinds": Counter(), "quotes": {}, "countries": set()},
            )
            edge["relations"].add(rel_id)
            edge["kinds"][rel.kind] += max(1, len(quotes))
            edge["countries"] |= where
            for q in quotes:
                edge["quotes"][q.evidence] = q

    graph = nx.Graph(
        name="organization partnership graph",
        fold=fold,
        country=country or "",
        kind=kind or "",
        largest_relation=largest,
    )
    candidates = {place(o) for o in data.organizations}
    if country:
        candidates = {o for o in candidates if _home(data, o, fold) == country} | set(activity)
    nodes = sorted(candidates if isolates else set(activity))
    for org in nodes:
        attrs = _node_attrs(data, org)
        acts = activity.get(org, {"relations": set(), "countries": set()})
        home = {attrs["country"]} if attrs["country"] else set()
        attrs["countries"] = sorted(acts["countries"] | home)
        attrs["relations"] = len(acts["relations"])
        if fold:
            attrs["members"] = sorted(o for o in data.organizations if place(o) == org)
        graph.add_node(org, **attrs)
    for (u, v), edge in sorted(edges.items()):
        quotes = sorted(edge["quotes"].values(), key=_quote_key)
        graph.add_edge(
            u,
            v,
            kinds=[k for k in EDGE_KINDS if k in edge["kinds"]]
            + sorted(set(edge["kinds"]) - set(EDGE_KINDS)),
            primary_kind=_primary_kind(edge["kinds"]),
            relations=sorted(edge["relations"]),
            weight=len(quotes),
            quotes=[q.as_dict() for q in quotes],
            countries=sorted(edge["countries"]),
        )
    graph.graph["organizations_without_ties"] = len(candidates - set(activity))
    return graph


def _home(data: NetworkData, org: str, fold: bool) -> str:
    if not fold:
        return data.org(org).get("country", "")
    homes = {data.org(o).get("country", "") for o in data.organizations if data.root(o) == org}
    own = data.org(org).get("country", "")
    return own or (sorted(homes - {""}) or [""])[0]


def affiliation_graph(
    source, relation_type: str, *, fold: bool = False, country: str | None = None
) -> nx.Graph:
    """Bipartite: organizations (``bipartite=0``) and outputs or events (``bipartite=1``)."""
    if relation_type not in ("output", "event"):
        raise ValueError("relation_type is 'output' or 'event'")
    data = _as_data(source)
    country = _check_country(data, country)
    graph = nx.Graph(name=f"organization-{relation_type} graph", fold=fold, country=country or "")
    for rel_id in sorted(data.relations):
        rel = data.relations[rel_id]
        if rel.type != relation_type:
            continue
        if country and country not in data.relation_countries(rel):
            continue
        graph.add_node(
            rel_id,
            type=relation_type,
            bipartite=1,
            label=rel.about or rel_id,
            countries=sorted(data.relation_countries(rel)),
            weight=len(data.evidence.get(rel_id, [])),
        )
        roles: dict[str, set[str]] = defaultdict(set)
        for org, org_roles in rel.members.items():
            roles[data.root(org) if fold else org] |= org_roles
        for org in sorted(roles):
            if org not in graph:
                graph.add_node(org, bipartite=0, **_node_attrs(data, org))
            graph.add_edge(org, rel_id, roles=sorted(roles[org]))
    return graph


def organization_output_graph(source, **options) -> nx.Graph:
    """Organizations and the outputs they produced or partnered on."""
    return affiliation_graph(source, "output", **options)


def organization_event_graph(source, **options) -> nx.Graph:
    """Organizations and the events they organized or partnered on."""
    return affiliation_graph(source, "event", **options)


def person_session_graph(source) -> nx.Graph:
    """Bipartite: people (``bipartite=0``) and the workshop sessions they took part in."""
    data = _as_data(source)
    graph = nx.Graph(name="person-session graph")
    links: dict[tuple[str, str], dict[str, set]] = defaultdict(
        lambda: {"roles": set(), "organizations": set()}
    )
    for row in data.participations:
        person, session = row["person"], row["session"]
        if person not in graph:
            graph.add_node(person, type="person", bipartite=0, label=row["person_label"] or person)
        if session not in graph:
            graph.add_node(
                session, type="session", bipartite=1, label=row["session_label"] or session
            )
        if row["role"]:
            links[person, session]["roles"].add(row["role"])
        if row["organization"]:
            links[person, session]["organizations"].add(row["organization"])
    ordered = nx.Graph(**graph.graph)  # nodes in id order, whatever the rows' order
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    for (person, session), link in sorted(links.items()):
        ordered.add_edge(
            person,
            session,
            roles=sorted(link["roles"]),
            organizations=sorted(link["organizations"]),
        )
    return ordered


def project(bipartite: nx.Graph, side: str) -> nx.Graph:
    """Project a bipartite graph onto one side (``organization``, ``output``, ``event``,
    ``person``, ``session``); ``weight`` counts the items two nodes share."""
    nodes = sorted(n for n, t in bipartite.nodes(data="type") if t == side)
    projected = nx.bipartite.weighted_projected_graph(bipartite, nodes)
    projected.graph.update(bipartite.graph, name=f"{bipartite.graph.get('name')} ({side}s)")
    return projected


def country_organization_graph(source, *, fold: bool = False) -> nx.Graph:
    """Bipartite: countries and the organizations based or active there.

    An edge's ``via`` lists ``based in`` and the relation types placing it there; its
    ``weight`` counts the relations (plus one for being based there)."""
    data = _as_data(source)
    graph = nx.Graph(name="country-organization graph", fold=fold)
    links: dict[tuple[str, str], dict] = defaultdict(lambda: {"via": set(), "relations": set()})
    place = (lambda o: data.root(o)) if fold else (lambda o: o)
    for org in data.organizations:
        if home := data.org(org).get("country"):
            links[place(org), home]["via"].add("based in")
    for rel_id in sorted(data.relations):
        rel = data.relations[rel_id]
        for where in data.relation_countries(rel):
            for org in rel.members:
                links[place(org), where]["via"].add(rel.type)
                links[place(org), where]["relations"].add(rel_id)
    for (org, iso2), link in sorted(links.items()):
        info = data.countries.get(iso2, {"label": iso2, "beneficiary": False})
        if iso2 not in graph:
            graph.add_node(
                iso2,
                type="country",
                bipartite=1,
                label=info["label"],
                beneficiary=bool(info["beneficiary"]),
            )
        if org not in graph:
            graph.add_node(org, bipartite=0, **_node_attrs(data, org))
        graph.add_edge(
            org,
            iso2,
            via=sorted(link["via"]),
            relations=sorted(link["relations"]),
            weight=len(link["relations"]) + ("based in" in link["via"]),
        )
    return graph


# -- fragility -----------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def fragility_notes(graph: nx.Graph) -> list[str]:
    """Where the numbers of a small graph should be read with care, in plain words."""
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    notes = []
    if n == 0:
        return ["the graph is empty: there is nothing to measure"]
    if n < SMALL_GRAPH:
        notes.append(
            f"only {_count(n, 'organization')} and {_count(m, 'tie')}: one more partnership "
            "in the data can "
            "reorder any ranking; read the numbers as a description of this report, not as "
            "a measure of importance"
        )
    parts = nx.number_connected_components(graph)
    if parts > 1:
        notes.append(
            f"{parts} separate components: betweenness only counts paths inside a "
            "component, and eigenvector centrality is near 0 outside the largest one"
        )
    if m:
        hub, degree = sorted(graph.degree, key=lambda nd: (-nd[1], str(nd[0])))[0]
        if degree / m >= 0.3:
            notes.append(
                f"{hub} takes part in {degree} of the {m} ties ({degree / m:.0%}): the "
                f"rankings mostly say how close an organization is to {hub}"
            )
    largest = graph.graph.get("largest_relation", 0)
    if largest >= 4:
        notes.append(
            f"one relation joins {largest} organizations and makes {largest * (largest - 1) // 2} "
            "ties at once: it inflates its members' degree and density"
        )
    return notes


def _frame(rows: list[dict], columns: list[str], notes: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.attrs["notes"] = notes
    return frame


# -- analyses ------------------------------------------------------------------------------


def _name(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node].get("label", node)


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree, weighted degree (evidence), betweenness and eigenvector centrality.

    Betweenness ignores weights (a path is a path, however well documented); eigenvector
    centrality uses them. Sorted by weighted degree, then degree, then id."""
    notes = fragility_notes(graph)
    if graph.number_of_nodes() == 0:
        return _frame([], CENTRALITY_COLUMNS, notes)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    eigen = {n: 0.0 for n in graph}
    if graph.number_of_edges():
        try:
            eigen = nx.eigenvector_centrality(graph, max_iter=2000, tol=1e-9, weight="weight")
        except nx.PowerIterationFailedConvergence:
            eigen = {n: math.nan for n in graph}
            notes = [*notes, "eigenvector centrality did not converge: shown as NaN"]
    rows = [
        {
            "id": node,
            "name": _name(graph, node),
            "kind": graph.nodes[node].get("kind", ""),
            "degree": graph.degree(node),
            "weighted_degree": graph.degree(node, weight="weight"),
            "betweenness": round(betweenness[node], 4),
            "eigenvector": round(eigen[node], 4),
        }
        for node in graph
    ]
    rows.sort(key=lambda r: (-r["weighted_degree"], -r["degree"], r["id"]))
    return _frame(rows, CENTRALITY_COLUMNS, notes)


CENTRALITY_COLUMNS = [
    "id",
    "name",
    "kind",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
]


def communities(graph: nx.Graph, seed: int = SEED, resolution: float = 1.0) -> pd.DataFrame:
    """Louvain communities (fixed seed) with the partition's modularity on every row.

    Biggest community first; a modularity under 0.3 means the split is weak."""
    columns = ["community", "size", "members", "names", "kinds", "modularity"]
    notes = fragility_notes(graph)
    if graph.number_of_edges() == 0:
        return _frame([], columns, [*notes, "no ties: no communities"])
    parts = nx.community.louvain_communities(
        graph, weight="weight", seed=seed, resolution=resolution
    )
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    q = round(nx.community.modularity(graph, parts, weight="weight", resolution=resolution), 4)
    if q < 0.3:
        notes = [*notes, f"modularity {q} < 0.3: the communities are weakly separated"]
    rows = [
        {
            "community": i,
            "size": len(part),
            "members": "; ".join(map(str, part)),
            "names": "; ".join(str(graph.nodes[n].get("short", n)) for n in part),
            "kinds": "; ".join(
                f"{k} {c}"
                for k, c in sorted(
                    Counter(graph.nodes[n].get("kind", "") for n in part).items(),
                    key=lambda kc: (-kc[1], kc[0]),
                )
            ),
            "modularity": q,
        }
        for i, part in enumerate(parts, start=1)
    ]
    return _frame(rows, columns, notes)


def brokers(graph: nx.Graph) -> pd.DataFrame:
    """Organizations whose partners span the most stakeholder kinds: the bridges between
    government, UN, industry and civil society. Most kinds first, then most partners."""
    columns = ["id", "name", "kind", "partner_kinds", "partners", "kinds", "betweenness"]
    notes = fragility_notes(graph)
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    rows = []
    for node in graph:
        kinds = Counter(graph.nodes[p].get("kind", "") for p in graph[node])
        rows.append(
            {
                "id": node,
                "name": _name(graph, node),
                "kind": graph.nodes[node].get("kind", ""),
                "partner_kinds": len(kinds),
                "partners": graph.degree(node),
                "kinds": "; ".join(sorted(kinds)),
                "betweenness": round(betweenness.get(node, 0.0), 4),
            }
        )
    rows.sort(key=lambda r: (-r["partner_kinds"], -r["partners"], r["id"]))
    return _frame([r for r in rows if r["partners"]], columns, notes)


def mixing_matrix(graph: nx.Graph, attribute: str = "kind") -> pd.DataFrame:
    """Ties between stakeholder kinds: cell [a, b] counts the ties joining an ``a`` to a
    ``b`` (symmetric; the diagonal counts ties inside a kind)."""
    kinds = sorted({graph.nodes[n].get(attribute, "") for n in graph})
    counts = Counter()
    for u, v in graph.edges:
        a, b = graph.nodes[u].get(attribute, ""), graph.nodes[v].get(attribute, "")
        counts[a, b] += 1
        if a != b:
            counts[b, a] += 1
    frame = pd.DataFrame(
        [[counts[a, b] for b in kinds] for a in kinds], index=kinds, columns=kinds
    ).rename_axis(attribute)
    frame.attrs["notes"] = fragility_notes(graph)
    return frame


def assortativity(graph: nx.Graph, attribute: str = "kind") -> pd.DataFrame:
    """Attribute assortativity of stakeholder kinds: +1 when ties stay inside a kind, below
    0 when they cross kinds (the programme's purpose). NaN when undefined."""
    notes = fragility_notes(graph)
    value = math.nan
    if graph.number_of_edges():
        try:
            value = nx.attribute_assortativity_coefficient(graph, attribute)
        except (ZeroDivisionError, ValueError):
            value = math.nan
    if math.isnan(value):
        notes = [*notes, "assortativity is undefined here (no ties, or a single kind)"]
    elif graph.number_of_edges() < 20:
        notes = [*notes, f"assortativity from {graph.number_of_edges()} ties only"]
    value = value if math.isnan(value) else round(value, 4)
    row = {"attribute": attribute, "ties": graph.number_of_edges(), "assortativity": value}
    return _frame([row], list(row), notes)


def ego(graph: nx.Graph, node: str, radius: int = 1) -> pd.DataFrame:
    """An organization's partners (and theirs, up to ``radius``), each tie with its kinds,
    weight and quotes. Nearest first, then the best-documented tie."""
    columns = [
        "id",
        "name",
        "kind",
        "country",
        "distance",
        "via",
        "kinds",
        "weight",
        "quotes",
    ]
    if node not in graph:
        return _frame([], columns, fragility_notes(graph))
    sub = nx.ego_graph(graph, node, radius=radius)
    distance = nx.single_source_shortest_path_length(sub, node)
    rows = []
    for other in sub:
        if other == node:
            continue
        d = distance[other]
        via = sorted(p for p in sub[other] if distance.get(p) == d - 1 and p != node)
        edge = graph.edges[node, other] if graph.has_edge(node, other) else {}
        rows.append(
            {
                "id": other,
                "name": _name(graph, other),
                "kind": graph.nodes[other].get("kind", ""),
                "country": graph.nodes[other].get("country", ""),
                "distance": d,
                "via": "; ".join(via),
                "kinds": "; ".join(edge.get("kinds", [])),
                "weight": edge.get("weight", 0),
                "quotes": " | ".join(
                    f"[{q['section']}] {q['quote']}" for q in edge.get("quotes", [])
                ),
            }
        )
    rows.sort(key=lambda r: (r["distance"], -r["weight"], r["id"]))
    return _frame(rows, columns, fragility_notes(sub))


def country_partners(source, iso2: str, *, fold: bool = False) -> pd.DataFrame:
    """The organizations at work in one country: how many of its relations each is in,
    their kinds, the evidence behind them, and each one's share of those relations."""
    data = _as_data(source)
    iso2 = _check_country(data, iso2)
    place = (lambda o: data.root(o)) if fold else (lambda o: o)
    rels = [r for _, r in sorted(data.relations.items()) if iso2 in data.relation_countries(r)]
    per_org: dict[str, dict] = defaultdict(lambda: {"relations": set(), "kinds": set()})
    for rel in rels:
        for org in {place(o) for o in rel.members}:
            per_org[org]["relations"].add(rel.id)
            per_org[org]["kinds"].add(rel.kind)
    for org in data.organizations:
        if data.org(org).get("country") == iso2:
            per_org[place(org)]  # based there, even without a relation
    rows = []
    for org, info in per_org.items():
        attrs = _node_attrs(data, org)
        evidence = {q.evidence for r in info["relations"] for q in data.evidence.get(r, [])}
        rows.append(
            {
                "id": org,
                "name": attrs["label"],
                "kind": attrs["kind"],
                "based_in": attrs["country"],
                "relations": len(info["relations"]),
                "share": round(len(info["relations"]) / len(rels), 3) if rels else 0.0,
                "kinds": "; ".join(k for k in EDGE_KINDS if k in info["kinds"]),
                "evidence": len(evidence),
            }
        )
    rows.sort(key=lambda r: (-r["relations"], -r["evidence"], r["id"]))
    columns = ["id", "name", "kind", "based_in", "relations", "share", "kinds", "evidence"]
    notes = []
    if len(rels) < 5:
        notes.append(
            f"only {len(rels)} relation(s) placed in {iso2}: the shares are counts of a "
            "handful of statements"
        )
    return _frame(rows, columns, notes)


def country_profiles(source, *, fold: bool = False, beneficiaries_only: bool = True):
    """Each beneficiary country's partner profile: how many organizations and relations,
    the stakeholder-kind mix, and how far it rests on one partner (the top share)."""
    data = _as_data(source)
    rows = []
    for iso2, info in sorted(data.countries.items()):
        if beneficiaries_only and not info["beneficiary"]:
            continue
        partners = country_partners(data, iso2, fold=fold)
        active = partners[partners["relations"] > 0]
        total = sum(1 for r in data.relations.values() if iso2 in data.relation_countries(r))
        top = active.iloc[0] if len(active) else None
        mix = Counter(active["kind"]) if len(active) else Counter()
        rows.append(
            {
                "iso2": iso2,
                "country": info["label"],
                "relations": total,
                "organizations": len(active),
                "kind_mix": "; ".join(
                    f"{k} {c}" for k, c in sorted(mix.items(), key=lambda kc: (-kc[1], kc[0]))
                ),
                "top_partner": top["id"] if top is not None else "",
                "top_share": top["share"] if top is not None else 0.0,
                "single_partner": bool(top is not None and top["share"] == 1.0 and total > 1),
            }
        )
    columns = [
        "iso2",
        "country",
        "relations",
        "organizations",
        "kind_mix",
        "top_partner",
        "top_share",
        "single_partner",
    ]
    notes = [
        "top_share is the share of the country's relations the top organization is in; "
        "with a few relations per country it moves with each one added"
    ]
    return _frame(rows, columns, notes)


def overview(graph: nx.Graph) -> pd.DataFrame:
    """Nodes, edges, density, components and the largest component's size."""
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    parts = sorted(nx.connected_components(graph), key=len, reverse=True) if n else []
    rows = [
        ("organizations", n),
        ("ties", m),
        ("density", round(nx.density(graph), 4) if n > 1 else 0.0),
        ("components", len(parts)),
        ("largest component", len(parts[0]) if parts else 0),
        (
            "evidence behind the ties",
            len({q["evidence"] for *_, qs in graph.edges(data="quotes") for q in qs or []}),
        ),
        (
            "organizations without ties (not in the graph)",
            graph.graph.get("organizations_without_ties", 0),
        ),
    ]
    return _frame(
        [{"measure": k, "value": v} for k, v in rows], ["measure", "value"], fragility_notes(graph)
    )


def summary(graph: nx.Graph, top: int = 5, seed: int = SEED) -> pd.DataFrame:
    """One long table for ``copgraph network summary``: section, rank, id, name, value."""
    rows: list[dict] = []

    def add(section, rank, node, name, value):
        rows.append({"section": section, "rank": rank, "id": node, "name": name, "value": value})

    for row in overview(graph).to_dict("records"):
        add("graph", "", "", row["measure"], row["value"])
    cent = centrality(graph)
    for measure in ("degree", "weighted_degree", "betweenness", "eigenvector"):
        ranked = sorted(
            cent.to_dict("records"),
            key=lambda r: (-(r[measure] if not pd.isna(r[measure]) else -1), r["id"]),
        )
        for rank, r in enumerate(ranked[:top], start=1):
            add(f"top by {measure.replace('_', ' ')}", rank, r["id"], r["name"], r[measure])
    comms = communities(graph, seed=seed)
    for r in comms.to_dict("records"):
        add("communities", r["community"], r["members"], r["names"], r["size"])
    if len(comms):
        add("communities", "", "", "modularity", comms["modularity"].iloc[0])
    for rank, r in enumerate(brokers(graph).head(top).to_dict("records"), start=1):
        add("brokers (partner kinds)", rank, r["id"], r["name"], r["partner_kinds"])
    assort = assortativity(graph).iloc[0]
    add("stakeholder mixing", "", "", "kind assortativity", assort["assortativity"])
    notes = list(
        dict.fromkeys(
            [*cent.attrs["notes"], *comms.attrs["notes"], *assortativity(graph).attrs["notes"]]
        )
    )
    for note in notes:
        add("notes", "", "", note, "")
    frame = _frame(rows, ["section", "rank", "id", "name", "value"], notes)
    return frame


# -- exports -------------------------------------------------------------------------------


def exportable(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes GraphML and GEXF can hold: lists and dicts become JSON text,
    None becomes "", numbers stay numbers. Read back, an export equals this graph."""
    import json

    def clean(attrs: dict) -> dict:
        out = {}
        for key, value in attrs.items():
            if value is None:
                value = ""
            elif isinstance(value, list | tuple | dict | set):
                value = json.dumps(
                    sorted(value) if isinstance(value, set) else value,
                    ensure_ascii=False,
                    sort_keys=True,
                )
            elif isinstance(value, bool | int | float | str):
                pass
            else:
                value = str(value)
            out[key] = value
        return out

    copy = nx.Graph()
    copy.graph.update(clean(graph.graph))
    copy.add_nodes_from((n, clean(a)) for n, a in graph.nodes(data=True))
    copy.add_edges_from((u, v, clean(a)) for u, v, a in graph.edges(data=True))
    return copy


def export(graph: nx.Graph, path: Path, fmt: str) -> Path:
    """Write the graph as ``graphml``, ``gexf`` or node-link ``json`` (NetworkX reads each
    back: :func:`read_export`)."""
    import json

    path = Path(path)
    if fmt == "graphml":
        nx.write_graphml(exportable(graph), path, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(exportable(graph), path, encoding="utf-8", prettyprint=True)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    else:
        raise ValueError(f"unknown export format {fmt!r}: graphml, gexf or json")
    return path


def read_export(path: Path, fmt: str) -> nx.Graph:
    """Read an export back into NetworkX, without what the readers add on their own (GEXF's
    edge ``id`` and ``mode``, GraphML's ``node_default``/``edge_default``). GEXF has no
    place for graph attributes other than the name."""
    import json

    if fmt == "json":
        return nx.node_link_graph(json.loads(Path(path).read_text(encoding="utf-8")), edges="edges")
    if fmt == "graphml":
        graph = nx.read_graphml(path)
    elif fmt == "gexf":
        graph = nx.read_gexf(path)
        for *_, attrs in graph.edges(data=True):
            attrs.pop("id", None)
            weight = attrs.get("weight")
            if isinstance(weight, float) and weight.is_integer():
                attrs["weight"] = int(weight)
        graph.graph.pop("mode", None)
    else:
        raise ValueError(f"unknown export format {fmt!r}: graphml, gexf or json")
    for key in ("node_default", "edge_default"):
        graph.graph.pop(key, None)
    return graph
