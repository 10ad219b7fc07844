"""Statistical distributions and the tests built on them: binomial, t, F, chi-squared,
log-normal, gamma, beta, exponential, Weibull, Poisson, hypergeometric, negative binomial,
confidence intervals, Z.TEST, T.TEST, F.TEST, CHISQ.TEST, and the compatibility forms Excel
still accepts (BINOMDIST, TDIST, FINV ...). Stdlib only: the regularized incomplete gamma and
beta functions are computed here (series and Lentz continued fractions, as in Numerical
Recipes §6.2 and §6.4) and inverses by bracketing and bisection to full precision.

Arguments are declared (`_declare.declared`); Excel truncates degrees of freedom, trial and
success counts to integers, which the bodies do with ``int``. The argument checks are those
of Microsoft's function pages (#NUM! for a value outside the domain).
"""

from __future__ import annotations

import math
import statistics

from ._args import DIV0, NA, NUM, Arr, flat, is_num, numbers
from ._declare import declared

_STD_NORMAL = statistics.NormalDist()
_EPS = 1e-16
_TINY = 1e-300


# ---------------------------------------------------------------- special functions

def _gamma_p(a, x):
    """Regularized lower incomplete gamma P(a, x)."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_fraction(a, x)


def _gamma_q(a, x):
    """Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), without cancellation."""
    if x <= 0:
        return 1.0
    if x < a + 1:
        return 1.0 - _gamma_series(a, x)
    return _gamma_fraction(a, x)


def _gamma_series(a, x):
    term = total = 1.0 / a
    ap = a
    for _ in range(10000):
        ap += 1
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_fraction(a, x):
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def _beta_i(x, a, b):
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1.0 - front * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x, a, b):
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1 / d
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h


def _inverse(cdf, p, lo, hi, increasing=True):
    """The x in [lo, hi) (hi grows while too small; None: unbounded) with cdf(x) = p, by
    bisection until the interval stops shrinking."""
    if hi is None:
        hi = max(1.0, lo + 1.0)
        while (cdf(hi) < p) == increasing:
            lo, hi = hi, hi * 2
            if hi > 1e300:
                return NUM
    for _ in range(2000):
        mid = (lo + hi) / 2
        if mid <= lo or mid >= hi:
            break
        if (cdf(mid) < p) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _log_choose(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# ---------------------------------------------------------------- binomial family

def _binom_pmf(k, n, p):
    if p == 0:
        return 1.0 if k == 0 else 0.0
    if p == 1:
        return 1.0 if k == n else 0.0
    return math.exp(_log_choose(n, k) + k * math.log(p) + (n - k) * math.log1p(-p))


def _binom_cdf(k, n, p):
    return math.fsum(_binom_pmf(i, n, p) for i in range(0, k + 1))


def _binom_dist(k, n, p, cumulative):
    k, n = int(k), int(n)
    if k < 0 or k > n or not 0 <= p <= 1:
        return NUM
    return min(1.0, _binom_cdf(k, n, p)) if cumulative else _binom_pmf(k, n, p)


def _binom_dist_range(n, p, s, s2=None):
    n, s = int(n), int(s)
    s2 = s if s2 is None else int(s2)
    if n < 0 or not 0 <= p <= 1 or not 0 <= s <= n or not s <= s2 <= n:
        return NUM
    return min(1.0, math.fsum(_binom_pmf(i, n, p) for i in range(s, s2 + 1)))


def _binom_inv(n, p, alpha):
    n = int(n)
    if n < 0 or not 0 <= p <= 1 or not 0 <= alpha <= 1:
        return NUM
    total = 0.0
    for k in range(n + 1):
        total += _binom_pmf(k, n, p)
        if total >= alpha * (1 - 1e-15):
            return float(k)
    return float(n)


def _negbinom_dist(f, s, p, cumulative=False):
    f, s = int(f), int(s)
    if f < 0 or s < 1 or not 0 <= p <= 1:
        return NUM
    if cumulative:
        return _beta_i(p, s, f + 1)
    if p == 0:
        return 0.0
    if p == 1:
        return 1.0 if f == 0 else 0.0
    return math.exp(_log_choose(f + s - 1, s - 1) + s * math.log(p) + f * math.log1p(-p))


def _hypgeom_pmf(k, n, big_k, big_n):
    return math.exp(_log_choose(big_k, k) + _log_choose(big_n - big_k, n - k) - _log_choose(big_n, n))


def _hypgeom_dist(k, n, big_k, big_n, cumulative=False):
    k, n, big_k, big_n = int(k), int(n), int(big_k), int(big_n)
    if (k < 0 or k > min(n, big_k) or k < max(0, n - big_n + big_k) or not 0 < n <= big_n
            or not 0 < big_k <= big_n or big_n <= 0):
        return NUM
    if not cumulative:
        return _hypgeom_pmf(k, n, big_k, big_n)
    low = max(0, n - big_n + big_k)
    return min(1.0, math.fsum(_hypgeom_pmf(i, n, big_k, big_n) for i in range(low, k + 1)))


def _poisson_dist(x, mean, cumulative):
    x = int(x)
    if x < 0 or mean < 0:
        return NUM
    if cumulative:
        return _gamma_q(x + 1, mean) if mean > 0 else 1.0
    if mean == 0:
        return 1.0 if x == 0 else 0.0
    return math.exp(x * math.log(mean) - mean - math.lgamma(x + 1))


# ---------------------------------------------------------------- t

def _t_tail(t, df):
    """P(T > |t|) for Student's t with df degrees of freedom."""
    return 0.5 * _beta_i(df / (df + t * t), df / 2, 0.5)


