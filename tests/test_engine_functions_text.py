"""Text functions.  Sources: Microsoft's function pages (support.microsoft.com, the "Example"
tables), Excel's 32,767-character limit for text ("Excel specifications and limits") and
workbooks saved by Excel in the corpus (file named in the comment)."""

import pytest

from function_checks import DIV0, NA, VALUE, calc, cases, check

CASES = {
    "case & cleaning": [
        ("PROPER(\"this is a TITLE\")", "This Is A Title"), ("PROPER(\"2-way street\")", "2-Way Street"),
        ("PROPER(\"76BudGet\")", "76Budget"),
        ("CLEAN(CHAR(9)&\"Monthly report\"&CHAR(10))", "Monthly report"),
        ("TRIM(\" First Quarter  Earnings \")", "First Quarter Earnings"),
        ("TRIM(CLEAN(\" a\"&CHAR(7)&\" \"))", "a"),   # corpus: apache_poi 63934.xlsx uses TRIM(CLEAN())
        ("UPPER(\"total\")", "TOTAL"), ("LOWER(\"E. E. Cummings\")", "e. e. cummings"),
    ],
    "characters": [
        ("CHAR(65)", "A"), ("CHAR(33)", "!"), ("CHAR(0)", VALUE), ("CHAR(256)", VALUE),
        ("CODE(\"A\")", 65.0), ("CODE(\"!\")", 33.0), ("CODE(\"\")", VALUE),
        ("UNICHAR(66)", "B"), ("UNICHAR(32)", " "), ("UNICHAR(0)", VALUE),
        ("UNICODE(\"B\")", 66.0), ("UNICODE(\" \")", 32.0), ("UNICODE(\"绩\")", 32489.0),
    ],
    "pieces": [
        ("LEFT(\"Sale Price\",4)", "Sale"), ("LEFT(\"Sweden\")", "S"), ("LEFT(\"abc\",-1)", VALUE),
        ("LEFT(\"abc\",)", ""), ("RIGHT(\"abc\",)", ""),   # an empty num_chars is 0, not the default 1
        ("RIGHT(\"Sale Price\",5)", "Price"), ("RIGHT(\"Stock Number\")", "r"),
        ("MID(\"Fluid Flow\",1,5)", "Fluid"), ("MID(\"Fluid Flow\",7,20)", "Flow"),
        ("MID(\"Fluid Flow\",20,5)", ""), ("MID(\"abc\",0,1)", VALUE),
        ("REPLACE(\"abcdefghijk\",6,5,\"*\")", "abcde*k"), ("REPLACE(\"2009\",3,2,\"10\")", "2010"),
        ("REPLACE(\"123456\",1,3,\"@\")", "@456"), ("REPLACE(\"abc\",0,1,\"x\")", VALUE),
        ("SUBSTITUTE(\"Sales Data\",\"Sales\",\"Cost\")", "Cost Data"),
        ("SUBSTITUTE(\"Quarter 1, 2008\",\"1\",\"2\",1)", "Quarter 2, 2008"),
        ("SUBSTITUTE(\"Quarter 1, 2011\",\"1\",\"2\",3)", "Quarter 1, 2012"),
        # nested with literal texts (the template's note cell): each replacement in turn,
        # a number read as its text, an error passed on, an array element by element
        ("SUBSTITUTE(SUBSTITUTE(\"得1.98分\",\"分\",\"[分]\"),\"得\",\"(得)\")", "(得)1.98[分]"),
        ("SUBSTITUTE(SUBSTITUTE(\"ab\",\"a\",\"b\"),\"b\",\"c\")", "cc"),
        ("SUBSTITUTE(SUBSTITUTE(3.5,\"5\",\"7\"),\"3\",\"\")", ".7"),
        ("SUBSTITUTE(SUBSTITUTE(1/0,\"a\",\"b\"),\"b\",\"c\")", DIV0),
        ("TEXTJOIN(\"|\",,SUBSTITUTE(SUBSTITUTE({\"ab\",\"cb\"},\"b\",\"x\"),\"a\",\"y\"))", "yx|cx"),
        ("SUBSTITUTE(SUBSTITUTE(REPT(\"a\",20000),\"a\",\"bb\"),\"b\",\"c\")", VALUE),
        ("FIND(\"M\",\"Miriam McGovern\")", 1.0), ("FIND(\"m\",\"Miriam McGovern\")", 6.0),
        ("FIND(\"M\",\"Miriam McGovern\",3)", 8.0), ("FIND(\"x\",\"abc\")", VALUE),
        ("SEARCH(\"e\",\"Statements\",6)", 7.0), ("SEARCH(\"margin\",\"Profit Margin\")", 8.0),
        ("SEARCH(\"p?o\",\"Profit\")", 1.0), ("EXACT(\"word\",\"Word\")", False),
        ("LEN(\"Phoenix, AZ\")", 11.0), ("LEN(\"\")", 0.0), ("LEN(\"     One   \")", 11.0),
    ],
    "bytes": [
        # Chinese editing language: a character outside ASCII is two bytes (Microsoft: LENB)
        ("LENB(\"绩效评价ab\")", 10.0), ("LENB(\"绩效评价ab\")-LEN(\"绩效评价ab\")", 4.0),
        ("LEFTB(\"绩效评价\",4)", "绩效"), ("RIGHTB(\"ab绩效\",4)", "绩效"), ("MIDB(\"ab绩效\",3,2)", "绩"),
        ("LEFTB(\"abc\",2)", "ab"), ("MIDB(\"abc\",0,1)", VALUE),
    ],
    "TEXTBEFORE/TEXTAFTER/TEXTSPLIT": [
        ("TEXTBEFORE(\"Red riding hood's, red hood\",\"hood\")", "Red riding "),
        ("TEXTBEFORE(\"Red riding hood's, red hood\",\"hood\",2)", "Red riding hood's, red "),
        ("TEXTBEFORE(\"Red riding hood's, red hood\",\"HOOD\",,1)", "Red riding "),
        ("TEXTBEFORE(\"Red riding hood's, red hood\",\"basket\")", NA),
        ("TEXTBEFORE(\"Red riding hood's, red hood\",\"basket\",,,,\"x\")", "x"),
        ("TEXTAFTER(\"Red riding hood's, red hood\",\"hood\")", "'s, red hood"),
        ("TEXTAFTER(\"Red riding hood's, red hood\",\"hood\",-1)", ""),
        ("TEXTAFTER(\"a-b-c\",\"-\",0)", VALUE),
        ("TEXTJOIN(\"|\",,TEXTSPLIT(\"Dakota Lennon Sanchez\",\" \"))", "Dakota|Lennon|Sanchez"),
        ("TEXTJOIN(\"|\",,TEXTSPLIT(\"1,2,3;4,5,6\",\",\",\";\"))", "1|2|3|4|5|6"),
        ("ROWS(TEXTSPLIT(\"1,2,3;4,5,6\",\",\",\";\"))", 2.0), ("INDEX(TEXTSPLIT(\"1,2;3\",\",\",\";\"),2,2)", NA),
        ("COLUMNS(TEXTSPLIT(\"a,,b\",\",\",,TRUE))", 2.0),
    ],
    "joining": [
        ("TEXTJOIN(\", \",TRUE,\"a\",\"\",\"b\")", "a, b"), ("TEXTJOIN(\", \",FALSE,\"a\",\"\",\"b\")", "a, , b"),
        ("TEXTJOIN({\"-\",\"+\"},TRUE,\"a\",\"b\",\"c\")", "a-b+c"),
        ("CONCAT(\"The\",\" \",\"sun\")", "The sun"), ("CONCATENATE(\"a\",1,TRUE)", "a1TRUE"),
        ("CONCATENATE(\"a\",NA())", NA),
    ],
    "32,767 characters": [
        ("LEN(REPT(\"x\",32767))", 32767.0), ("REPT(\"x\",32768)", VALUE), ("REPT(\"ab\",20000)", VALUE),
        ("LEN(REPT(REPT(\"x\",32767),32767))", VALUE),
        ("SUBSTITUTE(REPT(\"a\",20000),\"a\",\"bb\")", VALUE),
        ("CONCATENATE(REPT(\"a\",20000),REPT(\"a\",20000))", VALUE),
        ("CONCAT(REPT(\"a\",20000),REPT(\"a\",20000))", VALUE),
        ("TEXTJOIN(\",\",TRUE,REPT(\"a\",20000),REPT(\"a\",20000))", VALUE),
        ("REPT(\"a\",20000)&REPT(\"a\",20000)", VALUE), ("LEN(REPT(\"a\",16000)&REPT(\"b\",16000))", 32000.0),
        ("REPLACE(REPT(\"a\",30000),1,0,REPT(\"b\",3000))", VALUE), ("REPT(\"x\",-1)", VALUE),
    ],
    "numbers as text": [
        ("FIXED(1234.567,1)", "1,234.6"), ("FIXED(1234.567,-1)", "1,230"),
        ("FIXED(-1234.567,-1,TRUE)", "-1230"), ("FIXED(44.332)", "44.33"),
        ("NUMBERVALUE(\"2.500,27\",\",\",\".\")", 2500.27), ("NUMBERVALUE(\"3.5%\")", 0.035),
        ("VALUE(\"$1,000\")", 1000.0), ("VALUE(\"16:48:00\")-VALUE(\"12:00:00\")", 0.2),
        ("VALUE(\"abc\")", VALUE), ("VALUE(TRUE)", VALUE),
        ("TEXT(1234.567,\"$#,##0.00\")", "$1,234.57"), ("TEXT(0.285,\"0.0%\")", "28.5%"),
        ("TEXT(DATE(2024,1,15),\"yyyy年m月d日\")", "2024年1月15日"),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_text_function(expr, expected):
    check(expr, expected)


def test_text_follows_the_workbook_date_system():
    # serial 0 is 1904-01-01 in the 1904 system
    assert calc("TEXT(0,\"yyyy-mm-dd\")", date1904=True) == "1904-01-01"


@pytest.mark.parametrize("expr,expected", [
    # Microsoft, "Calculation operators and precedence in Excel" (converting values in formulas)
    ('"1"+"2"', 3.0), ('1+"$4.00"', 5.0), ('"6/1/2001"-"5/1/2001"', 31.0), ('SQRT("8+1")', VALUE),
    # text dates, times and accounting negatives convert in arithmetic as VALUE converts them
    ('--"NOV 3, 2016"', 42677.0), ('"2024年1月15日"-45300', 6.0), ('"10:30"*1', 0.4375),
    ('"(100)"+0', -100.0), ('VALUE("(100)")', -100.0), ('"($1,000)"*1', -1000.0), ('"(-5)"+0', VALUE),
])
def test_text_in_arithmetic_converts_as_value_does(expr, expected):
    check(expr, expected)


def test_huge_numbers_give_values_not_internal_errors():
    # FIXED shows 15 significant digits and zeros after them, like any number Excel shows
    check("FIXED(1E+300,2)", "1" + ",000" * 100 + ".00")
    check("FIXED(0.5,-1E+300)", "0")  # rounded left of all its digits
    check("CEILING(1E+300,1E-300)", "#NUM!")
    years = calc("YEARFRAC(0,2958465,1)")  # day 0 to 9999-12-31, actual/actual: 8,100 years
    assert type(years) is float and 8099.9 < years < 8100.1


@pytest.mark.parametrize("fmt", ["0_", "0\\", "0*"])
def test_text_with_an_invalid_format_is_value_error(fmt):
    # Microsoft, "Review guidelines for customizing a number format": _ , * and \ each take
    # the character after them; a format ending in one is not a format Excel accepts
    check('TEXT(1,"%s")' % fmt, VALUE)


@pytest.mark.parametrize("expr,expected", [
    # Excel keeps the sign of a negative number that rounds to zero in the format ("Getting Rid
    # of Negative Zero Amounts", excelribbon.tips.net: -0.000001325 in 0.00 shows as -0.00);
    # issue 17 said "0", which is the display only of a value that is 0
    ('TEXT(-0.000001325,"0.00")', "-0.00"), ('TEXT(-0.4,"0")', "-0"),
    ('TEXT(-0.001,"0;(0)")', "(0)"),  # the negative section, whatever the rounding
    # a value that is 0 has no sign: 0*-1, -0 and a rounded -0.001 are 0
    ('TEXT(-0,"0")', "0"), ('TEXT(0*-1,"0.00")', "0.00"), ('TEXT(ROUND(-0.001,2),"0.00")', "0.00"),
    # formats Excel refuses: an open bracket or quote, more than four sections
    ('TEXT(1,"[Red")', VALUE), ('TEXT(1,"""abc")', VALUE), ('TEXT(1,"0;0;0;0;0")', VALUE),
])
def test_text_of_numbers_rounding_to_zero_and_refused_formats(expr, expected):
    check(expr, expected)
