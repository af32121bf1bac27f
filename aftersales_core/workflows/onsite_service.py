"""Workflow 5, On-site service (004 §4, 002).

Record sheet -> arrival deadline (R8) -> dispatch -> arrival (a late one is explained to
the customer) -> warranty decision (R10; out of warranty needs a signed service contract)
-> repair with parts -> repair list signed by the customer -> old parts back (R21) ->
travel expenses (R22) -> follow-up call or e-mail (002).
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import Command, DispatchVisit, Notify, ReimburseTravel
from aftersales_core.decision import Decision
from aftersales_core.forms.service import ServiceInformationRecord
from aftersales_core.roles import Role
from aftersales_core.rules.service_level import (
    LATE,
    arrival_check,
    arrival_deadline,
    region_of,
    travel_expense_check,
    travel_expense_deadline,
)
from aftersales_core.rules.warranty import NOT_COMPENSATED, PAID_SERVICE, warranty_decision
from aftersales_core.workflows._common import check, decided, need, required, roles, survey_on_close
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["ONSITE_SERVICE"]

Ctx = Context[ServiceInformationRecord]
T = Transition[ServiceInformationRecord]

AFTER_SALES = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)
TECHNICIAN = roles(Role.AFTER_SALES, Role.MAINTENANCE)


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _record_writes(ctx: Ctx) -> dict[str, Any]:
    region = region_of(ctx.record.province, policy=ctx.policy)
    return {
        "region": region,
        "deadline": arrival_deadline(ctx.record.received_at, region, policy=ctx.policy),
    }


def _pending(ctx: Ctx) -> Decision:
    region = region_of(ctx.record.province, policy=ctx.policy)
    return arrival_check(ctx.record.received_at, region, now=ctx.now, policy=ctx.policy)


def _arrival(ctx: Ctx) -> Decision:
    return arrival_check(
        ctx.record.received_at,
        ctx.record.region,
        arrived_at=ctx.record.arrived_at,
        policy=ctx.policy,
    )


def _late_explained(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    if decision.outcome == LATE and not ctx.record.late_explanation:
        return (
            "the arrival is late: record the explanation given to the customer (late_explanation)"
        )
    return None


def _warranty(ctx: Ctx) -> Decision:
    form = ctx.record
    return warranty_decision(
        need(form.delivered_at, "delivered_at"),
        ctx.now,
        form.product_category or None,
        form.cause,
        policy=ctx.policy,
    )


def _contract_signed(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    if decision.outcome not in (PAID_SERVICE, NOT_COMPENSATED):
        return None
    if not ctx.policy.contract_required_out_of_warranty:
        return None
    contract = ctx.record.contract
    if contract is None:
        return "paid service: an after-sales service contract must be signed before the work (contract)"
    if contract.signed_at > ctx.now:
        return "the service contract is dated after the work starts"
    return None


def _repair_list_signed(ctx: Ctx) -> str | None:
    rl = ctx.record.repair_list
    if rl is None:
        return "the after-sales service repair list is missing (repair_list)"
    if not rl.signed:
        return (
            "the customer has not signed or sealed the repair list (repair_list.customer_signature)"
        )
    return None


def _old_parts(ctx: Ctx) -> list[Command]:
    rl = need(ctx.record.repair_list, "repair_list")
    claims = [p for p in rl.replaced_parts if p.purchased]
    if not claims:
        return []
    listed = ", ".join(
        f"{p.quantity} x {p.product} ({p.supplier or 'supplier unknown'})" for p in claims
    )
    return [
        Notify(
            reference=_ref(ctx),
            role=Role.PMC,
            message=f"Claim failed purchased parts from the suppliers (R21): {listed}.",
        )
    ]


def _travel(ctx: Ctx) -> Decision:
    returned_at = need(ctx.record.returned_at, "returned_at")
    return travel_expense_check(returned_at, claimed_at=ctx.now, policy=ctx.policy)


def _late_claim(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    if decision.outcome == LATE and not ctx.actor.holds(Role.AFTER_SALES_MANAGER):
        return "the claim is past the deadline: the after-sales manager files it (R22)"
    return None


def _reimburse(ctx: Ctx) -> list[Command]:
    form = ctx.record
    returned_at = need(form.returned_at, "returned_at")
    amount = need(form.travel_amount, "travel_amount")
    return [
        ReimburseTravel(
            reference=_ref(ctx),
            technician=form.assignee,
            amount=amount,
            due=travel_expense_deadline(returned_at, policy=ctx.policy),
        )
    ]


def _dispatch(ctx: Ctx) -> list[Command]:
    deadline = need(ctx.record.deadline, "deadline")
    return [DispatchVisit(reference=_ref(ctx), technician=ctx.record.assignee, deadline=deadline)]


ONSITE_SERVICE: Workflow[ServiceInformationRecord] = Workflow(
    name="onsite_service",
    title="On-site service",
    record_type=ServiceInformationRecord,
    initial="draft",
    states=(
        "draft",
        "recorded",
        "dispatched",
        "on_site",
        "repairing",
        "completed",
        "parts_returned",
        "expenses_claimed",
        "closed",
        "cancelled",
    ),
    final=frozenset({"closed", "cancelled"}),
    transitions=(
        T(
            action="record",
            sources=frozenset({"draft"}),
            target="recorded",
            roles=AFTER_SALES | roles(Role.SALESPERSON),
            updates=frozenset({"contact", "product", "delivered_at", "product_category"}),
            decide=_pending,
            writes=_record_writes,
            description="The record sheet is filled at once; the arrival deadline follows from the region (R8).",
        ),
        T(
            action="dispatch",
            sources=frozenset({"recorded"}),
            target="dispatched",
            roles=AFTER_SALES,
            updates=frozenset({"assignee"}),
            guards=(required("assignee"),),
            effects=_dispatch,
        ),
        T(
            action="arrive",
            sources=frozenset({"dispatched"}),
            target="on_site",
            roles=TECHNICIAN,
            updates=frozenset({"arrived_at", "late_explanation"}),
            guards=(required("arrived_at"),),
            decide=_arrival,
            post_guards=(check("R8", "late arrival explained", _late_explained),),
        ),
        T(
            action="decide_warranty",
            sources=frozenset({"on_site"}),
            target="repairing",
            roles=TECHNICIAN,
            updates=frozenset({"cause", "delivered_at", "product_category", "contract"}),
            guards=(required("delivered_at", rule="R10"),),
            decide=_warranty,
            post_guards=(check("R10", "contract signed before paid work", _contract_signed),),
            writes=lambda ctx: {"warranty": ctx.decision.outcome if ctx.decision else ""},
        ),
        T(
            action="complete",
            sources=frozenset({"repairing"}),
            target="completed",
            roles=TECHNICIAN,
            updates=frozenset({"repair_list"}),
            guards=(check("form", "repair list signed by the customer", _repair_list_signed),),
        ),
        T(
            action="return_old_parts",
            sources=frozenset({"completed"}),
            target="parts_returned",
            roles=TECHNICIAN,
            writes=lambda ctx: {"old_parts_returned": True},
            effects=_old_parts,
            description="Replaced old parts come back to the factory; purchased ones are claimed (R21).",
        ),
        T(
            action="claim_travel",
            sources=frozenset({"parts_returned"}),
            target="expenses_claimed",
            roles=TECHNICIAN | roles(Role.AFTER_SALES_MANAGER),
            updates=frozenset({"returned_at", "travel_amount"}),
            guards=(required("returned_at", "travel_amount", "assignee", rule="R22"),),
            decide=_travel,
            post_guards=(check("R22", "claimed in time", _late_claim),),
            effects=_reimburse,
        ),
        T(
            action="follow_up",
            sources=frozenset({"expenses_claimed"}),
            target="closed",
            roles=AFTER_SALES,
            updates=frozenset({"follow_up"}),
            guards=(required("follow_up"),),
            effects=survey_on_close,
            description="A follow-up call or e-mail checks the service (002); a survey follows (R20).",
        ),
        T(
            action="cancel",
            sources=frozenset({"draft", "recorded", "dispatched"}),
            target="cancelled",
            roles=roles(Role.AFTER_SALES_MANAGER),
        ),
    ),
)
"""The on-site service workflow over the service information record sheet."""