def _t_cdf(t, df):
    tail = _t_tail(t, df)
    return 1 - tail if t > 0 else tail


def _t_dist(x, df, cumulative):
    df = int(df)
    if df < 1:
        return NUM
    if cumulative:
        return _t_cdf(x, df)
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)
                    - (df + 1) / 2 * math.log1p(x * x / df)) / math.sqrt(df * math.pi)


def _t_dist_2t(x, df):
    df = int(df)
    if x < 0 or df < 1:
        return NUM
    return 2 * _t_tail(x, df)


def _t_dist_rt(x, df):
    df = int(df)
    if df < 1:
        return NUM
    return 1 - _t_cdf(x, df) if x < 0 else _t_tail(x, df)


def _tdist(x, df, tails):
    tails, df = int(tails), int(df)
    if x < 0 or df < 1 or tails not in (1, 2):
        return NUM
    return tails * _t_tail(x, df)


def _t_inv(p, df):
    df = int(df)
    if not 0 < p < 1 or df < 1:
        return NUM
    if p == 0.5:
        return 0.0
    upper = _t_inv_2t_core(2 * min(p, 1 - p), df)
    return upper if p > 0.5 else -upper


def _t_inv_2t_core(p, df):
    """The t > 0 with two-tailed probability p."""
    return _inverse(lambda t: 2 * _t_tail(t, df), p, 0.0, None, increasing=False)


def _t_inv_2t(p, df):
    df = int(df)
    if not 0 < p <= 1 or df < 1:
        return NUM
    return _t_inv_2t_core(p, df)


# ---------------------------------------------------------------- F

def _f_cdf(x, d1, d2):
    return _beta_i(d1 * x / (d1 * x + d2), d1 / 2, d2 / 2) if x > 0 else 0.0


def _f_sf(x, d1, d2):
    return _beta_i(d2 / (d2 + d1 * x), d2 / 2, d1 / 2) if x > 0 else 1.0


def _f_checked(fn):
    def f(x, d1, d2, *rest):
        d1, d2 = int(d1), int(d2)
        if x < 0 or d1 < 1 or d2 < 1 or d1 >= 1e10 or d2 >= 1e10:
            return NUM
        return fn(x, d1, d2, *rest)
    return f


