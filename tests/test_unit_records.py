"""The record schema on one record at a time: what a curator may write, and the one line
that names file, record and field when they write something else."""

from __future__ import annotations

import datetime as dt

import pytest

from copgraph.records import (
    MAX_VALUES,
    TYPES,
    Problem,
    _relative,
    brief,
    check_order,
    curated_files,
    expanded_size,
    load_records,
    parse_date,
    parse_datetime,
    parse_documents,
    read_curated,
    suggest,
)

pytestmark = pytest.mark.timeout(30)

QUOTE = {"quote": "some words"}


def country(**changes):
    record = {
        "id": "fiji",
        "label": "Fiji",
        "iso2": "FJ",
        "iso3": "FJI",
        "beneficiary": True,
        "evidence": [QUOTE],
        **changes,
    }
    return {k: v for k, v in record.items() if v is not None}


def parse_one(key, record):
    records, problems = parse_documents({"f.yaml": {key: [record]}})
    return records, problems


def problems_of(key, record) -> list[tuple[str, str, str]]:
    return [(p.record, p.field, p.message) for p in parse_one(key, record)[1]]


def only_problem(key, record) -> tuple[str, str, str]:
    (problem,) = problems_of(key, record)
    return problem


def data_of(key, record) -> dict:
    records, problems = parse_one(key, record)
    assert problems == []
    (parsed,) = records
    return parsed.data


# -- documents and records ------------------------------------------------------------


def test_a_valid_record_is_parsed_with_its_type_id_file_and_values():
    (record,), problems = parse_one("countries", country())
    assert problems == []
    assert (record.type.key, record.id, record.file) == ("countries", "fiji", "f.yaml")
    assert record.data == {
        "label": "Fiji",
        "iso2": "FJ",
        "iso3": "FJI",
        "beneficiary": True,
        "evidence": [
            {
                "quote": "some words",
                "report": None,
                "section": None,
                "note": None,
                "supports": None,
                "unnamed": None,
            }
        ],
    }
    assert record.nested == {}


def test_a_discrepancy_names_a_property_and_a_date_time_is_kept_as_written():
    discrepancy = {
        "id": "d",
        "about": "fiji",
        "property": "label",
        "description": "two spellings",
        "variants": [{"value": "Fiji", "evidence": [QUOTE]}, {"value": "Fidji"}],
    }
    (record,), problems = parse_one("discrepancies", discrepancy)
    assert [(p.record, p.field) for p in problems] == [("d/variants[1]", "evidence")]
    assert record.data["property"] == "label"
    assert [v.data["value"] for v in record.nested["variants"]] == ["Fiji", "Fidji"]
    discrepancy["property"] = True
    assert ("d", "property", "must be text, got bool") in problems_of("discrepancies", discrepancy)
    item = {"id": "a", "label": "A", "event": "w", "start": "2023-12-07T09:00+07:00"}
    assert data_of("agenda_items", {**item, "evidence": [QUOTE]})["start"] == item["start"]


def test_a_document_that_is_not_a_mapping_is_one_problem_and_the_next_file_is_read():
    records, problems = parse_documents({"f.yaml": ["a", "list"], "g.yaml": {"countries": []}})
    assert records == []
    assert problems == [Problem("f.yaml", "", "", "must be a mapping of record type to a list")]
    records, problems = parse_documents({"f.yaml": "text", "g.yaml": {"countries": [country()]}})
    assert [r.id for r in records] == ["fiji"]


def test_an_unknown_record_type_is_named_with_a_suggestion_and_the_next_type_is_read():
    records, problems = parse_documents({"f.yaml": {"countrys": [country()], "places": []}})
    assert records == []
    assert problems == [
        Problem(
            "f.yaml", "", "countrys", "unknown record type 'countrys'; did you mean 'countries'?"
        )
    ]
    records, _ = parse_documents({"f.yaml": {"countrys": [], "countries": [country()]}})
    assert [r.id for r in records] == ["fiji"]


