"""Draft candidate records from a report's text, for a curator to accept, edit or delete.

Curating a report by hand is the slow part of adding it. The drafting assistant reads the
text with plain rules (no model, no network, the same text always gives the same drafts)
and proposes people, organizations, countries, dated events, figures and instruments in the
curated YAML format, each with the words of the report it came from as its evidence. It
proposes; the curator decides. It never writes into ``curated/``.

All matching runs on the text with white space collapsed (as the build compares quotes), so
every quote it writes is found by the build wherever the report breaks its lines.

>>> drafts = draft_records("Welcome remarks by Dr. Jane Roe, Director, Ministry of Health.")
>>> person = drafts["people"][0]
>>> person["name"], person["honorific"], person["posts"][0]["title"]
('Jane Roe', 'Dr.', 'Director')
>>> [o["label"] for o in drafts["organizations"]]
['Ministry of Health']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from copgraph.evidence import Report
from copgraph.records import curated_files

RECORD_FILES = ("people", "organizations", "countries", "events", "figures", "instruments")

# -- words the rules know (general English and institutional vocabulary, no report's names) --

HONORIFIC = r"H\.\s?E\.(?:\s(?:Mr|Ms|Mrs|Dr)\.?)?|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof\.?"
ORG_HEADS = frozenset(
    "Ministry Department Office Bureau Commission Commissioner Council Committee Agency "
    "Authority Institute University Association Society Academy Centre Center Police Congress "
    "Government Secretariat Union Fund Organization Organisation Foundation Federation Hub "
    "Network Networks Firm Group Movement Telecommunity Branch Unit Court Parliament Assembly "
    "Corporation Company Bank Coalition Alliance Board Directorate Division Senate Offices "
    "Ministries".split()
)
# organization heads that open a name ("Ministry of ...") rather than close it
ORG_OPENERS = frozenset(
    "Ministry Department Office Bureau Commission Council Committee Agency Authority "
    "Government Secretariat Directorate Division Board Institute".split()
)
INSTRUMENT_HEADS = {
    "Act": "law",
    "Law": "law",
    "Bill": "law",
    "Decree": "regulation",
    "Regulation": "regulation",
    "Regulations": "regulation",
    "Convention": "convention",
    "Comment": "general-comment",
    "Framework": "framework",
    "Agenda": "framework",
    "Plan": "plan",
    "Plans": "plan",
    "Roadmap": "strategy",
    "Strategy": "strategy",
    "Strategies": "strategy",
    "Policy": "framework",
    "Action": "call-to-action",  # "Call to Action"
    "Declaration": "statement",
    "Statement": "statement",
    "Charter": "framework",
    "Protocol": "convention",
    "Treaty": "convention",
    "Target": "target",
    "Goals": "framework",
    "Guidelines": "guideline",
    "Guideline": "guideline",
    "Standards": "standard",
    "Standard": "standard",
    "Code": "standard",
}
EVENT_NOUNS = {
    "conference": "conference",
    "conferences": "conference",
    "workshop": "workshop",
    "workshops": "workshop",
    "meeting": "meeting",
    "meetings": "meeting",
    "forum": "forum",
    "summit": "conference",
    "dialogue": "regional-dialogue",
    "seminar": "workshop",
    "webinar": "workshop",
    "symposium": "conference",
    "consultation": "consultative-meeting",
    "training": "training-event",
    "trainings": "training-event",
    "day": "awareness-day",
    "week": "programme-week",
    "campaign": "awareness-day",
    "launch": "launch",
    "hackathon": "workshop",
    "roundtable": "meeting",
}
TITLE_WORDS = frozenset(
    "director officer secretary minister manager representative coordinator consultant "
    "specialist member head chief lead expert professor envoy envoys undersecretary president "
    "chair chairman chairperson advisor adviser assistant deputy executive champion ambassador "
    "founder ceo counsellor counselor analyst researcher commissioner governor mayor "
    "spokesperson leader focal supervisor patron rapporteur trustee fellow editor dean "
    "principal judge secretary-general".split()
)
CONNECTORS = frozenset("of for and the on in to & against".split())
DETERMINERS = frozenset("the a an this these that those its our their his her".split())
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# words that end a figure's unit or an event's name: verbs, prepositions, conjunctions
STOP_WORDS = frozenset(
    "with was were is are be been being has have had will would can could should may might "
    "to from in on at by for as and or but that which who whom whose than then so if when "
    "where while during after before since until about into over under per each every also "
    "not only just this these those it its they their there here such same other was now "
    "forward around ago already still yet back away together alone worldwide them him her us "
    "you we he she i me".split()
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?:19|20)\d{2}"
ORDINAL = r"(?:st|nd|rd|th)"

CAP_TOKEN = re.compile(r"^(?:[A-Z]|e[A-Z])[\w’'&.\-]*$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}s?$")
# all-caps words that name no organization in any report (general abbreviations)
GENERIC_ACRONYMS = frozenset(
    "ICT ICTS AI TV SIM SMS ID IT OK USA UK EU PDF FAQ CEO CTO NGO NGOS GDP URL HTTP HTTPS "
    "WWW PM AM GMT UTC COVID SDG SDGS II III IV VI VII VIII IX XI XII APAC EMEA LATAM "
    # child-protection vocabulary, not bodies: (online) child sexual exploitation and abuse,
    # child sexual abuse material, low- and middle-income countries, focus group discussion
    "CSEA OCSEA CSAM LMIC LMICS FGD FGDS".split()
)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation dropped: the key names are compared by."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def slug(text: str) -> str:
    return re.sub(r"-+", "-", normalize(text).replace(" ", "-")).strip("-")[:60].strip("-") or "x"


# -- the text: tokens and sentences over the collapsed text ----------------------------------


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    raw: str  # with its punctuation
    word: str  # without leading and trailing punctuation

    @property
    def closes(self) -> bool:
        """Punctuation after the word ends a name: a comma, stop, colon, bracket."""
        return bool(re.search(r"[,.;:!?)\]”\"]$", self.raw)) and not re.fullmatch(
            r"(?:[A-Z]\.)+|(?:Mr|Ms|Mrs|Dr|Prof|St)\.", self.raw
        )

    @property
    def opens(self) -> bool:
        return bool(re.match(r"^[(\[“\"‘]", self.raw))


@dataclass
class Text:
    """The report's collapsed text, its tokens and its sentence spans."""

    collapsed: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    lines: list[int]  # the raw text's line of each token
    _token_starts: list[int] = field(default_factory=list, repr=False)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)
    _name_uses: dict[str, int] | None = field(default=None, repr=False)
    _counts: dict[str, int] | None = field(default=None, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        """How often each word occurs."""
        if self._counts is None:
            self._counts = {}
            for token in self.tokens:
                self._counts[token.word] = self._counts.get(token.word, 0) + 1
        return self._counts

    def alone_on_line(self, index: int) -> bool:
        """The token is the only one on its line of the raw text (a page number)."""
        line = self.lines[index]
        before = index > 0 and self.lines[index - 1] == line
        after = index + 1 < len(self.lines) and self.lines[index + 1] == line
        return not before and not after

    def first_on_line(self, index: int) -> bool:
        return index == 0 or self.lines[index - 1] != self.lines[index]

    def index_at(self, offset: int) -> int:
        import bisect

        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    @property
    def _starts(self) -> list[int]:
        return self._token_starts

    @classmethod
    def of(cls, text: str) -> Text:
        report = Report(text)
        collapsed = report.collapsed
        tokens = []
        for m in re.finditer(r"\S+", collapsed):
            raw = m.group()
            word = raw.strip(".,;:!?()[]“”\"‘'’*•\uf0b7")
            if raw.endswith("’s") or raw.endswith("'s"):
                word = raw.strip('.,;:!?()[]“”"‘*')
            tokens.append(Token(m.start(), m.end(), raw, word))
        starts = report.sentence_starts()
        spans = [
            (s, (starts[i + 1] - 1) if i + 1 < len(starts) else len(collapsed))
            for i, s in enumerate(starts)
        ]
        lines = [report.line_at(t.start) for t in tokens]
        return cls(
            collapsed, tokens, spans, lines, [t.start for t in tokens], [s for s, _ in spans]
        )

    def sentence_of(self, offset: int) -> tuple[int, int]:
        import bisect

        index = max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)
        return self.sentences[index]

    def quote(self, start: int, end: int, limit: int = 240) -> str:
        """The sentence holding [start, end), cut to about ``limit`` characters around it."""
        s_start, s_end = self.sentence_of(start)
        s_end = max(s_end, end)
        if s_end - s_start > limit:
            room = max(0, (limit - (end - start)) // 2)
            s_start = max(s_start, start - room)
            s_end = min(s_end, end + room)
            while s_start > 0 and s_start < start and not self.collapsed[s_start - 1].isspace():
                s_start += 1
            while (
                s_end < len(self.collapsed) and s_end > end and not self.collapsed[s_end].isspace()
            ):
                s_end -= 1
        return self.collapsed[s_start:s_end].strip()


# -- known names: organizations the graph already holds ---------------------------------------


class KnownNamesError(Exception):
    """A curated file the known names are read from is not YAML; the message names it."""


@dataclass(frozen=True)
class KnownOrganization:
    id: str
    label: str
    names: tuple[str, ...]  # label, acronym and alternative labels
    file: str


def load_known(curated_dirs: Iterable[Path]) -> list[KnownOrganization]:
    """The organizations of the curated YAML below the given folders (missing ones skipped).

    Read as plain YAML, without the full schema check: a draft needs names, not a build.
    """
    found: dict[str, KnownOrganization] = {}
    for folder in curated_dirs:
        if not folder.is_dir():
            continue
        for path in curated_files(folder):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                first_line = str(exc).splitlines()[0]
                raise KnownNamesError(f"{path}: not readable YAML: {first_line}") from exc
            for item in (data.get("organizations") or []) if isinstance(data, dict) else []:
                if not isinstance(item, dict) or "id" not in item or "label" not in item:
                    continue
                names = [item["label"], item.get("acronym"), *(item.get("alt_labels") or [])]
                found.setdefault(
                    item["id"],
                    KnownOrganization(
                        item["id"],
                        item["label"],
                        tuple(str(n) for n in names if n),
                        str(path),
                    ),
                )
    return [found[key] for key in sorted(found)]


# -- candidates -----------------------------------------------------------------------------


@dataclass
class Candidate:
    """One proposed record: its fields, and the offsets of the mentions that back it."""

    type: str
    key: str
    fields: dict
    mentions: list[tuple[int, int]] = field(default_factory=list)
    alt: list[str] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)


