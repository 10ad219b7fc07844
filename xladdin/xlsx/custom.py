"""``docProps/custom.xml``: the document's custom properties (ECMA-376 Part 1, 22.3).

The part is read into its ``<property>`` elements and written whole by `XmlWriter`, which
declares the custom-properties namespace and ``vt:`` on the root: a property added to a
part another program wrote (openpyxl declares ``vt:`` on each property, not on the root)
is as valid as the ones that were there.  Properties this tool does not set are written
back with their values and attributes unchanged.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .partxml import parse_part
from .xmltext import _unescape_x, excel_escape
from .xmlwriter import XmlWriter, part_prefixes

PART = "docProps/custom.xml"
NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
#: The format id Office gives every user-defined property.
USER_DEFINED_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
#: pids 0 and 1 are reserved (dictionary, code page): user properties start at 2.
_FIRST_PID = 2


class CustomProperties:
    """The ``<property>`` elements of docProps/custom.xml, in document order."""

    def __init__(self, properties: list[ET.Element] | None = None, prefixes: dict[str, str] | None = None):
        self.properties = properties or []
        self._prefixes = prefixes or {}

    @classmethod
    def parse(cls, data: bytes, part: str, path) -> "CustomProperties":
        root = parse_part(data, part, path, "Properties")
        props = [el for el in root if el.tag == f"{{{NS}}}property"]
        return cls(props, part_prefixes(data))

    def texts(self) -> dict[str, str]:
        """name -> value as text (a number or date property gives its lexical form)."""
        out = {}
        for prop in self.properties:
            name = prop.get("name")
            if name is not None:
                out[name] = _unescape_x("".join(prop.itertext()))
        return out

    def set_text(self, name: str, value: str) -> None:
        """Set the text property ``name`` (``vt:lpwstr``), replacing one of that name in place."""
        index = next((i for i, prop in enumerate(self.properties) if prop.get("name") == name), None)
        pid = self.properties[index].get("pid") if index is not None else None
        if not pid:
            used = [int(p.get("pid")) for p in self.properties if (p.get("pid") or "").isdigit()]
            pid = str(max(used + [_FIRST_PID - 1]) + 1)
        prop = ET.Element(f"{{{NS}}}property", {"fmtid": USER_DEFINED_FMTID, "pid": pid, "name": name})
        ET.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = excel_escape(value)
        if index is None:
            self.properties.append(prop)
        else:
            self.properties[index] = prop

    def to_xml(self) -> bytes:
        prefixes = {NS: "", VT_NS: "vt"}
        for uri, prefix in self._prefixes.items():
            if uri not in prefixes and prefix and prefix not in prefixes.values():
                prefixes[uri] = prefix
        writer = XmlWriter(prefixes)
        writer.start(f"{{{NS}}}Properties")
        for prop in self.properties:
            writer.tree(prop)
        writer.end()
        return writer.getvalue()

