"""Department workbooks for the batch tests (tests/test_batch_*.py), and what they must score.

Each department is the seed example (深圳市龙岗区总工会 2020, workbook/examples/
longgang_2020_seed.toml) with a few inputs changed. The expected scores are derived BY
HAND from the rule text of workbook/frameworks/longgang_2020.toml (quoted in the comments),
never copied from program output. Workbooks are built once per test session
(workbook.build_template / build_workbook) and copied as bytes.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Callable, Optional

import openpyxl

from package_builders import read_parts
from workbook import build_template, build_workbook, load_example

SEED = load_example("longgang_2020_seed")
FRAMEWORK = SEED["framework"]
YEAR = 2020

# The seed's published scores (the framework table at the end of the seed report), one
# per 三级指标 in table order; 财务合规性's blank cell is 3 (部门管理 19.98 implies full marks).
SEED_SCORES = {
    "预算编制合理性": 5,  # 5 items 是 × 1 分
    "预算编制规范性": 5,  # 0 不符合项
    "绩效目标完整性": 8,  # 0 issues
    "绩效指标明确性": 7,  # 2 + 2 + 1 + 1 + 1, all 是
    "政府采购执行情况": 1.98,  # 14,750/15,000 = 98.33% × 1 → 0.98 (truncated), + 政策 1
    "财务合规性": 3,
    "预决算信息公开": 3,  # 1.5 + 1.5, both 按规定公开
    "项目实施程序": 2,
    "项目监管": 2,
    "资产管理安全性": 2,
    "固定资产利用率": 1,  # 100% ≥ 90%
    "财政供养人员控制率": 1,  # 9/13 ≤ 100%
    "编外人员控制率": 1,  # 0/(9+0) < 5%
    "管理制度健全性": 3,  # 0.5 + 1.5 + 1
    "公用经费控制率": 5,  # 三公 48,000/61,000 = 78.7% < 90% → 3; 日常 99.91% → 2
    "预算执行率": 5.99,  # published: Q1–Q3 1 each, Q4 99.85% → 0.99, year 2
    "重点工作完成情况": 8,
    "项目完成及时性": 6,  # 10/10 × 6
    "社会、经济、生态效益及可持续影响等": 20,
    "群众信访办理情况": 3,
    "公众或服务对象满意度": 6,  # 96% ≥ 95%
}
SEED_SUBTOTALS = {
    "预算编制（小计）": 10, "目标设置（小计）": 15, "部门决策（小计）": 25,
    # 资金管理 = 1.98 + 3 + 3 = 7.98; 部门管理 = 7.98 + 4 + 3 + 2 + 3 = 19.98
    "资金管理（小计）": 7.98, "项目管理（小计）": 4, "资产管理（小计）": 3, "人员管理（小计）": 2,
    "制度管理（小计）": 3, "部门管理（小计）": 19.98,
    # 效率性 = 5.99 + 8 + 6 = 19.99; 部门绩效 = 5 + 19.99 + 20 + 9 = 53.99
    "经济性（小计）": 5, "效率性（小计）": 19.99, "效果性（小计）": 20, "公平性（小计）": 9,
    "部门绩效（小计）": 53.99,
}


@dataclass(frozen=True)
class Department:
    file: str
    name: str
    changes: dict
    total: float
    grade: str
    #: indicator / subtotal label → hand-derived score, where it differs from the seed
    differs: dict = field(default_factory=dict)

    def scores(self) -> dict:
        """Every indicator and subtotal label → expected score."""
        return {**SEED_SCORES, **SEED_SUBTOTALS, **self.differs}


# 总工会: the seed itself. 25 + 19.98 + 53.99 = 98.97 → 优 (≥ 90).
TRADE_UNION = Department("总工会.xlsx", "深圳市龙岗区总工会", {}, 98.97, "优")

# 采购超计划: 政府采购 actual 16,000 > planned 15,000. Rule: “如实际采购金额大于采购计划金额，
# 本项得0分” → the execution part is 0; 政策功能落实 是 → 1; 政府采购 = 1.
# 资金管理 = 1 + 3 + 3 = 7; 部门管理 = 7 + 4 + 3 + 2 + 3 = 19; total = 25 + 19 + 53.99 = 97.99 → 优.
OVER_PLAN = Department(
    "采购超计划.xlsx", "深圳市龙岗区某局", {"procurement_actual": 16000}, 97.99, "优",
    {"政府采购执行情况": 1, "资金管理（小计）": 7, "部门管理（小计）": 19},
)

# 良: 2 重点工作 unfinished — “一项重点工作没有完成扣4分，扣完为止” → 8 − 2×4 = 0;
# 7 of 10 projects on time — “已完成项目数/计划完成项目总数×6分” → 7/10 × 6 = 4.2;
# 满意度 85% — “80%≤满意度<90%的,得2分” → 2.
# 效率性 = 5.99 + 0 + 4.2 = 10.19; 公平性 = 3 + 2 = 5; 部门绩效 = 5 + 10.19 + 20 + 5 = 40.19;
# total = 25 + 19.98 + 40.19 = 85.17 → 良 (80 ≤ 85.17 < 90).
GOOD = Department(
    "街道办.xlsx", "深圳市龙岗区某街道办事处",
    {"key_tasks_unfinished": 2, "projects_completed": 7, "satisfaction_rate": 0.85}, 85.17, "良",
    {
        "重点工作完成情况": 0, "项目完成及时性": 4.2, "公众或服务对象满意度": 2,
        "效率性（小计）": 10.19, "公平性（小计）": 5, "部门绩效（小计）": 40.19,
    },
)

# 中:
#  预算编制合理性: items 2 and 4 否 → 5 − 1 − 1 = 3;
#  绩效目标完整性: 3 issues — “一项扣1分” → 8 − 3 = 5;
#  财政供养人员控制率: 14/13 = 107.7% — “>100%的，得0分” → 0;
#  编外人员控制率: 1/(14+1) = 6.67% — “5%≤比率≤10%的，得0.5分” → 0.5;
#  公用经费控制率: 三公 70,000/61,000 = 114.75% — “>100%的，得0分” → 0; 日常 unchanged 2 → 2;
#  重点工作完成情况: 3 unfinished → 8 − 12, “扣完为止” → 0;
#  满意度 70% — “满意度<80%的,得1分” → 1.
#  预算编制 = 3 + 5 = 8; 目标设置 = 5 + 7 = 12; 部门决策 = 20;
#  人员管理 = 0 + 0.5 = 0.5; 部门管理 = 7.98 + 4 + 3 + 0.5 + 3 = 18.48;
#  经济性 = 2; 效率性 = 5.99 + 0 + 6 = 11.99; 公平性 = 3 + 1 = 4; 部门绩效 = 2 + 11.99 + 20 + 4 = 37.99;
#  total = 20 + 18.48 + 37.99 = 76.47 → 中 (60 ≤ 76.47 < 80).
FAIR = Department(
    "区属单位.xlsx", "深圳市龙岗区某事业单位",
    {
        "budget_rationality_items": ["是", "否", "是", "否", "是"],
        "target_issues": 3,
        "staff_in_post": 14, "staff_established": 14, "contract_staff_count": 1,
        "sangong_actual": 70000,
        "key_tasks_unfinished": 3,
        "satisfaction_rate": 0.70,
    },
    76.47, "中",
    {
        "预算编制合理性": 3, "绩效目标完整性": 5, "财政供养人员控制率": 0, "编外人员控制率": 0.5,
        "公用经费控制率": 2, "重点工作完成情况": 0, "公众或服务对象满意度": 1,
        "预算编制（小计）": 8, "目标设置（小计）": 12, "部门决策（小计）": 20,
        "人员管理（小计）": 0.5, "部门管理（小计）": 18.48,
        "经济性（小计）": 2, "效率性（小计）": 11.99, "公平性（小计）": 4, "部门绩效（小计）": 37.99,
    },
)

DEPARTMENTS = (TRADE_UNION, OVER_PLAN, GOOD, FAIR)

# Where the template puts things (workbook/builder.py; also the defined names dept_name,
# procurement_score, total_score, grade): 评分表 B2 部门名称, I11 政府采购执行情况, I28 总得分, I29 评价等级.
SCORE_SHEET = "评分表"
NAME_CELL, PROCUREMENT_CELL, TOTAL_CELL, GRADE_CELL = "B2", "I11", "I28", "I29"
SCORE_SHEET_PART = "xl/worksheets/sheet1.xml"


def _values(changes: dict) -> dict:
    return {**SEED["values"], **changes}


def _header(name: str, year: int = YEAR) -> dict:
    return {"name": name, "year": year, "preparer": "测试"}


@lru_cache(maxsize=None)
def _built_bytes(changes_key: tuple, name: str, year: int = YEAR) -> bytes:
    changes = {k: list(v) if isinstance(v, tuple) else v for k, v in changes_key}
    with TemporaryDirectory() as tmp:
        path = build_template(FRAMEWORK, Path(tmp) / "x.xlsx", _values(changes), _header(name, year))
        return path.read_bytes()


def _key(changes: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in changes.items()))


def write_department(folder: Path, dept: Department, file: Optional[str] = None, name: Optional[str] = None,
                     year: int = YEAR) -> Path:
    """The department's freshly built workbook (formulas, no cached values) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file or dept.file)
    path.write_bytes(_built_bytes(_key(dept.changes), name or dept.name, year))
    return path


