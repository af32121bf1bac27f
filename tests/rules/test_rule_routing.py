"""R1/R2/R3 routing: boundaries, an oracle property, custom policies, bad input."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import route_return, route_special_order, sum_by_class
from aftersales_core.rules.routing import (
    AFTER_SALES,
    MASS_PRODUCTION,
    PRODUCTION,
    QUALITY_EXCEPTION,
    RETURN_OUTCOMES,
    SPECIAL_ORDER_OUTCOMES,
)


@dataclass
class Line:
    product_class: str
    quantity: int


def ret(hosts: int, accessories: int) -> list[dict[str, object]]:
    return [
        {"product_class": "host", "quantity": hosts},
        {"product_class": "accessory", "quantity": accessories},
    ]


@pytest.mark.parametrize(
    ("hosts", "accessories", "outcome"),
    [
        (4, 14, AFTER_SALES),
        (5, 14, PRODUCTION),
        (4, 15, PRODUCTION),
        (5, 15, PRODUCTION),
        (0, 14, AFTER_SALES),
        (4, 0, AFTER_SALES),
        (0, 15, PRODUCTION),
        (5, 0, PRODUCTION),
    ],
)
def test_r1_exact_thresholds(hosts: int, accessories: int, outcome: str) -> None:
    d = route_return(ret(hosts, accessories))
    assert d.outcome == outcome
    assert d.rule == "R1"
    assert d.facts["hosts"] == hosts and d.facts["accessories"] == accessories
    assert d.facts["return_host_threshold"] == 5
    assert d.facts["return_accessory_threshold"] == 15


def test_r1_reason_quotes_the_brief_example() -> None:
    d = route_return(ret(4, 15))
    assert d.reasons == (
        "4 hosts and 15 accessories: 15 accessories reach the production threshold of 15, "
        "so production takes them for a second processing (R1).",
    )


def test_r1_both_thresholds_named_when_both_reached() -> None:
    (reason,) = route_return(ret(5, 15)).reasons
    assert "5 hosts reach the production threshold of 5" in reason
    assert "15 accessories reach the production threshold of 15" in reason


def test_r1_small_return_reason_names_both_limits() -> None:
    (reason,) = route_return(ret(1, 1)).reasons
    assert reason.startswith("1 host and 1 accessory:")
    assert "fewer than 5 hosts and fewer than 15 accessories" in reason


@pytest.mark.parametrize(("hosts", "accessories"), [(5, 0), (0, 15), (9, 30)])
def test_r2_large_return_needing_design_change(hosts: int, accessories: int) -> None:
    d = route_return(ret(hosts, accessories), needs_design_change=True)
    assert (d.rule, d.outcome) == ("R2", QUALITY_EXCEPTION)
    assert d.facts["needs_design_change"] is True
    assert any("R&D" in r for r in d.reasons)


def test_r2_small_return_stays_with_after_sales() -> None:
    d = route_return(ret(4, 14), needs_design_change=True)
    assert (d.rule, d.outcome) == ("R1", AFTER_SALES)


def test_lines_as_objects_generators_and_tuples() -> None:
    objs = [Line("host", 2), Line("host", 3)]
    assert route_return(objs).outcome == PRODUCTION
    assert route_return(x for x in objs).outcome == PRODUCTION
    assert route_return(tuple(objs[:1])).outcome == AFTER_SALES
    assert sum_by_class([Line("accessory", 7), {"product_class": "host", "quantity": 1}]) == (1, 7)


def test_zero_quantity_lines_are_allowed_if_something_returns() -> None:
    lines = [
        {"product_class": "host", "quantity": 0},
        {"product_class": "accessory", "quantity": 1},
    ]
    assert route_return(lines).outcome == AFTER_SALES


@pytest.mark.parametrize(
    ("host_limit", "acc_limit", "hosts", "accessories", "outcome"),
    [
        (1, 1, 1, 0, PRODUCTION),
        (1, 1, 0, 1, PRODUCTION),
        (10, 30, 9, 29, AFTER_SALES),
        (10, 30, 10, 29, PRODUCTION),
        (10, 30, 9, 30, PRODUCTION),
        (3, 100, 4, 50, PRODUCTION),
    ],
)
def test_custom_policy_moves_the_thresholds(
    host_limit: int, acc_limit: int, hosts: int, accessories: int, outcome: str
) -> None:
    pol = Policy(return_host_threshold=host_limit, return_accessory_threshold=acc_limit)
    d = route_return(ret(hosts, accessories), policy=pol)
    assert d.outcome == outcome
    assert d.facts["return_host_threshold"] == host_limit
    assert d.facts["return_accessory_threshold"] == acc_limit
    limit_named = host_limit if hosts >= host_limit else acc_limit
    assert f"threshold of {limit_named}" in d.reasons[0] or d.outcome == AFTER_SALES


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ("host", "lines"),
        (b"host", "lines"),
        ([{"product_class": "host", "quantity": 0}], "lines"),
        ([{"quantity": 1}], "lines[0].product_class"),
        ([{"product_class": "host"}], "lines[0].quantity"),
        ([object()], "lines[0].product_class"),
        ([{"product_class": "Host", "quantity": 1}], "lines[0].product_class"),
        ([{"product_class": None, "quantity": 1}], "lines[0].product_class"),
        ([Line("host", 1), Line("host", 1), Line("host", -1)], "lines[2].quantity"),
        ([{"product_class": "host", "quantity": 1.0}], "lines[0].quantity"),
        ([{"product_class": "host", "quantity": "3"}], "lines[0].quantity"),
        ([{"product_class": "host", "quantity": True}], "lines[0].quantity"),
    ],
)
def test_bad_lines_name_the_field(lines: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        route_return(lines)  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert isinstance(info.value, ValueError)


def test_negative_quantity_message_matches_the_contract() -> None:
    lines = [Line("host", 1), Line("host", 1), Line("accessory", -2)]
    with pytest.raises(InvalidInput, match=r"^lines\[2\]\.quantity: must not be negative"):
        route_return(lines)


@pytest.mark.parametrize("flag", [1, 0, "yes", None])
def test_needs_design_change_must_be_bool(flag: object) -> None:
    with pytest.raises(InvalidInput) as info:
        route_return(ret(1, 1), needs_design_change=flag)  # type: ignore[arg-type]
    assert info.value.field == "needs_design_change"


line_st = st.builds(
    lambda k, q: {"product_class": k, "quantity": q},
    st.sampled_from(["host", "accessory"]),
    st.integers(0, 40),
)
lines_st = st.lists(line_st, min_size=1, max_size=8).filter(
    lambda ls: sum(int(str(x["quantity"])) for x in ls) > 0
)
policy_st = st.builds(
    lambda h, a: Policy(return_host_threshold=h, return_accessory_threshold=a),
    st.integers(1, 30),
    st.integers(1, 60),
)


@settings(deadline=None)
@given(lines_st, st.booleans(), policy_st)
def test_oracle_over_any_policy(ls: list[dict[str, object]], design: bool, pol: Policy) -> None:
    d = route_return(ls, needs_design_change=design, policy=pol)
    hosts = sum(int(str(x["quantity"])) for x in ls if x["product_class"] == "host")
    accs = sum(int(str(x["quantity"])) for x in ls if x["product_class"] == "accessory")
    small = hosts < pol.return_host_threshold and accs < pol.return_accessory_threshold
    expected = AFTER_SALES if small else (QUALITY_EXCEPTION if design else PRODUCTION)
    assert d.outcome == expected
    assert d.outcome in RETURN_OUTCOMES
    assert d.rule == ("R2" if d.outcome == QUALITY_EXCEPTION else "R1")
    assert d.reasons and all(r.strip() for r in d.reasons)
    assert f"{hosts} host" in d.reasons[0] and f"{accs} accessor" in d.reasons[0]


@settings(deadline=None)
@given(lines_st, st.integers(1, 30))
def test_splitting_a_line_does_not_change_the_route(ls: list[dict[str, object]], at: int) -> None:
    first = ls[0]
    q = int(str(first["quantity"]))
    cut = min(at, q)
    split = [
        {"product_class": first["product_class"], "quantity": cut},
        {"product_class": first["product_class"], "quantity": q - cut},
        *ls[1:],
    ]
    assert route_return(split) == route_return(ls)


@settings(deadline=None)
@given(lines_st, st.sampled_from(["host", "accessory"]), st.integers(0, 50))
def test_adding_units_never_returns_to_after_sales(
    ls: list[dict[str, object]], klass: str, extra: int
) -> None:
    before = route_return(ls).outcome
    after = route_return([*ls, {"product_class": klass, "quantity": extra}]).outcome
    if before == PRODUCTION:
        assert after == PRODUCTION


@pytest.mark.parametrize(
    ("qty", "limit", "outcome"),
    [
        (1, 10, AFTER_SALES),
        (10, 10, AFTER_SALES),
        (11, 10, MASS_PRODUCTION),
        (9, 9, AFTER_SALES),
        (10, 9, MASS_PRODUCTION),
        (1, 1, AFTER_SALES),
        (2, 1, MASS_PRODUCTION),
    ],
)
def test_r3_boundaries_and_custom_limit(qty: int, limit: int, outcome: str) -> None:
    d = route_special_order(qty, policy=Policy(special_order_small_max_sets=limit))
    assert (d.rule, d.outcome) == ("R3", outcome)
    assert d.facts == {"quantity": qty, "special_order_small_max_sets": limit}
    assert any("policy" in r and str(limit) in r for r in d.reasons)


def test_r3_defaults_follow_the_chinese_seed() -> None:
    assert route_special_order(10).outcome == AFTER_SALES
    assert route_special_order(11).outcome == MASS_PRODUCTION


@settings(deadline=None)
@given(st.integers(1, 10_000), st.integers(1, 500))
def test_r3_oracle(qty: int, limit: int) -> None:
    d = route_special_order(qty, policy=Policy(special_order_small_max_sets=limit))
    assert d.outcome in SPECIAL_ORDER_OUTCOMES
    assert d.outcome == (AFTER_SALES if qty <= limit else MASS_PRODUCTION)
    assert f"{qty} set" in d.reasons[0]
