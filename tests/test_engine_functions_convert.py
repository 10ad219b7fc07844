"""CONVERT.  Expected values: the examples of Microsoft's "CONVERT function" page, and units
by their definitions (1 in = 2.54 cm exactly, 1 lbm = 453.59237 g, 1 US gal = 231 in³)."""

import pytest

from function_checks import NA, VALUE, cases, check, shown

CASES = {
    "Microsoft's examples": [
        ('CONVERT(1,"lbm","kg")', shown("0.4535924")), ('CONVERT(68,"F","C")', shown("20")),
        ('CONVERT(6,"tsp","tbs")', shown("2")), ('CONVERT(6,"gal","l")', 6 * 231 * 2.54 ** 3 / 1000),
        ('CONVERT(6,"mi","km")', shown("9.656064")), ('CONVERT(6,"km","mi")', shown("3.728227153")),
        ('CONVERT(6,"in","ft")', shown("0.5")), ('CONVERT(6,"cm","in")', shown("2.362204724")),
        ('CONVERT(2.5,"ft","sec")', NA), ('CONVERT(CONVERT(100,"ft","m"),"ft","m")', shown("9.290304")),
    ],
    "definitions": [
        ('CONVERT(1,"in","cm")', 2.54), ('CONVERT(1,"ft2","in2")', 144.0), ('CONVERT(1,"km2","m2")', 1e6),
        ('CONVERT(1,"m^3","l")', 1000.0), ('CONVERT(1,"gal","in3")', 231.0), ('CONVERT(1,"kibyte","bit")', 8192.0),
        ('CONVERT(1,"hr","sec")', 3600.0), ('CONVERT(1,"ms","sec")', 0.001), ('CONVERT(100,"C","K")', 373.15),
        ('CONVERT(0,"C","F")', 32.0), ('CONVERT(1,"atm","Pa")', 101325.0), ('CONVERT(1,"ha","ar")', 100.0),
        ('CONVERT(1,"kn","m/h")', 1852.0), ('CONVERT(1,"yd","ft")', 3.0), ('CONVERT(1,"mm","ang")', 1e7),
        ('CONVERT(1,"LBM","kg")', NA), ('CONVERT(1,"kft","m")', NA), ('CONVERT(1,"C","m")', NA),
        ('CONVERT("x","m","ft")', VALUE),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_convert(expr, expected):
    check(expr, expected)
