"""Many reports, one graph: report folders, shared entities, report-scoped evidence, the
``report`` filter, discrepancies across reports, and the real graph unchanged by the move.

The second report is synthetic (tests/fixtures/reports/pacific-2024/): a short text whose
curated records reuse the real report's organizations (itu, unicef, ecpat-international)
and refer to its project; tests/fixtures/shared/cross-report.yaml records a fact the two
reports state differently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF

from copgraph.build import BuildError, Paths, assemble, ensure_built, load_ontology, to_ntriples
from copgraph.build.paths import report_inputs
from copgraph.build.pipeline import convert_report, load_shared
from copgraph.cli import main
from copgraph.kg import open_graph
from copgraph.namespaces import CG, ID

from .baseline import FIXTURE, content
from .conftest import REPORT_ID, ROOT, curated_of, new_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECOND = "pacific-2024"
SECOND_DIR = FIXTURES / "reports" / SECOND


def add_second_report(root: Path, discrepancy: bool = True) -> Path:
    shutil.copytree(SECOND_DIR, root / "data" / "reports" / SECOND)
    if discrepancy:
        shutil.copy2(FIXTURES / "shared" / "cross-report.yaml", root / "data" / "shared")
    return root


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    """The real report and the synthetic one, built into one graph."""
    root = add_second_report(new_project(tmp_path_factory.mktemp("two"), keep_curated=True))
    ensure_built(Paths(root=root))
    return root


@pytest.fixture(scope="module")
def kg2(two_reports):
    return open_graph("oxigraph", paths=Paths(root=two_reports))


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


# -- the real report, moved: the same graph ------------------------------------------------


def test_the_real_graph_says_what_it_said_before_the_move(kg_oxigraph, graph):
    """Counts per class and every named query's answer (README examples) as recorded from
    the build before the report moved to data/reports/ (tests/baseline.py refreshes it)."""
    recorded = json.loads(FIXTURE.read_text(encoding="utf-8"))
    columns = {name: answer["columns"] for name, answer in recorded["queries"].items()}
    now = content(kg_oxigraph, graph, columns)
    refresh = "if the data changed on purpose, run `python -m tests.baseline` and review the diff"
    assert now["classes"] == recorded["classes"], refresh
    assert set(now["queries"]) >= set(recorded["queries"]), "a named query disappeared"
    changed = [n for n, a in recorded["queries"].items() if now["queries"][n] != a]
    assert not changed, f"answers changed: {changed}; {refresh}"


# -- two reports, one graph -----------------------------------------------------------------


def test_two_reports_share_one_node_per_organization(kg2):
    rows = kg2.sparql(
        """SELECT ?org (COUNT(DISTINCT ?label) AS ?labels)
                  (GROUP_CONCAT(DISTINCT STR(?document); separator=" ") AS ?documents)
        WHERE {
          VALUES ?org { id:itu id:unicef id:ecpat-international }
          ?org rdfs:label ?label .
          ?fact a cg:Fact ; rdf:subject|rdf:object ?org ; cg:evidence/cg:inDocument ?document .
        } GROUP BY ?org ORDER BY ?org"""
    )
    assert rows.org.tolist() == ["id:ecpat-international", "id:itu", "id:unicef"]
    assert rows.labels.tolist() == [1, 1, 1]
    for documents in rows.documents:  # facts about each one node, quoted in both reports
        assert sorted(documents.split()) == [
            str(ID[f"report-{REPORT_ID}"]),
            str(ID[f"report-{SECOND}"]),
        ]


def test_every_quote_names_its_report_and_its_iri_holds_the_report_id(kg2):
    rows = kg2.sparql(
        """SELECT ?e (COUNT(?document) AS ?n) (SAMPLE(?document) AS ?doc) WHERE {
          ?e a cg:Evidence . OPTIONAL { ?e cg:inDocument ?document }
        } GROUP BY ?e""",
        full_iris=True,
    )
    assert set(rows.n) == {1}
    for evidence, document in zip(rows.e, rows.doc, strict=True):
        report = document.rsplit("/report-", 1)[1]
        assert evidence.startswith(str(ID[f"evidence/{report}/"])), evidence
    second = rows[rows.doc == str(ID[f"report-{SECOND}"])]
    assert len(second) == 6  # the synthetic report's six quotes


def test_the_same_place_in_two_reports_gives_two_quote_nodes(tmp_path):
    """Evidence IRIs hash the quote's place in its report: two reports with the same text
    (a reissue) must still give two nodes, each naming its own report."""
    root = new_project(tmp_path / "p")
    twin = root / "data" / "reports" / "cop-ap-2023-reissue"
    shutil.copytree(root / "data" / "reports" / REPORT_ID, twin)
    manifest = twin / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("id: report-cop-ap-2023", "id: report-cop-ap-2023-reissue"))
    country = """countries:
  - id: fiji
    label: Fiji
    iso2: FJ
    iso3: FJI
    beneficiary: false
    evidence:
      - quote: shared some online practices among children and youth in Fiji
