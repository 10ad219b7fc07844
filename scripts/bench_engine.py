#!/usr/bin/env python
"""Measure the headless engine: compile once, evaluate many (median per workbook).

    python scripts/bench_engine.py [--runs 200] [--copies 1]

Builds a synthetic department workbook shaped like the 绩效评价 templates:
~100 input cells on 基础数据, ~60 formulas on 评分表 mixing catalogue functions
(SCORE_*), IF/ROUND/SUM/IFERROR/TEXT/COUNTIF/SUMIF, cross-sheet references,
defined names, ranges and array constants.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from xladdin.engine import compile_workbook, recalculate, clear_cache  # noqa: E402

BASE = "基础数据"
SCORE = "评分表"


def synthetic_template(copies: int = 1):
    formulas: dict = {}
    names: dict = {}
    row = 2
    for k in range(copies):
        off = k * 60
        names[f"budget_total_{k}" if k else "budget_total"] = f"{BASE}!$C${2 + off}"
        names[f"spent_total_{k}" if k else "spent_total"] = f"{BASE}!$C${3 + off}"
        b = lambda r: f"{BASE}!C{r + off}"  # noqa: E731
        bt = f"budget_total_{k}" if k else "budget_total"
        st = f"spent_total_{k}" if k else "spent_total"
        items = [
            f"SCORE_RATIO({st},{bt},10)",
            f"ROUND(SCORE_RATIO({b(4)},{b(5)},5,TRUE),2)",
            f"IF({b(6)}=\"\",0,SCORE_PROCUREMENT({b(6)},{b(7)}))",
            f"SCORE_TIERS({b(8)},{{0.9,0.8,0.6}},{{5,3,1}})",
            f"SCORE_CHECKLIST({BASE}!D{10 + off}:D{19 + off})",
            f"SCORE_DEDUCT(4,COUNTIF({BASE}!E{10 + off}:E{19 + off},\"否\"),1)",
            f"SCORE_ASSET_UTILIZATION({b(20)},{b(21)})",
            f"SCORE_STAFF_CONTROL({b(22)},{b(23)})",
            f"SCORE_CONTRACT_STAFF({b(24)},{b(25)})",
            f"SCORE_PUBLIC_FUNDS({b(26)},{b(27)},{b(28)},{b(29)})",
            f"SCORE_COST_CONTROL({b(30)},{b(31)})",
            f"SCORE_QUARTERLY({BASE}!F{10 + off}:F{13 + off},{bt})",
            f"SCORE_TARGETS({BASE}!G{10 + off}:G{14 + off},{BASE}!H{10 + off}:H{14 + off})",
            f"SCORE_SATISFACTION({b(32)})",
            f"SCORE_DISCLOSURE({b(33)},{b(34)})",
            f"SCORE_RATIO_NOTE({st},{bt},10)",
        ]
        first = row
        for expr in items:
            formulas[(SCORE, f"D{row}")] = expr
            formulas[(SCORE, f"E{row}")] = f"IFERROR(ROUND(D{row},2),0)"
            formulas[(SCORE, f"F{row}")] = f"IF(ISNUMBER(D{row}),TEXT(D{row},\"0.00\")&\"分\",\"无法计算\")"
            row += 1
        last = row - 1
        formulas[(SCORE, f"E{row}")] = f"SUM(E{first}:E{last})"
        formulas[(SCORE, f"F{row}")] = f"SCORE_GRADE(E{row})"
        formulas[(SCORE, f"G{row}")] = f"COUNTIF(D{first}:D{last},\"#N/A\")+SUMIF(E{first}:E{last},\">3\")"
        formulas[(SCORE, f"H{row}")] = f"IF(AND(E{row}>=60,NOT(ISERROR(D{first}))),\"合格\",\"不合格\")&\"（\"&TEXT(E{row}/100,\"0.00%\")&\"）\""
        formulas[(SCORE, f"I{row}")] = f"MAX(E{first}:E{last})-MIN(E{first}:E{last})+AVERAGE(E{first}:E{last})"
        formulas[(SCORE, f"J{row}")] = f"ROUNDDOWN({bt}-{st},2)&\"元\""
        formulas[(SCORE, f"K{row}")] = f"COUNT(E{first}:E{last})+COUNTA(F{first}:F{last})+ROWS(D{first}:D{last})"
        formulas[(SCORE, f"L{row}")] = f"CONCATENATE(\"得分：\",E{row})"
        row += 2
    return formulas, names, [SCORE, BASE]


def synthetic_inputs(rnd: random.Random, copies: int = 1):
    cells: dict = {}
    for k in range(copies):
        off = k * 60
        budget = rnd.uniform(5e5, 5e6)
        cells[(BASE, f"C{2 + off}")] = round(budget, 2)
        cells[(BASE, f"C{3 + off}")] = round(budget * rnd.uniform(0.6, 1.1), 2)
        for r in range(4, 36):
            cells[(BASE, f"C{r + off}")] = round(rnd.uniform(1, 100), 2)
        cells[(BASE, f"C{33 + off}")] = rnd.choice(["按规定公开", "未公开", "公开但不符合要求"])
        cells[(BASE, f"C{34 + off}")] = rnd.choice(["按规定公开", "未公开"])
        cells[(BASE, f"C{32 + off}")] = rnd.uniform(0.7, 1.0)
        cells[(BASE, f"C{8 + off}")] = rnd.uniform(0.5, 1.0)
        for r in range(10, 20):
            cells[(BASE, f"D{r + off}")] = rnd.choice(["是", "否", True, False, None])
            cells[(BASE, f"E{r + off}")] = rnd.choice(["是", "否"])
        for r in range(10, 14):
            cells[(BASE, f"F{r + off}")] = round(rnd.uniform(1e5, 1e6), 2)
        for r in range(10, 15):
            cells[(BASE, f"G{r + off}")] = rnd.uniform(50, 120)
            cells[(BASE, f"H{r + off}")] = 100.0
    return cells


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--copies", type=int, default=1, help="scale the template (~56 formulas per copy)")
    args = ap.parse_args(argv)

    formulas, names, sheets = synthetic_template(args.copies)
    rnd = random.Random(42)
    inputs = [synthetic_inputs(rnd, args.copies) for _ in range(args.runs)]

    import udfs  # noqa: F401  (import cost is not the engine's)

    t0 = time.perf_counter()
    model = compile_workbook(formulas, names, sheets)
    t_compile = time.perf_counter() - t0
    print(f"template: {len(formulas)} formulas, {len(model.input_cells)} input cells read, "
          f"{len(model.problems)} problems")
    print(f"compile (cold, once per template): {t_compile * 1e3:.1f} ms")

    model.evaluate(inputs[0])  # warm-up
    times = []
    for cells in inputs:
        t = time.perf_counter()
        model.evaluate(cells)
        times.append(time.perf_counter() - t)
    times.sort()
    med = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"evaluate per workbook over {len(times)} runs: median {med * 1e3:.3f} ms, "
          f"p95 {p95 * 1e3:.3f} ms, min {times[0] * 1e3:.3f} ms")

    # the engine's own share: the same workbook with every catalogue function stubbed out
    import udfs as _u
    stub = {k: (lambda *a: 1.0) for k in _u.CATALOGUE}
    stub_model = compile_workbook(formulas, names, sheets, catalogue=stub)
    stub_times = []
    for cells in inputs:
        t = time.perf_counter()
        stub_model.evaluate(cells)
        stub_times.append(time.perf_counter() - t)
    print(f"  of which engine (catalogue stubbed): median {statistics.median(stub_times) * 1e3:.3f} ms; "
          f"the rest is the udfs scoring functions themselves")

    clear_cache()
    t = time.perf_counter()
    for cells in inputs:
        recalculate(cells, formulas, names, sheets)
    per = (time.perf_counter() - t) / len(inputs)
    print(f"recalculate() incl. signature + LRU lookup (first call compiles): {per * 1e3:.3f} ms/workbook")


if __name__ == "__main__":
    main()
