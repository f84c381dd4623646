"""The ontology, the SKOS schemes and the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import ORG, PROV, SH, SKOS

from copgraph.build import load_ontology
from copgraph.namespaces import CG, ID, SCHEMES, VOCAB

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
    # Warnings and Info (a gap the report allows) do not make a node fail its shape
    conforms, results, text = validate(
        data, shacl_graph=SHAPES_GRAPH, inference="none", allow_warnings=True
    )
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


VOCABULARIES = Path(__file__).parent / "fixtures" / "vocabularies" / "aligned-axioms.ttl"


@pytest.fixture(scope="module")
def closure(graph):
    """The graph, the aligned vocabularies' axioms and their OWL-RL closure."""
    import owlrl

    closed = Graph()
    for triple in graph:
        closed.add(triple)
    closed.parse(VOCABULARIES)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    return closed


def test_owl_rl_closure_with_aligned_vocabularies_types_no_individual_twice(closure):
    """PROV-O's Activity/Entity, SKOS's Concept/ConceptScheme and copgraph's own classes are
    disjoint: no alignment may make one individual both."""
    disjoint_pairs = {(a, b) for a, b in closure.subject_objects(OWL.disjointWith) if a != b}
    for node in closure.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(closure, closure.value(node, OWL.members)))
        disjoint_pairs |= {(a, b) for a in members for b in members if a != b}
    assert (PROV.Activity, PROV.Entity) in disjoint_pairs
    clashes = sorted(
        (str(individual), str(a), str(b))
        for a, b in disjoint_pairs
        for individual in set(closure.subjects(RDF.type, a)) & set(closure.subjects(RDF.type, b))
    )
    assert clashes == []


@pytest.mark.parametrize(
    "foreign, allowed",
    [
        (ORG.Membership, (CG.Post,)),
        (PROV.Role, None),
        (RDFS.Class, None),
        (PROV.Agent, (CG.Organization, CG.Person)),
    ],
)
def test_aligned_domains_and_ranges_infer_no_foreign_class(closure, foreign, allowed):
    """A property used outside its aligned domain or range types copgraph's nodes with a
    class of the standard they are not: a participation as an org:Membership (org:organization),
    a role concept as a prov:Role (prov:hadRole), a kind as an rdfs:Class (dct:type)."""
    ours = (str(ID), VOCAB)
    wrong = sorted(
        str(node)
        for node in closure.subjects(RDF.type, foreign)
        if str(node).startswith(ours)
        and not any((node, RDF.type, cls) in closure for cls in allowed)
    )
    assert wrong[:5] == []


def test_no_datatype_property_specializes_an_annotation_property(ontology):
    """OWL 2 DL keeps data and annotation properties apart (SKOS labels and notes are
    annotation properties)."""
    axioms = Graph().parse(VOCABULARIES)
    annotation = set(axioms.subjects(RDF.type, OWL.AnnotationProperty))
    mixed = [
        (str(p), str(parent))
        for p, parent in ontology.subject_objects(RDFS.subPropertyOf)
        if parent in annotation and (p, RDF.type, OWL.AnnotationProperty) not in ontology
    ]
    assert mixed == []


def test_a_concept_of_another_scheme_is_refused():
    """sh:class skos:Concept alone lets an event kind pass as an organization kind."""
    wrong = FIXTURES / "base.ttl"
    data = Graph().parse(wrong)
    data.parse(
        data="""@prefix cg: <https://w3id.org/copgraph/ontology#> .
        @prefix id: <https://w3id.org/copgraph/id/> .
        id:t a cg:Organization ; <http://www.w3.org/2000/01/rdf-schema#label> "T" ;
            cg:kind id:event-kind ; cg:evidence id:ev .""",
        format="turtle",
    )
    conforms, results, text = validate(data, shacl_graph=SHAPES_GRAPH, inference="none")
    assert not conforms
    messages = {str(m) for m in results.objects(None, SH.resultMessage)}
    assert any("organization-kind scheme" in m for m in messages), text


def test_every_property_says_which_classes_use_it_and_what_it_holds(ontology):
    """Generated documentation can only say where a property is used if it is declared."""
    from copgraph.namespaces import SCHEMA

    props = [
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(str(CG))
    ]
    assert len(props) > 70
    no_domain = [
        p
        for p in props
        if not ontology.value(p, RDFS.domain) and not ontology.value(p, SCHEMA.domainIncludes)
    ]
    no_range = [
        p
        for p in props
        if not ontology.value(p, RDFS.range) and not ontology.value(p, SCHEMA.rangeIncludes)
    ]
    assert (no_domain, no_range) == ([], [])


def test_the_ontology_has_its_metadata_once(ontology):
    from rdflib.namespace import DCTERMS

    node = URIRef("https://w3id.org/copgraph/ontology")
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.creator,
        DCTERMS.license,
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.modified,
    ):
        assert len(list(ontology.objects(node, prop))) == 1, prop
    assert ontology.value(node, RDFS.label) is None, "the title is dct:title, once"