class Pool:
    """Candidates by type and key, in the order first seen."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Candidate] = {}

    def add(self, rtype: str, key: str, fields: dict, span: tuple[int, int]) -> Candidate:
        candidate = self.by_key.get((rtype, key))
        if candidate is None:
            candidate = Candidate(rtype, key, fields)
            self.by_key[(rtype, key)] = candidate
        if span not in candidate.mentions:
            candidate.mentions.append(span)
        return candidate

    def of(self, rtype: str) -> list[Candidate]:
        return [c for (t, _), c in self.by_key.items() if t == rtype]


# -- countries ------------------------------------------------------------------------------


def country_names() -> dict[str, tuple[str, str, str]]:
    """Name as written -> (short name, ISO alpha-2, alpha-3), from pycountry (ISO 3166-1)."""
    import pycountry

    names: dict[str, tuple[str, str, str]] = {}
    for country in pycountry.countries:
        short = getattr(country, "common_name", None) or country.name
        for name in (country.name, short, getattr(country, "official_name", None)):
            if name and "," not in name and "(" not in name and len(name) > 3:
                names.setdefault(name, (short, country.alpha_2, country.alpha_3))
    return names


def find_countries(text: Text, pool: Pool, names: dict[str, tuple[str, str, str]]) -> None:
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    for m in pattern.finditer(text.collapsed):
        short, iso2, iso3 = names[m.group(1)]
        candidate = pool.add(
            "countries",
            iso2,
            {"label": short, "iso2": iso2, "iso3": iso3},
            (m.start(), m.end()),
        )
        if m.group(1) != short and m.group(1) not in candidate.alt:
            candidate.alt.append(m.group(1))


# -- organizations --------------------------------------------------------------------------

# capitalised words that start a sentence or a clause, not a name ("As China's State Council")
LEADING_WORDS = frozenset(
    "as in on at by for with from under through also besides moreover furthermore however "
    "while when where since after before during both then thus today recently overall "
    "collaborating".split()
)


def _is_cap(token: Token) -> bool:
    return (
        bool(CAP_TOKEN.match(token.word))
        and token.word.lower() not in DETERMINERS
        and not token.opens
        and "/" not in token.word
    )


def _head_word(token: Token) -> str:
    """The word without a possessive: "Society's" -> "Society"."""
    return re.sub(r"(?:'s|’s)$", "", token.word)


def _ends_name(token: Token, following: Token | None) -> bool:
    """A word that closes a name of its own: an organization or instrument word not followed
    by a capitalised word ("... Action Plan and Quad ..."), or a possessive."""
    if _head_word(token) != token.word:
        return _head_word(token) in ORG_HEADS  # "Society's", not "Children's"
    head = token.word in ORG_HEADS or token.word in INSTRUMENT_HEADS
    return head and not (following is not None and _is_cap(following))


def _left_edge(
    tokens: list[Token],
    head: int,
    stop_words: frozenset[str],
    countries: set[str],
    taken: set[int] = frozenset(),
) -> int:
    """Leftmost token of the capitalised run that ends at ``head`` (connectors inside),
    never reaching into a name already found (``taken`` token indexes)."""
    first = head
    i = head - 1
    while i >= 0:
        token = tokens[i]
        if (
            i in taken
            or token.closes
            or token.word.lower() in stop_words
            or _ends_name(token, tokens[i + 1])
        ):
            break
        if re.fullmatch(HONORIFIC, token.raw):
            break
        if _is_cap(token):
            first = i
        elif token.raw in ("’s", "'s") and i > 0 and _is_cap(tokens[i - 1]):
            pass  # "Children ’s Legal Aid": a possessive the text set apart
        elif not (token.word.lower() in ("and", "&", "of", "for", "the") and i > 0):
            break
        elif token.word in ("and", "&") and (
            ACRONYM.match(tokens[i - 1].word) or tokens[i - 1].word in countries
        ):
            break  # "ITU and the Government of ...": two names, not one
        i -= 1
    while first < head and (
        tokens[first].word.lower() in CONNECTORS or tokens[first].word.lower() in LEADING_WORDS
    ):
        first += 1
    return first


def _org_span(tokens: list[Token], head: int, countries: set[str]) -> tuple[int, int]:
    """Token indexes [first, last] of the organization name around the head word at ``head``."""
    first = _left_edge(tokens, head, TITLE_WORDS, countries)
    last = head
    if tokens[head].closes:
        return first, last
    # rightwards: "of/for/on (the) Capitalised ..." and lists ending in "and (the) X"
    i = head + 1
    if i < len(tokens) and tokens[i].word in ("of", "for", "on", "against", "in"):
        preposition = tokens[i].word
        j = i + 1
        if j < len(tokens) and tokens[j].word.lower() == "the":
            j += 1
        if preposition == "in" and (j >= len(tokens) or tokens[j].word not in countries):
            return first, last
        end = None
        while j < len(tokens):
            token = tokens[j]
            if token.opens:
                break
            if token.word == "in" and j + 1 < len(tokens) and tokens[j + 1].word in countries:
                j += 1
                continue
            if (
                token.word in ("and", "&")
                and j + 1 < len(tokens)
                and tokens[j + 1].word == "the"
                and _another_name_follows(tokens, j + 1)
            ):
                break
            if _is_cap(token) or token.word in ("of", "and", "&", "the", "for", "to", "on"):
                if _is_cap(token):
                    end = j
                if token.closes:
                    if token.raw.endswith(",") and _list_continues(tokens, j + 1):
                        j += 1
                        continue
                    break
                j += 1
                continue
            break
        if end is not None:
            last = end
    return first, last


def _another_name_follows(tokens: list[Token], j: int) -> bool:
    """After "and the": a capitalised run holding an organization word is a name of its own
    ("the Department of Justice and the Beijing Law Society"; but "Office of the National
    Broadcasting and Telecommunications Commission" is one)."""
    if j < len(tokens) and tokens[j].word.lower() == "the":
        j += 1
    while j < len(tokens) and _is_cap(tokens[j]):
        if _head_word(tokens[j]) in ORG_HEADS:
            return True
        if tokens[j].closes:
            break
        j += 1
    return False


def _list_continues(tokens: list[Token], j: int) -> bool:
    """After a comma: short capitalised items run on to "and (the) X" ("Transport,
    Regional Development, Communications and the Arts"); an acronym or another
    organization word ends the name instead."""
    item = 0
    for token in tokens[j : j + 10]:
        if token.word == "and":
            return True
        if ACRONYM.match(token.word) or token.word in ORG_HEADS or token.opens:
            return False
        if _is_cap(token) or token.word in ("the", "of"):
            item += 1
            if item > 3:
                return False
            if token.raw.endswith(","):
                item = 0
            continue
        return False
    return False


def _span_text(text: Text, tokens: list[Token], first: int, last: int) -> tuple[str, int, int]:
    start = tokens[first].start + (len(tokens[first].raw) - len(tokens[first].raw.lstrip('(“"‘')))
    raw = tokens[last].raw
    trimmed = raw.rstrip('.,;:!?)]”"’')
    if raw.endswith("’s") or raw.endswith("'s"):
        trimmed = raw
    end = tokens[last].start + len(trimmed) if trimmed else tokens[last].end
    return text.collapsed[start:end], start, end


def _initials_match(acronym: str, words: list[str]) -> bool:
    """The acronym's letters, in order, are initials of the words, the first being the first,
    and at most one capitalised word is left unspelled ("..., Indonesia (MOWECP)")."""
    letters = re.sub(r"s$", "", acronym).replace("&", "").lower()
    words = [part for w in words for part in w.split("-")]
    initials = [w[0].lower() for w in words if w and w[0].isalnum()]
    if not letters or not initials or initials[0] != letters[0]:
        return False
    position, used_capitals = 0, 0
    for word, initial in zip([w for w in words if w and w[0].isalnum()], initials, strict=True):
        if position < len(letters) and initial == letters[position]:
            position += 1
            used_capitals += word[0].isupper()
    capitals = sum(1 for w in words if w[:1].isupper())
    return position == len(letters) and capitals - used_capitals <= 1


def _strip_possessive(label: str, countries: set[str]) -> str:
    """ "Fiji's Online Safety Commission" -> "Online Safety Commission"."""
    m = re.match(r"^(\S+?)(?:'s|’s)\s(.+)$", label)
    return m.group(2) if m and m.group(1) in countries else label


def find_organizations(
    text: Text, pool: Pool, known: list[KnownOrganization], countries: set[str]
) -> dict[str, str]:
    """Organizations by name pattern, by expansion of an acronym and by known name.

    Returns the acronyms found spelled out as something that is not an organization
    (a programme, a law, "focus group discussions"), so their bare use is not taken for one.
    """
    tokens = text.tokens
    known_by_name = {normalize(n): k for k in known for n in k.names}
    not_orgs: dict[str, str] = {}

    def add(label: str, start: int, end: int, acronym: str | None = None) -> Candidate | None:
        label = _strip_possessive(re.sub(r"^(?:the|The)\s", "", label), countries)
        if label in ORG_HEADS:
            return None  # "the Office": which one, the text does not say here
        hit = known_by_name.get(normalize(label))
        if hit is not None:
            c = pool.add("organizations", hit.id, _known_fields(hit), (start, end))
        else:
            c = pool.add("organizations", normalize(label), {"label": label}, (start, end))
        if acronym and not c.fields.get("acronym") and normalize(acronym) != normalize(label):
            c.fields["acronym"] = acronym
        return c

    # 1. "Full Name (ACR)": the shortest run of words before it whose initials spell it
    expansions: dict[int, str] = {}  # token index of the name's last word -> acronym
    for index, token in enumerate(tokens):
        if not (token.opens and ACRONYM.match(token.word)) or index == 0:
            continue
        words: list[int] = []
        j = index - 1
        while j >= 0 and len(words) < 14:
            t = tokens[j]
            if (t.closes and j != index - 1 and not t.raw.endswith(",")) or t.opens:
                break
            if re.fullmatch(r"[^\W\d_][\w’'\-]*", t.word):
                words.insert(0, j)
                j -= 1
                continue
            break
        for k in range(len(words) - 1, -1, -1):
            if tokens[words[k]].word in CONNECTORS:
                continue
            spelled = [tokens[w].word for w in words[k:]]
            if _initials_match(token.word, spelled):
                label, start, end = _span_text(text, tokens, words[k], index - 1)
                label = label.rstrip(",")
                capitalised = all(
                    _is_cap(tokens[w]) or tokens[w].word in CONNECTORS for w in words[k:]
                )
                if capitalised and any(tokens[w].word in ORG_HEADS for w in words[k:]):
                    # "..., Indonesia (MOWECP)": the name without the country after it
                    label = (
                        re.sub(
                            r",\s(?:" + "|".join(map(re.escape, sorted(countries))) + r")$",
                            "",
                            label,
                        )
                        if "," in label
                        else label
                    )
                    add(label, start, start + len(label), token.word)
                    expansions[index - 1] = token.word
                else:
                    not_orgs.setdefault(token.word, label)
                break

    # 2. names built around an organization word: "Ministry of ...", "... Commission"
    covered: set[int] = set()
    for index, token in enumerate(tokens):
        possessive = _head_word(token) != token.word
        if _head_word(token) not in ORG_HEADS and token.word != "International":
            continue
        if index in covered:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            following is not None
            and not possessive
            and not token.closes
            and _is_cap(following)
            and following.word not in countries
        ):
            continue  # "Focus Group Discussions": the word qualifies another
        if token.word == "International" and (
            index == 0 or not ACRONYM.match(tokens[index - 1].word)
        ):
            continue  # "ECPAT International", not "International Telecommunication ..."
        if possessive:
            first, last = _left_edge(tokens, index, TITLE_WORDS, countries, covered), index
        else:
            first, last = _org_span(tokens, index, countries)
        if last == first and token.word in ORG_OPENERS | {"Government"}:
            continue  # "the Ministry", "the Government": which one the text does not say here
        covered.update(range(first, last + 1))
        # "Australian Government Department of X": the government and the department apart
        parts = [(first, last)]
        for inner in range(first + 1, last + 1):
            if (
                tokens[inner].word in ORG_OPENERS
                and tokens[inner - 1].word in ORG_HEADS
                and tokens[inner + 1 : inner + 2]
                and tokens[inner + 1].word in ("of", "for", "on")
            ):
                parts = [(first, inner - 1), (inner, last)]
                break
        if (
            len(parts) == 1
            and first < index < last
            and tokens[last].word in ORG_HEADS
            and tokens[index + 1].word in ("of", "for")
        ):
            # "X Research Institute of Y University": two organizations, each with its word
            start_of_second = index + 2 + (tokens[index + 2].word.lower() == "the")
            parts = [(first, index), (start_of_second, last)]
        for part_first, part_last in parts:
            label, start, end = _span_text(text, tokens, part_first, part_last)
            if possessive and part_last == index:
                label = _head_word(Token(0, 0, label, label))
                end = start + len(label)
            words = label.replace(",", " ").split()
            if len(words) < 2 or len(words) > 16:
                continue
            acronym = expansions.get(part_last)
            nxt = tokens[part_last + 1] if part_last + 1 < len(tokens) else None
            if acronym is None and nxt is not None and ACRONYM.match(nxt.word) and not nxt.opens:
                if _initials_match(nxt.word, [w for w in words if w[:1].isupper()]):
                    acronym = nxt.word  # "Asia-Pacific Telecommunity APT"
            add(label, start, end, acronym)

    # 3. an acronym or a brand-like word before a country: "UNICEF Mongolia", "GovTech Bhutan",
    # "UNICEF in Pakistan", "organized by Telenor Pakistan"
    for index, token in enumerate(tokens[:-2]):
        nxt = tokens[index + 1]
        brand = ACRONYM.match(token.word) or re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", token.word)
        after_by = index > 0 and tokens[index - 1].word in ("by", "with") and _is_cap(token)
        last = index + 1
        if brand and nxt.word == "in" and tokens[index + 2].word in countries:
            last = index + 2
        if (
            (brand or after_by)
            and not token.closes
            and tokens[last].word in countries
            and token.word not in not_orgs
            and token.word.upper() not in GENERIC_ACRONYMS
        ):
            label, start, end = _span_text(text, tokens, index, last)
            add(label, start, end)

    # a country's government: "the government of Australia", "Philippine government"
    for m in re.finditer(
        r"\b([Gg]overnment of (?:the )?([A-Z][\w-]+(?: [A-Z][\w-]+)?))", text.collapsed
    ):
        if m.group(2) in countries:
            add(m.group(1), m.start(1), m.end(1))
    for m in re.finditer(r"\b(([A-Z][a-z]{4,}) [Gg]overnment)\b", text.collapsed):
        adjective = m.group(2)
        if adjective not in countries and any(
            c.startswith(adjective[:5]) and " " not in c for c in countries
        ):
            add(m.group(1), m.start(1), m.end(1))

    # lower-case bodies: "the national working group", "a drafting committee of X"
    for m in LOWER_CASE_BODY.finditer(text.collapsed):
        modifiers = m.group("modifiers").split()
        if not modifiers or all(w.lower() in VAGUE_MODIFIERS for w in modifiers):
            continue
        label = re.sub(r"(?:\s(?:of|for|on|the))+$", "", m.group("body").strip())
        add(label, m.start("body"), m.start("body") + len(label))

    # "department for education": a lower-case body named by what it is for
    for m in re.finditer(
        r"\b(?:with|by|and)\s(?:the\s)?(?P<body>(?:department|ministry|commission)\s(?:for|of)\s"
        r"[a-z]+(?:\sand\s[a-z]+)?)\b",
        text.collapsed,
    ):
        add(m.group("body"), m.start("body"), m.end("body"))

    # 4. names the graph already holds (labels, acronyms, alternative labels)
    # one pass per case rule, longest names first, however many organizations are known
    owners: dict[str, KnownOrganization] = {}
    for hit in known:
        for name in hit.names:
            if len(name) >= 2:
                owners.setdefault(name if ACRONYM.match(name) else name.lower(), hit)
    for exact in (True, False):
        names = sorted((n for n in owners if bool(ACRONYM.match(n)) == exact), key=len)[::-1]
        if not names:
            continue
        alternatives = "|".join(re.escape(n) for n in names)
        pattern = re.compile(
            rf"(?<![\w-])(?:{alternatives})(?![\w-])", 0 if exact else re.IGNORECASE
        )
        for m in pattern.finditer(text.collapsed):
            hit = owners[m.group() if exact else m.group().lower()]
            pool.add("organizations", hit.id, _known_fields(hit), (m.start(), m.end()))

    # 5. acronyms standing alone, not spelled out as something else
    by_acronym = {
        c.fields["acronym"]: c for c in pool.of("organizations") if c.fields.get("acronym")
    }
    for token in tokens:
        word = token.word
        if not (
            ACRONYM.match(word)
            and sum(c.isupper() for c in word) >= 2
            and word.upper().rstrip("S") not in GENERIC_ACRONYMS
            and word.rstrip("s") not in not_orgs
            and word not in not_orgs
            and word not in countries
        ):
            continue
        if word in by_acronym:
            by_acronym[word].mentions.append((token.start, token.start + len(word)))
        elif _used_as_name(text, word):
            add(word, token.start, token.start + len(word))
    return not_orgs


