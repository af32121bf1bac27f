"""R8 arrival, R9 resolution, R22 travel expenses: exact deadlines, totality, bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import (
    arrival_check,
    arrival_deadline,
    arrival_hours,
    region_of,
    resolution_check,
    resolution_deadline,
    travel_expense_check,
    travel_expense_deadline,
)
from aftersales_core.rules.service_level import LATE, ON_TIME, OVERDUE, PENDING, REGIONS

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
US = timedelta(microseconds=1)
aware_dt = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(timezone.utc)
)


@pytest.mark.parametrize(("region", "hours"), [("home", 24), ("other", 48), ("remote", 72)])
def test_r8_exact_deadline_is_on_time_one_microsecond_later_is_late(
    region: str, hours: int
) -> None:
    deadline = arrival_deadline(T0, region)
    assert deadline == T0 + timedelta(hours=hours)
    assert arrival_check(T0, region, arrived_at=deadline).outcome == ON_TIME
    late = arrival_check(T0, region, arrived_at=deadline + US)
    assert late.outcome == LATE
    assert any("explained to the customer" in r for r in late.reasons)
    assert arrival_check(T0, region, now=deadline).outcome == PENDING
    overdue = arrival_check(T0, region, now=deadline + US)
    assert overdue.outcome == OVERDUE
    assert overdue.facts["hours_allowed"] == hours
    assert overdue.facts["region"] == region


def test_r8_arrival_wins_over_now() -> None:
    d = arrival_check(T0, "home", arrived_at=T0 + timedelta(hours=1), now=T0 + timedelta(days=9))
    assert d.outcome == ON_TIME
    assert d.facts["done_at"] == (T0 + timedelta(hours=1)).isoformat()


def test_r8_late_reason_says_by_how_much() -> None:
    d = arrival_check(T0, "home", arrived_at=T0 + timedelta(hours=30))
    assert "6.0 hours after the deadline" in d.reasons[0]


def test_r8_custom_policy_hours() -> None:
    pol = Policy(arrival_hours_home=8, arrival_hours_other=8, arrival_hours_remote=96)
    assert arrival_hours("home", policy=pol) == 8
    assert arrival_deadline(T0, "other", policy=pol) == T0 + timedelta(hours=8)
    assert arrival_check(T0, "remote", now=T0 + timedelta(hours=95), policy=pol).outcome == PENDING
    assert arrival_check(T0, "home", now=T0 + timedelta(hours=9), policy=pol).outcome == OVERDUE


def test_r8_deadline_counts_elapsed_hours_across_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    received = datetime(2025, 3, 29, 12, 0, tzinfo=berlin)  # clocks go forward overnight
    deadline = arrival_deadline(received, "home")
    assert deadline.timestamp() - received.timestamp() == 24 * 3600
    assert deadline.tzinfo is berlin


def test_deadline_is_the_same_moment_whatever_the_input_zone() -> None:
    utc = T0.astimezone(timezone.utc)
    assert arrival_deadline(utc, "other") == arrival_deadline(T0, "other")
    assert resolution_deadline(utc) == resolution_deadline(T0)


@pytest.mark.parametrize(
    ("province", "region"),
    [
        ("Jiangsu", "home"),
        ("  jiangsu ", "home"),
        ("JIANGSU", "home"),
        ("Zhejiang", "other"),
        ("inner   mongolia", "remote"),
        ("Xinjiang", "remote"),
        ("tibet", "remote"),
    ],
)
def test_region_of_default_policy(province: str, region: str) -> None:
    assert region_of(province) == region


def test_region_of_custom_policy() -> None:
    pol = Policy(home_province="Guangdong", remote_provinces=frozenset({"Yunnan"}))
    assert region_of("guangdong", policy=pol) == "home"
    assert region_of("Jiangsu", policy=pol) == "other"
    assert region_of(" YUNNAN", policy=pol) == "remote"
    assert region_of("Xinjiang", policy=pol) == "other"


@pytest.mark.parametrize("province", ["", "   ", None, 3])
def test_region_of_bad_province(province: object) -> None:
    with pytest.raises(InvalidInput) as info:
        region_of(province)  # type: ignore[arg-type]
    assert info.value.field == "province"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: arrival_deadline(T0, "far"), "region"),
        (lambda: arrival_deadline(T0, "Home"), "region"),
        (lambda: arrival_hours(None), "region"),  # type: ignore[arg-type]
        (lambda: arrival_deadline(datetime(2025, 1, 1), "home"), "received_at"),
        (lambda: arrival_deadline("2025-01-01", "home"), "received_at"),  # type: ignore[arg-type]
        (lambda: arrival_check(T0, "home"), "now"),
        (lambda: arrival_check(T0, "home", arrived_at=datetime(2025, 3, 3)), "arrived_at"),
        (lambda: arrival_check(T0, "home", now=datetime(2025, 3, 3)), "now"),
        (lambda: resolution_deadline(datetime(2025, 1, 1)), "received_at"),
        (lambda: resolution_check(T0, solved_at=datetime(2025, 3, 3)), "solved_at"),
        (lambda: resolution_check(T0), "now"),
        (lambda: travel_expense_deadline(datetime(2025, 1, 1)), "returned_at"),
        (lambda: travel_expense_check(T0, claimed_at=datetime(2025, 3, 3)), "claimed_at"),
        (lambda: travel_expense_check(T0), "now"),
    ],
)
def test_bad_input_names_the_field(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        call()
    assert info.value.field == field


def test_r9_exact_deadline_and_custom_hours() -> None:
    deadline = resolution_deadline(T0)
    assert deadline == T0 + timedelta(hours=48)
    assert resolution_check(T0, solved_at=deadline).outcome == ON_TIME
    late = resolution_check(T0, solved_at=deadline + US)
    assert (late.rule, late.outcome) == ("R9", LATE)
    assert any("after-sales manager" in r for r in late.reasons)
    pol = Policy(resolution_hours=4)
    assert resolution_check(T0, now=T0 + timedelta(hours=4), policy=pol).outcome == PENDING
    d = resolution_check(T0, now=T0 + timedelta(hours=5), policy=pol)
    assert d.outcome == OVERDUE and d.facts["resolution_hours"] == 4


def test_r22_exact_deadline_and_custom_days() -> None:
    deadline = travel_expense_deadline(T0)
    assert deadline == T0 + timedelta(days=2)
    assert travel_expense_check(T0, claimed_at=deadline).outcome == ON_TIME
    late = travel_expense_check(T0, claimed_at=deadline + US)
    assert (late.rule, late.outcome) == ("R22", LATE)
    pol = Policy(travel_expense_days=5)
    assert travel_expense_check(T0, now=T0 + timedelta(days=5), policy=pol).outcome == PENDING
    d = travel_expense_check(T0, now=T0 + timedelta(days=5) + US, policy=pol)
    assert d.outcome == OVERDUE and d.facts["travel_expense_days"] == 5


CHECK_OUTCOMES = {ON_TIME, LATE, PENDING, OVERDUE}


def _valid(d: Decision, rule: str) -> None:
    assert d.rule == rule
    assert d.outcome in CHECK_OUTCOMES
    assert d.reasons and all(r.strip() for r in d.reasons)
    assert "deadline" in d.facts


@settings(deadline=None)
@given(aware_dt, st.sampled_from(REGIONS), st.integers(-500, 500), st.booleans())
def test_checks_are_total(received: datetime, region: str, offset_h: int, done: bool) -> None:
    moment = received + timedelta(hours=offset_h)
    finished = moment if done else None
    now = None if done else moment
    if done and offset_h < 0:
        # Done before it began: refused, naming the field (issue 11, finding 13).
        for check, field in (
            (lambda: arrival_check(received, region, arrived_at=finished), "arrived_at"),
            (lambda: resolution_check(received, solved_at=finished), "solved_at"),
            (lambda: travel_expense_check(received, claimed_at=finished), "claimed_at"),
        ):
            with pytest.raises(InvalidInput) as info:
                check()
            assert info.value.field == field
        return
    d8 = arrival_check(received, region, arrived_at=finished, now=now)
    _valid(d8, "R8")
    hours = arrival_hours(region)
    if done:
        assert d8.outcome == (ON_TIME if offset_h <= hours else LATE)
    else:
        assert d8.outcome == (PENDING if offset_h <= hours else OVERDUE)
    _valid(resolution_check(received, solved_at=finished, now=now), "R9")
    _valid(travel_expense_check(received, claimed_at=finished, now=now), "R22")


@settings(deadline=None)
@given(aware_dt, st.integers(1, 100), st.integers(0, 100), st.integers(0, 100))
def test_deadlines_grow_with_distance_under_any_policy(
    received: datetime, home: int, extra_other: int, extra_remote: int
) -> None:
    pol = Policy(
        arrival_hours_home=home,
        arrival_hours_other=home + extra_other,
        arrival_hours_remote=home + extra_other + extra_remote,
    )
    deadlines = [arrival_deadline(received, r, policy=pol) for r in REGIONS]
    assert received < deadlines[0] <= deadlines[1] <= deadlines[2]
