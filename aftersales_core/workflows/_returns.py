"""The part that the return-for-repair and refund-return workflows share.

Submit -> accept (R4) or refuse -> receive (partial receipts allowed) -> route (R1/R2) ->
repair by after-sales, rework by production, or a quality exception answered by R&D
with a rework BOM -> repaired / inspected. Each workflow adds its own ending.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales_core.commands import (
    ChargeParts,
    Command,
    Item,
    Notify,
    OpenRepair,
    ReceiveReturn,
    RequestBom,
    StartRework,
)
from aftersales_core.decision import Decision
from aftersales_core.forms.returns import QualityExceptionOrder, ReturnLine, ReturnTrackingForm
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import REJECT, return_acceptance
from aftersales_core.rules.routing import AFTER_SALES, PRODUCTION, QUALITY_EXCEPTION, route_return
from aftersales_core.rules.warranty import CHARGE, parts_charge
from aftersales_core.workflows._common import check, required, roles
from aftersales_core.workflows.engine import Context, Transition

__all__ = ["BUSINESS", "front_transitions", "item_of", "reference", "repair_end_transitions"]

Ctx = Context[ReturnTrackingForm]
T = Transition[ReturnTrackingForm]

BUSINESS = roles(Role.SALESPERSON, Role.SALES_HEAD)
AFTER_SALES_ROLES = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)


def reference(ctx: Ctx) -> str:
    """The case reference used on commands."""
    return ctx.record.number or "unnumbered"


def item_of(line: ReturnLine, quantity: int | None = None) -> Item:
    """A command item for a return line (its received quantity by default)."""
    qty = line.received_quantity if quantity is None else quantity
    return Item(product=line.product, quantity=qty, lot=line.lot or None)


def _purpose(purpose: str) -> Any:
    def _check(ctx: Ctx) -> str | None:
        if ctx.record.purpose != purpose:
            return (
                f"this workflow handles returns for {purpose}, the form says {ctx.record.purpose}"
            )
        return None

    return check("form", f"purpose is {purpose}", _check)


def _acceptance(ctx: Ctx) -> Decision:
    form = ctx.record
    assert form.return_form is not None and form.delivered_at is not None  # guarded
    return return_acceptance(
        form.delivered_at, form.return_form.requested_at, form.return_form.reason, policy=ctx.policy
    )


def _not_rejected(ctx: Ctx) -> str | None:
    assert ctx.decision is not None
    if ctx.decision.outcome == REJECT:
        return " ".join(ctx.decision.reasons)
    return None


def _accept_writes(ctx: Ctx) -> dict[str, Any]:
    assert ctx.record.return_form is not None and ctx.decision is not None
    decided = "accept" if ctx.decision.outcome != REJECT else REJECT
    return {
        "return_form": ctx.record.return_form.model_copy(
            update={"acceptance": decided, "accepted_by": ctx.actor.user}
        )
    }


def _refuse_writes(ctx: Ctx) -> dict[str, Any]:
    rf = ctx.record.return_form
    if rf is None:
        return {}
    return {
        "return_form": rf.model_copy(update={"acceptance": REJECT, "accepted_by": ctx.actor.user})
    }


def _receive_request(ctx: Ctx) -> list[Command]:
    items = tuple(item_of(line, line.quantity) for line in ctx.record.lines)
    return [ReceiveReturn(reference=reference(ctx), items=items)]


def _receipt_only_adds(ctx: Ctx) -> str | None:
    before, after = ctx.before.lines, ctx.record.lines
    if len(before) != len(after):
        return "a receipt cannot add or remove return lines"
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        if b.model_copy(update={"received_quantity": 0}) != a.model_copy(
            update={"received_quantity": 0}
        ):
            return f"lines[{i}]: a receipt may change only received_quantity"
        if a.received_quantity < b.received_quantity:
            return f"lines[{i}].received_quantity: a receipt cannot lower what was received"
    if all(a.received_quantity == b.received_quantity for a, b in zip(before, after, strict=True)):
        return "the receipt records no received quantity"
    return None


def _receipt_branch(ctx: Ctx) -> str:
    return "complete" if ctx.record.fully_received else "partial"


def _something_received(ctx: Ctx) -> str | None:
    return None if ctx.record.received_lines() else "nothing has been received yet"


def _route(ctx: Ctx) -> Decision:
    return route_return(
        ctx.record.received_lines(),
        needs_design_change=ctx.record.needs_design_change,
        policy=ctx.policy,
    )


def _route_writes(ctx: Ctx) -> dict[str, Any]:
    assert ctx.decision is not None
    out: dict[str, Any] = {"route": ctx.decision.outcome}
    if ctx.decision.outcome == QUALITY_EXCEPTION:
        lines = ctx.record.received_lines()
        out["quality_exception"] = QualityExceptionOrder(
            product=", ".join(dict.fromkeys(line.product for line in lines)),
            lot=", ".join(dict.fromkeys(line.lot for line in lines if line.lot)),
            quantity=sum(line.quantity for line in lines),
            defect=ctx.record.test_findings
            or "; ".join(line.problem for line in lines if line.problem)
            or "design change needed",
        )
    return out


def _route_effects(ctx: Ctx) -> list[Command]:
    ref = reference(ctx)
    form = ctx.record
    lines = [line for line in form.lines if line.received_quantity > 0]
    if form.route == AFTER_SALES:
        return [
            OpenRepair(reference=ref, item=item_of(line), under_warranty=form.under_warranty)
            for line in lines
        ]
    if form.route == PRODUCTION:
        return [StartRework(reference=ref, item=item_of(line)) for line in lines]
    qe = form.quality_exception
    assert qe is not None
    return [
        RequestBom(
            reference=ref,
            item=Item(product=line.product, quantity=line.received_quantity, lot=line.lot or None),
            defect=qe.defect,
        )
        for line in lines
    ]


def _bom_given(ctx: Ctx) -> str | None:
    qe = ctx.record.quality_exception
    if qe is None or not qe.rework_bom:
        return "R&D must give the rework BOM (quality_exception.rework_bom)"
    before = ctx.before.quality_exception
    kept = {"rnd_decision": qe.rnd_decision, "rework_bom": qe.rework_bom}
    if before is not None and before.model_copy(update=kept) != qe:
        return "R&D answers with rnd_decision and rework_bom only; the order itself stays"
    return None


def _rework_with_bom(ctx: Ctx) -> list[Command]:
    qe = ctx.record.quality_exception
    assert qe is not None
    return [
        StartRework(reference=reference(ctx), item=item_of(line), bom=qe.rework_bom)
        for line in ctx.record.lines
        if line.received_quantity > 0
    ]


def _charge(ctx: Ctx) -> Decision:
    form = ctx.record
    chargeable = [p for p in form.replaced_parts if not (p.under_warranty or form.under_warranty)]
    return parts_charge(
        chargeable or form.replaced_parts,
        under_warranty=form.under_warranty or not chargeable,
        policy=ctx.policy,
    )


def _charge_writes(ctx: Ctx) -> dict[str, Any]:
    assert ctx.decision is not None
    if ctx.decision.outcome != CHARGE:
        return {"charges": Decimal("0")}
    form = ctx.record
    total = sum(
        (p.unit_price * p.quantity for p in form.replaced_parts if not p.under_warranty),
        Decimal("0"),
    )
    return {"charges": total}


def _charge_effects(ctx: Ctx) -> list[Command]:
    assert ctx.decision is not None
    if ctx.decision.outcome != CHARGE:
        return []
    # A rework that failed inspection is finished again: charge only the parts added
    # since, never the ones already charged.
    already = list(ctx.before.replaced_parts)
    new_parts = []
    for part in ctx.record.replaced_parts:
        if part in already:
            already.remove(part)
        else:
            new_parts.append(part)
    parts = tuple(
        Item(product=p.product, quantity=p.quantity) for p in new_parts if not p.under_warranty
    )
    return [ChargeParts(reference=reference(ctx), parts=parts)] if parts else []


def front_transitions(purpose: str) -> tuple[T, ...]:
    """Submit, accept/refuse, receive, route and the quality exception answer."""
    return (
        T(
            action="submit",
            sources=frozenset({"draft"}),
            target="requested",
            roles=BUSINESS | AFTER_SALES_ROLES,
            guards=(_purpose(purpose), required("lines", "return_form", "delivered_at")),
            updates=frozenset(
                {"lines", "return_form", "deliveries", "delivered_at", "complaint", "salesperson"}
            ),
            description="The business records the return request with its lines.",
        ),
        T(
            action="accept",
            sources=frozenset({"requested"}),
            target="accepted",
            roles=BUSINESS,
            decide=_acceptance,
            post_guards=(check("R4", "within the return window", _not_rejected),),
            writes=_accept_writes,
            effects=_receive_request,
            description="The business accepts from the delivery date and reason (R4); the goods are expected.",
        ),
        T(
            action="refuse",
            sources=frozenset({"requested"}),
            target="refused",
            roles=BUSINESS,
            writes=_refuse_writes,
        ),
        T(
            action="cancel",
            sources=frozenset({"requested", "accepted"}),
            target="cancelled",
            roles=BUSINESS | roles(Role.AFTER_SALES_MANAGER),
            effects=lambda ctx: [
                Notify(
                    reference=reference(ctx),
                    role=Role.WAREHOUSE,
                    message="Return cancelled before any goods arrived: cancel the expected receipt.",
                )
            ],
            description="The goods never come (or the customer withdraws): nothing was received yet.",
        ),
        T(
            action="receive",
            sources=frozenset({"accepted", "partially_received"}),
            routes={"complete": "received", "partial": "partially_received"},
            branch=_receipt_branch,
            roles=BUSINESS | roles(Role.WAREHOUSE),
            guards=(check("form", "receipt only adds received quantities", _receipt_only_adds),),
            updates=frozenset({"lines"}),
            description="Goods arrive; partial receipts are allowed.",
        ),
        T(
            action="close_receipt",
            sources=frozenset({"partially_received"}),
            target="received",
            roles=BUSINESS,
            guards=(check("form", "something received", _something_received),),
            description="The business stops waiting for the rest and routes what came.",
        ),
        T(
            action="route",
            sources=frozenset({"received"}),
            routes={
                AFTER_SALES: "in_repair",
                PRODUCTION: "in_rework",
                QUALITY_EXCEPTION: "quality_exception",
            },
            decide=_route,
            roles=AFTER_SALES_ROLES | roles(Role.SYSTEM),
            updates=frozenset({"test_findings", "needs_design_change", "under_warranty"}),
            writes=_route_writes,
            effects=_route_effects,
            description="Route by the received quantities (R1/R2).",
        ),
        T(
            action="issue_bom",
            sources=frozenset({"quality_exception"}),
            target="in_rework",
            roles=roles(Role.RND),
            updates=frozenset({"quality_exception"}),
            guards=(check("R2", "rework BOM given", _bom_given),),
            effects=_rework_with_bom,
            description="R&D answers the quality exception order with a rework BOM; production reworks.",
        ),
    )


def repair_end_transitions(repaired_state: str) -> tuple[T, ...]:
    """Finish a repair (R7 charges) or a rework plus inspection, ending in ``repaired_state``."""
    return (
        T(
            action="finish_repair",
            sources=frozenset({"in_repair"}),
            target=repaired_state,
            roles=roles(Role.MAINTENANCE, Role.AFTER_SALES),
            guards=(required("repairs_done"),),
            updates=frozenset({"repairs_done", "replaced_parts", "test_findings"}),
            decide=_charge,
            writes=_charge_writes,
            effects=_charge_effects,
            description="Maintenance repairs and tests; replaced parts are recorded and charged (R7).",
        ),
        T(
            action="finish_rework",
            sources=frozenset({"in_rework"}),
            target="inspection",
            roles=roles(Role.PRODUCTION, Role.PRODUCTION_MANAGER),
            guards=(required("repairs_done"),),
            updates=frozenset({"repairs_done", "replaced_parts", "test_findings"}),
            decide=_charge,
            writes=_charge_writes,
            effects=_charge_effects,
            description="Production reworks; replaced items go on the tracking form (R7).",
        ),
        T(
            action="pass_inspection",
            sources=frozenset({"inspection"}),
            target=repaired_state,
            roles=roles(Role.QUALITY),
        ),
        T(
            action="fail_inspection",
            sources=frozenset({"inspection"}),
            target="in_rework",
            roles=roles(Role.QUALITY),
            guards=(required("test_findings"),),
            updates=frozenset({"test_findings"}),
        ),
    )
