"""Network measures: plain functions over NetworkX graphs, returning DataFrames.

Each frame's ``attrs["notes"]`` says where a measure is fragile, because the graph is
small. Brokerage is measured structurally, as network analysis measures it: betweenness
(computed once per graph, sampled above :data:`BETWEENNESS_EXACT_LIMIT` organizations),
articulation points and bridges, and Burt's effective size and constraint.

>>> import networkx as nx
>>> star = nx.star_graph(3)  # 0 in the middle of 1, 2, 3
>>> values, sample = betweenness(star)
>>> values[0], values[1], sample
(1.0, 0.0, None)
>>> sorted(nx.articulation_points(star))
[0]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx
import pandas as pd

from copgraph.network.data import EDGE_KINDS, as_data, check_country
from copgraph.network.graphs import node_attrs

#: Below this many nodes every ranking is called fragile.
SMALL_GRAPH = 50
#: Louvain's and betweenness sampling's seed: the same graph gives the same answers.
SEED = 42
#: Exact betweenness up to this many organizations; above it, sampled from
#: :data:`BETWEENNESS_SAMPLE` sources. benchmarks/network.py measured exact betweenness at
#: 0.016 CPU s for 149 organizations, 0.25 s for 593 and 6.8 s for 2,369 (log-log slope
#: 2.03); 100 sources keep it linear in the ties: 0.23 s at 64 times the report.
BETWEENNESS_EXACT_LIMIT = 300
BETWEENNESS_SAMPLE = 100


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
            "in the data can reorder any ranking; read the numbers as a description of this "
            "report, not as a measure of importance"
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
            f"one relation without a hub joins {largest} organizations and makes "
            f"{largest * (largest - 1) // 2} ties at once: it inflates its members' degree "
            "and density"
        )
    return notes


def _frame(rows: list[dict], columns: list[str], notes: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame.attrs["notes"] = notes
    return frame


def _weight(graph: nx.Graph) -> str | None:
    """Weigh by report sentences when the ties have any, else count ties."""
    return "weight" if graph.size(weight="weight") > 0 else None


def _name(graph: nx.Graph, node: str) -> str:
    return graph.nodes[node].get("label", node)


# -- structure -----------------------------------------------------------------------------


def betweenness(
    graph: nx.Graph,
    *,
    exact_limit: int = BETWEENNESS_EXACT_LIMIT,
    sample: int = BETWEENNESS_SAMPLE,
    seed: int = SEED,
) -> tuple[dict, int | None]:
    """Normalized betweenness (unweighted: a path is a path, however well documented) and
    the number of sample sources, None when exact. Compute it once and pass it on.

    >>> values, _ = betweenness(nx.path_graph(3))
    >>> values
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    n = graph.number_of_nodes()
    if n <= exact_limit:
        return nx.betweenness_centrality(graph, normalized=True), None
    k = min(sample, n)
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed), k


def betweenness_note(sample: int | None, n: int) -> str:
    if sample is None:
        return "betweenness is exact (every organization as a source)"
    return (
        f"betweenness is estimated from {sample} of the {n} organizations as sources "
        f"(seed {SEED}): above {BETWEENNESS_EXACT_LIMIT} organizations the exact measure "
        "grows with the square of the graph"
    )


def bridges_per_node(graph: nx.Graph) -> dict:
    """How many bridges (ties whose removal disconnects the graph) each node is on.

    Two triangles joined by one tie: that tie is the only bridge.

    >>> g = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (5, 6), (6, 4)])
    >>> list(nx.bridges(g)), bridges_per_node(g)[3], bridges_per_node(g)[1]
    ([(3, 4)], 1, 0)
    """
    counts = dict.fromkeys(graph, 0)
    for u, v in nx.bridges(graph):
        counts[u] += 1
        counts[v] += 1
    return counts


def effective_size(graph: nx.Graph) -> dict:
    """Burt's effective size (Borgatti's form for unweighted ties): partners minus the
    redundancy among them, ``degree - 2 * ties among partners / degree``; NaN when alone.

    The centre of a star has as many non-redundant partners as partners; a node of a
    triangle has 1 of 2.

    >>> effective_size(nx.star_graph(3))[0], effective_size(nx.complete_graph(3))[0]
    (3.0, 1.0)
    """
    triangles = nx.triangles(graph)
    return {n: (d - 2 * triangles[n] / d) if (d := graph.degree(n)) else math.nan for n in graph}


