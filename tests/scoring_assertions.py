"""Shared assertion for the scoring tests: a score is a number equal to an exact decimal."""
from decimal import Decimal


def assert_score(got, expected):
    assert isinstance(got, (int, float)) and not isinstance(got, bool), f"expected {expected}, got {got!r}"
    assert Decimal(repr(got)) == Decimal(expected), f"expected {expected}, got {got!r}"
