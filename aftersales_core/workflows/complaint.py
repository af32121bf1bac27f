"""Workflow 1, Complaint (000 Four-1, 003 §Second).

Record -> answer on the spot if simple -> else assess (R11 responsibility, R12 same-batch
check) -> return for repair, refund return, on-site service, payout or an explanation ->
close with the customer's acceptance -> satisfaction survey (R20).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aftersales_core.commands import Command, Notify, RecordPayout
from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.complaints import (
    AFTER_SALES_OR_DEALER,
    DEALER_AT_OWN_COST,
    EXPLAIN_TO_CUSTOMER,
    HANDLING_OPINION_AND_PAYOUT,
    PAYOUT_AFTER_TESTING,
    complaint_responsibility,
    same_batch_check,
)
from aftersales_core.workflows._common import check, required, roles, survey_on_close
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["COMPLAINT"]

Ctx = Context[ComplaintHandlingForm]
T = Transition[ComplaintHandlingForm]


def _assess(ctx: Ctx) -> list[Decision]:
    form = ctx.record
    if form.cause is None:  # pragma: no cover - guarded by required("cause")
        raise InvalidInput("cause", _("the cause must be determined (R11)"))
    made = [complaint_responsibility(form.cause)]
    if form.quality_complaint and form.stock_of_lot is not None:
        made.append(same_batch_check(form.stock_of_lot, similar_defect=form.similar_defect))
    return made


def _assess_writes(ctx: Ctx) -> dict[str, Any]:
    made = _assess(ctx)
    out: dict[str, Any] = {"responsibility": made[0].outcome}
    if len(made) > 1:
        out["same_batch_result"] = made[1].outcome
    return out


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _request_return(ctx: Ctx) -> list[Command]:
    kind = "repair" if ctx.record.resolution == "return_for_repair" else "refund"
    return [
        Notify(
            reference=_ref(ctx),
            role=Role.SALESPERSON,
            message=_("Ask {customer} to return the goods ({kind}); fill the return tracking form on receipt.").format(customer=ctx.record.customer, kind=kind),
        )
    ]


def _payout(ctx: Ctx) -> list[Command]:
    if ctx.record.payout_amount is None:  # pragma: no cover - guarded
        return []
    return [
        RecordPayout(
            reference=_ref(ctx),
            amount=ctx.record.payout_amount,
            note=ctx.record.handling_opinion,
            settlement=ctx.record.payout_settlement,
        )
    ]


def _payout_allowed(ctx: Ctx) -> str | None:
    form = ctx.record
    if (
        form.responsibility == PAYOUT_AFTER_TESTING
        or form.same_batch_result == HANDLING_OPINION_AND_PAYOUT
    ):
        return None
    return (
        _("a payout needs a product-quality responsibility (R11) or a same-batch test without similar defect (R12); responsibility is {responsibility!r}").format(responsibility=form.responsibility)
    )


def _explainable(ctx: Ctx) -> str | None:
    if ctx.record.responsibility in (
        EXPLAIN_TO_CUSTOMER,
        AFTER_SALES_OR_DEALER,
        DEALER_AT_OWN_COST,
    ):
        return None
    return _("responsibility {responsibility!r} is not settled by an explanation (R11)").format(responsibility=ctx.record.responsibility)


def _return_kind(ctx: Ctx) -> str | None:
    if ctx.record.resolution in ("return_for_repair", "refund_return"):
        return None
    return _("resolution must be return_for_repair or refund_return")


def _accepted(ctx: Ctx) -> str | None:
    return None if ctx.record.customer_accepted else _("the customer has not accepted the handling")


def _unreachable(ctx: Ctx) -> str | None:
    """The customer was last reached for at least the policy's number of days."""
    last = ctx.record.last_contact_at
    if last is None:
        return _("last_contact_at: give the last attempt to reach the customer")
    days = ctx.policy.unreachable_customer_days
    waited = ctx.now - last
    if waited < timedelta(days=days):
        return (
            _("last_contact_at: the customer was last contacted {days} day(s) ago; a complaint closes without acceptance only after {days2} days (policy unreachable_customer_days)").format(days=waited.days, days2=days)
        )
    return None


OPEN_STATES = frozenset(
    {"draft", "received", "answered", "assessed", "return_requested", "on_site", "payout"}
)
"""The states from which a manager may still cancel a complaint."""


AFTER_SALES = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)

