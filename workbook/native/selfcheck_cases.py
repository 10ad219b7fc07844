"""The self-check's case catalogue: a few hundred inputs per which the native formulas must
give the catalogue functions' scores and notes, chosen to matter.

Every case is deterministic (fixed lists and a seeded generator). The ideas are the native
tests' (tests/test_native_entries_*.py), compacted: amounts one 分 below, at and above each
ratio or tier threshold, amounts up to 100亿元, float traps (quotients binary floating point
puts just below a multiple of 0.01), amounts typed as text ("14,750", "１４，７５０", "1.5万元"),
rates typed as "95%", 是/否 and their variants, 不涉及 and its contradictions, blanks, wrong
text and error cells (=1/0, =NA()).

Raw cell contents: None (a blank cell), numbers, text, or one of :data:`ERROR_FORMULAS`
(a cell holding an error value). No booleans: LibreOffice has no logical cells (a TRUE
typed there is the number 1), so a TRUE cell would not be the same input everywhere.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any, Iterable, Sequence

#: A cell holding an error value: its formula → the error literal Excel hands a function.
ERROR_FORMULAS = {"=1/0": "#DIV/0!", "=NA()": "#N/A"}


@dataclass(frozen=True)
class Cell:
    """A single-cell reference argument."""


@dataclass(frozen=True)
class Range:
    """A reference to ``size`` cells of the case's row."""

    size: int


@dataclass(frozen=True)
class Const:
    """A constant argument as a framework writes it (Fraction, text, or a list of rows)."""

    value: Any


@dataclass(frozen=True)
class Omitted:
    """An argument left out: a trailing one is not written, one before others is empty (``F(a,,c)``)."""


@dataclass(frozen=True)
class Case:
    """One call: the function, its argument specs, the raw contents of its input cells (one
    per Cell, a tuple per Range, in order) and what the case probes (Chinese, short)."""

    function: str
    specs: tuple
    raw: tuple
    topic: str


#: Short Chinese names of each function's parameters, as the descriptions show them.
LABELS = {
    "SCORE_CHECKLIST": ("各项", "各项分值"),
    "SCORE_DEDUCT": ("满分", "扣分项数", "每项扣分"),
    "SCORE_RATIO": ("分子", "分母", "满分", "超过得0分"),
    "SCORE_TIERS": ("指标值", "分档标准", "各档得分", "其他得分"),
    "SCORE_GRADE": ("总得分",),
    "SCORE_PROCUREMENT": ("实际采购金额", "采购计划金额", "政策功能落实"),
    "SCORE_FIN_COMPLIANCE": ("支出规范", "调整调剂金额", "预算总规模", "核算规范", "违规"),
    "SCORE_DISCLOSURE": ("预算公开", "决算公开", "涉密"),
    "SCORE_ASSET_UTILIZATION": ("在用资产", "全部资产"),
    "SCORE_STAFF_CONTROL": ("在编人数", "核定编制数", "满分", "每超1个百分点扣分"),
    "SCORE_CONTRACT_STAFF": ("编外人数", "在编人数"),
    "SCORE_PUBLIC_FUNDS": ("三公实际", "三公预算", "日常实际", "日常预算"),
    "SCORE_COST_CONTROL": ("实际支出", "预算安排", "满分"),
    "SCORE_QUARTERLY": ("四个季度支出", "全年预算", "是否累计数"),
    "SCORE_TARGETS": ("实际值", "目标值", "权重", "满分", "方向"),
    "SCORE_PETITIONS": ("有无渠道", "受理件数", "回复件数", "按期回复件数"),
    "SCORE_SATISFACTION": ("满意度",),
}

BOUNDARY = "边界前后一分"
FLOAT_TRAP = "浮点陷阱"
TYPED = "输入方式"
NOT_APPLICABLE = "不涉及"
WRONG = "错误输入"
SCALE = "大金额"
MIXED = "综合"

#: 100亿元, the largest amount a department's budget reaches.
TEN_BILLION = 10_000_000_000


def _around(wholes: Iterable, shares: Iterable) -> list[tuple]:
    """(part, whole): one 分 below, at and above share × whole of each whole (amounts in 元)."""
    pairs = []
    for whole in wholes:
        for share in shares:
            at = F(round(whole * 100)) * share
            for step in (-1, 0, 1):
                cents = int(at) + step
                if cents >= 0:
                    pairs.append((cents / 100, whole))
    return pairs


