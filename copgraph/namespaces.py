"""Every IRI copgraph mints or uses, in one place.

>>> from copgraph.namespaces import CG, ID
>>> str(ID["itu"])
'https://w3id.org/copgraph/id/itu'
"""

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

CG = Namespace("https://w3id.org/copgraph/ontology#")
ID = Namespace("https://w3id.org/copgraph/id/")
VOCAB = "https://w3id.org/copgraph/vocab/"
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")

#: SKOS concept schemes (controlled lists), by the name used in ``ontology/schemes/``.
SCHEMES = {
    name: Namespace(f"{VOCAB}{name}/")
    for name in (
        "organization-kind",
        "output-kind",
        "event-kind",
        "partnership-kind",
        "session-role",
        "status",
        "instrument-kind",
        "topic",
        "report-part",
    )
}

PREFIXES = {
    "cg": CG,
    "id": ID,
    "schema": SCHEMA,
    "oa": OA,
    "org": ORG,
    "foaf": FOAF,
    "prov": PROV,
    "skos": SKOS,
    "dct": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    **{name.replace("-", ""): ns for name, ns in SCHEMES.items()},
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind copgraph's prefixes so that every serialization reads the same."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX lines for every prefix, so named and ad-hoc queries can use them freely."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def compact(iri: str) -> str:
    """Shorten an IRI to ``prefix:local`` when a known prefix covers it.

    >>> compact("https://w3id.org/copgraph/id/unicef-mongolia")
    'id:unicef-mongolia'
    """
    best = None
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best is None:
        return iri
    return f"{best[0]}:{iri[len(best[1]) :]}"
