"""``copgraph serve``: the graph as a web site and a read-only SPARQL 1.1 Protocol endpoint.

``site`` reads what the pages show from the graph (through the query layer, never around
it), ``report`` lays out the report's text with its quoted spans, ``protocol`` parses and
answers SPARQL Protocol requests, ``app`` ties them to routes (Starlette) with the limits
and the security headers. Queries run in ``copgraph.worker``'s killable, network-less
worker processes, so the endpoint's time limit and its refusal of SERVICE are those of
``copgraph sparql``.
"""

from copgraph.serve.app import create_app
from copgraph.serve.limits import Limits
from copgraph.serve.site import Site

__all__ = ["Limits", "Site", "create_app"]