@_f_checked
def _f_dist(x, d1, d2, cumulative):
    if cumulative:
        return _f_cdf(x, d1, d2)
    if x == 0:
        return 0.0 if d1 > 2 else (1.0 if d1 == 2 else NUM)
    return math.exp(0.5 * (d1 * math.log(d1 * x) + d2 * math.log(d2) - (d1 + d2) * math.log(d1 * x + d2))
                    - math.log(x) - (math.lgamma(d1 / 2) + math.lgamma(d2 / 2) - math.lgamma((d1 + d2) / 2)))


_f_dist_rt = _f_checked(_f_sf)


def _f_inverse(right_tail):
    def f(p, d1, d2):
        d1, d2 = int(d1), int(d2)
        if not 0 <= p <= 1 or d1 < 1 or d2 < 1 or d1 >= 1e10 or d2 >= 1e10:
            return NUM
        if right_tail:
            if p == 0:
                return NUM
            return _inverse(lambda x: _f_sf(x, d1, d2), p, 0.0, None, increasing=False)
        if p == 1:
            return NUM
        return _inverse(lambda x: _f_cdf(x, d1, d2), p, 0.0, None)
    return f


# ---------------------------------------------------------------- chi-squared

def _chisq_checked(fn):
    def f(x, df, *rest):
        df = int(df)
        if x < 0 or df < 1 or df > 1e10:
            return NUM
        return fn(x, df, *rest)
    return f


@_chisq_checked
def _chisq_dist(x, df, cumulative):
    if cumulative:
        return _gamma_p(df / 2, x / 2)
    if x == 0:
        return NUM if df == 1 else (0.5 if df == 2 else 0.0)
    k = df / 2
    return math.exp((k - 1) * math.log(x) - x / 2 - k * math.log(2) - math.lgamma(k))


_chisq_dist_rt = _chisq_checked(lambda x, df: _gamma_q(df / 2, x / 2))


def _chisq_inverse(right_tail):
    def f(p, df):
        df = int(df)
        if not 0 <= p <= 1 or df < 1 or df > 1e10:
            return NUM
        if right_tail:
            if p == 0:
                return NUM
            return _inverse(lambda x: _gamma_q(df / 2, x / 2), p, 0.0, None, increasing=False)
        if p == 1:
            return NUM
        return _inverse(lambda x: _gamma_p(df / 2, x / 2), p, 0.0, None)
    return f


def _chisq_test(actual, expected):
    a_rows, e_rows = _grid(actual), _grid(expected)
    if len(a_rows) != len(e_rows) or len(a_rows[0]) != len(e_rows[0]):
        return NA
    total = 0.0
    cells = 0
    for ra, re_ in zip(a_rows, e_rows):
        for a, e in zip(ra, re_):
            if is_num(a) and is_num(e):
                if e == 0:
                    return DIV0
                total += (a - e) ** 2 / e
                cells += 1
    rows, cols = len(a_rows), len(a_rows[0])
    df = (rows - 1) * (cols - 1) if rows > 1 and cols > 1 else cells - 1
    if df < 1:
        return NA
    return _gamma_q(df / 2, total / 2)


def _grid(a):
    return a.rows if type(a) is Arr else ((a,),)


# ---------------------------------------------------------------- continuous, closed forms

def _lognorm_dist(x, mean, sd, cumulative=True):
    if x <= 0 or sd <= 0:
        return NUM
    z = (math.log(x) - mean) / sd
    if cumulative:
        return _STD_NORMAL.cdf(z)
    return _STD_NORMAL.pdf(z) / (x * sd)


def _lognorm_inv(p, mean, sd):
    if not 0 < p < 1 or sd <= 0:
        return NUM
    return math.exp(mean + sd * _STD_NORMAL.inv_cdf(p))


def _gamma_dist(x, alpha, beta, cumulative):
    if x < 0 or alpha <= 0 or beta <= 0:
        return NUM
    if cumulative:
        return _gamma_p(alpha, x / beta)
    if x == 0:
        return NUM if alpha < 1 else (1 / beta if alpha == 1 else 0.0)
    return math.exp((alpha - 1) * math.log(x) - x / beta - alpha * math.log(beta) - math.lgamma(alpha))


