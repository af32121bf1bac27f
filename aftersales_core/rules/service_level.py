"""R8, R9, R22: service deadlines.

R8 (004 §4.1): from the moment service information is received, a technician arrives
within 24 hours in the home province, 48 hours in other provinces and three days in
remote provinces and regions; a missed deadline is explained to the customer.
R9 (004 service capability 1-2): quality problems of supplied products are solved
within 48 hours. R22 (004 §4.6): travel expenses are reimbursed within two days of
returning. All hours and days come from the :class:`~aftersales_core.policy.Policy`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import aware, choice, later, policy_or_default, shift

__all__ = [
    "LATE",
    "ON_TIME",
    "OVERDUE",
    "PENDING",
    "REGIONS",
    "arrival_check",
    "arrival_deadline",
    "arrival_hours",
    "region_of",
    "resolution_check",
    "resolution_deadline",
    "travel_expense_check",
    "travel_expense_deadline",
]

REGIONS = ("home", "other", "remote")
ON_TIME = "on_time"
"""Outcome: done before the deadline."""
LATE = "late"
"""Outcome: done after the deadline; the customer must be given an explanation."""
PENDING = "pending"
"""Outcome: not done yet, deadline not passed."""
OVERDUE = "overdue"
"""Outcome: not done yet and the deadline has passed."""


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def region_of(province: str, *, policy: Policy | None = None) -> str:
    """R8 region of a province: ``"home"``, ``"remote"`` (listed in the policy) or ``"other"``.

    Matching ignores case and surrounding or repeated white space.
    """
    pol = policy_or_default(policy)
    if not isinstance(province, str) or not province.strip():
        raise InvalidInput("province", _("must be a non-empty province or region name"))
    key = _norm(province)
    if key == _norm(pol.home_province):
        return "home"
    if key in {_norm(p) for p in pol.remote_provinces}:
        return "remote"
    return "other"


def arrival_hours(region: str, *, policy: Policy | None = None) -> int:
    """R8 hours allowed to arrive in ``region``."""
    pol = policy_or_default(policy)
    reg = choice(region, "region", REGIONS)
    return {
        "home": pol.arrival_hours_home,
        "other": pol.arrival_hours_other,
        "remote": pol.arrival_hours_remote,
    }[reg]


def arrival_deadline(
    received_at: datetime, region: str, *, policy: Policy | None = None
) -> datetime:
    """R8: when a technician must be on site, counted from ``received_at`` (aware)."""
    start = aware(received_at, "received_at")
    return _elapsed(start, timedelta(hours=arrival_hours(region, policy=policy)), "received_at")


def _check(
    rule: str,
    what: str,
    start: tuple[datetime, str],
    deadline: datetime,
    done_at: datetime | None,
    now: datetime | None,
    facts: dict[str, object],
    late_note: str,
    done_field: str,
) -> Decision:
    facts = {**facts, "deadline": deadline.isoformat()}
    if done_at is not None:
        done = aware(done_at, done_field)
        began, began_field = start
        if done < began:
            raise InvalidInput(
                done_field,
                _("{done} is before {began_field} {began}: it cannot have happened yet").format(done=done.isoformat(), began_field=began_field, began=began.isoformat()),
            )
        facts["done_at"] = done.isoformat()
        if done <= deadline:
            return Decision(
                rule=rule,
                outcome=ON_TIME,
                reasons=(
                    _("{what} at {done}, by the deadline {deadline} ({rule}).").format(what=what, done=done.isoformat(), deadline=deadline.isoformat(), rule=rule),
                ),
                facts=facts,
            )
        late_by = done - deadline
        return Decision(
            rule=rule,
            outcome=LATE,
            reasons=(
                _("{what} at {done}, {late_by} after the deadline {deadline} ({rule}).").format(what=what, done=done.isoformat(), late_by=_hours(late_by), deadline=deadline.isoformat(), rule=rule),
                late_note,
            ),
            facts=facts,
        )
    if now is None:
        raise InvalidInput("now", _("is needed when the work is not done yet"))
    current = aware(now, "now")
    facts["now"] = current.isoformat()
    if current <= deadline:
        return Decision(
            rule=rule,
            outcome=PENDING,
            reasons=(
                _("Not done yet; {value} left until {deadline} ({rule}).").format(value=_hours(deadline - current), deadline=deadline.isoformat(), rule=rule),
            ),
            facts=facts,
        )
    return Decision(
        rule=rule,
        outcome=OVERDUE,
        reasons=(
            _("Not done yet and {value} past the deadline {deadline} ({rule}).").format(value=_hours(current - deadline), deadline=deadline.isoformat(), rule=rule),
            late_note,
        ),
        facts=facts,
    )


def _elapsed(start: datetime, delta: timedelta, field: str) -> datetime:
    """``start`` plus ``delta`` of real (elapsed) time, in ``start``'s time zone.

    Plain aware arithmetic adds wall-clock time, which is an hour off across a
    daylight-saving change; counting in UTC is not. Beyond year 9999 is refused.
    """
    return later(start, delta, field)


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return _("{hours:.1f} hours").format(hours=hours)


def arrival_check(
    received_at: datetime,
    region: str,
    *,
    arrived_at: datetime | None = None,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Decision:
    """R8: was (or is) the on-site arrival on time?

    Outcomes ``"on_time"`` and ``"late"`` when ``arrived_at`` is given (late means the
    customer must get an explanation, recorded on the service record), else
    ``"pending"`` or ``"overdue"`` measured at ``now``.
    """
    pol = policy_or_default(policy)
    deadline = arrival_deadline(received_at, region, policy=pol)
    return _check(
        "R8",
        _("Arrived on site"),
        (received_at, "received_at"),
        deadline,
        arrived_at,
        now,
        {"region": region, "hours_allowed": arrival_hours(region, policy=pol)},
        _("The delay must be explained to the customer and the explanation recorded (R8)."),
        "arrived_at",
    )


def resolution_deadline(received_at: datetime, *, policy: Policy | None = None) -> datetime:
    """R9: when a quality problem of supplied products must be solved."""
    pol = policy_or_default(policy)
    return _elapsed(
        aware(received_at, "received_at"), timedelta(hours=pol.resolution_hours), "received_at"
    )


def resolution_check(
    received_at: datetime,
    *,
    solved_at: datetime | None = None,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Decision:
    """R9: was (or is) the quality problem solved in time? Outcomes as :func:`arrival_check`."""
    pol = policy_or_default(policy)
    return _check(
        "R9",
        "Solved",
        (received_at, "received_at"),
        resolution_deadline(received_at, policy=pol),
        solved_at,
        now,
        {"resolution_hours": pol.resolution_hours},
        _("A resolution later than promised is reported to the after-sales manager (R9)."),
        "solved_at",
    )


def travel_expense_deadline(returned_at: datetime, *, policy: Policy | None = None) -> datetime:
    """R22: the last moment to claim a trip's travel expenses."""
    pol = policy_or_default(policy)
    return shift(
        aware(returned_at, "returned_at"), timedelta(days=pol.travel_expense_days), "returned_at"
    )


def travel_expense_check(
    returned_at: datetime,
    *,
    claimed_at: datetime | None = None,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Decision:
    """R22: was (or is) the travel expense claim in time? Outcomes as :func:`arrival_check`."""
    pol = policy_or_default(policy)
    return _check(
        "R22",
        "Claimed",
        (returned_at, "returned_at"),
        travel_expense_deadline(returned_at, policy=pol),
        claimed_at,
        now,
        {"travel_expense_days": pol.travel_expense_days},
        _("A late claim needs the manager's sign-off (R22)."),
        "claimed_at",
    )