def test_a_nested_record_type_cannot_stand_at_the_top_level():
    _, problems = parse_documents({"f.yaml": {"posts": [{"organization": "itu"}]}})
    assert [p.message.split(";")[0] for p in problems] == ["unknown record type 'posts'"]


def test_records_of_a_type_must_be_a_list_and_the_next_type_is_read():
    records, problems = parse_documents({"f.yaml": {"countries": country(), "places": [{}]}})
    assert problems[0] == Problem("f.yaml", "", "countries", "must be a list of records")
    assert len(problems) == 2  # the place without an id is checked too


def test_every_record_of_every_file_is_read_and_every_problem_is_kept():
    documents = {
        "a.yaml": {"countries": [country(), country(id="tonga", label="Tonga")]},
        "b.yaml": {"countries": [country(id="samoa", iso2=None)], "places": [{"id": "x"}]},
    }
    records, problems = parse_documents(documents)
    assert [(r.file, r.id) for r in records] == [
        ("a.yaml", "fiji"),
        ("a.yaml", "tonga"),
        ("b.yaml", "samoa"),
        ("b.yaml", "x"),
    ]
    assert [(p.file, p.record, p.field) for p in problems] == [
        ("b.yaml", "samoa", "iso2"),
        ("b.yaml", "x", "label"),
        ("b.yaml", "x", "evidence"),
    ]


def test_a_record_that_is_not_a_mapping_is_named_by_its_position():
    _, problems = parse_one("countries", "fiji")
    assert problems == [Problem("f.yaml", "countries[0]", "", "a record must be a mapping")]


@pytest.mark.parametrize("bad", [None, "Fiji", "fiji--x", "-fiji", 12, "fiji_x"])
def test_an_id_must_be_a_slug(bad):
    _, problems = parse_one("countries", country(id=bad))
    message = "required: a slug of a-z, 0-9 and single hyphens"
    assert problems == [Problem("f.yaml", str(bad) if bad else "countries[0]", "id", message)]


def test_an_unknown_field_is_named_with_a_suggestion():
    _, problems = parse_one("countries", country(lable="x"))
    assert problems == [Problem("f.yaml", "fiji", "lable", "unknown field; did you mean 'label'?")]


@pytest.mark.parametrize("empty", [None, "", []])
def test_a_required_field_left_empty_is_missing_and_the_next_fields_are_checked(empty):
    record = country(beneficiary="no")
    record["iso3"] = empty
    assert problems_of("countries", record) == [
        ("fiji", "iso3", "required field is missing"),
        ("fiji", "beneficiary", "must be true or false, got 'no'"),
    ]


def test_an_optional_field_left_empty_is_simply_absent():
    data = data_of("countries", country(appears_as="", alt_labels=[]))
    assert "appears_as" not in data and "alt_labels" not in data


def test_a_single_valued_field_refuses_a_list_and_a_many_valued_field_takes_one_value():
    _, problems = parse_one("countries", country(label=["Fiji", "Fidji"], iso2=["F", "J"]))
    assert problems == [
        Problem("f.yaml", "fiji", "label", "takes one value, not a list"),
        Problem("f.yaml", "fiji", "iso2", "takes one value, not a list"),
    ]
    assert data_of("countries", country(alt_labels="Fidji"))["alt_labels"] == ["Fidji"]
    assert data_of("countries", country(alt_labels=["A", "B"]))["alt_labels"] == ["A", "B"]


def test_a_list_of_one_value_that_fails_its_check_reports_each_bad_value():
    problems = problems_of("outputs", output(language=["en", "English", "x"]))
    assert [p[1] for p in problems] == ["language", "language"]


def test_a_single_evidence_quote_may_be_written_without_a_list():
    assert data_of("countries", country(evidence="some words"))["evidence"] == [
        {
            "quote": "some words",
            "report": None,
            "section": None,
            "note": None,
            "supports": None,
            "unnamed": None,
        }
    ]


def output(**changes):
    record = {"id": "guide", "label": "Guide", "kind": "guideline", "evidence": [QUOTE], **changes}
    return {k: v for k, v in record.items() if v is not None}


