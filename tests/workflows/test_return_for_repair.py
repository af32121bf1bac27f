"""Workflow 2, Return for repair: every legal path (each R1/R2 route), refusals, random walks."""

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
    Item,
    OpenRepair,
    ReceiveReturn,
    RequestBom,
    SendSurvey,
    ShipBack,
    StartRework,
)
from aftersales_core.errors import (
    AftersalesError,
    GuardFailed,
    InvalidInput,
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
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR as WF

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)
DELIVERED = NOW - timedelta(days=20)
LONG_AGO = NOW - timedelta(days=400)
"""Delivered before the default 12 months of warranty (R10): repairs are charged."""
Form = ReturnTrackingForm


def actor(*held: Role, user: str = "u1") -> Actor:
    """An actor holding ``held``."""
    return Actor(user=user, roles=frozenset(held))


SALES = actor(Role.SALESPERSON, user="sun")
WAREHOUSE = actor(Role.WAREHOUSE, user="qian")
AS = actor(Role.AFTER_SALES, user="li")
SYSTEM = actor(Role.SYSTEM, user="system")
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
    """A new tracking form for a return for repair."""
    data: dict[str, Any] = {
        "number": "RT/0001",
        "purpose": "repair",
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


def submitted(*lines: ReturnLine, **params: Any) -> Form:
    """A submitted return request."""
    return go(
        draft(),
        "submit",
        SALES,
        lines=lines or (host(1, lot="L1", problem="no power"),),
        return_form=ReturnForm(requested_at=NOW - timedelta(days=1), reason="faulty"),
        delivered_at=DELIVERED,
        deliveries=("WH/OUT/7",),
        **params,
    ).record


def full(lines: tuple[ReturnLine, ...]) -> tuple[ReturnLine, ...]:
    """The lines received in full."""
    return tuple(line.model_copy(update={"received_quantity": line.quantity}) for line in lines)


def received(*lines: ReturnLine) -> Form:
    """An accepted request whose goods all arrived."""
    accepted = go(submitted(*lines), "accept", SALES).record
    return go(accepted, "receive", WAREHOUSE, lines=full(accepted.lines)).record


def routed(*lines: ReturnLine, **params: Any) -> Step[Form]:
    """The routing step of a fully received return."""
    return go(received(*lines), "route", AS, **params)


# --- front: submit, accept (R4), refuse, receive -------------------------------------------


def test_submit_records_the_request() -> None:
    r = submitted(host(2), acc(3))
    assert r.state == "requested"
    assert len(r.lines) == 2
    assert r.delivered_at == DELIVERED
    assert r.deliveries == ("WH/OUT/7",)


def test_submit_needs_lines_return_form_and_delivery_date() -> None:
    err = refused(draft(), "submit", SALES, lines=(host(1),))
    assert isinstance(err, GuardFailed) and err.rule == "form"
    assert "return_form" in str(err) and "delivered_at" in str(err)


def test_submit_refuses_a_refund_form() -> None:
    err = refused(
        draft(purpose="refund"),
        "submit",
        SALES,
        lines=(host(1),),
        return_form=ReturnForm(requested_at=NOW, reason="x"),
        delivered_at=DELIVERED,
    )
    assert isinstance(err, GuardFailed) and "returns for repair" in str(err)


def test_submit_refuses_a_bad_line_naming_the_field() -> None:
    err = refused(
        draft(),
        "submit",
        SALES,
        lines=({"product": "X", "product_class": "host", "quantity": 0},),
    )
    assert isinstance(err, InvalidInput) and err.field.startswith("lines.0")


def test_accept_records_r4_and_expects_the_goods() -> None:
    step = go(submitted(host(2, lot="L1"), acc(3)), "accept", SALES)
    assert step.record.state == "accepted"
    assert step.decisions[0].rule == "R4"
    assert step.decisions[0].outcome == "review"  # no window in the default policy
    assert step.record.return_form is not None
    assert step.record.return_form.acceptance == "accept"
    assert step.record.return_form.accepted_by == "sun"
    assert step.commands == (
        ReceiveReturn(
            reference="RT/0001",
            items=(Item(product="X200", quantity=2, lot="L1"), Item(product="Cable", quantity=3)),
        ),
    )


def test_accept_within_the_policy_window() -> None:
    step = go(submitted(), "accept", SALES, policy=Policy(return_acceptance_window_days=30))
    assert step.decisions[0].outcome == "accept"


def test_accept_after_the_policy_window_is_refused_r4() -> None:
    err = refused(submitted(), "accept", SALES, policy=Policy(return_acceptance_window_days=7))
    assert isinstance(err, GuardFailed) and err.rule == "R4"
    assert "window" in str(err)


def test_accept_refuses_a_request_dated_before_the_delivery() -> None:
    record = go(
        draft(),
        "submit",
        SALES,
        lines=(host(1),),
        return_form=ReturnForm(requested_at=DELIVERED - timedelta(days=1), reason="x"),
        delivered_at=DELIVERED,
    ).record
    err = refused(record, "accept", SALES)
    assert isinstance(err, InvalidInput) and err.field == "requested_at"


def test_refuse_ends_the_case() -> None:
    step = go(submitted(), "refuse", actor(Role.SALES_HEAD, user="head"))
    assert step.record.state == "refused"
    assert step.record.return_form is not None
    assert step.record.return_form.acceptance == "reject"
    assert step.record.return_form.accepted_by == "head"
    assert WF.actions_from("refused") == ()


def test_refuse_without_a_return_form_writes_nothing_more() -> None:
    record = draft().model_copy(update={"state": "requested"})
    step = go(record, "refuse", SALES)
    assert step.record.state == "refused" and step.record.return_form is None


def test_partial_receipts_then_complete() -> None:
    accepted = go(submitted(host(2), acc(10)), "accept", SALES).record
    h, a = accepted.lines
    first = go(
        accepted,
        "receive",
        WAREHOUSE,
        lines=(h.model_copy(update={"received_quantity": 1}), a),
    ).record
    assert first.state == "partially_received"
    second = go(
        first,
        "receive",
        SALES,
        lines=(
            h.model_copy(update={"received_quantity": 1}),
            a.model_copy(update={"received_quantity": 4}),
        ),
    ).record
    assert second.state == "partially_received"
    done = go(second, "receive", WAREHOUSE, lines=full(accepted.lines)).record
    assert done.state == "received" and done.fully_received


def test_close_receipt_routes_what_came() -> None:
    # 6 hosts requested, 4 came: R1 counts the received quantities -> after-sales.
    accepted = go(submitted(host(6)), "accept", SALES).record
    part = go(
        accepted,
        "receive",
        WAREHOUSE,
        lines=(accepted.lines[0].model_copy(update={"received_quantity": 4}),),
    ).record
    closed = go(part, "close_receipt", SALES).record
    assert closed.state == "received"
    step = go(closed, "route", AS)
    assert step.record.state == "in_repair"
    assert step.decisions[0].facts["hosts"] == 4
    # Delivered 20 days ago, within the default 12 months: R10 makes the repair free.
    assert [d.rule for d in step.decisions] == ["R1", "R10"]
    assert step.commands == (
        OpenRepair(
            reference="RT/0001", item=Item(product="X200", quantity=4), under_warranty=True
        ),
    )


def test_close_receipt_needs_something_received() -> None:
    record = submitted(host(2)).model_copy(update={"state": "partially_received"})
    err = refused(record, "close_receipt", SALES)
    assert isinstance(err, GuardFailed) and "nothing" in str(err)


def _accepted() -> Form:
    return go(submitted(host(2), acc(3)), "accept", SALES).record


def test_receipt_records_something() -> None:
    a = _accepted()
    err = refused(a, "receive", WAREHOUSE, lines=a.lines)
    assert isinstance(err, GuardFailed) and "no received quantity" in str(err)


def test_receipt_cannot_add_or_remove_lines() -> None:
    a = _accepted()
    err = refused(a, "receive", WAREHOUSE, lines=full(a.lines[:1]))
    assert isinstance(err, GuardFailed) and "add or remove" in str(err)


def test_receipt_cannot_edit_a_line() -> None:
    a = _accepted()
    edited = (a.lines[0].model_copy(update={"quantity": 9, "received_quantity": 2}), a.lines[1])
    err = refused(a, "receive", WAREHOUSE, lines=edited)
    assert isinstance(err, GuardFailed) and "lines[0]" in str(err)


def test_receipt_cannot_lower_what_was_received() -> None:
    a = _accepted()
    part = go(
        a,
        "receive",
        WAREHOUSE,
        lines=(a.lines[0].model_copy(update={"received_quantity": 2}), a.lines[1]),
    ).record
    lower = (
        a.lines[0].model_copy(update={"received_quantity": 1}),
        a.lines[1].model_copy(update={"received_quantity": 1}),
    )
    err = refused(part, "receive", WAREHOUSE, lines=lower)
    assert isinstance(err, GuardFailed) and "lower" in str(err)


def test_receipt_cannot_exceed_the_returned_quantity() -> None:
    a = _accepted()
    too_many = (
        {**a.lines[0].model_dump(), "received_quantity": 3},
        a.lines[1],
    )
    err = refused(a, "receive", WAREHOUSE, lines=too_many)
    assert isinstance(err, InvalidInput)
    assert err.field == "lines.0.received_quantity"


# --- routing at the R1 boundaries --------------------------------------------------------


def test_route_4_hosts_and_14_accessories_to_repair() -> None:
    step = routed(host(4, lot="H1"), acc(14), test_findings="bad relay")
    assert step.record.state == "in_repair"
    assert step.record.route == "after_sales"
    assert step.decisions[0].rule == "R1"
    assert [d.outcome for d in step.decisions[1:]] == ["free_repair", "free_repair"]
    assert step.record.under_warranty
    assert [line.under_warranty for line in step.record.lines] == [True, True]
    assert step.commands == (
        OpenRepair(
            reference="RT/0001",
            item=Item(product="X200", quantity=4, lot="H1"),
            under_warranty=True,
        ),
        OpenRepair(
            reference="RT/0001", item=Item(product="Cable", quantity=14), under_warranty=True
        ),
    )


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param((host(5),), id="5-hosts"),
        pytest.param((acc(15),), id="15-accessories"),
        pytest.param((host(4), acc(15)), id="4-hosts-15-accessories"),
        pytest.param((host(3, product="A"), host(2, product="B")), id="hosts-summed"),
    ],
)
def test_route_large_returns_to_rework(lines: tuple[ReturnLine, ...]) -> None:
    step = routed(*lines)
    assert step.record.state == "in_rework"
    assert step.record.route == "production"
    assert [type(c) for c in step.commands] == [StartRework] * len(lines)
    assert all(isinstance(c, StartRework) and c.bom is None for c in step.commands)