COMPLAINT: Workflow[ComplaintHandlingForm] = Workflow(
    name="complaint",
    title="Complaint",
    record_type=ComplaintHandlingForm,
    initial="draft",
    states=(
        "draft",
        "received",
        "answered",
        "assessed",
        "return_requested",
        "on_site",
        "payout",
        "closed",
        "cancelled",
    ),
    final=frozenset({"closed", "cancelled"}),
    transitions=(
        T(
            action="record",
            sources=frozenset({"draft"}),
            target="received",
            roles=AFTER_SALES | roles(Role.SALESPERSON, Role.SYSTEM, Role.CUSTOMER),
            guards=(required("customer", "description"),),
            updates=frozenset(
                {
                    "contact",
                    "product",
                    "lot",
                    "quantity",
                    "sale_order",
                    "remedy_sought",
                    "photos",
                    "category",
                }
            ),
            description="The information person fills the complaint handling form.",
        ),
        T(
            action="answer_on_spot",
            sources=frozenset({"received"}),
            target="answered",
            roles=AFTER_SALES,
            guards=(required("handling_opinion"),),
            updates=frozenset({"handling_opinion", "category"}),
            writes=lambda ctx: {"answered_on_spot": True},
            description="A simple problem is solved by phone or e-mail at once.",
        ),
        T(
            action="assess",
            sources=frozenset({"received"}),
            target="assessed",
            roles=AFTER_SALES | roles(Role.QUALITY),
            guards=(required("cause", rule="R11"),),
            updates=frozenset(
                {
                    "cause",
                    "category",
                    "quality_complaint",
                    "lot",
                    "stock_of_lot",
                    "similar_defect",
                    "photos",
                }
            ),
            decide=_assess,
            writes=_assess_writes,
            description="Decide responsibility (R11) and, for quality complaints, the same-batch check (R12).",
        ),
        T(
            action="explain",
            sources=frozenset({"assessed"}),
            target="answered",
            roles=AFTER_SALES,
            guards=(
                check("R11", "settled by explanation", _explainable),
                required("handling_opinion"),
            ),
            updates=frozenset({"handling_opinion"}),
            writes=lambda ctx: {"resolution": "explained"},
        ),
        T(
            action="request_return",
            sources=frozenset({"assessed"}),
            target="return_requested",
            roles=AFTER_SALES,
            guards=(check("form", "return kind given", _return_kind),),
            updates=frozenset({"resolution", "handling_opinion"}),
            effects=_request_return,
            description="The business asks the customer to return the goods (workflow 2 or 4).",
        ),
        T(
            action="dispatch_service",
            sources=frozenset({"assessed"}),
            target="on_site",
            roles=AFTER_SALES,
            writes=lambda ctx: {"resolution": "on_site"},
            effects=lambda ctx: [
                Notify(
                    reference=_ref(ctx),
                    role=Role.AFTER_SALES,
                    message=_("Open an on-site service record (R8)."),
                )
            ],
        ),
        T(
            action="start_payout",
            sources=frozenset({"assessed"}),
            target="payout",
            roles=roles(Role.AFTER_SALES_MANAGER),
            guards=(
                check("R11", "payout allowed", _payout_allowed),
                required("payout_amount", "handling_opinion"),
            ),
            updates=frozenset({"payout_amount", "payout_settlement", "handling_opinion"}),
            writes=lambda ctx: {"resolution": "payout"},
            effects=_payout,
        ),
        T(
            action="close",
            sources=frozenset({"answered", "return_requested", "on_site", "payout"}),
            target="closed",
            roles=AFTER_SALES,
            guards=(check("form", "customer accepted", _accepted),),
            updates=frozenset({"customer_accepted"}),
            effects=survey_on_close,
            description="Closed with the customer's acceptance; a satisfaction survey follows (R20).",
        ),
        T(
            action="close_unaccepted",
            sources=frozenset({"answered", "return_requested", "on_site", "payout"}),
            target="closed",
            roles=roles(Role.AFTER_SALES_MANAGER),
            guards=(
                required("closing_reason"),
                check("form", "customer unreachable", _unreachable),
            ),
            updates=frozenset({"closing_reason", "last_contact_at"}),
            description="A manager closes without the customer's acceptance, with a recorded "
            "reason, once the customer has not been reached for the policy's number of days.",
        ),
        T(
            action="cancel",
            sources=OPEN_STATES,
            target="cancelled",
            roles=roles(Role.AFTER_SALES_MANAGER),
            guards=(required("closing_reason"),),
            updates=frozenset({"closing_reason"}),
            description="A manager cancels the complaint from any open state, with a reason.",
        ),
    ),
)
"""The complaint workflow over the complaint handling form."""
