"""Statistics of the after-sales service (R8, R9, R19, R21, R23) as pure functions.

The functions take rows that the host has already aggregated (SQL ``GROUP BY`` in the
embedded host, ``read_group`` in Odoo) and return small pydantic rows for tables,
charts and reports. They never read a database themselves.
"""

from aftersales_core.analytics.deadlines import DeadlineCompliance, deadline_compliance
from aftersales_core.analytics.pareto import ParetoRow, pareto
from aftersales_core.analytics.reviews import (
    MonthlyReport,
    PartsClaims,
    WeeklyReview,
    monthly_report,
    parts_claims,
    review_week,
    weekly_review,
)

__all__ = [
    "DeadlineCompliance",
    "MonthlyReport",
    "ParetoRow",
    "PartsClaims",
    "WeeklyReview",
    "deadline_compliance",
    "monthly_report",
    "pareto",
    "parts_claims",
    "review_week",
    "weekly_review",
]