def _gamma_inv(p, alpha, beta):
    if not 0 <= p <= 1 or alpha <= 0 or beta <= 0:
        return NUM
    if p == 1:
        return NUM
    return beta * _inverse(lambda x: _gamma_p(alpha, x), p, 0.0, None)


def _gamma_fn(x):
    if x <= 0 and x == math.floor(x):
        return NUM
    return math.gamma(x)


def _gammaln(x):
    if x <= 0:
        return NUM
    return math.lgamma(x)


def _beta_bounds(fn):
    def f(x, alpha, beta, *rest):
        *head, lo, hi = rest
        if alpha <= 0 or beta <= 0 or lo >= hi:
            return NUM
        return fn(x, alpha, beta, *head, lo, hi)
    return f


@_beta_bounds
def _beta_dist(x, alpha, beta, cumulative, lo, hi):
    if not lo <= x <= hi:
        return NUM
    u = (x - lo) / (hi - lo)
    if cumulative:
        return _beta_i(u, alpha, beta)
    if u in (0.0, 1.0):
        edge = alpha if u == 0 else beta
        if edge < 1:
            return NUM
        if edge > 1:
            return 0.0
    log_b = math.lgamma(alpha) + math.lgamma(beta) - math.lgamma(alpha + beta)
    return math.exp((alpha - 1) * _log0(u) + (beta - 1) * _log0(1 - u) - log_b) / (hi - lo)


def _log0(u):
    return math.log(u) if u > 0 else 0.0


@_beta_bounds
def _betadist(x, alpha, beta, lo, hi):
    return _beta_dist(x, alpha, beta, True, lo, hi)


@_beta_bounds
def _beta_inv(p, alpha, beta, lo, hi):
    if not 0 < p <= 1:
        return NUM
    return lo + (hi - lo) * _inverse(lambda u: _beta_i(u, alpha, beta), p, 0.0, 1.0)


def _expon_dist(x, lam, cumulative):
    if x < 0 or lam <= 0:
        return NUM
    return -math.expm1(-lam * x) if cumulative else lam * math.exp(-lam * x)


def _weibull_dist(x, alpha, beta, cumulative):
    if x < 0 or alpha <= 0 or beta <= 0:
        return NUM
    u = (x / beta) ** alpha
    if cumulative:
        return -math.expm1(-u)
    return alpha / beta ** alpha * x ** (alpha - 1) * math.exp(-u)


def _fisher(x):
    if not -1 < x < 1:
        return NUM
    return math.atanh(x)


def _phi(x):
    return _STD_NORMAL.pdf(x)


def _gauss(z):
    return _STD_NORMAL.cdf(z) - 0.5


def _permutationa(n, k):
    n, k = int(n), int(k)
    if n < 0 or k < 0:
        return NUM
    return float(n) ** k


# ---------------------------------------------------------------- confidence and tests

def _confidence_norm(alpha, sd, size):
    size = int(size)
    if not 0 < alpha < 1 or sd <= 0 or size < 1:
        return NUM
    return _STD_NORMAL.inv_cdf(1 - alpha / 2) * sd / math.sqrt(size)


def _confidence_t(alpha, sd, size):
    size = int(size)
    if not 0 < alpha < 1 or sd <= 0 or size < 1:
        return NUM
    if size == 1:
        return DIV0
    return _t_inv_2t_core(alpha, size - 1) * sd / math.sqrt(size)


def _sample_values(arr):
    return numbers([arr])


def _mean_sd(vals, sample):
    """Mean and standard deviation (``sample``: n - 1 in the denominator) of a non-empty list."""
    n = len(vals)
    mean = math.fsum(vals) / n
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in vals) / (n - 1 if sample else n))


