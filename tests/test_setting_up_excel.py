"""What a finance user does to get the functions into Excel: classic xlwings on Windows
(``xladdin install``) or xlwings Lite (paste the generated main.py)."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import udfs
from xladdin import install, lite

from lite_cases import HELD_CASES  # shared with test_lite_in_pyodide.py


# --- classic xlwings: the user's xlwings.conf --------------------------------------


def test_install_writes_udf_modules_and_interpreter_into_a_new_config(tmp_path):
    path, settings = install.install(tmp_path / ".xlwings" / "xlwings.conf", interpreter=r"C:\py\python.exe")
    assert path.read_text(encoding="utf-8") == (
        f'"UDF MODULES","udfs"\n"{install.interpreter_key()}","C:\\py\\python.exe"\n'
    )


def test_install_keeps_every_other_setting_and_the_users_own_modules(tmp_path):
    config = tmp_path / "xlwings.conf"
    original = '"LICENSE_KEY","abc-123"\n"UDF MODULES","mytools;budget"\n"CONDA ENV","base"\n'
    config.write_text(original, encoding="utf-8")
    install.install(config, interpreter="/opt/py")
    lines = config.read_text(encoding="utf-8").splitlines()
    assert lines[0] == '"LICENSE_KEY","abc-123"'
    assert lines[1] == '"UDF MODULES","mytools;budget;udfs"'
    assert lines[2] == '"CONDA ENV","base"'
    assert lines[3] == f'"{install.interpreter_key()}","/opt/py"'


def test_install_twice_changes_nothing_the_second_time(tmp_path):
    config = tmp_path / "xlwings.conf"
    install.install(config, interpreter="/opt/py")
    first = config.read_bytes()
    install.install(config, interpreter="/opt/py")
    assert config.read_bytes() == first


def test_the_written_config_reads_back_as_xlwings_reads_it(tmp_path):
    # xlwings.utils.read_user_config: the first two quoted values of each line, keys lower-cased.
    import re

    config = tmp_path / "xlwings.conf"
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n', encoding="utf-8")
    install.install(config, interpreter="C:\\new\\python.exe")
    seen = {}
    for line in config.read_text(encoding="utf-8").splitlines():
        values = re.findall(r'"[^"]*"', line)
        seen[values[0].strip('"').lower()] = values[1].strip('"')
    assert seen["udf modules"] == "udfs"
    assert seen[install.interpreter_key().lower()] == "C:\\new\\python.exe"


# --- xlwings Lite: one main.py ----------------------------------------------------------

STAND_IN = textwrap.dedent(
    '''
    recorded = {}
    def func(f=None, **options):
        def inner(f):
            recorded.setdefault(f.__name__, {"args": {}})["options"] = options
            f.__xlfunc__ = recorded[f.__name__]
            return f
        return inner if f is None else inner(f)
    def arg(name, convert=None, **options):
        def inner(f):
            recorded.setdefault(f.__name__, {"args": {}})["args"][name] = options
            return f
        return inner
    def ret(*args, **options):
        return lambda f: f
    '''
)


@pytest.fixture(scope="module")
def lite_main(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite")
    (folder / "xlwings.py").write_text(STAND_IN, encoding="utf-8")
    lite.write_bundle(folder)
    return folder


def test_lite_main_runs_standalone_and_agrees_with_udfs(lite_main):
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(lite_main)!r})
        import main
        cases = {HELD_CASES!r}
        print(json.dumps([getattr(main, name)(*args) for name, args in cases], ensure_ascii=False))
        """
    )
    import json

    # A fresh interpreter whose path holds only the bundle and the stand-in xlwings: not the project.
    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=lite_main)
    assert result.returncode == 0, result.stderr
    expected = [getattr(udfs, name)(*args) for name, args in HELD_CASES]
    assert json.loads(result.stdout) == expected


def test_every_lite_function_carries_its_xlwings_metadata(lite_main):
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(lite_main)!r})
        import main, xlwings
        print(json.dumps(xlwings.recorded, ensure_ascii=False))
        """
    )
    import json

    result = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=lite_main)
    recorded = json.loads(result.stdout)
    assert set(recorded) == set(udfs.CATALOGUE)
    for name, meta in recorded.items():
        assert meta["options"] == {"category": "绩效评价"}
        assert set(meta["args"]) == set(udfs.CATALOGUE[name].__code__.co_varnames[: udfs.CATALOGUE[name].__code__.co_argcount])


def test_lite_main_is_generated_from_the_package_not_kept_by_hand():
    text = lite.bundle()
    for name in lite.MODULES:
        source = (Path(udfs.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
        assert source in text
    assert "from xlwings import arg, func, ret" in text
    assert "空单元格可能以 0 传入" in text


def test_a_folder_that_cannot_be_created_gets_a_chinese_message_not_a_traceback(tmp_path, capsys):
    from xladdin import cli

    blocker = tmp_path / "是文件"
    blocker.write_text("x", encoding="utf-8")
    assert cli.main(["lite", "-o", str(blocker / "lite")]) == 1
    assert cli.main(["install", "--config", str(blocker / "xlwings.conf")]) == 1
    err = capsys.readouterr().err
    assert err.count("错误：无法读写文件") == 2 and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "x"
