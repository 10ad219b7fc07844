"""Statistical distributions and the tests built on them.  Expected values: the "Example"
tables of Microsoft's function pages (support.microsoft.com, one page per function; results
as the page shows them, `shown`), and the domain errors those pages list.  A second test
cross-checks the engine against scipy over a grid of arguments where scipy is installed (a
test-time tool only: the engine itself is stdlib)."""

import math

import pytest

from function_checks import DIV0, NA, NUM, Shown, calc, cases, check, shown


def cut(text):
    """A number whose page shows its digits cut, not rounded (CHISQ.INV's 3.283020286 for
    3.28302028676): within one unit of the last digit shown."""
    s = Shown(text)
    s.tolerance *= 2
    return s


CASES = {
    "binomial": [
        ("BINOM.DIST(6,10,0.5,FALSE)", shown("0.2050781")), ("BINOMDIST(6,10,0.5,FALSE)", shown("0.2050781")),
        ("BINOM.DIST(6.9,10.2,0.5,FALSE)", shown("0.2050781")), ("BINOM.DIST(11,10,0.5,FALSE)", NUM),
        ("BINOM.DIST(1,10,1.5,TRUE)", NUM), ("BINOM.DIST(10,10,0.5,TRUE)", 1.0),
        ("BINOM.DIST.RANGE(60,0.75,48)", shown("0.084")), ("BINOM.DIST.RANGE(60,0.75,45,50)", shown("0.524")),
        ("BINOM.DIST.RANGE(60,0.75,50,45)", NUM),
        ("BINOM.INV(6,0.5,0.75)", 4.0), ("CRITBINOM(6,0.5,0.75)", 4.0), ("BINOM.INV(6,1.5,0.75)", NUM),
        ("NEGBINOM.DIST(10,5,0.25,TRUE)", shown("0.3135")), ("NEGBINOM.DIST(10,5,0.25,FALSE)", shown("0.0550")),
        ("NEGBINOMDIST(10,5,0.25)", shown("0.055049")), ("NEGBINOM.DIST(10,0,0.25,FALSE)", NUM),
        ("HYPGEOM.DIST(1,4,8,20,TRUE)", shown("0.4654")), ("HYPGEOM.DIST(1,4,8,20,FALSE)", shown("0.3633")),
        ("HYPGEOMDIST(1,4,8,20)", shown("0.3633")), ("HYPGEOM.DIST(5,4,8,20,FALSE)", NUM),
        ("POISSON.DIST(2,5,TRUE)", shown("0.124652")), ("POISSON.DIST(2,5,FALSE)", shown("0.084224")),
        ("POISSON(2,5,TRUE)", shown("0.124652")), ("POISSON.DIST(-1,5,TRUE)", NUM),
    ],
    "t": [
        ("T.DIST(60,1,TRUE)", shown("0.99469533")), ("T.DIST(8,3,FALSE)", shown("0.00073691")),
        ("T.DIST.2T(1.959999998,60)", shown("0.054645")), ("T.DIST.RT(1.959999998,60)", shown("0.027322")),
        ("TDIST(1.959999998,60,2)", shown("0.054644930")), ("TDIST(1.959999998,60,1)", shown("0.027322465")),
        ("TDIST(-1,60,1)", NUM), ("TDIST(1,60,3)", NUM), ("T.DIST(1,0,TRUE)", NUM),
        ("T.INV(0.75,2)", shown("0.8164966")), ("T.INV(0,2)", NUM),
        ("T.INV.2T(0.546449,60)", shown("0.606533")), ("TINV(0.546449,60)", shown("0.606533")),
        ("T.INV.2T(0,60)", NUM),
    ],
    "F": [
        ("F.DIST(15.2069,6,4,TRUE)", shown("0.99")), ("F.DIST(15.2069,6,4,FALSE)", shown("0.0012238")),
        ("F.DIST.RT(15.2068649,6,4)", shown("0.01")), ("FDIST(15.2068649,6,4)", shown("0.01")),
        ("F.INV(0.01,6,4)", shown("0.10930991")), ("F.INV.RT(0.01,6,4)", shown("15.20686")),
        ("FINV(0.01,6,4)", shown("15.206865")), ("F.DIST(-1,6,4,TRUE)", NUM), ("F.INV(2,6,4)", NUM),
        ("F.TEST({6,7,9,15,21},{20,28,31,38,40})", shown("0.64831785")),
        ("FTEST({6,7,9,15,21},{20,28,31,38,40})", shown("0.64831785")), ("F.TEST({1},{2,3})", DIV0),
    ],
    "chi-squared": [
        ("CHISQ.DIST(0.5,1,TRUE)", shown("0.52049988")), ("CHISQ.DIST(2,3,FALSE)", shown("0.20755375")),
        ("CHISQ.DIST.RT(18.307,10)", shown("0.0500006")), ("CHIDIST(18.307,10)", shown("0.050001")),
        ("CHISQ.INV(0.93,1)", cut("3.283020286")), ("CHISQ.INV(0.6,2)", shown("1.832581464")),
        ("CHISQ.INV.RT(0.050001,10)", shown("18.30697")), ("CHIINV(0.050001,10)", shown("18.306973")),
        ("CHISQ.DIST(-1,1,TRUE)", NUM), ("CHISQ.INV(1.5,2)", NUM),
        ("CHISQ.TEST({58,35;11,25;10,23},{45.35,47.65;17.56,18.44;16.09,16.91})", shown("0.0003082")),
        ("CHITEST({58,35;11,25;10,23},{45.35,47.65;17.56,18.44;16.09,16.91})", shown("0.0003082")),
        ("CHISQ.TEST({1,2},{1,2,3})", NA),
    ],
    "continuous": [
        ("LOGNORM.DIST(4,3.5,1.2,TRUE)", shown("0.0390836")), ("LOGNORM.DIST(4,3.5,1.2,FALSE)", shown("0.0176176")),
        ("LOGNORMDIST(4,3.5,1.2)", shown("0.0390836")), ("LOGNORM.INV(0.039084,3.5,1.2)", shown("4.0000252")),
        ("LOGINV(0.039084,3.5,1.2)", shown("4.000025")), ("LOGNORM.DIST(0,3.5,1.2,TRUE)", NUM),
        ("GAMMA.DIST(10.00001131,9,2,FALSE)", shown("0.032639")), ("GAMMA.DIST(10.00001131,9,2,TRUE)", shown("0.068094")),
        ("GAMMADIST(10.00001131,9,2,TRUE)", shown("0.068094")), ("GAMMA.INV(0.068094,9,2)", shown("10.0000112")),
        ("GAMMAINV(0.068094,9,2)", shown("10.0000112")), ("GAMMA.DIST(-1,9,2,TRUE)", NUM),
        ("GAMMA(2.5)", shown("1.329")), ("GAMMA(-3.75)", shown("0.268")), ("GAMMA(0)", NUM), ("GAMMA(-2)", NUM),
        ("GAMMALN(4)", shown("1.7917595")), ("GAMMALN.PRECISE(4)", shown("1.7917595")), ("GAMMALN(0)", NUM),
        ("BETA.DIST(2,8,10,TRUE,1,3)", shown("0.6854706")), ("BETA.DIST(2,8,10,FALSE,1,3)", shown("1.4837646")),
        ("BETADIST(2,8,10,1,3)", shown("0.6854706")), ("BETA.INV(0.685470581,8,10,1,3)", shown("2")),
        ("BETAINV(0.685470581,8,10,1,3)", shown("2.0000")), ("BETA.DIST(4,8,10,TRUE,1,3)", NUM),
        ("EXPON.DIST(0.2,10,TRUE)", shown("0.86466472")), ("EXPON.DIST(0.2,10,FALSE)", shown("1.35335283")),
        ("EXPONDIST(0.2,10,TRUE)", shown("0.86466472")), ("EXPON.DIST(0.2,0,TRUE)", NUM),
        ("WEIBULL.DIST(105,20,100,TRUE)", shown("0.929581")), ("WEIBULL.DIST(105,20,100,FALSE)", shown("0.035589")),
        ("WEIBULL(105,20,100,TRUE)", shown("0.929581")), ("WEIBULL.DIST(-1,20,100,TRUE)", NUM),
        ("FISHER(0.75)", shown("0.9729551")), ("FISHERINV(0.972955)", shown("0.75")), ("FISHER(1)", NUM),
        ("PHI(0.75)", shown("0.301137432")), ("GAUSS(2)", shown("0.47725")),
        ("PERMUTATIONA(3,2)", 9.0), ("PERMUTATIONA(2,2)", 4.0),
        ("SKEW.P({3,4,5,2,3,4,5,6,4,7})", shown("0.303193")),
        ("PROB({0,1,2,3},{0.2,0.3,0.1,0.4},2)", shown("0.1")), ("PROB({0,1,2,3},{0.2,0.3,0.1,0.4},1,3)", shown("0.8")),
        ("PROB({0,1},{0.2,0.3},1)", NUM),
    ],
    "confidence & tests": [
        ("CONFIDENCE.NORM(0.05,2.5,50)", shown("0.692952")), ("CONFIDENCE(0.05,2.5,50)", shown("0.692951912")),
        ("CONFIDENCE.T(0.05,1,50)", shown("0.284196855")), ("CONFIDENCE.T(0.05,1,1)", DIV0),
        ("CONFIDENCE.NORM(0,2.5,50)", NUM),
        ("Z.TEST({3,6,7,8,6,5,4,2,1,9},4)", shown("0.090574")), ("Z.TEST({3,6,7,8,6,5,4,2,1,9},6)", shown("0.863043")),
        ("ZTEST({3,6,7,8,6,5,4,2,1,9},4)", shown("0.090574")),
        ("T.TEST({3,4,5,8,9,1,2,4,5},{6,19,3,2,14,4,5,17,1},2,1)", shown("0.196016")),
        ("TTEST({3,4,5,8,9,1,2,4,5},{6,19,3,2,14,4,5,17,1},2,1)", shown("0.196016")),
        ("T.TEST({1,2},{1,2},3,1)", NUM),
    ],
}


