"""Writing a workbook back: the parts that change are written, every other part copied.

`write_package` decides what changes and hands each part to its writer, one module per
part as in XlsxWriter:

* `worksheet` – surgical edits of a worksheet's bytes: a formula cell's ``<v>`` and ``t``
  (with ``freeze=``, a named formula cell becomes a constant holding its value, and the
  rest of a shared-formula group it belonged to get their own formulas);
* `workbookxml` – ``fullCalcOnLoad`` dropped from ``<calcPr>``, so that Excel without the
  add-in shows the stored values instead of recalculating to ``#NAME?``;
* `relationships`, `contenttypes`, `custom` – parts rewritten whole by `xmlwriter`: the
  calculation chain's relationship and content type go when formulas are frozen (Excel
  rebuilds a missing chain silently, but offers to repair one that names a cell without
  a formula), and ``docProps/custom.xml`` takes the 定稿副本 property;
* `archive` – the zip: every other part, a ``vbaProject.bin`` included, is copied with its
  compressed bytes untouched, in the same order and with the same names, compression and
  dates (the reader has verified each one's CRC); parts the reader repaired (`repaired_parts`)
  are written as repaired.

The new file is written to a temporary file beside the target and moved over it
atomically (`xladdin.files`)."""

from __future__ import annotations

import os
import stat
from typing import Collection, Iterable, Mapping

from .. import files
from . import custom
from .archive import build_zip
from .contenttypes import ContentTypes
from .model import PackageError, _name
from .refs import split_ref
from .relationships import Relationships
from .workbookxml import without_full_calc
from .worksheet import dissolved_shared_formulas, encode_result, rewrite_sheet

# --------------------------------------------------------------------------
# Writing a package
# --------------------------------------------------------------------------


def write_package(
    book,
    results: Mapping[tuple[str, str], object],
    target_path: str | os.PathLike,
    *,
    replace: bool = False,
    fsync: bool | None = None,
    freeze: Collection[tuple[str, str]] = frozenset(),
    custom_properties: Mapping[str, str] | None = None,
) -> None:
    """Write a copy of ``book`` (a `WorkbookPackage`) with ``results`` as the cached values.

    ``results`` maps (sheet, ref) to a number, str, bool, ErrorValue,
    date/datetime or None.  Keys that are not formula cells (nor cells of
    an array formula's range) are ignored.  ``replace=True`` is needed to
    overwrite an existing file, including the source itself.  ``fsync``
    forces the data to disk before the rename; by default it does so only
    when an existing file is replaced (the in-place case), where a crash
    could otherwise cost the user's original.

    ``freeze`` names formula cells to turn into constants: their ``<f>``
    is removed and the cell keeps the written value (the stored one when
    ``results`` has none; text becomes an inline string, None a blank
    cell).  A frozen array formula's master takes the whole array formula
    with it; the range's other cells keep their values.  When a frozen cell
    belongs to a shared-formula group, the group's other members are
    rewritten as ordinary formulas with their own (expanded) text, so none
    of them depends on a master that is gone.  When anything is frozen,
    ``xl/calcChain.xml`` is dropped with its relationship and content type:
    it lists the cells that had formulas, and Excel reports a chain naming a
    cell without one as a problem to repair; without the part Excel simply
    rebuilds the chain.  Keys that are not formula cells are ignored.
    """
    target = _check_target(book, target_path, replace)

    frozen = _frozen_cells(book, freeze)
    by_sheet: dict[str, list] = {}
    date1904 = book.date1904
    for key, value in results.items():
        sheet, ref = key
        rec = book.write_records(sheet).get(ref)
        if rec is None:
            continue
        if ref in frozen.get(sheet, ()):
            enc = (None, None) if value is None else encode_result(value, date1904)
            by_sheet.setdefault(sheet, []).append((rec, enc, True))
        else:
            by_sheet.setdefault(sheet, []).append((rec, encode_result(value, date1904), False))
    for sheet in book.sheet_names:
        sh = book.worksheet(sheet)
        for ref in sh.unreadable_results:
            if (sheet, ref) not in results and ref not in frozen.get(sheet, ()):
                # a stored result no reader can take, and no new one: written as none
                by_sheet.setdefault(sheet, []).append((sh.records[ref], (None, None), False))
    f_rewrites: dict[str, list] = {}
    for sheet, refs in frozen.items():
        records = book.write_records(sheet)
        for ref in refs:
            if (sheet, ref) not in results:  # keeps the stored value
                cell = book.cells.get((sheet, ref))
                value = cell.value if cell is not None else None
                enc = (None, None) if value is None else encode_result(value, date1904)
                by_sheet.setdefault(sheet, []).append((records[ref], enc, True))
        f_rewrites[sheet] = dissolved_shared_formulas(book, book.worksheet(sheet), refs)

    new_parts: dict[str, bytes | None] = dict(book.repaired_parts)
    for sheet in by_sheet.keys() | f_rewrites.keys():
        sh = book.worksheet(sheet)
        new_parts[sh.part] = rewrite_sheet(sh, by_sheet.get(sheet, []), book.path, f_rewrites.get(sheet, ()))
    wb = without_full_calc(book.workbook_xml)
    if wb is not None:
        new_parts[book.workbook_part] = wb
    content_types = None
    if frozen and book.calc_chain_part is not None:
        # Excel rebuilds a missing calculation chain silently, but one that
        # lists a cell without a formula makes it offer to repair the file.
        new_parts[book.calc_chain_part] = None
        if book.workbook_rels_part is not None:
            rels = Relationships.parse(book.part(book.workbook_rels_part), book.workbook_rels_part, book.path)
            rels.drop("/calcChain")
            new_parts[book.workbook_rels_part] = rels.to_xml()
        content_types = _content_types(book)
        content_types.drop_override(book.calc_chain_part)

    if custom_properties:
        if book.custom_part is None:  # the part is created: it needs a content type
            content_types = content_types or _content_types(book)
        new_parts.update(_custom_property_parts(book, custom_properties, content_types))
    if content_types is not None:
        new_parts[book.content_types_part] = content_types.to_xml()

    chunks = build_zip(book, new_parts)
    if fsync is None:
        fsync = os.path.exists(target)
    _atomic_write(target, chunks, fsync)


