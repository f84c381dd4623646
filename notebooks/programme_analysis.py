# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The COP Asia-Pacific programme, told from the graph
#
# What ITU's *Child Online Protection for Asia and the Pacific* programme (2019-2023)
# delivered, to whom, with whom, and what its concluding workshop discussed. Every number
# below is computed live from the knowledge graph through copgraph's public API
# (`copgraph.open_graph()`, `kg.query`, `kg.sparql`, `copgraph.network`, `copgraph.viz`),
# and every quote shown beside a fact is one of that fact's own quotes in the report.
# The conclusions at the end of each section are printed by the code, so they stay true
# when the data changes.
#
# Run it top to bottom (`make notebooks` opens JupyterLab here); the graph is built first
# if the curated data changed since the last build.

# %%
import hashlib
import html
import tempfile
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

import copgraph
from copgraph import network, viz
from copgraph.build import build_graph, validate_shapes
from copgraph.quality import run_checks

pd.set_option("display.max_colwidth", None)
pd.set_option("display.width", 120)
plt.rcParams.update({"figure.dpi": 80, "savefig.dpi": 80, "font.size": 9})

kg = copgraph.open_graph()  # Oxigraph in memory, loaded from the built graph


def say(text: str) -> None:
    """Show a finding as Markdown (the same text as plain text, so tests compare it)."""
    display({"text/markdown": text, "text/plain": text}, raw=True)


def as_list(cell) -> list[str]:
    """A list cell as a Python list, whether the API gives a list or a '; '-joined string."""
    if isinstance(cell, list | tuple):
        return [str(v) for v in cell]
    if cell is None or (isinstance(cell, float) and pd.isna(cell)) or cell == "":
        return []
    return [v for v in str(cell).split("; ") if v]


