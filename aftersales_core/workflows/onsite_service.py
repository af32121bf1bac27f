"""Workflow 5, On-site service (004 §4, 002).

Record sheet -> service mode (R28: a consultation or remote guidance is answered and
archived; a visit goes on) -> arrival deadline (R8) -> dispatch -> arrival (a late one
is explained to the customer) -> on-arrival checks (R24) -> warranty decision from the
customer's installed base (R26, R10; out of warranty needs a signed service contract)
-> repair with parts, a difficult problem reported to the leader (R25) -> repair list
signed by the customer (R24) -> old parts back (R21) -> travel expenses (R22) ->
follow-up call or e-mail, its result recorded (002).
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import (
    ClaimSupplier,
    Command,
    DispatchVisit,
    Item,
    Notify,
    ReimburseTravel,
    ReturnOldParts,
)
from aftersales_core.decision import Decision
from aftersales_core.forms.service import ServiceInformationRecord
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.onsite import (
    COMPLETE,
    FOUND,
    NOT_OFFERED,
    VISIT,
    difficult_problem,
    installed_unit,
    onsite_checks,
    service_mode,
)
from aftersales_core.rules.service_level import (
    LATE,
    arrival_check,
    arrival_deadline,
    region_of,
    travel_expense_check,
    travel_expense_deadline,
)
from aftersales_core.rules.warranty import NOT_COMPENSATED, PAID_SERVICE, warranty_decision
from aftersales_core.workflows._common import (
    STAFF,
    check,
    decided,
    need,
    required,
    roles,
    survey_on_close,
)
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["ONSITE_SERVICE"]

Ctx = Context[ServiceInformationRecord]
T = Transition[ServiceInformationRecord]

AFTER_SALES = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER)
TECHNICIAN = roles(Role.AFTER_SALES, Role.MAINTENANCE)


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _visit(form: ServiceInformationRecord) -> bool:
    return form.mode == VISIT


def _record_writes(ctx: Ctx) -> dict[str, Any]:
    region = region_of(ctx.record.province, policy=ctx.policy)
    deadline = (
        arrival_deadline(ctx.record.received_at, region, policy=ctx.policy)
        if _visit(ctx.record)
        else None
    )
    return {"region": region, "deadline": deadline}


def _record_decide(ctx: Ctx) -> list[Decision]:
    mode = service_mode(ctx.record.mode, policy=ctx.policy)
    if not _visit(ctx.record):
        return [mode]
    region = region_of(ctx.record.province, policy=ctx.policy)
    pending = arrival_check(ctx.record.received_at, region, now=ctx.now, policy=ctx.policy)
    return [pending, mode]


def _mode_offered(ctx: Ctx) -> str | None:
    for decision in ctx.decisions:
        if decision.rule == "R28" and decision.outcome == NOT_OFFERED:
            return " ".join(decision.reasons)
    return None


def _is_visit(ctx: Ctx) -> str | None:
    if _visit(ctx.record):
        return None
    return _("a {mode} is answered remotely (answer_remotely), not dispatched").format(mode=ctx.record.mode.replace('_', ' '))


def _is_remote(ctx: Ctx) -> str | None:
    if not _visit(ctx.record):
        return None
    return _("a visit is dispatched to a technician; change the mode to answer it remotely")


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
            _("the arrival is late: record the explanation given to the customer (late_explanation)")
        )
    return None


def _checklist(stage: str) -> Any:
    def _check(ctx: Ctx) -> str | None:
        decision = onsite_checks(ctx.record.checks, stage=stage, policy=ctx.policy)
        if decision.outcome == COMPLETE:
            return None
        return " ".join(decision.reasons) + " (checks)"

    return _check


def _warranty(ctx: Ctx) -> list[Decision]:
    """R26 then R10: the unit on the customer's account gives delivery and category."""
    form = ctx.record
    unit = installed_unit(
        form.installed_base,
        need(form.product or None, "product"),
        form.lot,
        at=ctx.now,
        policy=ctx.policy,
    )
    if unit.outcome == FOUND:
        delivered_at = form.installed_base[
            [u.ref for u in form.installed_base].index(str(unit.facts["ref"]))
        ].delivered_at
        category = str(unit.facts["category"])
    elif not ctx.policy.installed_base_required and form.delivered_at is not None:
        delivered_at, category = form.delivered_at, form.product_category
    else:
        return [unit]
    warranty = warranty_decision(
        delivered_at, ctx.now, category or None, form.cause, policy=ctx.policy
    )
    return [warranty, unit]


