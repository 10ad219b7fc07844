"""A bureau's folder as it keeps it: one sub-folder per department, the same file name in
each, a WPS or old Excel file among the workbooks, and whatever else lies in a folder
(owner and lock files, a named pipe, a device, a folder named like a workbook).

``recalc``, ``audit`` and ``freeze`` search a folder recursively and mirror its
sub-folders under ``-o``; files in formats this tool cannot read are listed with the
advice to 另存为 .xlsx and counted as not processed; only regular files are ever opened.
Expected scores come from tests/batch_departments.py (derived by hand from the rules).
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

from batch_departments import FAIR, GOOD, GUARD_SECONDS, TRADE_UNION, done_line, last_line, run_cli, snapshot, write_department
from package_builders import ole2_file
from test_batch_recalc import assert_scored_as
from xladdin.cli import main

FILE = "评分表.xlsx"  # what every department calls its file


@pytest.fixture
def bureau(tmp_path):
    """收文/<department>/评分表.xlsx, one level deeper for one of them."""
    inbox = tmp_path / "收文"
    write_department(inbox / "总工会", TRADE_UNION, file=FILE)
    write_department(inbox / "街道办", GOOD, file=FILE)
    write_department(inbox / "事业单位" / "2020年", FAIR, file=FILE)
    return inbox


MIRRORED = {f"总工会/{FILE}": TRADE_UNION, f"街道办/{FILE}": GOOD, f"事业单位/2020年/{FILE}": FAIR}


@pytest.mark.parametrize("command", ["recalc", "freeze"])
def test_sub_folders_with_the_same_file_name_are_all_kept_in_their_folders(bureau, tmp_path, capsys, command):
    out = tmp_path / "结果"
    summary = tmp_path / "汇总.csv"
    originals = snapshot(bureau)
    assert main([command, str(bureau), "-o", str(out), "-j", "1", "--summary", str(summary)]) == 0
    captured = capsys.readouterr()
    assert "相同" not in captured.err and "已跳过" not in captured.err
    assert last_line(captured.out) == done_line(3, 3, 0)
    assert sorted(snapshot(out)) == sorted(MIRRORED)  # the same layout, nothing else
    for place, dept in MIRRORED.items():
        assert f"完成  {bureau / place} → {out / place}" in captured.out
        assert_scored_as(out / place, dept)
    table = pd.read_csv(summary, encoding="utf-8-sig")
    assert sorted(table["文件"]) == sorted(str(bureau / place) for place in MIRRORED)
    assert snapshot(bureau) == originals


def test_audit_reads_every_sub_folder(bureau, capsys):
    main(["audit", str(bureau), "-j", "1"])
    captured = capsys.readouterr()
    assert last_line(captured.out) == done_line(3, 3, 0)
    for place in MIRRORED:
        assert str(bureau / place) in captured.out


def test_a_glob_mirrors_below_the_folder_it_starts_from(bureau, tmp_path, capsys):
    out = tmp_path / "结果"
    assert main(["recalc", f"{bureau}/**/{FILE}", "-o", str(out), "-j", "1"]) == 0
    capsys.readouterr()
    assert sorted(snapshot(out)) == sorted(MIRRORED)


def test_an_output_folder_inside_the_input_folder_is_not_read_again(bureau, capsys):
    out = bureau / "结果"
    assert main(["recalc", str(bureau), "-o", str(out), "-j", "1"]) == 0
    assert main(["recalc", str(bureau), "-o", str(out), "-j", "1", "--force"]) == 0
    assert last_line(capsys.readouterr().out) == done_line(3, 3, 0)  # not 6: last run's results are not input
    assert sorted(snapshot(out)) == sorted(MIRRORED)


def ods_file() -> bytes:
    import io

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return data.getvalue()


OTHER_FORMATS = {  # file → what the message must say
    "总工会/评分表.et": ("WPS 表格文件（.et）", "WPS 表格"),
    "街道办/旧表.xls": ("旧版 Excel 97-2003 工作簿（.xls）", "Excel"),
    "事业单位/评分表.ods": ("OpenDocument 表格（.ods）", "LibreOffice"),
}


@pytest.fixture
def mixed(bureau):
    for place in OTHER_FORMATS:
        (bureau / place).write_bytes(ods_file() if place.endswith(".ods") else ole2_file(["Workbook"]))
    return bureau


def test_other_formats_are_listed_with_the_advice_to_save_as_xlsx(mixed, tmp_path, capsys):
    out = tmp_path / "结果"
    summary = tmp_path / "汇总.csv"
    assert main(["recalc", str(mixed), "-o", str(out), "-j", "1", "--summary", str(summary)]) == 1  # not all done
    captured = capsys.readouterr()
    for place, (kind, program) in OTHER_FORMATS.items():
        lines = [line for line in captured.err.splitlines() if line.startswith(f"未处理  {mixed / place}：")]
        assert len(lines) == 1, captured.err
        assert kind in lines[0] and f"请用 {program}" in lines[0] and "另存为 Excel 工作簿（.xlsx）" in lines[0]
        assert "保存为" not in lines[0].replace("另存为", "")  # about reading, not about saving
    assert last_line(captured.out) == done_line(6, 3, 0, 3)
    assert sorted(snapshot(out)) == sorted(MIRRORED)  # only the workbooks were written
    table = pd.read_csv(summary, encoding="utf-8-sig").set_index("文件")
    for place, (kind, _) in OTHER_FORMATS.items():
        assert kind in table.loc[str(mixed / place), "错误"]  # the summary lists them too


def test_audit_of_a_folder_with_other_formats_says_some_could_not_be_read(mixed, capsys):
    assert main(["audit", str(mixed), "-j", "1"]) == 2
    assert last_line(capsys.readouterr().out) == done_line(6, 3, 0, 3)


def test_a_wps_file_given_directly_gets_a_message_about_reading(tmp_path, capsys):
    et = tmp_path / "评分表.et"
    et.write_bytes(ole2_file(["Workbook"]))
    assert main(["recalc", str(et), "-o", str(tmp_path / "结果"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert f"未处理  {et}：这是WPS 表格文件（.et），本工具只能读取 .xlsx/.xlsm 工作簿" in err
    assert "不能保存" not in err
    assert not (tmp_path / "结果" / "评分表.et").exists()


def test_owner_and_lock_files_stay_skipped(bureau, tmp_path, capsys):
    folder = bureau / "街道办"
    (folder / f"~${FILE}").write_bytes(b"\0" * 165)  # Excel's / WPS's owner file
    (folder / f".~lock.{FILE}#").write_text("x,host,2020", encoding="utf-8")  # LibreOffice's lock file
    (folder / f"~$旧表.xls").write_bytes(b"\0" * 165)
    assert main(["audit", str(bureau), "-j", "1"]) == 1  # findings: the workbooks were never calculated
    captured = capsys.readouterr()
    assert "~$" not in captured.out + captured.err and ".~lock" not in captured.out + captured.err
    assert last_line(captured.out) == done_line(3, 3, 0)


# -- only regular files are read: run in a child process, so a regression hangs nothing ------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")


@needs_fifo
def test_a_named_pipe_in_a_folder_is_reported_and_never_opened(bureau, tmp_path):
    pipe = bureau / "街道办" / "管道.xlsx"
    os.mkfifo(pipe)
    device = bureau / "总工会" / "设备.xlsx"
    device.symlink_to(os.devnull)  # a link to a character device
    not_a_workbook = bureau / "文件夹.xlsx"
    not_a_workbook.mkdir()
    result = run_cli("recalc", bureau, "-o", tmp_path / "结果", "-j", "1")
    assert result.returncode == 1
    assert f"失败  {pipe}：这是命名管道，不是普通文件，不能作为 Excel 工作簿读取：{pipe.name}" in result.stderr
    assert f"失败  {device}：这是字符设备，不是普通文件" in result.stderr
    assert f"失败  {not_a_workbook}：这是文件夹，不是 Excel 工作簿（其中也没有 Excel 工作簿）" in result.stderr
    assert last_line(result.stdout) == done_line(6, 3, 3)
    assert sorted(snapshot(tmp_path / "结果")) == sorted(MIRRORED)


@needs_fifo
def test_a_named_pipe_given_directly_is_refused(tmp_path):
    pipe = tmp_path / "p.xlsx"
    os.mkfifo(pipe)
    result = run_cli("recalc", pipe, "-o", tmp_path / "结果", "-j", "1")
    assert result.returncode == 1
    assert f"失败  {pipe}：这是命名管道，不是普通文件，不能作为 Excel 工作簿读取：p.xlsx" in result.stderr
    # and the package reader itself, for a caller that hands it a pipe
    code = (
        "import sys; from xladdin import xlsx\n"
        "try:\n    xlsx.WorkbookPackage.open(sys.argv[1])\n"
        "except xlsx.PackageError as e:\n    print(e.message_zh)\n"
    )
    reader = subprocess.run([sys.executable, "-c", code, str(pipe)], capture_output=True, text=True,
                            encoding="utf-8", timeout=GUARD_SECONDS)
    assert reader.stdout.strip() == "这是命名管道，不是普通文件，不能作为 Excel 工作簿读取：p.xlsx"


def test_a_folder_named_like_a_workbook_given_directly(tmp_path, capsys):
    folder = tmp_path / "评分表.xlsx"
    folder.mkdir()
    assert main(["audit", str(folder)]) == 1
    assert f"文件夹中没有找到 Excel 工作簿（.xlsx/.xlsm）（它本身是文件夹，不是工作簿）：{folder}" in capsys.readouterr().err
