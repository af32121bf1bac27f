"""Material requisition (000 §Two 5; 001 二 5), rule R5.

Materials for after-sales work are issued only after the ordered sign-offs of
``Policy.requisition_signoff_roles`` (by default: sales department head signs, production
manager reviews, warehouse notes), each by a holder of that role. The last sign-off
issues the materials.
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import Command, IssueMaterials, Item
from aftersales_core.decision import Decision
from aftersales_core.forms.orders import MaterialRequisitionForm
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import ALLOWED, next_signoff_role, requisition_signoff
from aftersales_core.workflows._common import STAFF, check, decided, need, roles, signature
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["MATERIAL_REQUISITION"]

Ctx = Context[MaterialRequisitionForm]
T = Transition[MaterialRequisitionForm]


def _signed(form: MaterialRequisitionForm) -> list[Role]:
    return [s.role for s in form.signatures]


def _decide(ctx: Ctx) -> Decision:
    return requisition_signoff(_signed(ctx.record), ctx.actor.roles, policy=ctx.policy)


def _allowed(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    return None if decision.outcome == ALLOWED else " ".join(decision.reasons)


def _sign_writes(ctx: Ctx) -> dict[str, Any]:
    role = need(next_signoff_role(_signed(ctx.record), policy=ctx.policy), "signatures")
    out: dict[str, Any] = {"signatures": (*ctx.record.signatures, signature(ctx, role))}
    if _complete_after(ctx):
        out["issued_at"] = ctx.now
    return out


def _complete_after(ctx: Ctx) -> bool:
    return len(ctx.record.signatures) + 1 >= len(ctx.policy.requisition_signoff_roles)


def _branch(ctx: Ctx) -> str:
    return "complete" if _complete_after(ctx) else "pending"


def _issue(ctx: Ctx) -> list[Command]:
    if ctx.record.state != "issued":
        return []
    items = tuple(
        Item(ref=line.ref, product=line.product, quantity=line.quantity, lot=line.lot)
        for line in ctx.record.lines
    )
    return [
        IssueMaterials(
            reference=ctx.record.number or "unnumbered", items=items, purpose=ctx.record.purpose
        )
    ]


def _requester(ctx: Ctx) -> str | None:
    if ctx.record.requester != ctx.actor.user and not ctx.actor.holds(Role.AFTER_SALES_MANAGER):
        return _("only the requester {requester!r} submits the requisition").format(requester=ctx.record.requester)
    return None


MATERIAL_REQUISITION: Workflow[MaterialRequisitionForm] = Workflow(
    name="material_requisition",
    title="Material requisition",
    record_type=MaterialRequisitionForm,
    initial="draft",
    states=("draft", "awaiting_signoffs", "issued", "cancelled"),
    final=frozenset({"issued", "cancelled"}),
    transitions=(
        T(
            action="submit",
            sources=frozenset({"draft"}),
            target="awaiting_signoffs",
            roles=roles(
                Role.AFTER_SALES, Role.MAINTENANCE, Role.PRODUCTION, Role.AFTER_SALES_MANAGER
            ),
            guards=(check("R5", "submitted by the requester", _requester),),
            description="The requester fills the material requisition form.",
        ),
        T(
            action="sign",
            sources=frozenset({"awaiting_signoffs"}),
            routes={"pending": "awaiting_signoffs", "complete": "issued"},
            branch=_branch,
            decide=_decide,
            post_guards=(check("R5", "signer holds the role whose turn it is", _allowed),),
            roles=STAFF,
            writes=_sign_writes,
            effects=_issue,
            description="Each sign-off in the policy's order by a holder of that role; the last one issues (R5).",
        ),
        T(
            action="cancel",
            sources=frozenset({"draft", "awaiting_signoffs"}),
            target="cancelled",
            roles=roles(Role.AFTER_SALES_MANAGER, Role.SALES_HEAD),
        ),
    ),
)
"""The material requisition workflow with its ordered sign-offs (R5)."""
