"""The README's generated parts: the catalog table and an example per query.

Each part sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` in
README.md. ``make docs`` (``python -m copgraph.docs``) rewrites them from the code and
the data; ``python -m copgraph.docs --check`` (and a test) fails when the README differs,
so the README cannot drift from the catalog or the queries' answers.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

from copgraph.catalog import NamedQuery, example_command, for_people, load_catalog

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE_WIDTH = 150


def _block(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.DOTALL)


def parameters_cell(query: NamedQuery) -> str:
    """``org`` for a required parameter, ``kind?`` for an optional one."""
    return ", ".join(p.name + ("" if p.required else "?") for p in query.params)


def catalog_table(catalog: dict[str, NamedQuery]) -> str:
    lines = ["| query | parameters | columns |", "| --- | --- | --- |"]
    for q in catalog.values():
        lines.append(f"| `{q.name}` | {parameters_cell(q)} | {', '.join(q.columns)} |")
    return "\n".join(lines) + "\n"


def catalog_examples(kg, catalog: dict[str, NamedQuery], fallback: dict[str, str]) -> str:
    """Each query's documented example, its CSV header and first two rows, cut to width."""
    out = ["```"]
    for q in catalog.values():
        params = q.example or {p.name: fallback[p.name] for p in q.params if p.required}
        frame = kg.query(q.name, **params)
        text = for_people(frame, "csv").to_csv(index=False)
        command = example_command(dataclasses.replace(q, example=params))
        out.append(f"$ {command} --format csv | head -3")
        out += [line[:EXAMPLE_WIDTH] for line in text.splitlines()[:3]]
        out.append("")
    out[-1] = "```"
    return "\n".join(out) + "\n"


def generated_parts(kg, fallback: dict[str, str]) -> dict[str, str]:
    catalog = load_catalog()
    return {
        "catalog-table": catalog_table(catalog),
        "catalog-examples": catalog_examples(kg, catalog, fallback),
    }


def rewrite(text: str, parts: dict[str, str]) -> str:
    """The README text with each generated part replaced; a missing marker is an error."""
    for name, body in parts.items():
        pattern = _block(name)
        if not pattern.search(text):
            raise ValueError(f"README.md has no <!-- generated:{name} --> block")
        text = pattern.sub(lambda m, b=body: m.group(1) + b + m.group(2), text)
    return text


#: Values for a required parameter whose query gives no example.
FALLBACK = {"subject": "ecpat-international"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the README's generated parts.")
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md differs")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    from copgraph.kg import open_graph

    current = args.readme.read_text(encoding="utf-8")
    wanted = rewrite(current, generated_parts(open_graph(), FALLBACK))
    if args.check:
        if wanted != current:
            print(f"{args.readme} is out of date: run `make docs`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        args.readme.write_text(wanted, encoding="utf-8")
        print(f"rewrote the generated parts of {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
