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
# # A SPARQL tour of the COP Asia-Pacific graph
#
# For someone who has never written SPARQL. The graph is a set of *triples*, each one
# sentence of three parts: **subject** (a node), **predicate** (a property) and **object**
# (a node or a value), e.g. `id:itu rdfs:label "International Telecommunication Union"`.
# A SPARQL `SELECT` writes triples with `?variables` where the unknowns are; the store
# finds every way to fill them in, and each way is one row.
#
# copgraph answers common questions with **named queries** (`kg.query(name, ...)`), each a
# `.rq` file of plain SPARQL in `copgraph/queries/`, and runs any SPARQL you write with
# `kg.sparql(text)`. Prefixes such as `cg:` (the ontology), `id:` (the report's nodes),
# `rdfs:`, `skos:` and `owl:` are declared for you. Results come back as pandas DataFrames.

# %%
from importlib.resources import files
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd
from IPython.display import display

import copgraph
from copgraph.catalog import catalog_frame, load_catalog

pd.set_option("display.max_colwidth", 120)
pd.set_option("display.width", 140)

kg = copgraph.open_graph()  # the default store: Oxigraph, in memory
QUERIES = files("copgraph") / "queries"  # the named queries, shipped with the package


def show_sparql(text: str) -> None:
    """Show a query as a SPARQL block (and as plain text, so tests compare it)."""
    display({"text/markdown": f"```sparql\n{text.strip()}\n```", "text/plain": text}, raw=True)


def behind(name: str) -> str:
    """The raw SPARQL of a named query, shown without its header (the `# key:` lines)."""
    lines = (QUERIES / f"{name}.rq").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    body = "\n".join(lines[start:])
    show_sparql(body)
    return body


def with_values(text: str, **values: str) -> str:
    """The query with its parameters bound by a VALUES block, as copgraph binds them: at
    each `# @values` line of the file, or else first in the outer WHERE group."""
    block = " ".join(f"VALUES ?p_{k} {{ {v} }}" for k, v in values.items())
    if "# @values" in text:
        return text.replace("# @values", block)
    return text.replace("WHERE {", "WHERE {\n  " + block, 1)


# %% [markdown]
# ## The ontology in one table
#
# Every class of the ontology (`cg:`), what it means (its `skos:definition`), how many
# nodes it has, and the properties whose `rdfs:domain` is that class. The same classes as
# a picture: [docs/ontology/classes.png](../docs/ontology/classes.png), and every term
# documented in [docs/ontology/index.html](../docs/ontology/index.html).
#
# ![The classes and how they link](../docs/ontology/classes.png)

# %%
ONTOLOGY = """
SELECT ?class ?definition (COUNT(DISTINCT ?node) AS ?nodes)
       (GROUP_CONCAT(DISTINCT ?property; separator=", ") AS ?properties) WHERE {
  ?class a owl:Class ; skos:definition ?definition .
  FILTER(STRSTARTS(STR(?class), STR(cg:)))
  OPTIONAL { ?node a ?class }
  OPTIONAL { ?p rdfs:domain ?class . BIND(REPLACE(STR(?p), "^.*[#/]", "cg:") AS ?property) }
} GROUP BY ?class ?definition ORDER BY ?class"""
ontology = kg.sparql(ONTOLOGY)
ontology["properties"] = ontology.properties.map(
    lambda cell: ", ".join(sorted(str(cell).split(", "))) if isinstance(cell, str) else ""
)
styled = (
    ontology.style.set_uuid("ontology").hide(axis="index").set_properties(**{"text-align": "left"})
)
with pd.option_context("display.max_colwidth", None):
    display({"text/html": styled.to_html(), "text/plain": ontology.to_string()}, raw=True)

# %% [markdown]
# ## Ten questions, from easy to harder
#
# Each question is answered twice: by its named query (one line of Python), then by the raw
# SPARQL in the named query's file, run with `kg.sparql`. A parameter (`org`, `session` ...)
# reaches the file's SPARQL as `?p_NAME`, bound by a `VALUES` block: `kg.query` does that
# for you, and turns what a person types (`"UNICEF"`, `"MN"`, `2`) into the node.
#
# ### 1. Which countries does the graph know? (one class, plain triples)
#
# `?country a cg:Country` matches every node of that class (`a` is short for `rdf:type`);
# the next patterns fetch its label and codes. `OPTIONAL` keeps a country with no output.

