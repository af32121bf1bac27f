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
from aftersales_core.errors import InvalidInput
from aftersales_core.forms.returns import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnLine,
    ReturnTrackingForm,
)
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import REJECT, return_acceptance
from aftersales_core.rules.routing import AFTER_SALES, PRODUCTION, QUALITY_EXCEPTION, route_return
from aftersales_core.rules.warranty import (
    CHARGE,
    FREE_REPAIR,
    FREE_REPLACEMENT,
    REFUND,
    parts_charge,
    warranty_decision,
)
from aftersales_core.workflows._common import check, required, roles
from aftersales_core.workflows.engine import Context, Transition

__all__ = [
    "BUSINESS",
    "RECEIVED",
    "front_transitions",
    "item_of",
    "reference",
    "repair_end_transitions",
]

Ctx = Context[ReturnTrackingForm]
T = Transition[ReturnTrackingForm]

WARRANTY_FREE = frozenset({FREE_REPAIR, FREE_REPLACEMENT, REFUND})
"""R10 outcomes under which the repair is free."""

BUSINESS = roles(Role.SALESPERSON, Role.SALES_HEAD)
AFTER_SALES_ROLES = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)


def reference(ctx: Ctx) -> str:
    """The case reference used on commands."""
    return ctx.record.number or "unnumbered"


def item_of(line: ReturnLine, quantity: int | None = None) -> Item:
    """A command item for a return line (its received quantity by default), keyed by its ref."""
    qty = line.received_quantity if quantity is None else quantity
    return Item(ref=line.ref, product=line.product, quantity=qty, lot=line.lot or None)


def _purpose(purpose: str) -> Any:
    def _check(ctx: Ctx) -> str | None:
        if ctx.record.purpose != purpose:
            return (
                _("this workflow handles returns for {purpose}, the form says {purpose2}").format(purpose=purpose, purpose2=ctx.record.purpose)
            )
        return None

    return check("form", _("purpose is {purpose}").format(purpose=purpose), _check)


def _acceptance(ctx: Ctx) -> Decision:
    form = ctx.record
    if form.return_form is None or form.delivered_at is None:  # pragma: no cover - guarded
        raise InvalidInput("return_form", _("the return request and delivery date are required"))
    return return_acceptance(
        form.delivered_at, form.return_form.requested_at, form.return_form.reason, policy=ctx.policy
    )


def _not_rejected(ctx: Ctx) -> str | None:
    if ctx.decision is not None and ctx.decision.outcome == REJECT:
        return " ".join(ctx.decision.reasons)
    return None


