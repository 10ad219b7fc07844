"""The database functions DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT, DSTDEV,
DSTDEVP, DSUM, DVAR, DVARP: ``D…(database, field, criteria)``.

``database`` is a range whose first row holds the column labels; ``field`` is a label
(case-insensitive) or a 1-based column number; ``criteria`` is a range whose first row holds
labels of the database and whose other rows hold conditions: a record matches a row when it
meets every non-blank condition of that row, and the criteria when it matches any row.
A condition is written as COUNTIF's ("=Apple", ">10", "<>"), except that a text without an
operator matches every text that *begins* with it, as Excel's Advanced Filter reads it
("Apple" also matches "Applesauce"; "=Apple" only "Apple").
"""

from __future__ import annotations

from ..values import text_to_num
from ._args import _E, NUM, VALUE, Arr, make_matcher
from ._declare import declared
from .math import f_product, f_sum
from .statistical import (
    f_average, f_count, f_counta, f_max, f_min, f_stdev_p, f_stdev_s, f_var_p, f_var_s,
)

_OPERATORS = ("<", ">", "=")


def _condition(v):
    """A predicate for one criteria cell (None when the cell is blank: no condition)."""
    if v is None or v == "":
        return None
    if type(v) is str and not v.startswith(_OPERATORS):
        if type(text_to_num(v)) is _E and not v.endswith("*"):
            return make_matcher(v + "*")
    return make_matcher(v)


def _label(v):
    return "" if v is None else str(v).strip().lower()


def _column(labels, field):
    """0-based column of ``field`` in the database labels, or #VALUE!."""
    if type(field) is _E:
        return field
    if type(field) in (float, int) and type(field) is not bool:
        k = int(field)
        return k - 1 if 1 <= k <= len(labels) else VALUE
    if type(field) is str:
        want = field.strip().lower()
        for i, lab in enumerate(labels):
            if lab == want:
                return i
    return VALUE


def _matching_records(database, criteria):
    """The database's records (rows after the labels) that meet the criteria, or an error."""
    if type(database) is _E:  # DSUM(#REF!,…): a deleted range is passed on
        return database
    if type(criteria) is _E:
        return criteria
    if type(database) is not Arr or type(criteria) is not Arr or database.nrows < 1 or criteria.nrows < 1:
        return VALUE
    labels = [_label(v) for v in database.rows[0]]
    records = database.rows[1:]
    crit_labels = [_label(v) for v in criteria.rows[0]]
    rows = []
    for crow in criteria.rows[1:]:
        tests = []
        for lab, cell in zip(crit_labels, crow):
            test = _condition(cell)
            if test is None:
                continue
            if lab not in labels:
                return VALUE   # a computed criterion (a formula under a new label) is not read here
            tests.append((labels.index(lab), test))
        rows.append(tests)
    if not rows:
        return VALUE
    return [rec for rec in records if any(all(t(rec[i]) for i, t in tests) for tests in rows)]


def _database_function(aggregate):
    def f(database, field, criteria):
        records = _matching_records(database, criteria)
        if type(records) is _E:
            return records
        if field is None and aggregate in (f_count, f_counta):
            return float(len(records))
        col = _column([_label(v) for v in database.rows[0]], field)
        if type(col) is _E:
            return col
        return aggregate(Arr(tuple((rec[col],) for rec in records)) if records else Arr(((None,),)))
    return f


def _dget(database, field, criteria):
    records = _matching_records(database, criteria)
    if type(records) is _E:
        return records
    col = _column([_label(v) for v in database.rows[0]], field)
    if type(col) is _E:
        return col
    if not records:
        return VALUE
    if len(records) > 1:
        return NUM
    v = records[0][col]
    return 0.0 if v is None else v


_SIGNATURE = "range, any, range"

FUNCTIONS = {
    "DAVERAGE": declared(_SIGNATURE, _database_function(f_average)),
    "DCOUNT": declared(_SIGNATURE, _database_function(f_count)),
    "DCOUNTA": declared(_SIGNATURE, _database_function(f_counta)),
    "DGET": declared(_SIGNATURE, _dget),
    "DMAX": declared(_SIGNATURE, _database_function(f_max)),
    "DMIN": declared(_SIGNATURE, _database_function(f_min)),
    "DPRODUCT": declared(_SIGNATURE, _database_function(f_product)),
    "DSTDEV": declared(_SIGNATURE, _database_function(f_stdev_s)),
    "DSTDEVP": declared(_SIGNATURE, _database_function(f_stdev_p)),
    "DSUM": declared(_SIGNATURE, _database_function(f_sum)),
    "DVAR": declared(_SIGNATURE, _database_function(f_var_s)),
    "DVARP": declared(_SIGNATURE, _database_function(f_var_p)),
}
