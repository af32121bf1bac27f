"""R11 responsibility, R12 same-batch check, R13 escalation of quality information."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import (
    complaint_responsibility,
    is_repeated,
    quality_escalation,
    same_batch_check,
)
from aftersales_core.rules.complaints import (
    AFTER_SALES_OR_DEALER,
    COMPLAINT_CAUSES,
    CUSTOMER_RETURNS_PRODUCT,
    DEALER_AT_OWN_COST,
    EXPLAIN_TO_CUSTOMER,
    GENERAL_MANAGER,
    HANDLING_OPINION_AND_PAYOUT,
    PAYOUT_AFTER_TESTING,
    PHOTOS_AND_PRODUCT,
    QUALITY_CONTROL,
    REPAIR_DIRECTLY,
    SUSPEND_PRODUCTION,
    TEST_STOCK,
)

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
US = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("cause", "outcome"),
    [
        ("not_company", EXPLAIN_TO_CUSTOMER),
        ("quantity", AFTER_SALES_OR_DEALER),
        ("delivery_time", AFTER_SALES_OR_DEALER),
        ("transport_damage", AFTER_SALES_OR_DEALER),
        ("construction_quality", DEALER_AT_OWN_COST),
        ("product_quality", PAYOUT_AFTER_TESTING),
    ],
)
def test_r11_every_cause(cause: str, outcome: str) -> None:
    d = complaint_responsibility(cause)
    assert (d.rule, d.outcome, d.facts) == ("R11", outcome, {"cause": cause})
    assert d.reasons[0].endswith("(R11).")


@pytest.mark.parametrize("cause", ["", "Quantity", "weather", None, 1])
def test_r11_unknown_cause_names_the_field(cause: object) -> None:
    with pytest.raises(InvalidInput) as info:
        complaint_responsibility(cause)  # type: ignore[arg-type]
    assert info.value.field == "cause"
    assert "product_quality" in info.value.problem


@pytest.mark.parametrize(
    ("stock", "similar", "outcome"),
    [
        (0, None, PHOTOS_AND_PRODUCT),
        (0, True, PHOTOS_AND_PRODUCT),
        (0, False, PHOTOS_AND_PRODUCT),
        (1, None, TEST_STOCK),
        (1, True, CUSTOMER_RETURNS_PRODUCT),
        (1, False, HANDLING_OPINION_AND_PAYOUT),
        (250, False, HANDLING_OPINION_AND_PAYOUT),
    ],
)
def test_r12_table(stock: int, similar: bool | None, outcome: str) -> None:
    d = same_batch_check(stock, similar_defect=similar)
    assert (d.rule, d.outcome) == ("R12", outcome)
    assert d.facts == {"stock_of_lot": stock, "similar_defect": similar}
    if stock:
        assert f"{stock} unit" in d.reasons[0]


@pytest.mark.parametrize(
    ("stock", "similar", "field"),
    [
        (-1, None, "stock_of_lot"),
        (1.0, None, "stock_of_lot"),
        (True, None, "stock_of_lot"),
        (2, "yes", "similar_defect"),
        (2, 0, "similar_defect"),
    ],
)
def test_r12_bad_input(stock: object, similar: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        same_batch_check(stock, similar_defect=similar)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(st.integers(0, 10_000), st.one_of(st.none(), st.booleans()))
def test_r12_total(stock: int, similar: bool | None) -> None:
    d = same_batch_check(stock, similar_defect=similar)
    assert d.outcome in {
        TEST_STOCK,
        CUSTOMER_RETURNS_PRODUCT,
        HANDLING_OPINION_AND_PAYOUT,
        PHOTOS_AND_PRODUCT,
    }
    assert d.reasons


def test_is_repeated_window_is_inclusive_at_both_ends() -> None:
    start = NOW - 30 * DAY
    assert is_repeated([start, NOW], NOW)
    assert not is_repeated([start - US, NOW], NOW)
    assert not is_repeated([NOW, NOW + US], NOW)  # the future does not count
    assert not is_repeated([NOW], NOW)
    assert not is_repeated([], NOW)


def test_is_repeated_custom_window_and_count() -> None:
    pol = Policy(repeat_window_days=7, repeat_count=3)
    three = [NOW - 7 * DAY, NOW - DAY, NOW]
    assert is_repeated(three, NOW, policy=pol)
    assert not is_repeated(three[1:], NOW, policy=pol)
    assert not is_repeated([NOW - 8 * DAY, *three[1:]], NOW, policy=pol)


def test_r13_levels() -> None:
    esc = quality_escalation
    assert esc(abnormal=False, now=NOW).outcome == REPAIR_DIRECTLY
    assert esc(abnormal=True, now=NOW).outcome == QUALITY_CONTROL
    repeated = esc(abnormal=False, occurrences=[NOW - DAY, NOW], now=NOW)
    assert repeated.outcome == QUALITY_CONTROL
    assert "repeated (2 reports within 30 days, threshold 2)" in repeated.reasons[0]
    assert esc(abnormal=False, major=True, now=NOW).outcome == GENERAL_MANAGER
    assert esc(abnormal=True, marine=True, now=NOW).outcome == SUSPEND_PRODUCTION
    # a marine product with normal maintenance information is not suspended
    assert esc(abnormal=False, marine=True, now=NOW).outcome == REPAIR_DIRECTLY


@pytest.mark.parametrize(("qty", "outcome"), [(4, REPAIR_DIRECTLY), (5, GENERAL_MANAGER)])
def test_r13_batch_threshold(qty: int, outcome: str) -> None:
    d = quality_escalation(abnormal=False, affected_quantity=qty, now=NOW)
    assert d.outcome == outcome
    if outcome == GENERAL_MANAGER:
        assert "5 units, threshold 5" in d.reasons[0]


def test_r13_custom_batch_threshold_and_marine_batch() -> None:
    pol = Policy(batch_problem_quantity=50)
    d = quality_escalation(abnormal=True, affected_quantity=49, now=NOW, policy=pol)
    assert d.outcome == QUALITY_CONTROL
    assert d.facts["batch_problem_quantity"] == 50
    marine = quality_escalation(
        abnormal=False, affected_quantity=50, marine=True, now=NOW, policy=pol
    )
    assert marine.outcome == SUSPEND_PRODUCTION
    assert any("CCS" in r for r in marine.reasons)


def test_r13_facts_count_only_occurrences_inside_the_window() -> None:
    d = quality_escalation(
        abnormal=False, occurrences=[NOW - 90 * DAY, NOW - 60 * DAY, NOW], now=NOW
    )
    assert d.facts["occurrences_in_window"] == 1
    assert d.facts["repeated"] is False
    assert d.outcome == REPAIR_DIRECTLY


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"now": datetime(2025, 6, 30)}, "now"),
        ({"occurrences": [NOW, datetime(2025, 6, 1)]}, "occurrences[1]"),
        ({"affected_quantity": 0}, "affected_quantity"),
        ({"affected_quantity": -3}, "affected_quantity"),
        ({"affected_quantity": 2.5}, "affected_quantity"),
    ],
)
def test_r13_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"abnormal": True, "now": NOW, **kwargs}
    with pytest.raises(InvalidInput) as info:
        quality_escalation(**args)  # type: ignore[arg-type]
    assert info.value.field == field


SEVERITY = [REPAIR_DIRECTLY, QUALITY_CONTROL, GENERAL_MANAGER, SUSPEND_PRODUCTION]
occ_st = st.lists(st.integers(0, 90).map(lambda d: NOW - d * DAY), max_size=5)


@settings(deadline=None)
@given(st.booleans(), st.booleans(), st.booleans(), st.integers(1, 30), occ_st, st.integers(1, 30))
def test_r13_total_and_monotone(
    abnormal: bool, major: bool, marine: bool, qty: int, occ: list[datetime], more: int
) -> None:
    kw = {"abnormal": abnormal, "major": major, "marine": marine, "now": NOW}
    d = quality_escalation(occurrences=occ, affected_quantity=qty, **kw)  # type: ignore[arg-type]
    assert d.outcome in SEVERITY and d.reasons
    bigger = quality_escalation(occurrences=occ, affected_quantity=qty + more, **kw)  # type: ignore[arg-type]
    assert SEVERITY.index(bigger.outcome) >= SEVERITY.index(d.outcome)
    again = quality_escalation(occurrences=[*occ, NOW, NOW], affected_quantity=qty, **kw)  # type: ignore[arg-type]
    assert SEVERITY.index(again.outcome) >= max(SEVERITY.index(d.outcome), 1)


def test_all_complaint_causes_are_covered() -> None:
    assert {complaint_responsibility(c).outcome for c in COMPLAINT_CAUSES} == {
        EXPLAIN_TO_CUSTOMER,
        AFTER_SALES_OR_DEALER,
        DEALER_AT_OWN_COST,
        PAYOUT_AFTER_TESTING,
    }