LOWER_CASE_BODY = re.compile(
    r"(?:\b(?:the|a|an|its|their|of|with|by|and)\s)(?P<body>(?P<modifiers>(?:(?!(?:the|a|an|of|"
    r"in|on|to|with|by|for|was|is|has|and\sthe)\b)[A-Za-z][\w-]*\s(?:and\s)?){1,4})"
    r"(?:task\sforce|working\sgroup|committee|department|commission|council)"
    r"(?:\s(?:of|for|on)\s(?:the\s|a\s)?(?:[A-Z][\w’'-]*\s?(?:(?:of|for|on|the)\s){0,2}){1,10})?)"
    r"(?![\w-])"
)
# modifiers that say which kind of body, not which body
VAGUE_MODIFIERS = frozenset(
    "government other relevant all some such new first key main that this these those several "
    "many various each every which".split()
)


def _used_as_name(text: Text, word: str) -> bool:
    """Twice used as a name, or once and often written (the rest as a modifier)."""
    uses = name_uses(text).get(word, 0)
    return uses >= 2 or (uses == 1 and text.counts.get(word, 0) >= 3)


def name_uses(text: Text) -> dict[str, int]:
    """How often each word is used as a name: one of a list of names, or the subject or
    object of a verb; not as a modifier of the word after it ("COP guidelines").

    An acronym used so twice or more is taken for an organization.
    """
    if text._name_uses is not None:
        return text._name_uses
    uses: dict[str, int] = {}
    for i, token in enumerate(text.tokens):
        if not ACRONYM.match(token.word):
            continue
        word = token.word
        after = text.tokens[i + 1].word if i + 1 < len(text.tokens) else ""
        before = text.tokens[i - 1] if i > 0 else None
        if not token.closes and after[:1].isupper():
            continue  # "ITU Regional Office": the first word of a longer name
        in_list = (
            token.raw.endswith(",")
            or after in ("and", "or")
            or (before is not None and (before.raw.endswith(",") or before.word in ("and", "or")))
        )
        if in_list or after in ("is", "was", "has", "have", "will", "to", "as", "in", "and"):
            uses[word] = uses.get(word, 0) + 1
        if before is not None and before.word in ("with", "by", "from", "between"):
            uses[word] = uses.get(word, 0) + 1
    text._name_uses = uses
    return uses


