"""R14 reminder before the cut-off and R27 logistics (packing notice, exceptions)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import cutoff_reminder, logistics_exception, packing_notice
from aftersales_core.rules.orders import IN_TIME, LATE_NOTICE, NONE, REMIND, TELL_CUSTOMER

POL = Policy(timezone="Europe/Brussels")
ZONE = POL.zone
DAY = date(2026, 3, 10)


def local(hour: int, minute: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("hour", "minute", "outcome"),
    [(15, 29, REMIND), (15, 30, NONE), (15, 31, NONE), (8, 0, REMIND)],
)
def test_r14_reminder_only_before_the_cutoff(hour: int, minute: int, outcome: str) -> None:
    d = cutoff_reminder(local(hour, minute).astimezone(timezone.utc), DAY, False, policy=POL)
    assert (d.rule, d.outcome) == ("R14", outcome)
    assert d.facts["timezone"] == "Europe/Brussels"


def test_r14_reminder_not_when_paid_or_not_due_today() -> None:
    assert cutoff_reminder(local(9, 0), DAY, True, policy=POL).outcome == NONE
    tomorrow = cutoff_reminder(local(9, 0), DAY + timedelta(days=1), False, policy=POL)
    assert tomorrow.outcome == NONE and "not today" in tomorrow.reasons[0]


def test_r14_reminder_reads_the_day_in_the_company_zone() -> None:
    # 23:30 UTC on the 9th is 00:30 on the 10th in Brussels (winter, UTC+1)
    d = cutoff_reminder(datetime(2026, 3, 9, 23, 30, tzinfo=timezone.utc), DAY, False, policy=POL)
    assert d.outcome == REMIND


def test_r14_reminder_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        cutoff_reminder(local(9, 0), datetime(2026, 3, 10), False)  # type: ignore[arg-type]
    assert info.value.field == "ship_date"
    with pytest.raises(InvalidInput) as info:
        cutoff_reminder(datetime(2026, 3, 10, 9), DAY, False)
    assert info.value.field == "now"


def test_r27_packing_notice_in_time_and_late() -> None:
    leaves = local(14, 0)
    on_time = packing_notice(leaves, leaves - timedelta(hours=24), policy=POL)
    assert (on_time.rule, on_time.outcome) == ("R27", IN_TIME)
    late = packing_notice(leaves, leaves - timedelta(hours=5), policy=POL)
    assert late.outcome == LATE_NOTICE
    assert "5 hours from now" in late.reasons[0] and "24 hours" in late.reasons[0]
    short = Policy(packing_notice_hours=4)
    assert packing_notice(leaves, leaves - timedelta(hours=5), policy=short).outcome == IN_TIME


@settings(deadline=None)
@given(st.integers(-72, 72))
def test_r27_packing_notice_is_monotone(hours_before: int) -> None:
    leaves = local(14, 0)
    d = packing_notice(leaves, leaves - timedelta(hours=hours_before), policy=POL)
    assert d.outcome == (IN_TIME if hours_before >= POL.packing_notice_hours else LATE_NOTICE)


def test_r27_exception_is_told_to_the_customer() -> None:
    d = logistics_exception("  truck delayed at the border ")
    assert (d.rule, d.outcome) == ("R27", TELL_CUSTOMER)
    assert "truck delayed at the border" in d.reasons[0]
    for bad in ("", "   ", None):
        with pytest.raises(InvalidInput) as info:
            logistics_exception(bad)  # type: ignore[arg-type]
        assert info.value.field == "logistics_exception"


def test_r27_policy_value_is_checked() -> None:
    with pytest.raises(InvalidInput) as info:
        Policy(packing_notice_hours=0)
    assert "packing_notice_hours" in str(info.value)
