"""The ontology's published documentation: pyLODE pages and a diagram of the classes.

``python -m copgraph.ontology_docs [OUT]`` (``make docs``) writes, into ``docs/ontology/``:
``index.html`` (pyLODE's OntPub view of the ontology as released by the build), one page
per SKOS scheme (``<scheme>.html``, from ``templates/scheme.html.j2``: pyLODE 3.3's
vocabulary profile lists no concepts), and ``classes.png``, the classes and the object
properties between them. The same ontology gives the same bytes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from copgraph.build import load_ontology
from copgraph.namespaces import CG, SCHEMA, SCHEMES

ROOT = Path(__file__).resolve().parent.parent


def write_ontology_docs(ontology_dir: Path, out_dir: Path) -> list[Path]:
    """Write the HTML pages and the class diagram; returns the files written."""
    from pylode import OntPub  # a docs dependency, imported only here

    out_dir.mkdir(parents=True, exist_ok=True)
    ontology = load_ontology(ontology_dir)
    written = [out_dir / "index.html"]
    _write_page(written[0], OntPub(ontology, sort_subjects=True).make_html())
    for name, namespace in sorted(SCHEMES.items()):
        scheme = URIRef(str(namespace).rstrip("/"))
        page = out_dir / f"{name}.html"
        page.write_text(render_scheme(ontology, scheme), encoding="utf-8")
        written.append(page)
    written.append(draw_classes(ontology, out_dir / "classes.png"))
    return written


JSON_LD = re.compile(
    r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.S
)


def _write_page(path: Path, html: str) -> None:
    """pyLODE embeds a JSON-LD summary in set order; sort it so the page's bytes depend on
    the ontology alone, not on the hash seed."""

    def ordered(match: re.Match) -> str:
        nodes = json.loads(match.group(2))
        nodes = sorted(nodes, key=lambda n: json.dumps(n, sort_keys=True))
        return f"{match.group(1)}\n{json.dumps(nodes, indent=2, sort_keys=True)}\n{match.group(3)}"

    path.write_text(JSON_LD.sub(ordered, html), encoding="utf-8")


def render_scheme(ontology: Graph, scheme: URIRef) -> str:
    """One scheme's page: every concept with its label, local name and definition."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("copgraph"), autoescape=select_autoescape())
    namespace = str(scheme) + "/"
    concepts = [
        {
            "name": str(c)[len(namespace) :],
            "label": str(ontology.value(c, SKOS.prefLabel)),
            "definition": str(ontology.value(c, SKOS.definition)),
        }
        for c in sorted(ontology.subjects(SKOS.inScheme, scheme))
    ]
    return env.get_template("scheme.html.j2").render(
        title=str(ontology.value(scheme, SKOS.prefLabel)),
        definition=str(ontology.value(scheme, SKOS.definition)),
        iri=str(scheme),
        concepts=concepts,
    )


def class_edges(ontology: Graph) -> list[tuple[str, str, str]]:
    """(domain class, property, range class) for every object property between cg classes.

    >>> g = Graph().parse(data='''@prefix cg: <https://w3id.org/copgraph/ontology#> .
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... cg:Post a owl:Class . cg:Person a owl:Class .
    ... cg:holder a owl:ObjectProperty ; rdfs:domain cg:Post ; rdfs:range cg:Person .''')
    >>> class_edges(g)
    [('Post', 'holder', 'Person')]
    """
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(CG))}
    edges = set()
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        domains = set(ontology.objects(prop, RDFS.domain)) | set(
            ontology.objects(prop, SCHEMA.domainIncludes)
        )
        ranges = set(ontology.objects(prop, RDFS.range)) | set(
            ontology.objects(prop, SCHEMA.rangeIncludes)
        )
        for domain in domains & classes:
            for range_ in ranges & classes:
                edges.add((_local(domain), _local(prop), _local(range_)))
    return sorted(edges)


# Drawn on the inner ring, the classes most facts link to; the others around them.
CORE_CLASSES = ("Organization", "Person", "Country", "Event", "Session", "Output")


def draw_classes(ontology: Graph, path: Path) -> Path:
    """A PNG of the classes and the main object properties between them.

    Evidence and Fact, which every class points to, and cg:about, which may point to any
    class, are left out so the picture stays readable; the caption says so.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    hidden = {"Evidence", "Fact", "Document"}
    graph = nx.MultiDiGraph()
    for domain, prop, range_ in class_edges(ontology):
        if domain not in hidden and range_ not in hidden and prop != "about":
            graph.add_edge(domain, range_, label=prop)
    core = [c for c in CORE_CLASSES if c in graph]
    rest = sorted(set(graph.nodes) - set(core))
    positions = nx.shell_layout(graph, nlist=[core, rest], rotate=0.3)
    figure, axes = plt.subplots(figsize=(16, 11), dpi=100)
    nx.draw_networkx_nodes(graph, positions, node_color="#dbe9f6", node_size=2600, ax=axes)
    nx.draw_networkx_labels(graph, positions, font_size=10, ax=axes)
    nx.draw_networkx_edges(
        graph, positions, arrows=True, arrowsize=12, edge_color="#888888", node_size=2600, ax=axes
    )
    labels: dict[tuple[str, str], list[str]] = {}
    for domain, range_, data in graph.edges(data=True):
        labels.setdefault((domain, range_), []).append(data["label"])
    nx.draw_networkx_edge_labels(
        nx.DiGraph(list(labels)),
        positions,
        edge_labels={edge: ", ".join(sorted(names)) for edge, names in labels.items()},
        font_size=7,
        ax=axes,
    )
    axes.set_title(
        "copgraph classes and the object properties between them "
        "(not drawn: cg:about, which may point to any class, and each fact's cg:Fact and "
        "cg:Evidence)"
    )
    axes.axis("off")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return path


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "ontology"
    for path in write_ontology_docs(ROOT / "ontology", out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
