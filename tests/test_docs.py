"""The README cannot drift: its generated parts equal what the code and the data give."""

from __future__ import annotations

from copgraph.catalog import load_catalog
from copgraph.docs import DATA_README, FALLBACK, README, field_reference, generated_parts, rewrite

from .conftest import run_cli


def test_the_readme_catalog_and_examples_are_current(kg_oxigraph):
    text = README.read_text(encoding="utf-8")
    assert rewrite(text, generated_parts(kg_oxigraph, FALLBACK)) == text, (
        "README.md differs from the code: run `make docs`"
    )


def test_the_data_readme_field_reference_is_current():
    text = DATA_README.read_text(encoding="utf-8")
    assert rewrite(text, {"fields": field_reference()}) == text, (
        "data/README.md differs from the schema or the mapping: run `make docs`"
    )


def test_a_field_mapped_to_another_predicate_changes_the_field_reference(monkeypatch):
    """The reference is generated from the mapping the build uses, not written beside it."""
    from copgraph.build import mapping
    from copgraph.namespaces import CG

    monkeypatch.setitem(mapping.PREDICATES, "acronym", CG.shortName)
    assert "| `acronym` | string |  |  |  | `cg:shortName` |" in field_reference()


def test_the_readme_table_names_every_query_and_its_columns():
    text = README.read_text(encoding="utf-8")
    for named in load_catalog().values():
        assert f"| `{named.name}` |" in text and ", ".join(named.columns) in text, named.name


def test_copgraph_queries_lists_every_column_and_its_explanation():
    result = run_cli("queries")
    assert result.returncode == 0, result.stderr
    blocks = {b.split()[0]: b for b in result.stdout.split("\n\n") if b.strip()}
    text = result.stdout
    for named in load_catalog().values():
        assert f"columns: {', '.join(named.columns)}" in text, named.name
        for column, doc in named.explained.items():
            assert f"{column}: {doc}" in text, (named.name, column)
    assert blocks  # the listing is not empty


def test_every_command_s_help_has_an_example():
    for command in ("build", "stats", "validate", "coverage", "load", "query", "queries", "sparql"):
        result = run_cli(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "copgraph " + command in result.stdout.split("Example", 1)[-1], command
