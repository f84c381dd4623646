"""The ``copgraph`` command: a thin layer over the package's functions.

One module per family of commands (``graph``, ``queries``, ``network``, ``authoring``),
each registered here explicitly; ``common`` holds what they share.
"""

from __future__ import annotations

import click

from copgraph.cli import authoring, graph, network, queries, reports
from copgraph.cli.common import Main


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copgraph")
def main() -> None:
    """copgraph: the ITU Child Online Protection (COP) for Asia and the Pacific programme
    as a knowledge graph, every fact traced to a quote of the concluding-workshop report.

    \b
    Start with:
      copgraph build                         check data/reports, validate, write data/build/
      copgraph stats                         counts per class and per report section
      copgraph reports                       the reports, and what each states
      copgraph queries                       the named questions
      copgraph query partners-of -p org=itu  ask one (with the quotes behind each answer)
      copgraph sparql 'SELECT ...'           ask your own
      copgraph network summary               who carries the programme
      copgraph viz -o out/network.html       the network as one offline page
    """


for command in (
    graph.build,
    graph.validate,
    graph.stats,
    graph.coverage_command,
    queries.queries_command,
    queries.query_command,
    queries.sparql_command,
    queries.load_command,
    network.network_group,
    network.export_command,
    network.viz_command,
    reports.reports_command,
    authoring.new_report_command,
    authoring.draft_command,
):
    main.add_command(command)
