"""Which predicate each YAML field becomes: the YAML-to-RDF mapping as data.

One table, read by the conversion (``convert``), by SHACL's messages (which field a
predicate came from) and by the field reference in data/README.md, which
``python -m copgraph.docs`` generates from it and from the schema in ``records``.
"""

from __future__ import annotations

from rdflib import RDFS, URIRef
from rdflib.namespace import SKOS

from copgraph.namespaces import CG
from copgraph.records import TYPES

# Which predicate each YAML field becomes. A field absent here is handled by hand below.
PREDICATES: dict[str, URIRef] = {
    "label": RDFS.label,
    "name": RDFS.label,
    "alt_labels": SKOS.altLabel,
    "alt_names": SKOS.altLabel,
    "acronym": CG.acronym,
    "kind": CG.kind,
    "country": CG.country,
    "parent": CG.parentOrganization,
    "note": CG.note,
    "honorific": CG.honorific,
    "title": CG.title,
    "organization": CG.organization,
    "iso2": CG.iso2,
    "iso3": CG.iso3,
    "beneficiary": CG.beneficiary,
    "appears_as": CG.appearsAs,
    "established": CG.established,
    "start": CG.start,
    "end": CG.end,
    "established_by": CG.establishedBy,
    "within": CG.withinFramework,
    "funders": CG.funder,
    "beneficiaries": CG.beneficiaryCountry,
    "outcomes": CG.outcome,
    "language": CG.language,
    "producers": CG.producer,
    "partners": CG.partner,
    "date": CG.date,
    "status": CG.status,
    "audience": CG.audience,
    "age_range": CG.ageRange,
    "translation_of": CG.translationOf,
    "launched_at": CG.launchedAt,
    "programme": CG.programme,
    "place": CG.place,
    "participants": CG.participantCount,
    "organizers": CG.organizer,
    "part_of": CG.partOf,
    "number": CG.sessionNumber,
    "alt_titles": CG.alternativeTitle,
    "event": CG.partOf,
    "topics": CG.topic,
    "person": CG.participant,
    "role": CG.role,
    "source": CG.source,
    "organizations": CG.partnerOrganization,
    "about": CG.about,
    "value": CG.value,
    "min": CG.minValue,
    "max": CG.maxValue,
    "unit": CG.unit,
    "year": CG.year,
    "wording": CG.wording,
    "jurisdiction": CG.jurisdiction,
    "speaker": CG.speaker,
    "session": CG.session,
    "text": CG.text,
    "property": CG.property,
    "description": CG.description,
    "hub": CG.hub,
    "former": CG.former,
    "stated_by": CG.statedBy,
    "issuer": CG.issuer,
    "online": CG.online,
}
# Where one field name means something else in one record type.
OVERRIDES: dict[tuple[str, str], URIRef] = {
    ("variants", "value"): CG.variantValue,
}
# What a discrepancy's property names when it is a field holding nested records.
NESTED_PREDICATES = {"posts": CG.holder, "participants": CG.participant, "variants": CG.variant}
# Fields whose triple points from the referenced node to the record (X cites instrument).
INVERSE = {"cited_by": CG.cites, "sessions": CG.cites}


def predicate_of(record_type: str, field_name: str) -> URIRef | None:
    """The predicate a field of a record type becomes; None for ``id`` and ``evidence``.

    A field of nested records gives the predicate that links them to the record, and an
    inverse field the predicate that points back at it (``cited_by``: X cg:cites it).

    >>> [predicate_of("variants", "value").fragment, predicate_of("figures", "value").fragment]
    ['variantValue', 'value']
    >>> [predicate_of(kind, "participants").fragment for kind in ("events", "sessions")]
    ['participantCount', 'participant']
    """
    spec = TYPES[record_type].field(field_name)
    if spec is None or spec.kind == "evidence" or field_name == "id":
        return None
    if spec.kind == "nested":
        return NESTED_PREDICATES[field_name]
    return (
        OVERRIDES.get((record_type, field_name))
        or INVERSE.get(field_name)
        or PREDICATES[field_name]
    )