def _known_fields(hit: KnownOrganization) -> dict:
    return {"label": hit.label, "known": hit.file}


# -- people ---------------------------------------------------------------------------------

LOWER = r"[a-z\u00c0-\u024f’']"
# a capitalised word of a name ("Batapa-Sigue"), or an initial ("A S M Humaun Kabir")
NAME_TOKEN = (
    rf"(?!(?:The|This|That|Mr|Ms|Mrs|Dr|Prof)\b)(?:[A-Z]{LOWER}*(?:-[A-Z]?{LOWER}+)*|[A-Z](?=\s))"
)
PERSON = re.compile(
    rf"(?<![\w.])(?P<honorific>{HONORIFIC})\s(?P<name>{NAME_TOKEN}(?:\s{NAME_TOKEN}){{0,4}})"
    rf"(?![\w])"
)
ROLE_NAME = re.compile(
    rf"\b(?:[Mm]oderator|[Ss]peaker|[Cc]hair|[Pp]resenter|[Ff]acilitator)s?:\s"
    rf"(?P<name>{NAME_TOKEN}(?:\s{NAME_TOKEN}){{1,3}}),"
)


def find_people(text: Text, pool: Pool) -> None:
    found: list[tuple[str, str, int, int]] = []  # honorific, name, start, end
    for m in PERSON.finditer(text.collapsed):
        honorific = re.sub(r"\s+", " ", m.group("honorific"))
        found.append((honorific, m.group("name"), m.start(), m.end()))
    for m in ROLE_NAME.finditer(text.collapsed):
        found.append(("", m.group("name"), m.start("name"), m.end("name")))
    found.sort(key=lambda f: f[2])
    full: dict[str, str] = {}
    for _, name, _, _ in found:
        if len(name.split()) >= 2:
            full.setdefault(normalize(name), name)
    # "Humaun Kabir" within "A S M Humaun Kabir": the longer is the name
    for key in list(full):
        longer = [k for k in full if k != key and set(key.split()) < set(k.split())]
        if len(longer) == 1:
            del full[key]
    for honorific, name, start, end in found:
        key = normalize(name)
        if key not in full:
            # "Dr. Okuda", "Dr. Mark": a short form of exactly one full name
            owners = [k for k in full if set(key.split()) <= set(k.split())]
            if len(owners) != 1:
                continue
            key = owners[0]
        candidate = pool.add("people", key, {"name": full[key]}, (start, end))
        honorific = honorific.replace("H. E.", "H.E.")
        current = candidate.fields.get("honorific")
        if honorific and (current is None or (honorific == current + ".")):
            candidate.fields["honorific"] = honorific  # "Dr." over "Dr" where both occur
        written = f"{honorific} {name}".strip()
        canonical = f"{candidate.fields.get('honorific', '')} {full[key]}".strip()
        if (
            written != canonical
            and name != full[key]
            or (
                written != canonical
                and honorific
                and honorific != candidate.fields.get("honorific")
            )
        ):
            if written not in candidate.alt:
                candidate.alt.append(written)
        post = _post_after(text, end)
        if post and post not in candidate.posts:
            post["name_start"] = start
            candidate.posts.append(post)


