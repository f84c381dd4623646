"""The named-query catalog on small files: headers, safe parameter binding, typed cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from copgraph.catalog import (
    LIST_SEPARATOR,
    NamedQuery,
    Param,
    QueryError,
    bind_values,
    catalog_frame,
    catalog_rows,
    display_value,
    example_command,
    for_people,
    internal_query,
    iri_param,
    json_value,
    list_cell,
    literal_param,
    literal_value,
    load_catalog,
    parameter_summary,
    parse_query_file,
    python_value,
    shape_rows,
    typed_value,
    zipped_cells,
)

pytestmark = pytest.mark.timeout(30)

HEADER = """\
# title: Partners of an organization
# description: Who partnered with ORG.
# param: org | id:Organization | required | the organization: id or name
# param: since | date | optional | only from this date
# example: org=itu -p since=2023
# example: -p note=two words
# example: filter=a=b
# columns: partner, label,
# columns: quote
# column: quote | a quote that states it
# column: label | its name | or names
# zip: lines:integer, quotes

# a comment after a blank line is still the header
# lists: label
# one-of: org, since
SELECT ?partner WHERE { ?partner ?p ?o }
# columns: not-a-column, after the query starts
"""


def write(tmp_path, text, name="q.rq"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def short(iri: str) -> str:
    return iri.replace("http://example.org/", "ex:")


# -- headers ------------------------------------------------------------------------------


def test_a_header_gives_name_title_parameters_columns_lists_and_examples(tmp_path):
    query = parse_query_file(write(tmp_path, HEADER, "partners.rq"))
    assert query.name == "partners"
    assert query.path == tmp_path / "partners.rq"
    assert query.title == "Partners of an organization"
    assert query.description == "Who partnered with ORG."
    assert query.params == (
        Param("org", "id", "Organization", True, "the organization: id or name"),
        Param("since", "date", None, False, "only from this date"),
    )
    assert query.columns == ["partner", "label", "quote"]
    assert query.lists == frozenset({"label"})
    assert query.zipped == (("lines", "integer"), ("quotes", None))
    assert query.list_columns == frozenset({"label", "lines", "quotes"})
    assert query.one_of == ("org", "since")
    assert query.explained == {"quote": "a quote that states it", "label": "its name | or names"}
    assert query.example == {"org": "itu", "since": "2023", "note": "two words", "filter": "a=b"}
    assert query.text == HEADER
    assert query.param("since").type_label == "date"
    assert query.param("org").type_label == "id:Organization"
    assert query.param("nope") is None


def test_the_header_ends_where_the_query_begins(tmp_path):
    query = parse_query_file(write(tmp_path, HEADER))
    assert query.title == "Partners of an organization"  # the first title, the only one read


@pytest.mark.parametrize("key", ["title", "description", "columns"])
def test_a_header_without_title_description_or_columns_is_refused(tmp_path, key):
    text = "".join(line for line in HEADER.splitlines(True) if not line.startswith(f"# {key}:"))
    path = write(tmp_path, text)
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert str(caught.value) == f"{path}: header line '# {key}:' is missing"


@pytest.mark.parametrize(
    "spec",
    ["org | id | required", "org | id | needed | doc", "org | id | required | doc | more"],
)
def test_a_parameter_line_must_have_name_type_need_and_doc(tmp_path, spec):
    path = write(
        tmp_path,
        HEADER.replace("org | id:Organization | required | the organization: id or name", spec),
    )
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert str(caught.value) == (
        f"{path}: '# param: {spec}' must be 'name | type | required|optional | doc'"
    )


def test_a_parameter_type_must_be_known(tmp_path):
    path = write(tmp_path, HEADER.replace("| id:Organization |", "| number |"))
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert str(caught.value) == (
        f"{path}: parameter type 'number' is not one of "
        "('iri', 'id', 'country', 'string', 'date', 'integer', 'choice')"
    )


@pytest.mark.parametrize("spec", ["quote", "quote |", "quote |   "])
def test_a_column_line_must_explain_its_column(tmp_path, spec):
    path = write(tmp_path, HEADER.replace("quote | a quote that states it", spec))
    assert spec.strip() in path.read_text(encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        parse_query_file(path)
    assert str(caught.value) == f"{path}: '# column: {spec.strip()}' must be 'name | what it means'"


def test_a_minimal_header_has_no_parameters_lists_or_example(tmp_path):
    text = "# title: T\n# description: D\n# columns: a\nSELECT ?a WHERE { ?a ?b ?c }\n"
    query = parse_query_file(write(tmp_path, text))
    assert (query.params, query.lists, query.zipped, query.one_of) == ((), frozenset(), (), ())
    assert (query.explained, query.example) == ({}, {})


def test_the_catalog_is_every_rq_file_by_name_and_sorted(tmp_path):
    text = "# title: T\n# description: D\n# columns: a\nSELECT ?a WHERE { ?a ?b ?c }\n"
    for name in ("b.rq", "a.rq", "c.txt"):
        write(tmp_path, text, name)
    assert list(load_catalog(tmp_path)) == ["a", "b"]


def test_the_example_reads_as_a_command_line_quoting_values_with_spaces(tmp_path):
    query = parse_query_file(write(tmp_path, HEADER, "partners.rq"))
    assert example_command(query) == (
        'copgraph query partners -p org=itu -p since=2023 -p "note=two words" -p filter=a=b'
    )


def test_the_parameter_summary_and_catalog_rows_say_what_a_query_takes(tmp_path):
    query = parse_query_file(write(tmp_path, HEADER, "partners.rq"))
    assert parameter_summary(query) == "org (id:Organization, required); since (date, optional)"
    assert catalog_rows({"partners": query}) == [
        {
            "name": "partners",
            "title": "Partners of an organization",
            "description": "Who partnered with ORG.",
            "parameters": "org (id:Organization, required); since (date, optional)",
            "columns": "partner, label, quote",
            "explained": "quote: a quote that states it; label: its name | or names",
        }
    ]
    frame = catalog_frame({"partners": query})
    assert list(frame.columns) == [
        "name",
        "title",
        "description",
        "parameters",
        "columns",
        "explained",
    ]
    assert frame.iloc[0]["name"] == "partners"
    assert catalog_frame({}).empty  # an empty catalog, not the shipped one


def test_the_shipped_catalog_is_read_when_none_is_given():
    from copgraph.catalog import QUERY_DIR

    names = [row["name"] for row in catalog_rows()]
    assert names == [p.stem for p in sorted(QUERY_DIR.glob("*.rq"))]
    assert "partners-of" in names


def test_internal_queries_are_read_by_name():
    from copgraph.catalog import INTERNAL_DIR

    name = sorted(INTERNAL_DIR.glob("*.rq"))[0].stem
    assert internal_query(name) == (INTERNAL_DIR / f"{name}.rq").read_text(encoding="utf-8")


# -- binding ----------------------------------------------------------------------------


def test_without_bindings_the_query_is_unchanged():
    assert bind_values("SELECT * WHERE { ?s ?p ?o }", {}) == "SELECT * WHERE { ?s ?p ?o }"


def test_values_go_first_in_the_outer_where_group_sorted_by_name():
    query = "SELECT * WHERE { ?s ?p ?o }"
    bound = bind_values(query, {"p_b": Literal("b"), "p_a": URIRef("urn:a")})
    assert bound == 'SELECT * WHERE { VALUES (?p_a ?p_b) { (<urn:a> "b") }\n ?s ?p ?o }'


def test_a_where_in_a_comment_is_not_the_where_group():
    query = "# WHERE { in a comment\nSELECT * where {\n ?s ?p ?o }"
    bound = bind_values(query, {"x": Literal(1)})
    assert bound.startswith("# WHERE { in a comment\nSELECT * where { VALUES (?x) {")


def test_values_go_at_every_values_marker_instead():
    query = "SELECT * WHERE {\n  { # @values\n  ?s ?p ?o } UNION {\n\t#  @values  \n ?o ?p ?s }\n}"
    bound = bind_values(query, {"x": Literal("v")})
    block = 'VALUES (?x) { ("v") }'
    assert bound == (
        f"SELECT * WHERE {{\n  {{ # @values\n  ?s ?p ?o }} UNION {{\n{block}\n ?o ?p ?s }}\n}}"
    )


def test_a_query_without_where_group_cannot_take_parameters():
    with pytest.raises(QueryError) as caught:
        bind_values("ASK { ?s ?p ?o }", {"x": Literal(1)})
    assert str(caught.value) == "the query has no WHERE { ... } group to bind parameters in"


def test_an_indented_comment_is_no_where_group_either():
    bound = bind_values("  # where { here\nSELECT * WHERE { ?s ?p ?o }", {"x": Literal(1)})
    assert bound.startswith("  # where { here\nSELECT * WHERE { VALUES (?x)")


def test_parameter_names_may_hold_capitals():
    assert "VALUES (?P_Org)" in bind_values("SELECT * WHERE { }", {"P_Org": Literal(1)})


def test_a_query_error_has_a_command_line_wording_that_defaults_to_its_message():
    assert QueryError("m").cli == "m"
    assert QueryError("m", cli="c").cli == "c"
    assert str(QueryError("m", cli="c")) == "m"


@pytest.mark.parametrize("name", ["1x", "x-y", "x y", "x}", ""])
def test_a_parameter_name_must_be_a_sparql_variable(name):
    with pytest.raises(QueryError) as caught:
        bind_values("SELECT * WHERE { ?s ?p ?o }", {name: Literal(1)})
    assert str(caught.value) == f"parameter name {name!r} is not a SPARQL variable name"


def test_a_value_cannot_break_out_of_its_string():
    from rdflib import Graph

    value = Literal('a" } DROP ALL #\n')
    bound = bind_values("SELECT ?x WHERE { ?s ?p ?o }", {"x": value})
    graph = Graph()
    graph.add((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o")))
    assert [tuple(row) for row in graph.query(bound)] == [(value,)]


PARAM = {
    kind: Param("p", kind, cls, False, "")
    for kind, cls in (("integer", None), ("date", None), ("string", None), ("iri", None))
}


def test_an_integer_parameter_is_a_whole_number():
    assert literal_param(PARAM["integer"], "12") == Literal(12)
    assert literal_param(PARAM["integer"], "12").datatype == XSD.integer
    with pytest.raises(QueryError) as caught:
        literal_param(PARAM["integer"], "12.5")
    assert str(caught.value) == "parameter 'p' must be a whole number, got '12.5'"


def test_a_choice_parameter_takes_one_of_its_words_in_any_case():
    choice = Param("former", "choice", "yes/no", False, "")
    assert literal_param(choice, " Yes. ") == Literal("yes")
    assert literal_param(choice, "no") == Literal("no")
    with pytest.raises(QueryError):
        literal_param(choice, "noX")  # only a full stop is dropped
    with pytest.raises(QueryError) as caught:
        literal_param(choice, "maybe")
    assert str(caught.value) == "parameter 'former' must be one of yes, no, got 'maybe'"


def test_a_date_parameter_may_be_partial_and_is_compared_as_text():
    assert literal_param(PARAM["date"], "2023-06") == Literal("2023-06")
    assert literal_param(PARAM["date"], "2023-06").datatype is None
    with pytest.raises(QueryError) as caught:
        literal_param(PARAM["date"], "June")
    assert str(caught.value) == (
        "parameter 'p' must be an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), got 'June'"
    )


def test_a_string_parameter_is_kept_as_written():
    assert literal_param(PARAM["string"], " a b ") == Literal(" a b ")


@pytest.mark.parametrize(
    "value", ["http://example.org/x", "urn:isbn:123", "mailto:a@b.c", "URN:X:1", "Xy+z.-1:a"]
)
def test_an_iri_parameter_must_be_absolute(value):
    assert iri_param(PARAM["iri"], value) == URIRef(value)


@pytest.mark.parametrize("value", ["x", "/a/b", "http://a b", "http://a>", "1x:y", "urn:"])
def test_an_iri_parameter_refuses_what_is_no_absolute_iri(value):
    with pytest.raises(QueryError) as caught:
        iri_param(PARAM["iri"], value)
    assert str(caught.value) == f"parameter 'p' must be an absolute IRI, got {value!r}"


# -- typed cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, datatype, value",
    [
        ("12", "integer", 12),
        ("-3", "int", -3),
        ("7", "nonNegativeInteger", 7),
        ("7", "unsignedByte", 7),
        ("2.50", "decimal", Decimal("2.50")),
        ("2.5E0", "double", 2.5),
        ("0.5", "float", 0.5),
        ("true", "boolean", True),
        ("1", "boolean", True),
        ("false", "boolean", False),
        ("0", "boolean", False),
        ("2023-06-14", "date", dt.date(2023, 6, 14)),
        (
            "2023-12-07T09:00:00+07:00",
            "dateTime",
            dt.datetime.fromisoformat("2023-12-07T09:00+07:00"),
        ),
        ("2023", "gYear", "2023"),
        ("2023-06", "gYearMonth", "2023-06"),
        ("x", "string", "x"),
    ],
)
def test_literals_become_python_values_by_datatype(text, datatype, value):
    converted = literal_value(text, str(XSD) + datatype)
    assert converted == value
    assert type(converted) is type(value)


@pytest.mark.parametrize("text, datatype", [("twelve", "integer"), ("x", "decimal"), ("y", "date")])
def test_a_literal_that_is_not_of_its_type_stays_text(text, datatype):
    assert literal_value(text, str(XSD) + datatype) == text


def test_a_literal_without_datatype_stays_text():
    assert literal_value("12", None) == "12"


def test_typed_value_compacts_iris_types_literals_and_leaves_blank_nodes_as_text():
    assert typed_value(None, short) is None
    assert typed_value(URIRef("http://example.org/itu"), short) == "ex:itu"
    assert typed_value(Literal(3), short) == 3
    assert typed_value(Literal("3"), short) == "3"
    assert typed_value(Literal("2023", datatype=XSD.gYear), short) == "2023"
    assert typed_value(Literal("x", lang="en"), short) == "x"
    assert typed_value(BNode("b1"), short) == "b1"


def test_python_value_gives_numbers_and_booleans_and_text_for_the_rest():
    assert python_value(None, short) is None
    assert python_value(URIRef("http://example.org/itu"), short) == "ex:itu"
    assert python_value(BNode("b1"), short) == "b1"
    whole = python_value(Literal("10.0", datatype=XSD.decimal), short)
    assert (whole, type(whole)) == (10, int)
    half = python_value(Literal("2.5", datatype=XSD.decimal), short)
    assert (half, type(half)) == (2.5, float)
    assert python_value(Literal("4.0E0", datatype=XSD.double), short) == 4
    assert type(python_value(Literal("4.0E0", datatype=XSD.double), short)) is int
    assert python_value(Literal(7), short) == 7
    assert python_value(Literal(True), short) is True
    day = python_value(Literal("2023-06-14", datatype=XSD.date), short)
    assert day == "2023-06-14"
    assert python_value(Literal("x"), short) == "x"


def test_a_list_cell_is_split_sorted_de_duplicated_and_compacted():
    cell = LIST_SEPARATOR.join(["b c", "http://example.org/x", "a", "", "b c", " "])
    assert list_cell(cell, short) == ["a", "b c", "ex:x"]
    assert list_cell("", short) == []
    assert list_cell(None, short) == []
    assert list_cell(5, short) == []


def test_zipped_cells_stay_parallel_typed_de_duplicated_and_sorted_by_the_first():
    cells = ["12\n3\n12\n", "b c\nhttp://example.org/a\nb c\n"]
    assert zipped_cells(cells, ["integer", None], short) == [[3, 12], ["ex:a", "b c"]]


def test_zipped_cells_keep_text_that_is_not_a_number_and_skip_empty_rows():
    cells = ["x\n\n4", "p\n\nq"]
    assert zipped_cells(cells, ["integer", None], short) == [[4, "x"], ["q", "p"]]


def test_zipped_cells_that_are_not_parallel_are_kept_apart():
    assert zipped_cells(["1\n2", "a"], ["integer", None], short) == [["1", "2"], ["a"]]
    cells = ["1", "http://example.org/a\nb c"]
    assert zipped_cells(cells, ["integer", None], short) == [["1"], ["b c", "ex:a"]]


def test_empty_zipped_cells_give_empty_lists():
    assert zipped_cells(["", ""], ["integer", None], short) == [[], []]
    assert zipped_cells([None, None], [None, None], short) == [[], []]
    assert zipped_cells(["\n", "\n"], [None, None], short) == [[], []]


def test_shape_rows_turns_list_and_zipped_cells_into_lists_in_place():
    named = NamedQuery(
        name="q",
        path=None,
        title="",
        description="",
        params=(),
        columns=["name", "tags", "lines", "quotes"],
        lists=frozenset({"tags", "absent"}),
        zipped=(("lines", "integer"), ("quotes", None)),
    )
    rows = [["n", "b\nhttp://example.org/a", "2\n1", "two\nhttp://example.org/q"]]
    rows.append(["m", "", "", ""])
    shape_rows(rows, ["name", "tags", "lines", "quotes"], named, short)
    assert rows == [
        ["n", ["b", "ex:a"], [1, 2], ["ex:q", "two"]],
        ["m", [], [], []],
    ]


def test_shape_rows_leaves_rows_without_list_columns_alone():
    named = NamedQuery("q", None, "", "", (), ["name"])
    rows = [["a\nb"]]
    shape_rows(rows, ["name"], named, short)
    assert rows == [["a\nb"]]


def test_display_values_read_as_a_person_writes_them():
    assert display_value(["a", 2.0, True]) == "a; 2; true"
    assert display_value(False) == "false"
    assert display_value(3.0) == 3 and type(display_value(3.0)) is int
    assert display_value(2.5) == 2.5
    assert display_value(dt.date(2023, 6, 1)) == "2023-06-01"
    assert display_value(dt.datetime(2023, 6, 1, 9, 30)) == "2023-06-01T09:30:00"
    assert display_value(Decimal("10.00")) == "10"
    assert display_value(Decimal("1E+1")) == "10"
    assert display_value(Decimal("2.50")) == "2.50"
    assert display_value("x") == "x"
    assert display_value(None) is None


def test_json_values_keep_lists_and_numbers_and_write_dates_as_text():
    assert json_value([Decimal("2"), [dt.date(2023, 1, 2)]]) == [2, ["2023-01-02"]]
    assert type(json_value(Decimal("2.0"))) is int
    assert json_value(Decimal("2.5")) == 2.5 and type(json_value(Decimal("2.5"))) is float
    assert json_value(4.0) == 4 and type(json_value(4.0)) is int
    assert json_value(4.5) == 4.5
    assert json_value(dt.datetime(2023, 1, 2, 3, 4)) == "2023-01-02T03:04:00"
    assert json_value(True) is True
    assert json_value("x") == "x"


def test_for_people_writes_text_except_in_json():
    frame = pd.DataFrame(
        {"n": [1.0, None], "tags": [["a", "b"], []], "ok": [True, False]}, dtype=object
    )
    text = for_people(frame, "table")
    assert text.to_dict("list") == {"n": ["1", None], "tags": ["a; b", ""], "ok": ["true", "false"]}
    assert list(text.columns) == ["n", "tags", "ok"]
    part = for_people(frame.iloc[[1]], "table")  # a frame's own index is kept
    assert part.to_dict("list") == {"n": [None], "tags": [""], "ok": ["false"]}
    as_json = for_people(frame, "json")
    assert as_json["n"].tolist()[0] == 1 and type(as_json["n"].tolist()[0]) is int
    assert as_json["tags"].tolist() == [["a", "b"], []]
    assert as_json["ok"].tolist() == [True, False]
