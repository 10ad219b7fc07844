"""Engineering functions.  Sources: Microsoft's function pages (support.microsoft.com, the
"Example" tables: negative numbers are ten-digit two's complement) and
apache_poi_test-data_spreadsheet_atp.xlsx in the corpus (saved by Excel)."""

import pytest

from function_checks import NUM, VALUE, cases, check

CASES = {
    "DEC2x": [
        ("DEC2BIN(9,4)", "1001"), ("DEC2BIN(-100)", "1110011100"), ("DEC2BIN(9,2)", NUM),
        ("DEC2BIN(512)", NUM), ("DEC2BIN(-512)", "1000000000"), ("DEC2BIN(-513)", NUM),
        ("DEC2BIN(9,-1)", NUM), ("DEC2BIN(9,\"x\")", VALUE), ("DEC2BIN(\"x\")", VALUE),
        ("DEC2BIN(-1,2)", "1111111111"),   # places is ignored for negative numbers
        ("DEC2OCT(58,3)", "072"), ("DEC2OCT(-100)", "7777777634"),
        ("DEC2HEX(100,4)", "0064"), ("DEC2HEX(-54)", "FFFFFFFFCA"), ("DEC2HEX(28)", "1C"),
        ("DEC2HEX(64,1)", NUM), ("DEC2HEX(549755813888)", NUM),
    ],
    "x2DEC and between bases": [
        ("BIN2DEC(1100100)", 100.0), ("BIN2DEC(1111111111)", -1.0), ("BIN2DEC(2)", NUM),
        ("BIN2DEC(\"11111111111\")", NUM), ("BIN2DEC(\"\")", 0.0),
        ("BIN2HEX(11111011,4)", "00FB"), ("BIN2HEX(1110)", "E"), ("BIN2HEX(1111111111)", "FFFFFFFFFF"),
        ("BIN2OCT(1001,3)", "011"), ("BIN2OCT(1100100)", "144"), ("BIN2OCT(1111111111)", "7777777777"),
        ("HEX2DEC(\"A5\")", 165.0), ("HEX2DEC(\"FFFFFFFF5B\")", -165.0), ("HEX2DEC(\"3DA408B9\")", 1034160313.0),
        ("HEX2DEC(\"G\")", NUM),
        ("HEX2BIN(\"F\",8)", "00001111"), ("HEX2BIN(\"B7\")", "10110111"),
        ("HEX2BIN(\"FFFFFFFFFF\")", "1111111111"),
        ("HEX2OCT(\"F\",3)", "017"), ("HEX2OCT(\"3B4E\")", "35516"), ("HEX2OCT(\"FFFFFFFF00\")", "7777777400"),
        ("OCT2DEC(54)", 44.0), ("OCT2DEC(7777777533)", -165.0),
        ("OCT2BIN(3,3)", "011"), ("OCT2BIN(7777777000)", "1000000000"),
        ("OCT2HEX(100,4)", "0040"), ("OCT2HEX(7777777533)", "FFFFFFFF5B"),
    ],
    "DELTA/GESTEP/bits": [
        ("DELTA(1.3,1.5)", 0.0),   # corpus: ..._atp.xlsx
        ("DELTA(5,4)", 0.0), ("DELTA(5,5)", 1.0), ("DELTA(0.5)", 0.0), ("DELTA(\"x\")", VALUE),
        ("GESTEP(5,4)", 1.0), ("GESTEP(5,5)", 1.0), ("GESTEP(-4,-5)", 1.0), ("GESTEP(-1)", 0.0),
        ("BITAND(1,5)", 1.0), ("BITAND(13,25)", 9.0), ("BITOR(23,10)", 31.0), ("BITXOR(5,3)", 6.0),
        ("BITLSHIFT(4,2)", 16.0), ("BITRSHIFT(13,2)", 3.0), ("BITAND(-1,1)", NUM),
    ],
    "complex numbers": [
        # corpus: apache_poi_test-data_spreadsheet_atp.xlsx
        ("COMPLEX(2,4)", "2+4i"), ("IMLN(COMPLEX(2,4))", "1.497866136777+1.10714871779409i"),
        ("IMEXP(COMPLEX(2,4))", "-4.82980938326939-5.59205609364098i"),
        # Microsoft: COMPLEX, IM* pages
        ("COMPLEX(3,4)", "3+4i"), ("COMPLEX(3,4,\"j\")", "3+4j"), ("COMPLEX(0,1)", "i"),
        ("COMPLEX(1,0)", "1"), ("COMPLEX(1,1,\"k\")", VALUE), ("COMPLEX(\"x\",1)", VALUE),
        ("IMLN(\"3+4i\")", "1.6094379124341+0.927295218001612i"),
        ("IMEXP(\"1+i\")", "1.46869393991589+2.28735528717884i"),
        ("IMSUM(\"3+4i\",\"5-3i\")", "8+i"), ("IMSUB(\"13+4i\",\"5+3i\")", "8+i"),
        ("IMPRODUCT(\"3+4i\",\"5-3i\")", "27+11i"), ("IMPRODUCT(\"1+2i\",30)", "30+60i"),
        ("IMDIV(\"-238+240i\",\"10+24i\")", "5+12i"), ("IMPOWER(\"2+3i\",3)", "-46+9.00000000000001i"),
        ("IMSQRT(\"1+i\")", "1.09868411346781+0.455089860562227i"), ("IMABS(\"5+12i\")", 13.0),
        ("IMAGINARY(\"3+4i\")", 4.0), ("IMAGINARY(\"0-j\")", -1.0), ("IMAGINARY(4)", 0.0),
        ("IMREAL(\"6-9i\")", 6.0), ("IMARGUMENT(\"3+4i\")", 0.92729521800161219),
        ("IMCONJUGATE(\"3+4i\")", "3-4i"), ("IMSIN(\"4+3i\")", "-7.61923172032141-6.548120040911i"),
        ("IMCOS(\"1+i\")", "0.833730025131149-0.988897705762865i"),
        ("IMLOG10(\"3+4i\")", "0.698970004336019+0.402719196273373i"),
        ("IMLOG2(\"3+4i\")", "2.32192809488736+1.33780421245098i"),
        ("IMSUM(\"3+4i\",\"1+j\")", VALUE), ("IMREAL(\"3+4k\")", NUM), ("IMLN(0)", NUM),
    ],
}


@pytest.mark.parametrize("expr,expected", cases(CASES))
def test_engineering_function(expr, expected):
    check(expr, expected)
