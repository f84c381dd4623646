"""Records to triples: check the curated data, convert it, validate it, write the graph.

The build is all-or-nothing: every problem it finds (in the YAML, in a quote, in a
reference, against the SHACL shapes) is collected and reported together, and nothing is
written unless there are none. The same inputs give byte-identical output files.

The stages, each a module: ``paths`` (where inputs and outputs live), ``ontology`` (the
ontology and schemes as one graph), ``convert`` (records to triples), ``shapes`` (SHACL),
``serialize`` (files, atomically, with a stamp) and ``pipeline`` (all of them in order).
Each report converts on its own (``convert_report``: its folder, the shared records, the
ontology and the code in, its triples out), then the shared entities (``convert_shared``),
then what crosses reports is checked (``cross_report_problems``). ``incremental`` builds
the same graph unit by unit, reusing from ``cache`` every unit whose inputs did not change,
never holding more than one report in an rdflib graph.
"""

from copgraph.build.convert import date_literal, invisible_characters, participation_iri, post_iri
from copgraph.build.incremental import build_incremental, ensure_built
from copgraph.build.ontology import (
    classes_needing_evidence,
    load_ontology,
    ontology_properties,
    scheme_members,
)
from copgraph.build.paths import (
    ROOT,
    Paths,
    default_root,
    input_files,
    inputs_digest,
    report_inputs,
    shared_inputs,
)
from copgraph.build.pipeline import (
    BuildError,
    Built,
    Unit,
    assemble,
    build_graph,
    convert_report,
    convert_shared,
    cross_report_problems,
    load_shared,
)
from copgraph.build.serialize import (
    OUTPUT_NAMES,
    STAMP,
    OutputError,
    os_error_message,
    read_stamp,
    stale_reason,
    to_jsonld,
    to_ntriples,
    to_turtle,
    write_atomic,
    write_outputs,
)
from copgraph.build.shapes import validate_shapes

__all__ = [
    "OUTPUT_NAMES",
    "ROOT",
    "STAMP",
    "BuildError",
    "Built",
    "OutputError",
    "Paths",
    "Unit",
    "assemble",
    "build_graph",
    "build_incremental",
    "classes_needing_evidence",
    "convert_report",
    "convert_shared",
    "cross_report_problems",
    "date_literal",
    "default_root",
    "ensure_built",
    "input_files",
    "inputs_digest",
    "invisible_characters",
    "load_ontology",
    "load_shared",
    "ontology_properties",
    "os_error_message",
    "participation_iri",
    "post_iri",
    "read_stamp",
    "report_inputs",
    "scheme_members",
    "shared_inputs",
    "stale_reason",
    "to_jsonld",
    "to_ntriples",
    "to_turtle",
    "validate_shapes",
    "write_atomic",
    "write_outputs",
]
