"""The run's locale: what a calculation takes from the Windows settings of the machine Excel
runs on rather than from the workbook.

* ``code_page`` – CHAR and CODE convert through the system's ANSI code page: Windows-1252
  on a Western Windows (the default, as in Microsoft's examples: CODE("A") = 65), GBK (code
  page 936) on a Chinese one, where CODE("啊") = 45217 (0xB0A1) and CHAR(45217) = "啊".
* ``total_label`` – the label of GROUPBY's total row, in the language of Excel's interface.
* ``currency`` – the symbol DOLLAR puts before the number (RMB, as Chinese Excel names the
  same function, gives ¥). The pattern is the one Microsoft documents for DOLLAR,
  ``$#,##0.00_);($#,##0.00)``, with the locale's symbol; a Windows set to another negative
  currency pattern shows negatives differently.

The byte functions (LENB, LEFTB, FINDB ...) always count as double-byte Excel does: they
exist for double-byte languages, and in a single-byte Excel they equal LEN, LEFT, FIND.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Locale", "LOCALES", "DEFAULT_LOCALE", "locale_named"]


@dataclass(frozen=True)
class Locale:
    name: str
    code_page: str
    currency: str
    total_label: str


LOCALES = {
    "en-US": Locale("en-US", "cp1252", "$", "Total"),
    "zh-CN": Locale("zh-CN", "gbk", "¥", "总计"),
}
DEFAULT_LOCALE = LOCALES["en-US"]


def locale_named(name: str | None) -> Locale:
    """The locale called ``name`` (``zh-CN``, ``zh_cn``, ``en-US`` ...); None is the default.
    An unknown name raises ValueError listing the known ones."""
    if name is None:
        return DEFAULT_LOCALE
    key = name.replace("_", "-").lower()
    for known, loc in LOCALES.items():
        if known.lower() == key:
            return loc
    raise ValueError("unknown locale %r (known: %s)" % (name, ", ".join(LOCALES)))
