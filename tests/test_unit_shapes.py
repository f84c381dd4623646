"""Each SHACL constraint catches its own failing case.

The cases are made from the shapes themselves: for every property shape and every
constraint in it (min and max count, class, datatype, pattern, allowed values, minimum,
node kind, scheme membership, alternatives, order), a copy of the passing fixture of
its class is changed so that exactly that constraint is broken, and the validation report
must hold a result from that property shape and that constraint for that copy's node. A
constraint added without a way to break it here fails ``test_every_constraint_has_a_case``.
All cases are validated in one pySHACL run (each copy has its own nodes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS, XSD

from copgraph.namespaces import CG, ID

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
SHAPES = Graph().parse(ROOT / "ontology" / "shapes.ttl")
BASE = Graph().parse(FIXTURES / "base.ttl")
FOCUS = ID.t
HOST = "AgendaItem"  # the fixture shapes without a target class are tried on

COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
}
SAMPLES = {  # well-formed values of each datatype, for a property with too many values
    XSD.string: ["s1", "s2", "s3"],
    XSD.integer: ["1", "2", "3"],
    XSD.decimal: ["1.5", "2.5", "3.5"],
    XSD.double: ["1.5E0", "2.5E0", "3.5E0"],
    XSD.boolean: ["true", "false"],
    XSD.date: ["2001-01-01", "2001-01-02", "2001-01-03"],
    XSD.gYearMonth: ["2001-01", "2001-02", "2001-03"],
    XSD.gYear: ["2001", "2002", "2003"],
    XSD.dateTime: ["2001-01-01T01:00:00Z", "2001-01-01T02:00:00Z", "2001-01-01T03:00:00Z"],
    XSD.language: ["en", "fr", "de"],
}


def pass_fixtures() -> dict[str, Graph]:
    return {p.name.split(".")[0]: Graph().parse(p) for p in sorted(FIXTURES.glob("*.pass.ttl"))}


def node_of_class(cls, *graphs: Graph) -> URIRef | None:
    return next((s for g in (BASE, *graphs) for s in sorted(g.subjects(RDF.type, cls))), None)


def scheme_of(node_shape) -> URIRef | None:
    """The scheme a membership shape (cgs:In-...) asks for."""
    for prop in SHAPES.objects(node_shape, SH.property):
        if SHAPES.value(prop, SH.path) == SKOS.inScheme:
            return SHAPES.value(prop, SH.hasValue)
    return None


def concept_in(scheme) -> URIRef:
    return next(iter(BASE.subjects(SKOS.inScheme, scheme)))


def concept_outside(scheme) -> URIRef:
    return next(
        c
        for c in sorted(BASE.subjects(RDF.type, SKOS.Concept))
        if (c, SKOS.inScheme, scheme) not in BASE
    )


class Case:
    """One copy of a fixture, changed to break one constraint of one property shape."""

    def __init__(self, number: int, fixture: Graph, shape, prop, constraint):
        self.shape, self.prop, self.constraint = shape, prop, constraint
        self.component = COMPONENTS.get(constraint, SH.SPARQLConstraintComponent)
        self.suffix = f"-case{number}"
        local = {s for s in fixture.subjects() if isinstance(s, URIRef)} - set(BASE.subjects())
        self.names = {n: URIRef(f"{n}{self.suffix}") for n in local}
        self.graph = Graph()
        for s, p, o in fixture:
            self.graph.add((self.names.get(s, s), p, self.names.get(o, o)))
        self.focus = self.names[FOCUS]
        self.expected_focus = self.focus
        path = SHAPES.value(prop, SH.path) if prop is not None else None
        inverse = SHAPES.value(path, SH.inversePath) if isinstance(path, BNode) else None
        self.path, self.inverse = (inverse, True) if inverse is not None else (path, False)

    # -- the values of the path at the focus --------------------------------------------
    def values(self) -> list:
        if self.inverse:
            return list(self.graph.subjects(self.path, self.focus))
        return list(self.graph.objects(self.focus, self.path))

    def remove_values(self) -> None:
        if self.inverse:
            self.graph.remove((None, self.path, self.focus))
        else:
            self.graph.remove((self.focus, self.path, None))

    def set_value(self, value) -> None:
        self.remove_values()
        self.graph.add((self.focus, self.path, value))

    def fresh(self, i: int):
        """A value that satisfies the property's other constraints, distinct for each i."""
        p = self.prop
        cls = SHAPES.value(p, SH["class"])
        node = SHAPES.value(p, SH.node)
        datatype = SHAPES.value(p, SH.datatype)
        template = None
        if node is not None:
            template = concept_in(scheme_of(node))
        elif cls is not None:
            template = node_of_class(cls, self.graph)
            if template is None:  # a bare node of the class will do
                bare = URIRef(f"{ID}bare{self.suffix}-{i}")
                self.graph.add((bare, RDF.type, cls))
                return bare
        if template is not None:
            copy = URIRef(f"{template}{self.suffix}-{i}")
            for source in (BASE, self.graph):
                for pred, obj in list(source.predicate_objects(template)):
                    self.graph.add((copy, pred, obj))
            return copy
        existing = [v for v in self.values() if isinstance(v, Literal)]
        datatype = datatype or (existing[0].datatype if existing else None) or XSD.string
        samples = SAMPLES[datatype]
        if i >= len(samples):
            return None
        return Literal(samples[i], datatype=None if datatype == XSD.string else datatype)

    # -- breaking one constraint ---------------------------------------------------------
    def apply(self) -> bool:
        """Break the constraint in this copy; False where no way to break it is known."""
        p, c = self.prop, self.constraint
        bound = SHAPES.value(p, c) if p is not None else None
        if c == SH.minCount:
            self.remove_values()
            return int(bound) >= 1
        if c == SH.maxCount:
            self.remove_values()
            for i in range(int(bound) + 1):
                value = self.fresh(i)
                if value is None:
                    return False
                if self.inverse:
                    self.graph.add((value, self.path, self.focus))
                else:
                    self.graph.add((self.focus, self.path, value))
            return True
        if self.inverse:
            return False
        if c == SH.datatype:
            self.set_value(Literal(5) if bound == XSD.string else Literal("x"))
        elif c == SH["class"]:
            self.set_value(ID.doc if bound != CG.Document else ID.ev)
        elif c == SH.pattern:  # a near miss: the passing value in lower case, or with a "!"
            passing = next((str(v) for v in self.values() if isinstance(v, Literal)), "")
            near = passing.lower() if passing.lower() != passing else passing + "!"
            self.set_value(Literal(near))
        elif c == SH["in"]:
            self.set_value(Literal("none of the listed values"))
        elif c == SH.minInclusive:
            self.set_value(Literal(int(bound.toPython()) - 1))
        elif c == SH.nodeKind:
            self.set_value(Literal("x"))
        elif c == SH.node:
            self.set_value(concept_outside(scheme_of(bound)))
        elif c == SH["or"]:
            self.set_value(Literal("x"))
        elif c == SH.minLength:
            self.set_value(Literal(""))
        elif c == SH.lessThanOrEquals:
            self.set_value(Literal(10))
            self.graph.remove((self.focus, bound, None))
            self.graph.add((self.focus, bound, Literal(1)))
        else:
            return False
        return True

    def target(self) -> None:
        """Make the copy's node (or a node it points to) a target of a shape that has no
        target class: the subject or object of the property the shape targets."""
        subjects = SHAPES.value(self.shape, SH.targetSubjectsOf)
        objects = SHAPES.value(self.shape, SH.targetObjectsOf)
        if subjects is not None and (self.focus, subjects, None) not in self.graph:
            self.graph.add((self.focus, subjects, Literal("2001")))
        if objects is not None:
            node = URIRef(f"{ID}count{self.suffix}")
            self.graph.add((self.focus, objects, node))
            self.focus = self.expected_focus = node

    def caught(self, results: Graph) -> bool:
        for result in results.subjects(SH.focusNode, self.expected_focus):
            source = results.value(result, SH.sourceShape)
            component = results.value(result, SH.sourceConstraintComponent)
            if component == self.component and source in (self.prop, self.shape):
                return True
        return False


