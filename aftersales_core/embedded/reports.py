"""The statistics of the embedded host: SQL aggregation feeding :mod:`aftersales_core.analytics`.

Every query groups in SQLite (``GROUP BY``); Python only shapes the groups. ``start``
and ``end`` bound the period (dates, inclusive start, exclusive end; ``None`` = open).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Any, Literal

from aftersales_core.analytics import (
    DeadlineCompliance,
    MonthlyReport,
    ParetoRow,
    PartsClaims,
    WeeklyReview,
    deadline_compliance,
    monthly_report,
    pareto,
    parts_claims,
    weekly_review,
)
from aftersales_core.embedded.store import iso
from aftersales_core.policy import Policy

__all__ = [
    "PARETO_SQL",
    "deadline_report",
    "monthly_reports",
    "pareto_report",
    "pareto_rows",
    "parts_claims_report",
    "weekly_reviews",
]

PARETO_SQL = (
    "SELECT failure_category AS category, SUM(quantity) AS count, SUM(cost_cents) AS cost_cents"
    " FROM failure_lines{where} GROUP BY failure_category ORDER BY count DESC, category"
)
"""The aggregation behind the Pareto table (``{where}`` takes the period filter)."""


def _bounds(column: str, start: date | None, end: date | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if start is not None:
        clauses.append(f"{column} >= ?")
        args.append(iso(datetime.combine(start, time(0), tzinfo=timezone.utc)))
    if end is not None:
        clauses.append(f"{column} < ?")
        args.append(iso(datetime.combine(end, time(0), tzinfo=timezone.utc)))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def pareto_rows(
    conn: sqlite3.Connection, *, start: date | None = None, end: date | None = None
) -> list[dict[str, Any]]:
    """Repair and return units and cost per failure category, aggregated by SQLite."""
    where, args = _bounds("at", start, end)
    return [
        {"category": r[0], "count": int(r[1]), "cost": Decimal(int(r[2])).scaleb(-2)}
        for r in conn.execute(PARETO_SQL.format(where=where), args)
    ]


def pareto_report(
    conn: sqlite3.Connection,
    *,
    policy: Policy | None = None,
    start: date | None = None,
    end: date | None = None,
    by: Literal["count", "cost"] = "count",
) -> list[ParetoRow]:
    """R23: the Pareto table of repairs and returns by failure category."""
    return pareto(pareto_rows(conn, start=start, end=end), policy=policy, by=by)


def weekly_reviews(
    conn: sqlite3.Connection,
    *,
    policy: Policy | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[WeeklyReview]:
    """R19: complaints per review week and category (grouped per day in SQLite)."""
    clauses = ["workflow = 'complaint'"]
    args: list[Any] = []
    if start is not None:
        clauses.append("opened_day >= ?")
        args.append(start.isoformat())
    if end is not None:
        clauses.append("opened_day < ?")
        args.append(end.isoformat())
    sql = (
        "SELECT opened_day AS day, category, COUNT(*) AS count,"
        " SUM(state NOT IN ('closed', 'cancelled', 'answered')) AS open"
        f" FROM cases WHERE {' AND '.join(clauses)} GROUP BY opened_day, category"
    )
    rows = [
        {"day": r[0], "category": r[1], "count": int(r[2]), "open": int(r[3])}
        for r in conn.execute(sql, args)
    ]
    return weekly_review(rows, policy=policy)


def monthly_reports(
    conn: sqlite3.Connection, *, start: date | None = None, end: date | None = None
) -> list[MonthlyReport]:
    """R23: the monthly after-sales report (repairs, returns, cost, top failures)."""
    where, args = _bounds("at", start, end)
    sql = (
        "SELECT substr(at, 1, 7) AS month, kind, failure_category, SUM(quantity),"
        f" SUM(cost_cents) FROM failure_lines{where} GROUP BY month, kind, failure_category"
    )
    rows = [
        {
            "month": r[0],
            "kind": r[1],
            "category": r[2],
            "count": int(r[3]),
            "cost": Decimal(int(r[4])).scaleb(-2),
        }
        for r in conn.execute(sql, args)
    ]
    return monthly_report(rows)


def parts_claims_report(
    conn: sqlite3.Connection, *, start: date | None = None, end: date | None = None
) -> list[PartsClaims]:
    """R21: replaced purchased parts to claim from suppliers, per month."""
    where, args = _bounds("at", start, end)
    joiner = " AND " if where else " WHERE "
    sql = (
        "SELECT substr(at, 1, 7) AS month, supplier, SUM(quantity) FROM replaced_parts"
        f"{where}{joiner}supplier <> '' GROUP BY month, supplier"
    )
    rows = [{"month": r[0], "supplier": r[1], "count": int(r[2])} for r in conn.execute(sql, args)]
    return parts_claims(rows)


def deadline_report(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
) -> list[DeadlineCompliance]:
    """R8/R9: deadlines met, missed, open and overdue at ``now``, per kind and region."""
    where, args = _bounds("due_at", start, end)
    sql = (
        "SELECT kind, region,"
        " SUM(done_at IS NOT NULL AND done_at <= due_at),"
        " SUM(done_at IS NOT NULL AND done_at > due_at),"
        " SUM(done_at IS NULL),"
        " SUM(done_at IS NULL AND due_at < :now)"
        f" FROM deadlines{where.replace('?', ':p0', 1).replace('?', ':p1', 1)}"
        " GROUP BY kind, region"
    )
    params: dict[str, Any] = {"now": iso(now)}
    for i, value in enumerate(args):
        params[f"p{i}"] = value
    rows = [
        {"kind": r[0], "region": r[1], "met": r[2], "missed": r[3], "open": r[4], "overdue": r[5]}
        for r in conn.execute(sql, params)
    ]
    return deadline_compliance(rows)
