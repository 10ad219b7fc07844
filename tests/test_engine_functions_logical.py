"""Logical functions.  Sources: Microsoft's function pages (support.microsoft.com) and
workbooks saved by Excel in the corpus."""

import pytest

from function_checks import DIV0, NA, VALUE, cases, check

CASES = {
    "AND/OR/XOR/NOT": [
        ("AND(TRUE,TRUE)", True), ("AND(TRUE,FALSE)", False), ("AND(2+2=4,2+3=5)", True),
        ("AND({1,0})", False), ("AND({\"a\"})", VALUE), ("AND(1/0,TRUE)", DIV0),
        ("OR(TRUE)", True), ("OR(1+1=1,2+2=5)", False), ("OR(TRUE,FALSE,TRUE)", True),
        ("XOR(3>0,2<9)", False), ("XOR(3>12,4>6)", False), ("XOR(3>12,4<6)", True),
        ("NOT(FALSE)", True), ("NOT(1+1=2)", False), ("NOT(\"x\")", VALUE),
    ],
    "IF family": [
        ("IF(10>5,\"Yes\",\"No\")", "Yes"), ("IFERROR(210/35,\"Error in calculation\")", 6.0),
        ("IFERROR(55/0,\"Error in calculation\")", "Error in calculation"),
        ("IFNA(NA(),\"Not found\")", "Not found"), ("IFNA(1/0,1)", DIV0),
        ("IFS(93>89,\"A\",93>79,\"B\")", "A"), ("IFS(FALSE,1)", NA),
        ("SWITCH(WEEKDAY(DATE(2024,1,15)),1,\"Sunday\",2,\"Monday\",3,\"Tuesday\",\"No match\")", "Monday"),
        ("SWITCH(99,1,\"Sunday\",2,\"Monday\",3,\"Tuesday\")", NA),
        ("SWITCH(99,1,\"Sunday\",\"No match\")", "No match"), ("TRUE()", True), ("FALSE()", False),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_logical_function(expr, expected):
    check(expr, expected)
