"""The READMEs' generated parts: the catalog, an example per query, the field reference.

Each part sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` in
README.md (and ``fields`` in data/README.md). ``make docs`` (``python -m copgraph.docs``)
rewrites them from the code and the data; ``python -m copgraph.docs --check`` (and a test)
fails when a README differs, so neither can drift from the catalog, the queries' answers,
the schema or the mapping.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

from copgraph.catalog import NamedQuery, example_command, for_people, load_catalog

README = Path(__file__).resolve().parent.parent / "README.md"
DATA_README = README.parent / "data" / "README.md"
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


def _targets_cell(spec) -> str:
    if spec.kind == "concept":
        return f"scheme `{spec.targets[0]}`"
    return ", ".join(f"`{t}`" for t in spec.targets)


def field_reference() -> str:
    """One table per record type, from the schema (``records.TYPES``) and the mapping
    (``build.mapping``): what a curator may write and the triple each field becomes."""
    from copgraph.build.mapping import INVERSE, predicate_of
    from copgraph.namespaces import compact
    from copgraph.records import TYPES

    out = []
    for rtype in TYPES.values():
        where = "top-level key" if rtype.top_level else "nested in another record"
        compact_note = "; each quote states the whole record" if rtype.compact else ""
        out.append(f"#### `{rtype.key}` -> `cg:{rtype.cls}` ({where}{compact_note})\n")
        out.append("| field | kind | required | list | refers to | becomes | fact | meaning |")
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for spec in rtype.fields:
            predicate = predicate_of(rtype.key, spec.name)
            becomes = f"`{compact(str(predicate))}`" if predicate is not None else ""
            if spec.name in INVERSE and predicate is not None:
                becomes = f"(target) {becomes} (record)"
            elif spec.kind == "nested" and predicate is not None:
                becomes = f"(nested) {becomes} (record)"
            cells = [
                f"`{spec.name}`",
                spec.kind,
                "yes" if spec.required else "",
                "yes" if spec.many else "",
                _targets_cell(spec),
                becomes,
                "yes" if spec.fact and spec.kind != "evidence" else "",
                spec.doc.replace("|", "\\|"),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


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
    parser.add_argument("--data-readme", type=Path, default=DATA_README)
    args = parser.parse_args(argv)
    from copgraph.kg import open_graph

    targets = {
        args.readme: lambda: generated_parts(open_graph(), FALLBACK),
        args.data_readme: lambda: {"fields": field_reference()},
    }
    stale = []
    for path, parts in targets.items():
        current = path.read_text(encoding="utf-8")
        wanted = rewrite(current, parts())
        if wanted == current:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(wanted, encoding="utf-8")
            print(f"rewrote the generated parts of {path}")
    for path in stale:
        print(f"{path} is out of date: run `make docs`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
