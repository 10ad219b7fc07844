"""What a finance user sees when Excel (through xlwings) loads ``udfs``: every contract
function, under its name, in category 绩效评价, with Chinese help for each argument."""
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import udfs

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "functions.md"


def contract_signatures():
    """`NAME(arg, arg, [optional=default])` as written in the contract's tables."""
    text = SPEC.read_text(encoding="utf-8")
    found = {}
    for name, args in re.findall(r"`(SCORE_[A-Z_]+)\(([^)`]*)\)`", text):
        names = [a.strip().strip("[]").split("=")[0].strip() for a in args.split(",") if a.strip()]
        if all(n.isidentifier() for n in names):  # skip worked examples such as SCORE_RATIO(1, 3, 6)
            found.setdefault(name, names)
    return found


def test_every_contract_function_and_its_note_is_exported_under_its_excel_name():
    signatures = contract_signatures()
    assert len(signatures) >= 17
    for name, params in signatures.items():
        function = getattr(udfs, name)
        note = getattr(udfs, name + "_NOTE")
        actual = list(inspect.signature(function).parameters)
        assert actual[: len(params)] == params, name
        assert list(inspect.signature(note).parameters) == actual, name
        assert name in udfs.__all__ and name + "_NOTE" in udfs.__all__


def test_contract_argument_order_for_the_worked_examples():
    # =SCORE_PROCUREMENT(C5,D5) and =SCORE_QUARTERLY(B2:B5,B6) from the mission statement.
    assert udfs.SCORE_PROCUREMENT(14750, 15000) == 1.98
    assert udfs.SCORE_QUARTERLY([[46666000], [17441700], [25599600], [1628900]], 91471549.43) == 5.99


def test_no_parameter_is_named_caller_or_has_a_type_hint():
    for name, function in udfs.CATALOGUE.items():
        for param in inspect.signature(function).parameters.values():
            assert param.name != "caller", name
            assert param.annotation is inspect.Parameter.empty, name


def test_importing_udfs_loads_no_heavy_library():
    code = "import sys, udfs; print(sorted(m for m in ('pandas','numpy','openpyxl','formulas','xlwings') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


STAND_IN_XLWINGS = textwrap.dedent(
    """
    import sys, types
    recorded = {}
    def func(f=None, **options):
        def inner(f):
            meta = recorded.setdefault(f.__name__, {"args": {}, "doc": f.__doc__})
            meta["options"] = options
            return f
        return inner if f is None else inner(f)
    def arg(name, convert=None, **options):
        def inner(f):
            recorded.setdefault(f.__name__, {"args": {}, "doc": f.__doc__})["args"][name] = options
            return f
        return inner
    xw = types.ModuleType("xlwings"); xw.func = func; xw.arg = arg; xw.recorded = recorded
    sys.modules["xlwings"] = xw
    """
)


def test_under_xlwings_every_function_carries_category_and_chinese_argument_help():
    code = STAND_IN_XLWINGS + textwrap.dedent(
        """
        import json, udfs
        print(json.dumps(sys.modules["xlwings"].recorded, ensure_ascii=False))
        """
    )
    import json

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    recorded = json.loads(out)
    assert set(recorded) == set(udfs.CATALOGUE)
    for name, meta in recorded.items():
        assert meta["options"] == {"category": "绩效评价"}, name
        params = list(inspect.signature(udfs.CATALOGUE[name]).parameters)
        assert list(meta["args"]) == params, name
        for options in meta["args"].values():
            assert re.search(r"[\u4e00-\u9fff]", options["doc"]), name
        assert re.search(r"[\u4e00-\u9fff]", meta["doc"]), name


def test_a_function_whose_signature_drifts_from_the_catalogue_is_refused_at_import():
    from udfs.functions import excel_function
    from udfs import catalogue

    with pytest.raises(TypeError):

        @excel_function(catalogue.PROCUREMENT)
        def SCORE_PROCUREMENT(planned, actual, policy=1):  # arguments swapped
            return 0


def test_the_function_reference_in_docs_is_generated_from_the_wizard_metadata():
    from xladdin import reference

    docs = Path(__file__).resolve().parents[1] / "docs" / "functions.md"
    assert docs.read_text(encoding="utf-8") == reference.as_markdown() + "\n", "run: xladdin functions --markdown > docs/functions.md"
