"""Statistical functions: aggregates (AVERAGE, COUNT, MIN, MAX ... and their A forms),
conditional aggregates (COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS), order statistics
(LARGE, SMALL, MEDIAN, PERCENTILE, QUARTILE, RANK, MODE), dispersion (STDEV, VAR, AVEDEV,
DEVSQ ...), regression (CORREL, SLOPE, INTERCEPT, FORECAST, LINEST, TREND ...), the normal
distribution, and `aggregate_by_code` for the core's SUBTOTAL."""

from __future__ import annotations

import math
import statistics

from ..values import lift, text_to_num, to_bool
from ._args import (
    _E, DIV0, NA, NUM, REF, VALUE, Arr, cells, finite, first_error, flat, integer, is_num,
    make_matcher, num, number_pairs, numbers, numbers_a, numeric_matrix, nums,
)
from .math import f_permut, f_product, f_sum, inverse_matrix

# ---------------------------------------------------------------- counting & averages


def f_count(*args):
    n = 0
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                if is_num(v):
                    n += 1
        elif a is None or type(a) is _E:
            continue
        elif type(a) in (float, int, bool):
            n += 1
        elif type(a) is str and type(text_to_num(a)) is not _E:
            n += 1
    return float(n)


def f_counta(*args):
    n = 0
    for a in args:
        if type(a) is Arr:
            for v in a.values():
                if v is not None:
                    n += 1
        elif a is not None:
            n += 1
    return float(n)


def f_countblank(*args):
    n = 0
    for a in args:
        if type(a) is _E:  # COUNTBLANK(#REF!): the reference itself is an error
            return a
        for v in flat(a):
            if v is None or v == "":
                n += 1
    return float(n)


def _over(collect, reduce_, empty):
    """An aggregate: collect the values (numbers() or numbers_a()), then reduce them."""
    def f(*args):
        vals = collect(args)
        if type(vals) is _E:
            return vals
        if not vals:
            return empty
        return reduce_(vals)
    return f


def _mean(vals):
    return finite(math.fsum(vals) / len(vals))


f_average = _over(numbers, _mean, DIV0)
f_averagea = _over(numbers_a, _mean, DIV0)
f_min = _over(numbers, min, 0.0)
f_max = _over(numbers, max, 0.0)
f_mina = _over(numbers_a, min, 0.0)
f_maxa = _over(numbers_a, max, 0.0)


def _median(vals):
    s = sorted(vals)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


f_median = _over(numbers, _median, NUM)


def _geomean(vals):
    if any(v <= 0 for v in vals):
        return NUM
    return math.exp(math.fsum(math.log(v) for v in vals) / len(vals))


def _harmean(vals):
    if any(v <= 0 for v in vals):
        return NUM
    return len(vals) / math.fsum(1.0 / v for v in vals)


f_geomean = _over(numbers, _geomean, NUM)
f_harmean = _over(numbers, _harmean, NUM)


def _devsq(vals):
    m = math.fsum(vals) / len(vals)
    return math.fsum((v - m) ** 2 for v in vals)


def _avedev(vals):
    m = math.fsum(vals) / len(vals)
    return math.fsum(abs(v - m) for v in vals) / len(vals)


f_devsq = _over(numbers, _devsq, NUM)
f_avedev = _over(numbers, _avedev, NUM)


def _variance(sample):
    def var(vals):
        n = len(vals)
        if n < (2 if sample else 1):
            return DIV0
        return finite(_devsq(vals) / (n - 1 if sample else n))
    return var


def _stdev(sample):
    variance = _variance(sample)

    def sd(vals):
        v = variance(vals)
        return v if type(v) is _E else math.sqrt(v)
    return sd


