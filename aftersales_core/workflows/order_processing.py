"""Workflow 7, Order processing (003 §1).

Confirm (similar batches flagged, R18) -> engineering orders released to production only
once more than the deposit ratio is paid (R15) -> ready -> ship by the payment cut-off
(R14) within the credit limit (R16), engineering balance cleared first (R15) ->
cancellation by phone recorded, delivery suspended, goods to the holding area (R17);
changes of delivery location registered (R16); unpaid orders due today are reminded
before the cut-off (R14); a released delivery is announced to the warehouse to bundle the
packing, and an exception on the way is told to the customer (R27).
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import (
    Command,
    Item,
    Notify,
    ShipOrder,
    StartProduction,
    SuspendDelivery,
)
from aftersales_core.decision import Decision
from aftersales_core.forms.orders import OrderRecord
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.orders import (
    BLOCK,
    DELIVER,
    FLAG,
    HOLD,
    NEXT_DAY,
    RELEASE,
    REMIND,
    SHIP_ON_ARREARS,
    SHIP_TODAY,
    credit_check,
    cutoff_reminder,
    engineering_release,
    logistics_exception,
    packing_notice,
    shipping_cutoff,
    similar_batch,
)
from aftersales_core.workflows._common import check, decided, need, required, roles
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["ORDER_PROCESSING"]

Ctx = Context[OrderRecord]
T = Transition[OrderRecord]
BUSINESS = roles(Role.SALESPERSON, Role.SALES_HEAD, Role.AFTER_SALES)
OPEN = frozenset({"confirmed", "in_production", "ready", "held"})
# The host takes these steps itself when its own documents move (an order confirmed, a
# manufacturing order confirmed or done, a payment reconciled, a delivery released).
SYSTEM = roles(Role.SYSTEM)


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _similar(ctx: Ctx) -> Decision:
    form = ctx.record
    others = [{"product": form.product, "reference": r} for r in form.similar_orders]
    return similar_batch(form.product, form.quantity, others)


def _flag(ctx: Ctx) -> list[Command]:
    decision = decided(ctx)
    if decision.outcome != FLAG:
        return []
    msg = " ".join(decision.reasons)
    return [
        Notify(reference=_ref(ctx), role=Role.DUTY_MANAGER, message=msg),
        Notify(reference=_ref(ctx), role=Role.SALESPERSON, message=msg),
    ]


def _release(ctx: Ctx) -> Decision:
    return engineering_release(ctx.record.paid, ctx.record.amount, policy=ctx.policy)


def _released(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    return None if decision.outcome == RELEASE else " ".join(decision.reasons)


def _engineering(ctx: Ctx) -> str | None:
    return (
        None
        if ctx.record.engineering
        else _("only engineering orders are released this way; others go to prepare")
    )


def _registered(ctx: Ctx) -> str | None:
    if ctx.record.engineering and not ctx.record.project_registered_by:
        return _("the duty manager signs the project registration first (R15)")
    return None


def _stable(ctx: Ctx) -> str | None:
    if not ctx.record.customer_stable:
        return _("shipping on arrears is refused for a low-volume or unstable customer (R14)")
    return None


def _not_engineering(ctx: Ctx) -> str | None:
    if ctx.record.engineering:
        return _("an engineering order goes into production only through release_production (R15)")
    return None


def _ship_decisions(ctx: Ctx) -> list[Decision]:
    """R14 then R16; a customer with a credit limit (R16: a stable, large customer) ships
    unpaid within its limit, so the credit decision routes when the cut-off would hold."""
    form = ctx.record
    ship_date = need(form.ship_date, "ship_date")
    decisions = [
        shipping_cutoff(
            form.paid_at if form.paid >= form.amount else None,
            ship_date,
            arrears_guarantee=form.arrears_guarantee,
            committed_payment_date=form.committed_payment_date,
            customer_stable=form.customer_stable,
            policy=ctx.policy,
        ),
        credit_check(form.open_balance, form.amount - form.paid, form.credit_limit),
    ]
    cutoff, credit = decisions
    if form.credit_limit is not None and cutoff.outcome == HOLD and credit.outcome == DELIVER:
        return [credit, cutoff]
    return decisions


def _within_credit(ctx: Ctx) -> str | None:
    form = ctx.record
    decision = credit_check(form.open_balance, form.amount - form.paid, form.credit_limit)
    return " ".join(decision.reasons) if decision.outcome == BLOCK else None


def _balance_cleared(ctx: Ctx) -> str | None:
    form = ctx.record
    if form.engineering and form.paid < form.amount:
        return _("the balance of the engineering order ({value}) is cleared before shipment (R15)").format(value=form.amount - form.paid)
    return None


def _ship_effects(ctx: Ctx) -> list[Command]:
    decision = decided(ctx)
    ref = _ref(ctx)
    form = ctx.record
    if decision.outcome in (SHIP_TODAY, SHIP_ON_ARREARS, DELIVER):
        return [ShipOrder(reference=ref, item=Item(product=form.product, quantity=form.quantity))]
    return [Notify(reference=ref, role=Role.CUSTOMER, message=" ".join(decision.reasons))]


def _location_writes(ctx: Ctx) -> dict[str, Any]:
    return {"location_changes": (*ctx.before.location_changes, ctx.record.delivery_location)}


def _location_changed(ctx: Ctx) -> str | None:
    if ctx.record.delivery_location == ctx.before.delivery_location:
        return _("the new delivery location is the same as the current one")
    return None


def _cancel_writes(ctx: Ctx) -> dict[str, Any]:
    return {"cancelled_by": ctx.actor.user, "cancelled_at": ctx.now}


def _cancel_effects(ctx: Ctx) -> list[Command]:
    ref = _ref(ctx)
    return [
        SuspendDelivery(reference=ref, reason=ctx.record.cancellation_note),
        Notify(
            reference=ref,
            role=Role.WAREHOUSE,
            message=_("Order cancelled: suspend delivery and move the goods to the special holding area (R17)."),
        ),
        Notify(
            reference=ref,
            role=Role.SALESPERSON,
            message=_("Cancellation recorded: {cancellation_note} (R17).").format(cancellation_note=ctx.record.cancellation_note),
        ),
    ]


def _location_effects(ctx: Ctx) -> list[Command]:
    return [
        Notify(
            reference=_ref(ctx),
            role=Role.WAREHOUSE,
            message=_("Delivery location changed to {delivery_location} (R16).").format(delivery_location=ctx.record.delivery_location),
        )
    ]


def _packing(ctx: Ctx) -> tuple[Decision, ...]:
    at = ctx.record.scheduled_ship_at
    return () if at is None else (packing_notice(at, ctx.now, policy=ctx.policy),)


def _packing_effects(ctx: Ctx) -> list[Command]:
    form = ctx.record
    reasons = " ".join(" ".join(d.reasons) for d in ctx.decisions)
    message = (
        _("{quantity} x {product} for {customer} will ship: bundle the packing").format(quantity=form.quantity, product=form.product, customer=form.customer)
        + (f" ({form.delivery_location})" if form.delivery_location else "")
        + ". "
        + (reasons or _("No departure time is planned yet (R27)."))
    )
    return [Notify(reference=_ref(ctx), role=Role.WAREHOUSE, message=message)]


def _reminder(ctx: Ctx) -> Decision:
    form = ctx.record
    return cutoff_reminder(
        ctx.now,
        need(form.ship_date, "ship_date"),
        form.paid >= form.amount,
        policy=ctx.policy,
    )


def _remind_due(ctx: Ctx) -> str | None:
    if ctx.record.reminded_on is not None and ctx.record.reminded_on == _today(ctx):
        return _("the business and the customer were already told today")
    decision = decided(ctx)
    return None if decision.outcome == REMIND else " ".join(decision.reasons)


def _today(ctx: Ctx) -> Any:
    return ctx.now.astimezone(ctx.policy.zone).date()


def _remind_effects(ctx: Ctx) -> list[Command]:
    msg = " ".join(decided(ctx).reasons)
    ref = _ref(ctx)
    return [
        Notify(reference=ref, role=Role.SALESPERSON, message=msg),
        Notify(reference=ref, role=Role.CUSTOMER, message=msg),
    ]


def _exception(ctx: Ctx) -> Decision:
    return logistics_exception(ctx.record.logistics_exception)


def _exception_writes(ctx: Ctx) -> dict[str, Any]:
    note = ctx.record.logistics_exception.strip()
    return {"logistics_exceptions": (*ctx.before.logistics_exceptions, note)}


def _exception_effects(ctx: Ctx) -> list[Command]:
    msg = " ".join(decided(ctx).reasons)
    ref = _ref(ctx)
    return [
        Notify(reference=ref, role=Role.CUSTOMER, message=msg),
        Notify(reference=ref, role=Role.SALESPERSON, message=msg),
    ]


_payment_updates = frozenset({"paid", "paid_at", "arrears_guarantee", "committed_payment_date"})

ORDER_PROCESSING: Workflow[OrderRecord] = Workflow(
    name="order_processing",
    title="Order processing",
    record_type=OrderRecord,
    initial="draft",
    states=(
        "draft",
        "confirmed",
        "in_production",
        "ready",
        "held",
        "shipped",
        "delivered",
        "cancelled",
    ),
    final=frozenset({"delivered", "cancelled"}),
    transitions=(
        T(
            action="confirm",
            sources=frozenset({"draft"}),
            target="confirmed",
            roles=BUSINESS | SYSTEM,
            updates=frozenset({"similar_orders", "urgent", "ship_date", "delivery_location"}),
            decide=_similar,
            effects=_flag,
            description="Scheduled by production's fastest date; similar batches are flagged (R18).",
        ),
        T(
            action="register_project",
            sources=frozenset({"confirmed"}),
            target="confirmed",
            roles=roles(Role.DUTY_MANAGER),
            guards=(check("R15", "engineering order", _engineering),),
            writes=lambda ctx: {"project_registered_by": ctx.actor.user},
            description="The duty manager signs the engineering order's project registration.",
        ),
        T(
            action="release_production",
            sources=frozenset({"confirmed"}),
            target="in_production",
            roles=roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, Role.PRODUCTION_MANAGER)
            | SYSTEM,
            guards=(
                check("R15", "engineering order", _engineering),
                check("R15", "project registered by the duty manager", _registered),
            ),
            decide=_release,
            post_guards=(check("R15", "deposit paid", _released),),
            effects=lambda ctx: [
                StartProduction(
                    reference=_ref(ctx),
                    item=Item(product=ctx.record.product, quantity=ctx.record.quantity),
                )
            ],
        ),
        T(
            action="finish_production",
            sources=frozenset({"in_production"}),
            target="ready",
            roles=roles(Role.PRODUCTION, Role.PRODUCTION_MANAGER) | SYSTEM,
            updates=frozenset({"scheduled_ship_at"}),
            decide=_packing,
            effects=_packing_effects,
            description="Built: the delivery is released and announced to the warehouse (R27).",
        ),
        T(
            action="prepare",
            sources=frozenset({"confirmed"}),
            target="ready",
            roles=roles(Role.WAREHOUSE, Role.AFTER_SALES) | SYSTEM,
            updates=frozenset({"scheduled_ship_at"}),
            guards=(check("R15", "not an engineering order", _not_engineering),),
            decide=_packing,
            effects=_packing_effects,
            description="The delivery is released and announced to the warehouse (R27).",
        ),
        T(
            action="ship",
            sources=frozenset({"ready"}),
            routes={
                SHIP_TODAY: "shipped",
                SHIP_ON_ARREARS: "shipped",
                DELIVER: "shipped",
                NEXT_DAY: "ready",
                HOLD: "held",
            },
            roles=BUSINESS | roles(Role.WAREHOUSE),
            updates=frozenset({"ship_date"}),
            guards=(
                required("ship_date"),
                check("R16", "within the credit limit", _within_credit),
                check("R15", "engineering balance cleared", _balance_cleared),
            ),
            decide=_ship_decisions,
            effects=_ship_effects,
            description="Ships when paid by the cut-off (R14), within the credit limit (R16).",
        ),
        *(
            # A payment releases a held order; elsewhere it only records the amount.
            T(
                action="record_payment",
                sources=frozenset({source}),
                target=target,
                roles=roles(Role.FINANCE, Role.SALESPERSON) | SYSTEM,
                updates=_payment_updates,
                guards=(required("paid_at"),),
            )
            for source, target in (
                ("held", "ready"),
                ("confirmed", "confirmed"),
                ("ready", "ready"),
                ("in_production", "in_production"),
            )
        ),
        *(
            T(
                action="change_location",
                sources=frozenset({s}),
                target=s,
                roles=BUSINESS,
                updates=frozenset({"delivery_location"}),
                guards=(
                    required("delivery_location"),
                    check("R16", "a real change", _location_changed),
                ),
                writes=_location_writes,
                effects=_location_effects,
            )
            for s in ("confirmed", "in_production", "ready", "held")
        ),
        *(
            T(
                action="guarantee_arrears",
                sources=frozenset({s}),
                target=s,
                roles=roles(Role.SALESPERSON, Role.SALES_HEAD),
                updates=frozenset({"committed_payment_date"}),
                guards=(
                    required("committed_payment_date", rule="R14"),
                    check("R14", "a stable customer", _stable),
                ),
                writes=lambda ctx: {"arrears_guarantee": True},
                description="The business guarantees shipping on arrears with a committed "
                "payment date; refused for low-volume or unstable customers (R14).",
            )
            for s in ("confirmed", "in_production", "ready", "held")
        ),
        *(
            T(
                action="remind_unpaid",
                sources=frozenset({s}),
                target=s,
                roles=SYSTEM,
                guards=(required("ship_date", rule="R14"),),
                decide=_reminder,
                post_guards=(check("R14", "unpaid, due today, before the cut-off", _remind_due),),
                writes=lambda ctx: {"reminded_on": _today(ctx)},
                effects=_remind_effects,
                description="Before the cut-off, unpaid orders due today are reminded (R14).",
            )
            for s in ("confirmed", "in_production", "ready")
        ),
        *(
            T(
                action="record_exception",
                sources=frozenset({s}),
                target=s,
                roles=BUSINESS | roles(Role.WAREHOUSE) | SYSTEM,
                updates=frozenset({"logistics_exception"}),
                guards=(required("logistics_exception", rule="R27"),),
                decide=_exception,
                writes=_exception_writes,
                effects=_exception_effects,
                description="An exception on the way is recorded and told to the customer (R27).",
            )
            for s in ("ready", "held", "shipped")
        ),
        T(
            action="confirm_delivery",
            sources=frozenset({"shipped"}),
            target="delivered",
            roles=BUSINESS | SYSTEM,
            description="The goods arrived: no exception on the way can follow (R27).",
        ),
        T(
            action="cancel",
            sources=frozenset({"draft"}) | OPEN,
            target="cancelled",
            roles=BUSINESS,
            updates=frozenset({"cancellation_note"}),
            guards=(required("cancellation_note", rule="R17"),),
            writes=_cancel_writes,
            effects=_cancel_effects,
            description="A cancellation (by phone) is recorded; delivery is suspended (R17).",
        ),
    ),
)
"""The order processing workflow over the order record."""
