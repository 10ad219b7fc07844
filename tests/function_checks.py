"""Shared by tests/test_engine_functions_<category>.py: evaluate one formula with the engine
and compare it with Excel's answer.

Expected values come from Microsoft's function pages (which show results rounded: `shown`)
or from workbooks saved by Excel in the corpus (exact cached values: a float)."""

import pytest

from xladdin.engine import ErrorValue, calculate

NA, VALUE, DIV0, NAME, NUM, REF = "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#REF!"


class Shown:
    """A number as Microsoft's page shows it: the result rounded to the digits written."""

    def __init__(self, text):
        self.text = text
        places = len(text.partition(".")[2])
        self.value = float(text)
        self.tolerance = 0.5 * 10.0 ** -places * (1 + 1e-9)

    def matches(self, got):
        return type(got) is float and abs(got - self.value) <= self.tolerance

    def __repr__(self):
        return "shown(%s)" % self.text


def shown(text):
    return Shown(text)


def calc(expr, cells=None, date1904=False):
    result = calculate(cells or {}, {("S", "Z1"): expr}, {}, ["S"], date1904=date1904)
    return result.values.get(("S", "Z1"), result.problems)


def check(expr, expected, cells=None, date1904=False):
    assert_value(expr, calc(expr, cells, date1904), expected)


def assert_value(expr, got, expected):
    """``got`` is ``expected``: floats to 13 digits, errors as error values, types exact."""
    if isinstance(expected, Shown):
        assert expected.matches(got), (expr, got, expected)
    elif isinstance(expected, float):
        assert type(got) is float, (expr, got)
        assert got == pytest.approx(expected, rel=1e-13, abs=1e-13), (expr, got)
    else:
        assert got == expected, (expr, got)
        if isinstance(expected, str) and expected.startswith("#"):
            assert isinstance(got, ErrorValue), (expr, got)
        elif isinstance(expected, bool):
            assert got is expected, (expr, got)
        elif isinstance(expected, str):
            assert type(got) is str and not isinstance(got, ErrorValue), (expr, got)


def cases(table):
    """pytest params from {group: [(formula, expected), ...]}."""
    return [pytest.param(e, x, id="%s: %s" % (group, e)) for group, rows in table.items() for e, x in rows]