# -- nested records ------------------------------------------------------------------


def test_nested_records_are_parsed_with_ids_made_from_the_parent_and_their_place():
    person = {
        "id": "ann",
        "name": "Ann Lee",
        "evidence": [QUOTE],
        "posts": [
            {"organization": "itu", "title": "Director", "evidence": [QUOTE]},
            {"organization": "unicef", "evidence": [QUOTE]},
        ],
    }
    (record,), problems = parse_one("people", person)
    assert problems == []
    posts = record.nested["posts"]
    assert [p.id for p in posts] == ["ann/posts[0]", "ann/posts[1]"]
    assert [p.type.key for p in posts] == ["posts", "posts"]
    assert posts[0].data["title"] == "Director"
    assert "posts" not in record.data
    assert record.data["evidence"][0]["quote"] == "some words"  # fields after the nested one


def test_a_nested_field_must_be_a_list_and_a_bad_child_is_named_by_its_path():
    person = {"id": "ann", "name": "Ann", "evidence": [QUOTE], "posts": {"organization": "itu"}}
    _, problems = parse_one("people", person)
    assert problems == [Problem("f.yaml", "ann", "posts", "must be a list")]
    person["evidence"] = []  # a problem after the bad list is still found
    assert [p.field for p in parse_one("people", person)[1]] == ["posts", "evidence"]
    person["evidence"] = [QUOTE]
    person["posts"] = [{"title": "Director", "evidence": [QUOTE]}, "itu"]
    _, problems = parse_one("people", person)
    assert problems == [
        Problem("f.yaml", "ann/posts[0]", "organization", "required field is missing"),
        Problem("f.yaml", "ann", "", "a record must be a mapping"),
    ]


# -- values by kind ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (True, "must be text, got bool"),
        ({"a": 1}, "must be text, got dict"),
        ("   ", "must not be empty"),
    ],
)
def test_text_fields_refuse_what_is_not_text(value, message):
    assert only_problem("countries", country(appears_as=value)) == ("fiji", "appears_as", message)


def test_text_fields_are_trimmed_and_numbers_read_as_text():
    assert data_of("countries", country(label="  Fiji  "))["label"] == "Fiji"
    assert data_of("countries", country(iso2=42))["iso2"] == "42"
    assert data_of("countries", country(iso2=4.5))["iso2"] == "4.5"


@pytest.mark.parametrize("tag", ["en", "msr", "zh-Hant", "sr-Latn-RS"])
def test_language_fields_take_bcp47_tags(tag):
    assert data_of("outputs", output(language=[tag]))["language"] == [tag]


@pytest.mark.parametrize("tag", ["English", "e", "en_US", "engl", "en-"])
def test_language_fields_refuse_what_is_no_bcp47_tag(tag):
    (_, field, message) = only_problem("outputs", output(language=[tag]))
    assert field == "language"
    assert message == f"must be a BCP 47 language tag (mn, th, id, en ...), got {tag!r}"


def figure(**changes):
    record = {
        "id": "f",
        "description": "d",
        "unit": "people",
        "wording": "w",
        "evidence": [QUOTE],
        **changes,
    }
    return {k: v for k, v in record.items() if v is not None}


@pytest.mark.parametrize("year", [1000, 2023, 9999])
def test_a_year_is_four_digits(year):
    assert data_of("figures", figure(year=year))["year"] == year


@pytest.mark.parametrize(
    "year, message",
    [
        (999, "must be a year of four digits (1000 to 9999), got 999"),
        (10000, "must be a year of four digits (1000 to 9999), got 10000"),
        (True, "must be a whole number, got True"),
        (2023.0, "must be a whole number, got 2023.0"),
        ("2023", "must be a whole number, got '2023'"),
    ],
)
def test_a_year_refuses_what_is_not_a_four_digit_whole_number(year, message):
    assert only_problem("figures", figure(year=year)) == ("f", "year", message)


