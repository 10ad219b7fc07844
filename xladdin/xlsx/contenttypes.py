"""``[Content_Types].xml`` (OPC, ECMA-376 Part 2): the content type of every part.

Read into its ``<Default>`` and ``<Override>`` elements, written whole by `XmlWriter`:
the writer adds the override of a part it creates and drops the one of a part it leaves
out (the calculation chain).
"""

from __future__ import annotations

from urllib.parse import unquote
from xml.etree import ElementTree as ET

from .partxml import parse_part
from .xmlwriter import XmlWriter

PART = "[Content_Types].xml"
NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _key(part_name: str) -> str:
    # part names compare case-insensitively, percent-decoded (OPC 9.1.1)
    return unquote(part_name).lstrip("/").lower()


class ContentTypes:
    def __init__(self, entries: list[ET.Element] | None = None):
        self.entries = entries or []

    @classmethod
    def parse(cls, data: bytes, part: str, path) -> "ContentTypes":
        root = parse_part(data, part, path, "Types")
        return cls([el for el in root if el.tag in (f"{{{NS}}}Default", f"{{{NS}}}Override")])

    def content_type(self, part_name: str) -> str | None:
        """The part's type: its override, else the default of its extension."""
        key = _key(part_name)
        for el in self.entries:
            if el.tag == f"{{{NS}}}Override" and _key(el.get("PartName") or "") == key:
                return el.get("ContentType")
        base = key.rsplit("/", 1)[-1]
        if "." in base:  # ".rels" too (splitext would see no extension)
            extension = base.rpartition(".")[2]
            for el in self.entries:
                if el.tag == f"{{{NS}}}Default" and (el.get("Extension") or "").lower() == extension:
                    return el.get("ContentType")
        return None

    def set_override(self, part_name: str, content_type: str) -> None:
        self.drop_override(part_name)
        self.entries.append(ET.Element(f"{{{NS}}}Override", {"PartName": "/" + part_name.lstrip("/"), "ContentType": content_type}))

    def drop_override(self, part_name: str) -> None:
        key = _key(part_name)
        self.entries = [el for el in self.entries
                        if not (el.tag == f"{{{NS}}}Override" and _key(el.get("PartName") or "") == key)]

    def to_xml(self) -> bytes:
        writer = XmlWriter({NS: ""})
        writer.start(f"{{{NS}}}Types")
        # Defaults before Overrides, as Excel writes them (the schema allows any order)
        for el in sorted(self.entries, key=lambda e: e.tag != f"{{{NS}}}Default"):
            writer.tree(el)
        writer.end()
        return writer.getvalue()
