"""CLI commands for the partnership network: network summary/ego/country, export, viz."""

from __future__ import annotations

from pathlib import Path

import click

from copgraph.cli.common import (
    FORMAT_OPTION,
    REPORT_OPTION,
    ROOT_OPTION,
    STORE_OPTION,
    fail,
    open_kg,
    paths_for,
    run_reporting,
)

FOLD_OPTION = click.option(
    "--fold",
    is_flag=True,
    help="Fold sub-organizations into their parents (UNICEF Mongolia into UNICEF).",
)
COUNTRY_OPTION = click.option(
    "--country",
    default=None,
    metavar="ISO2",
    help="Keep the ties of one country: ISO code, id or name (MN, mongolia, Mongolia).",
)
KIND_OPTION = click.option(
    "--kind",
    default=None,
    help="Keep one kind of tie: funding, agreement, co-organization, co-production, "
    "membership, support, collaboration, review, 'shared output', 'shared event'.",
)


def graph_options(command):
    """The options every network view takes: which graph, on which store, in which format."""
    for option in (
        REPORT_OPTION,
        ROOT_OPTION,
        FORMAT_OPTION,
        STORE_OPTION,
        KIND_OPTION,
        COUNTRY_OPTION,
        FOLD_OPTION,
    ):
        command = option(command)
    return command


def _graph(kg, fold: bool, country: str | None, kind: str | None):
    """Load the network data once and build the organization graph; mistakes exit 2."""
    from copgraph import network

    def build():
        data = network.load(kg)
        code = network.resolve_country(kg, country, data) if country else None
        return data, network.partnership_graph(data, fold=fold, country=code, kind=kind)

    return run_reporting(build)


def _notes(frame, fmt: str) -> None:
    """Fragility notes: after a table, or on stderr so csv/json stay clean."""
    for note in frame.attrs.get("notes", []):
        click.echo(f"note: {note}", err=fmt != "table")


def _emit(frame, fmt: str) -> None:
    from copgraph.output import render

    click.echo(render(frame, fmt), nl=False)
    _notes(frame, fmt)


@click.group("network")
def network_group() -> None:
    """Who works with whom: the organization partnership network (NetworkX).

    \b
    A tie joins two organizations a partnership states as parties (a star around the
    partnership's hub when the report names one, every pair of parties otherwise), or
    that produced the same output or organized the same event. Its quotes are only those
    that state its facts (who took part), and its weight is the number of distinct report
    sentences among them. A tie has a country only where the partnership, output or event
    itself names one, never through a member based there.

    \b
    Examples:
      copgraph network summary
      copgraph network ego UNICEF --fold
      copgraph network country MN --format csv
    """


@network_group.command("summary")
@click.option("--top", default=5, show_default=True, help="How many organizations per ranking.")
@graph_options
def summary_command(top, fold, country, kind, store, fmt, root, report) -> None:
    """Nodes, ties, density, components, articulation points and bridges; the top
    organizations by degree, weighted degree (report sentences behind the ties),
    betweenness and eigenvector centrality; Louvain communities with modularity; brokers
    (betweenness above 0, see `network brokers`) and articulation points; stakeholder
    mixing. Betweenness is computed once, exactly up to a size and sampled above it (the
    notes say which)."""
    from copgraph import network
    from copgraph.output import render

    kg = open_kg(store, False, root, report=report)
    _, graph = _graph(kg, fold, country, kind)
    frame = network.summary(graph, top=top)
    if fmt != "table":
        click.echo(render(frame, fmt), nl=False)
        return
    for section, rows in frame.groupby("section", sort=False):
        click.secho(f"\n{section}", bold=True)
        if section == "notes":
            for note in rows["name"]:
                click.echo(f"note: {note}")
            continue
        if section in ("graph", "stakeholder mixing"):
            shown = rows[["name", "value"]].rename(columns={"name": "measure"})
        elif section == "communities":
            parts = rows[rows["rank"] != ""]
            shown = parts[["rank", "value", "id", "name"]].rename(
                columns={"rank": "community", "value": "size", "id": "members", "name": "names"}
            )
            click.echo(render(shown.reset_index(drop=True), "table"), nl=False)
            for q in rows[rows["name"] == "modularity"]["value"]:
                click.echo(f"modularity (Louvain, seed {network.SEED}): {q}")
            continue
        else:
            shown = rows[["rank", "id", "name", "value"]]
        click.echo(render(shown.reset_index(drop=True), "table"), nl=False)


