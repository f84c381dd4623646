"""CLI commands for the partnership network: network summary/ego/country, export, viz."""

from copgraph.cli import main  # noqa: F401
