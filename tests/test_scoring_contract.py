"""The catalogue as a public contract: every name, its _NOTE companion and its argument list.

Finance staff type these names and arguments into their own templates
(shared/spec/functions.md: "names, argument order and meaning are a public contract"),
so a renamed function or a reordered/renamed argument is a breaking change.
"""

import inspect

import pytest

import udfs

# name -> (parameter names in contract order, number of required parameters)
# Taken from the tables of shared/spec/functions.md; bracketed arguments are optional.
CATALOGUE = {
    "SCORE_CHECKLIST": (["items", "points"], 1),
    "SCORE_DEDUCT": (["full", "count", "per_item"], 2),
    "SCORE_RATIO": (["part", "whole", "full", "zero_if_over"], 3),
    "SCORE_TIERS": (["value", "thresholds", "points", "else_points"], 3),
    "SCORE_GRADE": (["total"], 1),
    "SCORE_PROCUREMENT": (["actual", "planned", "policy"], 2),
    "SCORE_FIN_COMPLIANCE": (
        ["payment_ok", "adjusted", "budget", "accounting_ok", "violation"],
        4,
    ),
    "SCORE_DISCLOSURE": (["budget_status", "final_status", "exempt"], 2),
    "SCORE_ASSET_UTILIZATION": (["in_use", "total"], 2),
    "SCORE_STAFF_CONTROL": (["in_post", "authorized"], 2),
    "SCORE_CONTRACT_STAFF": (["contract", "established"], 2),
    "SCORE_PUBLIC_FUNDS": (
        ["sangong_actual", "sangong_budget", "daily_actual", "daily_budget"],
        4,
    ),
    "SCORE_COST_CONTROL": (["actual", "budget", "full"], 2),
    "SCORE_QUARTERLY": (["quarter_spending", "budget", "cumulative"], 2),
    "SCORE_TARGETS": (["actuals", "targets", "weights", "full", "directions"], 2),
    "SCORE_PETITIONS": (["has_channel", "received", "replied", "replied_on_time"], 4),
    "SCORE_SATISFACTION": (["rate"], 1),
}

ALL_NAMES = sorted(CATALOGUE) + sorted(n + "_NOTE" for n in CATALOGUE)


def _params(fn):
    return list(inspect.signature(fn).parameters.values())


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_name_is_importable_from_udfs(name):
    # `from udfs import SCORE_PROCUREMENT` is how xlwings (UDF Modules = udfs) finds them.
    assert hasattr(udfs, name), f"udfs does not export {name}"
    assert callable(getattr(udfs, name))


@pytest.mark.parametrize("name", ALL_NAMES)
def test_argument_names_and_order_match_the_contract(name):
    base = name[: -len("_NOTE")] if name.endswith("_NOTE") else name
    expected_names, n_required = CATALOGUE[base]
    params = _params(getattr(udfs, name))
    # the contract's arguments, in the contract's order, come first ...
    assert [p.name for p in params[: len(expected_names)]] == expected_names
    # ... only the contract's required ones are required; anything after them (the contract's
    # optionals, or extra trailing optionals for another revision/district) has a default
    required = [p.name for p in params if p.default is inspect.Parameter.empty]
    assert required == expected_names[:n_required], "optional arguments must be trailing and have defaults"
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_no_caller_parameter_and_no_literal_hints(name):
    # xlwings treats a parameter named `caller` specially; Literal hints break xlwings Lite/Server.
    params = _params(getattr(udfs, name))
    assert "caller" not in [p.name for p in params]
    for p in params:
        assert "Literal" not in str(p.annotation)


def test_note_companion_has_the_same_arguments():
    for name in CATALOGUE:
        score = [p.name for p in _params(getattr(udfs, name))]
        note = [p.name for p in _params(getattr(udfs, name + "_NOTE"))]
        assert score == note, name
