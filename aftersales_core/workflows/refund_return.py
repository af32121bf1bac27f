"""Workflow 4, Refund return (000 §Four-4).

Accept (R4) -> receive, tracking form + return form -> route (R1) -> after-sales or
production repairs and refurbishes, recording replaced items (R7) -> stock-in form ->
general manager's approval -> sellable stock (R6) -> the business settles a refund
(credit note), a deduction or a payment.
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import (
    Command,
    IssueCreditNote,
    MoveToRefurbished,
    RecordDeduction,
    RestockForResale,
)
from aftersales_core.forms.returns import ReturnTrackingForm, StockInForm
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import APPROVED, stock_in_approval, stock_in_approvers
from aftersales_core.workflows._common import check, roles, signature, survey_on_close
from aftersales_core.workflows._returns import (
    BUSINESS,
    RECEIVED,
    front_transitions,
    item_of,
    reference,
    repair_end_transitions,
)
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["REFUND_RETURN"]

Ctx = Context[ReturnTrackingForm]
T = Transition[ReturnTrackingForm]


def _items(ctx: Ctx) -> tuple[Any, ...]:
    return tuple(item_of(line) for line in ctx.record.lines if line.received_quantity > 0)


def _stock_in_writes(ctx: Ctx) -> dict[str, Any]:
    lines = tuple(line for line in ctx.record.lines if line.received_quantity > 0)
    return {
        "stock_in": StockInForm(
            items=tuple(
                line.model_copy(update={"quantity": line.received_quantity}) for line in lines
            ),
            replaced_parts=ctx.record.replaced_parts,
            filled_by=ctx.actor.user,
        )
    }


def _approval_allowed(ctx: Ctx) -> str | None:
    decision = stock_in_approval(ctx.actor.roles, policy=ctx.policy)
    return None if decision.outcome == APPROVED else " ".join(decision.reasons)


def _approve_writes(ctx: Ctx) -> dict[str, Any]:
    if ctx.record.stock_in is None:  # pragma: no cover - filled by stock_in, the only way in
        return {}
    return {
        "stock_in": ctx.record.stock_in.model_copy(
            update={"approval": signature(ctx, Role.GENERAL_MANAGER)}
        )
    }


def _restock(ctx: Ctx) -> list[Command]:
    return [
        RestockForResale(reference=reference(ctx), items=_items(ctx), approved_by=ctx.actor.user)
    ]


def _settlement_given(ctx: Ctx) -> str | None:
    rf = ctx.record.return_form
    if rf is None or not rf.settlement:
        return _("the business must decide the settlement (return_form.settlement)")
    before = ctx.before.return_form
    kept = {"settlement": rf.settlement, "deduction_amount": rf.deduction_amount}
    if before is not None and before.model_copy(update=kept) != rf:
        return _("settling may change only return_form.settlement and deduction_amount")
    return None


def _settle(ctx: Ctx) -> list[Command]:
    rf = ctx.record.return_form
    if rf is None:  # pragma: no cover - guarded by _settlement_given
        return []
    if rf.settlement in ("credit_note", "payment"):
        # "payment": the refund is paid out to the customer rather than left as a credit.
        return [
            IssueCreditNote(
                reference=reference(ctx), items=_items(ctx), pay_out=rf.settlement == "payment"
            )
        ]
    if rf.settlement == "deduction" and rf.deduction_amount is not None:
        return [
            RecordDeduction(
                reference=reference(ctx),
                amount=rf.deduction_amount,
                note=_("deducted by the business"),
            )
        ]
    return []


REFUND_RETURN: Workflow[ReturnTrackingForm] = Workflow(
    name="refund_return",
    title="Refund return",
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
        "refurbished",
        "awaiting_approval",
        "restocked",
        "settled",
        "closed",
    ),
    final=frozenset({"refused", "cancelled", "closed"}),
    transitions=(
        *front_transitions("refund"),
        *repair_end_transitions("refurbished"),
        T(
            action="stock_in",
            sources=frozenset({"refurbished"}),
            target="awaiting_approval",
            roles=roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, Role.PRODUCTION),
            guards=(RECEIVED,),
            writes=_stock_in_writes,
            effects=lambda ctx: [MoveToRefurbished(reference=reference(ctx), items=_items(ctx))],
            description="The stock-in form puts the refurbished goods in the refurbished location.",
        ),
        T(
            action="approve_stock_in",
            sources=frozenset({"awaiting_approval"}),
            target="restocked",
            roles=roles(Role.GENERAL_MANAGER, Role.AFTER_SALES_MANAGER),
            roles_for=lambda policy: stock_in_approvers(policy=policy),
            guards=(RECEIVED, check("R6", "approver allowed", _approval_allowed)),
            writes=_approve_writes,
            effects=_restock,
            description="The general manager approves; the goods may be sold a second time (R6).",
        ),
        T(
            action="settle",
            sources=frozenset({"restocked"}),
            target="settled",
            roles=BUSINESS,
            updates=frozenset({"return_form"}),
            guards=(RECEIVED, check("form", "settlement decided", _settlement_given)),
            effects=_settle,
            description="The business refunds (credit note), deducts, or receives payment.",
        ),
        T(
            action="close",
            sources=frozenset({"settled"}),
            target="closed",
            roles=BUSINESS | roles(Role.AFTER_SALES),
            effects=survey_on_close,
        ),
    ),
)
"""Refund return over the customer return tracking form."""
