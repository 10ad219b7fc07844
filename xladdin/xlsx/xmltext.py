"""XML helpers shared by reading and writing: DOCTYPE refusal, OOXML text escapes,
start-tag regexes for byte-level edits, and date serials."""

from __future__ import annotations

import datetime as _dt
import re
from xml.etree import ElementTree as ET

from .model import _corrupt, _unsafe_xml
from .serials import to_serial

# --------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _has_dtd(data: bytes) -> bool:
    if data[:2] in _UTF16_BOMS or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return True  # undecodable: refuse rather than guess
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[A-Za-z0-9._-]+\2""")


def as_utf8(data: bytes) -> bytes | None:
    """An XML part in another encoding (UTF-16, ISO-8859-1 …) as UTF-8, its declaration
    saying so; None when it is UTF-8 already (with or without a BOM).  Excel writes
    every part in UTF-8, and some readers take nothing else."""
    if data[:3] == b"\xef\xbb\xbf":
        return None
    if data[:2] in _UTF16_BOMS:
        codec = "utf-16"
    elif len(data) > 1 and data[0] == 0:
        codec = "utf-16-be"
    elif len(data) > 1 and data[1] == 0:
        codec = "utf-16-le"
    else:
        m = _ENCODING_RE.match(data[:200])
        if m is None or m.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8"):
            return None
        codec = m.group(1).decode("ascii")
    try:
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None  # the XML parser has accepted it: leave it as it is
    text = _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text.lstrip("\ufeff"), count=1)
    return text.encode("utf-8")


def _xml_root(data: bytes, part: str, path) -> ET.Element:
    if _has_dtd(data):
        raise _unsafe_xml(path, part)
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise _corrupt(path, f"{part} 无法解析：{e}") from None


def _ns(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1 :]


_XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_x(s: str) -> str:
    """Decode OOXML's _xHHHH_ character escapes (ST_Xstring)."""
    if "_x" not in s:
        return s
    return _XESC_RE.sub(lambda m: chr(int(m.group(1), 16)), s)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def excel_escape(s: str) -> str:
    """Text as Excel stores it (ST_Xstring): a character XML cannot hold (a vertical tab
    pasted from Word, U+0001 …) becomes ``_xHHHH_``, and a literal ``_xHHHH_`` is
    protected as ``_x005F_xHHHH_``, so `_unescape_x` gives the text back unchanged."""
    if "_x" in s:
        s = _XESC_RE.sub(lambda m: "_x005F" + m.group(0), s)
    if _XML_BAD.search(s):
        s = _XML_BAD.sub(lambda m: "_x%04X_" % ord(m.group()), s)
    return s


def _escape_text(s: str) -> str:
    """Character data of a text value: `excel_escape`, then XML's escapes."""
    s = excel_escape(s)
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


# start tag at a given offset: name, attributes with quoted values, > or />
_TAG_RE = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_ATTR_RE = re.compile(rb"(\s+)([^\s=/>]+)(\s*=\s*)(\"[^\"]*\"|'[^']*')")
_CALCPR_RE = re.compile(rb"<(?:[^\s/>:]+:)?calcPr[\s/>]")
_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")

def _iso_to_serial(text: str, date1904: bool) -> float | str:
    try:
        d = _dt.datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        try:
            t = _dt.time.fromisoformat(text)
        except ValueError:
            return text
        return to_serial(t)
    return to_serial(d, date1904)


def drop_attributes(tag: bytes, names: tuple[bytes, ...]) -> bytes:
    """The start tag without the named attributes."""
    out = []
    pos = 0
    for m in _ATTR_RE.finditer(tag):
        if m.group(2) in names:
            out.append(tag[pos : m.start()])
            pos = m.end()
    out.append(tag[pos:])
    return b"".join(out)