def constraint(graph: nx.Graph, weight: str | None = None) -> dict:
    """Burt's constraint: how far a node's partners are tied to each other (1 = all its
    time with one partner or a closed clique; low = spanning structural holes).

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over i's partners j, with ``p_ij`` the
    share of i's ties going to j. The same numbers as ``networkx.constraint``, whose cost
    grows with the cube of a node's degree; this one with its degree times its partners'.

    >>> constraint(nx.star_graph(3))[0], round(constraint(nx.complete_graph(3))[0], 4)
    (0.3333333333333333, 1.125)
    """

    def w(u, v) -> float:
        return 1.0 if weight is None else float(graph.edges[u, v].get(weight, 1) or 0)

    # plain sets: intersecting them walks the smaller one (a graph's adjacency views
    # walk the other side whole, which is quadratic around a hub)
    partners = {n: set(graph[n]) for n in graph}
    strength = {n: sum(w(n, m) for m in partners[n]) for n in graph}
    result = {}
    for i in graph:
        if not partners[i] or not strength[i]:
            result[i] = math.nan
            continue
        total = 0.0
        for j in partners[i]:
            indirect = sum(
                (w(i, q) / strength[i]) * (w(q, j) / strength[q]) for q in partners[i] & partners[j]
            )
            total += (w(i, j) / strength[i] + indirect) ** 2
        result[i] = total
    return result


def eigenvector(
    graph: nx.Graph, weight: str | None = None, max_iter: int = 5000, tol: float = 1e-9
) -> dict:
    """Eigenvector centrality by the same power iteration as
    ``networkx.eigenvector_centrality`` (x <- x + Ax, normalized, until the change is
    below ``n * tol``), each step one numpy pass over the ties instead of a Python loop:
    the iterations grow with the graph, and NetworkX's took 13 s of 64 times the report.

    >>> star = nx.star_graph(3)
    >>> ours, theirs = eigenvector(star), nx.eigenvector_centrality(star, tol=1e-9)
    >>> all(abs(ours[n] - theirs[n]) < 1e-9 for n in star)
    True
    """
    import numpy as np

    nodes = list(graph)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = [
        (index[u], index[v], 1.0 if weight is None else float(w.get(weight, 1)))
        for u, v, w in graph.edges(data=True)
    ]
    rows = np.array([e[0] for e in edges] + [e[1] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges] + [e[0] for e in edges], dtype=np.int64)
    weights = np.array([e[2] for e in edges] * 2, dtype=float)
    n = len(nodes)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(cols, weights=weights * last[rows], minlength=n)
        norm = float(np.sqrt((x**2).sum())) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < n * tol:
            return {node: float(value) for node, value in zip(nodes, x, strict=True)}
    raise nx.PowerIterationFailedConvergence(max_iter)


BROKER_COLUMNS = [
    "id",
    "name",
    "kind",
    "betweenness",
    "articulation_point",
    "bridges",
    "effective_size",
    "constraint",
    "partners",
    "partner_kinds",
    "kinds",
]


def brokers(graph: nx.Graph, between: tuple[dict, int | None] | None = None) -> pd.DataFrame:
    """Organizations that bridge otherwise separate parts of the network: betweenness
    above 0 or an articulation point; highest betweenness first, then lowest constraint.

    Between two triangles joined by one tie, the bridge's two ends are the brokers:

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"),
    ...               ("d", "e"), ("e", "f"), ("f", "d")])
    >>> frame = brokers(g)
    >>> frame["id"].tolist(), frame["articulation_point"].tolist()
    (['c', 'd'], [True, True])
    """
    notes = fragility_notes(graph)
    values, sample = between or betweenness(graph)
    if graph.number_of_nodes():
        notes.append(betweenness_note(sample, graph.number_of_nodes()))
    cut_points = set(nx.articulation_points(graph))
    on_bridges = bridges_per_node(graph)
    sizes = effective_size(graph)
    constraints = constraint(graph)
    rows = []
    for node in graph:
        if values.get(node, 0.0) <= 0 and node not in cut_points:
            continue
        kinds = Counter(graph.nodes[p].get("kind", "") for p in graph[node])
        rows.append(
            {
                "id": node,
                "name": _name(graph, node),
                "kind": graph.nodes[node].get("kind", ""),
                "betweenness": round(values.get(node, 0.0), 4),
                "articulation_point": node in cut_points,
                "bridges": on_bridges[node],
                "effective_size": round(sizes[node], 4),
                "constraint": round(constraints[node], 4),
                "partners": graph.degree(node),
                "partner_kinds": len(kinds),
                "kinds": "; ".join(sorted(kinds)),
            }
        )
    rows.sort(key=lambda r: (-r["betweenness"], r["constraint"], str(r["id"])))
    frame = _frame(rows, BROKER_COLUMNS, notes)
    frame.attrs["betweenness_sample"] = sample
    return frame