def test_route_large_with_design_change_to_quality_exception() -> None:
    step = routed(host(5, lot="L9", problem="overheats"), needs_design_change=True)
    assert step.record.state == "quality_exception"
    assert step.decisions[0].rule == "R2"
    (qe,) = step.record.quality_exceptions
    assert (qe.product, qe.lot, qe.quantity, qe.defect) == ("X200", "L9", 5, "overheats")
    assert step.commands == (
        RequestBom(
            reference="RT/0001", item=Item(product="X200", quantity=5, lot="L9"), defect="overheats"
        ),
    )


def test_quality_exception_defect_prefers_the_test_findings() -> None:
    step = routed(acc(20), needs_design_change=True, test_findings="connector too weak")
    assert [qe.defect for qe in step.record.quality_exceptions] == ["connector too weak"]
    bare = routed(acc(20), needs_design_change=True)
    assert [qe.defect for qe in bare.record.quality_exceptions] == ["design change needed"]


def test_small_return_needing_a_design_change_stays_with_after_sales() -> None:
    assert routed(host(4), needs_design_change=True).record.state == "in_repair"


def test_route_follows_a_custom_policy() -> None:
    step = go(received(host(3)), "route", SYSTEM, policy=Policy(return_host_threshold=3))
    assert step.record.state == "in_rework"


