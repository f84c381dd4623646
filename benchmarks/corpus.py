"""A synthetic corpus of COP reports, so that the whole build is what gets measured.

Run: ``python benchmarks/corpus.py --reports N --seed S --out DIR`` writes a project in DIR
(``ontology/`` copied from this checkout) with N report folders in the layout of PLAN.md::

    DIR/data/reports/synth-0001/{manifest.yaml, report.txt, curated/*.yaml}
    DIR/data/shared/{organizations,countries}.yaml   (evidence items name their report)

``--single`` writes the N reports as one report instead (``data/reports/synthetic/``, no
shared entities): the build's cost when nothing is split into reports, as before.

Each report is a synthetic text and curated YAML whose every quote is a sentence of that
text: people with their posts, outputs, events, partnerships, figures and statements, in
about the proportions of the real report (``--size 1`` is about an eighth of it, ~3,000
triples). Organizations come from one shared pool with heavy-tailed reuse (Zipf weights:
a few hubs in every report, a long tail named once), so the network and the shared
entities grow as they would in a real programme. The same N and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

ORG_KINDS = {
    "un-agency": "a United Nations agency",
    "intergovernmental-organization": "an intergovernmental organization",
    "government-body": "a government body",
    "regulator": "an independent regulator",
    "company": "a company",
    "civil-society-organization": "a civil society organization",
    "academic-institution": "an academic institution",
}
OUTPUT_KINDS = ("guideline", "national-assessment-report", "policy-brief", "action-plan")
EVENT_KINDS = ("workshop", "conference", "training-event", "regional-dialogue")
PARTNERSHIP_KINDS = ("collaboration", "co-organization", "support", "funding")
TOPICS = ("cyberbullying", "ocsea", "privacy", "digital-literacy", "scams", "misinformation")
COUNTRIES = (
    ("bhutan", "Bhutan", "BT", "BTN"),
    ("cambodia", "Cambodia", "KH", "KHM"),
    ("indonesia", "Indonesia", "ID", "IDN"),
    ("mongolia", "Mongolia", "MN", "MNG"),
    ("pakistan", "Pakistan", "PK", "PAK"),
    ("thailand", "Thailand", "TH", "THA"),
    ("fiji", "Fiji", "FJ", "FJI"),
    ("viet-nam", "Viet Nam", "VN", "VNM"),
    ("nepal", "Nepal", "NP", "NPL"),
    ("philippines", "Philippines", "PH", "PHL"),
    ("malaysia", "Malaysia", "MY", "MYS"),
    ("sri-lanka", "Sri Lanka", "LK", "LKA"),
    ("laos", "Lao PDR", "LA", "LAO"),
)
FIRST = ("Anna", "Batu", "Chandra", "Dorji", "Emi", "Farid", "Gita", "Hana", "Ilham", "Jae")
LAST = ("Kaur", "Lin", "Mendoza", "Nguyen", "Oyun", "Perera", "Quang", "Rai", "Sato", "Tashi")
TITLES = ("Director", "Programme Officer", "Senior Adviser", "Head of Policy", "Coordinator")
WORDS = ("Safer", "Digital", "Online", "Child", "Youth", "Regional", "National", "Open")
NOUNS = ("Alliance", "Network", "Council", "Institute", "Foundation", "Agency", "Forum")

#: Records per report at ``--size 1`` (the real report has about 8 times as many).
PER_REPORT = {
    "organizations": 10,
    "people": 5,  # each a speaker of the report's one session
    "outputs": 4,
    "events": 2,
    "partnerships": 5,
    "figures": 5,
    "statements": 24,
}


def organization_pool(size: int, rng: random.Random) -> list[dict]:
    """SIZE organizations, the most reused first (index 0 is the hub of every report)."""
    pool = []
    for index in range(size):
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(NOUNS)} {index + 1}"
        acronym = "".join(word[0] for word in name.split()[:3]) + str(index + 1)
        kind = rng.choice(sorted(ORG_KINDS))
        pool.append({"id": f"org-{index + 1:05d}", "label": name, "acronym": acronym, "kind": kind})
    return pool


def pick_organizations(pool: list[dict], count: int, rng: random.Random) -> list[dict]:
    """COUNT distinct organizations, Zipf-weighted: heavy-tailed reuse across reports."""
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(pool))]
    chosen: dict[str, dict] = {pool[0]["id"]: pool[0]}
    while len(chosen) < min(count, len(pool)):
        org = rng.choices(pool, weights)[0]
        chosen.setdefault(org["id"], org)
    return list(chosen.values())


class Report:
    """One synthetic report: its text (sections of sentences) and its curated records."""

    def __init__(self, report_id: str):
        self.id = report_id
        self.sections: list[tuple[str, list[str]]] = []
        self.records: dict[str, list[dict]] = {}

    def say(self, sentence: str) -> str:
        self.sections[-1][1].append(sentence)
        return sentence

    def section(self, title: str) -> None:
        self.sections.append((title, []))

    def text(self) -> str:
        lines = []
        for number, (title, sentences) in enumerate(self.sections, start=1):
            lines += [f"{number}. {title}", ""] + [s + "\n" for s in sentences]
        return "\n".join(lines)


def evidence(quote: str, supports=None, report: str | None = None) -> dict:
    item = {"quote": quote}
    if report:
        item = {"report": report, **item}
    if supports:
        item["supports"] = supports
    return item


def make_report(
    number: int,
    pool: list[dict],
    shared: dict[str, dict],
    rng: random.Random,
    size: float,
    tag_reports: bool,
) -> Report:
    """The report's text and records; organizations and countries it is first to name go
    into ``shared`` with quotes of this report."""
    rid = f"synth-{number:04d}"
    report = Report(rid)
    count = {key: max(1, round(n * size)) for key, n in PER_REPORT.items()}
    orgs = pick_organizations(pool, count["organizations"], rng)
    country = COUNTRIES[rng.randrange(len(COUNTRIES))]
    where = rid if tag_reports else None
    report.section(f"Introduction to report {rid}")
    report.say(f"Report {rid} records the work of the programme in {country[1]} in year {number}.")
    if country[0] not in shared:
        quote = report.say(f"{country[1]} is a beneficiary country named in report {rid}.")
        shared[country[0]] = {
            "type": "countries",
            "id": country[0],
            "label": country[1],
            "iso2": country[2],
            "iso3": country[3],
            "beneficiary": True,
            "evidence": [evidence(quote, ["beneficiary"], where)],
        }
    report.section("Organizations")
    for org in orgs:
        if org["id"] in shared:
            report.say(f"{org['label']} took part in the work of report {rid}.")
            continue
        quote = report.say(f"{org['label']} ({org['acronym']}) is {ORG_KINDS[org['kind']]}.")
        shared[org["id"]] = {
            "type": "organizations",
            **org,
            "evidence": [evidence(quote, ["kind"], where)],
        }
    records = report.records
    report.section("Speakers")
    people = []
    for k in range(count["people"]):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}-{k + 1}"
        honorific = rng.choice(("Ms.", "Mr.", "Dr."))
        org = rng.choice(orgs)
        title = rng.choice(TITLES)
        quote = report.say(f"{honorific} {name}, {title}, {org['label']}, spoke in report {rid}.")
        person = {
            "id": f"person-{number:04d}-{k + 1}",
            "name": name,
            "honorific": honorific,
            "evidence": [{"quote": quote}],
            "posts": [{"title": title, "organization": org["id"], "evidence": [{"quote": quote}]}],
        }
        if k % 4 == 0:  # about one person in four holds a second post
            other = rng.choice(orgs)
            second = report.say(f"{name} also serves {other['label']} as Adviser on {rid}.")
            person["posts"].append(
                {"title": "Adviser", "organization": other["id"], "evidence": [{"quote": second}]}
            )
        people.append(person)
    records["people"] = people
    report.section("Outputs and events")
    outputs, events = [], []
    for k in range(count["outputs"]):
        label = f"{rng.choice(WORDS)} Guidance {number}-{k + 1}"
        producer = rng.choice(orgs)
        quote = report.say(f"The {label} was produced by {producer['label']} for {country[1]}.")
        outputs.append(
            {
                "id": f"output-{number:04d}-{k + 1}",
                "label": label,
                "kind": rng.choice(OUTPUT_KINDS),
                "producers": [producer["id"]],
                "country": [country[0]],
                "evidence": [{"quote": quote, "supports": ["kind", "producers", "country"]}],
            }
        )
    for k in range(count["events"]):
        label = f"{rng.choice(WORDS)} Workshop {number}-{k + 1}"
        organizer = rng.choice(orgs)
        year = 2015 + number % 10
        quote = report.say(f"{organizer['label']} organized the {label} in {country[1]} in {year}.")
        events.append(
            {
                "id": f"event-{number:04d}-{k + 1}",
                "label": label,
                "kind": rng.choice(EVENT_KINDS),
                "date": str(year),
                "country": country[0],
                "organizers": [organizer["id"]],
                "evidence": [
                    {"quote": quote, "supports": ["kind", "date", "country", "organizers"]}
                ],
            }
        )
    records["outputs"], records["events"] = outputs, events
    session_quote = report.say(f"The panel of report {rid} was part of the {events[0]['label']}.")
    records["sessions"] = [
        {
            "id": f"session-{number:04d}",
            "number": "1",
            "title": f"Panel of report {rid}",
            "event": events[0]["id"],
            "topics": [rng.choice(TOPICS)],
            "evidence": [{"quote": session_quote, "supports": ["event", "topics"]}],
            "participants": [
                {
                    "person": person["id"],
                    "role": "speaker",
                    "organization": person["posts"][0]["organization"],
                    "source": ["narrative"],
                    "evidence": person["evidence"],
                }
                for person in people
            ],
        }
    ]
    report.section("Partnerships")
    partnerships = []
    for k in range(count["partnerships"]):
        members = rng.sample(orgs, min(len(orgs), rng.randint(2, 4)))
        hub, others = members[0], members[1:]
        about = rng.choice(outputs)
        names = " and ".join(o["label"] for o in others)
        quote = report.say(
            f"{hub['label']} worked with {names} on the {about['label']} (tie {number}-{k + 1})."
        )
        partnerships.append(
            {
                "id": f"partnership-{number:04d}-{k + 1}",
                "kind": rng.choice(PARTNERSHIP_KINDS),
                "organizations": [o["id"] for o in members],
                "hub": hub["id"],
                "description": f"work on the {about['label']}",
                "about": [about["id"]],
                "evidence": [
                    {"quote": quote, "supports": ["kind", "organizations", "hub", "about"]}
                ],
            }
        )
    records["partnerships"] = partnerships
    report.section("Figures")
    figures = []
    for k in range(count["figures"]):
        speaker = rng.choice(people)
        about = rng.choice(outputs + events)
        value = rng.randint(5, 5000)
        wording = f"{value} children"
        quote = report.say(
            f"{speaker['name']} said that {wording} were reached by {about['label']}."
        )
        figures.append(
            {
                "id": f"figure-{number:04d}-{k + 1}",
                "description": f"children reached by the {about['label']}",
                "about": about["id"],
                "stated_by": speaker["id"],
                "value": value,
                "unit": "children",
                "wording": wording,
                "evidence": [{"quote": quote}],
            }
        )
    records["figures"] = figures
    report.section("Statements")
    statements = []
    for k in range(count["statements"]):
        speaker = rng.choice(people)
        topic = rng.choice(TOPICS)
        text = report.say(
            f"Point {k + 1} of {speaker['name']} was that {topic.replace('-', ' ')} "
            f"needs {rng.choice(('laws', 'training', 'research', 'funding'))} now."
        )
        statements.append(
            {
                "id": f"statement-{number:04d}-{k + 1}",
                "speaker": speaker["id"],
                "session": f"session-{number:04d}",
                "topics": [topic],
                "text": text,
            }
        )
    records["statements"] = statements
    return report


def generate(reports: int, seed: int, size: float = 1.0, tag_reports: bool = True):
    """The N reports and the shared records (organizations, countries), deterministically."""
    rng = random.Random(seed)
    pool = organization_pool(max(30, 6 * reports), rng)
    shared: dict[str, dict] = {}
    made = [make_report(n, pool, shared, rng, size, tag_reports) for n in range(1, reports + 1)]
    by_type: dict[str, list[dict]] = {}
    for record in shared.values():
        record = dict(record)
        by_type.setdefault(record.pop("type"), []).append(record)
    return made, by_type


def dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def manifest(report_id: str, file: str, text: str) -> dict:
    return {
        "file": file,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "id": f"report-{report_id}",
        "title": f"Synthetic COP report {report_id}",
        "publisher": "copgraph benchmarks (synthetic)",
        "date": "2024-01",
        "note": "Generated by benchmarks/corpus.py; not a real report.",
    }


def write_reports(out: Path, reports: list[Report], shared: dict[str, list[dict]]) -> None:
    """The report-folder layout: data/reports/<id>/ and data/shared/."""
    for report in reports:
        folder = out / "data" / "reports" / report.id
        text = report.text()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.txt").write_text(text, encoding="utf-8")
        dump(folder / "manifest.yaml", manifest(report.id, "report.txt", text))
        for key, records in report.records.items():
            dump(folder / "curated" / f"{key}.yaml", {key: records})
    for key, records in sorted(shared.items()):
        dump(out / "data" / "shared" / f"{key}.yaml", {key: records})


def write_single(out: Path, reports: list[Report], shared: dict[str, list[dict]]) -> None:
    """All the reports as one report folder, data/reports/synthetic/ (no shared entities):
    what the build costs when nothing is split into reports."""
    text = "".join(report.text() for report in reports)
    source = out / "data" / "reports" / "synthetic"
    source.mkdir(parents=True, exist_ok=True)
    (source / "report.txt").write_text(text, encoding="utf-8")
    dump(source / "manifest.yaml", manifest("synthetic", "report.txt", text))
    merged: dict[str, list[dict]] = {key: list(records) for key, records in shared.items()}
    for report in reports:
        for key, records in report.records.items():
            merged.setdefault(key, []).extend(records)
    for key, records in sorted(merged.items()):
        dump(source / "curated" / f"{key}.yaml", {key: records})


def write_corpus(
    out: Path, reports: int, seed: int, size: float = 1.0, single: bool = False
) -> list[str]:
    """Write the project into OUT (replacing its data/ and ontology/); the report ids."""
    made, shared = generate(reports, seed, size, tag_reports=not single)
    for name in ("data", "ontology"):
        shutil.rmtree(out / name, ignore_errors=True)
    shutil.copytree(ROOT / "ontology", out / "ontology")
    (write_single if single else write_reports)(out, made, shared)
    return [report.id for report in made]


def change_one_report(project: Path) -> str:
    """Edit one curated record of the last report (a note added or changed); its folder.

    What a curator's edit does to a corpus: one report's curated YAML changes, its text
    (fixed by its sha256) and everything else do not. Each call changes the note again.
    """
    folders = sorted((project / "data" / "reports").glob("synth-*"))
    curated = folders[-1] / "curated" if folders else project / "data/reports/synthetic/curated"
    figures_file = curated / "figures.yaml"
    figures = yaml.safe_load(figures_file.read_text(encoding="utf-8"))
    record = figures["figures"][-1]
    edits = int(record.get("note", "edit 0").split()[-1]) + 1
    record["note"] = f"Checked against the report by a curator, edit {edits}"
    dump(figures_file, figures)
    return curated.parent.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, required=True, help="how many reports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--size", type=float, default=1.0, help="records per report, scaled")
    parser.add_argument("--single", action="store_true", help="one report holding all N")
    args = parser.parse_args()
    ids = write_corpus(args.out, args.reports, args.seed, args.size, args.single)
    layout = "one report" if args.single else f"{len(ids)} report folders"
    print(f"wrote {layout} into {args.out}")


if __name__ == "__main__":
    main()
