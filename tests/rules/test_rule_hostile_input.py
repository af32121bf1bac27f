"""Regressions of the crashes the fuzzing found (tests/fuzz): each bad input now raises
:class:`~aftersales_core.errors.InvalidInput` naming the field, never a TypeError,
AttributeError, OverflowError or ValueError of Python's own."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from aftersales_core import InvalidInput, Policy, Role
from aftersales_core.forms import json_schema
from aftersales_core.rules import (
    APPROVED,
    REFUSED,
    arrival_check,
    arrival_deadline,
    engineering_release,
    in_warranty,
    is_repeated,
    next_signoff_role,
    parts_charge,
    quality_escalation,
    region_of,
    requisition_signoff,
    resolution_deadline,
    route_return,
    satisfaction_result,
    shipping_cutoff,
    similar_batch,
    stock_in_approval,
    survey_due,
    travel_expense_check,
    travel_expense_deadline,
    warranty_end,
)

NOW = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
UTC = timezone.utc
LAST_DAY = datetime(9999, 12, 30, 12, tzinfo=UTC)
LATE = datetime(9999, 6, 1, tzinfo=UTC)
EAST = timezone(timedelta(hours=8))
WEST = timezone(timedelta(hours=-8))


@pytest.mark.parametrize(
    "call",
    [
        lambda: region_of("Jiangsu", policy={}),  # type: ignore[arg-type]
        lambda: engineering_release(Decimal(1), Decimal(2), policy=[]),  # type: ignore[arg-type]
        lambda: arrival_check(NOW, "home", now=NOW, policy={"x": 1}),  # type: ignore[arg-type]
        lambda: parts_charge([], under_warranty=True, policy=False),  # type: ignore[arg-type]
        lambda: satisfaction_result([5], policy=3),  # type: ignore[arg-type]
        lambda: survey_due(None, NOW, policy=[]),  # type: ignore[arg-type]
        lambda: travel_expense_check(NOW, now=NOW, policy=1.5),  # type: ignore[arg-type]
    ],
)
def test_a_policy_that_is_no_policy_is_refused(call: Any) -> None:
    """Was AttributeError ('dict' object has no attribute 'home_province'...)."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == "policy"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: arrival_deadline(LAST_DAY, "remote"), "received_at"),
        (lambda: arrival_check(LAST_DAY, "remote", now=NOW), "received_at"),
        (lambda: resolution_deadline(LAST_DAY), "received_at"),
        (lambda: travel_expense_deadline(LAST_DAY), "returned_at"),
        (lambda: travel_expense_check(LAST_DAY, now=NOW), "returned_at"),
        (lambda: warranty_end(LATE, None), "delivered_at"),
        (lambda: in_warranty(LATE, NOW, None), "delivered_at"),
        (lambda: is_repeated([], datetime(1, 1, 5, tzinfo=UTC)), "now"),
        # a moment whose UTC time falls outside years 1-9999 in its own offset
        (lambda: is_repeated([], datetime.max.replace(tzinfo=WEST)), "now"),
        (lambda: resolution_deadline(datetime.min.replace(tzinfo=EAST)), "received_at"),
        (
            lambda: shipping_cutoff(datetime.max.replace(tzinfo=WEST), date(2026, 5, 4)),
            "paid_at",
        ),
    ],
)
def test_a_moment_at_the_end_of_the_calendar_is_refused(call: Any, field: str) -> None:
    """Was OverflowError ('date value out of range') or ValueError ('year 10000 is out
    of range') from the deadline arithmetic."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field


def test_deadlines_of_ordinary_moments_are_unchanged() -> None:
    assert arrival_deadline(NOW, "home") == NOW + timedelta(hours=24)
    assert resolution_deadline(NOW) == NOW + timedelta(hours=Policy().resolution_hours)
    assert travel_expense_deadline(NOW) == NOW + timedelta(days=Policy().travel_expense_days)
    assert warranty_end(datetime(2026, 1, 31, tzinfo=UTC), None).month == 1
    assert is_repeated([NOW, NOW, NOW], NOW) is (Policy().repeat_count <= 3)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: route_return(None), "lines"),  # type: ignore[arg-type]
        (lambda: route_return(7), "lines"),  # type: ignore[arg-type]
        (lambda: route_return({"product_class": "host", "quantity": 1}), "lines"),
        (lambda: parts_charge(None, under_warranty=False), "parts"),  # type: ignore[arg-type]
        (lambda: similar_batch("MC-200", 1, Decimal(1)), "open_orders"),  # type: ignore[arg-type]
        (lambda: satisfaction_result(None), "scores"),  # type: ignore[arg-type]
        (lambda: is_repeated(None, NOW), "occurrences"),  # type: ignore[arg-type]
        (
            lambda: quality_escalation(abnormal=False, occurrences=5, now=NOW),  # type: ignore[arg-type]
            "occurrences",
        ),
        (
            lambda: quality_escalation(abnormal=False, occurrences=["2026-05-04"], now=NOW),  # type: ignore[list-item]
            "occurrences[0]",
        ),
        (lambda: next_signoff_role(None), "signed_roles"),  # type: ignore[arg-type]
        (lambda: stock_in_approval(None), "approver_roles"),  # type: ignore[arg-type]
    ],
)
def test_a_list_that_is_no_list_is_refused(call: Any, field: str) -> None:
    """Was TypeError ("'NoneType' object is not iterable")."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: requisition_signoff([], [1]), "signer_roles[0]"),  # type: ignore[list-item]
        (lambda: requisition_signoff(["boss"], []), "signatures"),  # type: ignore[list-item]
        (lambda: stock_in_approval([True]), "approver_roles[0]"),  # type: ignore[list-item]
        (lambda: stock_in_approval([["general_manager"]]), "approver_roles[0]"),  # type: ignore[list-item]
        (lambda: next_signoff_role([None, []]), "signatures"),  # type: ignore[list-item]
    ],
)
def test_a_role_that_is_no_role_is_refused(call: Any, field: str) -> None:
    """Was AttributeError ("'int' object has no attribute 'value'")."""
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field


def test_roles_given_as_their_values_decide_as_the_roles() -> None:
    """A host that keeps roles as text gets the same decisions (was an AttributeError)."""
    assert stock_in_approval(["general_manager"]).outcome == APPROVED  # type: ignore[list-item]
    assert stock_in_approval(["after_sales"]).outcome == REFUSED  # type: ignore[list-item]
    first = Policy().requisition_signoff_roles[0]
    by_value = requisition_signoff([], [first.value])  # type: ignore[list-item]
    by_role = requisition_signoff([], [first])
    assert by_value == by_role
    assert next_signoff_role([first.value]) == next_signoff_role([first])  # type: ignore[list-item]
    assert isinstance(next_signoff_role([]), Role)


def test_a_category_that_is_no_text_is_refused() -> None:
    """Was TypeError ("unhashable type: 'list'") in Policy.warranty_months_for."""
    with pytest.raises(InvalidInput) as err:
        in_warranty(NOW, NOW, ["controller"])  # type: ignore[arg-type]
    assert err.value.field == "category"


@pytest.mark.parametrize("name", [[], {}, None, 3])
def test_json_schema_of_a_name_that_is_no_text_is_refused(name: Any) -> None:
    """Was TypeError ("unhashable type: 'list'")."""
    with pytest.raises(InvalidInput) as err:
        json_schema(name)
    assert err.value.field == "form"
