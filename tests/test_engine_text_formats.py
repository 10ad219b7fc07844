"""TEXT(value, format_text) and number-to-text conversion: xladdin/engine/numfmt.py.

Every expected value comes from Excel: the cached results of the TEXT formulas in the
Excel-saved corpus (/work/shared/corpus/excel-saved, the Apache POI format workbooks), or
an example printed in Microsoft's documentation (or, for the Chinese formats, documented
examples on the pages cited next to them).
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from xladdin.engine.numfmt import excel_text, general_format, general_text, is_date_format
from xladdin.engine.values import ERRORS, VALUE

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIR = Path(os.environ.get("XLADDIN_EXCEL_CORPUS", REPO.parent / "shared" / "corpus" / "excel-saved"))

# Microsoft, "TEXT function" (support.microsoft.com/office/text-function-20d5ac4d-7b94-49fd-bb38-93d29371225c)
MS_TEXT = "MS TEXT function"
# Microsoft, "TEXT function" – the older edition with the format-code tables (zh-CN copy at
# blog.csdn.net/kaifeng2988/article/details/50334115)
MS_TEXT_TABLES = "MS TEXT function, format code tables"


# ============================================================== the corpus

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")
_TEXT_CALL = re.compile(r'^TEXT\(\s*([A-Z]+\d+)\s*,\s*(?:([A-Z]+\d+)|"((?:[^"]|"")*)"|'
                        r'CONCATENATE\(\s*"((?:[^"]|"")*)"\s*,\s*([A-Z]+\d+)\s*\))\s*\)$')
CORPUS_FILES = [
    "NumberFormatTests", "NumberFormatApproxTests", "ElapsedFormatTests", "DateFormatTests",
    "DateFormatNumberTests", "FormatConditionTests", "TextFormatTests", "59106",
]


def _shift(formula: str, rows: int) -> str:
    """A shared formula as it reads in a cell `rows` below its master (relative rows only)."""
    return _REF.sub(lambda m: "%s%s%s%d" % (m.group(1), m.group(2), m.group(3),
                                            int(m.group(4)) + (0 if m.group(3) else rows)), formula)


def _corpus_cases(stem: str):
    path = CORPUS_DIR / ("apache_poi_test-data_spreadsheet_%s.xlsx" % stem)
    with zipfile.ZipFile(path) as z:
        date1904 = bool(re.search(r'date1904="(1|true)"', z.read("xl/workbook.xml").decode()))
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(_NS + "si"):
                shared.append("".join(t.text or "" for t in si.iter(_NS + "t")))
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
            values, formulas, masters = {}, {}, {}
            for c in ElementTree.fromstring(z.read(name)).iter(_NS + "c"):
                ref, kind, v, f = c.get("r"), c.get("t"), c.find(_NS + "v"), c.find(_NS + "f")
                if v is not None:
                    text = v.text or ""
                    values[ref] = (shared[int(text)] if kind == "s" else text == "1" if kind == "b"
                                   else text if kind in ("str", "e") else float(text))
                if f is not None:
                    row = int(_REF.match(ref).group(4))
                    if f.get("t") == "shared" and f.text:
                        masters[f.get("si")] = (f.text, row)
                    formulas[ref] = (f.text, f.get("si"), row)
            for ref, (text, si, row) in formulas.items():
                if not text:
                    master, master_row = masters[si]
                    text = _shift(master, row - master_row)
                m = _TEXT_CALL.match(text)
                if m is None or ref not in values:
                    continue
                if m.group(2):
                    fmt = values.get(m.group(2))
                elif m.group(5):
                    fmt = m.group(4).replace('""', '"') + values.get(m.group(5), "")
                else:
                    fmt = m.group(3).replace('""', '"')
                yield pytest.param(values.get(m.group(1)), fmt, date1904, values[ref],
                                   id="%s!%s" % (stem, ref))


def _all_corpus_cases():
    if not CORPUS_DIR.is_dir():
        return [pytest.param(None, None, False, None, marks=pytest.mark.skip("no Excel corpus"))]
    return [case for stem in CORPUS_FILES for case in _corpus_cases(stem)]


@pytest.mark.parametrize("value, fmt, date1904, excel", _all_corpus_cases())
def test_corpus_text_formula(value, fmt, date1904, excel):
    """Each TEXT(...) cell of the POI format workbooks: Excel's cached result."""
    assert excel_text(value, fmt, date1904) == excel


