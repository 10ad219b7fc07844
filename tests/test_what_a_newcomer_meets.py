"""The command line as a newcomer meets it: Chinese from usage to error, files that behave
like other programs' files, and clear refusals before any work is done."""
from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from batch_departments import TRADE_UNION, done_line, last_line, snapshot, write_department, write_named
from xladdin import cli, files

ENGLISH = ("usage:", "error:", "the following arguments", "invalid choice", "unrecognized arguments",
           "show this help", "positional arguments", "options:", "Traceback")


def run(*argv) -> int:
    return cli.main([str(a) for a in argv])


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    def set_umask(value: int) -> None:
        os.umask(value)

    saved = os.umask(0o022)
    os.umask(saved)
    yield set_umask
    os.umask(saved)


# --- argparse speaks Chinese -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["recalc"], "缺少必需的参数：路径"),
        (["frobnicate"], "无效的选择：'frobnicate'"),
        (["audit", "收文", "--bogus"], "无法识别的参数：--bogus"),
        (["recalc", "收文", "-o", "结果", "-j", "很多"], "应为整数，而不是“很多”"),
        (["recalc", "收文", "-o", "结果", "--in-place"], "不能与参数 -o/--output 同时使用"),
    ],
)
def test_usage_errors_are_chinese(capsys, argv, expected):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：xladdin")
    assert "错误：" in err and expected in err
    assert english_in(err) == []


@pytest.mark.parametrize("argv", [["-h"], ["recalc", "-h"], ["freeze", "--help"], ["template", "-h"]])
def test_help_is_chinese(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：xladdin") and "显示本帮助并退出" in out
    assert english_in(out) == []


def test_argparse_is_english_again_outside_the_command_line():
    import argparse

    cli.build_parser()
    assert "usage:" in argparse.ArgumentParser(prog="other").format_usage()


def test_the_installed_command_prints_chinese_in_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "xladdin.cli", "recalc"], capture_output=True, text=True,
                            encoding="utf-8", cwd=Path(__file__).parents[1])
    assert result.returncode == 2
    assert "用法：" in result.stderr and english_in(result.stderr) == []


# --- files as people expect: modes, names, --force -----------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("command", ["template", "example"])
@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640)])
def test_created_files_follow_the_umask(tmp_path, capsys, umask, command, mask, expected):
    umask(mask)
    target = tmp_path / "评分表.xlsx"
    assert run(command, "-o", target) == 0
    assert mode(target) == expected
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_an_overwritten_file_keeps_its_mode(tmp_path, capsys, umask):
    umask(0o022)
    target = tmp_path / "评分表.xlsx"
    assert run("template", "-o", target) == 0
    target.chmod(0o600)
    assert run("template", "-o", target, "--force") == 0
    assert mode(target) == 0o600
    inbox = tmp_path / "收文"
    src = write_department(inbox, TRADE_UNION)
    src.chmod(0o640)
    assert run("recalc", src, "--in-place", "-j", "1") == 0
    assert mode(src) == 0o640
    assert run("recalc", src, "-o", tmp_path / "结果", "-j", "1") == 0
    assert mode(tmp_path / "结果" / src.name) == 0o644  # a new file: the umask's


@pytest.mark.parametrize("name", ["评分表.xls", "评分表.csv", "评分表", "评分表.xlsm"])
def test_template_names_must_end_in_xlsx(tmp_path, capsys, name):
    assert run("template", "-o", tmp_path / name) == 2
    err = capsys.readouterr().err
    assert "应以 .xlsx 结尾" in err
    assert list(tmp_path.iterdir()) == []