@network_group.command("ego")
@click.argument("org")
@click.option("--radius", default=1, show_default=True, help="How many steps out.")
@graph_options
def ego_command(org, radius, fold, country, kind, store, fmt, root, report) -> None:
    """ORG's partners (id, acronym or name), each tie with its kinds, weight and quotes."""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)
    node = run_reporting(lambda: network.resolve_org(kg, org))
    data, graph = _graph(kg, fold, country, kind)
    if fold:
        node = data.root(node)
    if node not in graph:
        click.echo(f"{node} has no recorded ties in this graph", err=True)
        return
    _emit(network.ego(graph, node, radius=radius), fmt)


@network_group.command("country")
@click.argument("country")
@FOLD_OPTION
@STORE_OPTION
@FORMAT_OPTION
@ROOT_OPTION
@REPORT_OPTION
def country_command(country, fold, store, fmt, root, report) -> None:
    """The organizations at work in COUNTRY (ISO code, id or name) and their share of its
    partnerships, outputs and events."""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)

    def build():
        data = network.load(kg)
        return data, network.resolve_country(kg, country, data)

    data, code = run_reporting(build)
    frame = network.country_partners(data, code, fold=fold)
    if fmt == "table":
        info = data.countries[code]
        role = "beneficiary country" if info["beneficiary"] else "not a beneficiary country"
        click.echo(f"{info['label']} ({code}), {role}")
    _emit(frame, fmt)


@network_group.command("countries")
@click.option("--all", "everyone", is_flag=True, help="Every country, not only beneficiaries.")
@FOLD_OPTION
@STORE_OPTION
@FORMAT_OPTION
@ROOT_OPTION
@REPORT_OPTION
def countries_command(everyone, fold, store, fmt, root, report) -> None:
    """Each beneficiary country's partner profile: organizations, kinds, top partner."""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)
    frame = run_reporting(
        lambda: network.country_profiles(
            network.load(kg), fold=fold, beneficiaries_only=not everyone
        )
    )
    _emit(frame, fmt)


@network_group.command("centrality")
@graph_options
def centrality_command(fold, country, kind, store, fmt, root, report) -> None:
    """Degree, weighted degree, betweenness and eigenvector centrality of every organization.

    \b
    degree: how many organizations it is tied to
    weighted_degree: report sentences behind its ties, summed over them
    betweenness: share of shortest paths between others passing through it (sampled
      above a size; the notes say so)
    eigenvector: centrality from being tied to central organizations (weighted)"""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)
    _, graph = _graph(kg, fold, country, kind)
    _emit(network.centrality(graph), fmt)


#: What each column of ``network brokers`` means (kept beside the command that shows it;
#: a test checks that every column of ``network.brokers`` is here).
BROKER_COLUMNS = {
    "id, name, kind": "the organization and its stakeholder kind",
    "betweenness": "share of the shortest paths between other organizations that pass "
    "through it (0 = it bridges nothing); sampled above a size, see the notes",
    "articulation_point": "true if removing it splits its component in two or more",
    "bridges": "its ties whose removal would cut the graph in two",
    "effective_size": "Burt's effective size: partners minus the redundancy among them",
    "constraint": "Burt's constraint: low = its partners are not tied to each other (it "
    "spans a structural hole); near 1 or above = a closed group",
    "partners": "how many organizations it is tied to",
    "partner_kinds": "how many stakeholder kinds its partners have (a hub with many kinds "
    "of partner may still bridge nothing, so this alone does not make a broker)",
    "kinds": "those stakeholder kinds",
}

BROKERS_HELP = (
    "Organizations that bridge otherwise separate parts of the network.\n\n"
    "\b\nListed: every organization with betweenness above 0 or that is an articulation "
    "point (no one else), highest betweenness first, then lowest constraint. Columns:\n"
    + "\n".join(f"  {name}: {text}" for name, text in BROKER_COLUMNS.items())
)


@network_group.command("brokers", help=BROKERS_HELP)
@graph_options
def brokers_command(fold, country, kind, store, fmt, root, report) -> None:
    from copgraph import network

    kg = open_kg(store, False, root, report=report)
    _, graph = _graph(kg, fold, country, kind)
    _emit(network.brokers(graph), fmt)