# --- repair, rework, quality exception, inspection, ship back -------------------------------


def test_full_repair_path_with_charged_parts() -> None:
    repair = routed(host(2, lot="L1", delivered_at=LONG_AGO)).record
    assert not repair.under_warranty
    parts = (
        ReplacedPart(product="Relay", quantity=2, unit_price=Decimal("12.50")),
        ReplacedPart(product="Fuse", quantity=1, under_warranty=True, unit_price=Decimal("3")),
    )
    done = go(repair, "finish_repair", MAINT, repairs_done="Replaced relays", replaced_parts=parts)
    assert done.record.state == "repaired"
    assert done.decisions[0].rule == "R7" and done.decisions[0].outcome == "charge"
    assert done.record.charges == Decimal("25.00")
    assert done.commands == (
        ChargeParts(reference="RT/0001", parts=(Item(product="Relay", quantity=2),)),
    )
    shipped = go(done.record, "ship_back", WAREHOUSE)
    assert shipped.record.state == "shipped"
    assert shipped.record.shipped_back_at == NOW
    assert shipped.commands == (
        ShipBack(reference="RT/0001", items=(Item(product="X200", quantity=2, lot="L1"),)),
    )
    closed = go(shipped.record, "close", SALES)
    assert closed.record.state == "closed"
    assert closed.commands == (SendSurvey(reference="RT/0001", customer="ACME Marine"),)


