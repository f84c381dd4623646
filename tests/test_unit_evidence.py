"""The quote locator on tiny texts: where a quote is (line, section, sentence), its exact
words and context, and the report file it comes from."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from copgraph.evidence import CONTEXT_CHARS, Report, SourceError, collapse, load_source

pytestmark = pytest.mark.timeout(30)

TEXT = (
    "Preface line\n"  # 1: before any heading
    "1. Introduction\n"  # 2
    "The quick\n"  # 3
    "\n"  # 4
    "   brown   fox jumps.\n"  # 5
    "2. Findings\n"  # 6
    "2.1 Details here\n"  # 7
    "brown fox again.\n"  # 8
)


def test_collapse_turns_every_run_of_white_space_into_one_space_and_trims():
    assert collapse("  a \n\n b\t\tc  ") == "a b c"
    assert collapse("\n\n") == ""


def test_a_quote_across_line_breaks_is_found_with_its_line_section_and_exact_offsets():
    report = Report(TEXT)
    (match,) = report.find("quick brown fox")
    assert report.collapsed[match.start : match.end] == "quick brown fox"
    assert match.line == 3  # the line the quote starts on
    assert (match.section, match.section_title) == ("1", "Introduction")


def test_a_quote_is_found_at_every_place_in_text_order_with_each_own_section():
    matches = Report(TEXT).find("brown fox")
    assert [(m.line, m.section, m.section_title) for m in matches] == [
        (5, "1", "Introduction"),
        (8, "2.1", "Details here"),
    ]


def test_overlapping_occurrences_are_all_found():
    assert [m.start for m in Report("aaa").find("aa")] == [0, 1]


def test_a_quote_before_any_heading_has_no_section():
    (match,) = Report(TEXT).find("Preface")
    assert (match.line, match.section, match.section_title) == (1, "", "")


def test_a_quote_on_a_heading_line_belongs_to_that_heading():
    (match,) = Report(TEXT).find("Findings")
    assert (match.line, match.section) == (6, "2")
    (match,) = Report(TEXT).find("Details")
    assert (match.line, match.section) == (7, "2.1")


def test_the_line_after_a_heading_is_in_that_section_and_the_line_before_is_not():
    report = Report(TEXT)
    assert report.section_at(5).number == "1"
    assert report.section_at(6).number == "2"
    assert report.section_at(1) is None


def test_an_empty_or_blank_quote_matches_nothing_and_a_missing_quote_gives_no_match():
    report = Report(TEXT)
    assert report.find("") == []
    assert report.find(" \n ") == []
    assert report.find("brown cat") == []


def test_prefix_and_suffix_are_the_thirty_characters_either_side_trimmed():
    text = "".join(chr(65 + i % 26) for i in range(40)) + "QUOTE" + "x" * 40
    (match,) = Report(text).find("QUOTE")
    assert CONTEXT_CHARS == 30
    assert match.prefix == text[match.start - 30 : match.start]
    assert match.suffix == text[match.end : match.end + 30]
    assert len(match.prefix) == len(match.suffix) == 30


def test_prefix_and_suffix_stop_at_the_ends_of_the_text_and_keep_the_space_next_to_the_quote():
    (match,) = Report("alpha beta gamma").find("beta")
    assert (match.prefix, match.suffix) == ("alpha ", " gamma")
    (match,) = Report("alpha").find("alpha")
    assert (match.prefix, match.suffix) == ("", "")


def test_prefix_is_cut_at_thirty_characters_then_trimmed_of_the_leading_space():
    # the character 30 before the quote is a space: the prefix starts after it
    text = "x" * 10 + " " + "y" * 29 + "QUOTE" + "z" * 29 + " " + "w" * 10
    (match,) = Report(text).find("QUOTE")
    assert match.prefix == "y" * 29
    assert match.suffix == "z" * 29


def test_line_of_counts_lines_from_one_and_a_newline_ends_its_line():
    report = Report("ab\ncd\n\nef")
    assert [report.line_of(i) for i in (0, 1, 2, 3, 5, 6, 7)] == [1, 1, 1, 2, 2, 3, 4]


def test_headings_are_numbered_lines_with_a_capitalised_title():
    text = (
        "1. Alpha\n"
        "2 Beta without a dot\n"
        "  2.1. Indented gamma\n"
        "2.1.1 Delta\n"
        "3. lower case is no heading\n"
        "2.2 Going back is fine when it is later\n"
        "1.5 But a number that goes backwards is not a heading\n"
        "2.2 Nor is the same number twice\n"
        "12. Two digits are page numbers, not headings\n"
        "3.Stuck to its number is no heading\n"
        "3. A later heading still counts after those that did not\n"
    )
    sections = Report(text).sections
    assert [(s.number, s.title, s.line) for s in sections] == [
        ("1", "Alpha", 1),
        ("2", "Beta without a dot", 2),
        ("2.1", "Indented gamma", 3),
        ("2.1.1", "Delta", 4),
        ("2.2", "Going back is fine when it is later", 6),
        ("3", "A later heading still counts after those that did not", 11),
    ]


def test_a_heading_line_is_counted_from_the_first_line_even_when_that_line_is_blank():
    (section,) = Report("\n1. Intro\n").sections
    assert section.line == 2
    (match,) = Report("\n1. Intro\n").find("Intro")
    assert match.line == 2


def test_sections_are_compared_as_numbers_not_text():
    text = "1. One\n1.9 Nine\n2. Two\n"
    assert [s.number for s in Report(text).sections] == ["1", "1.9", "2"]


def test_sentences_start_after_a_stop_before_a_capital_and_not_after_an_abbreviation():
    report = Report("First one. Second is here! Mr. Smith spoke. See e.g. Apps said so? 3 more.")
    starts = {w: report.sentence_at(report.collapsed.find(w)) for w in report.collapsed.split()}
    assert starts["First"] == starts["one."] == 1
    assert starts["Second"] == 2
    assert starts["Mr."] == starts["Smith"] == 3  # "Mr." does not end a sentence
    assert starts["See"] == starts["e.g."] == 4
    assert starts["Apps"] == 4  # nor does "e.g."
    assert starts["3"] == 5


def test_an_abbreviation_at_the_very_start_of_the_text_ends_no_sentence():
    report = Report("Dr. Smith spoke. Then left.")
    assert report.sentence_at(report.collapsed.find("Smith")) == 1
    assert report.sentence_at(report.collapsed.find("Then")) == 2


def test_a_single_capital_with_a_stop_is_an_initial_not_a_sentence_end():
    report = Report("Said by J. Smith. Then more.")
    assert report.sentence_at(report.collapsed.find("Smith")) == 1
    assert report.sentence_at(report.collapsed.find("Then")) == 2


def test_bullets_and_time_slots_start_sentences_without_a_stop():
    report = Report("Agenda items \uf0b7 first item • second 09:00-09:30 Opening talk")
    at = report.collapsed.find
    assert report.sentence_at(at("Agenda")) == 1
    assert report.sentence_at(at("\uf0b7")) == 2
    assert report.sentence_at(at("•")) == 3
    assert report.sentence_at(at("09:00")) == 4


def test_a_closing_quote_after_the_stop_stays_with_its_sentence():
    report = Report('He said "we will." Then left.')
    assert report.sentence_at(report.collapsed.find('will."')) == 1
    assert report.sentence_at(report.collapsed.find("Then")) == 2


def test_a_lower_case_word_after_a_stop_continues_the_sentence():
    report = Report("Version 2.0 of it. and more words")
    assert report.sentence_at(report.collapsed.find("and")) == 1


def test_each_match_carries_the_sentence_its_quote_starts_in():
    matches = Report("One here. Two here. Three here.").find("here.")
    assert [m.sentence for m in matches] == [1, 2, 3]


def test_contains_compares_collapsed_words_and_refuses_blank_words():
    report = Report(TEXT)
    assert report.contains("quick\n brown")
    assert not report.contains("quick red")
    assert not report.contains("   ")
    assert not report.contains("")


# -- the report file and its manifest ----------------------------------------------------

MANIFEST = {
    "file": "report.txt",
    "id": "report-x",
    "title": "A report",
    "publisher": "ITU",
    "date": "2023-12",
}


def write_source(folder, text="1. Intro\nWords.\n", **changes):
    folder.mkdir(exist_ok=True)
    (folder / "report.txt").write_text(text, encoding="utf-8")
    manifest = {**MANIFEST, "sha256": hashlib.sha256(text.encode()).hexdigest(), **changes}
    manifest = {k: v for k, v in manifest.items() if v is not None}
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return folder


def test_a_source_is_read_with_its_manifest_and_text(tmp_path):
    source = load_source(write_source(tmp_path / "x"))
    assert source.document_id == "report-x"
    assert source.path == tmp_path / "x" / "report.txt"
    assert source.manifest["title"] == "A report"
    assert source.report.text == "1. Intro\nWords.\n"
    assert [s.number for s in source.report.sections] == ["1"]


def test_a_missing_manifest_is_named(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(SourceError, match=r"manifest\.yaml: missing"):
        load_source(tmp_path / "x")


def test_a_manifest_that_is_not_yaml_is_named(tmp_path):
    folder = write_source(tmp_path / "x")
    (folder / "manifest.yaml").write_text("file: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"manifest\.yaml: not valid YAML"):
        load_source(folder)


@pytest.mark.parametrize("field", ["file", "sha256", "id", "title", "publisher", "date"])
def test_each_missing_manifest_field_is_named(tmp_path, field):
    folder = write_source(tmp_path / "x", **{field: None})
    with pytest.raises(SourceError, match=f"field '{field}' is missing"):
        load_source(folder)


def test_an_empty_manifest_names_its_first_missing_field(tmp_path):
    folder = write_source(tmp_path / "x")
    (folder / "manifest.yaml").write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="field 'file' is missing"):
        load_source(folder)


def test_a_missing_report_text_is_named(tmp_path):
    folder = write_source(tmp_path / "x")
    (folder / "report.txt").unlink()
    with pytest.raises(SourceError, match=r"report\.txt: the report text named by .* is missing"):
        load_source(folder)


def test_a_text_whose_hash_differs_from_the_manifest_is_refused_naming_both_hashes(tmp_path):
    folder = write_source(tmp_path / "x", sha256="0" * 64)
    actual = hashlib.sha256(b"1. Intro\nWords.\n").hexdigest()
    with pytest.raises(SourceError) as caught:
        load_source(folder)
    assert f"sha256 is {actual}" in str(caught.value)
    assert "records " + "0" * 64 in str(caught.value)
    assert str(caught.value).endswith(
        "the report text must stay byte-identical to the published copy"
    )
