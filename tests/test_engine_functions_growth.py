"""LOGEST and GROWTH.  Expected values: Microsoft's pages (units sold in months 11-16:
33,100 … 220,000; LOGEST's m = 1.463275628 and b = 495.3047702; GROWTH's 320196.7184 and
468536.0542 for months 17 and 18)."""

import pytest

from function_checks import NUM, check, shown

Y = "{33100;47300;69000;102000;150000;220000}"
X = "{11;12;13;14;15;16}"


@pytest.mark.parametrize("expr, expected", [
    ("INDEX(LOGEST(%s,%s),1)" % (Y, X), shown("1.463275628")),
    ("INDEX(LOGEST(%s,%s),2)" % (Y, X), shown("495.3047702")),
    ("INDEX(GROWTH(%s,%s,{17;18}),1)" % (Y, X), shown("320196.7184")),
    ("INDEX(GROWTH(%s,%s,{17;18}),2)" % (Y, X), shown("468536.0542")),
    ("INDEX(GROWTH(%s,%s),1)" % (Y, X), shown("32618.20377")),
    ("INDEX(GROWTH(%s,%s),6)" % (Y, X), shown("218821.8762")),
    ("LOGEST({1;-2},{1;2})", NUM),
])
def test_microsoft_examples(expr, expected):
    check(expr, expected)