def test_repair_under_warranty_charges_nothing() -> None:
    repair = routed(host(1)).record  # delivered 20 days ago: under warranty (R10)
    assert repair.under_warranty
    parts = (ReplacedPart(product="Relay", quantity=1, unit_price=Decimal("9")),)
    done = go(repair, "finish_repair", AS, repairs_done="ok", replaced_parts=parts)
    assert done.decisions[0].outcome == "free"
    assert done.record.charges == Decimal("0")
    assert done.commands == ()


def test_repair_without_parts_charges_nothing() -> None:
    done = go(routed(host(1)).record, "finish_repair", MAINT, repairs_done="cleaned")
    assert done.decisions[0].outcome == "not_charged"
    assert done.commands == ()


def test_repair_when_the_policy_does_not_charge_parts() -> None:
    repair = routed(host(1, delivered_at=LONG_AGO)).record
    parts = (ReplacedPart(product="Relay", quantity=1, unit_price=Decimal("9")),)
    done = go(
        repair,
        "finish_repair",
        MAINT,
        policy=Policy(charge_replaced_parts=False),
        repairs_done="ok",
        replaced_parts=parts,
    )
    assert done.decisions[0].outcome == "not_charged"
    assert done.record.charges == Decimal("0")
    assert done.commands == ()


def test_finish_repair_needs_the_repairs_done() -> None:
    err = refused(routed(host(1)).record, "finish_repair", MAINT)
    assert isinstance(err, GuardFailed) and "repairs_done" in str(err)


def test_rework_inspection_loop_charges_each_part_once() -> None:
    rework = routed(host(5, delivered_at=LONG_AGO)).record
    relay = ReplacedPart(product="Relay", quantity=5, unit_price=Decimal("2"))
    first = go(rework, "finish_rework", PROD, repairs_done="reworked", replaced_parts=(relay,))
    assert first.record.state == "inspection"
    assert first.commands == (
        ChargeParts(reference="RT/0001", parts=(Item(product="Relay", quantity=5),)),
    )
    failed = go(first.record, "fail_inspection", QA, test_findings="still noisy")
    assert failed.record.state == "in_rework"
    fan = ReplacedPart(product="Fan", quantity=5, unit_price=Decimal("1"))
    again = go(
        failed.record,
        "finish_rework",
        actor(Role.PRODUCTION_MANAGER),
        repairs_done="reworked twice",
        replaced_parts=(relay, fan),
    )
    assert again.commands == (
        ChargeParts(reference="RT/0001", parts=(Item(product="Fan", quantity=5),)),
    )
    assert again.record.charges == Decimal("15")
    third = go(
        go(again.record, "fail_inspection", QA, test_findings="x").record,
        "finish_rework",
        PROD,
        repairs_done="ok",
    )
    assert third.commands == ()
    passed = go(third.record, "pass_inspection", QA)
    assert passed.record.state == "repaired"


