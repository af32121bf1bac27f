"""R19 weekly complaint review, R23 monthly after-sales report, R21 parts-claims statistics.

Every function takes rows aggregated by the host (per day and category, per month and
kind, per month and supplier) and shapes them into reports; the loops run over groups,
never over every complaint or repair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from aftersales_core.analytics._rows import get, whole
from aftersales_core.errors import InvalidInput
from aftersales_core.policy import Policy

__all__ = [
    "MonthlyReport",
    "PartsClaims",
    "WeeklyReview",
    "monthly_report",
    "parts_claims",
    "review_week",
    "weekly_review",
]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class WeeklyReview(BaseModel):
    """The complaints of one week, for the review meeting held on ``review_on`` (R19)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    week_start: date
    week_end: date
    review_on: date
    total: int
    open: int
    by_category: tuple[tuple[str, int], ...]


class MonthlyReport(BaseModel):
    """One month of after-sales work (R23): repairs, returns, their cost and top failures."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    month: str
    repairs: int
    returns: int
    cost: Decimal
    top_failures: tuple[tuple[str, int], ...]


class PartsClaims(BaseModel):
    """One month of replaced parts claimed from suppliers (R21)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    month: str
    total: int
    by_supplier: tuple[tuple[str, int], ...]


def _as_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InvalidInput(field, f"must be a date (YYYY-MM-DD), got {value!r}")


def review_week(day: date, *, policy: Policy | None = None) -> tuple[date, date]:
    """The week of ``day`` and its review date (R19).

    A week starts on the policy's review weekday; its complaints are reviewed at the
    meeting on the same weekday one week later. Returns ``(week_start, review_on)``.
    """
    pol = policy if policy is not None else Policy()
    target = _WEEKDAYS.index(pol.weekly_review_weekday)
    start = day - timedelta(days=(day.weekday() - target) % 7)
    return start, start + timedelta(days=7)


def weekly_review(rows: Iterable[object], *, policy: Policy | None = None) -> list[WeeklyReview]:
    """Complaints per review week (R19) from rows of ``day``, ``category``, ``count``.

    An optional ``open`` per row counts complaints not closed yet. Weeks come in date
    order; categories by count descending, then name.
    """
    weeks: dict[date, dict[str, int]] = {}
    still_open: dict[date, int] = {}
    for i, row in enumerate(rows):
        day = _as_date(get(row, "day", i), f"rows[{i}].day")
        category = str(get(row, "category", i) or "unclassified")
        count = whole(get(row, "count", i), f"rows[{i}].count")
        opened = whole(get(row, "open", i, 0), f"rows[{i}].open")
        if opened > count:
            raise InvalidInput(
                f"rows[{i}].open", f"{opened} open is more than the {count} complaints"
            )
        start, _ = review_week(day, policy=policy)
        per = weeks.setdefault(start, {})
        per[category] = per.get(category, 0) + count
        still_open[start] = still_open.get(start, 0) + opened
    out = []
    for start in sorted(weeks):
        per = weeks[start]
        out.append(
            WeeklyReview(
                week_start=start,
                week_end=start + timedelta(days=6),
                review_on=start + timedelta(days=7),
                total=sum(per.values()),
                open=still_open[start],
                by_category=tuple(sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return out


def _month(value: object, field: str) -> str:
    text = str(value)
    if (
        len(text) >= 7
        and text[4] == "-"
        and text[:4].isdigit()
        and text[5:7].isdigit()
        and 1 <= int(text[5:7]) <= 12
    ):
        return text[:7]
    raise InvalidInput(field, f"must be a month YYYY-MM, got {value!r}")


@dataclass
class _Month:
    repairs: int = 0
    returns: int = 0
    cost: Decimal = field(default_factory=Decimal)
    categories: dict[str, int] = field(default_factory=dict)


def monthly_report(rows: Iterable[object], *, top: int = 3) -> list[MonthlyReport]:
    """Monthly after-sales reports (R23) from rows of ``month``, ``kind``, ``category``,
    ``count`` and ``cost`` (``kind`` is ``"repair"`` or ``"return"``)."""
    if top < 1:
        raise InvalidInput("top", "must be at least 1")
    months: dict[str, _Month] = {}
    for i, row in enumerate(rows):
        month = _month(get(row, "month", i), f"rows[{i}].month")
        kind = get(row, "kind", i)
        if kind not in ("repair", "return"):
            raise InvalidInput(f"rows[{i}].kind", f"must be 'repair' or 'return', got {kind!r}")
        count = whole(get(row, "count", i), f"rows[{i}].count")
        cost = Decimal(str(get(row, "cost", i, 0)))
        if cost < 0:
            raise InvalidInput(f"rows[{i}].cost", "must not be negative")
        category = str(get(row, "category", i, "") or "unclassified")
        entry = months.setdefault(month, _Month())
        if kind == "repair":
            entry.repairs += count
        else:
            entry.returns += count
        entry.cost += cost
        entry.categories[category] = entry.categories.get(category, 0) + count
    return [
        MonthlyReport(
            month=month,
            repairs=entry.repairs,
            returns=entry.returns,
            cost=entry.cost,
            top_failures=tuple(
                sorted(entry.categories.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
            ),
        )
        for month, entry in sorted(months.items())
    ]


def parts_claims(rows: Iterable[object]) -> list[PartsClaims]:
    """Monthly parts-claims statistics (R21) from rows of ``month``, ``supplier``, ``count``.

    Rows without a supplier (parts made in-house) are not claimed and are left out.
    """
    months: dict[str, dict[str, int]] = {}
    for i, row in enumerate(rows):
        month = _month(get(row, "month", i), f"rows[{i}].month")
        supplier = str(get(row, "supplier", i) or "")
        count = whole(get(row, "count", i), f"rows[{i}].count")
        if not supplier or count == 0:
            continue
        per = months.setdefault(month, {})
        per[supplier] = per.get(supplier, 0) + count
    return [
        PartsClaims(
            month=month,
            total=sum(per.values()),
            by_supplier=tuple(sorted(months[month].items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for month, per in sorted(months.items())
    ]
