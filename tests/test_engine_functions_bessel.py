"""Bessel and error functions.  Expected values: Microsoft's function pages; BESSELJ and
BESSELK (and BESSELI, to its last digit), whose page values Excel computes with a coarse approximation (BESSELJ(1.9,2) shows
0.329925829, the function's value is 0.3299257277), are held to the function's value within
Excel's own error of 1e-7, and to scipy where it is installed."""

import pytest

from function_checks import NUM, calc, cases, check, shown

CASES = {
    "Microsoft's examples": [
        ("BESSELY(2.5,1)", shown("0.145918138")),
        ("ERF(0.745)", shown("0.70792892")), ("ERF(1)", shown("0.84270079")),
        ("ERF.PRECISE(0.745)", shown("0.70792892")), ("ERF.PRECISE(1)", shown("0.84270079")),
        ("ERFC(1)", shown("0.15729921")), ("ERFC.PRECISE(1)", shown("0.15729921")),
        ("ERF(0,1.5)", shown("0.966105146")),
        ("BESSELJ(1.9,-1)", NUM), ("BESSELY(0,1)", NUM), ("BESSELK(-1,1)", NUM),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_microsoft_examples(expr, expected):
    check(expr, expected)


@pytest.mark.parametrize("expr, page", [("BESSELJ(1.9,2)", 0.329925829), ("BESSELK(1.5,1)", 0.277387804),
                                         ("BESSELI(1.5,1)", 0.981666428)])
def test_within_excels_own_approximation(expr, page):
    assert abs(calc(expr) - page) < 1.5e-7


def test_agrees_with_scipy():
    special = pytest.importorskip("scipy.special")
    for x in (0.1, 0.9, 2.5, 7.0, 19.0):
        for n in (0, 1, 2, 5):
            for name, fn in (("BESSELJ", special.jv), ("BESSELY", special.yv),
                             ("BESSELI", special.iv), ("BESSELK", special.kv)):
                got, want = calc("%s(%r,%d)" % (name, x, n)), float(fn(n, x))
                assert abs(got - want) <= 1e-10 * max(1.0, abs(want)), (name, x, n, got, want)