def _unit_known(ctx: Ctx) -> str | None:
    if any(d.rule == "R10" for d in ctx.decisions):
        return None
    unit = ctx.decisions[0]
    hint = (
        ""
        if ctx.policy.installed_base_required
        else _(" or give the delivery date (delivered_at)")
    )
    return " ".join(unit.reasons) + _(" Choose the unit (product, lot){hint}.").format(hint=hint)


def _warranty_writes(ctx: Ctx) -> dict[str, Any]:
    warranty = decided(ctx)
    writes: dict[str, Any] = {"warranty": warranty.outcome}
    unit = next((d for d in ctx.decisions if d.rule == "R26" and d.outcome == FOUND), None)
    if unit is not None:
        chosen = next(u for u in ctx.record.installed_base if u.ref == unit.facts["ref"])
        writes.update(
            unit=chosen.ref, delivered_at=chosen.delivered_at, product_category=chosen.category
        )
    return writes


def _escalate(ctx: Ctx) -> Decision:
    return difficult_problem(ctx.record.difficulty, policy=ctx.policy)


def _report_to_leader(ctx: Ctx) -> list[Command]:
    form = ctx.record
    return [
        Notify(
            reference=_ref(ctx),
            role=ctx.policy.difficult_problem_leader,
            message=_("Difficult problem on site at {customer} (R25): {difficulty}").format(customer=form.customer, difficulty=form.difficulty),
        )
    ]


def _leader_decides(ctx: Ctx) -> str | None:
    leader = ctx.policy.difficult_problem_leader
    if ctx.actor.holds(leader):
        return None
    return _("the leader ({value}) decides the way to solve a difficult problem").format(value=leader.value)


def _factory_contacted(ctx: Ctx) -> str | None:
    if ctx.record.leader_decision and not ctx.record.factory_contacted:
        return _("a difficult problem was solved on the leader's way: contact the factory after the repair (factory_contacted)")
    return None