"""
    (curated_of(root) / "countries.yaml").write_text(country, encoding="utf-8")
    (twin / "curated" / "more.yaml").write_text(
        country.replace("id: fiji", "id: fiji-again"), encoding="utf-8"
    )
    graph = assemble(Paths(root=root)).graph
    quotes = sorted(graph.subjects(RDF.type, CG.Evidence))
    assert len(quotes) == 2
    assert sorted(str(graph.value(q, CG.inDocument)) for q in quotes) == [
        str(ID["report-cop-ap-2023"]),
        str(ID["report-cop-ap-2023-reissue"]),
    ]


def test_a_report_refers_to_another_reports_record(kg2):
    """The synthetic workshop continued the real report's project: a cross-report reference."""
    assert kg2.sparql(
        "ASK { id:pacific-follow-up-workshop-2024 cg:programme id:cop-asia-pacific-project }"
    )


def test_a_discrepancy_across_reports_gives_each_variant_its_report_and_quote(kg2):
    rows = kg2.query("discrepancies")
    rows = rows[rows.discrepancy == "id:cop-asia-pacific-project-start"]
    assert rows.value.tolist() == ["2019-06", "2020"]
    assert rows.reports.tolist() == [[REPORT_ID], [SECOND]]
    assert "in June 2019" in rows.quotes.iloc[0][0]
    assert "started in 2020" in rows.quotes.iloc[1][0]


# -- the report filter -----------------------------------------------------------------------


def test_the_report_filter_keeps_a_querys_answers_to_one_report(kg2):
    second = kg2.for_report(SECOND)
    assert second.query("partnerships").partnership.tolist() == ["id:itu-ecpat-pacific-training"]
    partners = second.query("partners-of", org="itu")
    assert partners.partner.tolist() == ["id:ecpat-international"]
    assert partners.quote.tolist() == [
        "ITU and ECPAT International agreed to collaborate on training for law enforcement "
        "in the Pacific."
    ]
    everything = kg2.query("partnerships").partnership.tolist()
    first = kg2.for_report(REPORT_ID).query("partnerships").partnership.tolist()
    assert sorted(first) == sorted(p for p in everything if p != "id:itu-ecpat-pacific-training")


def test_the_real_report_filtered_out_of_two_is_the_real_report_alone(kg2, kg_oxigraph):
    """Every named query on the real report's part of the two-report graph answers as on
    the real graph built alone, but for the discrepancy the two reports share."""
    alone = content(kg_oxigraph, whole_graph(kg_oxigraph))
    filtered = kg2.for_report(REPORT_ID)
    part = content(filtered, whole_graph(filtered))
    differ = [n for n in alone["queries"] if alone["queries"][n] != part["queries"][n]]
    assert differ == ["discrepancies"]
    classes = {c: n for c, n in alone["classes"].items() if part["classes"][c] != n}
    # one more discrepancy, variant, fact and quote: the cross-report discrepancy's own
    assert classes == {
        "Discrepancy": [33, 0],
        "Evidence": [766, 0],
        "Fact": [2145, 2145],
        "Variant": [72, 72],
    }
    assert part["classes"]["Discrepancy"] == [34, 0]
    assert part["classes"]["Variant"] == [73, 73]


