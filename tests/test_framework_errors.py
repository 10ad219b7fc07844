"""Someone edits a definition file and gets it wrong: the message must say which file,
which indicator and what is wrong (in Chinese, with the English key where useful)."""
from pathlib import Path

import pytest

from workbook import FrameworkError, build_template, load_framework
from workbook.framework import FRAMEWORKS_DIR

MINI = '''
[framework]
id = "mini"
title = "迷你框架"

[[level1]]
key = "decision"
name = "部门决策"
points = 100

[[level2]]
key = "budgeting"
parent = "decision"
name = "预算编制"
points = 100

[[indicator]]
key = "procurement"
parent = "budgeting"
name = "政府采购执行情况"
points = 60
description = "说明"
criteria = "标准"
score = "SCORE_PROCUREMENT({procurement_actual}, {procurement_planned})"

[[indicator.input]]
key = "procurement_actual"
label = "实际采购金额"
kind = "amount"
help = "元"

[[indicator.input]]
key = "procurement_planned"
label = "采购计划金额"
kind = "amount"
help = "元"

[[indicator]]
key = "system"
parent = "budgeting"
name = "管理制度健全性"
points = 40
description = "说明"
criteria = "标准"
score = "SCORE_CHECKLIST({system_items}, {system_items:points})"

[[indicator.input]]
key = "system_items"
label = "评分项"
kind = "flag"
help = "是/否"
items = [{ label = "制度健全", points = 10 }, { label = "有效执行", points = 30 }]
'''


def write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path) -> str:
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    return str(err.value)


def test_the_minimal_definition_is_valid(tmp_path):
    fw = load_framework(write(tmp_path, MINI, "mini.toml"))
    assert [i.name for i in fw.indicators] == ["政府采购执行情况", "管理制度健全性"]
    build_template(fw, tmp_path / "mini.xlsx")


def test_children_points_must_add_up_to_the_parent(tmp_path):
    path = write(tmp_path, MINI.replace("points = 60", "points = 50"))
    msg = error_of(path)
    assert str(path) in msg
    assert "二级指标「预算编制」(budgeting)" in msg
    assert "三级指标分值合计 90 不等于二级指标分值 100" in msg


def test_first_level_points_must_total_100(tmp_path):
    text = MINI.replace('name = "部门决策"\npoints = 100', 'name = "部门决策"\npoints = 90').replace(
        'name = "预算编制"\npoints = 100', 'name = "预算编制"\npoints = 90'
    ).replace("points = 60", "points = 50")
    msg = error_of(write(tmp_path, text))
    assert "broken.toml" in msg and "一级指标分值合计为 90，应为100" in msg


def test_a_realistic_slip_in_the_shipped_framework(tmp_path):
    text = (FRAMEWORKS_DIR / "longgang_2020.toml").read_text(encoding="utf-8")
    text = text.replace('name = "项目完成及时性"\npoints = 6', 'name = "项目完成及时性"\npoints = 5')
    msg = error_of(write(tmp_path, text, "longgang_edit.toml"))
    assert "longgang_edit.toml" in msg
    assert "二级指标「效率性」(efficiency)" in msg
    assert "预算执行率 6 + 重点工作完成情况 8 + 项目完成及时性 5" in msg


def test_unknown_function(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("SCORE_PROCUREMENT(", "SCORE_PROCURMENT(")))
    assert "broken.toml" in msg
    assert "指标「政府采购执行情况」(procurement)" in msg
    assert "SCORE_PROCURMENT" in msg and "unknown function" in msg


def test_unknown_input_key(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("{procurement_planned})", "{procurement_plan})")))
    assert "broken.toml" in msg and "指标「政府采购执行情况」(procurement)" in msg
    assert "{procurement_plan}" in msg and "unknown input key" in msg


def test_missing_field(tmp_path):
    text = MINI.replace('criteria = "标准"\nscore = "SCORE_CHECKLIST', 'score = "SCORE_CHECKLIST')
    msg = error_of(write(tmp_path, text))
    assert "broken.toml" in msg and "指标「管理制度健全性」(system)" in msg
    assert "缺少必填字段 criteria" in msg and "missing field 'criteria'" in msg


