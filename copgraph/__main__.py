"""``python -m copgraph`` runs the ``copgraph`` command."""

from copgraph.cli import main

main()
