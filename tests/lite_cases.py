"""The held cases both Lite bundle tests run: in CPython with a stand-in xlwings
(test_setting_up_excel.py) and under Pyodide in Node.js (test_lite_in_pyodide.py);
and the calls as Office.js sends them, which the Lite bundle (test_lite_officejs.py)
and the server (test_server_addin.py) answer."""
import udfs

HELD_CASES = [
    ("SCORE_PROCUREMENT", (14750, 15000)),
    ("SCORE_PROCUREMENT_NOTE", (14750, 15000)),
    ("SCORE_QUARTERLY", ([46666000, 17441700, 25599600, 1628900], 91471549.43)),
    ("SCORE_QUARTERLY_NOTE", ([[46666000], [17441700], [25599600], [1628900]], 91471549.43)),
    ("SCORE_PUBLIC_FUNDS", (48000, 61000, 40551421.71, 40588517)),
    ("SCORE_RATIO", (1, 3, 6)),
    ("SCORE_CHECKLIST", (["是", "否", "√", 0.5, "TRUE"],)),
    ("SCORE_CHECKLIST_NOTE", (["是", "否", "√", 0.5, "TRUE"],)),
    ("SCORE_SATISFACTION", (95,)),
    ("SCORE_SATISFACTION_NOTE", (95,)),
    ("SCORE_GRADE", (98.97,)),
    ("SCORE_PROCUREMENT", (14750, None)),
    ("SCORE_TARGETS", ([1, 2, None], [2, 2, None])),
]


def cell(value):
    """One cell as Office.js hands it over for a "matrix"/"any" parameter."""
    return [[value]]


def column(*values):
    return [[v] for v in values]


#: (function, arguments as Office.js sends them); what each must return is stated where
#: it is checked, from the rules and the seed report.
OFFICEJS_CASES = [
    ("SCORE_PROCUREMENT", [cell(14750), cell(15000)]),  # the seed report: 98.33% → 1.98 (0.02 deducted)
    ("SCORE_RATIO", [cell(1), cell(3), cell(6)]),  # 1/3 of 6 = 2.0
    ("SCORE_GRADE", [cell(98.97)]),  # ≥ 90 → 优
    ("SCORE_SATISFACTION", [cell(0.95)]),  # 95% ≥ 90% → full 6 points
    ("SCORE_QUARTERLY", [column(46666000, 17441700, 25599600, 1628900), cell(91471549.43)]),
    ("SCORE_PROCUREMENT", [cell(14750), cell("")]),  # a blank required input (empty string)
    ("SCORE_PROCUREMENT", [cell(14750), cell(None)]),  # … or JS null
    ("SCORE_PROCUREMENT_NOTE", [cell(14750), cell("")]),
]


def assert_registers_the_catalogue(meta: dict) -> None:
    """``meta`` (custom-functions-meta.json) registers exactly ``udfs.CATALOGUE``, each
    function with its Chinese help, its parameters in order and which are optional."""
    functions = {f["id"]: f for f in meta["functions"]}
    assert set(functions) == set(udfs.CATALOGUE)
    for name, function in udfs.CATALOGUE.items():
        registered = functions[name]
        assert registered["name"] == name
        assert registered["description"] == function.__doc__
        entry = function.__catalogue__
        params = {p["name"]: p for p in registered["parameters"]}
        assert list(params) == [p.name for p in entry.params]
        for param in entry.params:
            assert params[param.name]["description"] == param.doc
            assert any("\u4e00" <= ch <= "\u9fff" for ch in param.doc), (name, param.name)  # Chinese help
            assert params[param.name].get("optional", False) == (param.default is not udfs.catalogue.REQUIRED)