# -- centrality, communities, mixing -------------------------------------------------------

CENTRALITY_COLUMNS = [
    "id",
    "name",
    "kind",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
]


def centrality(graph: nx.Graph, between: tuple[dict, int | None] | None = None) -> pd.DataFrame:
    """Degree, weighted degree (report sentences behind the ties), betweenness and
    eigenvector centrality. Sorted by weighted degree, then degree, then id.

    Betweenness ignores weights; eigenvector centrality uses them."""
    notes = fragility_notes(graph)
    if graph.number_of_nodes() == 0:
        return _frame([], CENTRALITY_COLUMNS, notes)
    values, sample = between or betweenness(graph)
    notes.append(betweenness_note(sample, graph.number_of_nodes()))
    eigen = {n: 0.0 for n in graph}
    if graph.number_of_edges():
        try:
            eigen = eigenvector(graph, weight=_weight(graph))
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
            "betweenness": round(values[node], 4),
            "eigenvector": round(eigen[node], 4),
        }
        for node in graph
    ]
    rows.sort(key=lambda r: (-r["weighted_degree"], -r["degree"], str(r["id"])))
    frame = _frame(rows, CENTRALITY_COLUMNS, notes)
    frame.attrs["betweenness_sample"] = sample
    return frame


def communities(graph: nx.Graph, seed: int = SEED, resolution: float = 1.0) -> pd.DataFrame:
    """Louvain communities (fixed seed) with the partition's modularity on every row.

    Biggest community first; a modularity under 0.3 means the split is weak."""
    columns = ["community", "size", "members", "names", "kinds", "modularity"]
    notes = fragility_notes(graph)
    if graph.number_of_edges() == 0:
        return _frame([], columns, [*notes, "no ties: no communities"])
    weight = _weight(graph)
    parts = nx.community.louvain_communities(graph, weight=weight, seed=seed, resolution=resolution)
    parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
    q = round(nx.community.modularity(graph, parts, weight=weight, resolution=resolution), 4)
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


# -- one organization, one country ---------------------------------------------------------


def ego(graph: nx.Graph, node: str, radius: int = 1) -> pd.DataFrame:
    """An organization's partners (and theirs, up to ``radius``), each tie with its kinds,
    weight and quotes. Nearest first, then the best-documented tie. Empty, with no notes,
    for an organization without ties."""
    columns = ["id", "name", "kind", "country", "distance", "via", "kinds", "weight", "quotes"]
    if node not in graph:
        return _frame([], columns, [])
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
                    f"[{q['section']}, line {q['line']}] {q['quote']}"
                    for q in edge.get("quotes", [])
                ),
            }
        )
    rows.sort(key=lambda r: (r["distance"], -r["weight"], r["id"]))
    return _frame(rows, columns, fragility_notes(sub))


def country_partners(source, iso2: str, *, fold: bool = False) -> pd.DataFrame:
    """The organizations at work in one country: how many of the relations that state it
    each is in, their kinds, the quotes behind its part in them, and its share."""
    data = as_data(source)
    iso2 = check_country(data, iso2)
    place = data.root if fold else (lambda o: o)
    rels = [r for _, r in sorted(data.relations.items()) if iso2 in data.relation_countries(r)]
    per_org: dict[str, dict] = defaultdict(
        lambda: {"relations": set(), "kinds": set(), "evidence": set()}
    )
    for rel in rels:
        for org in rel.members:
            entry = per_org[place(org)]
            entry["relations"].add(rel.id)
            entry["kinds"].add(rel.kind)
            entry["evidence"] |= {q.evidence for q in data.quotes(rel.id, [org])}
    for org in data.organizations:
        if data.org(org).get("country") == iso2:
            per_org[place(org)]  # based there, even without a relation
    rows = []
    for org, info in per_org.items():
        attrs = node_attrs(data, org)
        rows.append(
            {
                "id": org,
                "name": attrs["label"],
                "kind": attrs["kind"],
                "based_in": attrs["country"],
                "relations": len(info["relations"]),
                "share": round(len(info["relations"]) / len(rels), 3) if rels else 0.0,
                "kinds": "; ".join(k for k in EDGE_KINDS if k in info["kinds"]),
                "evidence": len(info["evidence"]),
            }
        )
    rows.sort(key=lambda r: (-r["relations"], -r["evidence"], r["id"]))
    columns = ["id", "name", "kind", "based_in", "relations", "share", "kinds", "evidence"]
    notes = [
        "a relation counts for a country only where the partnership, output or event "
        "itself names it, never through a member based there"
    ]
    if len(rels) < 5:
        notes.append(
            f"only {len(rels)} relation(s) placed in {iso2}: the shares are counts of a "
            "handful of statements"
        )
    return _frame(rows, columns, notes)


