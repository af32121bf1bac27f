"""R19 weekly review, R23 monthly report, R21 parts claims, R8/R9 deadline compliance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core.analytics import (
    deadline_compliance,
    monthly_report,
    parts_claims,
    review_week,
    weekly_review,
)
from aftersales_core.errors import InvalidInput
from aftersales_core.policy import Policy


def test_week_starts_on_the_review_weekday() -> None:
    # 2025-01-08 is a Wednesday.
    assert review_week(date(2025, 1, 8)) == (date(2025, 1, 6), date(2025, 1, 13))
    friday = Policy(weekly_review_weekday="friday")
    assert review_week(date(2025, 1, 8), policy=friday) == (date(2025, 1, 3), date(2025, 1, 10))
    assert review_week(date(2025, 1, 10), policy=friday) == (date(2025, 1, 10), date(2025, 1, 17))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_every_day_falls_in_its_week(day: date) -> None:
    start, review = review_week(day)
    assert start <= day < review
    assert review - start == timedelta(days=7)
    assert start.weekday() == 0


def test_weekly_review_groups_days_into_weeks() -> None:
    rows = [
        {"day": "2025-01-06", "category": "seal", "count": 2, "open": 1},
        {"day": date(2025, 1, 12), "category": "firmware", "count": 3},
        {"day": "2025-01-08", "category": "seal", "count": 2},
        {"day": "2025-01-13", "category": None, "count": 1},
    ]
    weeks = weekly_review(rows)
    assert [(w.week_start, w.total, w.open) for w in weeks] == [
        (date(2025, 1, 6), 7, 1),
        (date(2025, 1, 13), 1, 0),
    ]
    assert weeks[0].by_category == (("seal", 4), ("firmware", 3))
    assert weeks[0].review_on == date(2025, 1, 13)
    assert weeks[1].by_category == (("unclassified", 1),)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"day": "someday", "category": "a", "count": 1}, "rows[0].day"),
        ({"day": 5, "category": "a", "count": 1}, "rows[0].day"),
        ({"day": "2025-01-01", "category": "a", "count": -1}, "rows[0].count"),
        ({"day": "2025-01-01", "category": "a", "count": 1, "open": 2}, "rows[0].open"),
    ],
)
def test_weekly_bad_rows(row: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        weekly_review([row])
    assert err.value.field == field


def test_monthly_report() -> None:
    rows = [
        {"month": "2025-02", "kind": "repair", "category": "seal", "count": 3, "cost": "10.5"},
        {"month": "2025-02", "kind": "return", "category": "firmware", "count": 5, "cost": 2},
        {"month": "2025-01-31", "kind": "repair", "category": "", "count": 1},
        {"month": "2025-02", "kind": "repair", "category": "dust", "count": 1},
    ]
    months = monthly_report(rows, top=2)
    assert [m.month for m in months] == ["2025-01", "2025-02"]
    feb = months[1]
    assert (feb.repairs, feb.returns, feb.cost) == (4, 5, Decimal("12.5"))
    assert feb.top_failures == (("firmware", 5), ("seal", 3))
    assert months[0].top_failures == (("unclassified", 1),)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"month": "2025-13", "kind": "repair", "count": 1}, "rows[0].month"),
        ({"month": "May", "kind": "repair", "count": 1}, "rows[0].month"),
        ({"month": "2025-01", "kind": "scrap", "count": 1}, "rows[0].kind"),
        ({"month": "2025-01", "kind": "repair", "count": 1, "cost": -1}, "rows[0].cost"),
    ],
)
def test_monthly_bad_rows(row: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        monthly_report([row])
    assert err.value.field == field


def test_monthly_top_must_be_positive() -> None:
    with pytest.raises(InvalidInput, match="top"):
        monthly_report([], top=0)


def test_parts_claims_skip_in_house_parts() -> None:
    rows = [
        {"month": "2025-03", "supplier": "Wuxi Cable", "count": 2},
        {"month": "2025-03", "supplier": "", "count": 9},
        {"month": "2025-03", "supplier": "Changzhou Power", "count": 4},
        {"month": "2025-03", "supplier": "Wuxi Cable", "count": 1},
        {"month": "2025-04", "supplier": "Wuxi Cable", "count": 0},
    ]
    claims = parts_claims(rows)
    assert len(claims) == 1
    assert claims[0].total == 7
    assert claims[0].by_supplier == (("Changzhou Power", 4), ("Wuxi Cable", 3))


def test_deadline_compliance() -> None:
    rows = [
        {"kind": "arrival", "region": "home", "met": 3, "missed": 1, "open": 2, "overdue": 1},
        {"kind": "arrival", "region": "home", "met": 1},
        {"kind": "resolution", "met": 0, "missed": 0, "open": 1},
    ]
    result = deadline_compliance(rows)
    assert [(r.rule, r.kind, r.region) for r in result] == [
        ("R8", "arrival", "home"),
        ("R9", "resolution", ""),
    ]
    assert (result[0].met, result[0].missed, result[0].overdue) == (4, 1, 1)
    assert result[0].percent_met == pytest.approx(4 * 100 / 6)
    assert result[1].percent_met is None


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"kind": "lunch"}, "rows[0].kind"),
        ({"kind": "arrival", "met": -1}, "rows[0].met"),
        ({"kind": "arrival", "open": 1, "overdue": 2}, "rows[0].overdue"),
    ],
)
def test_deadline_bad_rows(row: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        deadline_compliance([row])
    assert err.value.field == field