# %%
kg.query("countries")

# %%
q1 = behind("countries")
kg.sparql(q1)

# %% [markdown]
# ### 2. Which organizations, and of what kind? (`OPTIONAL`, a property path)
#
# `cg:kind/skos:prefLabel` is a *path*: follow `cg:kind` to a concept, then its label.

# %%
kg.query("organizations").head(10)

# %%
q2 = behind("organizations")
kg.sparql(q2).head(10)

# %% [markdown]
# ### 3. What did the programme produce? (`GROUP BY`, `GROUP_CONCAT`, optional filters)
#
# One output can have several languages or partners: `GROUP_CONCAT` joins them in one cell.
# `FILTER(!BOUND(?p_kind) || ...)` makes the `kind` parameter optional.

# %%
kg.query("outputs", kind="translated guideline")

# %%
q3 = behind("outputs")
kg.sparql(with_values(q3, kind='"translated guideline"'))

# %% [markdown]
# ### 4. How many outputs of each kind did each country get? (`COUNT`)

# %%
kg.query("outputs-by-country")

# %%
q4 = behind("outputs-by-country")
kg.sparql(q4)

# %% [markdown]
# ### 5. What was on the workshop's agenda? (`BIND`, ordering by time)

# %%
kg.query("agenda")[["number", "title", "start", "end", "moderator"]]

# %%
q5 = behind("agenda")
kg.sparql(q5)[["number", "title", "start", "end", "moderator"]]

# %% [markdown]
# ### 6. Who works for UNICEF, its country offices included? (a parameter, `*` paths)
#
# `cg:parentOrganization*` follows zero or more parent links, so `UNICEF Mongolia` counts as
# UNICEF. The parameter `org` arrives as `?p_org`.

# %%
kg.query("members-of", org="UNICEF")

# %%
q6 = behind("members-of")
kg.sparql(with_values(q6, org="id:unicef"))

# %% [markdown]
# ### 7. Who spoke in session 2, in which role? (joins across four classes, a sub-query)

# %%
kg.query("speakers", session="2")

# %%
q7 = behind("speakers")
kg.sparql(with_values(q7, session="id:session-2"))

# %% [markdown]
# ### 8. Which kinds of organization spoke in each session? (aggregation over a join)

# %%
kg.query("stakeholder-mix")

# %%
q8 = behind("stakeholder-mix")
kg.sparql(q8)

# %% [markdown]
# ### 9. Who raised cyberbullying, in their own words? (a concept of a SKOS scheme)
#
# Topics are concepts of a SKOS scheme (`topic:cyberbullying`); a statement's `cg:text` is
# the report's own sentence.

# %%
kg.query("who-raised", topic="cyberbullying")

# %%
q9 = behind("who-raised")
kg.sparql(with_values(q9, topic="topic:cyberbullying"))

# %% [markdown]
# ### 10. Who are ITU's partners, and on what? (negation, `MIN` to pick one quote)
#
# `FILTER NOT EXISTS` drops ITU's own offices from its partners.

# %%
kg.query("partners-of", org="ITU")[["partner_label", "kind", "about"]]

# %%
q10 = behind("partners-of")
kg.sparql(with_values(q10, org="id:itu"))[["partner_label", "kind", "about"]]

# %%
answers = {
    "countries": (kg.query("countries"), kg.sparql(q1)),
    "members-of": (
        kg.query("members-of", org="UNICEF"),
        kg.sparql(with_values(q6, org="id:unicef")),
    ),
    "partners-of": (kg.query("partners-of", org="ITU"), kg.sparql(with_values(q10, org="id:itu"))),
}
pd.DataFrame(
    [{"query": k, "named rows": len(a), "raw rows": len(b)} for k, (a, b) in answers.items()]
)

# %% [markdown]
# The named query and its raw SPARQL give the same rows; the named query also tidies the
# cells (lists sorted, ids shortened, values typed).
#
# ## Following any fact to its quote
#
# Every fact of the graph (`id:S cg:P O`) has a *fact node* beside it, a `cg:Fact` with
# `rdf:subject`, `rdf:predicate` and `rdf:object`, and one `cg:evidence` per quote of the
# report that states exactly that fact. A quote (`cg:Evidence`) has its words (`cg:exact`),
# its section and its line. So any triple can be followed to its words:

# %%
FACT_QUOTES = """
SELECT ?predicate ?object ?quote ?section ?line WHERE {
  ?fact a cg:Fact ; rdf:subject id:mongolia-national-cop-conference-2023 ;
        rdf:predicate ?predicate ; rdf:object ?object ; cg:evidence ?e .
  ?e cg:exact ?quote ; cg:section ?section ; cg:line ?line .
} ORDER BY ?predicate ?object ?line"""
show_sparql(FACT_QUOTES)
with pd.option_context("display.max_colwidth", None):
    display(kg.sparql(FACT_QUOTES))

# %% [markdown]
# The `about` named query does the same for any node, whatever you call it (an id, a name,
# an acronym): one row per fact, with that fact's own quotes as a list.

# %%
about = kg.query("about", subject="mongolia-national-cop-conference-2023")
about[["direction", "property_label", "value_label", "quotes", "sections"]]

# %% [markdown]
# And `ASK` answers yes or no: is there a fact without any quote? (`False` is the answer
# we want.)

# %%
kg.sparql("ASK { ?fact a cg:Fact . FILTER NOT EXISTS { ?fact cg:evidence ?e } }")

# %% [markdown]
# ## Switching store
#
# The same queries run on four stores, chosen by `open_graph`'s first argument (or the
# `COPGRAPH_STORE` variable, or `--store` on the command line):
#
# | store | what it is |
# | --- | --- |
# | `"oxigraph"` (default) | pyoxigraph in memory: fast (Rust) |
# | `"oxigraph:FOLDER"` | pyoxigraph on disk in FOLDER, loaded once, reopened at once |
# | `"rdflib"` | an rdflib Graph in memory: pure Python, slower |
# | `"http://host:port/query"` | any SPARQL 1.1 endpoint (load it with `copgraph load`) |


# %%
def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same rows, same values; an empty cell counts as empty whether None or NaN."""
    return a.where(a.notna(), None).equals(b.where(b.notna(), None))


on_rdflib = copgraph.open_graph("rdflib")
with TemporaryDirectory() as folder:
    on_disk = copgraph.open_graph(f"oxigraph:{folder}")
    same = {}
    for name in ("countries", "outputs", "stakeholder-mix", "speakers"):
        same[f"{name} on rdflib"] = same_rows(kg.query(name), on_rdflib.query(name))
        same[f"{name} on oxigraph:FOLDER"] = same_rows(kg.query(name), on_disk.query(name))
    on_disk.close()
pd.Series(same, name="same rows as in-memory Oxigraph")

# %% [markdown]
# ## Writing and adding a named query
#
# 1. Write the SPARQL and try it with `kg.sparql` until the rows are right.
# 2. Put a header on top: `# title:`, `# description:`, `# param: NAME | TYPE |
#    required|optional | what to type` for each parameter (it arrives as `?p_NAME`), and
#    `# columns:` (the columns callers may rely on).
# 3. Save it as `copgraph/queries/NAME.rq`. `copgraph queries` and `kg.catalog()` list it at
#    once, and the test suite runs it on every store. See [docs/queries.md](../docs/queries.md).
#
# For example, "which events took place in a given country, with their participants":

# %%
NEW_QUERY = """# title: Events in a country
# description: Events the report ties to COUNTRY, with their date and participant count.
# param: country | country | required | ISO code, id or name
# columns: event, label, date, participants
SELECT ?event ?label ?date ?participants WHERE {
  ?event a cg:Event ; rdfs:label ?label ; cg:country ?p_country .
  OPTIONAL { ?event cg:date ?d }
  BIND(STR(?d) AS ?date)
  OPTIONAL { ?event cg:participantCount/cg:value ?participants }
}
ORDER BY ?date ?label
"""
kg.sparql(with_values(NEW_QUERY, country="id:mongolia"))

# %% [markdown]
# Step 1 done: the rows are right. Saved in a folder, the header makes it a named query
# (here a temporary folder, so this notebook changes nothing in the project):

# %%
with TemporaryDirectory() as folder:
    (Path(folder) / "events-in.rq").write_text(NEW_QUERY, encoding="utf-8")
    display(catalog_frame(load_catalog(Path(folder))))

# %% [markdown]
# The catalog this graph ships with:

# %%
kg.catalog()[["name", "title", "parameters"]]