def constraints_of(prop) -> list:
    return [c for c in COMPONENTS if (prop, c, None) in SHAPES]


def make_cases() -> tuple[list[Case], list[tuple]]:
    fixtures = pass_fixtures()
    cases, missing = [], []
    for shape in sorted(SHAPES.subjects(RDF.type, SH.NodeShape)):
        cls = SHAPES.value(shape, SH.targetClass)
        targeted = cls is not None or any(
            (shape, t, None) in SHAPES for t in (SH.targetSubjectsOf, SH.targetObjectsOf)
        )
        if not targeted:
            continue  # a membership shape, reached through sh:node (see below)
        fixture = fixtures[str(cls).split("#")[1] if cls is not None else HOST]
        for prop in sorted(SHAPES.objects(shape, SH.property), key=str):
            for constraint in constraints_of(prop):
                case = Case(len(cases), fixture, shape, prop, constraint)
                if cls is None:
                    case.target()
                if case.apply():
                    cases.append(case)
                else:
                    missing.append((shape, SHAPES.value(prop, SH.message), constraint))
        for _sparql in SHAPES.objects(shape, SH.sparql):
            case = Case(len(cases), fixture, shape, None, SH.sparql)
            case.graph.add((case.focus, CG.hub, ID["org-y"]))  # a hub among no partners
            case.graph.remove((case.focus, CG.partnerOrganization, ID["org-y"]))
            case.expected_focus = case.focus
            cases.append(case)
    return cases, missing


CASES, MISSING = make_cases()


@pytest.fixture(scope="module")
def report() -> Graph:
    data = Graph()
    data += BASE
    for case in CASES:
        data += case.graph
    _, results, _ = validate(data, shacl_graph=SHAPES, inference="none", advanced=True)
    return results


def test_every_constraint_has_a_case():
    assert MISSING == []
    assert len(CASES) > 150
    broken = {(c.prop, c.constraint) for c in CASES}
    for prop in SHAPES.subjects(SH.path, None):
        if any((shape, SH.property, prop) in SHAPES for shape in SHAPES.subjects()):
            for constraint in constraints_of(prop):
                shape = next(SHAPES.subjects(SH.property, prop))
                if scheme_of(shape) is None:
                    assert (prop, constraint) in broken, SHAPES.value(prop, SH.message)


def test_every_scheme_membership_shape_is_reached_by_a_case():
    members = {s for s in SHAPES.subjects(RDF.type, SH.NodeShape) if scheme_of(s) is not None}
    reached = {SHAPES.value(c.prop, SH.node) for c in CASES if c.constraint == SH.node}
    assert members and members <= reached


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[
        f"{str(c.shape).split('#')[1]}-{str(c.constraint).split('#')[1]}-{c.suffix[5:]}"
        for c in CASES
    ],
)
def test_each_constraint_catches_its_case(case, report):
    assert case.caught(report), (
        f"{SHAPES.value(case.prop, SH.message) if case.prop else 'SPARQL'}: no "
        f"{case.component} result for {case.expected_focus}"
    )


# (The shapes' cardinalities against the record schema: tests/test_ontology.py.)
