"""The xlwings Lite bundle under Pyodide in Node.js, the runtime xlwings Lite itself uses.

test_setting_up_excel.py runs main.py in CPython; this runs the same bundle with the same held
cases in Pyodide (tests/pyodide/run_bundle.mjs, Pyodide pinned in tests/pyodide/package.json)
and checks it gives what ``udfs`` gives in CPython. The first run installs Pyodide into
tests/pyodide/node_modules with ``npm ci``. Without Node.js or npm, or when that install fails,
the test is skipped on a developer's machine but fails in CI (CI=true), which must not skip it.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import udfs
from xladdin import lite

from lite_cases import HELD_CASES  # shared with test_setting_up_excel.py

RUNNER_DIR = Path(__file__).parent / "pyodide"
RUNNER = RUNNER_DIR / "run_bundle.mjs"
PYODIDE_DIR = RUNNER_DIR / "node_modules" / "pyodide"
#: What loading Pyodide and its stdlib needs, all shipped in the npm package: no network at run time.
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MIN_NODE = 18


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the Pyodide test, not skip it)", pytrace=False)
    pytest.skip(reason)


def _pinned_version() -> str:
    return json.loads((RUNNER_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]


def _installed() -> bool:
    manifest = PYODIDE_DIR / "package.json"
    if not manifest.is_file() or not all((PYODIDE_DIR / name).is_file() for name in CORE_FILES):
        return False
    return json.loads(manifest.read_text(encoding="utf-8")).get("version") == _pinned_version()


@pytest.fixture(scope="module")
def node() -> str:
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js (node) is not on PATH")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    match = re.match(r"v(\d+)\.", version)
    if not match or int(match.group(1)) < MIN_NODE:
        _unavailable(f"Pyodide needs Node.js >= {MIN_NODE}, found {version or 'no version'}")
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not on PATH: cannot install Pyodide into tests/pyodide/node_modules")
        command = [npm, "ci", "--no-audit", "--no-fund"]
        try:
            result = subprocess.run(command, cwd=RUNNER_DIR, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            _unavailable(f"`{' '.join(command[1:])}` in tests/pyodide did not finish: {error}")
        if result.returncode != 0 or not _installed():
            _unavailable(
                f"`npm ci` in tests/pyodide failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
            )
    return node


@pytest.fixture(scope="module")
def in_pyodide(node, tmp_path_factory) -> dict:
    """One Node.js process (one Pyodide load) runs every held case on a freshly built bundle."""
    [main] = lite.write_bundle(tmp_path_factory.mktemp("lite-pyodide"))
    result = subprocess.run(
        [node, str(RUNNER), str(main), "-"],
        input=json.dumps(HELD_CASES, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, f"main.py failed under Pyodide:\n{result.stderr}"
    return json.loads(result.stdout)


def test_it_is_the_pinned_pyodide_that_ran(in_pyodide):
    assert in_pyodide["pyodide"] == _pinned_version()


def test_lite_main_under_pyodide_agrees_with_udfs_in_cpython(in_pyodide):
    expected = [getattr(udfs, name)(*args) for name, args in HELD_CASES]
    assert in_pyodide["results"] == expected, f"Python {in_pyodide['python']} in Pyodide {in_pyodide['pyodide']}"


def test_under_pyodide_every_lite_function_carries_its_xlwings_metadata(in_pyodide):
    recorded = in_pyodide["recorded"]
    assert set(recorded) == set(udfs.CATALOGUE)
    for name, meta in recorded.items():
        code = udfs.CATALOGUE[name].__code__
        assert meta["options"] == {"category": "绩效评价"}
        assert set(meta["args"]) == set(code.co_varnames[: code.co_argcount])
