"""LET and LAMBDA: a defined name whose formula is a LAMBDA is called like a function
(Microsoft's "LAMBDA function" page: a name such as ``ToCelsius`` = LAMBDA(temp, (5/9) *
(temp-32)) used as ``=ToCelsius(104)`` gives 40), stored in files with the ``_xlfn.`` and
``_xlpm.`` prefixes."""

from function_checks import VALUE, assert_value
from xladdin.engine import calculate


def run(formulas, names, cells=None):
    result = calculate(cells or {}, {("S", k): v for k, v in formulas.items()}, names)
    return result.values, result.problems


def test_a_lambda_name_is_called_like_a_function():
    values, problems = run({"B1": "TOCELSIUS(104)", "B2": "tocelsius(A1)", "B3": "ToCelsius(A1)+1"},
                           {"TOCELSIUS": "_xlfn.LAMBDA(_xlpm.temp,(5/9)*(_xlpm.temp-32))"},
                           {("S", "A1"): 50.0})
    assert not problems
    assert_value("B1", values[("S", "B1")], 40.0)
    assert_value("B2", values[("S", "B2")], 10.0)
    assert_value("B3", values[("S", "B3")], 11.0)


def test_a_lambda_of_several_parameters_and_a_cell_range():
    # Microsoft's example: Hypotenuse = LAMBDA(a, b, SQRT((a^2+b^2)))
    values, problems = run({"C1": "HYPOTENUSE(3,4)", "C2": "week(A1)", "C3": "TOTAL(A1:A2)"},
                           {"HYPOTENUSE": "LAMBDA(a,b,SQRT((a^2+b^2)))",
                            "WEEK": "_xlfn.LAMBDA(_xlpm.d,WEEKNUM(_xlpm.d))",
                            "TOTAL": "LAMBDA(r,SUM(r)*2)"},
                           {("S", "A1"): 45306.0, ("S", "A2"): 1.0})   # 2024-01-15: week 3
    assert not problems
    assert_value("C1", values[("S", "C1")], 5.0)
    assert_value("C2", values[("S", "C2")], 3.0)
    assert_value("C3", values[("S", "C3")], 90614.0)


def test_too_many_arguments_is_value_and_a_lambda_alone_is_calc():
    values, _ = run({"A1": "F(1,2)", "A2": "LAMBDA(x,x)"}, {"F": "LAMBDA(x,x)"})
    assert_value("A1", values[("S", "A1")], VALUE)
    assert_value("A2", values[("S", "A2")], "#CALC!")


def test_let_names_shadow_and_nest():
    values, problems = run({"A1": "_xlfn.LET(_xlpm.x,2,_xlpm.y,x*10,x+y)", "A2": "LET(x,1,LET(x,5,x)+x)"}, {})
    assert not problems
    assert_value("A1", values[("S", "A1")], 22.0)
    assert_value("A2", values[("S", "A2")], 6.0)


def test_a_name_that_calls_itself_keeps_the_file_value():
    _, problems = run({"A1": "FACT2(5)"}, {"FACT2": "LAMBDA(n,IF(n<=1,1,n*FACT2(n-1)))"})
    assert [p.kind for p in problems] == ["cycle"]