def _columns(rows: list[tuple], size: int) -> tuple:
    """Rows of (actual, target[, weight[, direction]]) → the four ranges' contents, padded with blank rows."""
    full = [tuple(row) + (None,) * (4 - len(row)) for row in rows] + [(None,) * 4] * (size - len(rows))
    return tuple(tuple(column) for column in zip(*full))


def _cases(function: str, specs: Sequence, topic: str, raws: Iterable) -> list[Case]:
    return [Case(function, tuple(specs), tuple(raw), topic) for raw in raws]


#: Quotients that binary floating point puts just below a multiple of 0.01.
FLOAT_TRAPS = [(29, 100), (57, 100), (58, 100), (98999999.99, 100000000), (14750, 15000), (0.29, 1), (1.15, 2)]
AMOUNT_TEXTS = ["14,750", "１４，７５０", "1.48万", "1.5万元", "15000.00元", "2亿元", "40,551,421.71"]
WRONG_AMOUNTS = [None, "", " ", "abc", "1,00", "50%", -5, "=1/0", "=NA()", "一千万"]
YES_NO = ["是", "否", "√", "×", "有", "无", " 是 ", "符合", "不符合", 1, 0, 0.5, 0.29, 0.555]


def _general(rng: random.Random) -> list[Case]:
    five, six = Const(F(5)), Const(F(6))
    typed = [None, "", "  ", 0, 1, 2, 0.5, 1.5, -1, 3, "是", "否", "√", "×", "不涉及", "abc", "1,000", "１２", "12.5",
             "50%", "1.48万", "=1/0", "=NA()", " 1\n"]
    cases = _cases("SCORE_DEDUCT", [five, Cell()], MIXED, [(v,) for v in [0, 1, 2, 4, 5, 6, 7, None, "", "3", "３", "1.5", -1, "abc",
                                                                          "=1/0", "=NA()", "不涉及"]])
    cases += _cases("SCORE_DEDUCT", [Const(F(8)), Cell(), Const(F(4))], "每项扣4分", [(v,) for v in (0, 1, 2, 3, "2")])
    points = Const([[F(2), F(1), F("0.5")]])
    checklist = [("是", "是", "是"), ("否", "是", "是"), ("是", "否", "否"), ("√", "×", "√"), (0.5, 1, 0), (0.555, 0.29, 0.5),
                 (1.5, "是", "是"), (None, "是", "是"), ("是", "不涉及", "是"), ("是", "=1/0", "是"), ("有", "无", "符合"),
                 (" 是 ", "TRUE", "false"), ("是", "也许", "是"), ("1", "0", "0.5")]
    cases += _cases("SCORE_CHECKLIST", [Range(3), points], "分值2、1、0.5", [(items,) for items in checklist])
    cases += _cases("SCORE_CHECKLIST", [Range(3), Omitted()], "每项1分", [(tuple(rng.choice(YES_NO + typed) for _ in range(3)),) for _ in range(8)])
    grades = [90, 89.99, 80, 79.99, 60, 59.99, 98.97, 0, 100, 1234.5, None, "", "90", "８９．９９", "abc", -1, "=1/0", "=NA()", "不涉及"]
    cases += _cases("SCORE_GRADE", [Cell()], "等级边界", [(v,) for v in grades])
    ratios = [(29, 100), (1, 3), (2, 3), (99, 100), (9999, 10000), (10, 10), (11, 10), (0, 5), (5, 0), (0, 0),
              ("不涉及", "不涉及"), ("不涉及", None), ("不涉及", 5), (None, 10), (7, None), ("7", "１０"), ("abc", 10), (7, "=1/0"),
              ("=NA()", 10), (-1, 10), (7.5, 10), (98999999.99, 100000000)]
    cases += _cases("SCORE_RATIO", [Cell(), Cell(), six], MIXED, ratios)
    cases += _cases("SCORE_RATIO", [Cell(), Cell(), six, Cell()], "超过得0分", [(11, 10, "是"), (11, 10, "否"), (11, 10, None), (9, 10, "是"),
                                                                             (11, 10, "x"), (11, 10, 0), ("不涉及", "不涉及", "是")])
    tiers = [0.9, 0.8999, 0.89999999, 0.8, 0.79999, 0.7, 0.69999999, 0.95, "95%", "89.99%", "70%", "0.9", 0, 1, 2, -0.5, None, "",
             "abc", "不涉及", "=1/0", "=NA()", "1,000", 1e-7]
    cases += _cases("SCORE_TIERS", [Cell(), Const([[F("0.9"), F("0.8"), F("0.7")]]), Const([[F(6), F(4), F(2)]]), Const(F(0))],
                    "分档0.9、0.8、0.7", [(v,) for v in tiers])
    cases += _cases("SCORE_TIERS", [Cell(), Const([[F(90), F(80)]]), Const([[F("5.555"), F(3)]]), Const(F("0.5"))], "分档90、80",
                    [(v,) for v in (90, 89.99, 80, 79.999999, 1234567.89, "90")])
    cases += _cases("SCORE_TIERS", [Cell(), Const([[F("0.9"), F("0.8")]]), Const([[F(6), F(4)]]), Cell()], "其他得分在单元格",
                    [(0.5, 1), (0.5, None), (0.5, "x"), (0.95, -1), (0.5, "=1/0")])
    return cases


