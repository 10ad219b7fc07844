"""REGEXTEST, REGEXEXTRACT, REGEXREPLACE.  Expected values: the examples of Microsoft's
function pages (support.microsoft.com "REGEXTEST function", "REGEXEXTRACT function",
"REGEXREPLACE function")."""

import pytest

from function_checks import NA, VALUE, cases, check

CASES = {
    "REGEXTEST": [
        ('REGEXTEST("alpha","a")', True), ('REGEXTEST("Alpha","^a")', False),
        ('REGEXTEST("Alpha","^a",1)', True),
        ('REGEXTEST("(378) 555-4195","^\\(\\d{3}\\) \\d{3}-\\d{4}$")', True),
        ('REGEXTEST("378-555-4195","^\\(\\d{3}\\) \\d{3}-\\d{4}$")', False),
        ('REGEXTEST("x","(")', VALUE), ('REGEXTEST("x","x",2)', VALUE), ("REGEXTEST(123,\"^\\d+$\")", True),
    ],
    "REGEXEXTRACT": [
        ('REGEXEXTRACT("10 apples, 12 oranges","[0-9]+")', "10"),
        ('INDEX(REGEXEXTRACT("10 apples, 12 oranges","[0-9]+",1),2)', "12"),
        ('ROWS(REGEXEXTRACT("10 apples, 12 oranges","[0-9]+",1))', 2.0),
        ('REGEXEXTRACT("Sonia (378) 555-4195","\\d{3}-\\d{4}")', "555-4195"),
        ('REGEXEXTRACT("O my Luve red rose","O my (\\w+) red (\\w+)")', "O my Luve red rose"),
        ('INDEX(REGEXEXTRACT("O my Luve red rose","O my (\\w+) red (\\w+)",2),1)', "Luve"),
        ('INDEX(REGEXEXTRACT("O my Luve red rose","O my (\\w+) red (\\w+)",2),2)', "rose"),
        ('COLUMNS(REGEXEXTRACT("O my Luve red rose","O my (\\w+) red (\\w+)",2))', 2.0),
        ('REGEXEXTRACT("abc","\\d")', NA), ('REGEXEXTRACT("ABC","b",0,1)', "B"),
        ('REGEXEXTRACT("2024-01-15","(?<year>\\d{4})-(?<m>\\d+)",2)', "2024"),
    ],
    "REGEXREPLACE": [
        ('REGEXREPLACE("Sonia Brown","([A-Z][a-z]+) ([A-Z][a-z]+)","$2, $1")', "Brown, Sonia"),
        ('REGEXREPLACE("(378) 555-4195","[0-9]{3}-","***-")', "(378) ***-4195"),
        ('REGEXREPLACE("a1b2c3","[0-9]","#")', "a#b#c#"), ('REGEXREPLACE("a1b2c3","[0-9]","#",2)', "a1b#c3"),
        ('REGEXREPLACE("a1b2c3","[0-9]","#",-1)', "a1b2c#"), ('REGEXREPLACE("a1","[0-9]","#",5)', "a1"),
        ('REGEXREPLACE("ab","(?<x>a)","${x}${x}")', "aab"), ('REGEXREPLACE("ab","a","$$")', "$b"),
        ('REGEXREPLACE("ab","(a)","$2")', VALUE),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_regex_functions(expr, expected):
    check(expr, expected)
