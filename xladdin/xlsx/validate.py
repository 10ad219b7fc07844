"""What the package layer checks before it reads, and before it passes anything on.

Write-back copies every part it does not change byte for byte, so a part that is
broken in the input would be broken in the output, under a 完成 message.  Hence,
at open time, for the whole package:

* every zip member: not encrypted, compressed with a method Excel writes (stored
  or deflated), sizes and compression ratio within the limits (zip bombs), and
  its CRC-32 verified by decompressing it;
* every XML part (``.xml``, ``.rels``, any ``…xml`` content type): no DOCTYPE or
  entity declaration, well-formed;
* ``[Content_Types].xml`` present;
* every internal relationship pointing at a part that exists.

Cell-level checks (references, numbers, style indexes, text length) are made
while a worksheet is parsed (`sheet`), and the workbook-level ones (sheet names,
defined names) while ``workbook.xml`` is read (`reader`).

`Limits` bounds the work one file can cause: an input under 10 MB never makes the
package layer use more than about 1 GB or 30 s.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree as ET
from xml.parsers import expat

from .model import PackageError, _bomb, _corrupt, _invalid, _name, _unsafe_xml
from .xmltext import _has_dtd, _local

# Members at least this big must not compress better than max_ratio.
_RATIO_MIN_SIZE = 1 << 20
_MAX_MEMBERS = 10_000
#: Default total of the uncompressed parts.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
_SUPPORTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass
class Limits:
    """Bounds on the work one workbook may cause, and what it has used so far.

    The defaults are far beyond any scoring workbook (the template has a few
    thousand cells) and keep a hostile file under about 1 GB and a few seconds.
    """

    max_cells: int = 1_000_000
    #: XML elements in one worksheet or shared-string part (each costs a Python call).
    max_elements: int = 20_000_000
    #: characters of formula text in the whole workbook, shared formulas expanded.
    max_formula_chars: int = 50_000_000
    #: parts read into an ElementTree (workbook, styles, relationships, content types).
    max_tree_part: int = 32 * 1024 * 1024
    cells: int = 0
    formula_chars: int = 0

    def too_many_cells(self, path) -> PackageError:
        return PackageError(
            f"工作簿的单元格过多（超过 {self.max_cells:,} 个），超出本工具的处理范围：{_name(path)}。"
            "请删去不需要的数据后再试",
            path,
        )

    def too_many_elements(self, path, part: str) -> PackageError:
        return PackageError(
            f"工作簿内容过于庞大（部件 {part} 的元素超过 {self.max_elements:,} 个），超出本工具的处理范围：{_name(path)}",
            path,
        )

    def too_much_formula_text(self, path) -> PackageError:
        return PackageError(
            f"工作簿的公式总长度超过 {self.max_formula_chars:,} 个字符，超出本工具的处理范围：{_name(path)}",
            path,
        )

    def check_tree_part(self, data: bytes, part: str, path) -> None:
        if len(data) > self.max_tree_part:
            limit = self.max_tree_part
            size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} 字节"
            raise PackageError(
                f"工作簿内容过于庞大（部件 {part} 超过 {size}），超出本工具的处理范围：{_name(path)}",
                path,
            )


# --------------------------------------------------------------------------
# Zip members
# --------------------------------------------------------------------------


def check_members(infos: list[zipfile.ZipInfo], path, limit: int, max_ratio: float) -> None:
    """Refuse encrypted members, unsupported compression, duplicates and zip bombs."""
    if len(infos) > _MAX_MEMBERS:
        raise _bomb(path)
    total = 0
    seen = set()
    for zi in infos:
        unsafe = unsafe_member_name(zi.orig_filename)
        if unsafe:
            raise PackageError(
                f"文件中有不安全的部件名称“{zi.orig_filename[:80]}”（{unsafe}），Excel 不会写出这样的文件，"
                f"为安全起见拒绝打开：{_name(path)}",
                path,
            )
        key = zi.filename.lower()
        if key in seen:
            raise _corrupt(path, f"部件重复：{zi.filename}")
        seen.add(key)
        if zi.flag_bits & 0x1:
            raise PackageError(f"文件已加密，请先在 Excel 中取消密码保护后再试：{_name(path)}", path)
        if zi.compress_type not in _SUPPORTED_METHODS:
            raise _corrupt(path, f"部件 {zi.filename} 使用了 Excel 不支持的压缩方式")
        total += zi.file_size
        if total > limit:
            raise _bomb(path)
        if zi.file_size >= _RATIO_MIN_SIZE and (zi.compress_size <= 0 or zi.file_size / zi.compress_size > max_ratio):
            raise _bomb(path)


_DRIVE = re.compile(r"[A-Za-z]:")


def unsafe_member_name(name: str) -> str:
    """Why a zip member's name is no OPC part name a writer may copy (empty if it is one):
    a path that would leave the package's folder when unpacked, or that other readers
    take for another part."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "绝对路径"
    if "\\" in name:
        return "含反斜杠"
    if any(ord(ch) < 32 for ch in name):
        return "含控制字符"
    segments = name.split("/")
    if name.endswith("/"):  # a folder entry
        segments = segments[:-1]
    if any(seg in ("", ".", "..") for seg in segments):
        return "含 . 或 .. 或空的路径段"
    return ""