def _post_after(text: Text, end: int) -> dict | None:
    """The title and organization that follow a name: "Jane Roe, Director, Ministry of X"."""
    rest = text.collapsed[end : end + 260]
    if not rest.startswith(","):
        return None
    sentence_end = text.sentence_of(end)[1]
    window = rest[1 : max(1, sentence_end - end)]
    window = re.split(
        rf"\s(?:{HONORIFIC})\s|\s(?:said|stated|says|presented|who|which|and\s(?:he|she)|"
        rf"highlighted|emphasized|stressed|delivered|started|opened|concluded)\b|[\uf0b7•]",
        window,
    )[0]
    parts = window.split(", ")
    head = re.split(r"\sat\s(?:the\s)?", parts[0], maxsplit=1)
    segments = [s.strip() for s in head + parts[1:] if s.strip()]
    if not segments:
        return None
    title = segments[0].rstrip(".")
    if not any(w.lower() in TITLE_WORDS for w in re.findall(r"[A-Za-z]+", title)):
        return None
    if not title[0].isupper() or len(title.split()) > 14:
        return None
    organization = None
    for segment in segments[1:]:
        segment = re.sub(r"^(?:the|The)\s", "", segment.rstrip(".,;"))
        words = segment.split()
        if not words or not words[0][:1].isupper() or len(words) > 12:
            break
        if any(w.lower() in TITLE_WORDS for w in words) and not any(w in ORG_HEADS for w in words):
            continue  # a second title: "Coordinator, Data Management Officer"
        # "X at United Nations": X, located at a body named in two words or more
        segment = re.split(r"\sat\s(?:the\s)?(?=[A-Z]\S*\s[A-Z])", segment)[0]
        words = segment.split()
        if all(CAP_TOKEN.match(w) or w in CONNECTORS or w == "at" for w in words):
            # "APAC GSMA": a region's abbreviation before the name is not part of it
            generic = "|".join(sorted(GENERIC_ACRONYMS))
            organization = re.sub(rf"^(?:{generic})\s", "", segment)
        break  # the organization is the first segment after the title, or there is none
    if title.lower().startswith("the "):
        title = title[4:]
    post = {"title": title}
    if organization:
        post["organization"] = organization
        at = text.collapsed.find(organization, end)
        post["span"] = (at, at + len(organization))
    quote_end = end + 1 + len(window)
    post["quote"] = text.collapsed[end:quote_end]
    return post


# -- dates and dated events -----------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: str
    end_date: str | None = None


DATE_PATTERNS = (
    # 8-9 February 2023, 7th December 2023, 14 June 2023 (year may be missing)
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){ORDINAL}?(?:\s?[-–]\s?(?P<day2>\d{{1,2}}){ORDINAL}?)?\s"
        rf"(?P<month>{MONTH})(?:,?\s(?P<year>{YEAR}))?\b"
    ),
    # June 14, 2023
    re.compile(rf"\b(?P<month>{MONTH})\s(?P<day>\d{{1,2}}){ORDINAL}?,\s(?P<year>{YEAR})\b"),
    # June 2023, Sep 2022
    re.compile(rf"\b(?P<month>{MONTH})\s(?P<year>{YEAR})\b"),
    # from 2022 to 2023
    re.compile(rf"\b[Ff]rom\s(?P<year>{YEAR})\s(?:to|until|-)\s(?P<year2>{YEAR})\b"),
    # end of September, in April (the year comes from the sentence)
    re.compile(rf"\b(?:in|of|since|until|last|early|late|mid-)\s(?P<month>{MONTH})\b(?!\s\d)"),
    # a year: in 2021, the Day 2023
    re.compile(rf"(?<![\d.\-/])(?P<year>{YEAR})(?![\d%\-/])"),
)