def whole_graph(kg):
    return kg.store.graph("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_stats_count_quotes_per_section_of_each_report(kg2):
    from copgraph.stats import section_counts

    frame = section_counts(whole_graph(kg2))
    second = frame[frame.report == SECOND]
    assert second.section.tolist() == ["1", "2", "3", "4"]
    assert second.quotes.tolist() == [1, 3, 1, 1]
    assert set(frame.report) == {REPORT_ID, SECOND}


def test_the_report_filter_on_the_network(kg2):
    from copgraph import network

    second = network.partnership_graph(network.load(kg2.for_report(SECOND)))
    assert sorted(second.nodes) == ["ecpat-international", "itu", "unicef"]
    assert sorted(tuple(sorted(e)) for e in second.edges) == [
        ("ecpat-international", "itu"),
        ("itu", "unicef"),
    ]
    both = network.partnership_graph(network.load(kg2))
    assert set(second.nodes) < set(both.nodes)


def test_the_cli_takes_the_report_filter(two_reports):
    root = str(two_reports)
    result = cli("query", "partnerships", "--report", SECOND, "--root", root, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "id:itu-ecpat-pacific-training,collaboration,id:ecpat-international; id:itu,"
        "Training for law enforcement in the Pacific,"
    ]
    result = cli("network", "summary", "--report", SECOND, "--root", root, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "organizations,3" in result.output


def test_an_unknown_report_is_one_clear_line_and_exit_2(two_reports):
    result = cli("query", "partnerships", "--report", "pacific-2042", "--root", str(two_reports))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: no report 'pacific-2042' in the graph; did you mean 'pacific-2024'? "
        f"(reports: {REPORT_ID}, {SECOND})"
    ]


def test_two_reports_pass_every_check_and_coverage_is_per_report(two_reports):
    result = cli("validate", "--root", str(two_reports))
    assert result.exit_code == 0, result.output
    result = cli("coverage", "--root", str(two_reports), "--report", SECOND, "--strict")
    assert result.exit_code == 0, result.output
    sections = result.output.split("people mentioned")[0]
    assert "Partnerships" in sections and "Opening" not in sections
    result = cli("coverage", "--root", str(two_reports), "--report", "nope")
    assert result.exit_code == 2
    assert result.output.strip() == f"error: no report 'nope' (reports: {REPORT_ID}, {SECOND})"


def test_copgraph_reports_lists_each_report_with_its_counts(two_reports):
    result = cli("reports", "--root", str(two_reports), "--format", "csv")
    assert result.exit_code == 0, result.output
    reports, counts = result.output.strip().split("\n\n")
    assert [line.split(",")[0] for line in reports.splitlines()[1:]] == [REPORT_ID, SECOND]
    rows = {line.split(",")[0]: line.split(",")[1:] for line in counts.splitlines()}
    assert rows["class"] == [REPORT_ID, SECOND, "graph"]
    assert rows["Person"] == ["34", "1", "35"]
    assert rows["Organization"] == ["82", "3", "82"]  # the shared ones count in both
    assert rows["Document"] == ["1", "1", "2"]


# -- the per-report unit -----------------------------------------------------------------------


def test_a_reports_triples_depend_on_its_folder_and_the_shared_entities_only(tmp_path):
    """What issue 17 caches: the same report converts to the same triples whether or not
    other reports are there."""
    alone = add_second_report(new_project(tmp_path / "alone", keep_curated=True), False)
    shutil.rmtree(alone / "data" / "reports" / REPORT_ID / "curated")
    (alone / "data" / "reports" / REPORT_ID / "curated").mkdir()
    both = add_second_report(new_project(tmp_path / "both", keep_curated=True), False)
    ontology = load_ontology(ROOT / "ontology")
    units = []
    for root in (alone, both):
        shared, problems = load_shared(root / "data" / "shared")
        assert problems == []
        units.append(convert_report(root / "data" / "reports" / SECOND, shared, ontology))
    assert units[0].problems == units[1].problems == []
    assert to_ntriples(units[0].graph) == to_ntriples(units[1].graph)
    # it leaves its reference to the real report's project for the check across reports
    assert [r.id for r in units[0].references] == ["cop-asia-pacific-project"]


def test_report_inputs_are_manifest_text_and_curated_files_not_drafts(tmp_path):
    report = shutil.copytree(SECOND_DIR, tmp_path / SECOND)
    (report / "draft").mkdir()
    (report / "draft" / "candidates.yaml").write_text("people: []\n", encoding="utf-8")
    names = [p.relative_to(report).as_posix() for p in report_inputs(report)]
    assert names == ["manifest.yaml", "report.txt", "curated/workshop.yaml"]


# -- mistakes, each one clear line ------------------------------------------------------------


def build_problems(root: Path) -> str:
    with pytest.raises(BuildError) as caught:
        assemble(Paths(root=root))
    return caught.value.report()


def test_a_reference_no_report_defines_is_named_after_the_check_across_reports(tmp_path):
    root = add_second_report(new_project(tmp_path / "p", keep_curated=True), False)
    workshop = root / "data" / "reports" / SECOND / "curated" / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    workshop.write_text(
        text.replace("programme: cop-asia-pacific-project", "programme: cop-asia-pacific-projct")
    )
    report = build_problems(root)
    assert "build failed: 1 problem(s)" in report
    assert (
        "workshop.yaml: record 'pacific-follow-up-workshop-2024', field 'programme': "
        "unknown id 'cop-asia-pacific-projct'; did you mean 'cop-asia-pacific-project'?"
    ) in report


def test_an_id_two_reports_define_is_refused(tmp_path):
    root = add_second_report(new_project(tmp_path / "p", keep_curated=True), False)
    again = root / "data" / "reports" / SECOND / "curated" / "again.yaml"
    again.write_text(  # the real report's programme's id, for a record of the second
        """partnerships:
  - id: cop-asia-pacific-project
    kind: collaboration
    organizations: [itu, ecpat-international]
    description: Training
    evidence:
      - quote: ITU and ECPAT International agreed to collaborate
        supports: [kind, organizations]
""",
        encoding="utf-8",
    )
    report = build_problems(root)
    # the second report's own reference to the project now finds its own partnership
    assert "build failed: 2 problem(s)" in report
    assert "again.yaml: record 'cop-asia-pacific-project', field 'id': duplicate id" in report
    assert "belongs in data/shared/" in report


def test_a_report_record_that_quotes_another_report_is_sent_to_shared(tmp_path):
    root = add_second_report(new_project(tmp_path / "p", keep_curated=True), False)
    workshop = root / "data" / "reports" / SECOND / "curated" / "workshop.yaml"
    text = workshop.read_text(encoding="utf-8")
    workshop.write_text(
        text.replace(
            "      - quote: The follow-up",
            "      - report: cop-ap-2023\n        quote: The follow-up",
        ),
        encoding="utf-8",
    )
    report = build_problems(root)
    assert (
        "record 'pacific-follow-up-workshop-2024', field 'evidence[0].report': quotes report "
        "'cop-ap-2023' from within report 'pacific-2024'"
    ) in report


def test_a_shared_quote_must_name_its_report(tmp_path):
    root = new_project(tmp_path / "p", keep_curated=True)
    places = root / "data" / "shared" / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace(
            "- report: cop-ap-2023\n        quote:", "- quote:", 1
        ),
        encoding="utf-8",
    )
    report = build_problems(root)
    assert (
        "places.yaml: record 'ulaanbaatar', field 'evidence[0].report': "
        "a shared record's quote names the report it is from" in report
    )


def test_a_manifest_whose_id_is_not_its_folders_is_refused(tmp_path):
    root = new_project(tmp_path / "p")
    manifest = root / "data" / "reports" / REPORT_ID / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("id: report-cop-ap-2023", "id: cop"),
        encoding="utf-8",
    )
    assert (
        "field 'id' is 'cop'; the report in folder cop-ap-2023/ has the id 'report-cop-ap-2023'"
        in build_problems(root)
    )


def test_two_reports_build_byte_identical_whatever_the_hash_seed(two_reports, tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run(
            [sys.executable, "-m", "copgraph", "build", "--root", str(two_reports), "-o", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=600,
        )
        files = sorted(p for p in out.rglob("*") if p.is_file())
        outputs.append({str(p.relative_to(out)): p.read_bytes() for p in files})
    assert outputs[0] == outputs[1]
