"""The held cases both Lite bundle tests run: in CPython with a stand-in xlwings
(test_setting_up_excel.py) and under Pyodide in Node.js (test_lite_in_pyodide.py)."""

HELD_CASES = [
    ("SCORE_PROCUREMENT", (14750, 15000)),
    ("SCORE_PROCUREMENT_NOTE", (14750, 15000)),
    ("SCORE_QUARTERLY", ([46666000, 17441700, 25599600, 1628900], 91471549.43)),
    ("SCORE_QUARTERLY_NOTE", ([[46666000], [17441700], [25599600], [1628900]], 91471549.43)),
    ("SCORE_PUBLIC_FUNDS", (48000, 61000, 40551421.71, 40588517)),
    ("SCORE_RATIO", (1, 3, 6)),
    ("SCORE_CHECKLIST", (["是", "否", "√", 0.5, "TRUE"],)),
    ("SCORE_CHECKLIST_NOTE", (["是", "否", "√", 0.5, "TRUE"],)),
    ("SCORE_SATISFACTION", (95,)),
    ("SCORE_SATISFACTION_NOTE", (95,)),
    ("SCORE_GRADE", (98.97,)),
    ("SCORE_PROCUREMENT", (14750, None)),
    ("SCORE_TARGETS", ([1, 2, None], [2, 2, None])),
]
