"""A structural check of GEXF 1.2draft files, transcribed from the official schema.

The schema (gephi/gexf: gexf.xsd with the data.xsd it includes; viz, dynamics, hierarchy
and phylogenics are the optional modules) cannot be fetched at test time, so this module
states what it allows for the elements NetworkX writes and what Gephi reads: which
elements, in which order, with which attributes, required or not, and their value types.
:func:`problems` returns every violation found, as text; an empty list means valid.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

NAMESPACES = ("http://www.gexf.net/1.2draft", "http://gexf.net/1.2draft")
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# value types (gexf.xsd "Datatypes", data.xsd "new datatype")
ENUMS = {
    "version": {"1.2"},
    "defaultedgetype": {"directed", "undirected", "mutual"},
    "edgetype": {"directed", "undirected", "mutual"},
    "idtype": {"integer", "string"},
    "mode": {"static", "dynamic"},
    "attrtype": {"integer", "long", "double", "float", "boolean", "liststring", "string", "anyURI"},
    "class": {"node", "edge"},
}
FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(INF|-INF|NaN)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")


def _check_type(kind: str, value: str) -> bool:
    if kind in ENUMS:
        return value in ENUMS[kind]
    if kind == "string" or kind == "id":  # id-type: xs:string or xs:integer
        return True
    if kind == "token":  # xs:token: no line breaks or tabs, no leading/trailing/double spaces
        return value == " ".join(value.split()) and not re.search(r"[\t\n\r]", value)
    if kind == "nonNegativeInteger":
        return value.isdigit()
    if kind == "float":
        return bool(FLOAT.match(value))
    if kind == "date":
        return bool(DATE.match(value))
    if kind == "time":  # time-type: xs:integer | xs:double | xs:date | xs:dateTime
        return bool(FLOAT.match(value) or DATE.match(value[:10]))
    raise ValueError(kind)


TIME = {a: ("time", False) for a in ("start", "startopen", "end", "endopen")}

# element -> (attributes: name -> (type, required), content model)
# content model: ("sequence", [(child, min, max)]) or ("choice", {children}) (any order, any
# number: xs:choice minOccurs=0 maxOccurs=unbounded) or ("empty",) or ("text",)
SCHEMA: dict[str, tuple[dict, tuple]] = {
    "gexf": (
        {"version": ("version", True), "variant": ("string", False)},
        ("sequence", [("meta", 0, 1), ("graph", 1, 1)]),
    ),
    "meta": (
        {"lastmodifieddate": ("date", False)},
        ("choice", {"creator", "keywords", "description"}),
    ),
    "creator": ({}, ("text",)),
    "keywords": ({}, ("text",)),
    "description": ({}, ("text",)),
    "graph": (
        {
            "timeformat": ("string", False),
            **TIME,
            "defaultedgetype": ("defaultedgetype", False),
            "idtype": ("idtype", False),
            "mode": ("mode", False),
        },
        ("choice", {"attributes", "nodes", "edges"}),
    ),
    "attributes": (
        {"class": ("class", True), "mode": ("mode", False), **TIME},
        ("sequence", [("attribute", 0, None)]),
    ),
    "attribute": (
        {"id": ("id", True), "title": ("string", True), "type": ("attrtype", True)},
        ("choice", {"default", "options"}),
    ),
    "default": ({}, ("text",)),
    "options": ({}, ("text",)),
    "nodes": ({"count": ("nonNegativeInteger", False)}, ("sequence", [("node", 0, None)])),
    "node": (
        {**TIME, "pid": ("id", False), "id": ("id", True), "label": ("token", False)},
        (
            "choice",
            {
                "attvalues",
                "spells",
                "nodes",
                "edges",
                "parents",
                "color",
                "position",
                "size",
                "shape",
            },
        ),
    ),
    "edges": ({"count": ("nonNegativeInteger", False)}, ("sequence", [("edge", 0, None)])),
    "edge": (
        {
            **TIME,
            "id": ("id", True),
            "type": ("edgetype", False),
            "label": ("token", False),
            "source": ("id", True),
            "target": ("id", True),
            "weight": ("float", False),
        },
        ("choice", {"attvalues", "spells", "color", "thickness", "shape"}),
    ),
    "attvalues": ({}, ("sequence", [("attvalue", 0, None)])),
    "attvalue": (
        {"for": ("id", True), "value": ("string", True), **TIME},
        ("empty",),
    ),
}

# what an attvalue must look like for its attribute's declared type
VALUE_TYPES = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "long": re.compile(r"^[+-]?\d+$"),
    "double": FLOAT,
    "float": FLOAT,
    "boolean": re.compile(r"^(true|false|1|0)$"),
}


def problems(path) -> list[str]:
    """Every way the file departs from the GEXF 1.2draft schema (empty if none)."""
    found: list[str] = []
    root = ET.parse(path).getroot()
    match = re.match(r"^\{([^}]*)\}(.*)$", root.tag)
    if not match or match.group(1) not in NAMESPACES:
        return [f"root element {root.tag} is not in the GEXF 1.2draft namespace"]
    ns = match.group(1)

    def local(tag: str) -> str | None:
        return tag[len(ns) + 2 :] if tag.startswith(f"{{{ns}}}") else None

    declared: dict[tuple[str, str], str] = {}  # (class, id) -> attribute type

    def visit(element, where: str, context: str) -> None:
        name = local(element.tag)
        if name is None or name not in SCHEMA:
            found.append(f"{where}: element {element.tag} is not allowed here")
            return
        allowed, content = SCHEMA[name]
        for attr, value in element.attrib.items():
            if attr.startswith(f"{{{XSI}}}"):
                continue
            if attr not in allowed:
                found.append(f"{where}: attribute {name}@{attr} is not in the schema")
            elif not _check_type(allowed[attr][0], value):
                found.append(f"{where}: {name}@{attr}={value!r} is not a valid {allowed[attr][0]}")
        for attr, (_, required) in allowed.items():
            if required and attr not in element.attrib:
                found.append(f"{where}: {name}@{attr} is required")
        children = [local(c.tag) or c.tag for c in element]
        if content[0] == "empty" and len(element):
            found.append(f"{where}: {name} must be empty")
        if content[0] == "text" and len(element):
            found.append(f"{where}: {name} holds text only")
        if content[0] == "choice":
            for child in children:
                if child not in content[1]:
                    found.append(f"{where}: {child} is not allowed in {name}")
        if content[0] == "sequence":
            position = 0
            steps = content[1]
            for child in children:
                while position < len(steps) and steps[position][0] != child:
                    position += 1
                if position == len(steps):
                    found.append(f"{where}: {child} is not allowed (or out of order) in {name}")
                    break
            for step, low, high in steps:
                count = children.count(step)
                if count < low or (high is not None and count > high):
                    found.append(f"{where}: {name} needs {low}..{high or 'n'} {step}, has {count}")
        if name == "attributes":
            for attribute in element:
                declared[element.get("class"), attribute.get("id")] = attribute.get("type")
        if name == "attvalue":
            kind = declared.get((context, element.get("for")))
            if kind is None:
                found.append(f"{where}: attvalue for={element.get('for')!r} is not declared")
            elif kind in VALUE_TYPES and not VALUE_TYPES[kind].match(element.get("value", "")):
                found.append(f"{where}: {element.get('value')!r} is not a {kind}")
        for index, child in enumerate(element):
            child_name = local(child.tag) or child.tag
            inner = child_name if child_name in ("node", "edge") else context
            visit(child, f"{where}/{child_name}[{index}]", inner)

    visit(root, "gexf", "")
    return found