def test_every_concept_is_a_top_concept_of_its_flat_scheme(ontology):
    for concept, scheme in ontology.subject_objects(SKOS.inScheme):
        assert (concept, SKOS.topConceptOf, scheme) in ontology
        assert (scheme, SKOS.hasTopConcept, concept) in ontology


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ('id:t a cg:Output ; rdfs:label "O" ; cg:kind id:output-kind', "beneficiary country"),
        ('id:t a cg:Event ; rdfs:label "E" ; cg:kind id:event-kind', "has a date, or a note"),
    ],
)
def test_a_gap_needs_the_value_or_a_note_saying_why(node, message):
    """An output without country, an event without date: a violation unless a note explains."""
    prefixes = """@prefix cg: <https://w3id.org/copgraph/ontology#> .
        @prefix id: <https://w3id.org/copgraph/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        id:output-kind skos:inScheme <https://w3id.org/copgraph/vocab/output-kind> ."""

    def check(extra: str):
        data = Graph().parse(FIXTURES / "base.ttl")
        data.parse(data=f"{prefixes}\n{node} ; cg:evidence id:ev{extra} .", format="turtle")
        return validate(data, shacl_graph=SHAPES_GRAPH, inference="none", allow_warnings=True)

    conforms, results, text = check("")
    assert not conforms and message in text, text
    assert FOCUS in set(results.objects(None, SH.focusNode))
    conforms, _, text = check(' ; cg:note "the report gives none"')
    assert conforms, text


def test_a_post_without_title_is_a_warning_not_a_violation():
    conforms, results, _ = _validate(FIXTURES / "Post.pass.ttl")
    data = Graph().parse(FIXTURES / "base.ttl")
    data.parse(
        data="""@prefix cg: <https://w3id.org/copgraph/ontology#> .
        @prefix id: <https://w3id.org/copgraph/id/> .
        id:t a cg:Post ; cg:holder id:person-x ; cg:organization id:org-x ; cg:evidence id:ev .""",
        format="turtle",
    )
    conforms, results, text = validate(
        data, shacl_graph=SHAPES_GRAPH, inference="none", allow_warnings=True
    )
    assert conforms, text
    severities = {
        str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        for r in results.subjects(SH.focusNode, FOCUS)
    }
    assert severities == {"Warning"}


def test_one_version_for_the_package_and_the_ontology(ontology):
    import importlib.metadata

    import copgraph

    node = URIRef("https://w3id.org/copgraph/ontology")
    assert str(ontology.value(node, OWL.versionInfo)) == copgraph.__version__
    assert str(ontology.value(node, OWL.versionIRI)).endswith("/" + copgraph.__version__)
    assert importlib.metadata.version("copgraph") == copgraph.__version__


#: Where the shapes knowingly differ from the YAML schema: a gap the report allows is a
#: Warning or Info in SHACL (listed with its severity), not a required field.
GAPS_THE_REPORT_ALLOWS = {("posts", "title"): SH.Warning, ("events", "date"): SH.Info}


def _cardinalities(cls: str, predicate: URIRef) -> dict:
    """{"min": (n, severity), "max": (n, severity)} the shapes put on a class's predicate
    (shapes that target the class, or every subject of the predicate)."""
    found: dict = {}
    shapes = set(SHAPES_GRAPH.subjects(SH.targetClass, URIRef(str(CG) + cls)))
    shapes |= set(SHAPES_GRAPH.subjects(SH.targetSubjectsOf, predicate))
    for shape in shapes:
        for prop in SHAPES_GRAPH.objects(shape, SH.property):
            if SHAPES_GRAPH.value(prop, SH.path) != predicate:
                continue
            severity = SHAPES_GRAPH.value(prop, SH.severity)
            for key, term in (("min", SH.minCount), ("max", SH.maxCount)):
                count = SHAPES_GRAPH.value(prop, term)
                if count is not None:
                    found[key] = (int(count), severity)
    return found


def _fields_with_predicates():
    from copgraph.build.mapping import INVERSE, predicate_of
    from copgraph.records import TYPES

    for rtype in TYPES.values():
        for spec in rtype.fields:
            predicate = predicate_of(rtype.key, spec.name)
            if predicate is None or spec.name in INVERSE or spec.kind == "nested":
                continue
            yield rtype, spec, predicate


@pytest.mark.parametrize(
    ("rtype", "spec", "predicate"),
    list(_fields_with_predicates()),
    ids=lambda v: getattr(v, "key", None) or getattr(v, "name", None) or "",
)
def test_shapes_and_yaml_schema_agree_on_how_many_values(rtype, spec, predicate):
    """A required field is a minCount 1, a single-valued one a maxCount 1, and back again:
    the schema and the shapes cannot drift apart (one changed alone fails here)."""
    counts = _cardinalities(rtype.cls, predicate)
    minimum = counts.get("min")
    allowed_gap = GAPS_THE_REPORT_ALLOWS.get((rtype.key, spec.name))
    if allowed_gap:
        assert minimum == (1, allowed_gap) and not spec.required
    else:
        required_in_shapes = minimum is not None and minimum[0] >= 1 and minimum[1] == SH.Violation
        assert required_in_shapes == spec.required, (rtype.key, spec.name, minimum)
    single_in_shapes = counts.get("max", (None,))[0] == 1
    assert single_in_shapes == (not spec.many), (rtype.key, spec.name, counts.get("max"))
