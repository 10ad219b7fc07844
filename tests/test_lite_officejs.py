"""The generated xlwings Lite ``main.py`` through xlwings' own Office.js custom-function code.

xlwings Lite and xlwings Server register and call custom functions with
``xlwings.pro.udfs_officejs``: ``custom_functions_meta`` builds the metadata Excel
registers (names, descriptions, parameters) and ``custom_functions_call`` converts
what Office.js sends, calls the function and converts its result back. Both are
active with ``XLWINGS_ON_SERVER=true``, and xlwings' PRO code loads with
``XLWINGS_LICENSE_KEY=noncommercial`` (PolyForm Noncommercial; government
institutions are a permitted use). The bundle runs in a fresh interpreter with that
environment, the real xlwings, and nothing of the project but main.py itself.

Expected values come from the scoring rules (truncation to two decimals per
component) and the seed report, not from the code under test (see each case).
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import udfs
from lite_cases import OFFICEJS_CASES, assert_registers_the_catalogue
from xladdin import lite

_XLWINGS = importlib.util.find_spec("xlwings")
if _XLWINGS is None or not (Path(_XLWINGS.origin).parent / "pro" / "udfs_officejs.py").is_file():
    pytest.skip("xlwings without its Office.js code (xlwings.pro.udfs_officejs)", allow_module_level=True)

RUNNER = r'''
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
import xlwings
from xlwings.pro.udfs_officejs import custom_functions_call, custom_functions_meta
import main

def cell(value):  # one cell as Office.js hands it over for a "matrix"/"any" parameter
    return [[value]]

async def call(name, *args):
    data = {"func_name": name, "args": list(args), "version": xlwings.__version__,
            "client": "Office.js", "runtime": "1.4", "caller_address": "Sheet1!A1",
            "culture_info_name": "zh-CN", "date_format": "yyyy/m/d"}
    return await custom_functions_call(data, main)

async def run(cases):
    out = []
    for name, args in cases:
        out.append(await call(name, *args))
    return out

cases = json.loads(sys.stdin.read())
print(json.dumps({
    "meta": custom_functions_meta(main),
    "results": asyncio.run(run(cases)),
    "modules": sorted(m for m in sys.modules if m == "udfs" or m.startswith("udfs.")),
}, ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def officejs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("lite-officejs")
    lite.write_bundle(folder)
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(folder)],
        input=json.dumps(OFFICEJS_CASES, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=folder,  # not the project: the bundle must carry udfs itself
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_catalogue_function_is_registered_with_its_chinese_help(officejs):
    assert_registers_the_catalogue(officejs["meta"])


def test_the_bundle_brings_its_own_udfs(officejs):
    assert "udfs.functions" in officejs["modules"]


def test_results_come_back_as_excel_values(officejs):
    procurement, ratio, grade, satisfaction, quarterly, *_ = officejs["results"]
    # the same results udfs gives in CPython (the catalogue's own tests fix these to the rules)
    assert procurement == [[udfs.SCORE_PROCUREMENT(14750, 15000)]]
    assert procurement == [[1.98]]  # the seed report: 98.33% → 1.98 points
    assert ratio == [[2]]  # 1 of 3 projects on time: 6 × 1/3
    assert grade == [["优"]]
    assert satisfaction == [[6]]
    assert quarterly == [[udfs.SCORE_QUARTERLY([46666000, 17441700, 25599600, 1628900], 91471549.43)]]


def test_a_blank_required_input_is_a_real_na_error(officejs):
    empty_string, js_null, note = officejs["results"][5:]
    na = {"type": "Error", "errorType": "NotAvailable"}
    assert empty_string == [[na]]
    assert js_null == [[na]]
    assert "采购计划金额为空" in note[0][0]
