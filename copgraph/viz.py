"""Pictures of the partnership network: one offline HTML page and a static PNG.

The page (``templates/network.html.j2``) is a single file a programme officer can open
with no network at all: vis-network's script and style (shipped inside pyvis) are inlined,
nothing is fetched, and its Content-Security-Policy allows only the page's own scripts and
styles, by their sha256: no ``'unsafe-inline'``, so a script or an ``onerror=`` that slipped
past escaping would still not run. The graph sits in a JSON data block written with
Jinja2's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped); ``network.js`` shows every
name and quote with ``textContent``.

Node and edge lists are built directly (pyvis's ``add_node``/``add_edge`` scan every
earlier node and edge). Above :data:`NODE_LIMIT` organizations the page shows the best
connected ones and says how many it left out; above :data:`PHYSICS_LIMIT` it sends
positions computed here and turns physics off, so it is usable at once.

The same graph always gives the same bytes, whatever ``PYTHONHASHSEED`` is.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", kinds=["funding"], primary_kind="funding", weight=1, quotes=[])
>>> page(g) == page(g)
True
"""

from __future__ import annotations

import base64
import hashlib
import math
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

from copgraph.network import EDGE_KINDS, betweenness, fragility_notes

SEED = 7  # vis-network layout.randomSeed
PNG_SEED = 42  # networkx spring_layout seed
TEMPLATES = Path(__file__).parent / "templates"
#: Most organizations one page shows: more are not readable on one screen, and at 64
#: times the report (2,369 organizations) a page of 400 answers a click in 1.3 s
#: (benchmarks/network.py).
NODE_LIMIT = 400
#: Above this many organizations the page gets precomputed positions and no physics
#: (benchmarks/network.py: with physics, 149 organizations took 5.7 s to stabilize in
#: Chromium; 38, the report, 1.0 s).
PHYSICS_LIMIT = 60
#: Zoom scale from which nodes show their full names.
FULL_LABEL_SCALE = 1.5
PART_OF_COLOUR = "#555555"

#: Stakeholder kinds (organization-kind scheme) -> colour (Okabe-Ito and Tol palettes).
KIND_COLOURS = {
    "UN agency": "#0072B2",
    "intergovernmental organization": "#56B4E9",
    "government": "#E69F00",
    "government body": "#D55E00",
    "regulator": "#CC79A7",
    "law-enforcement agency": "#882255",
    "company": "#009E73",
    "civil-society organization": "#F0E442",
    "academic institution": "#999933",
    "youth network": "#AA4499",
    "legislature": "#332288",
    "multi-stakeholder group": "#44AA99",
    "kind not stated": "#DDDDDD",
}
UNKNOWN_COLOUR = "#9E9E9E"

#: Partnership kinds -> (colour, dashed). Ties inferred from shared outputs/events are dashed.
EDGE_STYLES = {
    "funding": ("#B8860B", False),
    "agreement": ("#1F77B4", False),
    "co-organization": ("#2CA02C", False),
    "co-production": ("#E377C2", False),
    "membership": ("#9467BD", False),
    "support": ("#FF7F0E", False),
    "collaboration": ("#7F7F7F", False),
    "review": ("#8C564B", False),
    "shared output": ("#17BECF", True),
    "shared event": ("#BCBD22", True),
}
UNKNOWN_EDGE = ("#BBBBBB", False)

MAX_QUOTES = 8  # per edge tooltip


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_COLOUR)


def edge_style(kind: str) -> tuple[str, bool]:
    return EDGE_STYLES.get(kind, UNKNOWN_EDGE)