@pytest.mark.parametrize("expr, expected", cases(CASES))
def test_microsoft_examples(expr, expected):
    check(expr, expected)


def test_arguments_are_read_left_to_right_and_the_first_error_wins():
    check("BINOM.DIST(1/0,NA(),0.5,TRUE)", DIV0)
    check('T.DIST("x",NA(),TRUE)', "#VALUE!")
    check('CHISQ.DIST("2",3,FALSE)', shown("0.20755375"))


GRID = {
    "T.DIST({x},{df},TRUE)": lambda st, x, df: st.t.cdf(x, int(df)),
    "T.DIST.RT({x},{df})": lambda st, x, df: st.t.sf(x, int(df)),
    "T.INV({p},{df})": lambda st, p, df: st.t.ppf(p, int(df)),
    "CHISQ.DIST({x},{df},TRUE)": lambda st, x, df: st.chi2.cdf(x, int(df)),
    "CHISQ.DIST.RT({x},{df})": lambda st, x, df: st.chi2.sf(x, int(df)),
    "CHISQ.INV.RT({p},{df})": lambda st, p, df: st.chi2.isf(p, int(df)),
    "F.DIST({x},{df},{df2},TRUE)": lambda st, x, df, df2: st.f.cdf(x, int(df), int(df2)),
    "F.INV.RT({p},{df},{df2})": lambda st, p, df, df2: st.f.isf(p, int(df), int(df2)),
    "GAMMA.DIST({x},{df},1.5,TRUE)": lambda st, x, df: st.gamma.cdf(x, df, scale=1.5),
    "GAMMA.INV({p},{df},1.5)": lambda st, p, df: st.gamma.ppf(p, df, scale=1.5),
    "BETA.DIST({p},{df},{df2},TRUE)": lambda st, p, df, df2: st.beta.cdf(p, df, df2),
    "BETA.INV({p},{df},{df2})": lambda st, p, df, df2: st.beta.ppf(p, df, df2),
    "BINOM.DIST({k},{n},{p},TRUE)": lambda st, k, n, p: st.binom.cdf(k, n, p),
    "POISSON.DIST({k},{x},TRUE)": lambda st, k, x: st.poisson.cdf(k, x),
    "NEGBINOM.DIST({k},{df},{p},TRUE)": lambda st, k, df, p: st.nbinom.cdf(k, int(df), p),
}


@pytest.mark.parametrize("template", list(GRID))
def test_agrees_with_scipy_over_a_grid(template):
    stats = pytest.importorskip("scipy.stats")
    fn = GRID[template]
    worst = 0.0
    for x in (0.05, 0.7, 2.5, 9.0, 31.0):
        for df in (1.0, 3.0, 7.0, 40.0):
            for p in (0.001, 0.2, 0.5, 0.95):
                for df2 in (2.0, 11.0):
                    args = dict(x=x, df=df, df2=df2, p=p, k=math.floor(x), n=math.floor(x) + 7)
                    names = [a for a in ("x", "df", "df2", "p", "k", "n") if "{%s}" % a in template]
                    expr = template.format(**{a: repr(args[a]) for a in names})
                    want = float(fn(stats, **{a: args[a] for a in names}))
                    got = calc(expr)
                    assert type(got) is float, (expr, got)
                    err = abs(got - want) / max(abs(want), 1e-300)
                    if abs(want) > 1e-280:
                        worst = max(worst, err if abs(want) > 1e-12 else abs(got - want))
                    assert err < 1e-9 or abs(got - want) < 1e-14, (expr, got, want)
    assert worst < 1e-9