f_var_s = _over(numbers, _variance(True), DIV0)
f_var_p = _over(numbers, _variance(False), DIV0)
f_vara = _over(numbers_a, _variance(True), DIV0)
f_varpa = _over(numbers_a, _variance(False), DIV0)
f_stdev_s = _over(numbers, _stdev(True), DIV0)
f_stdev_p = _over(numbers, _stdev(False), DIV0)
f_stdeva = _over(numbers_a, _stdev(True), DIV0)
f_stdevpa = _over(numbers_a, _stdev(False), DIV0)


def _standard_scores(vals, at_least):
    """(v - mean) / sample standard deviation for each value; #DIV/0! with fewer than at_least
    values or when they are all equal (SKEW, KURT)."""
    n = len(vals)
    if n < at_least:
        return DIV0
    m = math.fsum(vals) / n
    sd = math.sqrt(_devsq(vals) / (n - 1))
    if sd == 0:
        return DIV0
    return [(v - m) / sd for v in vals]


def _skew(vals):
    z = _standard_scores(vals, 3)
    if type(z) is _E:
        return z
    n = len(vals)
    return n / ((n - 1) * (n - 2)) * math.fsum(v ** 3 for v in z)


def _kurt(vals):
    z = _standard_scores(vals, 4)
    if type(z) is _E:
        return z
    n = len(vals)
    s4 = math.fsum(v ** 4 for v in z)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * s4 - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))


f_skew = _over(numbers, _skew, DIV0)
f_kurt = _over(numbers, _kurt, DIV0)


# ---------------------------------------------------------------- order statistics

def _data_and(arr, *scalars):
    """The numbers of a data argument and the numeric scalar arguments after it."""
    vals, xs = numbers([arr]), nums(*scalars)
    return first_error(vals, xs) or (vals, xs)


def _kth(largest):
    def f(arr, k):
        got = _data_and(arr, k)
        if type(got) is _E:
            return got
        vals, (k,) = got
        k = math.ceil(k)
        if k < 1 or k > len(vals):
            return NUM
        return sorted(vals, reverse=largest)[k - 1]
    return f


f_large = _kth(True)
f_small = _kth(False)


def _interpolate(sorted_vals, h):
    """Value at 0-based fractional position h of sorted data."""
    lo = math.floor(h)
    if lo + 1 >= len(sorted_vals):
        return sorted_vals[lo]
    return sorted_vals[lo] + (h - lo) * (sorted_vals[lo + 1] - sorted_vals[lo])


def f_percentile_inc(arr, k):
    got = _data_and(arr, k)
    if type(got) is _E:
        return got
    vals, (k,) = got
    if not vals or k < 0 or k > 1:
        return NUM
    s = sorted(vals)
    return _interpolate(s, (len(s) - 1) * k)


def f_percentile_exc(arr, k):
    got = _data_and(arr, k)
    if type(got) is _E:
        return got
    vals, (k,) = got
    n = len(vals)
    if not vals or k <= 0 or k >= 1:
        return NUM
    h = (n + 1) * k - 1
    if h < 0 or h > n - 1:
        return NUM
    return _interpolate(sorted(vals), h)


def f_quartile_inc(arr, q):
    got = _data_and(arr, q)
    if type(got) is _E:
        return got
    vals, (q,) = got
    q = int(q)
    if not vals or q < 0 or q > 4:
        return NUM
    s = sorted(vals)
    return _interpolate(s, (len(s) - 1) * q / 4.0)


def f_quartile_exc(arr, q):
    got = _data_and(arr, q)
    if type(got) is _E:
        return got
    q = int(got[1][0])
    if q < 1 or q > 3:
        return NUM
    return f_percentile_exc(arr, q / 4.0)


def _percentrank(exclusive):
    def f(arr, x, significance=None):
        got = _data_and(arr, x, 3.0 if significance is None else significance)
        if type(got) is _E:
            return got
        vals, (x, digits) = got
        digits = int(digits)
        if not vals or digits < 1:
            return NUM
        s = sorted(vals)
        n = len(s)
        if x < s[0] or x > s[-1]:
            return NA
        below = sum(1 for v in s if v < x)
        if x in s:
            pos = float(below)  # 0-based position of x in the sorted data
        else:
            lo, hi = s[below - 1], s[below]
            pos = below - 1 + (x - lo) / (hi - lo)
        r = (pos + 1) / (n + 1) if exclusive else (pos / (n - 1) if n > 1 else 1.0)
        factor = 10.0 ** digits
        return math.floor(r * factor + 1e-9) / factor  # Excel truncates to the digits
    return f


