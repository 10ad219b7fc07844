"""Reading a part that a part class (`custom`, `relationships`, `contenttypes`) rewrites.

A part is parsed namespace-aware: a prefix used without a declaration (the fault
earlier versions of this tool wrote into docProps/custom.xml) is a malformed part,
reported with its name, never skipped silently.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .model import _invalid, _unsafe_xml
from .xmltext import _has_dtd, _local


def parse_part(data: bytes, part: str, path, root_local: str) -> ET.Element:
    """The part's root element, which must be ``root_local``; PackageError naming the part otherwise."""
    if _has_dtd(data):
        raise _unsafe_xml(path, part)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise _invalid(path, part, f"XML 无法解析（{error}）") from None
    if _local(root.tag) != root_local:
        raise _invalid(path, part, f"根元素应为 {root_local}，实为 {_local(root.tag)}")
    return root