def test_corpus_is_read():
    if not CORPUS_DIR.is_dir():
        pytest.skip("no Excel corpus")
    assert len(_all_corpus_cases()) >= 900


# ============================================================== documented cases

class TestDigitsAndRounding:
    @pytest.mark.parametrize("value, fmt, expected", [
        (1234.567, "$#,##0.00", "$1,234.57"),        # MS_TEXT
        (1234, "0000000", "0001234"),                 # MS_TEXT
        (1234.59, "####.#", "1234.6"),                # MS_TEXT_TABLES
        (8.9, "#.000", "8.900"),                      # MS_TEXT_TABLES
        (0.631, "0.#", "0.6"),                        # MS_TEXT_TABLES
        (12, "#.0#", "12.0"),                         # MS_TEXT_TABLES
        (44.398, "???.???", " 44.398"),               # MS_TEXT_TABLES (aligned decimals)
        (2.675, "0.00", "2.68"),                      # Excel rounds the 15-digit decimal half up
        (123456, "##0° 00' 00''", "12° 34' 56''"),    # MS_TEXT (latitude/longitude)
    ])
    def test_documented(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestThousandsAndScaling:
    @pytest.mark.parametrize("value, fmt, expected", [
        (12200000, "#,###.0,", "12,200.0"),           # MS_TEXT_TABLES
        (12000, "#,###", "12,000"),                   # MS "Number format codes": 12000 → 12,000
        (12000, "#,", "12"),                          # MS "Number format codes": 12000 → 12
        (12200000, "0.0,,", "12.2"),                  # MS "Number format codes": 12200000 → 12.2
        (1234567, "0,", "1235"),                      # corpus NumberFormatTests!A90
        (1234567, "#,##0", "1,234,567"),              # corpus NumberFormatTests (#,###)
    ])
    def test_documented(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestPaddingFillAndLiterals:
    @pytest.mark.parametrize("value, fmt, expected", [
        (1.1, "|??.??|", "| 1.1 |"),                  # corpus NumberFormatTests!A110
        (12.3, '\\a $#.00" profit"', "a $12.30 profit"),  # corpus NumberFormatTests!A17
        (-12.3, '\\a $#.00" profit"', "-a $12.30 profit"),  # corpus NumberFormatTests!A20
        (3.75, "|#_#/#|", "|15 /4|"),                 # corpus NumberFormatTests!A165: _x is a space
        (125.74, '$0.00" Surplus";$-0.00" Shortage"', "$125.74 Surplus"),  # MS "Review guidelines for customizing a number format"
        (-125.74, '$0.00" Surplus";$-0.00" Shortage"', "$-125.74 Shortage"),  # idem
        (5, "0*-", "5"),                              # * fill: no cell width in TEXT
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestPercent:
    @pytest.mark.parametrize("value, fmt, expected", [
        (0.285, "0.0%", "28.5%"),                     # MS_TEXT
        (3.5e-4, "#,##0.00%", "0.04%"),               # corpus NumberFormatTests!A105
        (123.45, "0,0.00%%", "1,234,500.00%%"),       # corpus NumberFormatTests!A101
        (5, '0"%"', "5%"),                            # a quoted % is text, no scaling
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestSectionsAndConditions:
    @pytest.mark.parametrize("value, fmt, expected", [
        (1234567898, "[<=9999999]###-####;(###) ###-####", "(123) 456-7898"),  # MS_TEXT
        (1, '[<10]#" Wow"', "1 Wow"),                 # corpus FormatConditionTests!A2
        (11, '[<10]#" Wow"', "11"),                   # corpus: no section applies → General
        (-11, '[<-10]#" Wow"', "-11 Wow"),            # corpus FormatConditionTests!A20
        (-10, '[<=-10]#" Wow"', "-10 Wow"),           # corpus FormatConditionTests!A27
        (1, "[Red]0.00", "1.00"),                     # colours are ignored
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected

    def test_text_section(self):
        # corpus TextFormatTests: TEXT(C, ";;;"&B) – the fourth section formats text, TRUE included
        assert excel_text("jello", ';;;-@-') == "-jello-"
        assert excel_text(True, ";;;@") == "TRUE"
        assert excel_text(False, ';;;"hi"') == "hi"

    def test_five_sections_are_invalid(self):
        assert excel_text(1, "0;0;0;@;0") == VALUE


class TestElapsedTime:
    @pytest.mark.parametrize("value, fmt, expected", [
        (3.14159, "[h]:m:s.000", "75:23:53.376"),     # corpus ElapsedFormatTests!A2
        (3.14159, "[mm]:ss.0", "4523:53.4"),          # corpus ElapsedFormatTests!A6
        (3.14159, "[s].000", "271433.376"),           # corpus ElapsedFormatTests!A4
        (-0.0854629629629630, "[hh]:mm:ss.0", "-02:03:04.0"),  # corpus ElapsedFormatTests!A35
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestDates:
    @pytest.mark.parametrize("value, fmt, date1904, expected", [
        (42438, "dd\\ mmm\\ yyyy", False, "09 Mar 2016"),     # corpus 59106.xlsx!A2
        (17816.607951388887, "dddd-mmmm-yyyy H:M:S am/pm", True, "Saturday-October-1952 2:35:27 PM"),  # corpus DateFormatTests!A20
        (36191.170208437499, "hh:mm:ss.000 am/pm", True, "04:05:06.009 AM"),  # corpus DateFormatTests!A32
        (1.0032134017094001, "yyyy-mm-dd hh:mm:ss", True, "1904-01-02 00:04:38"),  # corpus DateFormatNumberTests!A7
    ])
    def test_corpus_examples(self, value, fmt, date1904, expected):
        assert excel_text(value, fmt, date1904) == expected

    def test_month_and_minute(self):
        # MS_TEXT: "MM" alone is the month; with "HH" or "SS" it is minutes ("HH:MM", "MM:SS")
        serial = 45306.5 + 7 / 1440           # 2024-01-15 12:07
        assert excel_text(serial, "MM") == "01"
        assert excel_text(serial, "HH:MM") == "12:07"
        assert excel_text(serial, "MM:SS") == "07:00"

    def test_month_names(self):
        # MS "Number format codes": mmm Jan–Dec, mmmm January–December, mmmmm J–D, ddd, dddd
        assert excel_text(45306, "mmm|mmmm|mmmmm|ddd|dddd") == "Jan|January|J|Mon|Monday"

    def test_negative_date_is_value_error(self):
        assert excel_text(-1, "yyyy-mm-dd") == VALUE


class TestScientific:
    @pytest.mark.parametrize("value, fmt, expected", [
        (12200000, "0.00E+00", "1.22E+07"),           # MS_TEXT
        (3.14159, "#,##0.00e+00", "3.14e+00"),        # corpus NumberFormatApproxTests!A250
        (123456.789, "|0000.0000|e-|0|", "|0012.3457|e|4|"),  # corpus NumberFormatApproxTests!A13
        (12345.678, "##0.0E+0", "12.3E+3"),           # engineering: exponent a multiple of 3 (as the ####.#### rows of the corpus)
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestFractions:
    @pytest.mark.parametrize("value, fmt, expected", [
        (4.34, "# ?/?", "4 1/3"),                     # MS_TEXT
        (0.34, "# ?/?", " 1/3"),                      # MS_TEXT (TRIM removes the leading space)
        (23.75, "|#\\:#/#|", "|23:3/4|"),             # corpus NumberFormatTests!A120
        (23.75, "|#\\:? ?0#/000", "|2:3  03/004"),    # corpus NumberFormatTests!A160
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


    def test_aligned_fraction(self):
        # MS_TEXT_TABLES: 5.25 with "# ???/???" shows 5 1/4; ? placeholders pad with spaces
        # (numerator on the left, denominator on the right, as in the corpus rows above)
        assert excel_text(5.25, "# ???/???") == "5   1/4  "
        assert " ".join(excel_text(5.25, "# ???/???").split()) == "5 1/4"


class TestLocalesAndCurrency:
    @pytest.mark.parametrize("value, fmt, expected", [
        (1234.5, "[$-409]#,##0.00", "1,234.50"),      # a locale id alone shows nothing
        (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),    # [$symbol-locale]: the symbol is shown
        (1234.5, "[$€-2] #,##0.00", "€ 1,234.50"),
        (12.3, "£000.00", "£012.30"),                 # corpus NumberFormatTests!A5
    ])
    def test_cases(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestChineseFormats:
    def test_date_literals(self):
        # CJK literals work quoted or not (Excel's built-in 长日期 yyyy"年"m"月"d"日")
        assert excel_text(45306, 'yyyy"年"m"月"d"日"') == "2024年1月15日"
        assert excel_text(45306, "yyyy年m月d日") == "2024年1月15日"

    def test_weekday_names(self):
        # aaaa / aaa: the Chinese day of the week (2024-01-15 is a Monday)
        assert excel_text(45306, "aaaa") == "星期一"
        assert excel_text(45306, "aaa") == "一"

    def test_am_pm(self):
        assert excel_text(45306.75, "上午/下午h时mm分") == "下午6时00分"
        assert excel_text(45306.25, "上午/下午h时mm分") == "上午6时00分"

    @pytest.mark.parametrize("value, fmt, expected", [
        (1234, "[DBNum2]", "壹仟贰佰叁拾肆"),               # brief's documented example
        (1234, "[DBNum1]", "一千二百三十四"),               # idem
        (123, "[DBNum2]", "壹佰贰拾叁"),                    # dgkou.cn/5507.html: TEXT(A1,"[DBNum2]") 123 → 壹佰贰拾叁
        (123, "[DBNum2]G/通用格式", "壹佰贰拾叁"),          # excel.nctoro.com: "[DBNum2]G/通用格式" 123 → 壹佰贰拾叁
        (1234, "[DBNum2][$-804]G/通用格式元整", "壹仟贰佰叁拾肆元整"),
        (1234, "[DBNum2]0", "壹贰叁肆"),                    # 0 placeholders: digit by digit
        (0, "[DBNum1]", "〇"),
    ])
    def test_dbnum(self, value, fmt, expected):
        assert excel_text(value, fmt) == expected


class TestGeneral:
    @pytest.mark.parametrize("value, expected", [
        # Apache POI NumberToTextConverter Javadoc, "Excel" column (values observed in Excel)
        (1.0, "1"), (1.0001, "1.0001"), (756.0, "756"), (123.45678901234568, "123.456789012346"),
        (1.2345678901234568e-5, "1.23456789012346E-05"), (1.2345678901234567e-4, "0.000123456789012346"),
        (1.23456789e-5, "0.0000123456789"), (5.6789012345e-8, "0.000000056789012345"),
        (5.67890123456e-8, "5.67890123456E-08"), (1.2345678901234568e15, "1234567890123460"),
        (1.2345678901234567e19, "12345678901234600000"), (1.2345678901234568e20, "1.23456789012346E+20"),
        (-1.2345678901234568e20, "-1.23456789012346E+20"), (2.0e-50, "2E-50"), (2.0e50, "2E+50"),
        (9.999999999999999e20, "1E+21"), (999999.9999999999, "1000000"), (9.999999999999999e-20, "1E-19"),
        (1.234999999999999e-8, "0.00000001235"), (0.1 + 0.2, "0.3"),
    ])
    def test_general_text(self, value, expected):
        assert general_text(value) == expected

    @pytest.mark.parametrize("value, expected", [
        (123456789012, "1.23457E+11"),                # KB 65903: General shows at most 11 characters
        (12345678901, "12345678901"),
        (1 / 3, "0.333333333"),
        (1234.5, "1234.5"),
    ])
    def test_general_format(self, value, expected):
        assert general_format(value) == expected
        assert excel_text(value, "General") == expected
        assert excel_text(value, "G/通用格式") == expected


class TestArguments:
    def test_errors_propagate_value_first(self):
        assert excel_text(ERRORS["#N/A"], ERRORS["#DIV/0!"]) == ERRORS["#N/A"]
        assert excel_text(1, ERRORS["#DIV/0!"]) == ERRORS["#DIV/0!"]

    def test_blank_is_zero(self):
        assert excel_text(None, "0.00") == "0.00"

    def test_numeric_text_is_a_number(self):
        assert excel_text("1234", "0.0") == "1234.0"
        assert excel_text("abc", "0.0") == "abc"

    def test_boolean_is_text(self):
        assert excel_text(True, "0") == "TRUE"

    def test_too_long_result(self):
        assert excel_text("x" * 20000, "@@") == VALUE

    def test_is_date_format(self):
        assert is_date_format("yyyy-mm-dd")
        assert is_date_format("[h]:mm")
        assert not is_date_format('0.00"元"')
        assert not is_date_format("General")


# ---------------------------------------------------------------- the quick forms of TEXT

@pytest.mark.parametrize("value, fmt, shown", [
    (1234.5, "#,##0.00", "1,234.50"),        # Microsoft: TEXT(1234.567,"#,##0.00") style amounts
    (-1234.5, "#,##0.00", "-1,234.50"),
    (1234.567, "#,##0.00", "1,234.57"),     # rounded: the general path
    (2.675, "0.00", "2.68"),                # as Excel sees 2.675 (15 digits), not the double
    (1234567.0, "#,##0", "1,234,567"),
    (0.5, "0", "1"),                        # half away from zero
    (-0.5, "0", "-1"),
    (12345678901234.56, "0.00", "12345678901234.60"),  # 16 digits: Excel keeps 15
])
def test_amounts_and_counts_are_shown_as_excel_shows_them(value, fmt, shown):
    assert excel_text(value, fmt) == shown


def test_the_quick_plain_formats_give_what_the_general_path_gives():
    # a plain amount format (#,##0.00, 0.000 ...) of a number that needs no rounding is
    # shown by Python's formatting; every other number goes the general way
    import random

    from xladdin.engine import numfmt

    rnd = random.Random(17)
    values = [0.1, 1.005, 2.675, 9999999999999.99, 99999999999999.9, 1e15, 5e-324, 1e300, 0.30000000000000004]
    for _ in range(20000):
        k = rnd.random()
        values.append(round(rnd.uniform(-1e7, 1e7), 2) if k < 0.4 else rnd.uniform(-1e3, 1e3) if k < 0.6
                      else round(rnd.uniform(-1e15, 1e15), rnd.randint(0, 4)) if k < 0.8
                      else rnd.randint(-10 ** 6, 10 ** 6) / 10 ** rnd.randint(0, 6))
    quick = 0
    for value in values:
        for fmt, plain in numfmt._PLAIN_FORMATS.items():
            shown = numfmt._plain_shown(value, *plain)
            if shown is not None:
                quick += 1
                assert shown == numfmt._excel_text(value, fmt, False), (value, fmt)
    assert quick > 50000


def test_a_remembered_text_is_the_one_of_its_date_system():
    assert excel_text(45306.0, "yyyy-mm-dd") == "2024-01-15"
    assert excel_text(45306.0, "yyyy-mm-dd", date1904=True) == "2028-01-16"  # 1904 system: 1,462 days later
    assert excel_text(45306.0, "yyyy-mm-dd") == "2024-01-15"
