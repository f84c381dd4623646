"""copgraph draft: each rule on small texts (with the near misses it must not take), the
records it writes (schema-valid, quotes the build finds), determinism, and curated/ untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from copgraph.cli import main
from copgraph.draft import KnownOrganization, draft_records
from copgraph.evidence import Report
from copgraph.records import parse_documents

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "reports" / "cop-ap-2023" / "cop-asia-pacific-concluding-workshop-2023.txt"


def draft(text: str, known=None) -> dict[str, list[dict]]:
    return draft_records(text, known)


def labels(drafts, rtype, key="label"):
    return [record[key] for record in drafts[rtype]]


# -- people ---------------------------------------------------------------------------------


def test_person_with_honorific_title_and_organization():
    drafts = draft(
        "The panel was opened by H.E. Mr. Tenzin Dorji, Secretary of State, Ministry of "
        "Home Affairs, who welcomed everyone. Later Mr. Dorji spoke again."
    )
    [person] = drafts["people"]
    assert (person["name"], person["honorific"]) == ("Tenzin Dorji", "H.E. Mr.")
    assert person["alt_names"] == ["Mr. Dorji"]  # the short form, merged
    [post] = person["posts"]
    assert post["title"] == "Secretary of State"
    organization = next(o for o in drafts["organizations"] if o["id"] == post["organization"])
    assert organization["label"] == "Ministry of Home Affairs"


def test_person_organization_after_the_title_becomes_a_candidate():
    drafts = draft("Ms. Amina Yusuf, Policy Manager, Brightline, presented the tools.")
    assert labels(drafts, "organizations") == ["Brightline"]
    assert drafts["people"][0]["posts"][0]["title"] == "Policy Manager"


def test_hyphenated_and_initialled_names():
    drafts = draft("Ms. Ana Batapa-Cruz, Director, spoke. Mr. A B C Rahman, Envoy, too.")
    assert labels(drafts, "people", "name") == ["Ana Batapa-Cruz", "A B C Rahman"]


def test_no_person_without_a_name():
    drafts = draft("Mr. Chairman thanked the Dr. The Ms. category. Mr. Lee spoke.")
    # a lone word after an honorific is no full name, and no full name owns it
    assert drafts["people"] == []


def test_moderator_without_honorific():
    drafts = draft("Moderator: Kenji Sato, Regional Office for Asia.")
    assert labels(drafts, "people", "name") == ["Kenji Sato"]


# -- organizations --------------------------------------------------------------------------


def test_ministry_and_department_patterns():
    drafts = draft(
        "The Ministry of Information Technology and Telecommunication worked with the "
        "Department of Justice and the Beijing Law Society's research arm."
    )
    assert labels(drafts, "organizations") == [
        "Ministry of Information Technology and Telecommunication",
        "Department of Justice",
        "Beijing Law Society",
    ]


def test_expansion_gives_the_acronym_and_its_later_uses():
    drafts = draft(
        "The Asia-Pacific Broadcasting Union (ABU) met. Later, ABU and the ILO, UNODC and "
        "others spoke; ILO, UNODC and ABU agreed."
    )
    abu = next(o for o in drafts["organizations"] if o.get("acronym") == "ABU")
    assert abu["label"] == "Asia-Pacific Broadcasting Union"
    assert len(abu["evidence"]) == 2  # the expansion's sentence and the later one
    assert {"ILO", "UNODC"} <= set(labels(drafts, "organizations"))


def test_comma_list_inside_a_name_and_a_second_name_after_it():
    drafts = draft(
        "Represented by the Department of Infrastructure, Transport, Regional Development, "
        "Communications and the Arts (DITRDCA), and the Ministry of Health, UNICEF Nepal and "
        "the Regulatory Commission of Nepal."
    )
    assert labels(drafts, "organizations") == [
        "Department of Infrastructure, Transport, Regional Development, Communications and "
        "the Arts",
        "Ministry of Health",
        "UNICEF Nepal",
        "Regulatory Commission of Nepal",
    ]
    assert drafts["organizations"][0]["acronym"] == "DITRDCA"


@pytest.mark.parametrize(
    "text",
    [
        "The Ministry invited the Government to join.",  # which ministry, the text does not say
        "Ten focus group discussions (FGDs) were held; the FGDs helped.",  # spelled out: no org
        "Focus Group Discussions were held.",  # "Group" qualifies "Discussions"
        "The General Data Protection Regulation (GDPR) applies; GDPR and COPPA, GDPR too.",
        "Children face CSEA online, and CSEA is rising, says CSEA research.",
    ],
)
def test_no_organization_where_none_is_named(text):
    assert draft(text)["organizations"] == []


def test_known_organizations_keep_their_id():
    known = [KnownOrganization("unicef", "United Nations Children's Fund", ("UNICEF",), "o.yaml")]
    drafts = draft("UNICEF supported the work.", known)
    [organization] = drafts["organizations"]
    assert organization["id"] == "unicef"
    assert "already in the graph" in organization["note"]
    assert draft("UNICEF supported the work.")["organizations"] == []  # unknown, used once


def test_possessive_country_is_not_part_of_the_name():
    drafts = draft("Fiji's Online Safety Commission spoke.")
    assert labels(drafts, "organizations") == ["Online Safety Commission"]


# -- countries ------------------------------------------------------------------------------


def test_countries_with_iso_codes_and_the_forms_the_text_uses():
    drafts = draft("Bhutan and the Kingdom of Cambodia; an Indonesian app; Nepalese law.")
    assert [(c["label"], c["iso2"], c["iso3"]) for c in drafts["countries"]] == [
        ("Bhutan", "BT", "BTN"),
        ("Cambodia", "KH", "KHM"),
    ]
    assert drafts["countries"][1]["alt_labels"] == ["Kingdom of Cambodia"]


# -- dated events ---------------------------------------------------------------------------


def test_dated_events_with_day_month_and_year_ranges():
    drafts = draft(
        "The first National Conference on Online Safety was convened on 14 June 2023 in Thimphu. "
        "ITU kicked off the first National Workshop in April 2022, and the 1st task force "
        "meeting was organized in Sep 2022. From 2022 to 2023, a series of workshops were held."
    )
    events = {(e["label"], e["date"], e.get("end")) for e in drafts["events"]}
    assert events == {
        ("First National Conference on Online Safety", "2023-06-14", None),
        ("First National Workshop", "2022-04", None),
        ("1st task force meeting", "2022-09", None),
        ("Workshops", "2022", "2023"),
    }
    conference = next(e for e in drafts["events"] if e["date"] == "2023-06-14")
    assert conference["kind"] == "conference"
    assert conference["evidence"][0]["supports"] == ["date"]


def test_a_month_takes_the_year_of_its_sentence_only_when_there_is_one():
    assert [
        e["date"]
        for e in draft("At the end of September the regional dialogue was held in 2023.")["events"]
    ] == ["2023-09"]
    assert draft("The conference was held from 8-9 February.")["events"] == []
    assert draft("The conference was a success in every way.")["events"] == []
    assert draft("In 2023 the report was published.")["events"] == []  # no event word


def test_launch_and_awareness_day_on_one_date():
    drafts = draft(
        "The Minister launched the Indonesian version of the Guidelines on the occasion of "
        "Safer Internet Day in Jakarta on 8 February 2023."
    )
    assert sorted((e["kind"], e["date"]) for e in drafts["events"]) == [
        ("awareness-day", "2023-02-08"),
        ("launch", "2023-02-08"),
    ]


# -- figures --------------------------------------------------------------------------------


def figures(text):
    return [
        ({k: f[k] for k in ("value", "min", "max") if k in f}, f["wording"], f["unit"])
        for f in draft(text)["figures"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("with over 212 participants.", [({"min": 212}, "over 212 participants", "participants")]),
        (
            "around 400 to 450 participants joined",
            [({"min": 400, "max": 450}, "around 400 to 450 participants", "participants")],
        ),
        ("with 75% of them", [({"value": 75}, "75%", "percent")]),
        ("nearly 97% online", [({"max": 97}, "nearly 97% online", "percent online")]),
        ("millions of children were harmed", [({}, "millions of children", "children")]),
        (
            "1.2 million reported cases",
            [({"value": 1200000}, "1.2 million reported cases", "reported cases")],
        ),
        (
            "over a thousand 600 local units",
            [({"min": 1600}, "over a thousand 600 local units", "local units")],
        ),
        ("all seven countries listed", [({"value": 7}, "seven countries", "countries")]),
        ("children (aged 9-12, and", [({"min": 9, "max": 12}, "9-12", "years of age")]),
        ("Each speaker is to have 10min max.", [({"max": 10}, "10min max", "min max")]),
    ],
)
def test_figures_keep_their_wording(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "4.2 Session 1: Panel Discussion",  # a heading and a session number
        "In 2023 children went online.",  # a year, not 2023 children
        "the 2nd ASEAN ICT Forum",  # an ordinal
        "SDG Target 8.7 and General Comment 25",  # numbers inside names
        "09:30-09:35 Group Photo Session",  # a time slot
        "held on 14 June 2023",  # a date
        "see https://example.org/Pages/v2/RD%27s%20Corner/2022.aspx now",  # a link
        "end of a page.\n41\nNext page",  # a page number alone on its line
        "in one cultural context",  # "one" is rarely a figure
    ],
)
def test_not_figures(text):
    assert figures(text) == []


# -- instruments ----------------------------------------------------------------------------


def test_instruments_by_their_words_and_acronyms():
    drafts = draft(
        "They have the Cyber Crime Prevention Act of 2012. It is compliant with the General "
        "Data Protection Regulation (GDPR). Ms. Ana Lee, Senior Policy Manager, spoke."
    )
    found = {(i["label"], i["kind"], tuple(i.get("alt_labels", []))) for i in drafts["instruments"]}
    assert found == {
        ("Cyber Crime Prevention Act of 2012", "law", ()),
        ("General Data Protection Regulation", "regulation", ("GDPR",)),
    }


# -- the real report: valid drafts, quotes the build finds, determinism -----------------------


@pytest.fixture(scope="module")
def report_drafts():
    return draft_records(REPORT.read_text(encoding="utf-8"))


def test_drafts_of_the_report_are_schema_valid_records(report_drafts):
    records, problems = parse_documents({f"{k}.yaml": {k: v} for k, v in report_drafts.items()})
    assert [str(p) for p in problems] == []
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))


def test_every_quote_of_every_draft_is_found_in_the_report(report_drafts):
    report = Report(REPORT.read_text(encoding="utf-8"))
    quotes = [
        item["quote"]
        for records in report_drafts.values()
        for record in records
        for item in record.get("evidence", [])
        + [e for post in record.get("posts", []) for e in post["evidence"]]
    ]
    assert len(quotes) > 300
    assert [q for q in quotes if not report.find(q)] == []


def _report_folder(tmp_path) -> Path:
    folder = tmp_path / "data" / "reports" / "demo"
    (folder / "curated").mkdir(parents=True)
    (folder / "report.txt").write_bytes(REPORT.read_bytes())
    (folder / "manifest.yaml").write_text("file: report.txt\n", encoding="utf-8")
    (folder / "curated" / "organizations.yaml").write_text(
        "organizations:\n  - id: ecpat-international\n    label: ECPAT International\n"
        "    acronym: ECPAT\n    kind: ngo\n    evidence: [{quote: ECPAT International}]\n",
        encoding="utf-8",
    )
    return folder


def test_draft_writes_into_the_report_folder_and_never_into_curated(tmp_path):
    folder = _report_folder(tmp_path)
    curated = folder / "curated" / "organizations.yaml"
    before = (curated.read_bytes(), curated.stat().st_mtime_ns)
    result = CliRunner().invoke(main, ["draft", "demo", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "draft").iterdir()) == [
        "countries.yaml",
        "events.yaml",
        "figures.yaml",
        "instruments.yaml",
        "organizations.yaml",
        "people.yaml",
    ]
    assert [p.name for p in (folder / "curated").iterdir()] == ["organizations.yaml"]
    assert (curated.read_bytes(), curated.stat().st_mtime_ns) == before
    organizations = yaml.safe_load((folder / "draft" / "organizations.yaml").read_text())
    ecpat = [o for o in organizations["organizations"] if o["id"] == "ecpat-international"]
    assert ecpat and "already in the graph" in ecpat[0]["note"]  # its curated names, read


def test_draft_refuses_to_write_into_curated(tmp_path):
    folder = _report_folder(tmp_path)
    result = CliRunner().invoke(
        main,
        ["draft", str(folder), "--out", str(folder / "curated" / "sub"), "--root", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "never go into a curated folder" in result.output
    assert [p.name for p in (folder / "curated").iterdir()] == ["organizations.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a REPORT"),
        (["nosuch"], "neither a report folder nor a report id"),
        (["--source", "{missing}"], "no such file"),
        (["--source", "{binary}"], "not UTF-8 text"),
        (["{no_manifest}"], "manifest.yaml: missing"),
        (["--source", "{text}", "--known", "{bad_curated}"], "bad.yaml: not readable YAML"),
    ],
)
def test_draft_bad_input_is_one_line(tmp_path, args, message):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "no-manifest").mkdir()
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "bad.yaml").write_text("organizations: [\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("Some text.", encoding="utf-8")
    paths = {
        "missing": tmp_path / "nope.txt",
        "binary": binary,
        "no_manifest": tmp_path / "no-manifest",
        "text": tmp_path / "t.txt",
        "bad_curated": tmp_path / "curated",
    }
    args = [a.format(**paths) for a in args]
    result = CliRunner().invoke(main, ["draft", *args, "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_same_text_gives_byte_identical_drafts_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "copgraph",
                "draft",
                "--source",
                str(REPORT),
                "--out",
                str(out),
                "--root",
                str(ROOT),
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=120,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 6 and all(outputs[0].values())


def test_lower_case_bodies_with_a_modifier():
    drafts = draft(
        "Pakistan has set up the national working group, and works with the department for "
        "education. The committee met; several task force meetings followed."
    )
    assert labels(drafts, "organizations") == ["national working group", "department for education"]


def test_organization_after_a_title_stops_at_a_place_but_keeps_a_name():
    drafts = draft(
        "Ms. Ana Souza, Coordinator, Global Programme to End Violence at United Nations, spoke. "
        "Ms. Li Wei, Officer, Fundamental Principles and Rights at Work, ILO, spoke."
    )
    assert [p["posts"][0]["title"] for p in drafts["people"]] == ["Coordinator", "Officer"]
    assert labels(drafts, "organizations") == [
        "Global Programme to End Violence",
        "Fundamental Principles and Rights at Work",
    ]


def test_one_event_per_date_and_kind_and_no_bare_event_word():
    drafts = draft(
        "ITU organized the Regional Concluding Workshop on 7 December 2023. "
        "Participants of the Asia Pacific Concluding Workshop met on 7 December 2023. "
        "The workshop was a success in 2023."
    )
    [event] = drafts["events"]
    assert (event["label"], event["date"]) == ("Asia Pacific Concluding Workshop", "2023-12-07")
    assert event["alt_labels"] == ["Regional Concluding Workshop"]  # the longer name is the label
    assert len(event["evidence"]) == 2


def test_a_heading_run_into_a_name_is_the_name():
    drafts = draft(
        "Ms. Kim Lee, Officer, ITU Regional Office for Asia. Mr. Bo Ra, Expert, ITU Regional "
        "Office for Asia Speakers: the panel."
    )
    assert labels(drafts, "organizations") == ["ITU Regional Office for Asia"]