def _z_test(arr, x, sigma=None):
    vals = _sample_values(arr)
    if type(vals) is not list:
        return vals
    n = len(vals)
    if n == 0:
        return NA
    if sigma is None and n < 2:
        return DIV0
    mean, sd = _mean_sd(vals, True)
    if sigma is None:
        sigma = sd
    if sigma <= 0:
        return DIV0 if sigma == 0 else NUM
    return 1 - _STD_NORMAL.cdf((mean - x) / (sigma / math.sqrt(n)))


def _variance(vals):
    mean = math.fsum(vals) / len(vals)
    return mean, math.fsum((v - mean) ** 2 for v in vals) / (len(vals) - 1)


def _t_test(a1, a2, tails, kind):
    tails, kind = int(tails), int(kind)
    if tails not in (1, 2) or kind not in (1, 2, 3):
        return NUM
    if kind == 1:
        xs, ys = list(flat(a1)), list(flat(a2))
        if len(xs) != len(ys):
            return NA
        diffs = [x - y for x, y in zip(xs, ys) if is_num(x) and is_num(y)]
        if len(diffs) < 2:
            return DIV0
        mean, var = _variance(diffs)
        if var == 0:
            return DIV0
        t, df = mean / math.sqrt(var / len(diffs)), len(diffs) - 1
    else:
        xs, ys = _sample_values(a1), _sample_values(a2)
        for v in (xs, ys):
            if type(v) is not list:
                return v
        n1, n2 = len(xs), len(ys)
        if n1 < 2 or n2 < 2:
            return DIV0
        m1, v1 = _variance(xs)
        m2, v2 = _variance(ys)
        if kind == 2:
            pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
            se2 = pooled * (1 / n1 + 1 / n2)
            df = n1 + n2 - 2
        else:
            se2 = v1 / n1 + v2 / n2
            if se2 == 0:
                return DIV0
            df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        if se2 == 0:
            return DIV0
        t = (m1 - m2) / math.sqrt(se2)
    return tails * _t_tail(t, df)


def _f_test(a1, a2):
    xs, ys = _sample_values(a1), _sample_values(a2)
    for v in (xs, ys):
        if type(v) is not list:
            return v
    if len(xs) < 2 or len(ys) < 2:
        return DIV0
    _, v1 = _variance(xs)
    _, v2 = _variance(ys)
    if v1 == 0 or v2 == 0:
        return DIV0
    f, d1, d2 = v1 / v2, len(xs) - 1, len(ys) - 1
    return min(1.0, 2 * min(_f_sf(f, d1, d2), _f_cdf(f, d1, d2)))


def _prob(xs, ps, lower, upper=None):
    x_vals, p_vals = list(flat(xs)), list(flat(ps))
    if len(x_vals) != len(p_vals):
        return NA
    pairs = [(x, p) for x, p in zip(x_vals, p_vals) if is_num(x) and is_num(p)]
    if any(p < 0 or p > 1 for _, p in pairs) or abs(math.fsum(p for _, p in pairs) - 1) > 1e-12:
        return NUM
    hi = lower if upper is None else upper
    return math.fsum(p for x, p in pairs if lower <= x <= hi)


def _skew_p(*args):
    vals = numbers(args)
    if type(vals) is not list:
        return vals
    n = len(vals)
    if n == 0:
        return DIV0
    mean, sd = _mean_sd(vals, False)
    if sd == 0:
        return DIV0
    return math.fsum(((v - mean) / sd) ** 3 for v in vals) / n


_N3B = "number, number, number, logical"