def read_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path) -> dict[str, bytes]:
    """Every member's bytes (directory entries left out), CRC-32 verified."""
    parts: dict[str, bytes] = {}
    for zi in infos:
        if zi.is_dir():
            continue
        try:
            data = zf.read(zi)
        except zipfile.BadZipFile as error:
            detail = "校验失败，内容已损坏" if "CRC" in str(error) else "无法解压"
            raise _corrupt(path, f"部件 {zi.filename} {detail}") from None
        except (zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
            raise _corrupt(path, f"部件 {zi.filename} 无法解压") from None
        if len(data) != zi.file_size:  # pragma: no cover - zipfile checks this too
            raise _corrupt(path, f"部件 {zi.filename} 数据不完整")
        parts[zi.filename] = data
    return parts


# --------------------------------------------------------------------------
# XML parts, content types, relationships
# --------------------------------------------------------------------------


def _forbid(*_args):
    raise _Doctype


class _Doctype(Exception):
    pass


#: Parts already found well-formed, by their exact bytes: a batch from one template
#: brings the same theme, styles and comments in every file. Bounded in bytes.
_WELL_FORMED: set = set()
_WELL_FORMED_BYTES = 0
_WELL_FORMED_MAX = 8 << 20
_WELL_FORMED_PART_MAX = 256 << 10


def check_xml(data: bytes, part: str, path) -> None:
    """Refuse a DOCTYPE (no entity is ever expanded) and XML that is not well-formed,
    namespaces included: a prefix used without a declaration is as fatal to lxml,
    openpyxl and the Open XML SDK as a missing end tag."""
    global _WELL_FORMED_BYTES
    if data in _WELL_FORMED:
        return
    _check_xml(data, part, path)
    if len(data) <= _WELL_FORMED_PART_MAX:
        if _WELL_FORMED_BYTES + len(data) > _WELL_FORMED_MAX:
            _WELL_FORMED.clear()
            _WELL_FORMED_BYTES = 0
        _WELL_FORMED.add(data)
        _WELL_FORMED_BYTES += len(data)


def _check_xml(data: bytes, part: str, path) -> None:
    if _has_dtd(data):
        raise _unsafe_xml(path, part)
    p = expat.ParserCreate(namespace_separator=" ")
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        p.Parse(data, True)
    except _Doctype:
        raise _unsafe_xml(path, part) from None
    except expat.ExpatError as error:
        raise _corrupt(path, f"部件 {part} 不是完整的 XML：{expat.ErrorString(error.code)}，第 {error.lineno} 行") from None


def _content_types(data: bytes, path, limits: Limits) -> tuple[dict[str, str], dict[str, str]]:
    """(extension → type, part name → type), both keys lower-case, part names without '/'."""
    limits.check_tree_part(data, "[Content_Types].xml", path)
    root = ET.fromstring(data)  # already checked: well-formed, no DOCTYPE
    if _local(root.tag) != "Types":
        raise _invalid(path, "[Content_Types].xml", "不是内容类型清单")
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:
        tag = _local(el.tag)
        if tag == "Default" and el.get("Extension") is not None:
            defaults[el.get("Extension").lower()] = el.get("ContentType") or ""
        elif tag == "Override" and el.get("PartName") is not None:
            overrides[unquote(el.get("PartName")).lstrip("/").lower()] = el.get("ContentType") or ""
    return defaults, overrides


def _is_xml(name: str, content_type: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels")) or content_type.endswith(("+xml", "/xml"))


def rels_source(rels_part: str) -> str:
    """``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``; ``_rels/.rels`` → ``""``."""
    folder, name = posixpath.split(rels_part)
    base = posixpath.dirname(folder)
    return posixpath.join(base, name[: -len(".rels")]) if name != ".rels" else base


def resolve_target(base: str, target: str) -> str:
    """A relationship's internal target as a part name (no leading '/')."""
    target = unquote(target).split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(base, target))


_ESSENTIAL_RELATIONSHIPS = ("/officeDocument", "/worksheet", "/sharedStrings", "/styles")


def check_package(parts: dict[str, bytes], path, limits: Limits) -> list[str]:
    """The whole-package checks (see the module docstring); returns the XML parts' names."""
    names = {name.lower(): name for name in parts}
    ct_name = names.get("[content_types].xml")
    if ct_name is None:
        if "xl/workbook.xml" not in names:  # some other zip file
            raise _corrupt(path, "缺少 xl/workbook.xml")
        raise _corrupt(path, "缺少内容类型清单 [Content_Types].xml，Excel 无法打开这样的文件")
    check_xml(parts[ct_name], ct_name, path)
    xml_parts = [ct_name]
    defaults, overrides = _content_types(parts[ct_name], path, limits)
    for name, data in parts.items():
        if name == ct_name:
            continue
        key = name.lower()
        content_type = overrides.get(key)
        if content_type is None:
            base_name = key.rsplit("/", 1)[-1]
            if "." in base_name:  # ".rels" too (splitext would see no extension)
                content_type = defaults.get(base_name.rpartition(".")[2])
        if _is_xml(name, content_type or ""):
            check_xml(data, name, path)
            xml_parts.append(name)
    for name, data in parts.items():
        if not name.lower().endswith(".rels"):
            continue
        limits.check_tree_part(data, name, path)
        base = posixpath.dirname(rels_source(name))
        for rel in ET.fromstring(data):
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            # only the parts a workbook cannot do without: Excel itself opens a file whose
            # optional part (a theme, a printer setting) is missing (corpus: issue.3807.xlsx),
            # or whose optional relationship has no target at all
            if not rel.get("Type", "").endswith(_ESSENTIAL_RELATIONSHIPS):
                continue
            target = rel.get("Target")
            if not target:
                raise _invalid(path, name, f"关系 {rel.get('Id') or ''} 没有目标")
            part = resolve_target(base, target)
            if part.lower() not in names and not part.lower().endswith("/") and part not in ("", "."):
                raise _invalid(path, name, f"引用的部件 {part} 不存在")
    return xml_parts