def csp(scripts: list[str], styles: list[str]) -> str:
    """A policy that runs only these inline scripts and styles (by sha256) and loads
    nothing: no 'unsafe-inline', no network."""

    def hashes(texts):
        return " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(t.encode("utf-8")).digest()).decode() + "'"
            for t in texts
        )

    return (
        f"default-src 'none'; script-src {hashes(scripts)}; style-src {hashes(styles)}; "
        "img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )


# -- what the page shows ---------------------------------------------------------------------


def _strength(graph: nx.Graph) -> dict[str, float]:
    """Weighted degree (report sentences behind the ties), the centrality that sizes nodes."""
    return {n: float(graph.degree(n, weight="weight")) for n in graph}


def node_size(value: float, largest: float) -> float:
    """12 to 40 pixels, by the square root of the share of the largest value."""
    return round(12 + 28 * math.sqrt(value / largest), 2) if largest > 0 else 12.0


def _country_text(attrs: dict) -> str:
    if attrs.get("country"):
        return f"{attrs.get('country_label') or attrs['country']} ({attrs['country']})"
    return "international / not stated"


def node_tooltip(graph: nx.Graph, node: str, betweenness: float) -> str:
    """Plain text: vis-network shows it with innerText, so nothing in it is HTML."""
    a = graph.nodes[node]
    lines = [a.get("label", node)]
    if a.get("acronym") and a["acronym"] != a.get("label"):
        lines.append(f"({a['acronym']})")
    lines += [
        f"kind: {a.get('kind') or 'unknown'}",
        f"country: {_country_text(a)}",
        f"partners: {graph.degree(node)}, sentences behind its ties: "
        f"{graph.degree(node, weight='weight')}, betweenness: {betweenness:.3f}",
    ]
    if a.get("parent"):
        lines.append(f"part of: {a.get('parent_label') or a['parent']}")
    members = [m for m in a.get("members", []) if m != node]
    if members:
        lines.append(f"includes: {', '.join(members)}")
    lines.append("click for its ties and the report's words")
    return "\n".join(lines)


def edge_tooltip(graph: nx.Graph, u: str, v: str) -> str:
    e = graph.edges[u, v]
    quotes = e.get("quotes", [])
    lines = [
        f"{graph.nodes[u].get('label', u)} \u2014 {graph.nodes[v].get('label', v)}",
        f"kinds: {', '.join(e.get('kinds', []))}",
        f"weight: {e.get('weight', 0)} sentence(s) of the report",
    ]
    for q in quotes[:MAX_QUOTES]:
        lines.append(f"[\u00a7{q['section']}, line {q['line']}] \u201c{q['quote']}\u201d")
    if len(quotes) > MAX_QUOTES:
        lines.append(f"\u2026 and {len(quotes) - MAX_QUOTES} more: click the tie")
    return "\n".join(lines)


def vis_options(seed: int = SEED, physics: bool = True) -> dict:
    """vis-network options: a seeded layout, physics that stabilizes and then is switched
    off, or (with precomputed positions) no physics at all."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": physics},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "centralGravity": 0.01,
                "springLength": 130,
                "springConstant": 0.06,
                "avoidOverlap": 0.5,
            },
            "minVelocity": 0.75,
            "stabilization": {"enabled": physics, "iterations": 600, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {"smooth": False, "hoverWidth": 1.5, "selectionWidth": 2},
    }


def sorted_copy(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in id order: every layout and list
    drawn from it is then independent of set order and hash seeds."""
    ordered = nx.Graph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda na: str(na[0])))
    ordered.add_edges_from(
        sorted(
            ((*sorted((u, v), key=str), d) for u, v, d in graph.edges(data=True)),
            key=lambda e: (str(e[0]), str(e[1])),
        )
    )
    return ordered


def shown_part(graph: nx.Graph, limit: int = NODE_LIMIT, between: dict | None = None):
    """The organizations one page shows: all, or the ``limit`` with the most partners
    (then betweenness, then id)."""
    if graph.number_of_nodes() <= limit:
        return sorted_copy(graph)
    between = between or {}
    ranked = sorted(graph, key=lambda n: (-graph.degree(n), -between.get(n, 0.0), str(n)))
    return sorted_copy(graph.subgraph(ranked[:limit]))


