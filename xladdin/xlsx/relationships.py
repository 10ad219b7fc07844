"""A relationships part (``_rels/.rels``, ``xl/_rels/workbook.xml.rels`` …; OPC, ECMA-376 Part 2).

Read into its ``<Relationship>`` elements, written whole by `XmlWriter`: the writer adds
the custom-properties relationship and drops the calculation chain's.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .partxml import parse_part
from .xmlwriter import XmlWriter

NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = f"{{{NS}}}Relationship"


class Relationships:
    def __init__(self, relationships: list[ET.Element] | None = None):
        self.relationships = relationships or []

    @classmethod
    def parse(cls, data: bytes, part: str, path) -> "Relationships":
        root = parse_part(data, part, path, "Relationships")
        return cls([el for el in root if el.tag == _REL])

    def targets(self, type_suffix: str) -> list[str]:
        """The targets of the relationships whose type ends with ``type_suffix``."""
        return [el.get("Target") or "" for el in self.relationships if (el.get("Type") or "").endswith(type_suffix)]

    def add(self, type_uri: str, target: str) -> str:
        """Add an internal relationship; returns its new, unique id."""
        ids = {el.get("Id") for el in self.relationships}
        n = len(self.relationships) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        self.relationships.append(ET.Element(_REL, {"Id": rid, "Type": type_uri, "Target": target}))
        return rid

    def drop(self, type_suffix: str) -> bool:
        """Remove the relationships whose type ends with ``type_suffix``; True if any was."""
        kept = [el for el in self.relationships if not (el.get("Type") or "").endswith(type_suffix)]
        dropped = len(kept) != len(self.relationships)
        self.relationships = kept
        return dropped

    def to_xml(self) -> bytes:
        writer = XmlWriter({NS: ""})
        writer.start(f"{{{NS}}}Relationships")
        for el in self.relationships:
            writer.tree(el)
        writer.end()
        return writer.getvalue()