@pytest.mark.parametrize("value", [0, 3, 2.5, -1])
def test_numbers_take_ints_and_floats(value):
    assert data_of("figures", figure(value=value))["value"] == value


@pytest.mark.parametrize(
    "value, message",
    [
        (True, "must be a number, got True"),
        ("5", "must be a number, got '5'"),
        (float("nan"), "must be a finite number, got nan"),
        (float("inf"), "must be a finite number, got inf"),
    ],
)
def test_numbers_refuse_text_booleans_nan_and_infinity(value, message):
    assert only_problem("figures", figure(value=value)) == ("f", "value", message)


@pytest.mark.parametrize("value", ["yes", 1, 0, "true"])
def test_booleans_are_true_or_false_only(value):
    assert only_problem("countries", country(beneficiary=value)) == (
        "fiji",
        "beneficiary",
        f"must be true or false, got {value!r}",
    )


def test_false_is_a_value_not_a_missing_field():
    assert data_of("countries", country(beneficiary=False))["beneficiary"] is False


def test_each_kind_of_field_converts_and_an_unknown_kind_is_a_schema_bug():
    from copgraph.records import Field, _convert

    with pytest.raises(AssertionError, match="'colour' is not handled"):
        _convert(Field("x", "colour"), "red")
    assert _convert(Field("x", "integer"), 7) == 7
    assert _convert(Field("n", "integer"), 10000) == 10000  # only a year has four digits


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2023", "2022-04", "2023-06-14", " 2023-06-14 "])
def test_dates_may_be_partial(text):
    assert parse_date(text) == text.strip()


def test_a_date_object_is_written_in_iso_8601():
    assert parse_date(dt.date(2023, 6, 4)) == "2023-06-04"


@pytest.mark.parametrize("value", ["2023-6-14", "14 June 2023", "23", True, 2023.5])
def test_a_date_must_be_written_yyyy_mm_dd(value):
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert str(caught.value) == (
        f"must be an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), got {value!r}"
    )


def test_a_date_and_time_is_no_date():
    with pytest.raises(ValueError, match="must be an ISO 8601 date"):
        parse_date(dt.datetime(2023, 6, 4, 9, 0))


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "2023-00-10"])
def test_a_date_must_exist_in_the_calendar(text):
    with pytest.raises(ValueError, match=f"is not a real date: '{text}'"):
        parse_date(text)


def test_a_date_time_needs_its_time_zone():
    assert parse_datetime("2023-12-07T09:00:00+07:00") == "2023-12-07T09:00:00+07:00"
    assert parse_datetime("2023-12-07T09:00Z") == "2023-12-07T09:00Z"
    with pytest.raises(ValueError) as caught:
        parse_datetime("2023-12-07T09:00:00")
    assert str(caught.value) == (
        "must be an ISO 8601 date-time with time zone (2023-12-07T09:00:00+07:00), "
        "got '2023-12-07T09:00:00'"
    )
    with pytest.raises(ValueError, match="is not a real date-time: '2023-12-07T25:00:00Z'"):
        parse_datetime("2023-12-07T25:00:00Z")


def test_a_date_time_object_needs_its_time_zone():
    seven = dt.timezone(dt.timedelta(hours=7))
    assert parse_datetime(dt.datetime(2023, 12, 7, 9, tzinfo=seven)) == "2023-12-07T09:00:00+07:00"
    with pytest.raises(ValueError, match="needs a time zone, got '2023-12-07T09:00:00'"):
        parse_datetime(dt.datetime(2023, 12, 7, 9))


def event(**changes):
    record = {"id": "w", "label": "W", "kind": "workshop", "evidence": [QUOTE], **changes}
    return {k: v for k, v in record.items() if v is not None}


def test_dates_and_date_times_in_records_are_checked():
    assert data_of("events", event(date="2023-12-07"))["date"] == "2023-12-07"
    assert only_problem("events", event(date="07/12/2023"))[1] == "date"
    session = {
        "id": "s",
        "number": "1",
        "title": "T",
        "event": "w",
        "start": "2023-12-07T09:00",
        "evidence": [QUOTE],
    }
    assert only_problem("sessions", session)[1] == "start"