def write_edited(folder: Path, file: str, edit: Callable, dept: Department = TRADE_UNION) -> Path:
    """A department workbook edited with openpyxl before saving: ``edit(workbook)``."""
    folder.mkdir(parents=True, exist_ok=True)
    wb, _layout = build_workbook(FRAMEWORK, _values(dept.changes), _header(dept.name))
    edit(wb)
    path = folder / file
    wb.save(path)
    return path


def write_named(folder: Path, file: str, name: str) -> Path:
    """The seed workbook with 部门名称 typed as this text (kept as text even if it starts with “=”,
    as when typed in Excel after an apostrophe)."""

    def rename(wb):
        cell = wb[SCORE_SHEET][NAME_CELL]
        cell.value = name
        cell.data_type = "s"

    return write_edited(folder, file, rename)


def rezip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def set_cached_value(path: Path, ref: str, old: str, new: str, part: str = SCORE_SHEET_PART) -> None:
    """Replace the stored <v> of formula cell ``ref`` (which must read ``old``) by ``new``."""
    parts = read_parts(path)
    xml = parts[part].decode("utf-8")
    cell = re.compile(rf'(<c r="{ref}"[^>]*>.*?<v>){re.escape(old)}(</v>.*?</c>)', re.S)
    xml, n = cell.subn(rf"\g<1>{new}\g<2>", xml)
    assert n == 1, f"{ref} with cached value {old} not found"
    parts[part] = xml.encode("utf-8")
    rezip(path, parts)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def cached(path: Path, *refs: str, sheet: str = SCORE_SHEET) -> list:
    """Stored (cached) values, as Excel would show them before recalculating."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return [wb[sheet][ref].value for ref in refs]
    finally:
        wb.close()


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def done_line(total: int, done: int, failed: int, not_processed: int = 0) -> str:
    other = f"，未处理 {not_processed} 个（.xls/.et/.ods 等格式，请另存为 .xlsx 后再处理）" if not_processed else ""
    return f"共 {total} 个文件：完成 {done} 个，失败 {failed} 个{other}。"


GUARD_SECONDS = 120  # a guard against a hang (a pipe read by mistake), not a speed measurement


def run_cli(*args) -> subprocess.CompletedProcess:
    """``xladdin`` in a child process, so that a regression that blocks fails instead of hanging the suite."""
    code = "import sys; from xladdin.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", timeout=GUARD_SECONDS,
    )