@network_group.command("mixing")
@graph_options
def mixing_command(fold, country, kind, store, fmt, root, report) -> None:
    """The stakeholder-kind mixing matrix (ties between kinds) and its assortativity."""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)
    _, graph = _graph(kg, fold, country, kind)
    from copgraph.output import render

    matrix = network.mixing_matrix(graph).reset_index()
    assort = network.assortativity(graph)
    if fmt == "table":
        click.echo(render(matrix, fmt), nl=False)
        click.echo(f"kind assortativity: {assort['assortativity'].iloc[0]}")
        _notes(assort, fmt)
    else:
        _emit(matrix, fmt)


GRAPHS = (
    "organizations",
    "organization-output",
    "organization-event",
    "person-session",
    "country-organization",
)


def _named_graph(data, which: str, fold: bool, country: str | None, kind: str | None):
    from copgraph import network

    if which == "organizations":
        return network.partnership_graph(data, fold=fold, country=country, kind=kind)
    if which == "organization-output":
        return network.organization_output_graph(data, fold=fold, country=country)
    if which == "organization-event":
        return network.organization_event_graph(data, fold=fold, country=country)
    if which == "person-session":
        return network.person_session_graph(data)
    return network.country_organization_graph(data, fold=fold)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json", "csv"]),
    default="graphml",
    show_default=True,
    help="graphml (Gephi, yEd, Cytoscape), gexf (GEXF 1.2draft, Gephi), json (NetworkX "
    "node-link) or csv (one row per tie with its quotes, for spreadsheets).",
)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The file to write.",
)
@click.option(
    "--graph",
    "which",
    type=click.Choice(GRAPHS),
    default="organizations",
    show_default=True,
    help="Which network: the organization partnership graph or a bipartite one.",
)
@FOLD_OPTION
@COUNTRY_OPTION
@KIND_OPTION
@STORE_OPTION
@ROOT_OPTION
@REPORT_OPTION
def export_command(fmt, out, which, fold, country, kind, store, root, report) -> None:
    """Write the network for Gephi, spreadsheets and other tools; NetworkX reads GraphML,
    GEXF and JSON back unchanged (list attributes are JSON text in GraphML and GEXF)."""
    from copgraph import network

    kg = open_kg(store, False, root, report=report)

    def build():
        data = network.load(kg)
        code = network.resolve_country(kg, country, data) if country else None
        return _named_graph(data, which, fold, code, kind)

    graph = run_reporting(build)
    path = Path(out)
    _make_parent(path)
    network.export(graph, path, fmt)
    click.echo(
        f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {fmt})"
    )


@click.command("viz")
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="The HTML page to write (default: data/build/network.html).",
)
@click.option("--png", type=click.Path(dir_okay=False), default=None, help="Also draw a PNG.")
@FOLD_OPTION
@COUNTRY_OPTION
@KIND_OPTION
@STORE_OPTION
@ROOT_OPTION
@REPORT_OPTION
def viz_command(out, png, fold, country, kind, store, root, report) -> None:
    """Write the partnership network as one offline HTML page (and a PNG with --png).

    The page needs no network: every script and style is inline, allowed by its hash
    under a Content-Security-Policy without 'unsafe-inline'. Click an organization for
    its kind, country, parent and ties grouped by kind with their quotes (section and
    line); click a tie for its quotes; find an organization by any of its names; filter
    by country and partnership kind. Tie width is its weight: the distinct report
    sentences that state it. Large graphs show the best-connected organizations (the
    page says how many it leaves out) with positions computed in advance."""
    from copgraph import viz

    kg = open_kg(store, False, root, report=report)
    _, graph = _graph(kg, fold, country, kind)
    target = Path(out) if out else paths_for(root).out_dir / "network.html"
    for path in (target, Path(png) if png else None):
        if path is not None:
            _make_parent(path)
    viz.write_page(graph, target)
    click.echo(
        f"wrote {target} ({graph.number_of_nodes()} organizations, {graph.number_of_edges()} ties)"
    )
    if png:
        viz.write_png(graph, Path(png))
        click.echo(f"wrote {png}")


def _make_parent(path: Path) -> None:
    """Create the output's folder; a path that cannot hold a file is a user error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"error: cannot create folder {path.parent}: {exc.strerror}", 2)
    if path.is_dir():
        fail(f"error: {path} is a folder; give a file name", 2)
