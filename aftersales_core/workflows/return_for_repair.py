"""Workflow 2, Return for repair (000 §Two 1, §Four-2).

A return is decided -> the business receives the goods and fills the return tracking
form -> routing (R2) -> maintenance repairs with requisitioned materials (R5), or
production reworks, or a quality exception goes to R&D for a rework BOM -> quality ->
the business ships the goods back.
"""

from __future__ import annotations

from aftersales_core.commands import Command, ShipBack
from aftersales_core.forms.returns import ReturnTrackingForm
from aftersales_core.roles import Role
from aftersales_core.workflows._common import roles, survey_on_close
from aftersales_core.workflows._returns import (
    BUSINESS,
    GOODS_RECEIVED,
    front_transitions,
    item_of,
    reference,
    repair_end_transitions,
)
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["RETURN_FOR_REPAIR"]

T = Transition[ReturnTrackingForm]


def _ship_back(ctx: Context[ReturnTrackingForm]) -> list[Command]:
    items = tuple(item_of(line) for line in ctx.record.lines if line.received_quantity > 0)
    return [ShipBack(reference=reference(ctx), items=items)]


RETURN_FOR_REPAIR: Workflow[ReturnTrackingForm] = Workflow(
    name="return_for_repair",
    title="Return for repair",
    record_type=ReturnTrackingForm,
    initial="draft",
    states=(
        "draft",
        "requested",
        "accepted",
        "refused",
        "cancelled",
        "partially_received",
        "received",
        "in_repair",
        "in_rework",
        "quality_exception",
        "inspection",
        "repaired",
        "shipped",
        "closed",
    ),
    final=frozenset({"refused", "cancelled", "closed"}),
    transitions=(
        *front_transitions("repair"),
        *repair_end_transitions("repaired"),
        T(
            action="ship_back",
            sources=frozenset({"repaired"}),
            target="shipped",
            roles=BUSINESS | roles(Role.WAREHOUSE),
            guards=(GOODS_RECEIVED,),
            writes=lambda ctx: {"shipped_back_at": ctx.now},
            effects=_ship_back,
            description="The business ships the repaired goods back to the customer.",
        ),
        T(
            action="close",
            sources=frozenset({"shipped"}),
            target="closed",
            roles=BUSINESS | roles(Role.AFTER_SALES),
            effects=survey_on_close,
        ),
    ),
)
"""Return for repair over the customer return tracking form."""