def _money(rng: random.Random) -> list[Case]:
    three = [Cell(), Cell(), Cell()]
    wholes = [15000, TEN_BILLION, 40588517]
    cases = _cases("SCORE_PROCUREMENT", three, BOUNDARY, [(a, b, None) for a, b in _around(wholes, [F(29, 100), F(98, 100), F(1)])])
    cases += _cases("SCORE_PROCUREMENT", three, FLOAT_TRAP, [(a, b, "是") for a, b in FLOAT_TRAPS])
    typed = [(t, 15000, "是") for t in AMOUNT_TEXTS[:5]] + [("１４，７５０", "１５，０００", "是"), (14750, "1.5万元", "否")]
    cases += _cases("SCORE_PROCUREMENT", three, TYPED, typed)
    cases += _cases("SCORE_PROCUREMENT", three, NOT_APPLICABLE, [("不涉及", "不涉及", None), ("不涉及", None, "否"), (None, "无此项", None),
                                                                ("不涉及", 5, None), (5, "不适用", "是")])
    cases += _cases("SCORE_PROCUREMENT", three, WRONG, [(w, 15000, "是") for w in WRONG_AMOUNTS] + [(0, 0, None), (1, 0, None), (16000, 15000, "是")])
    cases += _cases("SCORE_PROCUREMENT", three, "政策功能落实", [(14750, 15000, p) for p in ["否", 0.5, 0.29, 0, 1.5, "×", "不涉及", "也许", "=1/0", "0.555"]])
    cases += _cases("SCORE_PROCUREMENT", [Cell(), Cell()], "省略政策功能", [(14750, 15000), (15000, 15000), ("不涉及", "不涉及")])

    assets = _around([15000, TEN_BILLION], [F(9, 10), F(3, 4), F(3, 5)]) + FLOAT_TRAPS[:4]
    cases += _cases("SCORE_ASSET_UTILIZATION", [Cell(), Cell()], BOUNDARY, assets)
    cases += _cases("SCORE_ASSET_UTILIZATION", [Cell(), Cell()], MIXED, [("1.48万", "1.5万元"), ("14,750", 15000), ("不涉及", "不涉及"), (5, "不涉及"),
                                                                        (0, 0), (6, 5), (0, 5), (None, 5), ("abc", 5), ("=1/0", 5), (5, "=NA()")])

    five = [Cell()] * 5
    fin = [("是", a, b, "是", None) for a, b in _around([10000, TEN_BILLION * 10], [F(10, 100), F(12, 100), F(20, 100)])]
    fin += [("是", a, b, "是", "否") for a, b in FLOAT_TRAPS[:3]]
    fin += [("是", 1050, 10000, "是", None), ("否", 1050, 10000, "是", None), (0.5, 0, 10000, 0.29, None), ("是", 1200, 10000, "否", "是"),
            ("是", 0, 0, "是", None), ("是", "1.5万", "12万元", "是", None), ("是", 100, 10000, "是", "x"), ("x", 100, 10000, "是", None),
            ("是", None, 10000, "是", None), ("是", 100, "=1/0", "是", None), ("不涉及", 100, 10000, "是", None), ("是", -1, 10000, "是", 0),
            ("是", "14,750", "１４７，５００", "√", "否")]
    cases += _cases("SCORE_FIN_COMPLIANCE", five, BOUNDARY, fin[:-13])
    cases += _cases("SCORE_FIN_COMPLIANCE", five, MIXED, fin[-13:])
    cases += _cases("SCORE_FIN_COMPLIANCE", five, "随机", [(rng.choice(YES_NO[:6]), round(rng.uniform(0, 0.25) * b, 2), b, rng.choice(YES_NO[:6]), None)
                                                          for b in (rng.choice(wholes) for _ in range(6))])
    return cases


