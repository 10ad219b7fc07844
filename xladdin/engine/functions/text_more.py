"""BAHTTEXT (a number in Thai words, with บาท and สตางค์) and ENCODEURL (percent-encoding,
which needs no network although Microsoft files it under Web)."""

from __future__ import annotations

import urllib.parse

from ..values import round_dec
from ._declare import declared

_DIGITS = ["", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
_PLACES = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"]


def _below_million(n):
    """Thai words of 0 < n < 1,000,000: 2 in the tens is ยี่สิบ, 1 there is สิบ, and 1 in the
    ones after other digits is เอ็ด."""
    digits = [int(ch) for ch in str(n)]
    out = []
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == 0:
            continue
        if place == 1:
            out.append(("ยี่" if d == 2 else "" if d == 1 else _DIGITS[d]) + "สิบ")
        elif place == 0 and d == 1 and len(digits) > 1:
            out.append("เอ็ด")
        else:
            out.append(_DIGITS[d] + _PLACES[place])
    return "".join(out)


def _thai_words(n):
    if n < 1000000:
        return _below_million(n)
    high, low = divmod(n, 1000000)
    return _thai_words(high) + "ล้าน" + (_below_million(low) if low else "")


def _bahttext(number):
    x = round_dec(number, 2)
    sign = "ลบ" if x < 0 else ""
    satang_total = int(round(abs(x) * 100))
    baht, satang = divmod(satang_total, 100)
    if baht == 0 and satang == 0:
        return "ศูนย์บาทถ้วน"
    out = sign + (_thai_words(baht) + "บาท" if baht else "")
    return out + (_below_million(satang) + "สตางค์" if satang else "ถ้วน")


def _encodeurl(text):
    return urllib.parse.quote(text, safe="")


FUNCTIONS = {
    "BAHTTEXT": declared("number", _bahttext),
    "ENCODEURL": declared("text", _encodeurl),
}