def _contract_signed(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    if decision.rule != "R10":
        return None
    if decision.outcome not in (PAID_SERVICE, NOT_COMPENSATED):
        return None
    if not ctx.policy.contract_required_out_of_warranty:
        return None
    contract = ctx.record.contract
    if contract is None:
        return _("paid service: an after-sales service contract must be signed before the work (contract)")
    if contract.signed_at > ctx.now:
        return _("the service contract is dated after the work starts")
    return None


def _repair_list_signed(ctx: Ctx) -> str | None:
    rl = ctx.record.repair_list
    if rl is None:
        return _("the after-sales service repair list is missing (repair_list)")
    if not rl.signed:
        return (
            _("the customer has not signed or sealed the repair list (repair_list.customer_signature)")
        )
    return None


def _old_parts(ctx: Ctx) -> list[Command]:
    """R21: old parts back, sorted by responsibility; purchased ones claimed per supplier."""
    rl = need(ctx.record.repair_list, "repair_list")
    ref = _ref(ctx)
    commands: list[Command] = []
    own = [p for p in rl.replaced_parts if not p.purchased]
    bought = [p for p in rl.replaced_parts if p.purchased]
    if own:
        commands.append(
            ReturnOldParts(
                reference=ref,
                responsibility=ctx.record.cause,
                items=tuple(Item(ref=p.ref, product=p.product, quantity=p.quantity) for p in own),
            )
        )
    if bought:
        commands.append(
            ReturnOldParts(
                reference=ref,
                responsibility="supplier",
                items=tuple(
                    Item(ref=p.ref, product=p.product, quantity=p.quantity) for p in bought
                ),
            )
        )
    by_supplier: dict[str, list[Any]] = {}
    for p in bought:
        by_supplier.setdefault(p.supplier or _("supplier unknown"), []).append(p)
    for supplier, parts in sorted(by_supplier.items()):
        commands.append(
            ClaimSupplier(
                reference=ref,
                supplier=supplier,
                items=tuple(Item(ref=p.ref, product=p.product, quantity=p.quantity) for p in parts),
            )
        )
    return commands


def _travel(ctx: Ctx) -> Decision:
    returned_at = need(ctx.record.returned_at, "returned_at")
    return travel_expense_check(returned_at, claimed_at=ctx.now, policy=ctx.policy)


def _late_claim(ctx: Ctx) -> str | None:
    decision = decided(ctx)
    if decision.outcome == LATE and not ctx.actor.holds(Role.AFTER_SALES_MANAGER):
        return _("the claim is past the deadline: the after-sales manager files it (R22)")
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
        "answered",
        "dispatched",
        "on_site",
        "repairing",
        "escalated",
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
            updates=frozenset(
                {"contact", "product", "lot", "delivered_at", "product_category", "mode"}
            ),
            decide=_record_decide,
            post_guards=(check("R28", "service mode offered", _mode_offered),),
            writes=_record_writes,
            description=(
                "The record sheet is filled at once; the service mode (R28) is chosen and a "
                "visit's arrival deadline follows from the region (R8)."
            ),
        ),
        T(
            action="answer_remotely",
            sources=frozenset({"recorded"}),
            target="answered",
            roles=AFTER_SALES,
            updates=frozenset({"answer"}),
            guards=(
                check("R28", "answered without a visit", _is_remote),
                required("answer", rule="R28"),
            ),
            description="A consultation or remote guidance is answered and archived (R28).",
        ),
        T(
            action="dispatch",
            sources=frozenset({"recorded"}),
            target="dispatched",
            roles=AFTER_SALES,
            updates=frozenset({"assignee"}),
            guards=(check("R28", "a visit", _is_visit), required("assignee")),
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
            updates=frozenset(
                {"cause", "delivered_at", "product_category", "contract", "checks", "lot", "product"}
            ),
            guards=(check("R24", "on-arrival checks recorded", _checklist("arrival")),),
            decide=_warranty,
            post_guards=(
                check("R26", "the unit is on the customer's account", _unit_known),
                check("R10", "contract signed before paid work", _contract_signed),
            ),
            writes=_warranty_writes,
            description=(
                "After the on-arrival checks (R24), the warranty is read from the unit on the "
                "customer's after-sales account (R26, R10)."
            ),
        ),
        T(
            action="escalate",
            sources=frozenset({"repairing"}),
            target="escalated",
            roles=TECHNICIAN,
            updates=frozenset({"difficulty"}),
            guards=(required("difficulty", rule="R25"),),
            decide=_escalate,
            effects=_report_to_leader,
            description="A problem not solvable on the spot goes to the leader at once (R25).",
        ),
        T(
            action="decide_solution",
            sources=frozenset({"escalated"}),
            target="repairing",
            roles=STAFF,
            roles_for=lambda policy: roles(policy.difficult_problem_leader),
            updates=frozenset({"leader_decision"}),
            guards=(
                check("R25", "the leader decides", _leader_decides),
                required("leader_decision", rule="R25"),
            ),
            description="The leader decides the way; the engineer solves it (R25).",
        ),
        T(
            action="complete",
            sources=frozenset({"repairing"}),
            target="completed",
            roles=TECHNICIAN,
            updates=frozenset({"repair_list", "checks", "factory_contacted"}),
            guards=(
                check("R24", "repaired parts qualified", _checklist("completion")),
                check("R25", "factory contacted after a difficult repair", _factory_contacted),
                check("R24", "repair list signed by the customer", _repair_list_signed),
            ),
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
            sources=frozenset({"expenses_claimed", "answered"}),
            target="closed",
            roles=AFTER_SALES,
            updates=frozenset({"follow_up", "follow_up_result"}),
            guards=(required("follow_up", "follow_up_result"),),
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
