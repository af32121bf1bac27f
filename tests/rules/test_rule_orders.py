"""R14 cut-off, R15 engineering release, R16 credit, R18 similar batch, R20 satisfaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import (
    credit_check,
    engineering_release,
    satisfaction_result,
    shipping_cutoff,
    similar_batch,
    survey_due,
    survey_recipients,
)
from aftersales_core.rules.orders import (
    BLOCK,
    DELIVER,
    FLAG,
    HOLD,
    INVESTIGATE,
    NEXT_DAY,
    NONE,
    RELEASE,
    SATISFIED,
    SHIP_ON_ARREARS,
    SHIP_TODAY,
)

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2025, 5, 6)
US = timedelta(microseconds=1)
CUT = datetime(2025, 5, 6, 15, 30, tzinfo=SH)


def test_r14_exact_cutoff_ships_today_one_microsecond_later_next_day() -> None:
    today = shipping_cutoff(CUT, DAY)
    assert (today.rule, today.outcome) == ("R14", SHIP_TODAY)
    assert "15:30" in today.reasons[0] and "Asia/Shanghai" in today.reasons[0]
    assert shipping_cutoff(CUT + US, DAY).outcome == NEXT_DAY


def test_r14_cutoff_is_in_the_company_zone_whatever_the_payment_zone() -> None:
    utc_cut = datetime(2025, 5, 6, 7, 30, tzinfo=timezone.utc)  # 15:30 in Shanghai
    assert shipping_cutoff(utc_cut, DAY).outcome == SHIP_TODAY
    assert shipping_cutoff(utc_cut + US, DAY).outcome == NEXT_DAY
    pol = Policy(timezone="Europe/Berlin", payment_cutoff=time(12, 0))
    berlin_noon = datetime(2025, 5, 6, 10, 0, tzinfo=timezone.utc)  # 12:00 CEST
    assert shipping_cutoff(berlin_noon, DAY, policy=pol).outcome == SHIP_TODAY
    late = shipping_cutoff(berlin_noon + US, DAY, policy=pol)
    assert late.outcome == NEXT_DAY and late.facts["payment_cutoff"] == "12:00"


def test_r14_unpaid() -> None:
    assert shipping_cutoff(None, DAY).outcome == HOLD
    promised = date(2025, 5, 20)
    arrears = shipping_cutoff(None, DAY, arrears_guarantee=True, committed_payment_date=promised)
    assert arrears.outcome == SHIP_ON_ARREARS
    assert arrears.facts["committed_payment_date"] == "2025-05-20"
    unstable = shipping_cutoff(
        None, DAY, arrears_guarantee=True, committed_payment_date=promised, customer_stable=False
    )
    assert unstable.outcome == HOLD and "unstable" in unstable.reasons[0]


@pytest.mark.parametrize(
    ("paid", "ship", "kwargs", "field"),
    [
        (None, datetime(2025, 5, 6, tzinfo=SH), {}, "ship_date"),
        (None, "2025-05-06", {}, "ship_date"),
        (datetime(2025, 5, 6, 9), DAY, {}, "paid_at"),
        (None, DAY, {"arrears_guarantee": True}, "committed_payment_date"),
        (
            None,
            DAY,
            {"arrears_guarantee": True, "committed_payment_date": "2025-05-20"},
            "committed_payment_date",
        ),
        (
            None,
            DAY,
            {"committed_payment_date": datetime(2025, 5, 20, tzinfo=SH)},
            "committed_payment_date",
        ),
    ],
)
def test_r14_bad_input(paid: object, ship: object, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        shipping_cutoff(paid, ship, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(
    st.one_of(st.none(), st.integers(-48 * 60, 48 * 60)),
    st.booleans(),
    st.booleans(),
)
def test_r14_total(minutes: int | None, guarantee: bool, stable: bool) -> None:
    paid = None if minutes is None else CUT + timedelta(minutes=minutes)
    d = shipping_cutoff(
        paid,
        DAY,
        arrears_guarantee=guarantee,
        committed_payment_date=date(2025, 6, 1),
        customer_stable=stable,
    )
    assert d.outcome in {SHIP_TODAY, NEXT_DAY, HOLD, SHIP_ON_ARREARS} and d.reasons
    if minutes is not None:
        assert d.outcome == (SHIP_TODAY if minutes <= 0 else NEXT_DAY)


@pytest.mark.parametrize(
    ("paid", "total", "ratio", "outcome"),
    [
        ("50", "100", "0.5", HOLD),
        ("50.01", "100", "0.5", RELEASE),
        ("0", "100", "0.5", HOLD),
        ("100", "100", "0.5", RELEASE),
        ("30", "100", "0.3", HOLD),
        ("30.01", "100", "0.3", RELEASE),
        ("1", "3", "0.3333", RELEASE),
    ],
)
def test_r15_strictly_more_than_the_ratio(paid: str, total: str, ratio: str, outcome: str) -> None:
    pol = Policy(engineering_deposit_ratio=Decimal(ratio))
    d = engineering_release(Decimal(paid), Decimal(total), policy=pol)
    assert (d.rule, d.outcome) == ("R15", outcome)
    assert d.facts["engineering_deposit_ratio"] == ratio


def test_r15_reason_names_exact_amounts() -> None:
    d = engineering_release(Decimal("50"), Decimal("100"))
    assert d.reasons == (
        "50 paid of 100 is not more than 50 % of it (50): not yet released to production (R15).",
    )


@pytest.mark.parametrize(
    ("paid", "total", "field"),
    [
        (Decimal("-1"), Decimal("10"), "paid"),
        (1.5, Decimal("10"), "paid"),
        (True, Decimal("10"), "paid"),
        ("abc", Decimal("10"), "paid"),
        (Decimal("NaN"), Decimal("10"), "paid"),
        (Decimal("Infinity"), Decimal("10"), "paid"),
        (Decimal("1"), Decimal("0"), "total"),
        (Decimal("1"), None, "total"),
    ],
)
def test_r15_bad_money(paid: object, total: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        engineering_release(paid, total)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(
    st.decimals(0, 10_000, places=2),
    st.decimals("0.01", 10_000, places=2),
    st.decimals("0.01", 10, places=2),
)
def test_r15_monotone_in_payment(paid: Decimal, total: Decimal, more: Decimal) -> None:
    paid = min(paid, total)
    first = engineering_release(paid, total).outcome
    assert first in {RELEASE, HOLD}
    if first == RELEASE and paid + more <= total:
        assert engineering_release(paid + more, total).outcome == RELEASE


@pytest.mark.parametrize(
    ("balance", "amount", "limit", "outcome"),
    [
        ("600", "400", "1000", DELIVER),
        ("600", "400.01", "1000", BLOCK),
        ("0", "0", "0", DELIVER),
        ("0", "1", "0", BLOCK),
        ("5000", "5000", None, DELIVER),
    ],
)
def test_r16_credit_limit_inclusive(
    balance: str, amount: str, limit: str | None, outcome: str
) -> None:
    d = credit_check(Decimal(balance), Decimal(amount), None if limit is None else Decimal(limit))
    assert (d.rule, d.outcome) == ("R16", outcome)
    if limit is not None:
        assert d.facts["credit_limit"] == limit
        assert limit in d.reasons[0]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((Decimal("-1"), Decimal("1"), Decimal("1")), "open_balance"),
        ((Decimal("1"), 2.0, Decimal("1")), "order_amount"),
        ((Decimal("1"), Decimal("1"), Decimal("-5")), "credit_limit"),
    ],
)
def test_r16_bad_money(args: tuple[object, object, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        credit_check(*args)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(
    st.decimals(0, 10**6, places=2),
    st.decimals(0, 10**6, places=2),
    st.decimals(0, 10**6, places=2),
)
def test_r16_oracle(balance: Decimal, amount: Decimal, limit: Decimal) -> None:
    d = credit_check(balance, amount, limit)
    assert d.outcome == (DELIVER if balance + amount <= limit else BLOCK)


@dataclass
class Order:
    reference: str
    product: str


def test_r18_flags_same_product_only() -> None:
    orders = [Order("SO1", "pump"), {"reference": "SO2", "product": "valve"}, Order("SO3", "pump")]
    d = similar_batch("pump", 10, orders)
    assert (d.rule, d.outcome) == ("R18", FLAG)
    assert d.facts["similar_orders"] == ["SO1", "SO3"]
    assert "2 similar orders of pump under way (SO1, SO3)" in d.reasons[0]
    assert similar_batch("seal", 1, orders).outcome == NONE
    assert similar_batch("seal", 1, []).outcome == NONE


@pytest.mark.parametrize(
    ("product", "qty", "orders", "field"),
    [
        ("", 1, [], "product"),
        (None, 1, [], "product"),
        ("pump", 0, [], "quantity"),
        ("pump", 1, [{"reference": "x"}], "open_orders[0].product"),
        ("pump", 1, [Order("a", "b"), {"product": "pump"}], "open_orders[1].reference"),
    ],
)
def test_r18_bad_input(product: object, qty: object, orders: list[object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        similar_batch(product, qty, orders)  # type: ignore[arg-type]
    assert info.value.field == field


NOW = datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)


def test_r20_survey_due() -> None:
    assert survey_due(None, NOW)
    assert survey_due(NOW, NOW, closed_case=True)
    assert not survey_due(NOW, NOW, closed_case=True, policy=Policy(survey_after_closed_case=False))
    quarter = timedelta(days=91)  # round(3 * 365.25 / 12)
    assert survey_due(NOW - quarter, NOW)
    assert not survey_due(NOW - quarter + US, NOW)
    monthly = Policy(survey_every_months=1)
    assert survey_due(NOW - timedelta(days=30), NOW, policy=monthly)
    assert not survey_due(NOW - timedelta(days=29), NOW, policy=monthly)


def test_r20_survey_recipients() -> None:
    assert survey_recipients("ACME Marine") == (("ACME Marine", False),)
    assert survey_recipients(" ACME Marine ", "Ocean Star") == (
        ("ACME Marine", False),
        ("Ocean Star", True),
    )
    assert survey_recipients("ACME Marine", "ACME MARINE") == (("ACME Marine", False),)
    off = Policy(survey_final_customers=False)
    assert survey_recipients("ACME Marine", "Ocean Star", policy=off) == (("ACME Marine", False),)


@pytest.mark.parametrize(
    ("customer", "final", "field"),
    [("", "", "customer"), (None, "", "customer"), ("ACME", 3, "final_customer")],
)
def test_r20_survey_recipients_bad_input(customer: object, final: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        survey_recipients(customer, final)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("last", "now", "field"),
    [(NOW, datetime(2025, 7, 1), "now"), (datetime(2025, 1, 1), NOW, "last_survey_at")],
)
def test_r20_survey_bad_input(last: datetime, now: datetime, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        survey_due(last, now)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("scores", "below", "outcome"),
    [
        ([3, 3, 3], 3, SATISFIED),
        ([3, 3, 2], 3, INVESTIGATE),
        ([5, 5, 1], 3, INVESTIGATE),
        ([2], 2, SATISFIED),
        ([4, 4], 5, INVESTIGATE),
        ([5], 5, SATISFIED),
    ],
)
def test_r20_satisfaction_boundaries(scores: list[int], below: int, outcome: str) -> None:
    d = satisfaction_result(scores, policy=Policy(dissatisfied_below_score=below))
    assert (d.rule, d.outcome) == ("R20", outcome)
    assert d.facts["dissatisfied_below_score"] == below


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ([], "scores"),
        ([3, 6], "scores[1]"),
        ([0], "scores[0]"),
        ([True], "scores[0]"),
        ([4, 2.5], "scores[1]"),
    ],
)
def test_r20_bad_scores(scores: list[object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        satisfaction_result(scores)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=20), st.integers(1, 5))
def test_r20_total_and_raising_a_score_never_hurts(scores: list[int], below: int) -> None:
    pol = Policy(dissatisfied_below_score=below)
    d = satisfaction_result(scores, policy=pol)
    assert d.outcome in {SATISFIED, INVESTIGATE} and d.reasons
    raised = [min(5, scores[0] + 1), *scores[1:]]
    if d.outcome == SATISFIED:
        assert satisfaction_result(raised, policy=pol).outcome == SATISFIED