def _funds(rng: random.Random) -> list[Case]:
    two, four = [Cell(), Cell()], [Cell()] * 4
    pairs = _around([15000, TEN_BILLION, 0.03], [F(9, 10), F(1)])
    cases = _cases("SCORE_COST_CONTROL", two, BOUNDARY, pairs)
    cases += _cases("SCORE_COST_CONTROL", two, MIXED, [(0, 0), (1, 0), ("不涉及", "不涉及"), ("不涉及", None), ("不涉及", 5), ("14,750", "1.5万"),
                                                      (None, 5), (5, "=1/0"), ("abc", 5), (-5, 5)])
    cases += _cases("SCORE_COST_CONTROL", [Cell(), Cell(), Cell()], "满分在单元格", [(8, 10, f) for f in (None, 3, 2.5, 1.2345, "x", -1, "=NA()")])
    cases += _cases("SCORE_COST_CONTROL", [Cell(), Cell(), Const(F(6))], "满分6分", [(8, 10), (9, 10), (11, 10)])
    public = [(14750, 15000, 9, 10), (14750, 15000, 8.99, 10), ("不涉及", "不涉及", 1, 10), ("不涉及", None, 11, 10), (40551421.71, 40588517, 9, 10),
              (0, 0, 0, 0), (1, 0, 9, 10), ("不涉及", "不涉及", "不涉及", "不涉及"), (14750, 15000, None, 10), (14750, 15000, "=1/0", 10),
              ("1.48万", "1.5万元", "9,000", "１０，０００"), (13500, 15000, 9000, 10000), (13499.99, 15000, 8999.99, 10000)]
    cases += _cases("SCORE_PUBLIC_FUNDS", four, MIXED, public)
    cases += _cases("SCORE_PUBLIC_FUNDS", four, "随机", [(*rng.choice(pairs), *rng.choice(pairs)) for _ in range(14)])
    return cases


def _schedule(rng: random.Random) -> list[Case]:
    specs = [Range(4), Cell(), Cell()]

    def yuan(cents: int) -> float:
        return cents / 100

    cases = []
    for budget in (1_500_000, 100 * TEN_BILLION):  # in 分: 1.5万元 and 100亿元
        for share in (F(57, 100), F(99, 100), F(1)):
            for step in (-1, 0, 1):
                figures = [max(0, int(budget * share * i / 4) + step) for i in range(1, 5)]
                cases.append((tuple(yuan(c) for c in figures), yuan(budget), "是"))
    out = _cases("SCORE_QUARTERLY", specs, "序时进度前后一分", cases)
    year = []
    for budget in (1_500_000, 4_058_851_700):
        c1, c2 = int(budget * 0.3), int(budget * 0.45)
        c3 = int(budget * 0.7) // 3 * 3
        for step in (-1, 0, 1):
            c4 = (12 * budget - 12 * c1 - 6 * c2 - 4 * c3) // 3 + step
            year.append((tuple(yuan(c) for c in (c1, c2, c3, c4)), yuan(budget), "是"))
    out += _cases("SCORE_QUARTERLY", specs, "全年平均100%前后", year)
    warnings = [((100, 90, 95, 100), 100, "是"), ((40, 30, 30, 20), 100, None), ((25, 50, 75, 110), 100, "是"), ((25, 50, 75, 110.01), 100, "是"),
                ((20, 30, 25, 25), 100, "否"), ((0, 0, 0, 0), 100, None), ((1, 2, 3, 4), 0, None), ((14750, 0, 0, 0), "1.5万", None),
                (("3,750", "３７５０", "3750.00元", "0.375万"), 15000, "否"), ((3750, None, 3750, 3750), 15000, None),
                ((3750, "abc", 3750, 3750), 15000, None), ((3750, 3750, "=1/0", 3750), 15000, None), ((3750, 3750, 3750, 3750), None, None),
                ((3750, 3750, 3750, 3750), 15000, "x"), ((3750, 3750, 3750, 3750), 15000, "不涉及")]
    out += _cases("SCORE_QUARTERLY", specs, "提示与错误输入", warnings)
    out += _cases("SCORE_QUARTERLY", specs[:2], "省略是否累计数", [((3750, 3750, 3750, 3750), 15000), ((3000, 4000, 4000, 4000), 15000)])
    return out


