"""Date & time functions.  Sources: Microsoft's function pages (support.microsoft.com, each
function's "Example" table), the ECMA-376 examples (Part 1, 18.17.7) and workbooks saved by
Excel in the corpus (file named in the comment)."""

import pytest

from function_checks import NUM, VALUE, calc, cases, check, shown

CASES = {
    "DATE": [
        ("DATE(2008,1,1)", 39448.0), ("DATE(108,1,2)", 39449.0), ("DATE(2008,14,2)", 39846.0),
        ("DATE(2008,-3,2)", 39327.0), ("DATE(2008,1,35)", 39482.0), ("DATE(2008,1,-15)", 39432.0),
        # corpus: bradbase_xlcalculator_tests_resources_DATE.xlsx
        ("DATE(2000, 1, 1)", 36526.0), ("DATE(\"2000\",1, 1)", 36526.0), ("DATE(1,1,1)", 367.0),
        ("DATE(2,1,1)", 732.0),
        # corpus: apache_poi_test-data_spreadsheet_55927.xlsx
        ("DATE(2012,2,16)", 40955.0),
        # Excel's 1900-02-29 (serial 60) and its year limits
        ("DATE(1900,2,29)", 60.0), ("DATE(1900,3,1)", 61.0), ("DATE(1900,1,1)", 1.0),
        ("DATE(10000,1,1)", NUM), ("DATE(-1,1,1)", NUM), ("DATE(1900,1,-1)", NUM),
        ("DATE(\"x\",1,1)", VALUE), ("DATE(1/0,1,1)", "#DIV/0!"),
    ],
    "YEAR/MONTH/DAY": [
        ("YEAR(39575)", 2008.0), ("YEAR(40305)", 2010.0),          # corpus: ..._YEAR.xlsx
        ("YEAR(\"7/5/1800\")", VALUE), ("YEAR(\"7/5/10000\")", VALUE),  # corpus: ..._YEAR.xlsx
        ("MONTH(4123)", 4.0),                                      # corpus: ..._MONTH.xlsx
        ("MONTH(\"15-Apr-11\")", 4.0), ("DAY(\"15-Apr-11\")", 15.0),  # Microsoft: MONTH, DAY
        ("DAY(60)", 29.0), ("MONTH(60)", 2.0), ("DAY(61)", 1.0), ("YEAR(0)", 1900.0),
        ("DAY(0)", 0.0), ("YEAR(-1)", NUM), ("YEAR(2958466)", NUM),
    ],
    "DATEVALUE/TIMEVALUE": [
        ("DATEVALUE(\"8/22/2011\")", 40777.0), ("DATEVALUE(\"22-MAY-2011\")", 40685.0),
        ("DATEVALUE(\"2011/02/23\")", 40597.0),                    # Microsoft: DATEVALUE
        # corpus: PHPOffice ... 32readwrite*.xlsx
        ("DATEVALUE(\"2021-01-01\")", 44197.0), ("DATEVALUE(\"2022-10-01\")", 44835.0),
        ("DATEVALUE(\"2024年1月15日\")", 45306.0), ("DATEVALUE(\"x\")", VALUE), ("DATEVALUE(1)", VALUE),
        ("TIMEVALUE(\"2:24 AM\")", 0.1), ("TIMEVALUE(\"22-Aug-2011 6:35 AM\")", shown("0.2743056")),
        ("TIMEVALUE(\"x\")", VALUE),
    ],
    "TIME/HOUR/MINUTE/SECOND": [
        ("TIME(12,0,0)", 0.5), ("TIME(16,48,10)", shown("0.700115741")),  # Microsoft: TIME
        ("TIME(27,0,0)", 0.125), ("TIME(0,-1,0)", NUM),
        ("HOUR(0.75)", 18.0), ("HOUR(\"7/18/2011 7:45\")", 7.0), ("HOUR(\"4/21/2012\")", 0.0),
        ("MINUTE(\"12:45:00 PM\")", 45.0), ("SECOND(\"4:48:18 PM\")", 18.0),
        ("SECOND(\"4:48 PM\")", 0.0), ("HOUR(-1)", NUM),
    ],
    "WEEKDAY/WEEKNUM": [
        ("WEEKDAY(DATE(2008,2,14))", 5.0), ("WEEKDAY(DATE(2008,2,14),2)", 4.0),
        ("WEEKDAY(DATE(2008,2,14),3)", 3.0), ("WEEKDAY(1)", 1.0), ("WEEKDAY(45306,4)", NUM),
        ("WEEKNUM(DATE(2012,3,9))", 10.0), ("WEEKNUM(DATE(2012,3,9),2)", 11.0),
        ("ISOWEEKNUM(DATE(2012,3,9))", 10.0),
    ],
    "EDATE/EOMONTH": [
        # corpus: bradbase_xlcalculator_tests_resources_EDATE.xlsx
        ("EDATE(DATE(2011,1,15),1)", 40589.0), ("EDATE(DATE(2011,1,15),-1)", 40527.0),
        ("EDATE(DATE(2011,1,15),2)", 40617.0),
        ("EDATE(DATE(2011,1,31),1)", 40602.0), ("EDATE(\"x\",1)", VALUE),
        ("EOMONTH(DATE(2011,1,1),1)", 40602.0), ("EOMONTH(DATE(2011,1,1),-3)", 40482.0),
    ],
    "DAYS/DAYS360/DATEDIF": [
        ("DAYS(\"15-MAR-2021\",\"1-FEB-2021\")", 42.0), ("DAYS(DATE(2021,12,31),DATE(2021,1,1))", 364.0),
        ("DAYS360(DATE(2011,1,30),DATE(2011,12,31))", 330.0),
        ("DAYS360(DATE(2011,1,1),DATE(2011,1,30))", 29.0),
        ("DATEDIF(DATE(2001,1,1),DATE(2003,1,1),\"Y\")", 2.0),
        ("DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"D\")", 440.0),
        ("DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"YD\")", 75.0),
        ("DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"MD\")", 14.0),
        ("DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"M\")", 14.0),
        ("DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"YM\")", 2.0),
        ("DATEDIF(DATE(2003,1,1),DATE(2001,1,1),\"Y\")", NUM),
        ("DATEDIF(DATE(2001,1,1),DATE(2003,1,1),\"W\")", NUM),
    ],
    "YEARFRAC": [
        ("YEARFRAC(DATE(2012,1,1),DATE(2012,7,30))", shown("0.58055556")),   # Microsoft
        ("YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),1)", shown("0.57650273")),
        ("YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3)", shown("0.57808219")),
        # ECMA-376 Part 1, 18.17.7.352
        ("YEARFRAC(DATE(2006,1,1),DATE(2006,3,26))", shown("0.236111111")),
        ("YEARFRAC(DATE(2006,3,26),DATE(2006,1,1))", shown("0.236111111")),
        ("YEARFRAC(DATE(2006,1,1),DATE(2007,9,1))", shown("1.666666667")),
        ("YEARFRAC(DATE(2006,1,1),DATE(2006,7,1),1)", shown("0.495890411")),
        ("YEARFRAC(DATE(2006,1,1),DATE(2006,7,1),2)", shown("0.502777778")),
        ("YEARFRAC(DATE(2006,1,1),DATE(2006,7,1),4)", 0.5),
        ("YEARFRAC(DATE(2006,1,1),DATE(2006,7,1),5)", NUM),
        # basis 1, Excel's results as reported on the OASIS office-formula list (2008-04, 2010-09):
        # within a year the length is 366 only when a 29 February is covered ...
        ("YEARFRAC(DATE(2007,12,31),DATE(2008,1,1),1)", shown("0.00273973")),
        ("YEARFRAC(DATE(2007,12,31),DATE(2008,2,28),1)", shown("0.161643836")),
        ("YEARFRAC(DATE(2007,12,31),DATE(2008,2,29),1)", shown("0.163934426")),
        # ... beyond a year it is the average length of the calendar years spanned
        ("YEARFRAC(DATE(2001,1,1),DATE(2004,1,1),1)", shown("2.997946612")),
    ],
    "NETWORKDAYS/WORKDAY": [
        ("NETWORKDAYS(DATE(2012,10,1),DATE(2013,3,1))", 110.0),          # Microsoft: NETWORKDAYS
        ("NETWORKDAYS(DATE(2012,10,1),DATE(2013,3,1),DATE(2012,11,22))", 109.0),
        ("NETWORKDAYS(DATE(2012,10,1),DATE(2013,3,1),"
         "{\"2012/11/22\",\"2012/12/4\",\"2013/1/21\"})", 107.0),
        ("NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,1,31))", 22.0),       # Microsoft: .INTL
        ("NETWORKDAYS.INTL(DATE(2006,2,28),DATE(2006,1,31))", -21.0),
        ("NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),7,{\"2006/1/2\",\"2006/1/16\"})", 22.0),
        ("NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),\"0010001\",{\"2006/1/2\",\"2006/1/16\"})", 20.0),
        ("WORKDAY(DATE(2008,10,1),151)", 39933.0),                           # Microsoft: WORKDAY
        ("WORKDAY(DATE(2008,10,1),151,{\"2008/11/26\",\"2008/12/4\",\"2009/1/21\"})", 39938.0),
        ("WORKDAY.INTL(DATE(2012,1,1),30,0)", NUM),                          # Microsoft: .INTL
        ("WORKDAY.INTL(DATE(2012,1,1),90,11)", 41013.0),
        ("WORKDAY.INTL(DATE(2012,1,1),30,17)", 40944.0),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_date_function(expr, expected):
    check(expr, expected)


def test_workday_over_a_holiday_range():
    # corpus: apache_poi_test-data_spreadsheet_59106.xlsx (WORKDAY(C2,6,D2:D5) = 42438)
    cells = {("S", "C2"): 42429.0, ("S", "D2"): 42422.0, ("S", "D3"): 42423.0,
             ("S", "D4"): 42437.0, ("S", "D5"): 42499.0}
    assert calc("WORKDAY(C2,6,D2:D5)", cells) == 42438.0


def test_edate_of_named_cells():
    # corpus: apache_poi_test-data_spreadsheet_56688_1/_2/_4.xlsx, EDATE(DATE_CELL,INCREMENT)
    assert calc("EDATE(A2,A3)", {}) == 0.0                                   # both blank
    assert calc("EDATE(A2,A3)", {("S", "A2"): "abc"}) == VALUE
    assert calc("EDATE(A2,A3)", {("S", "A2"): 41823.0, ("S", "A3"): 2.0}) == 41885.0


def test_1904_date_system():
    # In the 1904 system serial 0 is 1904-01-01 (Microsoft: "Date systems in Excel")
    assert calc("DATE(1904,1,1)", date1904=True) == 0.0
    assert calc("DATE(2008,1,1)", date1904=True) == 39448.0 - 1462
    assert calc("YEAR(0)", date1904=True) == 1904.0
    assert calc("WEEKDAY(0)", date1904=True) == 6.0   # 1904-01-01 was a Friday
    assert calc("DATEVALUE(\"2021-01-01\")", date1904=True) == 44197.0 - 1462
    assert calc("DATE(1903,12,31)", date1904=True) == NUM
