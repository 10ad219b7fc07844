"""One registry of the engine's functions: a name defined twice is refused, and each of the
functions that used to be defined both ways (IF, IFERROR, IFNA, IFS, SWITCH, CHOOSE, ROWS,
COLUMNS, INDEX, SUMIF, AVERAGEIF) has one definition, the one that runs."""

import pytest

from xladdin.engine.functions import native_tables
from xladdin.engine.grouping import SPECIAL as GROUPING
from xladdin.engine.registry import REGISTRY, Native, Special, build_registry
from xladdin.engine.specials import SPECIAL


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


def test_the_index_of_function_modules_is_what_the_modules_define():
    # the registry imports a module when one of its names is first asked for: the index
    # it goes by must list every function of every module, and no other
    from xladdin.engine.functions import index

    assert index.written() == open(index.__file__, encoding="utf-8").read(), "rewrite it: scripts/function_index"
    full = build_registry(native_tables(), (("specials", SPECIAL), ("grouping", GROUPING)))
    assert sorted(REGISTRY) == sorted(full) and len(REGISTRY) == len(full)
    for name, entry in full.items():
        assert REGISTRY[name] == entry, name


def test_a_workbook_loads_only_the_function_modules_it_uses():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from xladdin import engine\n"
        "r = engine.calculate({('S','A1'): 2.0}, {('S','B1'): 'ROUND(A1*1.5,0)+LEN(\"ab\")', ('S','C1'): '\"2024年1月15日\"+1'})\n"
        "assert r.values == {('S','B1'): 5.0, ('S','C1'): 45307.0}, r.values\n"
        "loaded = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('xladdin.engine.functions.'))\n"
        "print(' '.join(loaded))\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    loaded = set(run.stdout.split())
    assert {"math", "text", "date"} <= loaded  # ROUND, LEN; a date text in arithmetic
    assert not loaded & {"financial", "engineering", "bessel", "distributions", "securities", "database", "regex"}


def test_a_module_defining_a_name_the_index_gives_elsewhere_is_refused():
    from xladdin.engine.registry import Registry

    tables = {"math": ("math", {"ABS": (abs, "S", True)}, {}), "text": ("text", {"ABS": (abs, "S", True), "LEN": (len, "S", True)}, {})}
    registry = Registry({"ABS": "math", "LEN": "text"}, tables.__getitem__, ())
    assert type(registry["ABS"]) is Native
    with pytest.raises(ValueError, match="ABS of text is listed under math"):
        registry["LEN"]
    with pytest.raises(ValueError, match="IF registered twice"):
        Registry({"IF": "logical"}, tables.__getitem__, (("specials", {"IF": lambda cp, args, mode: None}),))
    assert "NOPE" not in registry and registry.get("NOPE") is None
