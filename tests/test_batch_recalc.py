"""A finance bureau recalculates the department workbooks it received: ``xladdin recalc``.

The CLI is called in-process (``xladdin.cli.main``); results are checked on disk. Expected
scores are derived by hand from the rule text in tests/batch_departments.py.
"""
from __future__ import annotations

import concurrent.futures
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from batch_departments import (
    DEPARTMENTS,
    GOOD,
    GRADE_CELL,
    NAME_CELL,
    OVER_PLAN,
    PROCUREMENT_CELL,
    SCORE_SHEET,
    SCORE_SHEET_PART,
    TOTAL_CELL,
    TRADE_UNION,
    cached,
    done_line,
    last_line,
    listing,
    rezip,
    snapshot,
    write_department,
    write_edited,
)
from package_builders import build_package, ole2_file, read_parts, sheet_xml
from xladdin import batch, package
from xladdin.cli import main

FIRST_INDICATOR_ROW, LAST_INDICATOR_ROW = 7, 27  # 评分表: one row per 三级指标 (name in E, score in I)


def recalc(*args: str) -> int:
    return main(["recalc", *map(str, args)])


def assert_scored_as(path, dept) -> None:
    """Every stored indicator score, the total and the grade are the hand-derived ones."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = wb[SCORE_SHEET]
        expected = dept.scores()
        for row in range(FIRST_INDICATOR_ROW, LAST_INDICATOR_ROW + 1):
            label, score = ws[f"E{row}"].value, ws[f"I{row}"].value
            assert score == pytest.approx(expected[label], abs=1e-9), (path.name, label)
        assert ws[TOTAL_CELL].value == pytest.approx(dept.total, abs=1e-9)
        assert ws[GRADE_CELL].value == dept.grade
        assert ws[NAME_CELL].value == dept.name
    finally:
        wb.close()


# -- the everyday case -------------------------------------------------------------


def test_recalc_a_folder_of_department_workbooks_into_an_output_folder(tmp_path, capsys):
    inbox = tmp_path / "收文"
    for dept in DEPARTMENTS:
        write_department(inbox, dept)
    originals = snapshot(inbox)
    out = tmp_path / "结果" / "2020年度"  # does not exist yet: recalc creates it

    assert recalc(inbox, "-o", out, "-j", "1") == 0

    captured = capsys.readouterr()
    assert captured.err == ""
    assert last_line(captured.out) == done_line(4, 4, 0)
    for dept in DEPARTMENTS:
        assert f"完成  {inbox / dept.file} → {out / dept.file}（总得分 {dept.total}）" in captured.out
    assert listing(out) == sorted(d.file for d in DEPARTMENTS)  # one result each, no temp files left
    for dept in DEPARTMENTS:
        assert_scored_as(out / dept.file, dept)
    assert snapshot(inbox) == originals  # the departments' files are untouched, byte for byte


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_ends_with_its_output_whole_and_its_files_written(tmp_path, jobs):
    # the xladdin command ends without tearing its objects down: what it printed, its exit
    # status and every file it wrote are there all the same, with one worker or a pool
    import subprocess
    import sys

    inbox = tmp_path / "收文"
    for copy in range(3):  # enough files for a process pool (batch.POOL_THRESHOLD)
        for dept in DEPARTMENTS:
            write_department(inbox / f"第{copy}批", dept)
    assert len(DEPARTMENTS) * 3 >= batch.POOL_THRESHOLD
    out = tmp_path / "结果"
    run = subprocess.run([sys.executable, "-m", "xladdin.cli", "recalc", str(inbox), "-o", str(out), "-j", jobs,
                          "--summary", str(tmp_path / "汇总.csv")], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    n = len(list(inbox.rglob("*.xlsx")))
    assert last_line(run.stdout) == done_line(n, n, 0)
    assert len(list(out.rglob("*.xlsx"))) == n
    for copy in range(3):
        for dept in DEPARTMENTS:
            assert_scored_as(out / f"第{copy}批" / dept.file, dept)
    assert len(pd.read_csv(tmp_path / "汇总.csv")) == n
    missing = subprocess.run([sys.executable, "-m", "xladdin.cli", "recalc", str(tmp_path / "没有.xlsx"), "-o", str(out)],
                             capture_output=True, text=True, encoding="utf-8")
    assert missing.returncode != 0 and "没有.xlsx" in missing.stderr + missing.stdout


@pytest.mark.parametrize("command", ["recalc", "template"])
def test_the_command_collects_garbage_again_once_started(tmp_path, command):
    # the start-up runs without the cyclic collector; the command itself (a long batch, a
    # server) runs with it, in the parent and in every worker forked from it
    import subprocess
    import sys

    inbox = tmp_path / "收文"
    for dept in DEPARTMENTS:
        write_department(inbox, dept)
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import gc, sys\n"
        "from xladdin import batch, cli\n"
        "seen = []\n"
        "real = batch._process\n"
        "def spy(job):\n"
        "    seen.append(gc.isenabled())\n"
        "    return real(job)\n"
        "batch._process = spy\n"
        "real_main = cli.main\n"
        "def main(argv=None):\n"
        "    code = real_main(argv)\n"
        "    print('collector', gc.isenabled(), 'paused during files', not any(seen), file=sys.stderr)\n"
        "    return code\n"
        "cli.main = main\n"
        "cli.console_main()\n", encoding="utf-8")
    args = (["recalc", str(inbox), "-o", str(tmp_path / "结果"), "-j", "1"] if command == "recalc"
            else ["template", "-o", str(tmp_path / "模板.xlsx")])
    run = subprocess.run([sys.executable, str(probe), *args], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert "collector True paused during files True" in run.stderr


def test_procurement_over_plan_loses_the_execution_point(tmp_path, capsys):
    # 政府采购 actual 16,000 > planned 15,000: “如实际采购金额大于采购计划金额，本项得0分”
    # → execution part 0, policy 1 → 1; total 98.97 − 1.98 + 1 = 97.99 (derivation in batch_departments).
    src = write_department(tmp_path / "收文", OVER_PLAN)
    assert recalc(src, "-o", tmp_path / "结果", "-j", "1") == 0
    capsys.readouterr()
    procurement, total, grade = cached(tmp_path / "结果" / OVER_PLAN.file, PROCUREMENT_CELL, TOTAL_CELL, GRADE_CELL)
    assert procurement == 1
    assert total == pytest.approx(97.99, abs=1e-9)
    assert grade == "优"


def test_in_place_writes_the_results_back_into_the_sources(tmp_path, capsys):
    inbox = tmp_path / "收文"
    sources = [write_department(inbox, dept) for dept in (TRADE_UNION, GOOD)]
    before = snapshot(inbox)
    assert cached(sources[0], TOTAL_CELL) == [None]  # freshly built: no stored results yet

    assert recalc(inbox, "--in-place", "-j", "1") == 0

    captured = capsys.readouterr()
    assert last_line(captured.out) == done_line(2, 2, 0)
    for src in sources:
        assert f"完成  {src} → {src}" in captured.out
    assert listing(inbox) == sorted(before)  # written back, no temporary files left beside them
    assert all(snapshot(inbox)[name] != data for name, data in before.items())
    assert_scored_as(sources[0], TRADE_UNION)
    assert_scored_as(sources[1], GOOD)


def test_without_a_destination_nothing_is_done(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    before = snapshot(tmp_path)
    assert recalc(src) == 2
    err = capsys.readouterr().err
    assert "错误：请指定结果写到哪里：-o 输出目录，或 --in-place" in err
    assert snapshot(tmp_path) == before


def test_output_folder_and_in_place_together_are_refused(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    before = snapshot(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        recalc(src, "-o", tmp_path / "结果", "--in-place")
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert snapshot(tmp_path) == before


# -- which files -------------------------------------------------------------------


def test_globs_and_folders_searched_recursively(tmp_path, capsys):
    inbox = tmp_path / "收文"
    top = write_department(inbox, TRADE_UNION)
    nested = write_department(inbox / "街道", GOOD)
    (inbox / "说明.docx").write_bytes(b"not a workbook")  # not an Excel file: ignored
    (inbox / "~$总工会.xlsx").write_bytes(b"\0" * 165)  # Excel's lock file while 总工会.xlsx is open: ignored

    # a glob (as typed on Windows, where the shell does not expand it) plus a sub-folder
    assert recalc(f"{inbox}/*.xlsx", inbox / "街道", "-o", tmp_path / "甲", "-j", "1") == 0
    assert last_line(capsys.readouterr().out) == done_line(2, 2, 0)
    assert listing(tmp_path / "甲") == sorted([top.name, nested.name])

    # the folder alone finds the nested workbook too, and keeps it in its sub-folder; so does
    # a recursive glob (below the folder the pattern starts from)
    assert recalc(inbox, "-o", tmp_path / "乙", "-j", "1") == 0
    assert sorted(snapshot(tmp_path / "乙")) == sorted([top.name, f"街道/{nested.name}"])
    assert recalc(f"{inbox}/**/*.xlsx", "-o", tmp_path / "丙", "-j", "1") == 0
    assert sorted(snapshot(tmp_path / "丙")) == sorted([top.name, f"街道/{nested.name}"])
    capsys.readouterr()
    assert_scored_as(tmp_path / "丙" / "街道" / nested.name, GOOD)


def test_a_glob_or_path_that_names_nothing(tmp_path, capsys):
    inbox = tmp_path / "收文"
    write_department(inbox, TRADE_UNION)
    assert recalc(f"{inbox}/*.xlsm", tmp_path / "没有这个.xlsx", inbox, "-o", tmp_path / "结果", "-j", "1") == 1
    captured = capsys.readouterr()
    assert f"没有与“{inbox}/*.xlsm”匹配的 Excel 工作簿" in captured.err
    assert f"找不到文件或文件夹：{tmp_path / '没有这个.xlsx'}" in captured.err
    assert last_line(captured.out) == done_line(3, 1, 2)
    assert listing(tmp_path / "结果") == [TRADE_UNION.file]


@pytest.mark.parametrize("how", ["same path twice", "folder and a file in it", "relative and absolute"])
def test_the_same_file_named_twice_is_processed_once(tmp_path, capsys, monkeypatch, how):
    inbox = tmp_path / "收文"
    src = write_department(inbox, TRADE_UNION)
    monkeypatch.chdir(tmp_path)
    arguments = {
        "same path twice": [src, src],
        "folder and a file in it": [inbox, src],
        "relative and absolute": [f"收文/{src.name}", src],
    }[how]
    assert recalc(*arguments, "-o", tmp_path / "结果", "-j", "1") == 1
    captured = capsys.readouterr()
    assert captured.out.count("完成  ") == 1
    assert "同一文件被重复指定，只处理一次" in captured.err
    assert src.name in captured.err
    assert last_line(captured.out) == done_line(2, 1, 1)
    assert listing(tmp_path / "结果") == [src.name]
    assert_scored_as(tmp_path / "结果" / src.name, TRADE_UNION)


def test_same_file_name_from_two_folders_is_not_overwritten(tmp_path, capsys):
    first = write_department(tmp_path / "甲区", TRADE_UNION, file="部门.xlsx")
    second = write_department(tmp_path / "乙区", OVER_PLAN, file="部门.xlsx")
    out = tmp_path / "结果"
    summary = tmp_path / "汇总.csv"

    assert recalc(tmp_path / "甲区", tmp_path / "乙区", "-o", out, "-j", "1", "--summary", summary) == 1

    captured = capsys.readouterr()
    assert f"失败  {second}：输出文件名与 {first} 相同（部门.xlsx），为免覆盖已跳过" in captured.err
    assert last_line(captured.out) == done_line(2, 1, 1)
    assert listing(out) == ["部门.xlsx"]
    assert_scored_as(out / "部门.xlsx", TRADE_UNION)  # the first one's result, not overwritten by the second
    table = pd.read_csv(summary, encoding="utf-8-sig")
    refused = table[table["文件"] == str(second)]
    assert len(refused) == 1 and "为免覆盖已跳过" in refused["错误"].iloc[0]


def test_running_again_into_the_same_folder_keeps_the_earlier_results(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    out = tmp_path / "结果"
    assert recalc(src, "-o", out, "-j", "1") == 0
    first = (out / src.name).read_bytes()
    assert recalc(src, "-o", out, "-j", "1") == 1
    captured = capsys.readouterr()
    assert f"目标文件已存在：{src.name}" in captured.err
    assert (out / src.name).read_bytes() == first


# -- bad inputs: a clear message naming the file, nothing written for it, the rest goes on --


def refused_in_batch(tmp_path, capsys, make_bad, *fragments, message_names_file=True) -> str:
    """A folder with two good workbooks around a bad one (sorted: 1_…, 2_bad, 3_…)."""
    inbox = tmp_path / "收文"
    first = write_department(inbox, TRADE_UNION, file="1_总工会.xlsx")
    last = write_department(inbox, OVER_PLAN, file="3_采购超计划.xlsx")
    bad = make_bad(inbox)
    assert bad.name.startswith("2_")
    before = snapshot(inbox)
    out = tmp_path / "结果"

    assert recalc(inbox, "-o", out, "-j", "1") == 1

    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith(f"失败  {bad}：")]
    assert len(lines) == 1, captured.err
    line = lines[0]
    message = line[len(f"失败  {bad}：") :]
    for fragment in fragments:
        assert fragment in message, line
    if message_names_file:
        assert bad.name in message
    assert line.endswith("（原文件未改动）")
    # the batch went on: both good files done, nothing written for the bad one
    assert f"完成  {first} → {out / first.name}" in captured.out
    assert f"完成  {last} → {out / last.name}" in captured.out
    assert last_line(captured.out) == done_line(3, 2, 1)
    assert listing(out) == [first.name, last.name]
    assert_scored_as(out / first.name, TRADE_UNION)
    assert_scored_as(out / last.name, OVER_PLAN)
    assert snapshot(inbox) == before
    return message


def test_not_a_zip(tmp_path, capsys):
    def make(inbox):  # a CSV export saved with an .xlsx name
        path = inbox / "2_导出.xlsx"
        path.write_bytes("项目,金额\n日常公用经费,40551421.71\n".encode("gbk"))
        return path

    refused_in_batch(tmp_path, capsys, make, "文件已损坏或不是 Excel 工作簿")


def test_truncated_zip(tmp_path, capsys):
    def make(inbox):  # an e-mail attachment cut off halfway
        data = write_department(inbox, GOOD, file="2_截断.xlsx").read_bytes()
        path = inbox / "2_截断.xlsx"
        path.write_bytes(data[: len(data) // 2])
        return path

    refused_in_batch(tmp_path, capsys, make, "文件已损坏")


def test_password_protected_workbook(tmp_path, capsys):
    def make(inbox):
        path = inbox / "2_加密.xlsx"
        path.write_bytes(ole2_file(["EncryptionInfo", "EncryptedPackage"]))
        return path

    refused_in_batch(tmp_path, capsys, make, "文件已加密", "取消密码保护")


def test_zip_bomb_by_compression_ratio(tmp_path, capsys):
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')

    def make(inbox):  # 8 MB of zeros compress ~1000:1
        path = build_package(inbox / "2_炸弹.xlsx", [("S", sheet)], extra_parts={"xl/media/pad.bin": b"\0" * (8 << 20)})
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/media/pad.bin")
            assert info.file_size / info.compress_size > 200
        return path

    refused_in_batch(tmp_path, capsys, make, "压缩炸弹", "拒绝打开")


def test_zip_bomb_past_the_size_limit(tmp_path, capsys):
    def make(inbox):  # a small file whose sheet claims to inflate to 300 MB (limit: 200 MB)
        path = write_department(inbox, GOOD, file="2_超大.xlsx")
        data = bytearray(path.read_bytes())
        central = bytes(data).find(b"PK\x01\x02")
        at = bytes(data).find(SCORE_SHEET_PART.encode(), central) - 46
        assert data[at : at + 4] == b"PK\x01\x02"
        data[at + 24 : at + 28] = (300 << 20).to_bytes(4, "little")
        path.write_bytes(bytes(data))
        return path

    refused_in_batch(tmp_path, capsys, make, "解压后过大", "压缩炸弹")


def test_xml_with_doctype_and_entities(tmp_path, capsys):
    def make(inbox):
        path = write_department(inbox, GOOD, file="2_实体.xlsx")
        parts = read_parts(path)
        xml = parts[SCORE_SHEET_PART].decode("utf-8")
        end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0  # openpyxl writes no declaration
        doctype = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        xml = xml[:end] + doctype + xml[end:].replace("深圳市龙岗区某街道办事处", "&b;", 1)
        parts[SCORE_SHEET_PART] = xml.encode("utf-8")
        return rezip(path, parts)

    refused_in_batch(tmp_path, capsys, make, "不安全的 XML", "sheet1.xml")


def kept_in_batch(tmp_path, capsys, make_bad, kept_cell, *fragments) -> list[str]:
    """A folder with two good workbooks around one whose formula cannot be recalculated
    (sorted: 1_…, 2_bad, 3_…). Every workbook is written; the bad one's line says how many
    cells kept their stored values and lists them with the reason."""
    inbox = tmp_path / "收文"
    first = write_department(inbox, TRADE_UNION, file="1_总工会.xlsx")
    last = write_department(inbox, OVER_PLAN, file="3_采购超计划.xlsx")
    bad = make_bad(inbox)
    before = snapshot(inbox)
    out = tmp_path / "结果"

    assert recalc(inbox, "-o", out, "-j", "1", "--verbose") == 0

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    [done] = [line for line in lines if f"  {bad} → {out / bad.name}" in line]
    assert done.startswith("完成（") and "处未重算，保留原值）" in done, done
    reasons = [line.strip() for line in lines if line.strip().startswith("[未重算]")]
    [named] = [line for line in reasons if f"评分表!{kept_cell}：" in line]
    for fragment in fragments:
        assert fragment in named, named
    assert int(done[len("完成（"): done.index(" 处")]) == len(reasons)
    # the other workbooks are untouched by the bad one
    assert f"完成  {first} → {out / first.name}" in captured.out
    assert f"完成  {last} → {out / last.name}" in captured.out
    assert last_line(captured.out) == done_line(3, 3, 0)
    assert_scored_as(out / first.name, TRADE_UNION)
    assert_scored_as(out / last.name, OVER_PLAN)
    # the kept cell holds exactly what the file held (openpyxl wrote no cached value)
    stored = package.WorkbookPackage.open(bad).cells[("评分表", kept_cell)]
    written = package.WorkbookPackage.open(out / bad.name).cells[("评分表", kept_cell)]
    assert written.formula == stored.formula and written.value == stored.value
    assert snapshot(inbox) == before
    return reasons


def test_circular_reference_keeps_the_cycle_and_computes_the_rest(tmp_path, capsys):
    def make(inbox):  # 政府采购's score made to depend on the total, which sums it
        return write_edited(inbox, "2_循环.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, "=ROUND(I28/50,2)"))

    reasons = kept_in_batch(tmp_path, capsys, make, PROCUREMENT_CELL, "循环引用", "未启用迭代计算")
    # the total sums the cycle: it is in the cycle too; the other indicators are computed
    assert any("评分表!I28：循环引用" in line for line in reasons)
    assert not any("评分表!I10：" in line for line in reasons)


def test_formula_the_engine_cannot_parse_keeps_its_cell(tmp_path, capsys):
    def make(inbox):  # a closing bracket lost while editing
        broken = "=SCORE_PROCUREMENT(procurement_actual,procurement_planned,procurement_policy"
        return write_edited(inbox, "2_公式残缺.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, broken))

    kept_in_batch(tmp_path, capsys, make, PROCUREMENT_CELL, "公式无法解析")


def test_unknown_function_keeps_its_cell_so_no_name_error_is_written_over_stored_values(tmp_path, capsys):
    """A misspelt function would make its cell #NAME? and, through the guarded total, the
    total #N/A: writing that back would replace what Excel stored. The cell and those that
    depend on it keep their stored values, named with the function; the rest is computed."""

    def make(inbox):
        misspelt = "=SCORE_PURCHASE(procurement_actual,procurement_planned,procurement_policy)"
        return write_edited(inbox, "2_未知函数.xlsx", lambda wb: wb[SCORE_SHEET].__setitem__(PROCUREMENT_CELL, misspelt))

    reasons = kept_in_batch(tmp_path, capsys, make, PROCUREMENT_CELL, "无法识别的函数 SCORE_PURCHASE")
    assert any("引用的单元格 评分表!" in line for line in reasons)  # its dependents, e.g. the subtotal


# -- a target that cannot be written -----------------------------------------------


def test_read_only_file_in_place(tmp_path, capsys):
    inbox = tmp_path / "收文"
    locked = write_department(inbox, TRADE_UNION, file="1_只读.xlsx")
    other = write_department(inbox, OVER_PLAN, file="2_采购超计划.xlsx")
    before = locked.read_bytes()
    locked.chmod(0o444)  # the write-permission bits are checked, so this holds even for root
    try:
        assert recalc(inbox, "--in-place", "-j", "1") == 1
        captured = capsys.readouterr()
        assert f"失败  {locked}：文件是只读的，无法写入：{locked.name}" in captured.err
        assert locked.read_bytes() == before
        assert last_line(captured.out) == done_line(2, 1, 1)
        assert_scored_as(other, OVER_PLAN)
        assert listing(inbox) == [locked.name, other.name]
    finally:
        locked.chmod(0o644)


def test_target_path_is_a_folder(tmp_path, capsys):
    inbox = tmp_path / "收文"
    src = write_department(inbox, TRADE_UNION, file="1_总工会.xlsx")
    other = write_department(inbox, OVER_PLAN, file="2_采购超计划.xlsx")
    out = tmp_path / "结果"
    (out / src.name).mkdir(parents=True)  # something already sits where the result would go
    (out / src.name / "别动.txt").write_text("keep")

    assert recalc(inbox, "-o", out, "-j", "1") == 1

    captured = capsys.readouterr()
    assert f"失败  {src}：目标是一个文件夹，无法写入：{out / src.name}" in captured.err
    assert (out / src.name / "别动.txt").read_text() == "keep"
    assert last_line(captured.out) == done_line(2, 1, 1)
    assert_scored_as(out / other.name, OVER_PLAN)


def test_read_only_output_folder(tmp_path, capsys):
    src = write_department(tmp_path / "收文", TRADE_UNION)
    out = tmp_path / "结果"
    out.mkdir()
    out.chmod(0o555)
    try:
        probe = out / "probe"
        try:
            probe.write_bytes(b"")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("running as root: chmod cannot make a folder read-only for root; "
                        "read-only targets are covered by test_read_only_file_in_place and test_target_path_is_a_folder")
        assert recalc(src, "-o", out, "-j", "1") == 1
        captured = capsys.readouterr()
        assert f"失败  {src}：没有权限在此文件夹中写入文件：{out}" in captured.err
        assert listing(out) == []
    finally:
        out.chmod(0o755)


# -- large batches ------------------------------------------------------------------


def test_parallel_pool_gives_the_same_results_as_one_process(tmp_path, capsys, monkeypatch):
    pools = []

    class SpyPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs.get("max_workers", args[0] if args else None))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", SpyPool)  # batch imports it when a pool is needed
    inbox = tmp_path / "收文"
    files = {}
    for copy in (1, 2):  # 8 files: the pool is used from batch.POOL_THRESHOLD = 8 on
        for dept in DEPARTMENTS:
            files[write_department(inbox, dept, file=f"{copy}_{dept.file}").name] = dept
    assert len(files) >= batch.POOL_THRESHOLD

    assert recalc(inbox, "-o", tmp_path / "单进程", "-j", "1", "--summary", tmp_path / "单进程.csv") == 0
    assert pools == []
    assert recalc(inbox, "-o", tmp_path / "两进程", "-j", "2", "--summary", tmp_path / "两进程.csv") == 0
    assert pools == [2]

    captured = capsys.readouterr()
    assert captured.out.count(done_line(8, 8, 0)) == 2
    assert snapshot(tmp_path / "单进程") == snapshot(tmp_path / "两进程")  # byte-identical results
    one = pd.read_csv(tmp_path / "单进程.csv", encoding="utf-8-sig")
    two = pd.read_csv(tmp_path / "两进程.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(one, two)
    for name, dept in files.items():
        assert cached(tmp_path / "两进程" / name, TOTAL_CELL) == [pytest.approx(dept.total, abs=1e-9)]


def test_progress_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = batch.Progress(20, stream=screen)
    for i in range(20):
        progress(batch.Outcome(f"{i}.xlsx", ok=i != 7, message="坏" if i == 7 else ""))
    assert screen.getvalue().endswith("已处理 20/20，失败 1\n")
    assert (progress.done, progress.failed) == (20, 1)

    quiet = Terminal()
    small = batch.Progress(3, stream=quiet)  # a short batch needs no progress bar
    for i in range(3):
        small(batch.Outcome(f"{i}.xlsx"))
    assert quiet.getvalue() == ""


def test_a_workbook_past_the_time_budget_keeps_what_it_did_not_compute(tmp_path, capsys, monkeypatch):
    """Bounded work: reading, calculating and writing one workbook stay within the budget;
    past it the cells not yet computed keep their stored values, listed with the reason,
    and the file is still written whole."""
    monkeypatch.setattr(batch, "FILE_SECONDS", batch.WRITE_SECONDS)  # nothing left to calculate with
    src = write_department(tmp_path / "收文", TRADE_UNION)
    out = tmp_path / "结果"
    assert recalc(src, "-o", out, "-j", "1") == 0
    text = capsys.readouterr().out
    assert "处未重算，保留原值）" in text and "计算超过 0 秒" in text
    assert package.WorkbookPackage.open(out / src.name).cells  # a whole, readable workbook


def test_outcomes_from_workers_share_their_summary_column_names(tmp_path):
    # a batch keeps every outcome: unpickled, their rows are equal and share the key strings
    import pickle

    inbox = tmp_path / "收文"
    for dept in DEPARTMENTS[:2]:
        write_department(inbox, dept)
    sources, _ = batch.expand_paths([str(inbox)])
    jobs, _ = batch.plan_jobs(sources, None, in_place=False, write=False)
    first, second = (batch.process(job) for job in jobs)
    a, b = pickle.loads(pickle.dumps(first)), pickle.loads(pickle.dumps(second))
    assert a == first and b == second and a.row == first.row
    shared = [ka for ka, kb in zip(a.row, b.row) if ka == kb]
    assert len(shared) > 20 and all(ka is kb for ka, kb in zip(a.row, b.row) if ka == kb)