def _content_types(book) -> ContentTypes:
    return ContentTypes.parse(book.part(book.content_types_part), book.content_types_part, book.path)


def _custom_property_parts(book, properties: Mapping[str, str], content_types: ContentTypes | None) -> dict[str, bytes]:
    """The parts that set document custom properties (text, ``vt:lpwstr``): docProps/custom.xml
    rewritten with them (other properties kept), or created, together with its package
    relationship and its content type (added to ``content_types``, given then)."""
    out: dict[str, bytes] = {}
    part = book.custom_part
    if part is not None:
        props = custom.CustomProperties.parse(book.part(part), part, book.path)
    else:
        part = custom.PART
        props = custom.CustomProperties()
        rels_part = book.package_rels_part or "_rels/.rels"
        data = book.part(rels_part)
        rels = Relationships.parse(data, rels_part, book.path) if data is not None else Relationships()
        rels.add(custom.RELATIONSHIP_TYPE, part)
        out[rels_part] = rels.to_xml()
        content_types.set_override(part, custom.CONTENT_TYPE)
    for name, value in properties.items():
        props.set_text(name, value)
    out[part] = props.to_xml()
    return out


def _frozen_cells(book, freeze: Collection[tuple[str, str]]) -> dict[str, set[str]]:
    """sheet -> refs to freeze: formula cells named in ``freeze`` and the
    other cells of a frozen array formula's range."""
    out: dict[str, set[str]] = {}
    for sheet, ref in freeze:
        sh = book.worksheet(sheet)
        rec = sh.records.get(ref) if sh is not None else None
        if rec is None or rec.formula is None:  # not a cell with an <f>
            continue
        refs = out.setdefault(sheet, set())
        refs.add(ref)
        cell = book.cells.get((sheet, ref))
        if cell is not None and cell.array_ref:
            a, _, b = cell.array_ref.partition(":")
            try:
                r1, c1 = split_ref(a)
                r2, c2 = split_ref(b) if b else (r1, c1)
            except ValueError:
                continue
            for r in sh.records:
                row, col = split_ref(r)
                if r1 <= row <= r2 and c1 <= col <= c2 and sh.records[r].formula is None:
                    refs.add(r)
    return out


def _check_target(book, target_path, replace: bool) -> str:
    target = os.path.abspath(os.fspath(target_path))
    if os.path.islink(target):
        target = os.path.realpath(target)
    name = _name(target)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise PackageError(f"目标文件夹不存在：{folder}", target)
    ext = os.path.splitext(target)[1].lower()
    if ext not in (".xlsx", ".xlsm"):
        raise PackageError(f"工作簿只能保存为 .xlsx 或 .xlsm 文件，不能保存为“{name}”", target)
    source_ext = os.path.splitext(book.path)[1].lower()
    # a macro workbook may not become .xlsx, unless it already was one (written back as it came)
    if book.macro_enabled and ext == ".xlsx" and source_ext != ".xlsx":
        raise PackageError(f"该工作簿含有宏，只能保存为 .xlsm，不能保存为 .xlsx：{name}", target)
    if not book.macro_enabled and ext == ".xlsm":
        raise PackageError(f"该工作簿不含宏，应保存为 .xlsx，不能保存为 .xlsm：{name}", target)
    if os.path.lexists(target):
        if os.path.isdir(target):
            raise PackageError(f"目标是一个文件夹，无法写入：{target}", target)
        if not replace:
            try:
                same = os.path.samefile(target, book.path)
            except OSError:
                same = False
            if same:
                raise PackageError(
                    f"目标文件就是源文件本身：{name}。如需直接更新原文件，请使用就地更新（--in-place）",
                    target,
                )
            raise PackageError(
                f"目标文件已存在：{name}。为防止误覆盖，未写入；如需覆盖，请加 --force，或换一个输出位置",
                target,
            )
        busy = files.open_elsewhere(target)
        if busy:
            raise PackageError(busy, target)
        st = os.stat(target)
        if not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(target, os.W_OK):
            raise PackageError(f"文件是只读的，无法写入：{name}。请取消只读属性或另存到其他位置", target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PackageError(f"没有权限在此文件夹中写入文件：{folder}", target)
    return target


def _atomic_write(target: str, chunks: Iterable[bytes], fsync: bool) -> None:
    """Write chunks to a temporary file beside target, then move it over target."""
    try:
        files.atomic_write(target, chunks, fsync=fsync)
    except files.FileWriteError as error:
        raise PackageError(error.message_zh, target) from error