def show_quotes(frame: pd.DataFrame, wide: str = "quote") -> None:
    """A table whose long text column wraps in full (never cut), left-aligned."""
    plain = frame.to_string(index=False)
    styled = (
        frame.style.set_uuid(hashlib.sha1(plain.encode()).hexdigest()[:8])  # same bytes each run
        .hide(axis="index")
        .set_properties(**{"text-align": "left", "vertical-align": "top"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
        .set_properties(subset=[wide], **{"white-space": "pre-wrap", "min-width": "30em"})
    )
    display({"text/html": styled.to_html(), "text/plain": plain}, raw=True)


# %% [markdown]
# ## 1. Which country received what
#
# The `outputs` named query lists every output (assessment report, translated guideline,
# training ...) with the country the report ties it to and its status.

# %%
countries = kg.query("countries")
beneficiaries = countries[countries.beneficiary.astype(str).str.lower() == "true"]
outputs = kg.query("outputs")
outputs["countries"] = outputs.country.map(as_list)
national = outputs.explode("countries").dropna(subset=["countries"])

# delivered > in progress > planned > no status given; one cell shows the most advanced
STATUS_GROUP = {
    "delivered": "delivered",
    "launched": "delivered",
    "in progress": "in progress",
    "drafted": "in progress",
    "planned": "planned",
}
GROUPS = ["not received", "status not given", "planned", "in progress", "delivered"]
national["group"] = national.status.map(STATUS_GROUP).fillna("status not given")
national["rank"] = national.group.map(GROUPS.index)

kinds = sorted(national.kind.unique())
rows = beneficiaries.sort_values("label")
best = national.groupby(["countries", "kind"])["rank"].max()
count = national.groupby(["countries", "kind"]).size()
matrix = pd.DataFrame(
    [[int(best.get((iso, k), 0)) for k in kinds] for iso in rows.iso2],
    index=rows.label,
    columns=kinds,
)

fig, ax = plt.subplots(figsize=(10, 4.5))
colours = ["#f2f2f2", "#bdbdbd", "#fdd49e", "#fc8d59", "#1a9850"]
ax.imshow(matrix.values, cmap=ListedColormap(colours), vmin=0, vmax=len(GROUPS) - 1)
for i, iso in enumerate(rows.iso2):
    for j, k in enumerate(kinds):
        n = int(count.get((iso, k), 0))
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=9)
ax.set_xticks(range(len(kinds)), kinds, rotation=35, ha="right", fontsize=8)
ax.set_yticks(range(len(rows)), rows.label)
ax.set_xlabel("output kind")
ax.set_ylabel("beneficiary country")
ax.set_title("What each beneficiary country received, by output kind and status")
ax.legend(
    handles=[
        Patch(facecolor=c, edgecolor="#999", label=g) for c, g in zip(colours, GROUPS, strict=True)
    ],
    loc="upper left",
    bbox_to_anchor=(1.01, 1),
    title="most advanced status",
)
fig.tight_layout()
plt.show()

# %% [markdown]
# Each cell is a country and a kind of output: its colour is the most advanced status the
# report gives for that country's outputs of that kind, and the number is how many outputs.

# %%
received = (matrix > 0).sum(axis=1)
delivered = (matrix == GROUPS.index("delivered")).sum(axis=1)
regional = outputs[outputs.countries.map(len) == 0]
say(
    f"**What to take from it.** {len(rows)} beneficiary countries received outputs of "
    f"{len(kinds)} kinds; {received.idxmax()} received the widest range "
    f"({received.max()} kinds, {delivered[received.idxmax()]} of them delivered), "
    f"{received.idxmin()} the narrowest ({received.min()}). "
    f"{int((matrix == GROUPS.index('delivered')).sum().sum())} of the "
    f"{int((matrix > 0).sum().sum())} country-kind cells hold a delivered output; the rest "
    f"are in progress, planned or without a status in the report. "
    f"{len(regional)} of the {len(outputs)} outputs are tied to no country "
    "(regional courses, apps, guidelines)."
)

# %% [markdown]
# ## 2. A timeline, 2019-2023
#
# Events (`events`) and outputs (`outputs`) that the report dates, with the participant
# count where it gives one. A date known only to the year or month is placed at its start.

# %%
events = kg.query("events")
events["participants_n"] = pd.to_numeric(events.participants_value, errors="coerce")
dated = pd.concat(
    [
        events.dropna(subset=["date"]).assign(what="event")[
            ["label", "kind", "date", "what", "participants_n"]
        ],
        outputs.dropna(subset=["date"]).assign(what="output", participants_n=float("nan"))[
            ["label", "kind", "date", "what", "participants_n"]
        ],
    ]
)
dated["date"] = dated.date.astype(str)
dated["precision"] = dated.date.str.len().map({4: "year", 7: "month", 10: "day"})
dated["when"] = pd.to_datetime(
    dated.date.map(lambda d: d + "-01-01" if len(d) == 4 else d + "-01" if len(d) == 7 else d)
)
dated = dated.sort_values(["when", "label"]).reset_index(drop=True)

fig, ax = plt.subplots(figsize=(10, 0.32 * len(dated) + 1.2))
marker = {"event": "o", "output": "s"}
for what, part in dated.groupby("what"):
    ax.scatter(part.when, part.index, marker=marker[what], s=40, label=what, zorder=3)
for i, r in dated.iterrows():
    text = textwrap.shorten(r.label, 70)
    if not pd.isna(r.participants_n):
        text += f"  ({int(r.participants_n)} participants)"
    ax.annotate(text, (r.when, i), xytext=(6, 0), textcoords="offset points", va="center")
ax.set_xlim(pd.Timestamp("2019-01-01"), pd.Timestamp("2025-06-30"))
ax.set_xticks([pd.Timestamp(f"{y}-01-01") for y in range(2019, 2025)], range(2019, 2025))
ax.set_yticks([])
ax.invert_yaxis()
ax.grid(axis="x", color="#ddd")
ax.set_xlabel("date the report gives (year, month or day)")
ax.set_ylabel("dated events and outputs")
ax.set_title("The programme's dated events and outputs, 2019-2023")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each mark is one dated event (circle) or output (square), at the date the report gives;
# the participant count follows the name where the report states one.

# %%
undated = events[events.date.isna()]
counted = dated.dropna(subset=["participants_n"])
first_year = int(dated.when.dt.year.min())
biggest = counted.loc[counted.participants_n.idxmax()] if len(counted) else None
say(
    f"**What to take from it.** The report dates {len(dated)} events and outputs, from "
    f"{dated.date.iloc[0]} to {dated.date.iloc[-1]}; "
    f"{int((dated.when.dt.year == 2023).sum())} of them fall in 2023, the programme's last "
    f"year, and none before {first_year}"
    + (": its first years are not dated in this report. " if first_year > 2019 else ". ")
    + f"{len(undated)} of the {len(events)} events have no date "
    f"({int(undated.participants_n.notna().sum())} of them with a participant count, so they "
    "are missing from the chart). Among the dated ones, "
    + (
        f"{len(counted)} give a participant count, the largest {biggest.label} "
        f"({int(biggest.participants_n)})."
        if biggest is not None
        else "none gives a participant count."
    )
)


# %% [markdown]
# ## 3. The concluding workshop
#
# ### Sessions

# %%
agenda = kg.query("agenda")
agenda[["number", "title", "start", "end", "moderator"]]

# %% [markdown]
# ### Speakers per stakeholder kind
#
# `stakeholder-mix` counts, per session, the speakers of each kind of organization.

# %%
mix = kg.query("stakeholder-mix")
mix["speakers"] = pd.to_numeric(mix.speakers).astype(int)
session_name = {
    r.session: (f"Session {r.number}" if str(r.number).isdigit() else f"{r.number} segment")
    for r in agenda.itertuples()
}
mix["session_name"] = mix.session.map(session_name).fillna(mix.session)
table = mix.pivot_table(
    index="kind", columns="session_name", values="speakers", aggfunc="sum", fill_value=0
)
table = table.loc[table.sum(axis=1).sort_values().index]

fig, ax = plt.subplots(figsize=(9, 4.5))
table.plot.barh(stacked=True, ax=ax, colormap="tab10", width=0.75)
ax.set_xlabel("speakers (a person speaking in two sessions counts twice)")
ax.set_ylabel("stakeholder kind of the speaker's organization")
ax.set_title("Who spoke at the concluding workshop, by stakeholder kind and session")
ax.legend(title="session", bbox_to_anchor=(1.01, 1), loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each bar is one kind of organization; its segments are the sessions its speakers spoke in.

# %%
totals = table.sum(axis=1).sort_values(ascending=False)
say(
    f"**What to take from it.** {int(totals.sum())} speaking slots in {len(table.columns)} "
    f"sessions: {totals.index[0]} speakers hold {int(totals.iloc[0])} "
    f"({totals.iloc[0] / totals.sum():.0%}), then {totals.index[1]} ({int(totals.iloc[1])}) "
    f"and {totals.index[2]} ({int(totals.iloc[2])}); "
    f"{int(totals.get('company', 0))} slots went to companies."
)

# %% [markdown]
# ### Who raised which topic
#
# `topics` counts the statements tagged with each topic; `who-raised` gives, for one topic,
# each statement in the report's own words (the statement is the quote).

# %%
topics = kg.query("topics")
topics["statements"] = pd.to_numeric(topics.statements).astype(int)
topics["speaker_count"] = topics.speakers.map(lambda c: len(as_list(c)))
top = topics.sort_values(["statements", "label"], ascending=[False, True]).head(15)

fig, ax = plt.subplots(figsize=(9, 4.5))
ax.barh(top.label[::-1], top.statements[::-1], color="#4c72b0", label="statements")
ax.barh(top.label[::-1], top.speaker_count[::-1], color="#dd8452", height=0.4, label="speakers")
ax.set_xlabel("statements / distinct speakers")
ax.set_ylabel("topic")
ax.set_title("The 15 topics raised most often at the workshop")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each topic's wide bar counts the statements about it, the narrow bar the people who made
# them. Below, the statements on online child sexual exploitation and abuse, and on
# generative AI, in full.

# %%
speakers = kg.query("speakers")
org_of = dict(zip(speakers.person, speakers.organization_label, strict=False))
for topic in ("ocsea", "generative-ai"):
    label = topics.set_index("topic").label.get(f"topic:{topic}", topic)
    raised = kg.query("who-raised", topic=topic)
    raised = raised.assign(
        organization=raised.person.map(org_of),
        session=raised.session.map(session_name).fillna(raised.session),
        quote=raised.statement,
    )
    display({"text/markdown": f"**{label}**", "text/plain": label}, raw=True)
    show_quotes(raised[["name", "organization", "session", "section", "quote"]])

# %%
leading = topics.sort_values(["statements", "label"], ascending=[False, True]).iloc[0]
ocsea = topics.set_index("topic").loc["topic:ocsea"]
say(
    f"**What to take from it.** {len(topics)} topics; the most discussed is "
    f"{leading.label} ({leading.statements} statements by {leading.speaker_count} speakers). "
    f"Online child sexual exploitation and abuse, the programme's core risk, comes up in "
    f"{ocsea.statements} statements by {ocsea.speaker_count} speakers in "
    f"{len(as_list(ocsea.sessions))} sessions."
)

# %% [markdown]
# ## 4. The partnership network
#
# Organizations are tied when a partnership names them as parties, or when they produced
# the same output or organized the same event. A tie's weight is the number of distinct
# report sentences behind it (`copgraph.network`).

# %%
data = network.load(kg)
graph = network.partnership_graph(data)
overview = network.overview(graph)
overview

# %% [markdown]
# **Centrality.** *Degree* is how many partners an organization has; *weighted degree* adds
# up the report sentences behind its ties; *betweenness* is the share of shortest paths
# between two other organizations that pass through it (how much it connects others);
# *eigenvector* centrality is high for organizations tied to other well-tied organizations.

# %%
centrality = network.centrality(graph)
centrality.head(8)

# %% [markdown]
# **Brokerage.** An *articulation point* is an organization whose removal splits the
# network; *effective size* counts its partners that are not tied to each other (the
# non-redundant contacts); Burt's *constraint* is low when its partners are disconnected
# from one another, so it alone bridges them.

# %%
brokers = network.brokers(graph)
brokers[["name", "kind", "betweenness", "articulation_point", "effective_size", "constraint"]]

# %% [markdown]
# **Communities** (Louvain, fixed seed): groups of organizations more tied to each other
# than to the rest. The modularity says how clearly they separate (below 0.3 is weak).

# %%
communities = network.communities(graph)
communities[["community", "size", "names", "modularity"]]

# %% [markdown]
# The network as a static picture (renders wherever the notebook is shown), then the
# interactive page. Node colour is the stakeholder kind, node size the weighted degree,
# edge width the sentences behind a tie; dashed ties come from shared outputs and events.

# %%
with tempfile.TemporaryDirectory() as folder:
    png = viz.write_png(graph, Path(folder) / "network.png", dpi=60)
    display(Image(data=png.read_bytes(), format="png"))

# %% [markdown]
# The interactive page (click an organization or a tie for its quotes) is the same
# self-contained page `copgraph viz` writes. It is embedded in an isolated frame (`srcdoc`,
# sandboxed: scripts only, no access to the notebook), because pyvis pages shown inline
# go blank in JupyterLab and VS Code. The page carries vis-network inline so it works
# offline, which makes this output about 0.8 MB; a link to a file would be smaller but
# would not render in the notebook.

# %%
page = viz.page(graph)
frame = (
    '<iframe sandbox="allow-scripts" style="width:100%;height:720px;border:1px solid #ccc" '
    f'title="partnership network" srcdoc="{html.escape(page)}"></iframe>'
)
display(
    {"text/html": frame, "text/plain": f"the interactive page: {len(page):,} characters"},
    raw=True,
)

# %%
ranked = centrality.sort_values(["betweenness", "id"], ascending=[False, True])
first, second = ranked.iloc[0], ranked.iloc[1]
n_org, n_ties = graph.number_of_nodes(), graph.number_of_edges()
q = communities.modularity.iloc[0] if len(communities) else float("nan")
cut_points = int(brokers.articulation_point.astype(bool).sum())
say(
    f"**What to take from it.** {n_org} organizations joined by {n_ties} ties. "
    f"{first['name']} carries the programme: {first.degree} partners "
    f"({first.degree / n_ties:.0%} of all ties touch it), betweenness {first.betweenness}, "
    f"against {second.betweenness} for the next broker, {second['name']}. "
    f"{cut_points} organizations are articulation points: without any one of them part of "
    f"the network falls away. Louvain finds {len(communities)} communities with modularity "
    f"{q}, {'a weak' if q < 0.3 else 'a clear'} separation: read them as the country and "
    "partner clusters around the hub, not as independent groups."
)

# %% [markdown]
# ## 5. The figures the report gives
#
# Every number the report states, with what it counts and the quotes of that number's own
# fact (`cg:Fact` with predicate `cg:value`, `cg:minValue` or `cg:maxValue`).

# %%
FIGURES = """
SELECT ?figure ?value ?min ?max ?unit ?about ?subject ?section ?quote WHERE {
  ?figure a cg:Figure ; cg:unit ?unit .
  OPTIONAL { ?figure cg:value ?value }
  OPTIONAL { ?figure cg:minValue ?min }
  OPTIONAL { ?figure cg:maxValue ?max }
  OPTIONAL { ?figure cg:description ?about }
  OPTIONAL { ?figure cg:about/rdfs:label ?subject }
  {   # the quotes of the number itself (its cg:Fact) ...
    ?fact rdf:subject ?figure ; rdf:predicate ?p ; cg:evidence ?e .
    FILTER(?p IN (cg:value, cg:minValue, cg:maxValue))
  } UNION {   # ... or, for a figure in words only ("millions"), the quote that gives it
    ?figure cg:evidence ?e .
    FILTER NOT EXISTS {
      ?other rdf:subject ?figure ; rdf:predicate ?q .
      FILTER(?q IN (cg:value, cg:minValue, cg:maxValue))
    }
  }
  ?e cg:exact ?quote ; cg:section ?section .
} ORDER BY ?unit ?figure ?quote"""
figures = kg.sparql(FIGURES)
for column in ("value", "min", "max"):
    figures[column] = pd.to_numeric(figures[column])
figures["number"] = figures.apply(
    lambda r: (
        f"{r.value:g}"
        if not pd.isna(r.value)
        else f"{r['min']:g} or more"
        if pd.isna(r["max"])
        else f"up to {r['max']:g}"
        if pd.isna(r["min"])
        else f"{r['min']:g}-{r['max']:g}"
    ),
    axis=1,
)
HEADS = r"participants|attendees|students|cases|people|children|member"
heads = figures[figures.unit.str.contains(HEADS) & figures.value.notna()]
heads = heads.drop_duplicates("figure").sort_values("value")
heads["what"] = heads.apply(
    lambda r: f"{r.unit}: {r.subject}" if isinstance(r.subject, str) else r.about, axis=1
)

fig, ax = plt.subplots(figsize=(9, 0.35 * len(heads) + 1.2))
ax.barh([textwrap.shorten(w, 80) for w in heads.what], heads.value, color="#55a868")
for i, v in enumerate(heads.value):
    ax.text(v, i, f" {v:,.0f}", va="center")
ax.set_xscale("log")
ax.set_xlim(right=heads.value.max() * 10)
ax.set_xlabel("number the report gives (log scale)")
ax.set_ylabel("what is counted")
ax.set_title("Counts of people, members and cases in the report")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each bar is one figure the report states as a single number of people, members or cases
# (log scale, so 50 participants and a million reported cases fit on one chart).
# All figures, each with its own quote:

# %%
show_quotes(figures[["number", "unit", "about", "section", "quote"]])

# %%
unique = figures.drop_duplicates("figure")
bounded = unique[unique.value.isna() & (unique["min"].notna() | unique["max"].notna())]
wordy = unique[unique[["value", "min", "max"]].isna().all(axis=1)]
largest = heads.iloc[-1]
say(
    f"**What to take from it.** The report states {len(unique)} figures, "
    f"{len(heads)} of them counts of people, members or cases; the largest is "
    f"{largest.value:,.0f} {largest.unit} ({largest.what}). {len(bounded)} figures are "
    'ranges or bounds ("over", "up to", "nearly"), kept as a minimum or maximum, and '
    f'{len(wordy)} are words without a number ("millions of children"): the graph does not '
    "invent a single value for them."
)


# %% [markdown]
# ## 6. Where the report disagrees with itself
#
# A `cg:Discrepancy` keeps each version (`cg:Variant`) with the quotes that give it; the
# `discrepancies` named query returns one row per version, its quotes as a list.

# %%
discrepancies = (
    kg.query("discrepancies")
    .explode(["quotes", "sections"])
    .rename(columns={"quotes": "quote", "sections": "section"})
    .reset_index(drop=True)
)
by_property = discrepancies.drop_duplicates("discrepancy").groupby("property").size().sort_values()

fig, ax = plt.subplots(figsize=(7, 0.35 * len(by_property) + 1.2))
ax.barh(by_property.index, by_property.values, color="#c44e52")
ax.set_xlabel("discrepancies")
ax.set_ylabel("property the versions disagree on")
ax.set_title("What the report disagrees with itself about")
fig.tight_layout()
plt.show()

# %% [markdown]
# Each bar counts the discrepancies on one property (a name's spelling, a kind, a count ...).
# Every version, with its quotes:

# %%
show_quotes(discrepancies[["discrepancy", "value", "section", "quote"]])

# %%
count_like = by_property.drop(["rdfs:label", "cg:title"], errors="ignore")
say(
    f"**What to take from it.** {discrepancies.discrepancy.nunique()} discrepancies with "
    f"{discrepancies[['discrepancy', 'value']].drop_duplicates().shape[0]} versions; "
    f"{int(by_property.get('rdfs:label', 0) + by_property.get('cg:title', 0))} are names or "
    f"titles written two ways, {int(count_like.sum())} disagree on a kind, a count or a "
    "link. Where a fact is disputed, cite every version, each with its own quote."
)

# %% [markdown]
# ## 7. Data quality
#
# **Counts per class** (every class of the ontology that has instances):

# %%
CLASS_COUNTS = """
SELECT ?class (COUNT(?s) AS ?instances) WHERE {
  ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(cg:)))
} GROUP BY ?class ORDER BY ?class"""
classes = kg.sparql(CLASS_COUNTS)
classes["instances"] = pd.to_numeric(classes.instances).astype(int)
classes

# %% [markdown]
# **SHACL**: the graph validated against `ontology/shapes.ttl` by pySHACL: a violation
# fails the build; a warning or info marks a gap the report itself leaves (a post without
# a title, an event without a date). Then the SPARQL quality checks of
# `copgraph/quality/*.rq` (each must return no rows).

# %%
built = build_graph(shapes=False)
gaps: list[str] = []  # SHACL results of severity Warning or Info
violations = validate_shapes(built, copgraph.Paths().ontology_dir / "shapes.ttl", warnings=gaps)
checks = run_checks(kg)
print(f"SHACL: {len(violations)} violation(s), {len(gaps)} warning(s) or info")
for line in violations + gaps:
    print(" ", line)
pd.DataFrame({"check": list(checks), "rows": [len(f) for f in checks.values()]})

# %% [markdown]
# **Evidence**: each fact (`cg:Fact`: subject, predicate, object) should carry at least one
# quote that states it.

# %%
FACTS = """
SELECT (COUNT(DISTINCT ?fact) AS ?facts) (COUNT(DISTINCT ?quoted) AS ?with_evidence) WHERE {
  ?fact a cg:Fact .
  OPTIONAL { ?fact cg:evidence ?e . BIND(?fact AS ?quoted) }
}"""
facts = kg.sparql(FACTS).astype(int)
share = facts.with_evidence[0] / facts.facts[0]
facts.assign(share=f"{share:.1%}")

# %% [markdown]
# **Coverage per report section**: quotes located in each section and the facts citing them.

# %%
SECTIONS = """
SELECT ?section (SAMPLE(?title) AS ?section_title) (COUNT(DISTINCT ?e) AS ?quotes)
       (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?e a cg:Evidence ; cg:section ?section ; cg:sectionTitle ?title .
  OPTIONAL { ?fact a cg:Fact ; cg:evidence ?e }
} GROUP BY ?section"""
sections = kg.sparql(SECTIONS)
sections[["quotes", "facts"]] = sections[["quotes", "facts"]].astype(int)
sections["order"] = sections.section.map(lambda s: tuple(int(p) for p in s.split(".")))
sections = sections.sort_values("order").drop(columns="order").reset_index(drop=True)

fig, ax = plt.subplots(figsize=(9, 4))
x = range(len(sections))
ax.bar([i - 0.2 for i in x], sections.quotes, width=0.4, label="quotes", color="#4c72b0")
ax.bar([i + 0.2 for i in x], sections.facts, width=0.4, label="facts citing them", color="#dd8452")
ax.set_xticks(list(x), sections.section)
ax.set_xlabel("report section")
ax.set_ylabel("count")
ax.set_title("How much of each report section the graph quotes")
ax.legend()
fig.tight_layout()
plt.show()
sections

# %% [markdown]
# Each pair of bars is one section of the report: the quotes taken from it and the facts
# those quotes support.

# %%
failing = [name for name, frame in checks.items() if len(frame)]
thin = sections.sort_values(["quotes", "section"]).iloc[0]
say(
    f"**What to take from it.** {int(classes.instances.sum())} typed nodes in "
    f"{len(classes)} classes; SHACL "
    f"{'conforms' if not violations else f'reports {len(violations)} violation(s)'} "
    f"({len(gaps)} warnings for gaps the report leaves), and "
    f"{len(checks) - len(failing)} of {len(checks)} quality checks pass"
    f"{' (failing: ' + ', '.join(failing) + ')' if failing else ''}. "
    f"{share:.1%} of the {facts.facts[0]} facts carry their own quote. The quotes come "
    f"from {len(sections)} report sections; the least quoted is section "
    f"{thin.section} ({thin.quotes} quotes)."
)
