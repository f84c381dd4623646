"""The incremental build: reports whose inputs did not change are reused, not rebuilt, and
the graph it writes is the one a build from scratch writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from copgraph.build import BuildError, Paths, build_graph, build_incremental, write_outputs

from .conftest import REPORT_ID, new_project
from .test_reports import SECOND, add_second_report

OUTPUTS = ("copgraph.nt", "copgraph.ttl", "copgraph.jsonld")


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return add_second_report(new_project(tmp_path_factory.mktemp("inc"), keep_curated=True))


def test_unchanged_reports_are_reused_and_a_changed_one_alone_rebuilt(root, tmp_path):
    paths, out = Paths(root=root), tmp_path / "build"
    first = build_incremental(paths, out, "d1")
    assert sorted(first.rebuilt) == sorted([REPORT_ID, SECOND, "shared entities"])
    assert first.reused == []
    before = outputs(out)

    again = build_incremental(paths, out, "d1")
    assert again.rebuilt == []
    assert sorted(again.reused) == sorted([REPORT_ID, SECOND, "shared entities"])
    assert outputs(out) == before

    curated = root / "data" / "reports" / SECOND / "curated" / "workshop.yaml"
    text = curated.read_text(encoding="utf-8")
    curated.write_text(
        text.replace(
            "  - id: lena-tavola\n", "  - id: lena-tavola\n    note: She opened the workshop.\n"
        ),
        encoding="utf-8",
    )
    changed = build_incremental(paths, out, "d2")
    assert changed.rebuilt == [SECOND]
    assert sorted(changed.reused) == sorted([REPORT_ID, "shared entities"])
    assert b"She opened the workshop." in (out / "copgraph.nt").read_bytes()

    # what the reused and rebuilt parts make is what a build from scratch makes
    write_outputs(build_graph(paths), tmp_path / "scratch", "d2")
    assert outputs(out) == outputs(tmp_path / "scratch")


def test_a_change_to_the_shared_entities_rebuilds_every_report(root, tmp_path):
    paths, out = Paths(root=root), tmp_path / "build"
    build_incremental(paths, out, "d1")
    shared = root / "data" / "shared" / "organizations.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "# a curator's comment\n")
    again = build_incremental(paths, out, "d1")
    assert sorted(again.rebuilt) == sorted([REPORT_ID, SECOND, "shared entities"])


def test_a_broken_report_fails_the_build_and_the_others_stay_cached(root, tmp_path):
    paths, out = Paths(root=root), tmp_path / "build"
    build_incremental(paths, out, "d1")
    curated = root / "data" / "reports" / SECOND / "curated" / "workshop.yaml"
    good = curated.read_text(encoding="utf-8")
    curated.write_text(good.replace("organizers: [itu, unicef]", "organizers: [itu, unicfe]"))
    with pytest.raises(BuildError) as caught:
        build_incremental(paths, out, "d2")
    assert "unknown id 'unicfe'" in caught.value.report()
    curated.write_text(good)
    fixed = build_incremental(paths, out, "d1")
    assert fixed.rebuilt == [] and SECOND in fixed.reused