def test_fail_inspection_needs_findings() -> None:
    inspection = go(routed(host(5)).record, "finish_rework", PROD, repairs_done="ok").record
    err = refused(inspection, "fail_inspection", QA, test_findings="")
    assert isinstance(err, GuardFailed) and "test_findings" in str(err)


def test_quality_exception_path_through_rnd() -> None:
    qe_state = routed(
        host(6, lot="L3"), needs_design_change=True, test_findings="design flaw"
    ).record
    err = refused(qe_state, "issue_bom", RND)
    assert isinstance(err, GuardFailed) and err.rule == "R2"
    (order,) = qe_state.quality_exceptions
    answer = order.model_copy(update={"rnd_decision": "new heatsink", "rework_bom": "BOM/X200-R2"})
    bom = go(qe_state, "issue_bom", RND, quality_exceptions=(answer,))
    assert bom.record.state == "in_rework"
    assert bom.commands == (
        StartRework(
            reference="RT/0001", item=Item(product="X200", quantity=6, lot="L3"), bom="BOM/X200-R2"
        ),
    )
    inspection = go(bom.record, "finish_rework", PROD, repairs_done="new heatsink fitted").record
    repaired = go(inspection, "pass_inspection", QA).record
    shipped = go(repaired, "ship_back", SALES).record
    assert go(shipped, "close", AS).record.state == "closed"


def test_issue_bom_needs_a_quality_exception_order() -> None:
    record = received(host(6)).model_copy(update={"state": "quality_exception"})
    err = refused(record, "issue_bom", RND)
    assert isinstance(err, GuardFailed) and err.rule == "R2"
    assert "no quality exception order" in str(err)
    err = refused(
        record,
        "issue_bom",
        RND,
        quality_exceptions=(QualityExceptionOrder(product="X200", quantity=6, defect="d"),),
    )
    assert isinstance(err, GuardFailed) and "rework_bom" in str(err)
    # An order R&D makes up itself is no answer to the orders routing opened.
    err = refused(
        record,
        "issue_bom",
        RND,
        quality_exceptions=(
            QualityExceptionOrder(product="X200", quantity=6, defect="d", rework_bom="B"),
        ),
    )
    assert isinstance(err, GuardFailed) and err.rule == "R2" and "add or remove" in str(err)


def test_route_may_set_only_its_fields() -> None:
    err = refused(received(host(1)), "route", AS, route="production")
    assert isinstance(err, InvalidInput) and err.field == "route"
    err = refused(received(host(1)), "route", AS, needs_design_chage=True)
    assert isinstance(err, InvalidInput) and err.field == "needs_design_chage"


# --- every transition: wrong role, illegal state ------------------------------------------


def test_every_state_is_reachable_and_final_states_are_dead_ends() -> None:
    reachable = {WF.initial} | {s for t in WF.transitions for s in t.targets}
    assert reachable == set(WF.states)
    assert WF.final == {"refused", "cancelled", "closed"}
    for state in WF.final:
        assert WF.actions_from(state) == ()


def test_cancel_before_anything_arrives() -> None:
    step = WF.apply(_accepted(), "cancel", SALES, now=NOW)
    assert step.record.state == "cancelled"
    assert [c.kind for c in step.commands] == ["notify"]
    assert step.commands[0].role == Role.WAREHOUSE  # type: ignore[union-attr]


