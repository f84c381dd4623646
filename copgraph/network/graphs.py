"""NetworkX graphs built from :class:`~copgraph.network.data.NetworkData`.

The organization partnership graph joins two organizations when a partnership states
them as parties (a star around its hub when it has one, every pair otherwise), or when
they produced or partnered on the same output, or organized or partnered on the same
event. Each tie keeps its kinds, the relations behind it, the quotes of the facts it
rests on, and its weight: the number of distinct report sentences among those quotes.

>>> from copgraph.network.data import NetworkData, Relation
>>> data = NetworkData(
...     organizations={o: {"label": o.upper(), "kind": "company"} for o in ("a", "b", "c")},
...     relations={"p": Relation("p", "partnership", "funding", "", {"a": {"partner"},
...                "b": {"partner"}, "c": {"partner"}})},
... )
>>> g = partnership_graph(data)
>>> sorted(g.edges), g.edges["a", "b"]["kinds"]
([('a', 'b'), ('a', 'c'), ('b', 'c')], ['funding'])
>>> data.relations["p"].members["a"].add("hub")
>>> sorted(partnership_graph(data).edges)
[('a', 'b'), ('a', 'c')]
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from copgraph.network.data import (
    EDGE_KINDS,
    NetworkData,
    as_data,
    check_country,
    match_kind,
    quote_key,
    sentences,
)


def short_name(info: dict, limit: int = 24) -> str:
    """The acronym, or the name cut to ``limit`` characters: what a node shows."""
    name = info.get("acronym") or info.get("label") or ""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "\u2026"


def node_attrs(data: NetworkData, org_id: str) -> dict:
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
        "names": list(data.names.get(org_id, [])),
    }


def primary_kind(kind_weights: Counter) -> str:
    """The kind a tie of several kinds is drawn in: the one with the most sentences, then
    the first in the scheme's order."""
    order = {k: i for i, k in enumerate(EDGE_KINDS)}
    return sorted(kind_weights, key=lambda k: (-kind_weights[k], order.get(k, 99), k))[0]


def _ordered_kinds(kinds) -> list[str]:
    return [k for k in EDGE_KINDS if k in kinds] + sorted(set(kinds) - set(EDGE_KINDS))


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
    (ISO alpha-2) keeps the relations that state that country; ``kind`` keeps one kind of
    tie; ``isolates`` adds organizations with no tie (by default they are counted in
    ``graph["organizations_without_ties"]``). Nodes and edges are added in id order.
    """
    data = as_data(source)
    country = check_country(data, country)
    kind = match_kind(data, kind) if kind else None
    node_of = data.root if fold else (lambda o: o)  # an organization, or its top parent

    edges: dict[tuple[str, str], dict] = {}
    activity: dict[str, dict] = defaultdict(lambda: {"relations": set(), "countries": set()})
    largest = 0
    for rel_id in sorted(data.relations):
        rel = data.relations[rel_id]
        where = data.relation_countries(rel)
        if (kind and rel.kind != kind) or (country and country not in where):
            continue
        ties: dict[tuple[str, str], set[str]] = defaultdict(set)  # folded pair -> originals
        for a, b in rel.pairs():
            u, v = sorted((node_of(a), node_of(b)))
            if u != v:
                ties[u, v] |= {a, b}
        if not ties:
            continue
        if rel.hub is None:
            largest = max(largest, len({node_of(o) for o in rel.members}))
        for (u, v), originals in ties.items():
            quotes = data.quotes(rel_id, originals)
            for org in (u, v):
                activity[org]["relations"].add(rel_id)
                activity[org]["countries"] |= where
            edge = edges.setdefault(
                (u, v), {"via": {}, "quotes": {}, "countries": set(), "kinds": Counter()}
            )
            edge["via"][rel_id] = {
                "relation": rel_id,
                "type": rel.type,
                "kind": rel.kind,
                "about": rel.about,
                "evidence": [q.evidence for q in quotes],
            }
            edge["kinds"][rel.kind] += max(1, sentences(quotes))
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
    candidates = {node_of(o) for o in data.organizations}
    if country:
        candidates = {o for o in candidates if data.org(o).get("country") == country}
        candidates |= set(activity)
    nodes = sorted(candidates if isolates else set(activity))
    members: dict[str, list[str]] = defaultdict(list)
    if fold:
        for o in sorted(data.organizations):
            members[node_of(o)].append(o)
    for org in nodes:
        attrs = node_attrs(data, org)
        acts = activity.get(org, {"relations": set(), "countries": set()})
        home = {attrs["country"]} if attrs["country"] else set()
        attrs["countries"] = sorted(acts["countries"] | home)
        attrs["relations"] = len(acts["relations"])
        if fold:
            attrs["members"] = members[org]
        graph.add_node(org, **attrs)
    for (u, v), edge in sorted(edges.items()):
        quotes = sorted(edge["quotes"].values(), key=quote_key)
        graph.add_edge(
            u,
            v,
            kinds=_ordered_kinds(edge["kinds"]),
            primary_kind=primary_kind(edge["kinds"]),
            relations=sorted(edge["via"]),
            via=[edge["via"][r] for r in sorted(edge["via"])],
            weight=sentences(quotes),
            quotes=[q.as_dict() for q in quotes],
            countries=sorted(edge["countries"]),
        )
    graph.graph["organizations_without_ties"] = len(
        {node_of(o) for o in data.organizations} - set(activity)
    )
    return graph


def affiliation_graph(
    source, relation_type: str, *, fold: bool = False, country: str | None = None
) -> nx.Graph:
    """Bipartite: organizations (``bipartite=0``) and outputs or events (``bipartite=1``)."""
    if relation_type not in ("output", "event"):
        raise ValueError("relation_type is 'output' or 'event'")
    data = as_data(source)
    country = check_country(data, country)
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
            weight=sentences(data.quotes(rel_id, rel.members)),
        )
        roles: dict[str, set[str]] = defaultdict(set)
        for org, org_roles in rel.members.items():
            roles[data.root(org) if fold else org] |= org_roles
        for org in sorted(roles):
            if org not in graph:
                graph.add_node(org, bipartite=0, **node_attrs(data, org))
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
    data = as_data(source)
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

    An edge's ``via`` lists ``based in`` and the relation types that state the country;
    its ``weight`` counts the relations (plus one for being based there)."""
    data = as_data(source)
    graph = nx.Graph(name="country-organization graph", fold=fold)
    links: dict[tuple[str, str], dict] = defaultdict(lambda: {"via": set(), "relations": set()})
    node_of = data.root if fold else (lambda o: o)  # an organization, or its top parent
    for org in data.organizations:
        if home := data.org(org).get("country"):
            links[node_of(org), home]["via"].add("based in")
    for rel_id in sorted(data.relations):
        rel = data.relations[rel_id]
        for where in data.relation_countries(rel):
            for org in rel.members:
                links[node_of(org), where]["via"].add(rel.type)
                links[node_of(org), where]["relations"].add(rel_id)
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
            graph.add_node(org, bipartite=0, **node_attrs(data, org))
        graph.add_edge(
            org,
            iso2,
            via=sorted(link["via"]),
            relations=sorted(link["relations"]),
            weight=len(link["relations"]) + ("based in" in link["via"]),
        )
    return graph