FUNCTIONS = {
    "BINOM.DIST": declared("number, number, number, logical", _binom_dist),
    "BINOMDIST": declared("number, number, number, logical", _binom_dist),
    "BINOM.DIST.RANGE": declared("number, number, number, number=None", _binom_dist_range),
    "BINOM.INV": declared("number, number, number", _binom_inv),
    "CRITBINOM": declared("number, number, number", _binom_inv),
    "NEGBINOM.DIST": declared(_N3B, _negbinom_dist),
    "NEGBINOMDIST": declared("number, number, number", _negbinom_dist),
    "HYPGEOM.DIST": declared("number, number, number, number, logical", _hypgeom_dist),
    "HYPGEOMDIST": declared("number, number, number, number", _hypgeom_dist),
    "POISSON.DIST": declared("number, number, logical", _poisson_dist),
    "POISSON": declared("number, number, logical", _poisson_dist),
    "T.DIST": declared("number, number, logical", _t_dist),
    "T.DIST.2T": declared("number, number", _t_dist_2t),
    "T.DIST.RT": declared("number, number", _t_dist_rt),
    "TDIST": declared("number, number, number", _tdist),
    "T.INV": declared("number, number", _t_inv),
    "T.INV.2T": declared("number, number", _t_inv_2t),
    "TINV": declared("number, number", _t_inv_2t),
    "F.DIST": declared(_N3B, _f_dist),
    "F.DIST.RT": declared("number, number, number", _f_dist_rt),
    "FDIST": declared("number, number, number", _f_dist_rt),
    "F.INV": declared("number, number, number", _f_inverse(False)),
    "F.INV.RT": declared("number, number, number", _f_inverse(True)),
    "FINV": declared("number, number, number", _f_inverse(True)),
    "CHISQ.DIST": declared("number, number, logical", _chisq_dist),
    "CHISQ.DIST.RT": declared("number, number", _chisq_dist_rt),
    "CHIDIST": declared("number, number", _chisq_dist_rt),
    "CHISQ.INV": declared("number, number", _chisq_inverse(False)),
    "CHISQ.INV.RT": declared("number, number", _chisq_inverse(True)),
    "CHIINV": declared("number, number", _chisq_inverse(True)),
    "CHISQ.TEST": declared("range, range", _chisq_test),
    "CHITEST": declared("range, range", _chisq_test),
    "LOGNORM.DIST": declared(_N3B, _lognorm_dist),
    "LOGNORMDIST": declared("number, number, number", _lognorm_dist),
    "LOGNORM.INV": declared("number, number, number", _lognorm_inv),
    "LOGINV": declared("number, number, number", _lognorm_inv),
    "GAMMA.DIST": declared(_N3B, _gamma_dist),
    "GAMMADIST": declared(_N3B, _gamma_dist),
    "GAMMA.INV": declared("number, number, number", _gamma_inv),
    "GAMMAINV": declared("number, number, number", _gamma_inv),
    "GAMMA": declared("number", _gamma_fn),
    "GAMMALN": declared("number", _gammaln),
    "GAMMALN.PRECISE": declared("number", _gammaln),
    "BETA.DIST": declared("number, number, number, logical, number=0, number=1", _beta_dist),
    "BETADIST": declared("number, number, number, number=0, number=1", _betadist),
    "BETA.INV": declared("number, number, number, number=0, number=1", _beta_inv),
    "BETAINV": declared("number, number, number, number=0, number=1", _beta_inv),
    "EXPON.DIST": declared("number, number, logical", _expon_dist),
    "EXPONDIST": declared("number, number, logical", _expon_dist),
    "WEIBULL.DIST": declared(_N3B, _weibull_dist),
    "WEIBULL": declared(_N3B, _weibull_dist),
    "FISHER": declared("number", _fisher),
    "FISHERINV": declared("number", math.tanh),
    "PHI": declared("number", _phi),
    "GAUSS": declared("number", _gauss),
    "PERMUTATIONA": declared("number, number", _permutationa),
    "CONFIDENCE.NORM": declared("number, number, number", _confidence_norm),
    "CONFIDENCE": declared("number, number, number", _confidence_norm),
    "CONFIDENCE.T": declared("number, number, number", _confidence_t),
    "Z.TEST": declared("range, number, number=None", _z_test),
    "ZTEST": declared("range, number, number=None", _z_test),
    "T.TEST": declared("range, range, number, number", _t_test),
    "TTEST": declared("range, range, number, number", _t_test),
    "F.TEST": declared("range, range", _f_test),
    "FTEST": declared("range, range", _f_test),
    "PROB": declared("range, range, number, number=None", _prob),
    "SKEW.P": (_skew_p, "R", False),
}
