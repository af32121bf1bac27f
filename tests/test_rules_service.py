"""R4-R10, R22: acceptance, sign-offs, approval, warranty, parts, deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core import InvalidInput, Policy, Role
from aftersales_core.rules import (
    arrival_check,
    arrival_deadline,
    arrival_hours,
    in_warranty,
    next_signoff_role,
    parts_charge,
    region_of,
    requisition_signoff,
    resolution_check,
    resolution_deadline,
    return_acceptance,
    stock_in_approval,
    travel_expense_check,
    travel_expense_deadline,
    warranty_decision,
    warranty_end,
)

T0 = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)
aware_dt = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(timezone.utc)
)


# --- R8 / R9 / R22 --------------------------------------------------------------------


@pytest.mark.parametrize(("region", "hours"), [("home", 24), ("other", 48), ("remote", 72)])
def test_r8_deadlines(region: str, hours: int) -> None:
    assert arrival_deadline(T0, region) == T0 + timedelta(hours=hours)
    assert arrival_hours(region) == hours


def test_r8_region_of_by_policy() -> None:
    assert region_of("Jiangsu") == "home"
    assert region_of("  jiangsu ") == "home"
    assert region_of("Inner   Mongolia") == "remote"
    assert region_of("Guangdong") == "other"
    policy = Policy(home_province="Guangdong", remote_provinces=frozenset({"Hainan"}))
    assert region_of("Guangdong", policy=policy) == "home"
    assert region_of("Xinjiang", policy=policy) == "other"
    with pytest.raises(InvalidInput, match="province"):
        region_of("   ")


def test_r8_bad_input() -> None:
    with pytest.raises(InvalidInput) as err:
        arrival_deadline(T0, "moon")
    assert err.value.field == "region"
    with pytest.raises(InvalidInput) as err:
        arrival_deadline(datetime(2026, 1, 1), "home")
    assert err.value.field == "received_at"
    with pytest.raises(InvalidInput) as err:
        arrival_deadline("2026-01-01", "home")  # type: ignore[arg-type]
    assert err.value.field == "received_at"


@given(aware_dt)
def test_r8_deadlines_grow_with_distance(received: datetime) -> None:
    home, other, remote = (arrival_deadline(received, r) for r in ("home", "other", "remote"))
    assert received < home <= other <= remote


def test_r8_check_outcomes() -> None:
    assert arrival_check(T0, "home", arrived_at=T0 + timedelta(hours=24)).outcome == "on_time"
    late = arrival_check(T0, "home", arrived_at=T0 + timedelta(hours=25))
    assert late.outcome == "late"
    assert "explained to the customer" in " ".join(late.reasons)
    assert arrival_check(T0, "other", now=T0 + timedelta(hours=47)).outcome == "pending"
    assert arrival_check(T0, "other", now=T0 + timedelta(hours=49)).outcome == "overdue"
    with pytest.raises(InvalidInput, match="now"):
        arrival_check(T0, "home")


def test_r9_and_r22() -> None:
    assert resolution_deadline(T0) == T0 + timedelta(hours=48)
    assert resolution_check(T0, solved_at=T0 + timedelta(hours=47)).outcome == "on_time"
    assert resolution_check(T0, now=T0 + timedelta(hours=50)).outcome == "overdue"
    assert travel_expense_deadline(T0) == T0 + timedelta(days=2)
    assert travel_expense_check(T0, claimed_at=T0 + timedelta(days=3)).outcome == "late"
    assert travel_expense_check(T0, now=T0 + timedelta(days=1)).outcome == "pending"
    assert resolution_deadline(T0, policy=Policy(resolution_hours=24)) == T0 + timedelta(hours=24)


# --- R4 -------------------------------------------------------------------------------


def test_r4_no_window_means_review_with_date_and_reason() -> None:
    d = return_acceptance(T0, T0 + timedelta(days=10), "screen cracked")
    assert d.outcome == "review"
    assert "2026-01-31" in d.reasons[0]
    assert "screen cracked" in d.reasons[0]


@pytest.mark.parametrize(("days", "outcome"), [(0, "accept"), (30, "accept"), (31, "reject")])
def test_r4_window(days: int, outcome: str) -> None:
    policy = Policy(return_acceptance_window_days=30)
    assert return_acceptance(T0, T0 + timedelta(days=days), "x", policy=policy).outcome == outcome


def test_r4_bad_input() -> None:
    with pytest.raises(InvalidInput, match="requested_at"):
        return_acceptance(T0, T0 - timedelta(days=1), "x")
    with pytest.raises(InvalidInput, match="reason"):
        return_acceptance(T0, T0, "  ")


# --- R5 / R6 --------------------------------------------------------------------------

ORDER = (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE)


def test_r5_order() -> None:
    assert next_signoff_role([]) == Role.SALES_HEAD
    assert next_signoff_role([Role.SALES_HEAD]) == Role.PRODUCTION_MANAGER
    assert next_signoff_role(list(ORDER)) is None
    with pytest.raises(InvalidInput, match="signatures"):
        next_signoff_role([Role.WAREHOUSE])
    with pytest.raises(InvalidInput, match="signatures"):
        next_signoff_role([*ORDER, Role.WAREHOUSE])


@given(st.integers(0, 3), st.sets(st.sampled_from(list(Role))))
def test_r5_allowed_exactly_when_signer_holds_the_next_role(done: int, held: set[Role]) -> None:
    d = requisition_signoff(ORDER[:done], held)
    expected = done < 3 and ORDER[done] in held
    assert (d.outcome == "allowed") == expected
    assert d.rule == "R5"


def test_r5_custom_order() -> None:
    policy = Policy(requisition_signoff_roles=(Role.AFTER_SALES_MANAGER, Role.WAREHOUSE))
    assert requisition_signoff([], {Role.AFTER_SALES_MANAGER}, policy=policy).outcome == "allowed"
    assert requisition_signoff([], {Role.SALES_HEAD}, policy=policy).outcome == "refused"


def test_r6_only_general_manager() -> None:
    assert stock_in_approval({Role.GENERAL_MANAGER}).outcome == "approved"
    refused = stock_in_approval({Role.SALESPERSON, Role.AFTER_SALES_MANAGER})
    assert refused.outcome == "refused"
    assert "general_manager" in refused.reasons[0]
    relaxed = Policy(resale_requires_gm_approval=False)
    assert stock_in_approval({Role.AFTER_SALES_MANAGER}, policy=relaxed).outcome == "approved"
    assert stock_in_approval({Role.SALESPERSON}, policy=relaxed).outcome == "refused"


# --- R10 / R7 -------------------------------------------------------------------------


def test_warranty_end_calendar_months() -> None:
    assert warranty_end(T0, None, policy=Policy(default_warranty_months=1)).day == 28
    policy = Policy(warranty_months={"sensor": 24})
    assert warranty_end(T0, "sensor", policy=policy).year == 2028
    assert warranty_end(T0, "gauge", policy=policy) == T0.replace(year=2027)


@pytest.mark.parametrize(
    ("cause", "repairable", "replaceable", "outcome"),
    [
        ("company", True, True, "free_repair"),
        ("company", False, True, "free_replacement"),
        ("company", False, False, "refund"),
        ("unknown", True, False, "free_repair"),
        ("user", True, True, "not_compensated"),
    ],
)
def test_r10_within_warranty(cause: str, repairable: bool, replaceable: bool, outcome: str) -> None:
    d = warranty_decision(
        T0, T0 + timedelta(days=30), None, cause, repairable=repairable, replaceable=replaceable
    )
    assert d.outcome == outcome


def test_r10_out_of_warranty_needs_contract() -> None:
    d = warranty_decision(T0, T0 + timedelta(days=400), None, "company")
    assert d.outcome == "paid_service"
    assert d.facts["contract_required"] is True
    relaxed = warranty_decision(
        T0,
        T0 + timedelta(days=400),
        None,
        "company",
        policy=Policy(contract_required_out_of_warranty=False),
    )
    assert relaxed.facts["contract_required"] is False
    assert not in_warranty(T0, T0 + timedelta(days=400), None)
    with pytest.raises(InvalidInput, match="cause"):
        warranty_decision(T0, T0, None, "weather")


@given(aware_dt, st.integers(0, 2000), st.sampled_from(["company", "user", "unknown"]))
def test_r10_total(delivered: datetime, days: int, cause: str) -> None:
    d = warranty_decision(delivered, delivered + timedelta(days=days), None, cause)
    assert d.outcome in {
        "free_repair",
        "free_replacement",
        "refund",
        "not_compensated",
        "paid_service",
    }
    assert (d.outcome == "paid_service") == (
        not in_warranty(delivered, delivered + timedelta(days=days), None)
    )


def test_r7_parts() -> None:
    parts = [{"product": "seal", "quantity": 2}]
    assert parts_charge(parts, under_warranty=False).outcome == "charge"
    assert parts_charge(parts, under_warranty=True).outcome == "free"
    assert (
        parts_charge(
            parts, under_warranty=False, policy=Policy(charge_replaced_parts=False)
        ).outcome
        == "not_charged"
    )
    assert parts_charge([], under_warranty=False).outcome == "not_charged"
    with pytest.raises(InvalidInput) as err:
        parts_charge([{"product": "seal", "quantity": 0}], under_warranty=False)
    assert err.value.field == "parts[0].quantity"
    assert parts_charge(parts, under_warranty=False).facts["parts"] == [
        {"product": "seal", "quantity": 2}
    ]


def test_money_is_not_float() -> None:
    assert Decimal("0.5") == Policy().engineering_deposit_ratio