def test_invalid_input_kind(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace('kind = "amount"\nhelp = "元"\n\n[[indicator.input]]', 'kind = "money"\nhelp = "元"\n\n[[indicator.input]]', 1)))
    assert "指标「政府采购执行情况」(procurement)" in msg and 'kind = "money" 无效' in msg and "amount" in msg


def test_duplicate_input_key(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace('key = "system_items"', 'key = "procurement_actual"').replace("{system_items", "{procurement_actual")))
    assert "指标「管理制度健全性」(system)" in msg and "procurement_actual 重复" in msg


def test_declared_input_not_used(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("SCORE_PROCUREMENT({procurement_actual}, {procurement_planned})", "SCORE_PROCUREMENT({procurement_actual}, 100)")))
    assert "指标「政府采购执行情况」(procurement)" in msg and "procurement_planned 未被 score 公式使用" in msg


def test_checklist_item_points_must_add_up(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("points = 30 }", "points = 20 }")))
    assert "指标「管理制度健全性」(system)" in msg and "评分项分值合计 30 不等于指标分值 40" in msg


def test_a_name_excel_would_confuse_with_a_function_or_a_cell(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("procurement_actual", "score_ratio")))
    assert "score_ratio" in msg and "SCORE_RATIO" in msg
    msg = error_of(write(tmp_path, MINI.replace("procurement_actual", "abc1")))
    assert "abc1" in msg and "单元格引用" in msg


@pytest.mark.parametrize(
    "new_key,owner",
    [
        ("system_remedy", "指标「管理制度健全性」(system)"),  # another indicator's 整改情况 cell
        ("procurement_remedy", "指标「政府采购执行情况」(procurement)"),  # its own
        ("system_score", "指标「管理制度健全性」(system)"),  # another indicator's score cell
        ("procurement_score", "指标「政府采购执行情况」(procurement)"),  # its own
    ],
)
def test_an_input_may_not_take_a_name_the_template_generates(tmp_path, new_key, owner):
    text = MINI.replace("procurement_planned", new_key)
    msg = error_of(write(tmp_path, text))
    assert "broken.toml" in msg and "指标「政府采购执行情况」(procurement) 输入项 " + new_key in msg
    assert f"输入项名称 {new_key} 与模板自动生成的名称冲突" in msg and owner in msg
    assert ("整改情况及措施" if new_key.endswith("_remedy") else "得分单元格") in msg
    assert "collides with a name the template generates" in msg


def test_unparsable_formula(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace("SCORE_PROCUREMENT({procurement_actual}, {procurement_planned})", "SCORE_PROCUREMENT({procurement_actual}, MIN({procurement_planned}, 1))")))
    assert "指标「政府采购执行情况」(procurement)" in msg and "无法解析" in msg


def test_toml_syntax_error_names_the_file(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace('name = "部门决策"', 'name = "部门决策')))
    assert "broken.toml" in msg and "TOML" in msg


def test_unknown_field_is_a_typo(tmp_path):
    msg = error_of(write(tmp_path, MINI.replace('criteria = "标准"\nscore = "SCORE_PROC', 'criteria = "标准"\nscor = "x"\nscore = "SCORE_PROC')))
    assert "指标「政府采购执行情况」(procurement)" in msg and "未知字段 scor" in msg


def test_extends_errors_name_the_variant_file(tmp_path):
    write(tmp_path, MINI, "mini.toml")
    bad = write(tmp_path, 'extends = "mini.toml"\n[framework]\nid = "v"\ntitle = "变体"\n[[indicator]]\nkey = "procurement"\npoints = 70\n', "variant.toml")
    msg = error_of(bad)
    assert "variant.toml" in msg and "二级指标「预算编制」(budgeting)" in msg and "110" in msg
    missing = write(tmp_path, 'extends = "nowhere"\n[framework]\ntitle = "变体"\n', "orphan.toml")
    msg = error_of(missing)
    assert "orphan.toml" in msg and 'extends = "nowhere"' in msg
    loop = write(tmp_path, 'extends = "loop.toml"\n[framework]\ntitle = "循环"\n', "loop.toml")
    assert "circular extends" in error_of(loop)