def find_dates(text: Text) -> list[DateMention]:
    """Dates in the text, the most precise reading of each place first."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text.collapsed):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            year = groups.get("year")
            if not year and groups.get("month"):
                year = _sentence_year(text, m.start())
                if not year:
                    continue
            month = MONTHS.get((groups.get("month") or "").rstrip("."))
            if groups.get("month") == "May" and not groups.get("day"):
                continue  # the verb, most likely
            date = year
            if month:
                date += f"-{month:02d}"
                if groups.get("day"):
                    if not 1 <= int(groups["day"]) <= 31:
                        continue
                    date += f"-{int(groups['day']):02d}"
            end_date = None
            if groups.get("day2") and month:
                end_date = f"{year}-{month:02d}-{int(groups['day2']):02d}"
            if groups.get("year2"):
                end_date = groups["year2"]
            found.append(DateMention(m.start(), m.end(), date, end_date))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _sentence_year(text: Text, offset: int) -> str | None:
    start, end = text.sentence_of(offset)
    years = sorted(set(re.findall(rf"(?<![\d.])({YEAR})(?![\d%])", text.collapsed[start:end])))
    return years[0] if len(years) == 1 else None


def find_events(text: Text, pool: Pool, dates: list[DateMention]) -> None:
    """An event word ("conference", "Day", "launched") in a sentence with a date: a dated event."""
    tokens = text.tokens
    for index, token in enumerate(tokens):
        noun = token.word.lower()
        kind = EVENT_NOUNS.get(noun)
        if token.word == "launched":
            kind = "launch"
        if kind is None:
            continue
        if noun in ("day", "week") and not token.word[0].isupper():
            continue  # "one day", "this week": a time, not an event
        s_start, s_end = text.sentence_of(token.start)
        in_sentence = [d for d in dates if s_start <= d.start < s_end]
        # "in September ... in 2023": the year is the month's, not a date of its own
        in_sentence = [
            d
            for d in in_sentence
            if len(d.date) > 4 or not any(o.date.startswith(d.date + "-") for o in in_sentence)
        ]
        if not in_sentence:
            continue
        if token.word == "launched":
            first, last = index, _launch_object_end(tokens, index)
            label = (
                "Launch of " + _span_text(text, tokens, index + 1, last)[0]
                if last > index
                else None
            )
            if not label:
                continue
        else:
            first, last = _event_span(tokens, index)
            label = _span_text(text, tokens, first, last)[0]
            label = label[:1].upper() + label[1:]
        start, end = tokens[first].start, tokens[last].end
        after = [d for d in in_sentence if 0 <= d.start - end <= 60]
        date = (
            after[0]
            if after
            else min(in_sentence, key=lambda d: (_distance(d, start, end), d.start))
        )
        if len(label.split()) < 2 and len(date.date) < 10 and not date.end_date:
            continue  # "the workshop ... in 2023": which workshop, the words do not say
        fields = {"label": label, "kind": kind, "date": date.date}
        if date.end_date:
            fields["end"] = date.end_date
        # one event per date and kind: "the Concluding Workshop" named twice, two ways
        same = [
            c
            for c in pool.of("events")
            if c.fields["date"] == date.date and c.fields["kind"] == kind
        ]
        event = pool.add(
            "events",
            same[0].key if same else f"{normalize(label)}|{date.date}",
            fields,
            (min(start, date.start), max(end, date.end)),
        )
        if event.fields["label"] != label:
            # the longer name is the label, the other an alternative label
            shorter, longer = sorted((event.fields["label"], label), key=lambda n: (len(n), n))
            event.fields["label"] = longer
            for name in (shorter,):
                if name not in event.alt:
                    event.alt.append(name)
            event.alt = [n for n in event.alt if n != longer]


def _distance(date: DateMention, start: int, end: int) -> int:
    if date.start >= end:
        return date.start - end
    if date.end <= start:
        return start - date.end
    return 0


def _event_span(tokens: list[Token], index: int) -> tuple[int, int]:
    first = index
    i = index - 1
    while i >= 0 and index - i <= 10:
        t = tokens[i]
        if t.closes:
            break
        low = t.word.lower()
        if _is_cap(t) or re.fullmatch(
            rf"\d+{ORDINAL}|first|second|third|national|regional|"
            rf"international|annual|global|expert|task|force|group|"
            rf"focus|consultative|online|virtual|joint|high-level",
            low,
        ):
            first = i
            i -= 1
            continue
        if (
            low in ("in", "of", "for", "on", "and")
            and i > 0
            and _is_cap(tokens[i - 1])
            and _is_cap(tokens[i + 1])
        ):
            i -= 1
            continue
        break
    while first < index and tokens[first].word.lower() in CONNECTORS:
        first += 1
    last = index
    i = index + 1
    if not tokens[index].closes:
        if i < len(tokens) and tokens[i].word in ("on", "of", "for"):
            j, end = i + 1, None
            while j < len(tokens) and (
                _is_cap(tokens[j]) or tokens[j].word in ("and", "of", "the")
            ):
                if _is_cap(tokens[j]):
                    end = j
                if tokens[j].closes:
                    break
                j += 1
            if end is not None:
                last = end
        else:
            while i < len(tokens) and (_is_cap(tokens[i]) or re.fullmatch(YEAR, tokens[i].word)):
                last = i
                if tokens[i].closes:
                    break
                i += 1
    return first, last


def _launch_object_end(tokens: list[Token], index: int) -> int:
    last = index
    for j in range(index + 1, min(len(tokens), index + 14)):
        if tokens[j].word in ("on", "at", "in", "during", "with", "by") or (
            tokens[j].word.lower() in MONTHS
        ):
            break
        last = j
        if tokens[j].closes:
            break
    return last


# -- figures --------------------------------------------------------------------------------

# nouns that end like adverbs or verbs but name what is counted
UNIT_NOUNS_ENDING_LIKE_VERBS = frozenset(
    "meeting meetings training trainings building buildings family setting settings "
    "hearing hearings reading readings briefing briefings offering offerings".split()
)
QUALIFIERS = {
    "over": "min",
    "more than": "min",
    "at least": "min",
    "above": "min",
    "upwards of": "min",
    "nearly": "max",
    "almost": "max",
    "up to": "max",
    "under": "max",
    "less than": "max",
    "fewer than": "max",
    "at most": "max",
    "around": "value",
    "about": "value",
    "approximately": "value",
    "roughly": "value",
    "some": "value",
    "a total of": "value",
    "between": "min",
}
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SPELLED = "|".join(NUMBER_WORDS)
FIGURE = re.compile(
    rf"(?<![\w.,:/\-%])(?:(?P<qualifier>{'|'.join(sorted(QUALIFIERS, key=len, reverse=True))})\s)?"
    rf"(?:(?P<a>a)\s)?"
    rf"(?P<first>{NUMBER}|{SPELLED}|thousand|decade)"
    rf"(?P<scale1>\s(?:hundred|thousand|million|billion))?"
    rf"(?:\s(?P<plus>{NUMBER}))?"
    rf"(?P<percent1>\s?%|\sper\s?cent)?"
    rf"(?:\s?(?:-|–|to)\s?(?P<second>{NUMBER}|{SPELLED})(?P<scale2>\s(?:million|billion|thousand))?"
    rf"(?P<percent2>\s?%|\sper\s?cent)?)?"
    rf"(?P<glued>(?:-[a-z]+)+|[a-z]+)?"
    rf"(?P<bound>\s(?:and|or)\s(?:below|under|above|over|older|younger|more|less))?"
    rf"(?![\w%])",
    re.IGNORECASE,
)
VAGUE = re.compile(r"\b(?P<word>[Mm]illions|[Tt]housands|[Hh]undreds|[Dd]ozens|[Bb]illions)\sof\s")


def _number(text: str | None) -> float | None:
    if not text:
        return None
    low = text.lower()
    if low in NUMBER_WORDS:
        return NUMBER_WORDS[low]
    if low in ("thousand",):
        return 1000
    if low == "decade":
        return 10
    return float(low.replace(",", ""))


def _clean_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


YEARLESS_DATE = re.compile(rf"\b\d{{1,2}}{ORDINAL}?(?:\s?[-–]\s?\d{{1,2}}{ORDINAL}?)?\s{MONTH}\b")
URL = re.compile(r"\S*(?:://|www\.|%20|\.aspx|\.html?)\S*")


def find_figures(text: Text, pool: Pool, dates: list[DateMention]) -> None:
    """Numbers with the words they count, kept as the report words them: "over 212
    participants" (min 212), "around 400 to 450 participants", "75%", "millions of children"
    (no number). Dates, years, times, headings, page numbers, ordinals, links and numbers
    inside names ("Session 1", "Target 8.7") are not figures."""
    collapsed = text.collapsed
    date_spans = [(d.start, d.end) for d in dates]
    date_spans += [(m.start(), m.end()) for m in YEARLESS_DATE.finditer(collapsed)]
    date_spans += [(m.start(), m.end()) for m in URL.finditer(collapsed)]
    for m in FIGURE.finditer(collapsed):
        first = m.group("first")
        index = text.index_at(m.start("first"))
        if text.alone_on_line(index):
            continue  # a page number
        if text.first_on_line(index) and re.match(
            r"\d[\d.]*\.?\s[A-Z“\"]", collapsed[m.start("first") :]
        ):
            continue  # a numbered heading: "4.2 Session 1", "5. Full Agenda"
        if (m.group("glued") or "").lower() in ("st", "nd", "rd", "th"):
            continue  # an ordinal: "2nd ASEAN ICT Forum"
        if m.group("a") and first.lower() not in ("thousand", "decade", "dozen", "hundred"):
            continue
        if first.lower() in ("thousand", "decade", "dozen", "hundred") and not m.group("a"):
            continue
        start = m.start("qualifier") if m.group("qualifier") else m.start()
        number_start = m.start("first")
        if any(s <= number_start < e for s, e in date_spans):
            continue
        if re.fullmatch(YEAR, first) and not (m.group("percent1") or m.group("glued")):
            continue  # a year
        if re.search(r"\d:\d|\d\.\d\.\d", collapsed[max(0, number_start - 3) : m.end() + 3]):
            continue  # a time or a section number
        if re.search(r"(?:^|\s)[A-Z][\w’'\-]*\s$", collapsed[max(0, start - 30) : start]) and (
            not m.group("qualifier")
        ):
            before = collapsed[max(0, start - 30) : start].split()[-1]
            if not _sentence_start(text, start - len(before) - 1):
                continue  # "Session 1", "Target 8.7": part of a name
        percent = bool(m.group("percent1") or m.group("percent2"))
        value = _number(first)
        if m.group("scale1"):
            value *= SCALES[m.group("scale1").strip().lower()]
        if m.group("plus") and value in (100, 1000) and m.group("a"):
            value += float(m.group("plus"))  # "a thousand 600"
        elif m.group("plus"):
            continue
        second = _number(m.group("second"))
        if second is not None and m.group("scale2"):
            second *= SCALES[m.group("scale2").strip().lower()]
        end = m.end()
        unit, unit_end = _unit_after(collapsed, end, percent, m.group("glued"))
        if not unit and re.search(r"\baged?\s$", collapsed[max(0, start - 5) : start]):
            unit, unit_end = "years of age", end  # "children aged 9-12"
        if not unit:
            continue
        fields: dict = {}
        qualifier = (m.group("qualifier") or "").lower()
        role = QUALIFIERS.get(qualifier, "value")
        if second is not None and second > value:
            fields["min"], fields["max"] = _clean_number(value), _clean_number(second)
        elif m.group("bound"):
            bound = m.group("bound").split()[-1].lower()
            fields["max" if bound in ("below", "under", "younger", "less") else "min"] = (
                _clean_number(value)
            )
        elif m.group("glued") and "max" in unit.split():
            fields["max"] = _clean_number(value)
        else:
            fields[role] = _clean_number(value)
        wording = collapsed[start:unit_end].strip()
        fields = {
            "description": unit,
            **fields,
            "unit": unit,
            "wording": wording,
        }
        pool.add("figures", f"{start}", fields, (start, unit_end))
    for m in VAGUE.finditer(collapsed):
        unit, unit_end = _unit_after(collapsed, m.end() - 1, False, None)
        if not unit:
            continue
        wording = collapsed[m.start() : unit_end]
        pool.add(
            "figures",
            f"{m.start()}",
            {"description": unit, "unit": unit, "wording": wording},
            (m.start(), unit_end),
        )


def _sentence_start(text: Text, offset: int) -> bool:
    """A sentence starts at this offset ("Over 200 came", not "Session 1")."""
    return text.sentence_of(max(0, offset + 1))[0] >= offset


def _unit_after(collapsed: str, end: int, percent: bool, glued: str | None) -> tuple[str, int]:
    """The words counted, and where they end: up to four words after the number, to the
    first stop word; "percent ..." for a percentage."""
    words: list[str] = []
    ends: list[int] = []  # where each unit word ends
    if glued:
        words.append(glued.lstrip("-"))
        ends.append(end)
    glued_on = end < len(collapsed) and not collapsed[end].isspace()
    for m in re.finditer(r"\s(\S+)", "" if glued_on else collapsed[end : end + 120]):
        raw = m.group(1)
        word = raw.strip('.,;:!?()“”"')
        low = word.lower()
        if not word or low in STOP_WORDS or low in DETERMINERS or re.fullmatch(HONORIFIC, raw):
            break
        if raw[0] in '([“"\uf0b7•' or raw[0].isdigit():
            break
        if words and (
            re.search(r"(?:ly|ed|ing)$", low)
            and low not in UNIT_NOUNS_ENDING_LIKE_VERBS
            or (word[0].isupper() and words[-1][:1].islower())
        ):
            break
        if low == "of" and (not percent or words):
            break
        words.append(word)
        ends.append(end + m.end(1) - (len(raw) - len(raw.rstrip('.,;:!?)”"'))))
        if raw != raw.rstrip('.,;:!?)”"') or len(words) >= 4:
            break
    if words and words[-1].lower() == "of":
        words.pop()
        ends.pop()
    unit = " ".join(words)
    position = ends[-1] if ends else end
    if percent:
        return (f"percent {unit}" if unit else "percent"), position
    return unit, position


# -- instruments ----------------------------------------------------------------------------


def _another_instrument_follows(tokens: list[Token], j: int) -> bool:
    while j < len(tokens) and _is_cap(tokens[j]):
        if tokens[j].word in INSTRUMENT_HEADS:
            return True
        j += 1
    return False


def find_instruments(text: Text, pool: Pool, not_orgs: dict[str, str]) -> None:
    tokens = text.tokens
    for index, token in enumerate(tokens):
        kind = INSTRUMENT_HEADS.get(token.word)
        if kind is None:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            following is not None
            and not token.closes
            and _is_cap(following)
            and not re.fullmatch(r"\d[\d.]*", following.word)
        ):
            continue  # "Senior Policy Manager", "Law Research Institute"
        if token.word == "Action" and not (
            index >= 2 and tokens[index - 1].word == "to" and tokens[index - 2].word == "Call"
        ):
            continue
        first = index if token.word != "Action" else index - 2
        i = first - 1
        while i >= 0 and not tokens[i].closes and first - i <= 8:
            t = tokens[i]
            if t.word.lower() in TITLE_WORDS or _ends_name(t, tokens[i + 1]):
                break  # "Executive Manager of Strategy": a title, not a strategy
            if (
                _is_cap(t)
                or re.fullmatch(YEAR, t.word)
                or (t.word in ("of", "on", "for") and i > 0 and _is_cap(tokens[i - 1]))
            ):
                first = i
                i -= 1
                continue
            break
        while first < index and tokens[first].word in CONNECTORS:
            first += 1
        if first == index and token.word not in ("Act",):
            continue  # a bare "Framework": which one, the text does not say here
        last = index
        if not token.closes and index + 1 < len(tokens):
            nxt = tokens[index + 1]
            if re.fullmatch(r"\d+(?:\.\d+)*", nxt.word):
                last = index + 1
            elif nxt.word in ("of", "on", "for") and index + 2 < len(tokens):
                j, end = index + 2, None
                while j < len(tokens) and (
                    _is_cap(tokens[j])
                    or re.fullmatch(YEAR, tokens[j].word)
                    or tokens[j].word in ("the", "and", "of")
                ):
                    if tokens[j].word == "and" and _another_instrument_follows(tokens, j + 1):
                        break  # "... of the Child and General Comment 25": two instruments
                    if tokens[j].word.lower() in EVENT_NOUNS:
                        end = None  # "Guidelines on Safer Internet Day": an occasion
                        break
                    if _is_cap(tokens[j]) or re.fullmatch(YEAR, tokens[j].word):
                        end = j
                    if tokens[j].closes:
                        break
                    j += 1
                if end is not None:
                    last = end
        label, start, end = _span_text(text, tokens, first, last)
        if tokens[first].word in ORG_HEADS and tokens[first].word not in ("Alliance",):
            continue
        pool.add("instruments", normalize(label), {"label": label, "kind": kind}, (start, end))
    for acronym, label in sorted(not_orgs.items()):
        head = label.split()[-1]
        if head in INSTRUMENT_HEADS:
            c = pool.add(
                "instruments",
                normalize(label),
                {"label": label, "kind": INSTRUMENT_HEADS[head]},
                (0, 0),
            )
            c.mentions.remove((0, 0))
            if acronym not in c.alt:
                c.alt.append(acronym)
            m = re.search(re.escape(label) + r"\s\(" + re.escape(acronym), text.collapsed)
            if m:
                c.mentions.append((m.start(), m.end() + 1))


# -- the records ----------------------------------------------------------------------------

MAX_QUOTES = 3


def draft_records(text: str, known: list[KnownOrganization] | None = None) -> dict[str, list[dict]]:
    """Candidate records per record type, in the curated format, each with its quotes."""
    source = Text.of(text)
    pool = Pool()
    names = country_names()
    find_countries(source, pool, names)
    country_words = set(names) | {n.split()[-1] for n in names}
    dates = find_dates(source)
    find_people(source, pool)
    not_orgs = find_organizations(source, pool, known or [], country_words)
    add_post_organizations(pool, known or [], country_words)
    merge_extended_names(pool)
    find_events(source, pool, dates)
    find_figures(source, pool, dates)
    find_instruments(source, pool, not_orgs)
    return _records(source, pool)


def add_post_organizations(pool: Pool, known: list[KnownOrganization], countries: set[str]):
    """The organization named after a person's title is an organization candidate too."""
    by_name: dict[str, Candidate] = {}
    for c in pool.of("organizations"):
        by_name[normalize(c.fields["label"])] = c
        if c.fields.get("acronym"):
            by_name.setdefault(normalize(c.fields["acronym"]), c)
    known_by_name = {normalize(n): k for k in known for n in k.names}
    for person in pool.of("people"):
        for post in person.posts:
            name = post.get("organization")
            if not name or name in countries or "span" not in post:
                continue
            key = normalize(name)
            if key in by_name:
                by_name[key].mentions.append(post["span"])
                continue
            hit = known_by_name.get(key)
            if hit is not None:
                by_name[key] = pool.add("organizations", hit.id, _known_fields(hit), post["span"])
            else:
                by_name[key] = pool.add("organizations", key, {"label": name}, post["span"])


