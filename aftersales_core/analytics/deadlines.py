"""R8 arrival and R9 resolution deadline compliance, from rows aggregated by the host."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from aftersales_core.analytics._rows import get, whole
from aftersales_core.errors import InvalidInput

__all__ = ["DeadlineCompliance", "deadline_compliance"]

_RULE = {"arrival": "R8", "resolution": "R9"}


class DeadlineCompliance(BaseModel):
    """How many deadlines of one kind (and region) were met, missed or are still open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    kind: str
    region: str
    met: int
    missed: int
    open: int
    overdue: int
    percent_met: float | None


def deadline_compliance(rows: Iterable[object]) -> list[DeadlineCompliance]:
    """Compliance per kind (``arrival`` R8, ``resolution`` R9) and ``region``.

    Rows carry ``kind``, optional ``region``, and counts ``met``, ``missed``, ``open``
    and ``overdue`` (open and already past due). ``percent_met`` is met over decided
    (met + missed + overdue) deadlines, ``None`` when nothing is decided yet.
    """
    totals: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(rows):
        kind = get(row, "kind", i)
        if kind not in _RULE:
            raise InvalidInput(
                f"rows[{i}].kind", f"must be 'arrival' or 'resolution', got {kind!r}"
            )
        region = str(get(row, "region", i, "") or "")
        values = [
            whole(get(row, name, i, 0), f"rows[{i}].{name}")
            for name in ("met", "missed", "open", "overdue")
        ]
        if values[3] > values[2]:
            raise InvalidInput(f"rows[{i}].overdue", "cannot exceed open")
        acc = totals.setdefault((kind, region), [0, 0, 0, 0])
        for j, v in enumerate(values):
            acc[j] += v
    out = []
    for (kind, region), (met, missed, still_open, overdue) in sorted(totals.items()):
        decided = met + missed + overdue
        out.append(
            DeadlineCompliance(
                rule=_RULE[kind],
                kind=kind,
                region=region,
                met=met,
                missed=missed,
                open=still_open,
                overdue=overdue,
                percent_met=(met * 100 / decided) if decided else None,
            )
        )
    return out