f_percentrank_inc = _percentrank(False)
f_percentrank_exc = _percentrank(True)


def _rank(average):
    def f(x, ref, order=None):
        x, vals, o = num(x), numbers([ref]), 0.0 if order is None else num(order)
        err = first_error(x, vals, o)
        if err is not None:
            return err
        ascending = o != 0
        if x not in vals:
            return NA
        better = sum(1 for v in vals if (v < x if ascending else v > x))
        if not average:
            return float(better + 1)
        ties = vals.count(x)
        return better + (ties + 1) / 2.0
    return f


f_rank_eq = _rank(False)
f_rank_avg = _rank(True)


def _modes(args):
    """The numbers that occur most often, each once, in the order they first occur in the data;
    #N/A when no number repeats, or the first error."""
    vals = numbers(args)
    if type(vals) is _E:
        return vals
    counts = {}
    for v in vals:
        counts[v] = counts.get(v, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        return NA
    return list(dict.fromkeys(v for v in vals if counts[v] == best))


def f_mode_sngl(*args):
    modes = _modes(args)
    return modes if type(modes) is _E else modes[0]


def f_mode_mult(*args):
    modes = _modes(args)
    return modes if type(modes) is _E else Arr(tuple((v,) for v in modes))


def f_trimmean(arr, percent):
    got = _data_and(arr, percent)
    if type(got) is _E:
        return got
    vals, (p,) = got
    if not vals or p < 0 or p >= 1:
        return NUM
    k = int(len(vals) * p / 2)  # trimmed from each end, rounded down to an even total
    s = sorted(vals)[k: len(vals) - k]
    return math.fsum(s) / len(s)


def f_standardize(x, mean, sd):
    vals = nums(x, mean, sd)
    if type(vals) is _E:
        return vals
    x, m, s = vals
    if s <= 0:
        return NUM
    return (x - m) / s


def f_frequency(data, bins):
    vals, edges = numbers([data]), numbers([bins])
    err = first_error(vals, edges)
    if err is not None:
        return err
    order = sorted(range(len(edges)), key=lambda i: edges[i])
    counts = [0] * (len(edges) + 1)
    for v in vals:
        for i in order:
            if v <= edges[i]:
                counts[i] += 1
                break
        else:
            counts[-1] += 1
    return Arr(tuple((float(c),) for c in counts))


# ---------------------------------------------------------------- two variables

def _paired(ys, xs):
    """Pairs (x, y) where both cells are numbers; #N/A if the sizes differ.  Excel takes the
    y values first (SLOPE(known_y's, known_x's)), so their errors come first."""
    pairs = number_pairs(ys, xs)
    return pairs if type(pairs) is _E else [(x, y) for y, x in pairs]


def _moments(pairs):
    n = len(pairs)
    mx = math.fsum(x for x, _ in pairs) / n
    my = math.fsum(y for _, y in pairs) / n
    sxx = math.fsum((x - mx) ** 2 for x, _ in pairs)
    syy = math.fsum((y - my) ** 2 for _, y in pairs)
    sxy = math.fsum((x - mx) * (y - my) for x, y in pairs)
    return n, mx, my, sxx, syy, sxy


def f_correl(a, b):
    pairs = _paired(a, b)
    if type(pairs) is _E:
        return pairs
    if len(pairs) < 2:
        return DIV0
    _n, _mx, _my, sxx, syy, sxy = _moments(pairs)
    if sxx == 0 or syy == 0:
        return DIV0
    return finite(sxy / math.sqrt(sxx * syy))


def f_rsq(ys, xs):
    r = f_correl(ys, xs)
    return r if type(r) is _E else r * r


def _fitted_line(ys, xs):
    """SLOPE, INTERCEPT, FORECAST: (slope, mean x, mean y) of the least-squares line through
    the pairs, or the error (#DIV/0! without pairs or when every x is the same)."""
    pairs = _paired(ys, xs)
    if type(pairs) is _E:
        return pairs
    if not pairs:
        return DIV0
    _n, mx, my, sxx, _syy, sxy = _moments(pairs)
    if sxx == 0:
        return DIV0
    return sxy / sxx, mx, my


def f_slope(ys, xs):
    line = _fitted_line(ys, xs)
    return line if type(line) is _E else line[0]


def f_intercept(ys, xs):
    line = _fitted_line(ys, xs)
    if type(line) is _E:
        return line
    b, mx, my = line
    return my - b * mx


def f_forecast(x, ys, xs):
    x, line = num(x), _fitted_line(ys, xs)
    err = first_error(x, line)
    if err is not None:
        return err
    b, mx, my = line
    return my + b * (x - mx)


def f_steyx(ys, xs):
    pairs = _paired(ys, xs)
    if type(pairs) is _E:
        return pairs
    n = len(pairs)
    if n < 3:
        return DIV0
    _n, _mx, _my, sxx, syy, sxy = _moments(pairs)
    if sxx == 0:
        return DIV0
    return math.sqrt(max(syy - sxy * sxy / sxx, 0.0) / (n - 2))


def _covariance(sample):
    def f(a, b):
        pairs = _paired(a, b)
        if type(pairs) is _E:
            return pairs
        n = len(pairs)
        if n < (2 if sample else 1):
            return DIV0
        sxy = _moments(pairs)[5]
        return sxy / (n - 1 if sample else n)
    return f


f_covariance_p = _covariance(False)
f_covariance_s = _covariance(True)


# ---------------------------------------------------------------- LINEST & TREND

def _regression_data(known_y, known_x):
    """(ys, columns of xs, observations as rows) or an error; x defaults to 1, 2, 3 ..."""
    ygrid = numeric_matrix(known_y)
    if type(ygrid) is _E:
        return ygrid
    ny, my = len(ygrid), len(ygrid[0])
    ys = [v for row in ygrid for v in row]
    if known_x is None:
        return ys, [[float(k + 1) for k in range(len(ys))]]
    xgrid = numeric_matrix(known_x)
    if type(xgrid) is _E:
        return xgrid
    nx, mx = len(xgrid), len(xgrid[0])
    if (nx, mx) == (ny, my):
        return ys, [[v for row in xgrid for v in row]]
    if my == 1 and nx == ny:       # y a column: each x column is a variable
        return ys, [[row[j] for row in xgrid] for j in range(mx)]
    if ny == 1 and mx == my:       # y a row: each x row is a variable
        return ys, [list(row) for row in xgrid]
    return REF


def _least_squares(ys, xcols, const):
    """Coefficients (one per x column, then the intercept) by Householder QR; a column that is
    collinear with earlier ones gets coefficient 0, as Excel does since 2003."""
    n = len(ys)
    if const:
        my = math.fsum(ys) / n
        means = [math.fsum(c) / n for c in xcols]
        cols = [[v - m for v in c] for c, m in zip(xcols, means)]
        y = [v - my for v in ys]
    else:
        cols = [list(c) for c in xcols]
        y = list(ys)
    k = len(cols)
    kept = []
    basis = []  # orthonormal vectors of the kept columns (modified Gram-Schmidt)
    for j in range(k):
        v = list(cols[j])
        norm0 = math.sqrt(math.fsum(t * t for t in v))
        for q in basis:
            d = math.fsum(a * b for a, b in zip(q, v))
            v = [a - d * b for a, b in zip(v, q)]
        norm = math.sqrt(math.fsum(t * t for t in v))
        if norm0 == 0 or norm <= 1e-10 * norm0:
            continue
        basis.append([t / norm for t in v])
        kept.append(j)
    coef = [0.0] * k
    if kept:
        # solve the normal equations on the kept columns
        a = [[math.fsum(cols[i][t] * cols[j][t] for t in range(n)) for j in kept] for i in kept]
        b = [math.fsum(cols[i][t] * y[t] for t in range(n)) for i in kept]
        sol = _solve_linear(a, b)
        if sol is None:
            return None
        for idx, j in enumerate(kept):
            coef[j] = sol[idx]
    intercept = 0.0
    if const:
        intercept = my - math.fsum(c * m for c, m in zip(coef, means))
    return coef, intercept, kept


def _solve_linear(a, b):
    n = len(a)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        if m[p][c] == 0:
            return None
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                if f:
                    m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def f_linest(known_y, known_x=None, const=None, stats=None):
    data = _regression_data(known_y, known_x)
    use_const = True if const is None else to_bool(const)
    want_stats = False if stats is None else to_bool(stats)
    err = first_error(data, use_const, want_stats)
    if err is not None:
        return err
    ys, xcols = data
    fit = _least_squares(ys, xcols, use_const)
    if fit is None:
        return NUM
    coef, b, kept = fit
    k = len(xcols)
    first_row = tuple(coef[::-1]) + (b,)
    if not want_stats:
        return Arr((first_row,))
    n = len(ys)
    fitted = [b + math.fsum(c * col[t] for c, col in zip(coef, xcols)) for t in range(n)]
    ss_resid = math.fsum((y - f) ** 2 for y, f in zip(ys, fitted))
    if use_const:
        my = math.fsum(ys) / n
        ss_total = math.fsum((y - my) ** 2 for y in ys)
    else:
        ss_total = math.fsum(y * y for y in ys)
    ss_reg = ss_total - ss_resid
    df = n - len(kept) - (1 if use_const else 0)
    r2 = ss_reg / ss_total if ss_total else 1.0
    sey = math.sqrt(ss_resid / df) if df > 0 else NA
    f_stat = (ss_reg / len(kept)) / (ss_resid / df) if df > 0 and ss_resid and kept else NUM
    # standard errors from the inverse of X'X over the kept columns
    se = [0.0] * k
    se_b = NA if not use_const else 0.0
    if df > 0:
        sigma2 = ss_resid / df
        if use_const:
            means = [math.fsum(c) / n for c in xcols]
            design = [[xcols[j][t] - means[j] for j in kept] for t in range(n)]
        else:
            design = [[xcols[j][t] for j in kept] for t in range(n)]
        m = len(kept)
        xtx = [[math.fsum(design[t][i] * design[t][j] for t in range(n)) for j in range(m)]
               for i in range(m)]
        inv = inverse_matrix(xtx) if m else []
        if inv is not None:
            for idx, j in enumerate(kept):
                se[j] = math.sqrt(max(inv[idx][idx] * sigma2, 0.0))
            if use_const:
                quad = math.fsum(means[kept[i]] * inv[i][jj] * means[kept[jj]]
                                 for i in range(m) for jj in range(m))
                se_b = math.sqrt(max(sigma2 * (1.0 / n + quad), 0.0))
    elif use_const:
        se_b = NA
    width = k + 1
    rows = [first_row,
            tuple(se[::-1]) + (se_b,),
            (r2, sey) + (NA,) * (width - 2),
            (f_stat, float(df)) + (NA,) * (width - 2),
            (ss_reg, ss_resid) + (NA,) * (width - 2)]
    return Arr(tuple(rows))


def f_trend(known_y, known_x=None, new_x=None, const=None):
    data = _regression_data(known_y, known_x)
    use_const = True if const is None else to_bool(const)
    err = first_error(data, use_const)
    if err is not None:
        return err
    ys, xcols = data
    fit = _least_squares(ys, xcols, use_const)
    if fit is None:
        return NUM
    coef, b, _kept = fit
    if new_x is None:
        new_x = known_x if known_x is not None else Arr(tuple((float(k + 1),) for k in range(len(ys))))
    grid = numeric_matrix(new_x)
    if type(grid) is _E:
        return grid
    k = len(xcols)
    if k == 1:
        return Arr(tuple(tuple(b + coef[0] * v for v in row) for row in grid))
    # several variables: one observation per row (or per column when y is a row)
    if len(grid[0]) == k:
        return Arr(tuple((b + math.fsum(c * v for c, v in zip(coef, row)),) for row in grid))
    if len(grid) == k:
        return Arr((tuple(b + math.fsum(coef[j] * grid[j][t] for j in range(k))
                          for t in range(len(grid[0]))),))
    return REF


# ---------------------------------------------------------------- distributions

def f_norm_dist(x, mean, sd, cumulative):
    vals, c = nums(x, mean, sd), to_bool(cumulative)
    err = first_error(vals, c)
    if err is not None:
        return err
    x, m, s = vals
    if s <= 0:
        return NUM
    d = statistics.NormalDist(m, s)
    return d.cdf(x) if c else d.pdf(x)


def f_norm_s_dist(z, cumulative=True):
    return f_norm_dist(z, 0.0, 1.0, cumulative)


def f_normsdist(z):
    return f_norm_dist(z, 0.0, 1.0, True)


def f_norm_inv(p, mean, sd):
    vals = nums(p, mean, sd)
    if type(vals) is _E:
        return vals
    p, m, s = vals
    if not 0 < p < 1 or s <= 0:
        return NUM
    return statistics.NormalDist(m, s).inv_cdf(p)


def f_norm_s_inv(p):
    return f_norm_inv(p, 0.0, 1.0)


# ---------------------------------------------------------------- conditional aggregates

def _mask(pairs):
    """The cells meeting every (range, criterion) pair: rows of booleans, or #VALUE! when the
    ranges differ in shape."""
    if not pairs:
        return VALUE
    shape = None
    masks = None
    for rng, crit in pairs:
        if type(rng) is _E:  # COUNTIFS(#REF!,1): the range itself is an error
            return rng
        rows = cells(rng)
        sh = (len(rows), len(rows[0]) if rows else 0)
        if shape is None:
            shape = sh
            masks = [[True] * sh[1] for _ in range(sh[0])]
        elif sh != shape:
            return VALUE
        test = make_matcher(crit)
        for i, row in enumerate(rows):
            mrow = masks[i]
            for j, v in enumerate(row):
                if mrow[j] and not test(v):
                    mrow[j] = False
    return masks


from ..groups import memoized_masks, memoized_selection  # noqa: E402  issue 17 (speed): a filled-down column matches once

_mask = memoized_masks(_mask)


def _selected(masks, values):
    """Numbers of `values` at the selected positions (a shorter range counts as blank)."""
    rows = cells(values)
    out = []
    for i, mrow in enumerate(masks):
        for j, ok in enumerate(mrow):
            if ok and i < len(rows) and j < len(rows[i]):
                v = rows[i][j]
                if type(v) is _E:
                    return v
                if is_num(v):
                    out.append(float(v))
    return out


_selected = memoized_selection(_selected)


def _criteria_pairs(args):
    if not args or len(args) % 2:
        return VALUE
    return list(zip(args[::2], args[1::2]))


def _lifting_criteria(fn, first_criterion):
    """Excel 365 maps COUNTIF(S)/SUMIF(S)... over an array of criteria, one result each
    (SUM(COUNTIF(r,{"a","b"})) counts both); args from `first_criterion` on alternate with it."""
    def lifted(*args):
        crits = args[first_criterion::2]
        if not any(type(c) is Arr for c in crits):
            return fn(*args)
        positions = range(first_criterion, len(args), 2)

        def one(*criteria):
            full = list(args)
            for k, c in zip(positions, criteria):
                full[k] = c
            return fn(*full)
        return lift(one, *crits)
    return lifted


def f_countif(rng, crit):
    if type(rng) is _E:  # COUNTIF(#REF!,1) is #REF!, not a count of one cell
        return rng
    test = make_matcher(crit)
    return float(sum(1 for row in cells(rng) for v in row if test(v)))


def _criteria_mask(args):
    """The mask of alternating (range, criterion) arguments, or #VALUE!."""
    pairs = _criteria_pairs(args)
    return pairs if type(pairs) is _E else _mask(pairs)


def f_countifs(*args):
    masks = _criteria_mask(args)
    if type(masks) is _E:
        return masks
    return float(sum(sum(r) for r in masks))


def _conditional(reduce_, empty):
    """SUMIFS-style: the aggregated range first, then (range, criterion) pairs."""
    def f(values, *args):
        masks = _criteria_mask(args)
        if type(masks) is _E:
            return masks
        if type(values) is _E:
            return values
        sel = _selected(masks, values)
        if type(sel) is _E:
            return sel
        return reduce_(sel) if sel else empty
    return f


f_sumifs = _conditional(lambda s: finite(math.fsum(s)), 0.0)
f_averageifs = _conditional(_mean, DIV0)
f_maxifs = _conditional(max, 0.0)
f_minifs = _conditional(min, 0.0)


def _single_condition(multi):
    """SUMIF/AVERAGEIF: (range, criterion, [values range]); values default to the range."""
    def f(rng, crit, values=None):
        return multi(rng if values is None else values, rng, crit)
    return f


f_sumif = _single_condition(f_sumifs)
f_averageif = _single_condition(f_averageifs)


# ---------------------------------------------------------------- SUBTOTAL support

_BY_CODE = {
    1: f_average, 2: f_count, 3: f_counta, 4: f_max, 5: f_min, 6: f_product,
    7: f_stdev_s, 8: f_stdev_p, 9: f_sum, 10: f_var_s, 11: f_var_p,
}
# AGGREGATE's further functions (14-19 take k after the data)
_AGGREGATE_ONLY = {
    12: f_median, 13: f_mode_sngl, 14: f_large, 15: f_small, 16: f_percentile_inc,
    17: f_quartile_inc, 18: f_percentile_exc, 19: f_quartile_exc,
}


def aggregate_by_code(code, arrs, aggregate=False):
    """SUBTOTAL's function `code` (1-11, or 101-111: the core has already dropped hidden rows)
    or, with ``aggregate``, AGGREGATE's (1-19) over a list of ranges/values, as Excel
    aggregates them."""
    c = integer(code)
    if type(c) is _E:
        return c
    if c > 100:
        c -= 100
    fn = _BY_CODE.get(c) or (_AGGREGATE_ONLY.get(c) if aggregate else None)
    if fn is None:
        return VALUE
    return fn(*arrs)


FUNCTIONS = {
    "COUNT": (f_count, "R", False),
    "COUNTA": (f_counta, "R", False),
    "COUNTBLANK": (f_countblank, "R", False),
    "AVERAGE": (f_average, "R", False),
    "AVERAGEA": (f_averagea, "R", False),
    "MIN": (f_min, "R", False),
    "MAX": (f_max, "R", False),
    "MINA": (f_mina, "R", False),
    "MAXA": (f_maxa, "R", False),
    "MEDIAN": (f_median, "R", False),
    "GEOMEAN": (f_geomean, "R", False),
    "HARMEAN": (f_harmean, "R", False),
    "DEVSQ": (f_devsq, "R", False),
    "AVEDEV": (f_avedev, "R", False),
    "VAR": (f_var_s, "R", False),
    "VAR.S": (f_var_s, "R", False),
    "VARP": (f_var_p, "R", False),
    "VAR.P": (f_var_p, "R", False),
    "VARA": (f_vara, "R", False),
    "VARPA": (f_varpa, "R", False),
    "STDEV": (f_stdev_s, "R", False),
    "STDEV.S": (f_stdev_s, "R", False),
    "STDEVP": (f_stdev_p, "R", False),
    "STDEV.P": (f_stdev_p, "R", False),
    "STDEVA": (f_stdeva, "R", False),
    "STDEVPA": (f_stdevpa, "R", False),
    "SKEW": (f_skew, "R", False),
    "KURT": (f_kurt, "R", False),
    "LARGE": (f_large, "RS", False),
    "SMALL": (f_small, "RS", False),
    "PERCENTILE": (f_percentile_inc, "RS", False),
    "PERCENTILE.INC": (f_percentile_inc, "RS", False),
    "PERCENTILE.EXC": (f_percentile_exc, "RS", False),
    "QUARTILE": (f_quartile_inc, "RS", False),
    "QUARTILE.INC": (f_quartile_inc, "RS", False),
    "QUARTILE.EXC": (f_quartile_exc, "RS", False),
    "PERCENTRANK": (f_percentrank_inc, "RS", False),
    "PERCENTRANK.INC": (f_percentrank_inc, "RS", False),
    "PERCENTRANK.EXC": (f_percentrank_exc, "RS", False),
    "RANK": (f_rank_eq, "SRS", False),
    "RANK.EQ": (f_rank_eq, "SRS", False),
    "RANK.AVG": (f_rank_avg, "SRS", False),
    "MODE": (f_mode_sngl, "R", False),
    "MODE.SNGL": (f_mode_sngl, "R", False),
    "MODE.MULT": (f_mode_mult, "R", False),
    "TRIMMEAN": (f_trimmean, "RS", False),
    "STANDARDIZE": (f_standardize, "S", True),
    "FREQUENCY": (f_frequency, "R", False),
    "PERMUT": (f_permut, "S", True),
    "CORREL": (f_correl, "R", False),
    "PEARSON": (f_correl, "R", False),
    "RSQ": (f_rsq, "R", False),
    "SLOPE": (f_slope, "R", False),
    "INTERCEPT": (f_intercept, "R", False),
    "FORECAST": (f_forecast, "SR", False),
    "FORECAST.LINEAR": (f_forecast, "SR", False),
    "STEYX": (f_steyx, "R", False),
    "COVAR": (f_covariance_p, "R", False),
    "COVARIANCE.P": (f_covariance_p, "R", False),
    "COVARIANCE.S": (f_covariance_s, "R", False),
    "LINEST": (f_linest, "RRS", False),
    "TREND": (f_trend, "RRRS", False),
    "NORM.DIST": (f_norm_dist, "S", True),
    "NORMDIST": (f_norm_dist, "S", True),
    "NORM.S.DIST": (f_norm_s_dist, "S", True),
    "NORMSDIST": (f_normsdist, "S", True),
    "NORM.INV": (f_norm_inv, "S", True),
    "NORMINV": (f_norm_inv, "S", True),
    "NORM.S.INV": (f_norm_s_inv, "S", True),
    "NORMSINV": (f_norm_s_inv, "S", True),
    "COUNTIF": (_lifting_criteria(f_countif, 1), "RS", False),
    "COUNTIFS": (_lifting_criteria(f_countifs, 1), "RS", False),
    "SUMIFS": (_lifting_criteria(f_sumifs, 2), "RRS", False),
    "AVERAGEIFS": (_lifting_criteria(f_averageifs, 2), "RRS", False),
    "MAXIFS": (_lifting_criteria(f_maxifs, 2), "RRS", False),
    "MINIFS": (_lifting_criteria(f_minifs, 2), "RRS", False),
}

#: The criteria functions' arguments alternate range (R) and criterion (S) after this many
#: leading range arguments.
ALTERNATING = {"COUNTIFS": 0, "SUMIFS": 1, "AVERAGEIFS": 1, "MAXIFS": 1, "MINIFS": 1}