# -- order of paired fields -------------------------------------------------------------


def test_an_end_before_its_start_is_named_on_the_end():
    _, problems = parse_one("events", event(date="2023-12-08", end="2023-12-07"))
    message = "'end' (2023-12-07) is before 'date' (2023-12-08)"
    assert problems == [Problem("f.yaml", "w", "end", message)]


def test_a_value_of_the_wrong_kind_is_named_by_file_record_and_field():
    _, problems = parse_one("events", event(online="yes"))
    assert problems == [Problem("f.yaml", "w", "online", "must be true or false, got 'yes'")]


def test_partial_dates_compare_on_what_both_give():
    assert check_order({"date": "2023-05", "end": "2023"}) == []
    assert check_order({"date": "2023", "end": "2023-05"}) == []
    assert check_order({"date": "2023-05-02", "end": "2023-05"}) == []
    assert check_order({"date": "2023-06", "end": "2023-05-30"}) == [
        ("end", "'end' (2023-05-30) is before 'date' (2023-06)")
    ]
    assert check_order({"date": "2023-05-01", "end": "2023-05-01"}) == []
    assert check_order({"start": "2023-12-07T09:00Z", "end": "2023-12-07T16:00+07:00"}) == []


def test_date_times_compare_as_instants_across_time_zones():
    # 09:00 in Bangkok is 02:00 UTC: before 03:00 UTC, although the text sorts after it
    assert check_order({"start": "2023-12-07T09:00+07:00", "end": "2023-12-07T03:00Z"}) == []
    assert check_order({"start": "2023-12-07T09:00+07:00", "end": "2023-12-07T01:00Z"}) == [
        ("end", "'end' (2023-12-07T01:00Z) is before 'start' (2023-12-07T09:00+07:00)")
    ]


def test_min_above_max_and_every_pair_are_checked():
    assert check_order({"min": 5, "max": 4}) == [("max", "'max' (4) is before 'min' (5)")]
    assert check_order({"min": 4, "max": 4}) == []
    assert check_order({"date": "2023", "end_date": "2022"}) == [
        ("end_date", "'end_date' (2022) is before 'date' (2023)")
    ]
    assert check_order({"start": "2024", "end": "2023", "min": 2, "max": 1}) == [
        ("end", "'end' (2023) is before 'start' (2024)"),
        ("max", "'max' (1) is before 'min' (2)"),
    ]
    assert check_order({"start": "2024"}) == []


# -- evidence ---------------------------------------------------------------------------


def evidence_of(item):
    return data_of("countries", country(evidence=[item]))["evidence"][0]


def evidence_problem(item) -> str:
    record, field, message = only_problem("countries", country(evidence=[item]))
    assert (record, field) == ("fiji", "evidence")
    return message


def test_an_evidence_item_keeps_quote_section_note_supports_and_unnamed():
    item = evidence_of(
        {"quote": "q", "section": 4.2, "note": "n", "supports": ["iso2"], "unnamed": "why"}
    )
    assert item == {
        "quote": "q",
        "report": None,
        "section": "4.2",
        "note": "n",
        "supports": (("iso2", None),),
        "unnamed": "why",
    }