def test_template_over_a_folder_is_a_clear_message(tmp_path, capsys):
    folder = tmp_path / "模板.xlsx"
    folder.mkdir()
    assert run("template", "-o", folder, "--force") == 2
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and english_in(err) == [] and ".tmp" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx"]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name", ["结果.xls", "结果.csv", "结果.ods"])
def test_recalc_output_that_looks_like_the_wrong_file(tmp_path, capsys, name):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    assert run("recalc", src, "-o", tmp_path / name, "-j", "1") == 2
    assert "-o 应为输出文件夹" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_recalc_of_one_workbook_into_a_named_file(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    target = tmp_path / "重算后.xlsx"
    assert run("recalc", src, "-o", target, "-j", "1") == 0
    assert target.is_file()
    assert f"完成  {src} → {target}" in capsys.readouterr().out


def test_an_existing_output_needs_force_not_in_place(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    out = tmp_path / "结果"
    assert run("recalc", src, "-o", out, "-j", "1") == 0
    capsys.readouterr()
    assert run("recalc", src, "-o", out, "-j", "1") == 1
    err = capsys.readouterr().err
    assert "已存在" in err and "--force" in err and "--in-place" not in err
    assert run("recalc", src, "-o", out, "-j", "1", "--force") == 0
    assert run("freeze", src, "-o", out, "-j", "1", "--force") == 0


def test_the_summary_name_is_checked_before_any_work(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    assert run("recalc", src, "-o", tmp_path / "结果", "--summary", tmp_path / "汇总.xls") == 2
    assert not (tmp_path / "结果").exists()


@pytest.mark.parametrize("argument", ["空文件夹", "空文件夹/*.xlsx"])
def test_nothing_to_do_is_not_success(tmp_path, capsys, argument):
    (tmp_path / "空文件夹").mkdir()
    (tmp_path / "空文件夹" / "说明.txt").write_text("x", encoding="utf-8")
    assert run("audit", tmp_path / argument) == 1
    assert "没有找到 Excel 工作簿" in capsys.readouterr().err


def test_a_csv_file_is_told_it_is_not_a_workbook(tmp_path, capsys):
    data = tmp_path / "数据.csv"
    data.write_text("部门,得分\n总工会,98.97\n", encoding="utf-8")
    assert run("audit", data) == 2  # audit: a file that cannot be read
    err = capsys.readouterr().err
    assert "文本文件" in err and "不是 Excel 工作簿" in err and "已损坏" not in err


# --- a workbook someone has open is left alone ----------------------------------------------


@pytest.mark.parametrize("lock, program", [("~${}", "Excel 或 WPS"), (".~lock.{}#", "LibreOffice")])
def test_a_workbook_open_elsewhere_is_not_overwritten(tmp_path, capsys, lock, program):
    inbox = tmp_path / "收文"
    src = write_department(inbox, TRADE_UNION)
    (inbox / lock.format(src.name)).write_bytes(b"owner")
    before = snapshot(inbox)
    assert run("recalc", inbox, "--in-place", "-j", "1") == 1
    err = capsys.readouterr().err
    assert program in err and lock.format(src.name) in err and "关闭" in err
    assert snapshot(inbox) == before


def test_stale_temporary_files_are_cleaned_up(tmp_path, capsys):
    inbox = tmp_path / "收文"
    src = write_department(inbox, TRADE_UNION)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = files.temp_path(src).split(".")[-4]  # .~<name>.<host>.<pid>.<random>.tmp
    stale = inbox / f".~{src.name}.{host}.{dead.pid}.0badc0de.tmp"
    alive = inbox / f".~{src.name}.{host}.{os.getpid()}.0123abcd.tmp"
    stale.write_bytes(b"half a workbook")
    alive.write_bytes(b"being written")
    assert run("recalc", src, "--in-place", "-j", "1") == 0
    assert not stale.exists()
    assert alive.exists()  # its process still runs


# --- messages: Chinese, technical detail only with --verbose ----------------------------------


def test_an_internal_error_is_chinese_and_said_once(tmp_path, capsys, monkeypatch):
    from xladdin import engine

    def broken(book, **_):
        return None.group()  # the AttributeError the fuzzing found

    monkeypatch.setattr(engine, "recalculate_package", broken)
    src = write_department(tmp_path / "收文", TRADE_UNION)
    assert run("recalc", src, "-o", tmp_path / "结果", "-j", "1") == 1
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "AttributeError" not in err
    assert err.count("原文件未改动") == 1
    assert run("recalc", src, "-o", tmp_path / "结果", "-j", "1", "--verbose") == 1
    assert "AttributeError" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform.startswith("win"), reason="the message for machines without Windows")
def test_install_off_windows_says_classic_xlwings_needs_windows(tmp_path, capsys):
    assert run("install", "--config", tmp_path / "xlwings.conf") == 0
    out = capsys.readouterr().out
    assert "本机不是 Windows" in out and "Windows 版 Excel" in out and "xlwings Lite" in out


# --- the summary ---------------------------------------------------------------------------


INJECTIONS = ["\r=1+1", "\n=1+1", " =1+1", "\u200b=1+1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "\t@SUM(A1)"]


def test_summary_csv_quotes_line_breaks_and_neutralises_every_trigger(tmp_path, capsys):
    inbox = tmp_path / "收文"
    for i, name in enumerate(INJECTIONS, 1):
        write_named(inbox, f"{i}.xlsx", name)
    summary = tmp_path / "汇总.csv"
    assert run("audit", inbox, "-j", "1", "--summary", summary) == 1  # audit: a workbook filled by a program was never calculated (未重算)
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    assert len(records) == 1 + len(INJECTIONS)  # no row split at a CR or LF
    names = {r[records[0].index("文件")]: r[records[0].index("部门名称")] for r in records[1:]}
    for i, name in enumerate(INJECTIONS, 1):
        # a raw CR in a cell's XML text reads as LF (line-end normalisation); openpyxl with
        # lxml writes it as &#13;, which stays a CR: either way the name comes through whole
        assert names[str(inbox / f"{i}.xlsx")] in ("'" + name, "'" + name.replace("\r", "\n"))
    raw = summary.read_bytes().decode("utf-8-sig")
    assert '"\'\n=1+1"' in raw or '"\'\r=1+1"' in raw  # the field with a line break is quoted


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_imports_the_injected_name_as_text(tmp_path, capsys):
    inbox = tmp_path / "收文"
    write_named(inbox, "1.xlsx", "\r=1+1")
    summary = tmp_path / "汇总.csv"
    assert run("audit", inbox, "-j", "1", "--summary", summary) == 1  # audit: a workbook filled by a program was never calculated (未重算)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xlsx", "--infilter=CSV:44,34,76,1", "--outdir", str(out), str(summary)],
                   capture_output=True, timeout=180, check=True)
    import openpyxl

    ws = openpyxl.load_workbook(out / "汇总.xlsx").active
    header = [c.value for c in ws[1]]
    assert ws.max_row == 2
    cell = ws.cell(2, header.index("部门名称") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'")


def test_summary_csv_writes_whole_numbers_as_whole_numbers(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    summary = tmp_path / "汇总.csv"
    assert run("audit", src, "-j", "1", "--summary", summary) == 1  # audit: a workbook filled by a program was never calculated (未重算)
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        header, row = list(csv.reader(fh))
    assert row[header.index("年度")] == "2020"
    assert row[header.index("总得分")] == "98.97"
    assert row[header.index("财务合规性")] == "3"  # full points: 3, not 3.0
    assert not any(v.endswith(".0") for v in row)


@pytest.fixture
def tiny_disk(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root")
    mountpoint = tmp_path / "小磁盘"
    mountpoint.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mountpoint)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mountpoint
    subprocess.run(["umount", str(mountpoint)])


@pytest.mark.parametrize("name", ["汇总.csv", "汇总.xlsx"])
def test_a_full_disk_while_writing_the_summary_leaves_nothing(tmp_path, tiny_disk, capsys, name):
    with (tiny_disk / "占位").open("wb", buffering=0) as fh:  # fill the disk to the last byte
        try:
            while True:
                fh.write(b"x" * 1024)
                fh.flush()
        except OSError:
            pass
    inbox = tmp_path / "收文"
    for i in range(2):
        write_department(inbox, TRADE_UNION, file=f"{i}.xlsx")
    summary = tiny_disk / name
    assert run("audit", inbox, "-j", "1", "--summary", summary) == 1
    captured = capsys.readouterr()
    assert "汇总表未能保存" in captured.err and "磁盘空间不足" in captured.err
    assert "Traceback" not in captured.err and "Exception ignored" not in captured.err
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["占位"]
    assert last_line(captured.out) == done_line(2, 2, 0)


def test_the_demo_prints_the_notes_as_plain_text(tmp_path, capsys):
    """The workbook's note cells carry invisible joiners for printing; the table ``demo``
    prints in the terminal shows the text without them."""
    assert cli.main(["demo", "-o", str(tmp_path / "示例.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "\u2060" not in out and "\u200b" not in out
    assert "政府采购执行率=（14,750/15,000）×100%=98.33%，得1.98分，扣0.02分；整改情况：严格执行政府采购程序" in out
    assert "总得分：98.97    评价等级：优" in out


def test_the_package_metadata_is_what_setuptools_takes_without_warnings():
    """A licence table made setuptools print ~190 lines of deprecation warnings on the first
    scripts/demo; the SPDX string does not.  And every package directory is installed (a
    fixed list left out xladdin.engine and xladdin.xlsx from a non-editable install)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    requires = project["build-system"]["requires"]
    assert any(r.startswith("setuptools>=") and int(r.split(">=")[1].split(".")[0]) >= 77 for r in requires)
    from setuptools import find_namespace_packages

    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    found = set(find_namespace_packages(str(root), include=include))
    for top in ("udfs", "workbook", "xladdin"):
        for init in (root / top).rglob("__init__.py"):
            assert ".".join(init.parent.relative_to(root).parts) in found
    assert {"workbook.frameworks", "workbook.examples"} <= found  # their .toml data files


def test_scripts_setup_is_quiet_once_set_up():
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([str(root / "scripts" / "setup")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""