def _accept_writes(ctx: Ctx) -> dict[str, Any]:
    rf = ctx.record.return_form
    if rf is None:  # pragma: no cover - guarded
        return {}
    decided = REJECT if ctx.decision is not None and ctx.decision.outcome == REJECT else "accept"
    return {
        "return_form": rf.model_copy(update={"acceptance": decided, "accepted_by": ctx.actor.user})
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
        return _("a receipt cannot add or remove return lines")
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        if b.model_copy(update={"received_quantity": 0}) != a.model_copy(
            update={"received_quantity": 0}
        ):
            return _("lines[{i}]: a receipt may change only received_quantity").format(i=i)
        if a.received_quantity < b.received_quantity:
            return _("lines[{i}].received_quantity: a receipt cannot lower what was received").format(i=i)
    if all(a.received_quantity == b.received_quantity for a, b in zip(before, after, strict=True)):
        return _("the receipt records no received quantity")
    return None


def _receipt_branch(ctx: Ctx) -> str:
    return "complete" if ctx.record.fully_received else "partial"


def _something_received(ctx: Ctx) -> str | None:
    return None if ctx.record.received_lines() else _("nothing has been received yet")


RECEIVED = check("form", "something received", _something_received)
"""Guard of the steps that move received goods: there must be some."""


def _route(ctx: Ctx) -> list[Decision]:
    """R1/R2 over the received quantities, then R10 for each received line."""
    made = [
        route_return(
            ctx.record.received_lines(),
            needs_design_change=ctx.record.needs_design_change,
            policy=ctx.policy,
        )
    ]
    made.extend(
        _warranty(ctx, i, line)
        for i, line in enumerate(ctx.record.lines)
        if line.received_quantity > 0
    )
    return made


def _warranty(ctx: Ctx, index: int, line: ReturnLine) -> Decision:
    """R10 for one line: its delivery date and category; the cause not yet determined."""
    delivered = line.delivered_at or ctx.record.delivered_at
    field = f"lines[{index}].delivered_at"
    if delivered is None:
        raise InvalidInput(field, _("R10 needs the delivery date of the line (or of the return)"))
    if delivered > ctx.now:
        raise InvalidInput(
            field,
            _("delivered {delivered}, after the routing time {now}: goods cannot come back before they were delivered (R10)").format(delivered=delivered.isoformat(), now=ctx.now.isoformat()),
        )
    return warranty_decision(
        delivered, ctx.now, line.warranty_category, "unknown", policy=ctx.policy
    )


def _line_warranty(ctx: Ctx) -> dict[int, bool]:
    """Index of each received line -> its R10 decision (free under warranty or not)."""
    received = [i for i, line in enumerate(ctx.record.lines) if line.received_quantity > 0]
    warranty = [d for d in ctx.decisions if d.rule == "R10"]
    return {i: d.outcome in WARRANTY_FREE for i, d in zip(received, warranty, strict=True)}


def _route_writes(ctx: Ctx) -> dict[str, Any]:
    route = ctx.decision.outcome if ctx.decision is not None else ""
    free = _line_warranty(ctx)
    lines = tuple(
        line.model_copy(update={"under_warranty": free[i]}) if i in free else line
        for i, line in enumerate(ctx.record.lines)
    )
    out: dict[str, Any] = {
        "route": route,
        "lines": lines,
        "under_warranty": bool(free) and all(free.values()),
    }
    if route == QUALITY_EXCEPTION:
        out["quality_exceptions"] = _quality_exceptions(ctx.record)
    return out


def _quality_exceptions(form: ReturnTrackingForm) -> tuple[QualityExceptionOrder, ...]:
    """One quality exception order per received product, covering that product's lines."""
    by_product: dict[str, list[ReturnLine]] = {}
    for line in form.received_lines():
        by_product.setdefault(line.product, []).append(line)
    return tuple(
        QualityExceptionOrder(
            line_refs=tuple(line.ref for line in lines if line.ref),
            product=product,
            lot=", ".join(dict.fromkeys(line.lot for line in lines if line.lot)),
            quantity=sum(line.received_quantity for line in lines),
            defect=form.test_findings
            or "; ".join(dict.fromkeys(line.problem for line in lines if line.problem))
            or _("design change needed"),
        )
        for product, lines in by_product.items()
    )


def _route_effects(ctx: Ctx) -> list[Command]:
    ref = reference(ctx)
    form = ctx.record
    lines = [line for line in form.lines if line.received_quantity > 0]
    if form.route == AFTER_SALES:
        return [
            OpenRepair(reference=ref, item=item_of(line), under_warranty=bool(line.under_warranty))
            for line in lines
        ]
    if form.route == PRODUCTION:
        return [StartRework(reference=ref, item=item_of(line)) for line in lines]
    return [
        RequestBom(
            reference=ref,
            line_refs=qe.line_refs,
            item=Item(
                ref=qe.ref,
                product=qe.product,
                quantity=qe.quantity,
                lot=qe.lot or None,
            ),
            defect=qe.defect,
        )
        for qe in form.quality_exceptions
    ]


def _bom_given(ctx: Ctx) -> str | None:
    orders = ctx.record.quality_exceptions
    if not orders:
        return _("there is no quality exception order to answer (quality_exceptions)")
    for i, qe in enumerate(orders):
        if not qe.rework_bom:
            return (
                _("R&D must give the rework BOM of {product} (quality_exceptions[{i}].rework_bom)").format(product=qe.product, i=i)
            )
    before = ctx.before.quality_exceptions
    if len(before) != len(orders):
        return _("R&D answers the quality exception orders; it cannot add or remove one")
    for i, (old, new) in enumerate(zip(before, orders, strict=True)):
        kept = {"rnd_decision": new.rnd_decision, "rework_bom": new.rework_bom, "ref": new.ref}
        if old.model_copy(update=kept) != new:
            return (
                _("quality_exceptions[{i}]: R&D answers with rnd_decision and rework_bom only; the order itself stays").format(i=i)
            )
    return None


def _rework_with_bom(ctx: Ctx) -> list[Command]:
    bom_of = {qe.product: qe.rework_bom for qe in ctx.record.quality_exceptions}
    return [
        StartRework(reference=reference(ctx), item=item_of(line), bom=bom_of.get(line.product))
        for line in ctx.record.lines
        if line.received_quantity > 0
    ]


def _free(form: ReturnTrackingForm, part: ReplacedPart) -> bool:
    """R7/R10: a part is free when marked so, or when its return line is under warranty
    (the whole return's decision when the part names no line)."""
    if part.under_warranty:
        return True
    if part.line_ref:
        line = next((ln for ln in form.lines if ln.ref == part.line_ref), None)
        if line is None:
            raise InvalidInput(
                f"replaced_parts[{form.replaced_parts.index(part)}].line_ref",
                _("no return line has the ref {line_ref!r}").format(line_ref=part.line_ref),
            )
        return bool(line.under_warranty)
    return form.under_warranty


def _charge(ctx: Ctx) -> Decision:
    form = ctx.record
    chargeable = [p for p in form.replaced_parts if not _free(form, p)]
    return parts_charge(
        chargeable or form.replaced_parts,
        under_warranty=not chargeable,
        policy=ctx.policy,
    )


def _charge_writes(ctx: Ctx) -> dict[str, Any]:
    if ctx.decision is None or ctx.decision.outcome != CHARGE:
        return {"charges": Decimal("0")}
    form = ctx.record
    total = sum(
        (p.unit_price * p.quantity for p in form.replaced_parts if not _free(form, p)),
        Decimal("0"),
    )
    return {"charges": total}


def _charge_effects(ctx: Ctx) -> list[Command]:
    if ctx.decision is None or ctx.decision.outcome != CHARGE:
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
        Item(ref=p.ref, product=p.product, quantity=p.quantity)
        for p in new_parts
        if not _free(ctx.record, p)
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
            description=_("The business records the return request with its lines."),
        ),
        T(
            action="accept",
            sources=frozenset({"requested"}),
            target="accepted",
            roles=BUSINESS,
            decide=_acceptance,
            post_guards=(check("R4", _("within the return window"), _not_rejected),),
            writes=_accept_writes,
            effects=_receive_request,
            description=_("The business accepts from the delivery date and reason (R4); the goods are expected."),
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
                    message=_("Return cancelled before any goods arrived: cancel the expected receipt."),
                )
            ],
            description=_("The goods never come (or the customer withdraws): nothing was received yet."),
        ),
        T(
            action="receive",
            sources=frozenset({"accepted", "partially_received"}),
            routes={"complete": "received", "partial": "partially_received"},
            branch=_receipt_branch,
            roles=BUSINESS | roles(Role.WAREHOUSE),
            guards=(check("form", _("receipt only adds received quantities"), _receipt_only_adds),),
            updates=frozenset({"lines"}),
            description=_("Goods arrive; partial receipts are allowed."),
        ),
        T(
            action="close_receipt",
            sources=frozenset({"partially_received"}),
            target="received",
            roles=BUSINESS,
            guards=(check("form", _("something received"), _something_received),),
            description=_("The business stops waiting for the rest and routes what came."),
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
            updates=frozenset({"test_findings", "needs_design_change"}),
            writes=_route_writes,
            effects=_route_effects,
            description=_("Route by the received quantities (R1/R2); R10 decides each line's warranty."),
        ),
        T(
            action="issue_bom",
            sources=frozenset({"quality_exception"}),
            target="in_rework",
            roles=roles(Role.RND),
            updates=frozenset({"quality_exceptions"}),
            guards=(check("R2", _("rework BOM given"), _bom_given),),
            effects=_rework_with_bom,
            description=_("R&D answers the quality exception order with a rework BOM; production reworks."),
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
            description=_("Maintenance repairs and tests; replaced parts are recorded and charged (R7)."),
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
            description=_("Production reworks; replaced items go on the tracking form (R7)."),
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