def page_data(graph: nx.Graph, *, seed: int = SEED, limit: int = NODE_LIMIT) -> dict:
    """Everything the page draws, as plain lists and dicts in id order."""
    between, _ = betweenness(graph)
    shown = shown_part(graph, limit, between)
    strength = _strength(shown)
    largest = max(strength.values(), default=0.0)
    physics = shown.number_of_nodes() <= PHYSICS_LIMIT
    positions = {} if physics else pixel_positions(shown)
    nodes = []
    for node in shown:
        a = shown.nodes[node]
        kind = a.get("kind") or "unknown"
        label = a.get("label") or str(node)
        names = list(dict.fromkeys([label, *(a.get("names") or []), a.get("acronym") or ""]))
        item = {
            "id": node,
            "label": a.get("short") or label,
            "name": label,
            "names": [n for n in names if n],
            "other_names": [n for n in names if n and n != label],
            "title": node_tooltip(shown, node, between.get(node, 0.0)),
            "color": kind_colour(kind),
            "size": node_size(strength[node], largest),
            "kind": kind,
            "country": a.get("country", ""),
            "country_text": _country_text(a),
            "countries": list(a.get("countries") or ([a["country"]] if a.get("country") else [])),
            "parent": a.get("parent", ""),
            "parent_label": a.get("parent_label", ""),
        }
        if positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    quotes: dict[str, dict] = {}
    edges = []
    for i, (u, v) in enumerate(shown.edges, start=1):
        e = shown.edges[u, v]
        kinds = list(e.get("kinds", []))
        for q in e.get("quotes", []):
            quotes[q["evidence"]] = {
                "quote": q["quote"],
                "section": q["section"],
                "line": q["line"],
            }
        weight = e.get("weight", 0) or 0
        edges.append(
            {
                "id": f"e{i}",
                "from": u,
                "to": v,
                "kinds": kinds,
                "primary_kind": e.get("primary_kind") or (kinds[0] if kinds else ""),
                "title": edge_tooltip(shown, u, v),
                "width": round(min(1 + 1.5 * math.log2(1 + max(weight, 1)), 9), 2),
                "weight": weight,
                "countries": list(e.get("countries", [])),
                "via": [dict(v) for v in e.get("via", [])]
                or [{"relation": "", "kind": k, "about": "", "evidence": []} for k in kinds],
            }
        )
    parts = [
        {
            "id": f"part{i}",
            "from": node,
            "to": shown.nodes[node]["parent"],
            "title": f"{shown.nodes[node].get('label', node)} is part of "
            f"{shown.nodes[node].get('parent_label') or shown.nodes[node]['parent']}",
        }
        for i, node in enumerate(
            [n for n in shown if shown.nodes[n].get("parent") in shown], start=1
        )
    ]
    kinds_present = sorted(
        {k for e in edges for k in e["kinds"]} | {e["primary_kind"] for e in edges},
        key=lambda k: (EDGE_KINDS.index(k) if k in EDGE_KINDS else 99, k),
    )
    return {
        "nodes": nodes,
        "edges": edges,
        "parts": parts,
        "quotes": dict(sorted(quotes.items())),
        "edge_kinds": kinds_present,
        "edge_styles": {
            k: {"colour": edge_style(k)[0], "dashed": edge_style(k)[1]} for k in kinds_present
        },
        "part_of": {"colour": PART_OF_COLOUR},
        "options": vis_options(seed, physics),
        "full_label_scale": FULL_LABEL_SCALE,
        "left_out": graph.number_of_nodes() - shown.number_of_nodes(),
        "ties_left_out": graph.number_of_edges() - shown.number_of_edges(),
    }


def pixel_positions(graph: nx.Graph) -> dict:
    """The PNG's seeded layout, scaled to about 60 pixels per node across."""
    span = max(800, 60 * math.sqrt(graph.number_of_nodes()) * 4)
    return {
        n: (round((x - 0.5) * span * 1.6, 1), round((0.5 - y) * span, 1))
        for n, (x, y) in layout(graph, iterations=100).items()
    }


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    if not lib.is_dir():  # pyvis 0.3.2 also ships a copy beside the templates
        lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # tojson: sorted keys for the same bytes every time; compact
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    return env


