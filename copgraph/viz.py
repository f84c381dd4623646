"""Pictures of the partnership network: one offline HTML page (pyvis) and a static PNG.

The page is a single file a programme officer can open with no network at all: vis-network's
script and style (shipped inside pyvis) are inlined, nothing is fetched, and a
Content-Security-Policy meta tag forbids any network load. The data sits in the page as
JSON with ``<``, ``>`` and ``&`` escaped, labels are drawn on a canvas, and tooltips are
plain text (vis-network sets them with ``innerText``): a name such as
``<img src=x onerror=alert(1)>`` shows as those characters and runs nothing.

The same graph always gives the same bytes: nodes and edges in id order, JSON with sorted
keys, and vis-network's ``layout.randomSeed`` fixed, so two runs also give the same layout.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", kinds=["funding"], primary_kind="funding", weight=1, quotes=[])
>>> page(g) == page(g)
True
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jinja2
import networkx as nx

from copgraph.network import EDGE_KINDS, fragility_notes

SEED = 7  # vis-network layout.randomSeed
PNG_SEED = 42  # networkx spring_layout seed

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

CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; "
    "object-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
MAX_QUOTES = 8  # per edge tooltip


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_COLOUR)


def edge_style(kind: str) -> tuple[str, bool]:
    return EDGE_STYLES.get(kind, UNKNOWN_EDGE)


# -- what the page shows ---------------------------------------------------------------------


def _strength(graph: nx.Graph) -> dict[str, float]:
    """Weighted degree (pieces of evidence), the centrality that sizes the nodes."""
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
        f"partners: {graph.degree(node)}, evidence: {graph.degree(node, weight='weight')}, "
        f"betweenness: {betweenness:.3f}",
    ]
    if a.get("parent"):
        lines.append(f"part of: {a.get('parent_label') or a['parent']}")
    members = [m for m in a.get("members", []) if m != node]
    if members:
        lines.append(f"includes: {', '.join(members)}")
    return "\n".join(lines)


def edge_tooltip(graph: nx.Graph, u: str, v: str) -> str:
    e = graph.edges[u, v]
    quotes = e.get("quotes", [])
    lines = [
        f"{graph.nodes[u].get('label', u)} \u2014 {graph.nodes[v].get('label', v)}",
        f"kinds: {', '.join(e.get('kinds', []))}",
        f"evidence: {e.get('weight', 0)} quote(s)",
    ]
    for q in quotes[:MAX_QUOTES]:
        lines.append(f"[\u00a7{q['section']}, line {q['line']}] \u201c{q['quote']}\u201d")
    if len(quotes) > MAX_QUOTES:
        lines.append(f"\u2026 and {len(quotes) - MAX_QUOTES} more")
    return "\n".join(lines)


def vis_options(seed: int = SEED) -> dict:
    """vis-network options: a seeded layout, physics that stabilizes and then is switched off."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": True},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "centralGravity": 0.01,
                "springLength": 130,
                "springConstant": 0.06,
                "avoidOverlap": 0.5,
            },
            "minVelocity": 0.75,
            "stabilization": {"enabled": True, "iterations": 600, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {"smooth": False, "hoverWidth": 1.5, "selectionWidth": 2},
    }


