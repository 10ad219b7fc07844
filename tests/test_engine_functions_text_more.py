"""BAHTTEXT and ENCODEURL.  Expected values: Microsoft's pages (BAHTTEXT(1234), ENCODEURL of
the SharePoint address) and the Thai reading rules those pages rest on (ยี่สิบ for 20, เอ็ด for a
final 1, สตางค์ for the decimals)."""

import pytest

from function_checks import cases, check

CASES = {
    "BAHTTEXT": [
        ("BAHTTEXT(1234)", "หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน"), ("BAHTTEXT(21)", "ยี่สิบเอ็ดบาทถ้วน"),
        ("BAHTTEXT(11)", "สิบเอ็ดบาทถ้วน"), ("BAHTTEXT(101.5)", "หนึ่งร้อยเอ็ดบาทห้าสิบสตางค์"),
        ("BAHTTEXT(0.25)", "ยี่สิบห้าสตางค์"), ("BAHTTEXT(0)", "ศูนย์บาทถ้วน"),
        ("BAHTTEXT(2000000)", "สองล้านบาทถ้วน"), ("BAHTTEXT(-11)", "ลบสิบเอ็ดบาทถ้วน"),
    ],
    "ENCODEURL": [
        ('ENCODEURL("http://contoso.sharepoint.com/teams/Finance/Documents/April Reports/Profit and Loss Statement.xlsx")',
         "http%3A%2F%2Fcontoso.sharepoint.com%2Fteams%2FFinance%2FDocuments%2FApril%20Reports%2FProfit%20and%20Loss%20Statement.xlsx"),
        ('ENCODEURL("绩效")', "%E7%BB%A9%E6%95%88"), ('ENCODEURL("a-b_c.d~e")', "a-b_c.d~e"),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_text_more(expr, expected):
    check(expr, expected)
