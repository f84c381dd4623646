"""The per-report cache serves a unit's triples only for the inputs they were made from."""

from __future__ import annotations

from copgraph.build import cache

LINES = [b'<https://w3id.org/copgraph/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n']


def test_a_unit_is_served_for_its_key_only(tmp_path):
    cache.save(tmp_path, "synth-0001", "key-1", LINES, {"ids": ["a"]})
    found = cache.load(tmp_path, "synth-0001", "key-1")
    assert found is not None
    assert found.ntriples.read_bytes() == b"".join(LINES)
    assert found.meta["ids"] == ["a"]
    assert cache.load(tmp_path, "synth-0001", "key-2") is None
    assert cache.load(tmp_path, "synth-0002", "key-1") is None


def test_a_truncated_or_edited_cache_file_is_not_served(tmp_path):
    found = cache.save(tmp_path, "r", "k", LINES, {})
    found.ntriples.write_bytes(LINES[0][:20])
    assert cache.load(tmp_path, "r", "k") is None


def test_the_key_changes_with_any_input_file_and_with_the_context(tmp_path):
    report = tmp_path / "report"
    (report / "curated").mkdir(parents=True)
    text, curated = report / "report.txt", report / "curated" / "people.yaml"
    text.write_text("1. Intro\nA said so.\n", encoding="utf-8")
    curated.write_text("people: []\n", encoding="utf-8")
    before = cache.files_digest([text, curated], report)
    assert cache.files_digest([text, curated], report) == before
    curated.write_text("people: [] \n", encoding="utf-8")
    edited = cache.files_digest([text, curated], report)
    assert edited != before
    # a file moved to another name is another input, even with the same bytes
    moved = report / "curated" / "persons.yaml"
    curated.rename(moved)
    assert cache.files_digest([text, moved], report) != edited
    assert cache.unit_key(before, "shared", "ontology") != cache.unit_key(before, "shared", "o2")
