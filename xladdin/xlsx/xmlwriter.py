"""A small namespace-aware XML writer for the parts the package layer writes whole.

Like XlsxWriter's ``xmlwriter.XMLwriter``: each part class (`custom`, `relationships`,
`contenttypes`) writes its elements through this one writer, which escapes every text
and attribute value and declares every namespace it uses, so a part it writes is
well-formed and namespace-valid by construction (no prefix is ever assumed to be in
scope).  Element trees read from an input part (ElementTree, ``{uri}local`` names) are
written back with the part's own prefixes, a namespace without one getting a fresh
``nsN`` prefix declared where it is first used.
"""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

from .xmltext import _XML_BAD

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
XML_NS = "http://www.w3.org/XML/1998/namespace"


def escape_attribute(value: str) -> str:
    # control characters cannot appear in XML at all; OOXML attributes have no _xHHHH_
    # escape, so they are dropped (no part this layer writes stores one)
    if _XML_BAD.search(value):
        value = _XML_BAD.sub("", value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))


def escape_data(value: str) -> str:
    """Character data: XML escapes only (callers Excel-escape control characters first)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class XmlWriter:
    """Writes one XML part.  ``prefixes`` maps namespace URI -> prefix ("" = default);
    they are declared on the root element."""

    def __init__(self, prefixes: dict[str, str]):
        self._prefixes = dict(prefixes)
        self._declared_root = False
        self._out: list[str] = []
        self._generated = 0
        self._stack: list[str] = []

    # names ------------------------------------------------------------------

    def _qname(self, name: str, declare: list[tuple[str, str]], attribute: bool = False) -> str:
        if not name.startswith("{"):
            return name
        uri, local = name[1:].split("}", 1)
        if uri == XML_NS:
            return "xml:" + local
        prefix = self._prefixes.get(uri)
        if prefix is None or (attribute and prefix == ""):
            # attributes are never in the default namespace: they need a prefix
            self._generated += 1
            prefix = f"ns{self._generated}"
            while prefix in self._prefixes.values():
                self._generated += 1
                prefix = f"ns{self._generated}"
            declare.append((prefix, uri))
            if not attribute:
                self._prefixes[uri] = prefix
        return f"{prefix}:{local}" if prefix else local

    # elements ---------------------------------------------------------------

    def start(self, name: str, attributes=(), *, empty: bool = False) -> None:
        declare: list[tuple[str, str]] = []
        tag = self._qname(name, declare)
        attrs = [(self._qname(k, declare, attribute=True), v) for k, v in attributes]
        head = ["<", tag]
        if not self._declared_root:
            self._declared_root = True
            for uri, prefix in self._prefixes.items():
                head.append(f' xmlns="{escape_attribute(uri)}"' if prefix == "" else f' xmlns:{prefix}="{escape_attribute(uri)}"')
        for prefix, uri in declare:
            head.append(f' xmlns:{prefix}="{escape_attribute(uri)}"')
        for key, value in attrs:
            head.append(f' {key}="{escape_attribute(value)}"')
        head.append("/>" if empty else ">")
        self._out.append("".join(head))
        if not empty:
            self._stack.append(tag)

    def end(self) -> None:
        self._out.append(f"</{self._stack.pop()}>")

    def data(self, text: str) -> None:
        self._out.append(escape_data(text))

    def element(self, name: str, text: str | None = None, attributes=()) -> None:
        if text is None:
            self.start(name, attributes, empty=True)
        else:
            self.start(name, attributes)
            self.data(text)
            self.end()

    def tree(self, el: ET.Element) -> None:
        """An element read from a part, with its children and texts."""
        if len(el) == 0 and not el.text:
            self.start(el.tag, el.attrib.items(), empty=True)
        else:
            self.start(el.tag, el.attrib.items())
            if el.text:
                self.data(el.text)
            for child in el:
                self.tree(child)
                if child.tail:
                    self.data(child.tail)
            self.end()

    def getvalue(self) -> bytes:
        if self._stack:  # pragma: no cover - a part class left an element open
            raise ValueError(f"unclosed element {self._stack[-1]}")
        return XML_DECLARATION + "".join(self._out).encode("utf-8")


def part_prefixes(data: bytes) -> dict[str, str]:
    """URI -> prefix as the part itself declares them (the first declaration of each)."""
    out: dict[str, str] = {}
    for event, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
        if uri not in out and prefix not in out.values():
            out[uri] = prefix
    return out
