"""Strict inputs of the rules (issue 7 and issue 11, findings 5, 6, 13).

Every boolean switch of every rule function is a real ``bool``: ``"no"`` or ``1`` is
refused with :class:`InvalidInput` naming the parameter, never taken as truthy. The R10
moment asked about may not precede the delivery; quantities are bounded by the policy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import rules
from aftersales_core.errors import InvalidInput
from aftersales_core.policy import Policy

AT = datetime(2025, 5, 6, 9, tzinfo=timezone.utc)

# Each rule function with a boolean switch, called with good arguments; the switch is
# given by keyword.
CALLS: dict[tuple[str, str], Callable[..., object]] = {
    ("route_return", "needs_design_change"): lambda **kw: rules.route_return(
        [{"product_class": "host", "quantity": 1}], **kw
    ),
    ("same_batch_check", "similar_defect"): lambda **kw: rules.same_batch_check(3, **kw),
    ("quality_escalation", "abnormal"): lambda **kw: rules.quality_escalation(now=AT, **kw),
    ("quality_escalation", "major"): lambda **kw: rules.quality_escalation(
        abnormal=False, now=AT, **kw
    ),
    ("quality_escalation", "marine"): lambda **kw: rules.quality_escalation(
        abnormal=False, now=AT, **kw
    ),
    ("shipping_cutoff", "arrears_guarantee"): lambda **kw: rules.shipping_cutoff(
        None, date(2025, 5, 6), committed_payment_date=date(2025, 5, 9), **kw
    ),
    ("shipping_cutoff", "customer_stable"): lambda **kw: rules.shipping_cutoff(
        None, date(2025, 5, 6), **kw
    ),
    ("cutoff_reminder", "paid_in_full"): lambda **kw: rules.cutoff_reminder(
        AT, date(2025, 5, 6), **kw
    ),
    ("survey_due", "closed_case"): lambda **kw: rules.survey_due(None, AT, **kw),
    ("warranty_decision", "repairable"): lambda **kw: rules.warranty_decision(
        AT - timedelta(days=3), AT, None, "company", **kw
    ),
    ("warranty_decision", "replaceable"): lambda **kw: rules.warranty_decision(
        AT - timedelta(days=3), AT, None, "company", **kw
    ),
    ("parts_charge", "under_warranty"): lambda **kw: rules.parts_charge(
        [{"product": "P", "quantity": 1}], **kw
    ),
}

NOT_BOOLS = st.one_of(
    st.integers(),
    st.text(max_size=5),
    st.sampled_from(["no", "yes", "false", "true", "0", "1"]),
    st.floats(allow_nan=False),
    st.lists(st.booleans(), max_size=2),
)


def test_every_boolean_parameter_of_every_rule_is_covered() -> None:
    seen = set()
    for name in rules.__all__:
        fn = getattr(rules, name)
        if not inspect.isfunction(fn):
            continue
        for param in inspect.signature(fn).parameters.values():
            if param.annotation in ("bool", "bool | None"):
                seen.add((name, param.name))
    assert seen == set(CALLS)


@pytest.mark.parametrize(("rule", "param"), sorted(CALLS))
def test_true_and_false_are_accepted(rule: str, param: str) -> None:
    for value in (True, False):
        CALLS[rule, param](**{param: value})


@pytest.mark.parametrize(("rule", "param"), sorted(CALLS))
@pytest.mark.parametrize("value", ["no", 1, 0, "", None, 1.0])
def test_a_non_bool_switch_is_refused_naming_it(rule: str, param: str, value: Any) -> None:
    if value is None and param == "similar_defect":
        CALLS[rule, param](**{param: value})  # None means "not tested yet" there
        return
    with pytest.raises(InvalidInput) as info:
        CALLS[rule, param](**{param: value})
    assert info.value.field == param


@settings(deadline=None, max_examples=60)
@given(st.sampled_from(sorted(CALLS)), NOT_BOOLS)
def test_no_non_bool_is_ever_taken_as_truthy(key: tuple[str, str], value: object) -> None:
    with pytest.raises(InvalidInput) as info:
        CALLS[key](**{key[1]: value})
    assert info.value.field == key[1]


# --- R10: the moment asked about is not before the delivery (issue 7) ----------------------


@settings(deadline=None)
@given(st.integers(1, 10**6), st.sampled_from(["company", "user", "unknown"]))
def test_warranty_decision_refuses_a_moment_before_the_delivery(
    seconds_before: int, cause: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        rules.warranty_decision(AT, AT - timedelta(seconds=seconds_before), None, cause)
    assert info.value.field == "at"


def test_warranty_decision_at_the_delivery_itself_is_within_warranty() -> None:
    assert rules.warranty_decision(AT, AT, None, "company").outcome == rules.FREE_REPAIR


# --- quantities are bounded by the policy (finding 5) ------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda q, p: rules.route_return(
                [{"product_class": "accessory", "quantity": q}], policy=p
            ),
            "lines[0].quantity",
        ),
        (lambda q, p: rules.route_special_order(q, policy=p), "quantity"),
        (
            lambda q, p: rules.parts_charge(
                [{"product": "P", "quantity": q}], under_warranty=False, policy=p
            ),
            "parts[0].quantity",
        ),
        (
            lambda q, p: rules.quality_escalation(
                abnormal=False, affected_quantity=q, now=AT, policy=p
            ),
            "affected_quantity",
        ),
    ],
)
def test_quantities_above_the_policy_maximum_are_refused(
    call: Callable[[int, Policy], object], field: str
) -> None:
    pol = Policy(max_quantity=100)
    call(100, pol)
    for huge in (101, 99999999999999999999):
        with pytest.raises(InvalidInput, match="max_quantity") as info:
            call(huge, pol)
        assert info.value.field == field
    with pytest.raises(InvalidInput):
        call(99999999999999999999, Policy())


# --- R8, R9, R22: done before it began (finding 13) ----------------------------------------


@pytest.mark.parametrize(
    ("check", "field"),
    [
        (lambda t: rules.arrival_check(AT, "home", arrived_at=t), "arrived_at"),
        (lambda t: rules.resolution_check(AT, solved_at=t), "solved_at"),
        (lambda t: rules.travel_expense_check(AT, claimed_at=t), "claimed_at"),
    ],
)
def test_done_before_the_start_is_refused(check: Callable[[datetime], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check(AT - timedelta(microseconds=1))
    assert info.value.field == field
    assert check(AT).outcome == rules.ON_TIME  # type: ignore[attr-defined]
