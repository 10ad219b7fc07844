"""A bureau whose Excel runs on a Chinese Windows recalculates with ``--locale zh-CN``: CHAR
and CODE use the GBK code page there (CODE("啊") is 45217) and DOLLAR (RMB) writes ¥; without
the option the engine answers as a Western Windows does (Windows-1252, $)."""

import openpyxl

from xladdin.cli import RUN_LOCALES, main
from xladdin.engine.locales import LOCALES


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"] = "啊"
    ws["B1"] = "=CODE(A1)"
    ws["B2"] = "=CHAR(45217)"
    ws["B3"] = "=DOLLAR(1234.567)"
    ws["B4"] = "=CODE(\"A\")"
    wb.save(path)


def _values(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return [wb["表"]["B%d" % i].value for i in range(1, 5)]
    finally:
        wb.close()


def test_chinese_windows_locale(tmp_path):
    _workbook(tmp_path / "in.xlsx")
    assert main(["recalc", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "zh.xlsx"), "--locale", "zh-CN"]) == 0
    assert _values(tmp_path / "zh.xlsx") == [45217, "啊", "¥1,234.57", 65]


def test_default_is_a_western_windows(tmp_path):
    _workbook(tmp_path / "in.xlsx")
    assert main(["recalc", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "en.xlsx")]) == 0
    assert _values(tmp_path / "en.xlsx") == [63, "#VALUE!", "$1,234.57", 65]


def test_the_command_offers_the_engines_locales():
    assert set(RUN_LOCALES) == set(LOCALES)


def _with_locale_property(path, value):
    from openpyxl.packaging.custom import StringProperty
    _workbook(path)
    wb = openpyxl.load_workbook(path)
    wb.custom_doc_props.append(StringProperty(name="区域设置", value=value))
    wb.save(path)


def test_a_workbook_can_name_its_locale(tmp_path):
    _with_locale_property(tmp_path / "in.xlsx", "zh-CN")
    assert main(["recalc", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "zh.xlsx")]) == 0
    assert _values(tmp_path / "zh.xlsx") == [45217, "啊", "¥1,234.57", 65]
    # the run's option wins over the workbook's
    assert main(["recalc", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "en.xlsx"), "--locale", "en-US"]) == 0
    assert _values(tmp_path / "en.xlsx")[2] == "$1,234.57"


def test_a_locale_property_that_names_none_is_refused_with_a_message(tmp_path, capsys):
    _with_locale_property(tmp_path / "in.xlsx", "火星")
    assert main(["recalc", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.xlsx")]) == 1
    said = capsys.readouterr()
    assert "区域设置" in said.out + said.err and "火星" in said.out + said.err
    assert not (tmp_path / "out.xlsx").exists()