def test_extends_override_semantics(tmp_path):
    write(tmp_path, MINI, "mini.toml")
    text = '''
extends = "mini.toml"
[framework]
id = "v"
title = "变体"

[[indicator]]
key = "procurement"
points = 70
score = "SCORE_RATIO({procurement_actual}, {procurement_planned}, {points})"

[[indicator]]
key = "system"
points = 30

  [[indicator.input]]
  key = "system_items"
  items = [{ label = "制度健全", points = 10 }, { label = "有效执行", points = 20 }]
'''
    fw = load_framework(write(tmp_path, text, "v.toml"))
    proc = fw.indicator("procurement")
    assert proc.description == "说明" and fw.score_formula(proc) == "SCORE_RATIO(procurement_actual,procurement_planned,70)"
    assert fw.note_formula(proc) == "SCORE_RATIO_NOTE(procurement_actual,procurement_planned,70)"
    assert fw.input("system_items").label == "评分项"
    assert [int(p) for p in fw.input("system_items").item_points()] == [10, 20]
    removed = text.replace('points = 70\nscore', 'points = 100\nscore').replace('key = "system"\npoints = 30', 'key = "system"\nremove = true')
    removed = removed[: removed.index("  [[indicator.input]]")]
    fw2 = load_framework(write(tmp_path, removed, "v2.toml"))
    assert [i.key for i in fw2.indicators] == ["procurement"]


# ---------------------------------------------------------------- a parsed file kept beside it


def _kept(path: Path) -> Path:
    from workbook.loading import _kept_path

    return _kept_path(path)


def test_a_framework_is_parsed_once_and_read_again_when_it_changes(tmp_path, monkeypatch):
    import sys

    import workbook.loading as loading

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = write(tmp_path, MINI, "mini.toml")
    first = load_framework(path)
    assert _kept(path).exists()
    parses = []
    real = loading._kept_parse
    monkeypatch.setattr(loading, "_kept_parse", lambda *a: parses.append(real(*a)) or parses[-1])
    loading._LOADED.clear()
    again = load_framework(path)
    assert parses and parses[-1] is not None  # from the kept parse
    assert [(i.name, i.points) for i in again.indicators] == [(i.name, i.points) for i in first.indicators]
    # an edit (same size, so the stamp alone could miss it: the kept copy goes by the bytes)
    path.write_text(MINI.replace("制度健全", "制度完善"), encoding="utf-8")
    loading._LOADED.clear()
    edited = load_framework(path)
    assert parses[-1] is None  # parsed afresh
    assert any("制度完善" in str(i) for i in edited.indicators)


def test_a_damaged_or_unwritable_kept_parse_is_never_an_error(tmp_path, monkeypatch):
    import sys

    import workbook.loading as loading

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = write(tmp_path, MINI, "mini.toml")
    load_framework(path)
    kept = _kept(path)
    kept.write_bytes(kept.read_bytes()[:-7])  # cut short
    loading._LOADED.clear()
    assert [i.name for i in load_framework(path).indicators] == ["政府采购执行情况", "管理制度健全性"]
    kept.write_bytes(b"garbage")
    loading._LOADED.clear()
    assert load_framework(path).indicators
    # where nothing can be written (the folder is a file), the framework still loads
    other = tmp_path / "ro"
    other.mkdir()
    path2 = write(other, MINI, "mini.toml")
    (other / "__pycache__").write_text("not a folder", encoding="utf-8")
    assert load_framework(path2).indicators and not _kept(path2).exists()


def test_nothing_is_kept_where_bytecode_is_not_written(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = write(tmp_path, MINI, "mini.toml")
    assert load_framework(path).indicators
    assert not _kept(path).exists()


def test_a_one_workbook_run_finds_the_shipped_framework_parsed(tmp_path):
    # what scripts/setup keeps: the shipped definitions load without tomllib
    import subprocess
    import sys

    from workbook.loading import keep_shipped_parses

    assert keep_shipped_parses() >= 2
    probe = ("import sys\nfrom workbook import load_framework\nfw = load_framework('longgang_2020')\n"
             "print(len(fw.indicators), 'tomllib' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["21", "False"]  # the seed's 21 third-level indicators


def test_a_parse_marshal_cannot_hold_is_simply_not_kept(tmp_path):
    import datetime as dt

    from workbook.loading import _kept_parse, keep_parse

    path = write(tmp_path, "d = 2024-01-15\n", "dates.toml")
    keep_parse(path, b"d = 2024-01-15\n", {"d": dt.date(2024, 1, 15)})  # TOML dates: not marshal's
    assert not _kept(path).exists() and _kept_parse(path, b"d = 2024-01-15\n") is None
