"""How much of the report the graph covers, section by section, and what it lacks.

Three scans of the source text: person mentions (an honorific followed by a name),
mentions of the organizations the graph knows (names and acronyms), and capitalised
multi-word names that look like organizations. A mention is explained when the graph
holds it, or when the report's ``coverage-ignore.yaml`` lists it with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SKOS

from copgraph.evidence import Report
from copgraph.namespaces import CG, ID

HONORIFIC = re.compile(
    r"\b(?:H\.E\.(?:\s+Mr\.?)?|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+"
    r"((?:[A-Z][\w’'-]*)(?:[ \t]+(?:[A-Z][\w’'-]*)){0,3})"
)
ORG_WORDS = (
    "Ministry|Department|Office|Commission|Commissioner|Agency|Council|Association|Center|"
    "Centre|Institute|University|Authority|Bureau|Police|Congress|Networks?|Hub|Union|Fund|"
    "Organi[sz]ation|Society|Group|Committee|Forum|Telecommunity|Firm|Government|Branch|"
    "Secretariat|Academy|Movement|Programme|Agency"
)
CAPITALISED = r"(?:[A-Z][\w’'&-]*|of|for|and|the|on|in|&)"
ORG_NAME = re.compile(
    rf"\b((?:[A-Z][\w’'&-]*\s+)(?:{CAPITALISED}\s+){{0,8}}?(?:{ORG_WORDS})\b(?:\s+(?:of|for)\s+"
    rf"(?:the\s+)?(?:[A-Z][\w’'&-]*[ \t]*){{1,6}})?)"
)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class Coverage:
    sections: pd.DataFrame
    missing_people: list[tuple[str, str, int]] = field(default_factory=list)
    unexplained_organizations: list[tuple[str, str, int]] = field(default_factory=list)
    quotes_outside_sections: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (
            self.missing_people or self.unexplained_organizations or self.quotes_outside_sections
        )


def load_ignore(path: Path) -> dict[str, str]:
    """Names the scan finds that are not entities, each with the reason why."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {_norm(item["text"]): item["reason"] for item in data.get("ignore", [])}


def _names(graph: Graph, cls=None) -> set[str]:
    """Normalized names, alternative names and acronyms of the nodes of a class (or all)."""
    names = set()
    nodes = graph.subjects(RDF.type, cls) if cls else set(graph.subjects(RDFS.label, None))
    for node in nodes:
        for prop in (RDFS.label, SKOS.altLabel, CG.acronym):
            names.update(_norm(str(v)) for v in graph.objects(node, prop))
    return {n for n in names if n}


ORG_WORD = re.compile(rf"^(?:{ORG_WORDS.lower()})$")


def _known(name: str, names: set[str]) -> bool:
    """The name, or a run of two or more of its words holding its organization word, is known.

    Titles often precede a name ("State Secretary Ministry of ...") and a line break may cut
    it ("... Research Institute of Beijing"), so every such run is tried.
    """
    words = name.split()
    if name in names:
        return True
    for start in range(len(words)):
        for end in range(len(words), start + 1, -1):
            span = words[start:end]
            if not any(ORG_WORD.match(w) for w in span):
                continue
            text = " ".join(span)
            if text in names or any(text in n for n in names if len(n) > 3):
                return True
    return False


def measure(
    graph: Graph, report: Report, ignore: dict[str, str] | None = None, document: str | None = None
) -> Coverage:
    """Coverage of one report; ``document`` (its document node's id) keeps to its quotes
    when the graph holds several reports."""
    ignore = ignore or {}
    people = _names(graph, CG.Person)
    person_tokens = {token for name in people for token in name.split()}
    organizations = _names(graph, CG.Organization)
    named_nodes = _names(graph)  # programmes, outputs, instruments ... explain names too
    text = report.text
    line_of = report.line_of

    rows: dict[str, dict] = {}
    for section in report.sections:
        rows[section.number] = {
            "section": section.number,
            "title": section.title[:50],
            "people": 0,
            "people_found": 0,
            "org_mentions": 0,
            "org_found": 0,
            "quotes": 0,
        }

    def section_of(offset: int) -> str:
        found = report.section_at(line_of(offset))
        return found.number if found else ""

    coverage = Coverage(sections=pd.DataFrame())
    for match in HONORIFIC.finditer(text):
        name = _norm(match.group(1))
        section = section_of(match.start())
        if section in rows:
            rows[section]["people"] += 1
        known = (
            name in people
            or any(name in p for p in people)
            or (name and all(token in person_tokens for token in name.split()[-1:]))
        )
        if known:
            if section in rows:
                rows[section]["people_found"] += 1
        elif name not in ignore:
            coverage.missing_people.append((match.group(0), section, line_of(match.start())))

    for match in ORG_NAME.finditer(text):
        candidate = re.sub(r"\s+", " ", match.group(1)).strip()
        norm = _norm(candidate)
        section = section_of(match.start())
        if section in rows:
            rows[section]["org_mentions"] += 1
        explained = norm in ignore or _known(norm, named_nodes | organizations)
        if explained:
            if section in rows:
                rows[section]["org_found"] += 1
        else:
            coverage.unexplained_organizations.append((candidate, section, line_of(match.start())))

    for evidence in graph.subjects(RDF.type, CG.Evidence):
        if document is not None and graph.value(evidence, CG.inDocument) != ID[document]:
            continue
        section = str(graph.value(evidence, CG.section) or "")
        if section in rows:
            rows[section]["quotes"] += 1
        else:
            coverage.quotes_outside_sections.append(str(graph.value(evidence, CG.exact)))
    coverage.sections = pd.DataFrame(list(rows.values()))
    coverage.missing_people = sorted(set(coverage.missing_people), key=lambda m: m[2])
    coverage.unexplained_organizations = sorted(
        set(coverage.unexplained_organizations), key=lambda m: m[2]
    )
    return coverage