# --- random walks -----------------------------------------------------------------------

_LINES = (host(2), acc(3))
_BIG = (host(6), acc(3))
PARAMS: list[dict[str, Any]] = [
    {},
    {
        "lines": _LINES,
        "return_form": ReturnForm(requested_at=NOW, reason="faulty"),
        "delivered_at": DELIVERED,
    },
    {"lines": (_LINES[0].model_copy(update={"received_quantity": 1}), _LINES[1])},
    {"lines": full(_LINES)},
    {
        "lines": _BIG,
        "return_form": ReturnForm(requested_at=NOW, reason="batch fault"),
        "delivered_at": DELIVERED,
    },
    {"lines": full(_BIG)},
    {"needs_design_change": True},
    {"test_findings": "x"},
    {
        "lines": (host(2, delivered_at=LONG_AGO, ref="old"), acc(3, ref="new")),
        "return_form": ReturnForm(requested_at=NOW, reason="faulty"),
        "delivered_at": DELIVERED,
    },
    {"repairs_done": "done", "replaced_parts": (ReplacedPart(product="R", quantity=1),)},
    {"test_findings": "bad"},
    {
        "quality_exceptions": (
            QualityExceptionOrder(product="X", quantity=1, defect="d", rework_bom="B"),
        )
    },
    {"state": "closed"},
    {"lines": ({"product": "", "product_class": "host", "quantity": 1},)},
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
        record = step.record


WRITTEN = frozenset(
    {"return_form", "route", "quality_exceptions", "under_warranty", "charges", "shipped_back_at"}
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


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_guided_random_walks_keep_the_invariants(data: st.DataObject) -> None:
    # Mostly legal actions by a holder of one of their roles, so walks get far; any
    # refusal (guards, bad params, a random outsider) must leave the record unchanged.
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
        assert changed <= t.updates | {"state"} | WRITTEN | _route_writes_lines(action)
        for cmd in step.commands:
            assert CommandAdapter.validate_json(cmd.model_dump_json()) == cmd
        if new.state in {"in_repair", "in_rework", "quality_exception"} and action == "route":
            assert new.route == step.decisions[0].outcome
            assert new.received_lines()
            _check_route_warranty(record, step)
        if new.state == "quality_exception":
            assert {qe.product for qe in new.quality_exceptions} == {
                line.product for line in new.received_lines()
            }
        if new.state in {"shipped", "closed"}:
            assert new.shipped_back_at == NOW
        assert new.stock_in is None
        event(f"reached {new.state}")
        record = new


def _route_writes_lines(action: str) -> frozenset[str]:
    """Routing writes each received line's R10 decision (checked by _check_route_warranty)."""
    return frozenset({"lines"}) if action == "route" else frozenset()


def _check_route_warranty(before: Form, step: Step[Form]) -> None:
    """Routing changed only ``under_warranty`` of the received lines, as R10 decided."""
    after = step.record
    r10 = iter(d for d in step.decisions if d.rule == "R10")
    for old, new in zip(before.lines, after.lines, strict=True):
        assert old.model_copy(update={"under_warranty": None}) == new.model_copy(
            update={"under_warranty": None}
        )
        if new.received_quantity > 0:
            assert new.under_warranty == (next(r10).outcome == "free_repair")
        else:
            assert new.under_warranty == old.under_warranty
    assert next(r10, None) is None
    received_lines = after.received_lines()
    assert after.under_warranty == all(line.under_warranty for line in received_lines)


def test_rnd_answers_the_order_without_rewriting_it() -> None:
    qe_state = routed(host(6), needs_design_change=True, test_findings="flaw").record
    (order,) = qe_state.quality_exceptions
    rewritten = order.model_copy(update={"quantity": 1, "defect": "nothing", "rework_bom": "BOM/9"})
    err = refused(qe_state, "issue_bom", RND, quality_exceptions=(rewritten,))
    assert isinstance(err, GuardFailed) and err.rule == "R2"
    assert "stays" in str(err)