def pyvis_network(graph: nx.Graph, seed: int = SEED):
    """The graph as a pyvis Network: nodes and edges in id order, styled, with tooltips."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    strength = _strength(graph)
    largest = max(strength.values(), default=0.0)
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    for node in sorted(graph):
        a = graph.nodes[node]
        kind = a.get("kind") or "unknown"
        net.add_node(
            node,
            label=a.get("short") or a.get("label") or node,
            title=node_tooltip(graph, node, betweenness.get(node, 0.0)),
            color=kind_colour(kind),
            size=node_size(strength[node], largest),
            kind=kind,
            country=a.get("country", ""),
            countries=list(a.get("countries") or ([a["country"]] if a.get("country") else [])),
            name=a.get("label", node),
        )
    for i, (u, v) in enumerate(sorted(tuple(sorted(e)) for e in graph.edges), start=1):
        e = graph.edges[u, v]
        kinds = list(e.get("kinds", []))
        primary = e.get("primary_kind") or (kinds[0] if kinds else "")
        colour, dashed = edge_style(primary)
        weight = e.get("weight", 1) or 1
        net.add_edge(
            u,
            v,
            id=f"e{i}",
            title=edge_tooltip(graph, u, v),
            color={"color": colour, "highlight": colour, "hover": colour, "opacity": 0.85},
            dashes=dashed,
            width=round(min(1 + 1.5 * math.log2(1 + weight), 9), 2),
            kinds=kinds,
            countries=list(e.get("countries", [])),
            weight=weight,
        )
    net.options = vis_options(seed)
    return net


def _json(value) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the script or open a tag."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    if not lib.is_dir():  # pyvis 0.3.2 also ships a copy beside the templates
        lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def page(
    graph: nx.Graph,
    *,
    title: str = "Who works with whom: the COP Asia-Pacific partnership network",
    seed: int = SEED,
) -> str:
    """The whole page as one string (see :func:`write_page`)."""
    net = pyvis_network(graph, seed)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    js, css = _vis_assets()
    kinds_present = sorted({n.get("kind") or "unknown" for n in nodes})
    edge_kinds_present = sorted(
        {k for e in edges for k in e["kinds"]},
        key=lambda k: (EDGE_KINDS.index(k) if k in EDGE_KINDS else 99, k),
    )
    labels = {}
    for n in nodes:
        for code in n["countries"]:
            labels.setdefault(code, code)
        if n["country"]:
            labels[n["country"]] = graph.nodes[n["id"]].get("country_label") or n["country"]
    countries = sorted(labels.items(), key=lambda kv: (kv[1], kv[0]))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["json"] = lambda value: jinja2.utils.markupsafe.Markup(_json(value))
    return env.from_string(TEMPLATE).render(
        title=title,
        csp=jinja2.utils.markupsafe.Markup(CSP),  # a constant: its quotes stay quotes
        vis_js=jinja2.utils.markupsafe.Markup(js),
        vis_css=jinja2.utils.markupsafe.Markup(css),
        nodes=nodes,
        edges=edges,
        options=net.options,
        node_kinds=[(k, kind_colour(k)) for k in kinds_present],
        edge_kinds=[(k, *edge_style(k)) for k in edge_kinds_present],
        countries=countries,
        notes=fragility_notes(graph),
        n_nodes=len(nodes),
        n_edges=len(edges),
    )


def write_page(graph: nx.Graph, path: Path, **options) -> Path:
    """Write the offline page; the same graph gives the same bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page(graph, **options).encode("utf-8"))
    return path


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI",
    "DejaVu Sans", sans-serif; color: #222; background: #fafafa; }
  body { display: flex; flex-direction: column; }
  header { padding: 8px 16px 0 16px; }
  h1 { font-size: 1.25rem; margin: 4px 0; }
  header p { margin: 2px 0 6px 0; font-size: 0.85rem; color: #555; }
  #controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center;
    padding: 6px 16px; border-bottom: 1px solid #ddd; font-size: 0.9rem; }
  #controls select, #controls button { font-size: 0.9rem; padding: 2px 6px; }
  #shown-count { color: #555; }
  main { flex: 1; display: flex; min-height: 420px; }
  #network { flex: 1; position: relative; background: #fff; border-right: 1px solid #ddd; }
  #legend { width: 250px; padding: 8px 12px; font-size: 0.82rem; overflow-y: auto; }
  #legend h2 { font-size: 0.9rem; margin: 10px 0 4px 0; }
  #legend ul { list-style: none; padding: 0; margin: 0; }
  #legend li { display: flex; align-items: center; gap: 6px; margin: 3px 0; }
  .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
    border: 1px solid #555; flex: none; }
  .line { display: inline-block; width: 28px; height: 0; border-top-width: 3px; flex: none; }
  #notes { font-size: 0.78rem; color: #555; }
  div.vis-tooltip { white-space: pre-wrap; max-width: 520px; font-family: inherit;
    font-size: 0.8rem; line-height: 1.35; }
</style>
<script>{{ vis_js }}</script>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <p>{{ n_nodes }} organizations, {{ n_edges }} ties. A tie is a partnership the report states,
  or an output or event two organizations share; its width grows with the pieces of evidence
  behind it. Node size: weighted degree. Hover for names, kinds, countries and the quotes.</p>
</header>
<div id="controls">
  <label for="country-filter">Country</label>
  <select id="country-filter">
    <option value="">All countries</option>
{%- for code, label in countries %}
    <option value="{{ code }}">{{ label }} ({{ code }})</option>
{%- endfor %}
  </select>
  <label for="kind-filter">Partnership kind</label>
  <select id="kind-filter">
    <option value="">All kinds</option>
{%- for kind, colour, dashed in edge_kinds %}
    <option value="{{ kind }}">{{ kind }}</option>
{%- endfor %}
  </select>
  <button id="reset-filters" type="button">Show all</button>
  <span id="shown-count"></span>
</div>
<main>
  <div id="network"></div>
  <aside id="legend">
    <h2>Stakeholder kind</h2>
    <ul>
{%- for kind, colour in node_kinds %}
      <li><span class="dot" style="background: {{ colour }}"></span>{{ kind }}</li>
{%- endfor %}
    </ul>
    <h2>Tie kind</h2>
    <ul>
{%- for kind, colour, dashed in edge_kinds %}
      <li><span class="line" style="border-top-color: {{ colour }};
        border-top-style: {{ 'dashed' if dashed else 'solid' }}"></span>{{ kind }}</li>
{%- endfor %}
    </ul>
{%- if notes %}
    <h2>Read with care</h2>
    <ul id="notes">
{%- for note in notes %}
      <li>{{ note }}</li>
{%- endfor %}
    </ul>
{%- endif %}
  </aside>
</main>
<script>
(function () {
  "use strict";
  var NODES = {{ nodes | json }};
  var EDGES = {{ edges | json }};
  var OPTIONS = {{ options | json }};
  var nodes = new vis.DataSet(NODES);
  var edges = new vis.DataSet(EDGES);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, OPTIONS);
  var state = {network: network, nodes: nodes, edges: edges, stabilized: false};
  window.copgraph = state;

  function stop() {
    if (state.stabilized) { return; }
    network.setOptions({physics: {enabled: false}});
    state.stabilized = true;
    document.body.setAttribute("data-stabilized", "true");
  }
  network.once("stabilizationIterationsDone", stop);
  network.once("stabilized", stop);
  if (NODES.length === 0) { stop(); }

  var countrySelect = document.getElementById("country-filter");
  var kindSelect = document.getElementById("kind-filter");
  var count = document.getElementById("shown-count");

  function applyFilters() {
    var country = countrySelect.value;
    var kind = kindSelect.value;
    var nodeOk = {};
    var linked = {};
    NODES.forEach(function (n) {
      nodeOk[n.id] = !country || n.countries.indexOf(country) >= 0;
    });
    var edgeUpdates = EDGES.map(function (e) {
      var show = nodeOk[e.from] && nodeOk[e.to] &&
        (!kind || e.kinds.indexOf(kind) >= 0) &&
        (!country || e.countries.indexOf(country) >= 0);
      if (show) { linked[e.from] = true; linked[e.to] = true; }
      return {id: e.id, hidden: !show};
    });
    var shown = 0;
    var nodeUpdates = NODES.map(function (n) {
      var show = nodeOk[n.id] && (!kind || linked[n.id] === true);
      if (show) { shown += 1; }
      return {id: n.id, hidden: !show};
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    count.textContent = "Showing " + shown + " of " + NODES.length + " organizations";
  }
  countrySelect.addEventListener("change", applyFilters);
  kindSelect.addEventListener("change", applyFilters);
  document.getElementById("reset-filters").addEventListener("click", function () {
    countrySelect.value = "";
    kindSelect.value = "";
    applyFilters();
  });
  state.applyFilters = applyFilters;
  applyFilters();
}());
</script>
</body>
</html>
"""


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


def layout(graph: nx.Graph, seed: int = PNG_SEED) -> dict:
    """A seeded spring layout per component, packed: the largest component on the left,
    the others in a grid on the right, so that small islands do not squash the main one."""
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
            sub = graph.subgraph(part)
            points = nx.spring_layout(
                sub, seed=seed, k=1.8 / math.sqrt(len(part)), iterations=300, weight=None
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
) -> Path:
    """Draw the network with matplotlib's Agg backend and a seeded spring layout.

    Same colours as the page; node size by weighted degree, edge width by evidence,
    dashed edges for shared outputs and events."""
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
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True)))
    ordered.add_edges_from(sorted((*sorted((u, v)), d) for u, v, d in graph.edges(data=True)))
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
            "ties (width = pieces of evidence)"
        ),
        fontsize=13,
        x=0.41,
        y=0.985,
    )
    fig.savefig(path, format="png", metadata={"Software": None})
    return path
