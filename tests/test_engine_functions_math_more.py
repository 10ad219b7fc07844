"""ROMAN, ARABIC, ACOTH, SERIESSUM, PERCENTOF.  Expected values: Microsoft's function pages."""

import pytest

from function_checks import DIV0, NUM, VALUE, cases, check, shown

CASES = {
    "ROMAN": [
        ("ROMAN(499,0)", "CDXCIX"), ("ROMAN(499,1)", "LDVLIV"), ("ROMAN(499,2)", "XDIX"),
        ("ROMAN(499,3)", "VDIV"), ("ROMAN(499,4)", "ID"), ("ROMAN(2013,0)", "MMXIII"),
        ("ROMAN(499,TRUE)", "CDXCIX"), ("ROMAN(499,FALSE)", "ID"), ("ROMAN(0)", ""),
        ("ROMAN(4000)", VALUE), ("ROMAN(-1)", VALUE), ("ROMAN(1,5)", VALUE),
    ],
    "ARABIC": [
        ('ARABIC("LVII")', 57.0), ('ARABIC("mcmxii")', 1912.0), ('ARABIC("")', 0.0),
        ('ARABIC("-MMXI")', -2011.0), ('ARABIC(" XIV ")', 14.0), ('ARABIC("ABC")', VALUE),
    ],
    "others": [
        ("ACOTH(6)", shown("0.168236118")), ("ACOTH(1)", NUM),
        ("SERIESSUM(PI()/4,0,2,{1,-0.5,0.041666667,-0.001388889})", shown("0.707103215")),
        ("PERCENTOF({1,2},{1,2,3,4})", 0.3), ("PERCENTOF({1},{0})", DIV0),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_math_more(expr, expected):
    check(expr, expected)
