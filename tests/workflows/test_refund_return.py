"""Workflow 4, Refund return: every legal path, R6 approval, settlements, refusals, random walks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aftersales_core.commands import (
    ChargeParts,
    CommandAdapter,
    IssueCreditNote,
    Item,
    MoveToRefurbished,
    OpenRepair,
    ReceiveReturn,
    RecordDeduction,
    RequestBom,
    RestockForResale,
    SendSurvey,
    StartRework,
)
from aftersales_core.errors import (
    AftersalesError,
    GuardFailed,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.forms.returns import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
)
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor, Step
from aftersales_core.workflows.refund_return import REFUND_RETURN as WF

NOW = datetime(2026, 6, 8, 9, 0, tzinfo=timezone.utc)
DELIVERED = NOW - timedelta(days=10)
LONG_AGO = NOW - timedelta(days=400)
"""Delivered before the default 12 months of warranty (R10): repairs are charged."""
Form = ReturnTrackingForm


def actor(*held: Role, user: str = "u1") -> Actor:
    """An actor holding ``held``."""
    return Actor(user=user, roles=frozenset(held))


SALES = actor(Role.SALESPERSON, user="sun")
HEAD = actor(Role.SALES_HEAD, user="head")
WAREHOUSE = actor(Role.WAREHOUSE, user="qian")
AS = actor(Role.AFTER_SALES, user="li")
ASM = actor(Role.AFTER_SALES_MANAGER, user="wang")
GM = actor(Role.GENERAL_MANAGER, user="boss")
MAINT = actor(Role.MAINTENANCE, user="zhou")
PROD = actor(Role.PRODUCTION, user="wu")
QA = actor(Role.QUALITY, user="zheng")
RND = actor(Role.RND, user="feng")


def host(qty: int, **kw: Any) -> ReturnLine:
    """A line of hosts."""
    return ReturnLine(product=kw.pop("product", "X200"), product_class="host", quantity=qty, **kw)


def acc(qty: int, **kw: Any) -> ReturnLine:
    """A line of accessories."""
    return ReturnLine(
        product=kw.pop("product", "Cable"), product_class="accessory", quantity=qty, **kw
    )


def draft(**changes: Any) -> Form:
    """A new tracking form for a refund return."""
    data: dict[str, Any] = {
        "number": "RF/0001",
        "purpose": "refund",
        "customer": "ACME Marine",
        "salesperson": "sun",
    }
    data.update(changes)
    return Form(**data)


def go(
    record: Form, action: str, who: Actor, policy: Policy | None = None, **params: Any
) -> Step[Form]:
    """Apply ``action`` and check the original record did not change."""
    snapshot = record.model_copy(deep=True)
    step = WF.apply(record, action, who, params=params, policy=policy, now=NOW)
    assert record == snapshot
    return step


def refused(
    record: Form, action: str, who: Actor, policy: Policy | None = None, **params: Any
) -> AftersalesError:
    """Apply ``action``, expect a refusal, check nothing changed."""
    snapshot = record.model_copy(deep=True)
    with pytest.raises(AftersalesError) as err:
        WF.apply(record, action, who, params=params, policy=policy, now=NOW)
    assert record == snapshot
    return err.value


def full(lines: tuple[ReturnLine, ...]) -> tuple[ReturnLine, ...]:
    """The lines received in full."""
    return tuple(line.model_copy(update={"received_quantity": line.quantity}) for line in lines)


def received(*lines: ReturnLine) -> Form:
    """A submitted, accepted and fully received refund return."""
    sub = go(
        draft(),
        "submit",
        SALES,
        lines=lines or (host(1, lot="L1"),),
        return_form=ReturnForm(requested_at=NOW - timedelta(days=2), reason="not needed"),
        delivered_at=DELIVERED,
    ).record
    acc_step = go(sub, "accept", HEAD)
    assert isinstance(acc_step.commands[0], ReceiveReturn)
    return go(acc_step.record, "receive", WAREHOUSE, lines=full(acc_step.record.lines)).record


def refurbished(*lines: ReturnLine) -> Form:
    """A refund return repaired by after-sales (small)."""
    repair = go(received(*lines), "route", AS).record
    assert repair.state == "in_repair"
    return go(repair, "finish_repair", MAINT, repairs_done="refurbished").record


def restocked(*lines: ReturnLine) -> Form:
    """Refurbished goods stocked in and approved by the GM."""
    awaiting = go(refurbished(*lines), "stock_in", AS).record
    return go(awaiting, "approve_stock_in", GM).record


# --- legal paths ------------------------------------------------------------------------


def test_small_refund_return_end_to_end_with_credit_note() -> None:
    rec = received(host(2, lot="L1", delivered_at=LONG_AGO), acc(5, delivered_at=LONG_AGO))
    routed = go(rec, "route", AS)
    assert routed.record.state == "in_repair"
    assert [type(c) for c in routed.commands] == [OpenRepair, OpenRepair]
    assert not any(c.under_warranty for c in routed.commands if isinstance(c, OpenRepair))
    part = ReplacedPart(product="Screen", quantity=1, unit_price=Decimal("40"))
    fixed = go(
        routed.record, "finish_repair", MAINT, repairs_done="new screen", replaced_parts=(part,)
    )
    assert fixed.record.state == "refurbished"
    assert fixed.commands == (
        ChargeParts(reference="RF/0001", parts=(Item(product="Screen", quantity=1),)),
    )
    stocked = go(fixed.record, "stock_in", AS)
    assert stocked.record.state == "awaiting_approval"
    items = (Item(product="X200", quantity=2, lot="L1"), Item(product="Cable", quantity=5))
    assert stocked.commands == (MoveToRefurbished(reference="RF/0001", items=items),)
    form = stocked.record.stock_in
    assert form is not None
    assert form.filled_by == "li"
    assert [(i.product, i.quantity) for i in form.items] == [("X200", 2), ("Cable", 5)]
    assert form.replaced_parts == (part,)
    assert form.approval is None
    approved = go(stocked.record, "approve_stock_in", GM)
    assert approved.record.state == "restocked"
    assert approved.decisions == ()
    assert approved.commands == (
        RestockForResale(reference="RF/0001", items=items, approved_by="boss"),
    )
    assert approved.record.stock_in is not None
    sig = approved.record.stock_in.approval
    assert sig is not None
    assert (sig.role, sig.user, sig.at) == (Role.GENERAL_MANAGER, "boss", NOW)
    rf = approved.record.return_form
    assert rf is not None
    settled = go(
        approved.record,
        "settle",
        SALES,
        return_form=rf.model_copy(update={"settlement": "credit_note"}),
    )
    assert settled.record.state == "settled"
    assert settled.commands == (IssueCreditNote(reference="RF/0001", items=items),)
    closed = go(settled.record, "close", SALES)
    assert closed.record.state == "closed"
    assert closed.commands == (SendSurvey(reference="RF/0001", customer="ACME Marine"),)


def test_settle_by_deduction() -> None:
    r = restocked()
    assert r.return_form is not None
    rf = r.return_form.model_copy(
        update={"settlement": "deduction", "deduction_amount": Decimal("80.00")}
    )
    step = go(r, "settle", HEAD, return_form=rf)
    assert step.commands == (
        RecordDeduction(
            reference="RF/0001", amount=Decimal("80.00"), note="deducted by the business"
        ),
    )


def test_settle_by_payment_pays_the_credit_note_out() -> None:
    # Issue 7: "payment" is an outbound payment of the refund to the customer.
    r = restocked()
    assert r.return_form is not None
    step = go(
        r, "settle", SALES, return_form=r.return_form.model_copy(update={"settlement": "payment"})
    )
    assert step.record.state == "settled"
    assert step.commands == (
        IssueCreditNote(
            reference="RF/0001", items=(Item(product="X200", quantity=1, lot="L1"),), pay_out=True
        ),
    )


def test_settle_needs_a_settlement() -> None:
    err = refused(restocked(), "settle", SALES)
    assert isinstance(err, GuardFailed) and "settlement" in str(err)
    no_form = restocked().model_copy(update={"return_form": None})
    err = refused(no_form, "settle", SALES)
    assert isinstance(err, GuardFailed)


def test_a_deduction_needs_its_amount() -> None:
    r = restocked()
    assert r.return_form is not None
    bad = {**r.return_form.model_dump(), "settlement": "deduction"}
    err = refused(r, "settle", SALES, return_form=bad)
    assert isinstance(err, InvalidInput) and err.field == "return_form.deduction_amount"


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param((host(5),), id="5-hosts"),
        pytest.param((acc(15),), id="15-accessories"),
    ],
)
def test_large_refund_return_is_reworked_inspected_and_restocked(
    lines: tuple[ReturnLine, ...],
) -> None:
    routed = go(received(*lines), "route", actor(Role.SYSTEM))
    assert routed.record.state == "in_rework"
    assert all(isinstance(c, StartRework) for c in routed.commands)
    inspection = go(routed.record, "finish_rework", PROD, repairs_done="refurbished").record
    assert inspection.state == "inspection"
    refurb = go(inspection, "pass_inspection", QA).record
    assert refurb.state == "refurbished"
    awaiting = go(refurb, "stock_in", PROD).record
    assert go(awaiting, "approve_stock_in", GM).record.state == "restocked"


def test_four_hosts_and_fourteen_accessories_stay_with_after_sales() -> None:
    assert go(received(host(4), acc(14)), "route", AS).record.state == "in_repair"


def test_quality_exception_then_rework_then_refurbished() -> None:
    qe = go(received(host(8, lot="L4")), "route", ASM, needs_design_change=True)
    assert qe.record.state == "quality_exception"
    assert [type(c) for c in qe.commands] == [RequestBom]
    (order,) = qe.record.quality_exceptions
    answer = order.model_copy(update={"rework_bom": "BOM/7"})
    rework = go(qe.record, "issue_bom", RND, quality_exceptions=(answer,))
    assert rework.commands == (
        StartRework(
            reference="RF/0001", item=Item(product="X200", quantity=8, lot="L4"), bom="BOM/7"
        ),
    )
    insp = go(rework.record, "finish_rework", PROD, repairs_done="done").record
    back = go(insp, "fail_inspection", QA, test_findings="noise").record
    assert back.state == "in_rework"
    insp2 = go(back, "finish_rework", PROD, repairs_done="done again").record
    assert go(insp2, "pass_inspection", QA).record.state == "refurbished"


def test_refuse_a_refund_return() -> None:
    sub = go(
        draft(),
        "submit",
        AS,
        lines=(host(1),),
        return_form=ReturnForm(requested_at=NOW, reason="changed mind"),
        delivered_at=DELIVERED,
    ).record
    assert go(sub, "refuse", SALES).record.state == "refused"


def test_submit_refuses_a_repair_form() -> None:
    err = refused(
        draft(purpose="repair"),
        "submit",
        SALES,
        lines=(host(1),),
        return_form=ReturnForm(requested_at=NOW, reason="x"),
        delivered_at=DELIVERED,
    )
    assert isinstance(err, GuardFailed) and "returns for refund" in str(err)


def test_accept_outside_the_window_is_refused_r4() -> None:
    sub = go(
        draft(),
        "submit",
        SALES,
        lines=(host(1),),
        return_form=ReturnForm(requested_at=NOW, reason="x"),
        delivered_at=NOW - timedelta(days=40),
    ).record
    err = refused(sub, "accept", SALES, policy=Policy(return_acceptance_window_days=30))
    assert isinstance(err, GuardFailed) and err.rule == "R4"
    assert (
        go(sub, "accept", SALES, policy=Policy(return_acceptance_window_days=40)).record.state
        == "accepted"
    )


# --- R6: only the general manager approves -------------------------------------------------


def test_after_sales_manager_cannot_approve_by_default_r6() -> None:
    awaiting = go(refurbished(), "stock_in", AS).record
    err = refused(awaiting, "approve_stock_in", ASM)
    assert isinstance(err, GuardFailed) and err.rule == "R6"
    assert "general_manager" in str(err)


def test_after_sales_manager_may_approve_when_the_policy_allows() -> None:
    awaiting = go(refurbished(), "stock_in", AS).record
    step = go(awaiting, "approve_stock_in", ASM, policy=Policy(resale_requires_gm_approval=False))
    assert step.record.state == "restocked"
    assert step.commands[0] == RestockForResale(
        reference="RF/0001", items=(Item(product="X200", quantity=1, lot="L1"),), approved_by="wang"
    )


@pytest.mark.parametrize("role", [Role.SALESPERSON, Role.AFTER_SALES, Role.WAREHOUSE, Role.FINANCE])
def test_other_roles_cannot_approve_the_stock_in(role: Role) -> None:
    awaiting = go(refurbished(), "stock_in", AS).record
    err = refused(awaiting, "approve_stock_in", actor(role))
    assert isinstance(err, RoleNotAllowed)


def test_stock_in_and_approval_take_no_params() -> None:
    ref = refurbished()
    err = refused(ref, "stock_in", AS, stock_in=None)
    assert isinstance(err, InvalidInput) and err.field == "stock_in"


# --- every transition: wrong role, illegal state ------------------------------------------


def test_every_state_is_reachable_and_final_states_are_dead_ends() -> None:
    reachable = {WF.initial} | {s for t in WF.transitions for s in t.targets}
    assert reachable == set(WF.states)
    for state in WF.final:
        assert WF.actions_from(state) == ()
    assert "ship_back" not in WF.actions


# --- random walks -------------------------------------------------------------------------

_LINES = (host(1), acc(2))
_BIG = (host(1), acc(15))
_RF = ReturnForm(requested_at=NOW, reason="x")
PARAMS: list[dict[str, Any]] = [
    {},
    {"lines": _LINES, "return_form": _RF, "delivered_at": DELIVERED},
    {"lines": full(_LINES)},
    {"lines": _BIG, "return_form": _RF, "delivered_at": DELIVERED},
    {"lines": full(_BIG)},
    {"lines": (_LINES[0].model_copy(update={"received_quantity": 1}), _LINES[1])},
    {"needs_design_change": True},
    {"repairs_done": "done", "replaced_parts": (ReplacedPart(product="R", quantity=1),)},
    {"test_findings": "bad"},
    {
        "quality_exceptions": (
            QualityExceptionOrder(product="X", quantity=1, defect="d", rework_bom="B"),
        )
    },
    {
        "lines": (host(1, delivered_at=LONG_AGO, ref="a"), acc(2, ref="b")),
        "return_form": _RF,
        "delivered_at": DELIVERED,
    },
    {"return_form": _RF.model_copy(update={"settlement": "credit_note"})},
    {
        "return_form": _RF.model_copy(
            update={"settlement": "deduction", "deduction_amount": Decimal("5")}
        )
    },
    {"stock_in": None},
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(WF.actions),
            st.frozensets(st.sampled_from(list(Role)), max_size=4),
            st.sampled_from(PARAMS),
        ),
        max_size=30,
    )
)
def test_random_walks_stay_in_declared_states(
    moves: list[tuple[str, frozenset[Role], dict[str, Any]]],
) -> None:
    record = draft()
    for action, held, params in moves:
        snapshot = record.model_copy(deep=True)
        try:
            step = WF.apply(record, action, Actor(user="r", roles=held), params=params, now=NOW)
        except AftersalesError:
            assert record == snapshot
            continue
        assert record == snapshot
        assert step.record.state in WF.states
        assert step.record.state in WF.transition_for(record.state, action).targets
        if step.record.state == "restocked":
            assert step.record.stock_in is not None and step.record.stock_in.approval is not None
            assert Role.GENERAL_MANAGER in held
        record = step.record


WRITTEN = frozenset(
    {"return_form", "route", "quality_exceptions", "under_warranty", "charges", "stock_in"}
)
"""The fields transitions write themselves (never from params)."""

USEFUL: dict[str, dict[str, Any]] = {
    "route": {"needs_design_change": True},
    "finish_repair": {"repairs_done": "fixed"},
    "finish_rework": {"repairs_done": "reworked"},
    "fail_inspection": {"test_findings": "noisy"},
}
"""Params that let an action through, so guided walks get to the end."""


def useful(action: str, record: Form) -> dict[str, Any]:
    """Params that let ``action`` through on ``record``, so guided walks get to the end."""
    if action == "issue_bom" and record.quality_exceptions:
        return {
            "quality_exceptions": tuple(
                qe.model_copy(update={"rework_bom": f"B-{qe.product}"})
                for qe in record.quality_exceptions
            )
        }
    if action == "settle" and record.return_form is not None:
        return {"return_form": record.return_form.model_copy(update={"settlement": "credit_note"})}
    return USEFUL.get(action, {})


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_guided_random_walks_keep_the_invariants(data: st.DataObject) -> None:
    # Mostly legal actions by a holder of one of their roles, so walks get far; any
    # refusal (guards, R6, bad params, a random outsider) leaves the record unchanged.
    record = draft()
    for _ in range(40):
        options = WF.actions_from(record.state)
        if not options:
            assert record.state in WF.final
            break
        action = data.draw(st.sampled_from(options))
        t = WF.transition_for(record.state, action)
        role = data.draw(st.sampled_from([*sorted(t.roles, key=lambda r: r.value), Role.FINANCE]))
        params = data.draw(st.sampled_from([*PARAMS, useful(action, record)]))
        snapshot = record.model_copy(deep=True)
        try:
            step = WF.apply(record, action, actor(role), params=params, now=NOW)
        except AftersalesError:
            assert record == snapshot
            continue
        assert role in t.roles
        assert record == snapshot
        new = step.record
        assert new.state in t.targets
        changed = {f for f in type(new).model_fields if getattr(new, f) != getattr(record, f)}
        if action == "route":  # routing writes each received line's R10 decision, only that
            changed.discard("lines")
            for old, line in zip(record.lines, new.lines, strict=True):
                assert old.model_copy(update={"under_warranty": None}) == line.model_copy(
                    update={"under_warranty": None}
                )
            assert new.under_warranty == all(ln.under_warranty for ln in new.received_lines())
        assert changed <= t.updates | {"state"} | WRITTEN
        for cmd in step.commands:
            assert CommandAdapter.validate_json(cmd.model_dump_json()) == cmd
        if new.state in {"restocked", "settled", "closed"}:
            assert new.stock_in is not None and new.stock_in.approval is not None
            assert new.stock_in.approval.role == Role.GENERAL_MANAGER
        if action == "approve_stock_in":
            assert role == Role.GENERAL_MANAGER
            assert [type(c) for c in step.commands] == [RestockForResale]
        if new.state in {"settled", "closed"}:
            assert new.return_form is not None and new.return_form.settlement
        assert new.shipped_back_at is None
        event(f"reached {new.state}")
        record = new


def test_a_guided_walk_reaches_the_end() -> None:
    # The random walks rarely get far; this walk takes every step with the right actor.
    r = restocked(host(1), acc(1))
    assert r.return_form is not None
    settled = go(
        r,
        "settle",
        SALES,
        return_form=r.return_form.model_copy(update={"settlement": "credit_note"}),
    )
    assert go(settled.record, "close", AS).record.state == "closed"


def test_settling_cannot_rewrite_the_acceptance() -> None:
    r = restocked()
    assert r.return_form is not None
    forged = r.return_form.model_copy(
        update={"settlement": "credit_note", "accepted_by": "someone else"}
    )
    err = refused(r, "settle", SALES, return_form=forged)
    assert isinstance(err, GuardFailed) and "only" in str(err)
