"""What the pages show, read from the graph through the query layer.

A :class:`Site` holds a few opened graphs (each with its own query worker) and lends one
to each request, so one slow query never holds up the others and no worker is used by two
threads at once. What every page needs (names, counts, the report's layout, the network
page) is read once at start-up, in the main thread, before the server starts its threads.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from copgraph.build import Paths
from copgraph.catalog import QUERY_DIR, QueryError, bind_values, display_value, load_catalog
from copgraph.evidence import document_id_of
from copgraph.kg import KnowledgeGraph, NameIndex, normal, open_graph
from copgraph.namespaces import ID, compact, sparql_prologue
from copgraph.serve.limits import Limits
from copgraph.serve.protocol import simple

SERVE_QUERIES = QUERY_DIR / "serve"
ENTITY_BASE = "/id/"
SEARCH_RESULTS = 50


class Busy(Exception):
    """Every query worker stayed busy for longer than the request may wait."""


def serve_query(name: str) -> str:
    return (SERVE_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def slug_of(iri: str) -> str | None:
    """The part after ``/id/`` of a copgraph node's IRI (None for any other IRI)."""
    base = str(ID)
    return iri[len(base) :] if iri.startswith(base) and len(iri) > len(base) else None


@dataclass
class Fact:
    """One value of one property, with the quotes that state it (section, line)."""

    value: str
    label: str
    quotes: list[tuple[str, str, int | None, str]] = field(default_factory=list)  # + report


@dataclass
class Group:
    """The facts of one property, one direction (``out``: of the node; ``in``: to it)."""

    direction: str
    property: str
    label: str
    facts: list[Fact] = field(default_factory=list)


@dataclass
class Entity:
    iri: str
    slug: str
    label: str
    classes: list[tuple[str, str]]  # (IRI, label)
    groups: list[Group]
    quote_facts: list[dict]  # for a quote (cg:Evidence): the facts it states
    report_line: int | None = None  # for a quote: its line in the report
    report: str = ""  # for a quote: its report's id