def page(
    graph: nx.Graph,
    *,
    title: str = "Who works with whom: the COP Asia-Pacific partnership network",
    seed: int = SEED,
    limit: int = NODE_LIMIT,
    entity_base: str | None = None,
) -> str:
    """The whole page as one string (see :func:`write_page`).

    ``entity_base`` (``/id/`` under ``copgraph serve``): the panel links each organization
    to ``entity_base + its id``; the offline page has no such pages and no links.
    """
    data = page_data(graph, seed=seed, limit=limit)
    if entity_base:
        data["entity_base"] = entity_base
    vis_js, vis_css = _vis_assets()
    page_js = (TEMPLATES / "network.js").read_text(encoding="utf-8")
    page_css = (TEMPLATES / "network.css").read_text(encoding="utf-8")
    kinds_present = sorted({n["kind"] for n in data["nodes"]})
    labels = {}
    for n in data["nodes"]:
        for code in n["countries"]:
            labels.setdefault(code, code)
        if n["country"]:
            labels[n["country"]] = graph.nodes[n["id"]].get("country_label") or n["country"]
    countries = sorted(labels.items(), key=lambda kv: (kv[1], kv[0]))
    names = sorted(
        {name for n in data["nodes"] for name in n["names"]}, key=lambda s: (s.lower(), s)
    )
    return (
        _environment()
        .get_template("network.html.j2")
        .render(
            title=title,
            csp=Markup(csp([vis_js, page_js], [vis_css, page_css])),  # hashes: no quotes
            vis_js=Markup(vis_js),
            vis_css=Markup(vis_css),
            page_js=Markup(page_js),
            page_css=Markup(page_css),
            data=data,
            names=names,
            node_kinds=[(k, kind_colour(k)) for k in kinds_present],
            edge_kinds=[(k, *edge_style(k)) for k in data["edge_kinds"]],
            part_of_colour=PART_OF_COLOUR,
            n_parts=len(data["parts"]),
            countries=countries,
            notes=fragility_notes(graph),
            n_nodes=len(data["nodes"]),
            n_ties=len(data["edges"]),
            n_total=graph.number_of_nodes(),
            left_out=data["left_out"],
            ties_left_out=data["ties_left_out"],
        )
    )