@pytest.mark.parametrize(
    "item, message",
    [
        (["q"], "each evidence item must be a mapping with 'quote' (and 'section')"),
        (
            {"quote": "q", "page": 3},
            "unknown evidence key(s) ['page']; use quote, section, supports, unnamed, note, report",
        ),
        ({"quote": "  "}, "each evidence item needs a non-empty 'quote'"),
        ({"section": "4"}, "each evidence item needs a non-empty 'quote'"),
        ({"quote": 5}, "each evidence item needs a non-empty 'quote'"),
        (
            {"quote": "q", "unnamed": " "},
            "'unnamed' says, in words, why the quote need not name the fact's sides",
        ),
        (
            {"quote": "q", "unnamed": 3},
            "'unnamed' says, in words, why the quote need not name the fact's sides",
        ),
        ({"quote": "q", "note": 3}, "an evidence note must be text, got int"),
        ({"quote": "q", "supports": []}, "'supports' lists at least one field (or drop it)"),
        ({"quote": "q", "supports": [{"a": 1, "b": 2}]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [{"a": [1]}]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [{"a": {"b": 1}}]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [{"a": None}]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [{1: "x"}]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [" "]}, "must be FIELD or FIELD: VALUE"),
        ({"quote": "q", "supports": [3]}, "must be FIELD or FIELD: VALUE"),
    ],
)
def test_a_bad_evidence_item_is_named_with_what_to_write(item, message):
    text = evidence_problem(item)
    assert text == message if not message.startswith("must be FIELD") else text.endswith(message)


def test_supports_read_fields_and_field_values_as_text():
    item = evidence_of(
        {"quote": "q", "supports": [" iso2 ", {"beneficiary": True}, {"x": 12}, {"y": False}]}
    )
    assert item["supports"] == (
        ("iso2", None),
        ("beneficiary", "true"),
        ("x", "12"),
        ("y", "false"),
    )
    assert evidence_of({"quote": "q", "supports": "iso2"})["supports"] == (("iso2", None),)
    assert evidence_of({"quote": "q", "supports": {"label": " Fiji "}})["supports"] == (
        ("label", "Fiji"),
    )


# -- quantities ---------------------------------------------------------------------------


def quantity_problem(value) -> str:
    record, field, message = only_problem("events", event(participants=value))
    assert (record, field) == ("w", "participants")
    return message


def test_a_quantity_keeps_its_numbers_wording_and_quotes():
    value = {"wording": "over 100", "min": 100, "unit": "people", "evidence": ["over 100 took"]}
    parsed = data_of("events", event(participants=value))["participants"]
    assert parsed["wording"] == "over 100" and parsed["min"] == 100
    assert parsed["evidence"][0]["quote"] == "over 100 took"
    assert (
        data_of("events", event(participants={"wording": "w", "value": 0}))["participants"][
            "evidence"
        ]
        == []
    )


@pytest.mark.parametrize(
    "value, message",
    [
        (100, "must be a mapping with 'wording' and 'value' or 'min'/'max'"),
        (
            {"wording": "w", "count": 3},
            "unknown key(s) ['count']; "
            "use ['evidence', 'max', 'min', 'note', 'unit', 'value', 'wording']",
        ),
        ({"value": 3}, "needs 'wording': the report's exact words for the number"),
        ({"wording": 3, "value": 3}, "needs 'wording': the report's exact words for the number"),
        ({"wording": "w", "unit": 3}, "'unit' must be text, got int"),
        ({"wording": "w", "note": ["n"]}, "'note' must be text, got list"),
        ({"wording": "w", "value": "3"}, "'value' must be a number, got '3'"),
        ({"wording": "w", "min": float("nan")}, "'min' must be a finite number, got nan"),
        ({"wording": "w", "max": -1}, "'max' is a count and cannot be negative, got -1"),
        ({"wording": "w", "value": -0.5}, "'value' is a count and cannot be negative, got -0.5"),
        ({"wording": "w", "min": 5, "max": 4}, "'min' (5) is above 'max' (4)"),
        ({"wording": "w", "evidence": "q"}, "'evidence' must be a list of quotes"),
        (
            {"wording": "w", "evidence": [{"quote": ""}]},
            "each evidence item needs a non-empty 'quote'",
        ),
    ],
)
def test_a_bad_quantity_is_named_with_what_to_write(value, message):
    assert quantity_problem(value) == message


def test_a_quantity_may_be_zero_and_min_may_equal_max():
    data_of("events", event(participants={"wording": "w", "min": 0, "max": 0}))


# -- reading files -----------------------------------------------------------------------


def test_curated_files_are_the_yaml_and_yml_files_sorted_by_name(tmp_path):
    for name in ("b.yaml", "a.yml", "c.txt", "d.yaml.bak"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in curated_files(tmp_path)] == ["a.yml", "b.yaml"]