class Site:
    """The opened graphs, lent to one request at a time, and what the pages read once."""

    def __init__(self, graphs: list[KnowledgeGraph], paths: Paths, limits: Limits | None = None):
        if not graphs:
            raise ValueError("a site needs at least one opened graph")
        self.limits = limits or Limits()
        self.paths = paths
        self.workers = len(graphs)
        self._graphs = graphs
        self._free: queue.Queue[KnowledgeGraph] = queue.Queue()
        for graph in graphs:
            self._free.put(graph)
        self._lock = threading.Lock()
        self.names: dict[str, NameIndex] = {}
        self.counts: list[dict] = []
        self.all_quotes: list[dict] = []
        self.quote_reports: dict[tuple[str, int], str] = {}  # (words, line) -> report id
        self.catalog = load_catalog()
        self._network_page: str | None = None

    @classmethod
    def open(
        cls,
        store: str = "oxigraph",
        *,
        paths: Paths | None = None,
        timeout: float | None = 5.0,
        workers: int = 2,
        limits: Limits | None = None,
        progress=None,
    ) -> Site:
        """Open ``workers`` copies of the graph on the store (each small: the report is
        some 25,000 triples) and read what every page needs."""
        paths = paths or Paths()
        graphs = [
            open_graph(store, paths=paths, full_iris=True, progress=progress, timeout=timeout)
            for _ in range(max(1, workers))
        ]
        site = cls(graphs, paths, limits)
        site.prepare()
        return site

    @contextmanager
    def graph(self):
        """Borrow an opened graph for one request; :class:`Busy` if none frees up in time."""
        try:
            kg = self._free.get(timeout=self.limits.queue_seconds)
        except queue.Empty:
            raise Busy(
                f"every query worker was busy for {self.limits.queue_seconds:g} s; try again"
            ) from None
        try:
            yield kg
        finally:
            self._free.put(kg)

    def prepare(self) -> None:
        """Start every worker and read names and counts (before any thread starts)."""
        for kg in self._graphs:
            kg.store.ask("ASK {}")
        with self.graph() as kg:
            self.names = kg.labels()
            self.counts = self.select(kg, "class-counts")
            self.all_quotes = self.select(kg, "quotes")
        for quote in self.all_quotes:
            quote["report"] = report_of(str(quote["document"]))
            key = (str(quote["exact"]), int(quote["line"]))
            self.quote_reports.setdefault(key, quote["report"])

    def close(self) -> None:
        for kg in self._graphs:
            kg.close()

    # -- reading -----------------------------------------------------------------------
    @staticmethod
    def select(kg: KnowledgeGraph, name: str, **terms) -> list[dict]:
        """Rows of one of serve's own queries (``queries/serve``) as dicts of plain values."""
        text = bind_values(
            sparql_prologue() + serve_query(name), {f"p_{k}": v for k, v in terms.items()}
        )
        variables, rows = kg.store.select(text)
        return [
            {
                v: (None if t is None else t.toPython() if hasattr(t, "toPython") else t)
                for v, t in zip(variables, row, strict=True)
            }
            for row in rows
        ]

    def name_of(self, iri: str) -> str:
        """The name a page shows for a node: its label, else its short IRI."""
        best = None
        for index in self.names.values():
            shown = index.shown.get(iri)
            if shown and (best is None or shown[0] < best[0]):
                best = shown
        return best[1] if best else compact(iri)

    def search(self, text: str) -> list[tuple[str, str, str]]:
        """Nodes whose label, alternative label, acronym or id contains the words typed.

        (IRI, name, class) sorted: exact names first, then names that start with the text,
        then the rest; matching forgives case, quotes, spacing and a trailing full stop.
        """
        wanted = normal(text)
        if not wanted:
            return []
        ranked: dict[str, tuple[int, str, str]] = {}
        for cls, index in self.names.items():
            hits: dict[str, int] = {}
            for key, iris in index.names.items():
                if "://" in key or wanted not in key:
                    continue
                rank = 0 if key == wanted else 1 if key.startswith(wanted) else 2
                for iri in iris:
                    hits[iri] = min(rank, hits.get(iri, 3))
            for iri in index.by_words(text):
                hits[iri] = min(2, hits.get(iri, 3))
            for iri, rank in hits.items():
                if slug_of(iri) is None:
                    continue
                name = self.name_of(iri)
                if iri not in ranked or rank < ranked[iri][0]:
                    ranked[iri] = (rank, name, cls)
        ordered = sorted(ranked.items(), key=lambda kv: (kv[1][0], kv[1][1].lower(), kv[0]))
        return [(iri, name, cls) for iri, (_, name, cls) in ordered[:SEARCH_RESULTS]]

    def entity(self, slug: str) -> Entity | None:
        """Everything a node's page shows, or None when the graph holds no such node."""
        iri = str(ID) + slug
        node = URIRef(iri)
        with self.graph() as kg:
            kinds = self.select(kg, "node-kind", node=node)
            if not kinds:
                return None
            about = kg.query_terms("about", {"subject": node}, full_iris=True)
            quote_facts = []
            if any(str(k["class"]).endswith("#Evidence") for k in kinds):
                quote_facts = self.select(kg, "quote-facts", evidence=node)
        groups: dict[tuple[str, str], Group] = {}
        for row in about.to_dict("records"):
            prop = str(row["property"])
            key = (row["direction"], prop)
            if key not in groups:
                label = row["property_label"] or compact(prop)
                groups[key] = Group(row["direction"], prop, str(label))
            value = row["value"]
            shown = row["value_label"]
            if shown is None or shown == value:
                shown = self.name_of(str(value)) if isinstance(value, str) else value
            quotes = list(
                zip(row["quotes"] or [], row["sections"] or [], row["lines"] or [], strict=False)
            )
            cited = [(q, s, n, self.quote_reports.get((q, n), "")) for q, s, n in quotes]
            groups[key].facts.append(Fact(str(value), str(display_value(shown)), cited))
        ordered = sorted(groups.values(), key=lambda g: (g.direction != "out", g.label.lower()))
        for group in ordered:
            group.facts.sort(key=lambda f: (f.label.lower(), f.value))
        classes = sorted(
            {
                (str(k["class"]), str(k["class_label"] or compact(str(k["class"]))))
                for k in kinds
                if k["class"] is not None
            }
        )
        label = next((str(k["label"]) for k in kinds if k["label"]), None) or self.name_of(iri)
        line, report = None, ""
        if quote_facts or any(c.endswith("#Evidence") for c, _ in classes):
            lines = [f.value for g in ordered if g.property.endswith("#line") for f in g.facts]
            line = int(lines[0]) if lines else None
            documents = [
                f.value for g in ordered if g.property.endswith("#inDocument") for f in g.facts
            ]
            report = report_of(documents[0]) if documents else ""
        return Entity(iri, slug, label, classes, ordered, quote_facts, line, report)

    def description(self, slug: str):
        """The node's triples, its facts and their quotes as an rdflib Graph (None: none)."""
        from copgraph.namespaces import bind_prefixes

        node = URIRef(str(ID) + slug)
        text = bind_values(sparql_prologue() + serve_query("entity-graph"), {"p_node": node})
        with self.graph() as kg:
            found = kg.store.graph(text)
        graph = Graph()
        for triple in found:
            graph.add(tuple(simple(t) for t in triple))
        return bind_prefixes(graph) if len(graph) else None

    def run_named(self, name: str, params: dict[str, str], full_iris: bool = True):
        """A named query's rows for the given form values; QueryError says what to fix."""
        named = self.catalog[name]
        given = {k: v for k, v in params.items() if v.strip()}
        missing = [p.name for p in named.params if p.required and p.name not in given]
        if missing:
            raise QueryError(
                "fill in " + ", ".join(f"'{m}' ({named.param(m).doc})" for m in missing)
            )
        if named.one_of and sum(name in given for name in named.one_of) != 1:
            raise QueryError(
                "fill in exactly one of " + " or ".join(f"'{n}'" for n in named.one_of)
            )
        with self.graph() as kg:
            return kg.query(name, full_iris=full_iris, **given)

    def network_page(self) -> str:
        """The partnership page of ``copgraph viz``, each organization linked to its page."""
        with self._lock:
            if self._network_page is None:
                from copgraph import network, viz

                with self.graph() as kg:
                    data = network.load(kg)
                graph = network.partnership_graph(data)
                self._network_page = viz.page(graph, entity_base=ENTITY_BASE)
            return self._network_page

    def reports(self) -> dict[str, Path]:
        """Each report's folder, by report id (the folder's name)."""
        return {folder.name: folder for folder in self.paths.report_dirs()}

    def quotes(self, report: str) -> list[dict]:
        """The quotes of one report (see ``queries/serve/quotes.rq``)."""
        return [q for q in self.all_quotes if q["report"] == report]


def report_of(document: str) -> str:
    """A report's id from its document node's IRI (``.../id/report-<id>``)."""
    return (slug_of(document) or "").removeprefix(document_id_of(""))


def group_counts(counts: list[dict]) -> list[tuple[str, str, int]]:
    """(class IRI, label, count), largest first: the home page's table."""
    out = defaultdict(int)
    labels = {}
    for row in counts:
        out[str(row["class"])] += int(row["count"])
        labels[str(row["class"])] = str(row["label"] or compact(str(row["class"])))
    return sorted(((c, labels[c], n) for c, n in out.items()), key=lambda t: (-t[2], t[1].lower()))
