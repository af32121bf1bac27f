"""R11-R16, R18, R20: complaints, escalation, order processing, satisfaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core import InvalidInput, Policy
from aftersales_core.rules import (
    complaint_responsibility,
    credit_check,
    engineering_release,
    is_repeated,
    quality_escalation,
    same_batch_check,
    satisfaction_result,
    shipping_cutoff,
    similar_batch,
    survey_due,
)
from aftersales_core.rules.complaints import COMPLAINT_CAUSES

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
SHANGHAI = Policy().zone


@pytest.mark.parametrize(
    ("cause", "outcome"),
    [
        ("not_company", "explain_to_customer"),
        ("quantity", "after_sales_or_dealer"),
        ("delivery_time", "after_sales_or_dealer"),
        ("transport_damage", "after_sales_or_dealer"),
        ("construction_quality", "dealer_at_own_cost"),
        ("product_quality", "payout_after_testing"),
    ],
)
def test_r11(cause: str, outcome: str) -> None:
    d = complaint_responsibility(cause)
    assert d.outcome == outcome
    assert d.rule == "R11"


def test_r11_unknown_cause() -> None:
    with pytest.raises(InvalidInput) as err:
        complaint_responsibility("bad luck")
    assert err.value.field == "cause"


@given(st.sampled_from(COMPLAINT_CAUSES))
def test_r11_total(cause: str) -> None:
    assert complaint_responsibility(cause).reasons


@pytest.mark.parametrize(
    ("stock", "similar", "outcome"),
    [
        (0, None, "photos_and_product"),
        (3, None, "test_stock"),
        (3, True, "customer_returns_product"),
        (3, False, "handling_opinion_and_payout"),
    ],
)
def test_r12(stock: int, similar: bool | None, outcome: str) -> None:
    assert same_batch_check(stock, similar_defect=similar).outcome == outcome


def test_r12_bad_input() -> None:
    with pytest.raises(InvalidInput, match="stock_of_lot"):
        same_batch_check(-1)
    with pytest.raises(InvalidInput, match="similar_defect"):
        same_batch_check(1, similar_defect="yes")  # type: ignore[arg-type]


def test_r13_levels() -> None:
    assert quality_escalation(abnormal=False, now=NOW).outcome == "repair_directly"
    assert quality_escalation(abnormal=True, now=NOW).outcome == "quality_control"
    assert quality_escalation(abnormal=False, major=True, now=NOW).outcome == "general_manager"
    assert (
        quality_escalation(abnormal=False, affected_quantity=5, now=NOW).outcome
        == "general_manager"
    )
    assert (
        quality_escalation(abnormal=False, affected_quantity=4, now=NOW).outcome
        == "repair_directly"
    )
    assert quality_escalation(abnormal=True, marine=True, now=NOW).outcome == "suspend_production"
    assert quality_escalation(abnormal=False, marine=True, now=NOW).outcome == "repair_directly"


def test_r13_repeated_within_window() -> None:
    twice = [NOW - timedelta(days=29), NOW]
    assert is_repeated(twice, NOW)
    assert (
        quality_escalation(abnormal=False, occurrences=twice, now=NOW).outcome == "quality_control"
    )
    apart = [NOW - timedelta(days=31), NOW]
    assert not is_repeated(apart, NOW)
    assert is_repeated(apart, NOW, policy=Policy(repeat_window_days=40))
    with pytest.raises(InvalidInput, match=r"occurrences\[0\]"):
        is_repeated([datetime(2026, 1, 1)], NOW)


SEVERITY = ["repair_directly", "quality_control", "general_manager", "suspend_production"]


@given(st.booleans(), st.booleans(), st.booleans(), st.integers(1, 20), st.integers(0, 3))
def test_r13_more_units_never_less_severe(
    abnormal: bool, major: bool, marine: bool, qty: int, repeats: int
) -> None:
    occ = [NOW - timedelta(days=i) for i in range(repeats)]
    a = quality_escalation(
        abnormal=abnormal,
        major=major,
        marine=marine,
        affected_quantity=qty,
        occurrences=occ,
        now=NOW,
    )
    b = quality_escalation(
        abnormal=abnormal,
        major=major,
        marine=marine,
        affected_quantity=qty + 5,
        occurrences=occ,
        now=NOW,
    )
    assert SEVERITY.index(b.outcome) >= SEVERITY.index(a.outcome)


def test_r14_cutoff_in_company_time_zone() -> None:
    ship = date(2026, 6, 1)
    before = datetime(2026, 6, 1, 15, 30, tzinfo=SHANGHAI)
    after = datetime(2026, 6, 1, 15, 31, tzinfo=SHANGHAI)
    assert shipping_cutoff(before, ship).outcome == "ship_today"
    assert shipping_cutoff(after, ship).outcome == "next_day"
    # 07:00 UTC is 15:00 in Shanghai: before the cut-off.
    assert (
        shipping_cutoff(datetime(2026, 6, 1, 7, tzinfo=timezone.utc), ship).outcome == "ship_today"
    )
    assert shipping_cutoff(None, ship).outcome == "hold"
    arrears = shipping_cutoff(
        None, ship, arrears_guarantee=True, committed_payment_date=date(2026, 6, 10)
    )
    assert arrears.outcome == "ship_on_arrears"
    unstable = shipping_cutoff(None, ship, arrears_guarantee=True, customer_stable=False)
    assert unstable.outcome == "hold"
    with pytest.raises(InvalidInput, match="committed_payment_date"):
        shipping_cutoff(None, ship, arrears_guarantee=True)
    with pytest.raises(InvalidInput, match="ship_date"):
        shipping_cutoff(None, NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("paid", "outcome"), [("50", "hold"), ("50.01", "release"), ("0", "hold"), ("100", "release")]
)
def test_r15_more_than_half(paid: str, outcome: str) -> None:
    assert engineering_release(Decimal(paid), Decimal("100")).outcome == outcome


def test_r15_bad_input() -> None:
    with pytest.raises(InvalidInput, match="total"):
        engineering_release(Decimal(1), Decimal(0))
    with pytest.raises(InvalidInput, match="paid"):
        engineering_release(Decimal(-1), Decimal(10))
    with pytest.raises(InvalidInput, match="paid"):
        engineering_release(1.5, Decimal(10))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="paid"):
        engineering_release("abc", Decimal(10))  # type: ignore[arg-type]


@given(st.decimals(0, 1000, places=2), st.decimals(1, 1000, places=2))
def test_r15_monotone(paid: Decimal, total: Decimal) -> None:
    if engineering_release(paid, total).outcome == "release":
        assert engineering_release(paid + 1, total).outcome == "release"


def test_r16_credit() -> None:
    assert credit_check(Decimal(50), Decimal(50), Decimal(100)).outcome == "deliver"
    assert credit_check(Decimal(50), Decimal("50.01"), Decimal(100)).outcome == "block"
    assert credit_check(Decimal(0), Decimal(10**6), None).outcome == "deliver"


def test_r18_similar_batch() -> None:
    d = similar_batch(
        "gauge",
        10,
        [{"product": "gauge", "reference": "SO1"}, {"product": "sensor", "reference": "SO2"}],
    )
    assert d.outcome == "flag"
    assert d.facts["similar_orders"] == ["SO1"]
    assert similar_batch("gauge", 1, []).outcome == "none"
    with pytest.raises(InvalidInput, match="product"):
        similar_batch("", 1, [])


def test_r20_survey() -> None:
    assert survey_due(None, NOW)
    assert survey_due(NOW, NOW, closed_case=True)
    assert not survey_due(NOW - timedelta(days=30), NOW)
    assert survey_due(NOW - timedelta(days=92), NOW)
    assert not survey_due(NOW, NOW, closed_case=True, policy=Policy(survey_after_closed_case=False))
    assert satisfaction_result([5, 4, 5]).outcome == "satisfied"
    assert satisfaction_result([3, 2, 2]).outcome == "investigate"
    assert satisfaction_result([5, 5, 1]).outcome == "investigate"
    with pytest.raises(InvalidInput, match="scores"):
        satisfaction_result([])
    with pytest.raises(InvalidInput, match=r"scores\[1\]"):
        satisfaction_result([5, 6])
