"""The reports the graph is built from: ``copgraph reports``."""

from __future__ import annotations

import click

from copgraph.cli.common import FORMAT_OPTION, ROOT_OPTION, STORE_OPTION, open_kg, run_reporting


@click.command("reports")
@STORE_OPTION
@FORMAT_OPTION
@ROOT_OPTION
def reports_command(store, fmt, root) -> None:
    """Each report in the graph, then its nodes per class (as --report sees them).

    A report counts the nodes it quotes or names: an organization two reports name counts
    in both, and once in the whole graph (column 'graph').

    \b
    Examples:
      copgraph reports
      copgraph query partnerships --report cop-ap-2023
    """
    import pandas as pd

    from copgraph.catalog import for_people
    from copgraph.output import render

    kg = open_kg(store, False, root)

    def counts():
        reports = kg.reports()
        table = {"graph": kg.class_counts()}
        for report in reports.report:
            table[report] = kg.for_report(report).class_counts()
        frame = pd.DataFrame(table).fillna(0).astype(int)
        frame = frame[(frame != 0).any(axis=1)].rename_axis("class").reset_index()
        return reports, frame[["class", *reports.report, "graph"]]

    reports, frame = run_reporting(counts)
    click.echo(render(for_people(reports, fmt), fmt), nl=False)
    click.echo("")
    click.echo(render(for_people(frame, fmt), fmt), nl=False)