def _outcomes(rng: random.Random) -> list[Case]:
    rates = [0.95, 0.9499, 0.9501, 0.9, 0.8999, 0.8, 0.7999, 0, 1, 1.0001, 0.0095, 0.01, "95%", "94.99%", "９５％", " 96% ", "0.95",
             "95", 95, 10, 10.5, "0.95%", "100%", "100.01%", "-1%", None, "", "abc", "不涉及", "=1/0", "=NA()", "96.5432%"]
    cases = _cases("SCORE_SATISFACTION", [Cell()], MIXED, [(v,) for v in rates])
    cases += _cases("SCORE_SATISFACTION", [Cell()], "随机", [(f"{rng.uniform(70, 100):.{rng.choice([0, 1, 2])}f}%",) for _ in range(4)])

    specs = [Range(3), Range(3), Range(3), Const(F(20)), Range(3)]
    targets = [
        ((100, 95, 80), (100, 100, 100), (1, 1, 1), (None, None, None)),
        ((0.96, 0.9, 1), (0.95, 0.95, 1), (2, 1, 1), ("≥", "≥", "≥")),
        ((12, 8, 3), (10, 10, 2), (None, None, None), (None, None, "≤")),
        ((5, None, 7), (5, None, 10), (1, None, 1), (None, None, None)),
        ((0.95, 95, 1), (95, 0.95, 1), (1, 1, 1), (None, None, None)),
        ((1, 2, 3), (0, 2, 3), (1, 1, 1), (None, None, None)),
        ((1, 2, 3), (0, 2, 3), (1, 1, 1), ("≤", None, None)),
        ((None, None, None), (None, None, None), (None, None, None), (None, None, None)),
        ((1, 2, 3), (1, 2, 3), (0, 0, 0), (None, None, None)),
        (("95%", "1,000", "１２"), ("100%", "1,200", "１２"), (1, 1, 1), (None, None, None)),
        (("abc", 2, 3), (1, 2, 3), (1, 1, 1), (None, None, None)),
        ((1, 2, 3), (1, "=1/0", 3), (1, 1, 1), (None, None, None)),
        ((1, 2, 3), (1, 2, 3), (1, 1, 1), ("x", None, None)),
        ((99.99, 2, 3), (100, 2, 3), (1, 1, 1), (None, None, None)),
        ((1, 2, 3), (3, 3, 3), ("0.5", 0.25, 0.25), (None, None, None)),
        ((1, 2, 3), (3, 3, 3), (-1, 1, 1), (None, None, None)),
    ]
    cases += _cases("SCORE_TARGETS", specs, MIXED, targets)
    ties = [  # means that are exact hundredths although the achievements are not decimals, and neighbours
        [(1, 3), (2, 3)], [(1, 3), (2, 3), (5, 5), (9, 9)], [(1, 7), (6, 7)], [(1, 3, 2), (1, 3, 1), (2, 3, 0.5), (1, 1, 0.5)],
        [(3, 1, 1, "≤"), (3, 2, 1, "≤"), (0, 5, 1, "≤")], [(9999, 10000), (1, 1)], [(99999, 100000)], [(2, 3), (2, 3), (2, 3)],
        [(5, 5), (7, 7), (9, 9)], [(99999999999.99, 100000000000), (98999999.99, 100000000)], [(0.3, 0.1, 1, "≤"), (0.1, 0.3), (0.2, 0.3)],
    ]
    cases += _cases("SCORE_TARGETS", [Range(4), Range(4), Range(4), Const(F(20)), Range(4)], "恰为整分的平均", [_columns(rows, 4) for rows in ties])
    cases += _cases("SCORE_TARGETS", [Range(3), Range(3), Omitted(), Const(F(20)), Omitted()], "省略权重和方向",
                    [((1, 2, 3), (3, 3, 3)), ((95, 100, None), (100, 100, None)), ((2, 3, 1), (3, 2, 3))])
    cases += _cases("SCORE_TARGETS", [Range(3), Range(3)], "只给实际值和目标值", [((9999, 1, 1), (10000, 1, 1)), ((1, None, None), (2, None, None))])
    return cases


