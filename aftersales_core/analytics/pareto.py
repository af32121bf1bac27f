"""R23: Pareto analysis of repairs and returns by failure category.

:func:`pareto` works on rows already aggregated per category (by SQL ``GROUP BY`` in the
embedded host, by ``read_group`` in Odoo): it sorts them, computes each category's share
and the cumulative share, and marks the *vital few*: the shortest run of top categories
whose cumulative share reaches ``Policy.pareto_vital_few_percent``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from aftersales_core.analytics._rows import get, whole
from aftersales_core.errors import InvalidInput
from aftersales_core.policy import Policy

__all__ = ["ParetoRow", "pareto"]


class ParetoRow(BaseModel):
    """One category of a Pareto table, in descending order of the measure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str
    count: int
    cost: Decimal
    percent: float
    cumulative_percent: float
    vital_few: bool


def pareto(
    rows: Iterable[object],
    *,
    policy: Policy | None = None,
    by: Literal["count", "cost"] = "count",
) -> list[ParetoRow]:
    """The Pareto table of aggregated rows (``category``, ``count``, optional ``cost``).

    Rows of the same category are added up; categories with a zero measure are left out.
    Order: the measure ``by`` descending, then category name. ``percent`` is the share of
    the total; ``cumulative_percent`` rises monotonically and ends at exactly 100.
    ``vital_few`` marks the minimal prefix whose cumulative share reaches the policy's
    cut-off (R23, ``pareto_vital_few_percent``). Bad rows raise :class:`InvalidInput`
    naming ``rows[i].field``.
    """
    pol = policy if policy is not None else Policy()
    if by not in ("count", "cost"):
        raise InvalidInput("by", f"must be 'count' or 'cost', got {by!r}")
    counts: dict[str, int] = {}
    costs: dict[str, Decimal] = {}
    for i, row in enumerate(rows):
        category = get(row, "category", i)
        if not isinstance(category, str):
            raise InvalidInput(f"rows[{i}].category", f"must be text, got {category!r}")
        count = whole(get(row, "count", i), f"rows[{i}].count")
        raw_cost = get(row, "cost", i, 0)
        try:
            cost = Decimal(str(raw_cost))
        except ArithmeticError as exc:
            raise InvalidInput(f"rows[{i}].cost", f"not a number: {raw_cost!r}") from exc
        if not cost.is_finite() or cost < 0:
            raise InvalidInput(f"rows[{i}].cost", f"must be a finite amount >= 0, got {raw_cost!r}")
        name = category or "unclassified"
        counts[name] = counts.get(name, 0) + count
        costs[name] = costs.get(name, Decimal(0)) + cost

    def measure(name: str) -> Decimal:
        return Decimal(counts[name]) if by == "count" else costs[name]

    names = [n for n in counts if measure(n) > 0]
    names.sort(key=lambda n: (-measure(n), n))
    total = sum((measure(n) for n in names), Decimal(0))
    cut = Decimal(pol.pareto_vital_few_percent)
    out: list[ParetoRow] = []
    running = Decimal(0)
    for name in names:
        before = running
        running += measure(name)
        # Integer-exact test: the category is vital while the share *before* it is below the cut.
        vital = before * 100 < cut * total
        out.append(
            ParetoRow(
                category=name,
                count=counts[name],
                cost=costs[name],
                percent=float(measure(name) * 100 / total),
                cumulative_percent=100.0 if running == total else float(running * 100 / total),
                vital_few=vital,
            )
        )
    return out