def write_page(graph: nx.Graph, path: Path, **options) -> Path:
    """Write the offline page; the same graph gives the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page(graph, **options).encode("utf-8"))
    return path


# -- the static picture ------------------------------------------------------------------------


def _mpl(text: str) -> str:
    """Matplotlib reads $...$ as maths; a name is only ever text."""
    return text.replace("$", r"\$")


def _fit(points: dict, box: tuple[float, float, float, float], margin: float = 0.08) -> dict:
    """Scale positions into box (x0, y0, x1, y1), each axis on its own, with a margin."""
    x0, y0, x1, y1 = box
    out = {}
    for axis in (0, 1):
        values = [p[axis] for p in points.values()]
        low, high = min(values), max(values)
        for node, p in points.items():
            share = 0.5 if high - low < 1e-12 else (p[axis] - low) / (high - low)
            start, end = (x0, x1) if axis == 0 else (y0, y1)
            value = start + (end - start) * (margin + (1 - 2 * margin) * share)
            out.setdefault(node, [0.0, 0.0])[axis] = round(value, 6)
    return {node: tuple(xy) for node, xy in out.items()}


def layout(graph: nx.Graph, seed: int = PNG_SEED, iterations: int = 300) -> dict:
    """A seeded spring layout per component, packed: the largest component on the left,
    the others in a grid on the right, so that small islands do not squash the main one.
    A sub-unit is pulled towards its parent as if they were tied."""
    graph = sorted_copy(graph)
    graph.add_edges_from(
        sorted((n, p) for n, p in graph.nodes(data="parent") if p and p in graph and p != n)
    )
    parts = sorted(
        (sorted(c, key=str) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), str(c[0])),
    )
    if not parts:
        return {}
    main, rest = parts[0], parts[1:]
    boxes = [(main, (0.0, 0.0, 0.74 if rest else 1.0, 1.0))]
    if rest:
        cols = max(1, math.ceil(len(rest) / 8))
        rows = math.ceil(len(rest) / cols)
        width, height = 0.26 / cols, 1.0 / rows
        for i, part in enumerate(rest):
            col, row = divmod(i, rows)
            x0, y1 = 0.74 + col * width, 1.0 - row * height
            boxes.append((part, (x0, y1 - height, x0 + width, y1)))
    pos = {}
    for part, box in boxes:
        if len(part) == 1:
            points = {part[0]: (0.0, 0.0)}
        else:
            sub = sorted_copy(graph.subgraph(part))  # a subgraph view iterates a set
            points = nx.spring_layout(
                sub, seed=seed, k=1.8 / math.sqrt(len(part)), iterations=iterations, weight=None
            )
        pos.update(_fit(points, box, margin=0.08 if part is main else 0.2))
    return pos


def write_png(
    graph: nx.Graph,
    path: Path,
    *,
    seed: int = PNG_SEED,
    title: str = "COP Asia-Pacific partnership network",
    dpi: int = 150,
    limit: int = NODE_LIMIT,
) -> Path:
    """Draw the network with matplotlib's Agg backend and a seeded spring layout.

    Same colours as the page; node size by weighted degree, edge width by report
    sentences, dashed edges for shared outputs and events, dotted "part of" links. Like
    the page, it draws at most ``limit`` organizations, the best connected."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(16, 10), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.8, 0.93))
    ax.set_axis_off()
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.03, 1.03)
    ordered = shown_part(graph, limit)
    if ordered.number_of_nodes() < graph.number_of_nodes():
        title += f" (the {ordered.number_of_nodes()} best connected of {graph.number_of_nodes()})"
    if ordered.number_of_nodes():
        pos = layout(ordered, seed)
        strength = _strength(ordered)
        largest = max(strength.values(), default=0.0)
        for solid in (True, False):
            chosen = [
                (u, v)
                for u, v, k in ordered.edges(data="primary_kind")
                if edge_style(k or "")[1] != solid
            ]
            if not chosen:
                continue
            nx.draw_networkx_edges(
                ordered,
                pos,
                ax=ax,
                edgelist=chosen,
                width=[
                    min(1 + 1.2 * math.log2(1 + (ordered.edges[e].get("weight") or 1)), 7)
                    for e in chosen
                ],
                edge_color=[
                    edge_style(ordered.edges[e].get("primary_kind", ""))[0] for e in chosen
                ],
                style="solid" if solid else "dashed",
                alpha=0.8,
            )
        parts = [(n, p) for n, p in ordered.nodes(data="parent") if p and p in ordered]
        if parts:
            nx.draw_networkx_edges(
                ordered,
                pos,
                ax=ax,
                edgelist=parts,
                width=1.2,
                edge_color=PART_OF_COLOUR,
                style="dotted",
            )
        nodes = list(ordered)
        nx.draw_networkx_nodes(
            ordered,
            pos,
            ax=ax,
            nodelist=nodes,
            node_size=[node_size(strength[n], largest) ** 2 * 0.9 for n in nodes],
            node_color=[kind_colour(ordered.nodes[n].get("kind", "")) for n in nodes],
            edgecolors="#444444",
            linewidths=0.6,
        )
        nx.draw_networkx_labels(
            ordered,
            pos,
            ax=ax,
            labels={n: _mpl(ordered.nodes[n].get("short") or n) for n in nodes},
            font_size=8,
            clip_on=False,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
        kinds = sorted({ordered.nodes[n].get("kind") or "unknown" for n in nodes})
        node_handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor=kind_colour(k),
                markeredgecolor="#444444",
                label=_mpl(k),
            )
            for k in kinds
        ]
        tie_kinds = sorted(
            {k for *_, k in ordered.edges(data="primary_kind") if k},
            key=lambda k: (EDGE_KINDS.index(k) if k in EDGE_KINDS else 99, k),
        )
        edge_handles = [
            Line2D(
                [],
                [],
                color=edge_style(k)[0],
                linestyle="--" if edge_style(k)[1] else "-",
                linewidth=2.5,
                label=_mpl(k),
            )
            for k in tie_kinds
        ]
        if parts:
            edge_handles.append(
                Line2D(
                    [],
                    [],
                    color=PART_OF_COLOUR,
                    linestyle=":",
                    linewidth=2,
                    label="part of (not a tie)",
                )
            )
        fig.legend(
            handles=node_handles,
            title="Stakeholder kind",
            loc="upper left",
            bbox_to_anchor=(0.82, 0.94),
            fontsize=9,
            title_fontsize=10,
            frameon=False,
            alignment="left",
        )
        if edge_handles:
            fig.legend(
                handles=edge_handles,
                title="Tie kind (main)",
                loc="upper left",
                bbox_to_anchor=(0.82, 0.52),
                fontsize=9,
                title_fontsize=10,
                frameon=False,
                alignment="left",
            )
    fig.suptitle(
        _mpl(
            f"{title}: {ordered.number_of_nodes()} organizations, {ordered.number_of_edges()} "
            "ties (width = report sentences behind a tie)"
        ),
        fontsize=13,
        x=0.41,
        y=0.985,
    )
    fig.savefig(path, format="png", metadata={"Software": None})
    return path
