"""Text functions that depend on the locale or count double-byte characters.  Expected
values: Microsoft's pages (CHAR, CODE, DOLLAR, ASC, DBCS, "FIND, FINDB", "LEN, LENB" ... whose
byte forms count a double-byte character as 2 bytes), the GBK code page (啊 is 0xB0A1) for
CODE/CHAR on a Chinese Windows, and for NUMBERSTRING (undocumented by Microsoft) the worked
examples of the Chinese manuals (10 → 一十, 515155643 → 五亿一千五百一十五万五千六百四十三)."""

import pytest

from function_checks import VALUE, assert_value, cases, check
from xladdin.engine import calculate

CASES = {
    "CHAR/CODE (Windows-1252, the default)": [
        ("CHAR(65)", "A"), ("CHAR(33)", "!"), ("CODE(\"A\")", 65.0), ("CODE(\"!\")", 33.0),
        ("CHAR(128)", "€"), ("CODE(\"€\")", 128.0), ("CHAR(0)", VALUE), ("CHAR(256)", VALUE),
        ("CODE(\"啊\")", 63.0), ("CODE(\"\")", VALUE),
    ],
    "DOLLAR": [
        ("DOLLAR(1234.567,2)", "$1,234.57"), ("DOLLAR(1234.567,-2)", "$1,200"),
        ("DOLLAR(-1234.567,-2)", "($1,200)"), ("DOLLAR(-0.123,4)", "($0.1230)"), ("DOLLAR(99.888)", "$99.89"),
        ("DOLLAR(0.125,2)", "$0.13"), ("DOLLAR(\"x\")", VALUE),
    ],
    "ASC/DBCS": [
        ("ASC(\"ＥＸＣＥＬ\")", "EXCEL"), ("DBCS(\"EXCEL\")", "ＥＸＣＥＬ"),
        ("ASC(\"１２３，４５６\")", "123,456"), ("ASC(\"绩效　评价\")", "绩效 评价"),
        ("DBCS(\"a b\")", "ａ\u3000ｂ"), ("ASC(\"ガ\")", "ｶﾞ"), ("DBCS(\"ｶﾞｷ\")", "ガキ"),
    ],
    "byte positions": [
        ("LENB(\"东京都\")", 6.0), ("LENB(\"ab绩效\")", 6.0),
        ("FINDB(\"京\",\"东京都\")", 3.0), ("FINDB(\"都\",\"东京都\",4)", 5.0), ("FINDB(\"东\",\"东京都\",2)", VALUE),
        ("FINDB(\"x\",\"东京都\")", VALUE), ("FINDB(\"b\",\"a绩b\")", 4.0),
        ("SEARCHB(\"B\",\"a绩b\")", 4.0), ("SEARCHB(\"?都\",\"东京都\")", 3.0),
        ("REPLACEB(\"东京都\",3,2,\"北\")", "东北都"), ("REPLACEB(\"abc\",2,1,\"绩效\")", "a绩效c"),
        ("REPLACEB(\"abc\",0,1,\"x\")", VALUE),
    ],
    "NUMBERSTRING": [
        ("NUMBERSTRING(10,1)", "一十"), ("NUMBERSTRING(515155643,1)", "五亿一千五百一十五万五千六百四十三"),
        ("NUMBERSTRING(515155643,2)", "伍亿壹仟伍佰壹拾伍万伍仟陆佰肆拾叁"), ("NUMBERSTRING(743,2)", "柒佰肆拾叁"),
        ("NUMBERSTRING(515155643,3)", "五一五一五五六四三"), ("NUMBERSTRING(45.46,2)", "肆拾伍"),
        ("NUMBERSTRING(45.5,1)", "四十六"), ("NUMBERSTRING(1002,2)", "壹仟零贰"), ("NUMBERSTRING(0,1)", "〇"),
        ("NUMBERSTRING(1,4)", VALUE),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_default_locale(expr, expected):
    check(expr, expected)


@pytest.mark.parametrize("expr, expected", [
    ("CODE(\"啊\")", 45217.0), ("CHAR(45217)", "啊"), ("CODE(\"A\")", 65.0), ("CHAR(65)", "A"),
    ("CODE(\"绩效\")", float(int.from_bytes("绩".encode("gbk"), "big"))),
    ("DOLLAR(1234.567,2)", "¥1,234.57"), ("DOLLAR(-1234.567,-2)", "(¥1,200)"),
])
def test_chinese_windows_locale(expr, expected):
    result = calculate({}, {("S", "A1"): expr}, locale="zh-CN")
    assert_value(expr, result.values.get(("S", "A1"), result.problems), expected)


def test_an_unknown_locale_is_refused():
    with pytest.raises(ValueError, match="zh-CN"):
        calculate({}, {("S", "A1"): "1"}, locale="xx-YY")
