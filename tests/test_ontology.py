"""The ontology, the SKOS schemes and the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS

from copgraph.build import load_ontology
from copgraph.namespaces import CG, SCHEMES

from .conftest import ROOT

SHAPES = ROOT / "ontology" / "shapes.ttl"
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
FOCUS = URIRef("https://w3id.org/copgraph/id/t")
SHAPES_GRAPH = Graph().parse(SHAPES)


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(ROOT / "ontology")


def classes(ontology):
    return sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(CG)))


def test_every_class_and_property_has_a_label_and_definition(ontology):
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in ontology.subjects(RDF.type, kind)
        if str(t).startswith(str(CG))
    ]
    assert len(terms) > 60
    lacking = [
        t
        for t in terms
        if not ontology.value(t, RDFS.label) or not ontology.value(t, SKOS.definition)
    ]
    assert lacking == []


def test_classes_are_aligned_to_standard_vocabularies(ontology):
    standard = (
        "http://www.w3.org/ns/org#",
        "http://xmlns.com/foaf/",
        "https://schema.org/",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2004/02/skos/",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/ns/oa#",
    )
    unaligned = [
        c
        for c in classes(ontology)
        if not any(str(s).startswith(standard) for s in ontology.objects(c, RDFS.subClassOf))
    ]
    # Discrepancy is copgraph's own idea; everything else has a standard parent
    assert unaligned == [CG.Discrepancy]


def test_every_scheme_exists_with_labelled_defined_concepts(ontology):
    for name, namespace in SCHEMES.items():
        scheme = URIRef(str(namespace).rstrip("/"))
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology, name
        concepts = list(ontology.subjects(SKOS.inScheme, scheme))
        assert concepts, name
        for concept in concepts:
            assert ontology.value(concept, SKOS.prefLabel), concept
            assert ontology.value(concept, SKOS.definition), concept


def test_one_node_shape_per_class(ontology):
    shapes = Graph().parse(SHAPES)
    targeted = set(shapes.objects(None, SH.targetClass))
    assert set(classes(ontology)) == targeted
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        for prop in shapes.objects(shape, SH.property):
            assert shapes.value(prop, SH.message), f"{shape} has a property without sh:message"
            assert shapes.value(prop, SH.severity), f"{shape} has a property without sh:severity"


def _validate(*paths):
    data = Graph()
    data.parse(FIXTURES / "base.ttl")
    for path in paths:
        data.parse(path)
    conforms, results, text = validate(data, shacl_graph=SHAPES_GRAPH, inference="none")
    return conforms, results, text


def fixture_classes():
    return sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.pass.ttl"))


def test_every_shape_has_fixtures(ontology):
    assert fixture_classes() == sorted(str(c).split("#")[1] for c in classes(ontology))


@pytest.mark.parametrize("cls", fixture_classes())
def test_shape_accepts_its_passing_fixture(cls):
    conforms, _, text = _validate(FIXTURES / f"{cls}.pass.ttl")
    assert conforms, text


@pytest.mark.parametrize("cls", fixture_classes())
def test_shape_catches_its_failing_fixture(cls):
    conforms, results, text = _validate(FIXTURES / f"{cls}.fail.ttl")
    assert not conforms
    focus = set(results.objects(None, SH.focusNode))
    assert FOCUS in focus, f"{cls}: the violation is not about the fixture's node:\n{text}"
    shapes = {str(s) for s in results.objects(None, SH.sourceShape)}
    own = f"https://w3id.org/copgraph/shapes#{cls}Shape"
    own_props = {str(p) for p in SHAPES_GRAPH.objects(URIRef(own), SH.property)}
    assert shapes & (own_props | {own}), f"{cls}: caught by another shape: {shapes}"


def test_owl_rl_closure_types_no_individual_with_two_disjoint_classes(graph):
    import owlrl

    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    disjoint_sets = [
        list(Collection(closed, closed.value(node, OWL.members)))
        for node in closed.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert disjoint_sets, "the ontology declares its classes disjoint"
    clashes = []
    for members in disjoint_sets:
        for individual in set(closed.subjects(RDF.type, None)):
            types = [m for m in members if (individual, RDF.type, m) in closed]
            if len(types) > 1:
                clashes.append((individual, types))
    assert clashes == []