def test_a_folder_without_yaml_is_a_problem(tmp_path):
    documents, problems = read_curated(tmp_path)
    assert documents == {}
    assert problems == [Problem(str(tmp_path), "", "", "no *.yaml files to build from")]


def test_yaml_dates_stay_text_so_the_schema_checks_them(tmp_path):
    (tmp_path / "e.yaml").write_text("events:\n  - date: 2023-12-07\n", encoding="utf-8")
    documents, problems = read_curated(tmp_path)
    assert problems == []
    assert documents[str(tmp_path / "e.yaml")] == {"events": [{"date": "2023-12-07"}]}


def test_an_empty_yaml_file_holds_no_records(tmp_path):
    (tmp_path / "e.yaml").write_text("# nothing yet\n", encoding="utf-8")
    documents, problems = read_curated(tmp_path)
    assert (documents, problems) == ({str(tmp_path / "e.yaml"): {}}, [])


def test_a_folder_named_like_yaml_is_named(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    _, problems = read_curated(tmp_path)
    message = "is a folder, not a YAML file: rename or move it"
    assert problems == [Problem(str(tmp_path / "x.yaml"), "", "", message)]


def test_a_file_that_cannot_be_read_is_named_with_the_reason(tmp_path):
    (tmp_path / "x.yaml").symlink_to(tmp_path / "gone.yaml")
    _, problems = read_curated(tmp_path)
    message = "cannot be read: No such file or directory"
    assert problems == [Problem(str(tmp_path / "x.yaml"), "", "", message)]


def test_text_that_is_not_utf8_is_named_with_its_byte_and_line(tmp_path):
    (tmp_path / "x.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    _, problems = read_curated(tmp_path)
    assert [(p.file, p.message) for p in problems] == [
        (str(tmp_path / "x.yaml"), "is not UTF-8 text (byte 0xe9 at line 2): save it as UTF-8")
    ]


def test_broken_yaml_names_where_the_construct_began_and_where_it_broke(tmp_path):
    (tmp_path / "x.yaml").write_text('a: 1\nb: "open\n\nc: [\n', encoding="utf-8")
    _, problems = read_curated(tmp_path)
    (problem,) = problems
    assert problem.message.startswith("not valid YAML at line 2, column 4: while scanning")
    assert problem.message.endswith("(noticed at line 5)")
    assert "\n" not in problem.message  # one line, without PyYAML's own marks


def test_broken_yaml_on_one_line_names_that_line(tmp_path):
    (tmp_path / "x.yaml").write_text("a: 1\nb: c: d\n", encoding="utf-8")
    _, problems = read_curated(tmp_path)
    (problem,) = problems
    assert (problem.file, problem.record, problem.field) == (str(tmp_path / "x.yaml"), "", "")
    # libyaml says "in this context", PyYAML "here"
    assert problem.message.startswith(
        "not valid YAML at line 2, column 5: mapping values are not allowed "
    )
    assert "noticed" not in problem.message


def test_a_yaml_error_without_a_place_still_says_what_broke():
    import yaml

    from copgraph.records import _yaml_message

    assert _yaml_message(yaml.YAMLError("boom")) == "not valid YAML: boom"
    error = yaml.MarkedYAMLError(problem="bad", problem_mark=None)
    assert _yaml_message(error) == "not valid YAML: bad"


def test_yaml_aliases_that_expand_past_the_limit_are_refused(tmp_path):
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        layers.append(f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]")
    (tmp_path / "x.yaml").write_text("\n".join(layers) + "\n", encoding="utf-8")
    _, problems = read_curated(tmp_path)
    assert problems == [
        Problem(
            str(tmp_path / "x.yaml"),
            "",
            "",
            f"holds more than {MAX_VALUES} values once its YAML aliases (*name) are expanded: "
            "write the values out instead of nesting aliases",
        )
    ]


def test_a_file_of_exactly_the_limit_of_values_is_read(tmp_path):
    # a list of MAX_VALUES - 1 items is MAX_VALUES values with the list itself
    (tmp_path / "x.yaml").write_text("[" + "0," * (MAX_VALUES - 1) + "]", encoding="utf-8")
    _, problems = read_curated(tmp_path)
    assert problems == []
    (tmp_path / "x.yaml").write_text("[" + "0," * MAX_VALUES + "]", encoding="utf-8")
    _, problems = read_curated(tmp_path)
    assert [p.message.split(" once")[0] for p in problems] == [
        f"holds more than {MAX_VALUES} values"
    ]


def test_expanded_size_counts_keys_values_and_containers_and_stops_past_the_limit():
    assert expanded_size({"a": [1, 2]}) == 5  # the dict, "a", the list, 1, 2
    assert expanded_size("x") == 1
    shared = list(range(100))
    assert expanded_size([shared] * 100, limit=50) == 51


def test_load_records_gives_records_with_the_problems_of_reading_and_parsing(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "countries:\n  - id: fiji\n    label: Fiji\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text("a: [\n", encoding="utf-8")
    records, problems = load_records(tmp_path)
    assert [r.id for r in records] == ["fiji"]
    assert [(p.file.rsplit("/", 1)[-1], p.field) for p in problems] == [
        ("b.yaml", ""),
        ("a.yaml", "iso2"),
        ("a.yaml", "iso3"),
        ("a.yaml", "beneficiary"),
        ("a.yaml", "evidence"),
    ]


# -- messages -----------------------------------------------------------------------------


def test_a_problem_reads_file_record_field_message():
    assert str(Problem("/nowhere/f.yaml", "fiji", "iso2", "bad")) == (
        "/nowhere/f.yaml: record 'fiji', field 'iso2': bad"
    )
    assert str(Problem("/nowhere/f.yaml", "", "", "bad")) == "/nowhere/f.yaml: file: bad"


def test_a_long_problem_message_is_cut_at_500_characters():
    assert str(Problem("/f", "r", "", "x" * 500)) == "/f: record 'r': " + "x" * 500
    assert str(Problem("/f", "r", "", "x" * 501)) == "/f: record 'r': " + "x" * 497 + "..."


def test_paths_below_the_working_folder_are_shown_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _relative(str(tmp_path / "data" / "f.yaml")) == "data/f.yaml"
    assert _relative("/elsewhere/f.yaml") == "/elsewhere/f.yaml"


def test_suggest_offers_up_to_three_close_names_or_nothing():
    assert suggest("labl", ["label", "kind"]) == "; did you mean 'label'?"
    assert suggest("zzz", ["label", "kind"]) == ""
    assert suggest("abcd", ["abce", "abcf", "abcg", "abch"]) == (
        "; did you mean 'abch' or 'abcg' or 'abcf'?"
    )


def test_brief_cuts_long_values_to_the_limit():
    assert brief("x" * 10) == repr("x" * 10)
    shown = brief(list(range(1000)), limit=20)
    assert len(shown) == 20 and shown.endswith("...")
    assert brief("x" * 18, limit=20) == repr("x" * 18)  # 20 characters with its quotes
    assert brief("x" * 19, limit=20) == "'" + "x" * 16 + "..."
    assert len(brief("x" * 100)) == 50  # reprlib cuts long text first
    assert brief(["x" * 26, "y" * 26]) == repr(["x" * 26, "y" * 26])  # 60 characters
    assert brief(["x" * 26, "y" * 27]) == repr(["x" * 26, "y" * 27])[:57] + "..."


def test_the_schema_marks_names_and_labels_as_not_facts_and_relations_as_facts():
    countries = TYPES["countries"]
    assert countries.field("label").fact is False
    assert countries.field("beneficiary").fact is True
    assert countries.field("id").required and not countries.field("id").fact
    assert countries.field("evidence").required
    assert not countries.field("note").required
    assert TYPES["statements"].field("evidence").required is False
    assert TYPES["posts"].field("id") is None
