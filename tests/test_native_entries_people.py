"""Native SCORE_DISCLOSURE, SCORE_STAFF_CONTROL, SCORE_CONTRACT_STAFF and SCORE_PETITIONS
against the add-in functions: seeded random and boundary cases in this engine (hundreds
per function) and once per file in LibreOffice (one soffice run for all four functions)."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

from native_harness import Cell, Const, Omitted, in_engine, in_libreoffice
from libreoffice import required_soffice
from workbook.native.entries import people
from workbook.native.program import Outcome, Program

ERROR_CELLS = ["=1/0", "=NA()"]
BLANKS = [None, "", "  "]
STATUS_WORDS = ["按规定公开", "已按规定公开", "公开但不符合要求", "已公开但不符合要求", "未公开", "没有公开", " 未公开 "]
YES_NO = ["是", "否", "√", "×", "Y", "n", "有", "无", True, False]


def disclosure_cases(rng: random.Random) -> list[tuple]:
    statuses = STATUS_WORDS + [2, 1, 0, 3, 1.5, -1, "公开", "不涉及", "2", "２", " 1 ", "200%", "*公开", "未公开\n", "#N/A", "1e0"] + BLANKS + ERROR_CELLS + [True]
    exempts = ["是", "否", None, "", True, False, 1, 0, 2, "不涉及", "也许", " 是 ", "YES", "1", "0"] + ERROR_CELLS
    cases = [(b, f, x) for b in (2, 1, 0) for f in (2, 1, 0) for x in (None, "否", "是")]
    cases += [(rng.choice(statuses), rng.choice(statuses), rng.choice(exempts)) for _ in range(260)]
    return cases


def staff_cases(rng: random.Random) -> list[tuple]:
    """(in_post, authorized) with the shipped calls' full/per-point forms."""
    pairs = [(100, 100), (101, 100), (99, 100), (0, 1), (1, 0), (0, 0), (7, 3), (1000, 999), (999, 1000),
             (12.5, 10), (-1, 10), (10, -1), (None, 10), (10, None), ("=1/0", 10), (10, "=NA()"), (True, 10),
             (10, "  "), (103, 100), (197, 100), (300, 100), (10**8, 10**8 - 1), (201, 200), (203, 200), (123457, 123456),
             ("12", 10), ("１２", 10), (" 101 ", "100"), ("1,001", "1,000"), ("12.5", 10), ("-3", 10), ("十", 10), ("不涉及", 10)]
    for _ in range(110):
        a = rng.choice([1, 3, 7, 10, 100, 123, 999, 1000, 4567, 10**6])
        pairs.append((a + rng.choice([-2, -1, 0, 1, 2, 3, rng.randint(0, a // 2 + 1), rng.randint(0, 3 * a)]), a))
    return pairs


def contract_cases(rng: random.Random) -> list[tuple]:
    cases = [(5, 95), (4, 96), (6, 94), (1, 19), (1, 18), (1, 20), (10, 90), (11, 89), (9, 91), (1, 9), (1, 8), (1, 10),
             (0, 0), (0, 1), (1, 0), (0, 100), (12.5, 3), (-1, 5), (None, 5), (5, None), ("=1/0", 5), (5, "=NA()"),
             (True, 5), (5, ""), (50_000, 950_000), (50_001, 949_999), (49_999, 950_001), (10**9, 9 * 10**9),
             (1234567, 9876543), (3, 7), (1, 199), (2, 38),
             ("5", "95"), ("５", "９５"), ("6", " 94 "), ("1.5", 10), ("-1", 10), ("abc", 10), ("不涉及", 10), ("12,345", "1")]
    for _ in range(220):
        total = rng.choice([1, 2, 10, 20, 40, 100, 101, 200, 1000, 12345])
        c = rng.choice([total // 20, total // 20 + 1, total // 10, total // 10 + 1, rng.randint(0, total)])
        cases.append((c, max(0, total - c)))
    return cases


def petitions_cases(rng: random.Random) -> list[tuple]:
    channels = YES_NO + [1, 0, 0.5, 0.29, 0.555, 0.999, 1.5, -0.1, "也许", "不涉及"] + BLANKS[:1] + ERROR_CELLS
    cases = [("是", 0, 0, 0), ("是", 10, 10, 10), ("是", 10, 9, 9), ("是", 10, 10, 9), ("否", 10, 9, 8), (0.5, 10, 10, 10),
             (0.29, 1, 0, 0), ("是", 10, 11, 5), ("是", 10, 5, 6), ("是", 12.5, 5, 5), ("是", -1, 0, 0), ("是", None, 0, 0),
             ("是", 10, "=1/0", 0), ("是", 99999, 99998, 99997), ("是", 100000, 99999, 99999), (0.555, 3, 2, 1),
             ("是", 1234567, 1234566, 1000000), (True, 3, 3, 3), (False, 0, 0, 0), ("是", 5, True, 5),
             ("是", "10", "１０", " 9 "), ("0.5", "3", "3", "3"), ("０．７５", 1, 1, 1), ("是", "12.5", 1, 1), ("是", "不涉及", 0, 0)]
    for _ in range(220):
        received = rng.choice([0, 1, 3, 10, 99, 1000, 123456])
        replied = rng.choice([received, received, max(0, received - 1), rng.randint(0, received), received + 1])
        on_time = rng.choice([replied, replied, max(0, replied - 1), rng.randint(0, max(replied, 0)), replied + 1])
        cases.append((rng.choice(channels), received, replied, on_time))
    return cases


def _cases():
    rng = random.Random(20261202)
    staff = staff_cases(rng)
    return {
        "SCORE_DISCLOSURE": ([Cell(), Cell(), Cell()], disclosure_cases(rng)),
        "SCORE_DISCLOSURE omitted exempt": ([Cell(), Cell(), Omitted()], [(b, f, None) for b, f, _ in disclosure_cases(rng)[:60]]),
        "SCORE_STAFF_CONTROL": ([Cell(), Cell()], staff),
        "SCORE_STAFF_CONTROL per point": ([Cell(), Cell(), Const(Fraction(1)), Const(Fraction(1, 2))], [(*s, None, None) for s in staff]),
        "SCORE_STAFF_CONTROL cells": ([Cell(), Cell(), Cell(), Cell()], [
            (*s, rng.choice([None, 1, 1.5, 2, 0.75, 0, 1.2345, -1, "=1/0", True]), rng.choice([None, 0.5, 0.1, 0.05, 0.0125, 0, 1, 3, -0.5, "=NA()"]))
            for s in staff]),
        "SCORE_CONTRACT_STAFF": ([Cell(), Cell()], contract_cases(rng)),
        "SCORE_PETITIONS": ([Cell(), Cell(), Cell(), Cell()], petitions_cases(rng)),
    }


CASES = _cases()


def _function(name: str) -> str:
    return name.split(" ")[0]


def _specs_cases(name, cases):
    specs, raw = CASES[name]
    # Const/Omitted arguments take no cell: the harness zips specs with raw values
    return specs, raw


@pytest.mark.parametrize("name", list(CASES))
def test_in_engine(name):
    specs, cases = CASES[name]
    assert len(cases) >= 60
    mismatches = in_engine(_function(name), specs, cases)
    assert not mismatches, "\n".join(str(m) for m in mismatches[:10]) + f"\n{len(mismatches)} mismatches of {len(cases)}"


def test_hundreds_of_cases_per_function():
    per_function = {}
    for name, (_, cases) in CASES.items():
        per_function[_function(name)] = per_function.get(_function(name), 0) + len(cases)
    assert all(n >= 200 for n in per_function.values()), per_function


def _naive_staff(p: Program, args) -> Outcome:
    """INT((full − (i/a − 1)·100·P)·100)/100 in floating point: what the exact form replaces
    (101/100 gives 0.49999999999999956 there, read as 0.49)."""
    right = people.staff_control(p, args)
    i, a = args[0].cells[0], args[1].cells[0]
    naive = f"IF({i}<={a},1,INT(MAX(0,1-({i}/{a}-1)*100*0.5)*100)/100)"
    return Outcome(f"IF(ISNUMBER({right.score}),{naive},{right.score})", right.note)


def test_naive_truncation_fails_on_the_boundary_cases():
    specs = [Cell(), Cell(), Const(Fraction(1)), Const(Fraction(1, 2))]
    cases = [(s[0], s[1], None, None) for s in CASES["SCORE_STAFF_CONTROL"][1]]
    mismatches = in_engine("SCORE_STAFF_CONTROL", specs, cases, translation=_naive_staff)
    assert any(m.what == "score" for m in mismatches)


@pytest.fixture(scope="module")
def libreoffice_mismatches(tmp_path_factory):
    soffice = required_soffice()
    # LibreOffice has no logical cells (TRUE is 1 there): boolean cells are this engine's cases only
    results = {}
    for name, (specs, cases) in CASES.items():
        kept = [c for c in cases if not any(isinstance(v, bool) for v in c)]
        workdir = tmp_path_factory.mktemp(name.replace(" ", "_"))
        results[name] = (len(kept), in_libreoffice(_function(name), specs, kept, workdir, soffice))
    return results


@pytest.mark.parametrize("name", list(CASES))
def test_in_libreoffice(libreoffice_mismatches, name):
    count, mismatches = libreoffice_mismatches[name]
    assert count > 50
    assert not mismatches, "\n".join(str(m) for m in mismatches[:10]) + f"\n{len(mismatches)} mismatches of {count}"
