"""One registry of the engine's functions: a name defined twice is refused, and each of the
functions that used to be defined both ways (IF, IFERROR, IFNA, IFS, SWITCH, CHOOSE, ROWS,
COLUMNS, INDEX, SUMIF, AVERAGEIF) has one definition, the one that runs."""

import pytest

from xladdin.engine.registry import REGISTRY, Native, Special, build_registry


def test_a_name_defined_twice_is_refused():
    natives = (("math", {"SUM": (sum, "R", False)}, {}),)
    with pytest.raises(ValueError, match="SUM registered twice"):
        build_registry(natives, (("specials", {"SUM": lambda cp, args, mode: None}),))
    with pytest.raises(ValueError, match="ABS registered twice"):
        build_registry((("math", {"ABS": (abs, "S", True)}, {}), ("text", {"ABS": (abs, "S", True)}, {})), ())


@pytest.mark.parametrize("name", ["IF", "IFERROR", "IFNA", "IFS", "SWITCH", "CHOOSE", "ROWS", "COLUMNS",
                                  "INDEX", "SUMIF", "AVERAGEIF", "LET", "LAMBDA", "AGGREGATE", "GROUPBY"])
def test_lazy_and_reference_functions_are_special_forms(name):
    assert type(REGISTRY[name]) is Special


def test_criteria_functions_alternate_range_and_criterion():
    sumifs = REGISTRY["SUMIFS"]
    assert type(sumifs) is Native
    assert [sumifs.mode(k) for k in range(5)] == ["R", "R", "S", "R", "S"]
    assert [REGISTRY["ROUND"].mode(k) for k in range(2)] == ["S", "S"]


def test_declared_functions_state_their_arguments():
    assert REGISTRY["BINOM.DIST"].fn.signature == "number, number, number, logical"
    assert REGISTRY["CONVERT"].fn.signature == "number, text, text"