def country_profiles(source, *, fold: bool = False, beneficiaries_only: bool = True):
    """Each beneficiary country's partner profile: how many organizations and relations,
    the stakeholder-kind mix, and how far it rests on one partner (the top share)."""
    data = as_data(source)
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


# -- the whole graph -----------------------------------------------------------------------


def overview(graph: nx.Graph, between: tuple[dict, int | None] | None = None) -> pd.DataFrame:
    """Nodes, edges, density, components, the largest component's size, evidence,
    articulation points and bridges."""
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    parts = sorted(nx.connected_components(graph), key=len, reverse=True) if n else []
    sample = (between or (None, None))[1]
    rows = [
        ("organizations", n),
        ("ties", m),
        ("density", round(nx.density(graph), 4) if n > 1 else 0.0),
        ("components", len(parts)),
        ("largest component", len(parts[0]) if parts else 0),
        (
            "quotes behind the ties",
            len({q["evidence"] for *_, qs in graph.edges(data="quotes") for q in qs or []}),
        ),
        ("articulation points", sum(1 for _ in nx.articulation_points(graph))),
        ("bridges", sum(1 for _ in nx.bridges(graph))),
        ("betweenness sources", sample if sample is not None else n),
        (
            "organizations without ties (not in the graph)",
            graph.graph.get("organizations_without_ties", 0),
        ),
    ]
    return _frame(
        [{"measure": k, "value": v} for k, v in rows], ["measure", "value"], fragility_notes(graph)
    )


def summary(graph: nx.Graph, top: int = 5, seed: int = SEED) -> pd.DataFrame:
    """One long table for ``copgraph network summary``: section, rank, id, name, value.
    Betweenness is computed once and shared by every section."""
    rows: list[dict] = []

    def add(section, rank, node, name, value):
        rows.append({"section": section, "rank": rank, "id": node, "name": name, "value": value})

    between = betweenness(graph)
    for row in overview(graph, between).to_dict("records"):
        add("graph", "", "", row["measure"], row["value"])
    cent = centrality(graph, between)
    for measure in ("degree", "weighted_degree", "betweenness", "eigenvector"):
        ranked = sorted(
            cent.to_dict("records"),
            key=lambda r: (-(r[measure] if not pd.isna(r[measure]) else -1), str(r["id"])),
        )
        for rank, r in enumerate(ranked[:top], start=1):
            add(f"top by {measure.replace('_', ' ')}", rank, r["id"], r["name"], r[measure])
    comms = communities(graph, seed=seed)
    for r in comms.to_dict("records"):
        add("communities", r["community"], r["members"], r["names"], r["size"])
    if len(comms):
        add("communities", "", "", "modularity", comms["modularity"].iloc[0])
    broker_frame = brokers(graph, between)
    for rank, r in enumerate(broker_frame.head(top).to_dict("records"), start=1):
        add("brokers (betweenness)", rank, r["id"], r["name"], r["betweenness"])
    cut = broker_frame[broker_frame["articulation_point"].astype(bool)]
    for rank, r in enumerate(cut.head(top).to_dict("records"), start=1):
        add("articulation points (betweenness)", rank, r["id"], r["name"], r["betweenness"])
    assort = assortativity(graph)
    add("stakeholder mixing", "", "", "kind assortativity", assort["assortativity"].iloc[0])
    notes = list(
        dict.fromkeys([*cent.attrs["notes"], *comms.attrs["notes"], *assort.attrs["notes"]])
    )
    for note in notes:
        add("notes", "", "", note, "")
    return _frame(rows, ["section", "rank", "id", "name", "value"], notes)