def _people(rng: random.Random) -> list[Case]:
    statuses = ["按规定公开", "公开但不符合要求", "未公开", " 未公开 ", 2, 1, 0, 3, 1.5, "公开", "不涉及", "２", None, "=1/0"]
    disclosure = [(b, f, None) for b, f in ((2, 2), (2, 1), (1, 0), (0, 0))] + [(2, 1, "是"), (0, 0, "是"), (2, 1, "否"), (2, 1, "也许"), (2, 1, "=NA()")]
    disclosure += [(rng.choice(statuses), rng.choice(statuses), rng.choice([None, "否", "是"])) for _ in range(14)]
    cases = _cases("SCORE_DISCLOSURE", [Cell()] * 3, MIXED, disclosure)
    cases += _cases("SCORE_DISCLOSURE", [Cell(), Cell(), Omitted()], "省略涉密", [("按规定公开", "未公开"), (2, 2)])

    staff = [(100, 100), (101, 100), (99, 100), (0, 1), (1, 0), (0, 0), (1000, 999), (999, 1000), (12.5, 10), (-1, 10), (None, 10),
             (10, None), ("=1/0", 10), (10, "=NA()"), (10, "  "), (10**8, 10**8 - 1), ("12", 10), ("１２", 10), ("1,001", "1,000"),
             ("十", 10), ("不涉及", 10)]
    cases += _cases("SCORE_STAFF_CONTROL", [Cell(), Cell()], MIXED, staff)
    cases += _cases("SCORE_STAFF_CONTROL", [Cell(), Cell(), Const(F(1)), Const(F(1, 2))], "每超1个百分点扣0.5分",
                    [(101, 100), (103, 100), (197, 100), (300, 100), (201, 200), (123457, 123456)])
    cases += _cases("SCORE_STAFF_CONTROL", [Cell()] * 4, "满分与扣分在单元格", [(101, 100, 1.5, 0.05), (101, 100, None, None), (103, 100, 2, "=NA()"),
                                                                          (103, 100, -1, 0.5), (99, 100, 0.75, 0.0125)])
    contract = [(5, 95), (4, 96), (6, 94), (1, 19), (1, 18), (1, 20), (10, 90), (11, 89), (9, 91), (0, 0), (0, 1), (1, 0), (12.5, 3),
                (None, 5), (5, "=NA()"), (50_000, 950_000), (50_001, 949_999), (10**9, 9 * 10**9), ("５", "９５"), ("abc", 10), ("不涉及", 10)]
    cases += _cases("SCORE_CONTRACT_STAFF", [Cell(), Cell()], MIXED, contract)
    petitions = [("是", 0, 0, 0), ("是", 10, 10, 10), ("是", 10, 9, 9), ("是", 10, 10, 9), ("否", 10, 9, 8), (0.5, 10, 10, 10), (0.29, 1, 0, 0),
                 ("是", 10, 11, 5), ("是", 10, 5, 6), ("是", 12.5, 5, 5), ("是", -1, 0, 0), ("是", None, 0, 0), ("是", 10, "=1/0", 0),
                 ("是", 99999, 99998, 99997), (0.555, 3, 2, 1), ("是", "10", "１０", " 9 "), ("０．７５", 1, 1, 1), ("是", "不涉及", 0, 0),
                 ("也许", 1, 1, 1), (None, 1, 1, 1), ("=NA()", 1, 1, 1)]
    cases += _cases("SCORE_PETITIONS", [Cell()] * 4, MIXED, petitions)
    return cases


def catalogue() -> list[Case]:
    """Every case, in a fixed order (the same list on every run)."""
    rng = random.Random(20201231)
    return [*_general(rng), *_money(rng), *_funds(rng), *_schedule(rng), *_outcomes(rng), *_people(rng)]
