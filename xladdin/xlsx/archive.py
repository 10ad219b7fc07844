"""The output zip: every member copied from the input with its compressed bytes, names,
dates and order, except those the writer changes, leaves out or adds.

The reader has verified each member's CRC, so a copied member is the input's own; a
changed one is recompressed with its original method (stored or deflated).
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib

from .model import PackageError, _corrupt, _name


def _strip_zip64(extra: bytes) -> bytes:
    """Drop ZIP64 extended-information records from an extra field."""
    if not extra:
        return extra
    out = []
    i = 0
    n = len(extra)
    while i + 4 <= n:
        hid, size = struct.unpack_from("<HH", extra, i)
        if hid != 0x0001:
            out.append(extra[i : i + 4 + size])
        i += 4 + size
    if i < n:
        out.append(extra[i:])
    return b"".join(out)


#: issue 17 (speed): a rewritten part is deflated at level 1, four times faster than
#: level 6 on a big sheet for a file about a third larger; untouched parts are copied
#: still compressed
DEFLATE_LEVEL = 1

_LOCAL = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_EOCD = struct.Struct("<4s4H2LH")



def build_zip(book, new_parts: dict[str, bytes | None]) -> list[bytes]:
    """The package with ``new_parts``' contents (a part mapped to None is left out)."""
    raw = book.archive.raw
    out: list[bytes] = []
    central: list[bytes] = []
    pos = 0
    n = 0
    for zi in book.archive.members:
        if zi.filename in new_parts and new_parts[zi.filename] is None:
            continue
        n += 1
        off = zi.header_offset
        try:
            sig, ver, flag, method, dtime, ddate, crc, csize, usize, nlen, xlen = _LOCAL.unpack_from(raw, off)
        except struct.error:
            raise _corrupt(book.path, f"部件 {zi.filename} 头部损坏") from None
        if sig != b"PK\x03\x04":
            raise _corrupt(book.path, f"部件 {zi.filename} 头部损坏")
        name_b = raw[off + 30 : off + 30 + nlen]
        lextra = raw[off + 30 + nlen : off + 30 + nlen + xlen]
        dstart = off + 30 + nlen + xlen
        if name_b != zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437"):
            raise _corrupt(book.path, f"部件 {zi.filename} 名称不一致")
        cextra = _strip_zip64(zi.extra)
        flag = zi.flag_bits
        new = new_parts.get(zi.filename)
        if new is not None:
            method = zi.compress_type if zi.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
            if method == zipfile.ZIP_DEFLATED:
                co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
                data = co.compress(new) + co.flush()
                extract = max(zi.extract_version, 20)
            else:
                data = new
                extract = max(zi.extract_version, 10)
            crc, csize, usize = zlib.crc32(new), len(data), len(new)
            flag &= ~0x08
            header = None
        else:
            crc, csize, usize = zi.CRC, zi.compress_size, zi.file_size
            method = zi.compress_type
            extract = zi.extract_version
            data = raw[dstart : dstart + csize]
            if len(data) != csize:
                raise _corrupt(book.path, f"部件 {zi.filename} 数据不完整")
            if flag & 0x08 or _strip_zip64(lextra) != lextra:
                flag &= ~0x08
                header = None
            else:
                header = raw[off:dstart]
        if header is None:
            lextra = _strip_zip64(lextra)
            header = (
                _LOCAL.pack(b"PK\x03\x04", extract | (zi.reserved << 8), flag, method, dtime, ddate, crc, csize, usize, len(name_b), len(lextra))
                + name_b
                + lextra
            )
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02", zi.create_version, zi.create_system, extract, zi.reserved,
                flag, method, dtime, ddate, crc, csize, usize,
                len(name_b), len(cextra), len(zi.comment), 0, zi.internal_attr, zi.external_attr, pos,
            )
            + name_b
            + cextra
            + zi.comment
        )
        out.append(header)
        out.append(data)
        pos += len(header) + len(data)
    existing = {zi.filename for zi in book.archive.members}
    for name, new in new_parts.items():  # parts this write adds (docProps/custom.xml)
        if new is None or name in existing:
            continue
        n += 1
        name_b = name.encode("utf-8")
        co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        data = co.compress(new) + co.flush()
        stamp = time.localtime()
        dtime = (stamp.tm_hour << 11) | (stamp.tm_min << 5) | (stamp.tm_sec // 2)
        ddate = ((max(stamp.tm_year, 1980) - 1980) << 9) | (stamp.tm_mon << 5) | stamp.tm_mday
        crc, flag = zlib.crc32(new), 0x800 if not name.isascii() else 0
        header = _LOCAL.pack(b"PK\x03\x04", 20, flag, zipfile.ZIP_DEFLATED, dtime, ddate, crc, len(data), len(new), len(name_b), 0) + name_b
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02", 20, 0, 20, 0, flag, zipfile.ZIP_DEFLATED, dtime, ddate, crc, len(data), len(new),
                len(name_b), 0, 0, 0, 0, 0, pos,
            )
            + name_b
        )
        out.append(header)
        out.append(data)
        pos += len(header) + len(data)
    cd = b"".join(central)
    if pos + len(cd) > 0xFFFFFFFF:  # pragma: no cover - limited by max_uncompressed_bytes
        raise PackageError(f"文件过大，无法写入：{_name(book.path)}", book.path)
    out.append(cd)
    out.append(_EOCD.pack(b"PK\x05\x06", 0, 0, n, n, len(cd), pos, len(book.archive.comment)) + book.archive.comment)
    return out
