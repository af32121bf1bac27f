"""R1, R2, R3: routing of returns and special orders."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core import InvalidInput, Policy
from aftersales_core.rules import route_return, route_special_order, sum_by_class
from aftersales_core.rules.routing import (
    AFTER_SALES,
    MASS_PRODUCTION,
    PRODUCTION,
    QUALITY_EXCEPTION,
    RETURN_OUTCOMES,
)


def lines(hosts: int, accessories: int) -> list[dict[str, object]]:
    return [
        {"product_class": "host", "quantity": hosts},
        {"product_class": "accessory", "quantity": accessories},
    ]


@pytest.mark.parametrize(
    ("hosts", "accessories", "outcome"),
    [
        (4, 14, AFTER_SALES),
        (0, 14, AFTER_SALES),
        (4, 0, AFTER_SALES),
        (1, 0, AFTER_SALES),
        (5, 0, PRODUCTION),
        (5, 14, PRODUCTION),
        (0, 15, PRODUCTION),
        (4, 15, PRODUCTION),
        (5, 15, PRODUCTION),
        (100, 100, PRODUCTION),
    ],
)
def test_r1_boundaries(hosts: int, accessories: int, outcome: str) -> None:
    decision = route_return(lines(hosts, accessories))
    assert decision.outcome == outcome
    assert decision.rule == "R1"
    assert decision.facts["hosts"] == hosts
    assert decision.facts["accessories"] == accessories


def test_r1_reason_names_the_numbers() -> None:
    decision = route_return(lines(4, 15))
    assert decision.reasons == (
        "4 hosts and 15 accessories: 15 accessories reach the production threshold of 15, "
        "so production takes them for a second processing (R1).",
    )
    small = route_return(lines(1, 1))
    assert "1 host and 1 accessory" in small.reasons[0]
    assert "fewer than 5 hosts and fewer than 15 accessories" in small.reasons[0]


def test_quantities_are_summed_per_class_over_lines() -> None:
    many = [{"product_class": "host", "quantity": 1} for _ in range(5)]
    assert route_return(many).outcome == PRODUCTION
    assert sum_by_class(many) == (5, 0)


def test_r2_quality_exception_only_for_large_returns() -> None:
    large = route_return(lines(5, 0), needs_design_change=True)
    assert large.outcome == QUALITY_EXCEPTION
    assert large.rule == "R2"
    assert any("R&D" in r for r in large.reasons)
    small = route_return(lines(4, 14), needs_design_change=True)
    assert small.outcome == AFTER_SALES


def test_lines_may_be_objects() -> None:
    @dataclass
    class Line:
        product_class: str
        quantity: int

    assert route_return([Line("host", 3), Line("accessory", 20)]).outcome == PRODUCTION


def test_policy_changes_the_thresholds() -> None:
    policy = Policy(return_host_threshold=2, return_accessory_threshold=3)
    assert route_return(lines(1, 2), policy=policy).outcome == AFTER_SALES
    assert route_return(lines(2, 0), policy=policy).outcome == PRODUCTION
    assert route_return(lines(0, 3), policy=policy).outcome == PRODUCTION


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ([], "lines"),
        ([{"product_class": "host", "quantity": 0}], "lines"),
        ([{"product_class": "host", "quantity": -1}], "lines[0].quantity"),
        ([{"product_class": "host", "quantity": 1.5}], "lines[0].quantity"),
        ([{"product_class": "host", "quantity": True}], "lines[0].quantity"),
        ([{"product_class": "host", "quantity": "3"}], "lines[0].quantity"),
        (
            [{"product_class": "host", "quantity": 1}, {"product_class": "gadget", "quantity": 1}],
            "lines[1].product_class",
        ),
        ([{"quantity": 1}], "lines[0].product_class"),
        ([{"product_class": "host"}], "lines[0].quantity"),
        ([object()], "lines[0].product_class"),
        ("host", "lines"),
    ],
)
def test_bad_input_names_the_field(bad: object, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        route_return(bad)  # type: ignore[arg-type]
    assert err.value.field == field
    assert str(err.value).startswith(field + ":")
    assert isinstance(err.value, ValueError)


def test_design_change_flag_must_be_boolean() -> None:
    with pytest.raises(InvalidInput, match="needs_design_change"):
        route_return(lines(1, 0), needs_design_change="yes")  # type: ignore[arg-type]


line_st = st.fixed_dictionaries(
    {"product_class": st.sampled_from(["host", "accessory"]), "quantity": st.integers(0, 60)}
)
lines_st = st.lists(line_st, min_size=1, max_size=8).filter(
    lambda ls: sum(int(x["quantity"]) for x in ls) > 0
)


@given(lines_st, st.booleans())
def test_total_over_valid_input(ls: list[dict[str, object]], design: bool) -> None:
    decision = route_return(ls, needs_design_change=design)
    assert decision.outcome in RETURN_OUTCOMES
    assert decision.reasons
    assert all(r.strip() for r in decision.reasons)
    hosts = sum(int(str(x["quantity"])) for x in ls if x["product_class"] == "host")
    accessories = sum(int(str(x["quantity"])) for x in ls if x["product_class"] == "accessory")
    large = hosts >= 5 or accessories >= 15
    assert (decision.outcome == AFTER_SALES) == (not large)


@given(lines_st, line_st)
def test_adding_units_never_makes_a_return_small_again(
    ls: list[dict[str, object]], extra: dict[str, object]
) -> None:
    before = route_return(ls).outcome
    after = route_return([*ls, extra]).outcome
    if before == PRODUCTION:
        assert after == PRODUCTION


@given(st.integers(1, 5), st.integers(1, 20), lines_st)
def test_lower_thresholds_never_route_less_to_production(
    h: int, a: int, ls: list[dict[str, object]]
) -> None:
    strict = Policy(return_host_threshold=h, return_accessory_threshold=a)
    if route_return(ls).outcome == PRODUCTION:
        assert route_return(ls, policy=strict).outcome == PRODUCTION


@pytest.mark.parametrize(
    ("qty", "outcome"),
    [
        (1, AFTER_SALES),
        (8, AFTER_SALES),
        (10, AFTER_SALES),
        (11, MASS_PRODUCTION),
        (40, MASS_PRODUCTION),
    ],
)
def test_r3_boundaries(qty: int, outcome: str) -> None:
    decision = route_special_order(qty)
    assert decision.outcome == outcome
    assert decision.rule == "R3"
    assert any("policy" in r for r in decision.reasons)


def test_r3_boundary_is_a_policy_choice() -> None:
    english = Policy(special_order_small_max_sets=9)
    assert route_special_order(10, policy=english).outcome == MASS_PRODUCTION
    assert route_special_order(9, policy=english).outcome == AFTER_SALES


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10", None])
def test_r3_bad_quantity(bad: object) -> None:
    with pytest.raises(InvalidInput) as err:
        route_special_order(bad)  # type: ignore[arg-type]
    assert err.value.field == "quantity"


@given(st.integers(1, 1000), st.integers(1, 1000))
def test_r3_monotone(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    if route_special_order(lo).outcome == MASS_PRODUCTION:
        assert route_special_order(hi).outcome == MASS_PRODUCTION
