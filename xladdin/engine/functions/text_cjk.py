"""Text functions whose answer depends on the Windows locale or on double-byte characters:
CHAR and CODE through the run's code page, DOLLAR (RMB in Chinese Excel) with the run's
currency symbol (`xladdin.engine.locales`), ASC and DBCS (half- and full-width), the byte
forms FINDB, SEARCHB and REPLACEB (LENB, LEFTB, RIGHTB and MIDB are in `text`, with the
byte count they share), and NUMBERSTRING (中文数字: 一百二十三, 壹佰贰拾叁, 一二三)."""

from __future__ import annotations

import unicodedata

from .. import values as _values
from ..numfmt_cjk import convert_digits, read_out_number
from ..values import round_dec
from ._args import VALUE, text_result, wildcard_regex
from ._declare import declared
from .text import _byte_slice, _byte_width

# ---------------------------------------------------------------- CHAR, CODE


def _char(code):
    k = int(code)
    page = _values.context.locale.code_page
    if page == "cp1252":
        if not 1 <= k <= 255:
            return VALUE
        try:
            return bytes([k]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(k)  # the five bytes cp1252 leaves undefined map to the same code points
    if not 1 <= k <= 65535:
        return VALUE
    raw = bytes([k]) if k < 256 else bytes([k >> 8, k & 0xFF])
    try:
        return raw.decode(page)
    except UnicodeDecodeError:
        return VALUE


def _code(text):
    if not text:
        return VALUE
    try:
        raw = text[0].encode(_values.context.locale.code_page)
    except UnicodeEncodeError:
        return float(ord(text[0])) if ord(text[0]) < 256 else 63.0  # "?" as Excel's ANSI conversion
    return float(int.from_bytes(raw, "big"))


# ---------------------------------------------------------------- DOLLAR

def _dollar(number, decimals=2.0):
    d = int(decimals)
    if d > 127:
        return VALUE
    rounded = round_dec(number, d)
    places = max(d, 0)
    body = "{:,.{}f}".format(abs(rounded), places)
    symbol = _values.context.locale.currency
    if rounded < 0:
        return "(%s%s)" % (symbol, body)
    return symbol + body


# ---------------------------------------------------------------- ASC, DBCS

def _half_katakana():
    """{full-width katakana: half-width spelling} from Unicode's compatibility mappings."""
    table = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1 and full != half:
            table.setdefault(full, half)
    for full, half in list(table.items()):
        for mark, half_mark in (("\u3099", "\uff9e"), ("\u309a", "\uff9f")):
            composed = unicodedata.normalize("NFC", full + mark)
            if len(composed) == 1:
                table.setdefault(composed, half + half_mark)
    return table


_TO_HALF = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_TO_HALF["\u3000"] = " "
_TO_HALF.update(_half_katakana())
_TO_FULL_SINGLE = {half: full for full, half in _TO_HALF.items() if len(half) == 1}
_TO_FULL_PAIRS = {half: full for full, half in _TO_HALF.items() if len(half) == 2}


def _asc(text):
    return "".join(_TO_HALF.get(ch, ch) for ch in text)


def _dbcs(text):
    out = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _TO_FULL_PAIRS:
            out.append(_TO_FULL_PAIRS[pair])
            i += 2
            continue
        out.append(_TO_FULL_SINGLE.get(text[i], text[i]))
        i += 1
    return text_result("".join(out))


# ---------------------------------------------------------------- FINDB, SEARCHB, REPLACEB

def _byte_offsets(s):
    """The 0-based byte offset of each character of ``s``, and the total."""
    offsets = []
    pos = 0
    for ch in s:
        offsets.append(pos)
        pos += _byte_width(ch)
    return offsets, pos


def _byte_search(found_at):
    """FINDB/SEARCHB: a byte start (1 when omitted) and a byte position as the answer."""
    def f(needle, hay, start=1.0):
        s = int(start)
        offsets, total = _byte_offsets(hay)
        if s < 1 or s > total + 1:
            return VALUE
        first = next((i for i, off in enumerate(offsets) if off >= s - 1), len(hay))
        i = found_at(needle, hay, first)
        if i is None:
            return VALUE
        return float((offsets[i] if i < len(offsets) else total) + 1)
    return f


def _find_at(needle, hay, first):
    i = hay.find(needle, first)
    return None if i < 0 else i


def _search_at(needle, hay, first):
    m = wildcard_regex(needle, anchored=False).search(hay, first)
    return None if m is None else m.start()


def _replaceb(old, start, n_bytes, new):
    a, k = int(start), int(n_bytes)
    if a < 1 or k < 0:
        return VALUE
    _, total = _byte_offsets(old)
    head = _byte_slice(old, 0, a - 1)
    tail = _byte_slice(old, a - 1 + k, max(total - (a - 1 + k), 0))
    return text_result(head + new + tail)


# ---------------------------------------------------------------- NUMBERSTRING

def _numberstring(value, kind):
    """NUMBERSTRING(number, 1|2|3): the number rounded to an integer and written in Chinese
    numerals: 1 read out in 一二三 with 十百千万亿, 2 the same in 大写 壹贰叁 with 拾佰仟,
    3 digit by digit in 一二三 (〇 for zero). A negative number gets 负."""
    k = int(kind)
    if k not in (1, 2, 3):
        return VALUE
    n = round_dec(value, 0)
    digits = "%d" % abs(n)
    sign = "负" if n < 0 else ""
    if k == 3:
        return sign + convert_digits(digits, 1)
    return sign + read_out_number(digits, k)


FUNCTIONS = {
    "CHAR": declared("integer", _char),
    "CODE": declared("text", _code),
    "DOLLAR": declared("number, integer=2", _dollar),
    "ASC": declared("text", _asc),
    "DBCS": declared("text", _dbcs),
    "FINDB": declared("text, text, integer=1", _byte_search(_find_at)),
    "SEARCHB": declared("text, text, integer=1", _byte_search(_search_at)),
    "REPLACEB": declared("text, integer, integer, text", _replaceb),
    "NUMBERSTRING": declared("number, integer", _numberstring),
}
