"""The ontology and its SKOS schemes, loaded as one graph, and what the build reads from it."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH, SKOS

from copgraph.namespaces import CG, SCHEMES, bind_prefixes


def load_ontology(ontology_dir: Path) -> Graph:
    """The ontology and every SKOS scheme as one graph: the release form of the sources.

    Every concept of a flat scheme (none has a skos:broader) is made one of its top
    concepts, so that SKOS tools show them. The few blank nodes (RDF lists,
    owl:AllDisjointClasses) stay blank nodes, as OWL tools expect, with labels from rdflib's
    canonical labelling, so serializations stay byte-identical.
    """
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    graph.parse(ontology_dir / "copgraph.ttl")
    for path in sorted((ontology_dir / "schemes").glob("*.ttl")):
        graph.parse(path)
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        concepts = list(graph.subjects(SKOS.inScheme, scheme))
        if not any((c, SKOS.broader, None) in graph for c in concepts):
            for concept in concepts:
                graph.add((concept, SKOS.topConceptOf, scheme))
                graph.add((scheme, SKOS.hasTopConcept, concept))
    result = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph):
        result.add(triple)
    return result


def ontology_properties(ontology: Graph) -> frozenset[URIRef]:
    """Every property the ontology declares, and the RDFS/SKOS labels it uses."""
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    declared = {p for kind in kinds for p in ontology.subjects(RDF.type, kind)}
    return frozenset(declared | {RDFS.label, SKOS.altLabel})


def scheme_members(ontology: Graph) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for name, namespace in SCHEMES.items():
        scheme = URIRef(str(namespace).rstrip("/"))
        for concept in ontology.subjects(SKOS.inScheme, scheme):
            members[name].add(str(concept)[len(str(namespace)) :])
    return members


def classes_needing_evidence(shapes: Graph) -> tuple[URIRef, ...]:
    """The classes whose every instance must cite the report: read from the shapes.

    The rule "a fact carries a quote" lives in one place, the SHACL shapes (a property
    shape on ``cg:evidence`` with ``sh:minCount`` 1 or more); counts and shares derive
    the list from there rather than keep a copy.

    >>> shapes = Graph().parse(data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     @prefix cg: <https://w3id.org/copgraph/ontology#> .
    ...     [] sh:targetClass cg:Person ; sh:property [ sh:path cg:evidence ; sh:minCount 1 ] .
    ...     [] sh:targetClass cg:Topic ; sh:property [ sh:path cg:evidence ; sh:maxCount 9 ] .
    ... ''', format="turtle")
    >>> [c.fragment for c in classes_needing_evidence(shapes)]
    ['Person']
    """
    found = set()
    for shape, target in shapes.subject_objects(SH.targetClass):
        for constraint in shapes.objects(shape, SH.property):
            count = shapes.value(constraint, SH.minCount)
            if shapes.value(constraint, SH.path) == CG.evidence and count and int(count) >= 1:
                found.add(target)
    return tuple(sorted(found))