def merge_extended_names(pool: Pool) -> None:
    """ "X Welcome Remarks" where "X" is a candidate too: a heading run into a name; one."""
    organizations = pool.of("organizations")
    labels = {normalize(c.fields["label"]): c for c in organizations}
    for c in organizations:
        words = normalize(c.fields["label"]).split()
        for cut in (1, 2):
            shorter = " ".join(words[:-cut])
            if len(words) - cut >= 2 and shorter in labels and labels[shorter] is not c:
                labels[shorter].mentions.extend(c.mentions)
                del pool.by_key[("organizations", c.key)]
                break


def _quotes(text: Text, candidate: Candidate) -> list[dict]:
    quotes: list[str] = []
    for start, end in sorted(candidate.mentions):
        quote = text.quote(start, end)
        if quote and quote not in quotes:
            quotes.append(quote)
        if len(quotes) >= MAX_QUOTES:
            break
    return [{"quote": q} for q in quotes]


def _records(text: Text, pool: Pool) -> dict[str, list[dict]]:
    ids: set[str] = set()
    org_ids: dict[str, str] = {}

    def unique(base: str) -> str:
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.add(candidate)
        return candidate

    out: dict[str, list[dict]] = {name: [] for name in RECORD_FILES}
    for c in sorted(pool.of("organizations"), key=lambda c: min(c.mentions)):
        known = c.fields.get("known")
        record_id = c.key if known else unique(slug(c.fields["label"]))
        if known:
            ids.add(record_id)
        org_ids[normalize(c.fields["label"])] = record_id
        if c.fields.get("acronym"):
            org_ids.setdefault(normalize(c.fields["acronym"]), record_id)
        record = {"id": record_id, "label": c.fields["label"]}
        if c.fields.get("acronym") and c.fields["acronym"] != c.fields["label"]:
            record["acronym"] = c.fields["acronym"]
        record["kind"] = "unstated"
        record["evidence"] = _quotes(text, c)
        record["note"] = (
            f"draft: already in the graph ({Path(known).name}); add the quotes there if they help"
            if known
            else "draft: check the name and set kind, country and parent from the report"
        )
        out["organizations"].append(record)
    for c in sorted(pool.of("people"), key=lambda c: min(c.mentions)):
        record = {"id": unique(slug(c.fields["name"])), "name": c.fields["name"]}
        if c.fields.get("honorific"):
            record["honorific"] = c.fields["honorific"]
        if c.alt:
            record["alt_names"] = list(c.alt)
        record["evidence"] = _quotes(text, c)
        posts: dict[tuple[str, str], dict] = {}
        for post in c.posts:
            organization = org_ids.get(normalize(post.get("organization", "")))
            if organization is None:
                continue
            entry = posts.setdefault(
                (post["title"], organization),
                {"title": post["title"], "organization": organization, "evidence": []},
            )
            quote = {"quote": post["quote"].lstrip(", ").strip()}
            if quote not in entry["evidence"] and len(entry["evidence"]) < MAX_QUOTES:
                entry["evidence"].append(quote)
        posts = list(posts.values())
        if posts:
            record["posts"] = posts
        record["note"] = "draft: check the name's spelling against the agenda"
        out["people"].append(record)
    for c in sorted(pool.of("countries"), key=lambda c: min(c.mentions)):
        record = {"id": unique(slug(c.fields["label"])), "label": c.fields["label"]}
        if c.alt:
            record["alt_labels"] = list(c.alt)
        record |= {"iso2": c.fields["iso2"], "iso3": c.fields["iso3"], "beneficiary": False}
        record["evidence"] = _quotes(text, c)
        record["note"] = "draft: set beneficiary, and appears_as for a country that is not one"
        out["countries"].append(record)
    for c in sorted(pool.of("events"), key=lambda c: min(c.mentions)):
        record = {"id": unique(slug(c.fields["label"] + " " + c.fields["date"]))}
        record["label"] = c.fields["label"]
        if c.alt:
            record["alt_labels"] = list(c.alt)
        record |= {k: v for k, v in c.fields.items() if k != "label"}
        record["evidence"] = [{**q, "supports": ["date"]} for q in _quotes(text, c)]
        record["note"] = "draft: check the event's name and kind; add place and organizers"
        out["events"].append(record)
    for c in sorted(pool.of("figures"), key=lambda c: min(c.mentions)):
        base = slug(c.fields["wording"])
        if not re.search("[a-z]", base):
            base = slug(f"{c.fields['wording']} {c.fields['unit']}")  # "75%" -> 75-percent
        record = {"id": unique(base)} | c.fields
        record["evidence"] = _quotes(text, c)
        record["note"] = "draft: say what the number is about (about, stated_by)"
        out["figures"].append(record)
    for c in sorted(pool.of("instruments"), key=lambda c: min(c.mentions)):
        record = {"id": unique(slug(c.fields["label"])), "label": c.fields["label"]}
        if c.alt:
            record["alt_labels"] = list(c.alt)
        record["kind"] = c.fields["kind"]
        record["evidence"] = _quotes(text, c)
        record["note"] = "draft: check the kind; add issuer, status and year where stated"
        out["instruments"].append(record)
    return out


# -- files ----------------------------------------------------------------------------------


def draft_yaml(records: list[dict], rtype: str) -> str:
    header = (
        f"# Draft {rtype} from copgraph draft: candidates, not facts. Move the ones the report\n"
        "# states into curated/ (edit them there); delete the rest. Never read by the build.\n"
    )
    return header + yaml.safe_dump(
        {rtype: records}, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def in_curated(folder: Path) -> bool:
    """The folder is a curated folder or lies inside one: the build reads those."""
    return "curated" in folder.resolve().parts


def write_drafts(drafts: dict[str, list[dict]], out_dir: Path) -> list[Path]:
    """Write one YAML file per record type into ``out_dir`` (atomically, each)."""
    from copgraph.build import write_atomic

    if in_curated(out_dir):
        raise ValueError(f"{out_dir}: drafts never go into curated/")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for rtype in RECORD_FILES:
        path = out_dir / f"{rtype}.yaml"
        write_atomic(path, draft_yaml(drafts.get(rtype, []), rtype).encode("utf-8"))
        written.append(path)
    return written
