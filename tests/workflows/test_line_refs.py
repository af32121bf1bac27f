"""Issue 7 in the core: keys, not names (refs on every command of both return workflows),
R10 decided per line when routing, and one quality exception order per product."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_core.commands import (
    ChargeParts,
    Command,
    IssueCreditNote,
    Item,
    MoveToRefurbished,
    OpenRepair,
    ReceiveReturn,
    RequestBom,
    RestockForResale,
    ShipBack,
    StartRework,
)
from aftersales_core.errors import AftersalesError, GuardFailed, InvalidInput
from aftersales_core.forms.returns import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
)
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.rules.warranty import in_warranty
from aftersales_core.workflows.engine import Actor, Step, Workflow
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)
RECENT = NOW - timedelta(days=30)
OLD = NOW - timedelta(days=400)
Form = ReturnTrackingForm
WORKFLOWS = {"repair": RETURN_FOR_REPAIR, "refund": REFUND_RETURN}


def actor(role: Role, user: str = "u") -> Actor:
    return Actor(user=user, roles=frozenset({role}))


SALES = actor(Role.SALESPERSON, "sun")
WAREHOUSE = actor(Role.WAREHOUSE, "qian")
AS = actor(Role.AFTER_SALES, "li")
MAINT = actor(Role.MAINTENANCE, "zhou")
PROD = actor(Role.PRODUCTION, "wu")
QA = actor(Role.QUALITY, "zheng")
RND = actor(Role.RND, "feng")
GM = actor(Role.GENERAL_MANAGER, "boss")


def line(ref: str, qty: int, product: str = "X200", **kw: Any) -> ReturnLine:
    cls = kw.pop("product_class", "accessory" if product == "Cable" else "host")
    return ReturnLine(ref=ref, product=product, product_class=cls, quantity=qty, **kw)


def apply(
    wf: Workflow[Form],
    record: Form,
    action: str,
    who: Actor,
    policy: Policy | None = None,
    **p: Any,
) -> Step[Form]:
    snapshot = record.model_copy(deep=True)
    step = wf.apply(record, action, who, params=p, policy=policy, now=NOW)
    assert record == snapshot
    return step


def refused(
    wf: Workflow[Form], record: Form, action: str, who: Actor, **params: Any
) -> AftersalesError:
    snapshot = record.model_copy(deep=True)
    with pytest.raises(AftersalesError) as err:
        wf.apply(record, action, who, params=params, now=NOW)
    assert record == snapshot
    return err.value


def submitted(purpose: str, *lines: ReturnLine, delivered_at: datetime = RECENT) -> Form:
    wf = WORKFLOWS[purpose]
    draft = Form(number="RT/9", purpose=purpose, customer="ACME", salesperson="sun")  # type: ignore[arg-type]
    return apply(
        wf,
        draft,
        "submit",
        SALES,
        lines=lines,
        return_form=ReturnForm(requested_at=NOW - timedelta(days=1), reason="faulty"),
        delivered_at=delivered_at,
    ).record


def received(purpose: str, *lines: ReturnLine, **kw: Any) -> Form:
    wf = WORKFLOWS[purpose]
    accepted = apply(wf, submitted(purpose, *lines, **kw), "accept", SALES).record
    full = tuple(ln.model_copy(update={"received_quantity": ln.quantity}) for ln in accepted.lines)
    return apply(wf, accepted, "receive", WAREHOUSE, lines=full).record


def refs(items: tuple[Item, ...]) -> list[str]:
    return [i.ref for i in items]


# --- refs on every command -----------------------------------------------------------------

TWO_DELIVERIES = (
    line("41", 1, sale_order="SO/1", delivered_at=RECENT),
    line("42", 2, sale_order="SO/2", delivered_at=OLD),
)
TWO_LOTS = (line("41", 1, lot="A"), line("42", 2, lot="B"))
NO_LOTS = (line("41", 1), line("42", 2))
SAME_PRODUCT = pytest.mark.parametrize(
    "lines",
    [
        pytest.param(TWO_DELIVERIES, id="two-deliveries"),
        pytest.param(TWO_LOTS, id="two-lots"),
        pytest.param(NO_LOTS, id="no-lots"),
        pytest.param(
            (line("41", 1, lot="A", delivered_at=OLD), line("42", 2, lot="B", sale_order="SO/2")),
            id="both",
        ),
    ],
)


@SAME_PRODUCT
@pytest.mark.parametrize("purpose", ["repair", "refund"])
def test_two_lines_of_one_product_get_a_repair_each(
    purpose: str, lines: tuple[ReturnLine, ...]
) -> None:
    wf = WORKFLOWS[purpose]
    accept = apply(wf, submitted(purpose, *lines), "accept", SALES)
    (receive,) = accept.commands
    assert isinstance(receive, ReceiveReturn)
    assert [(i.ref, i.product, i.quantity) for i in receive.items] == [
        ("41", "X200", 1),
        ("42", "X200", 2),
    ]
    full = tuple(ln.model_copy(update={"received_quantity": ln.quantity}) for ln in lines)
    rec = apply(wf, accept.record, "receive", WAREHOUSE, lines=full).record
    routed = apply(wf, rec, "route", AS)
    assert routed.record.state == "in_repair"
    repairs = [c for c in routed.commands if isinstance(c, OpenRepair)]
    assert [(c.item.ref, c.item.quantity, c.item.lot) for c in repairs] == [
        ("41", 1, lines[0].lot or None),
        ("42", 2, lines[1].lot or None),
    ]
    for cmd, ln in zip(repairs, routed.record.lines, strict=True):
        assert cmd.under_warranty is ln.under_warranty
    done = apply(wf, routed.record, "finish_repair", MAINT, repairs_done="fixed").record
    if purpose == "repair":
        (ship,) = apply(wf, done, "ship_back", WAREHOUSE).commands
        assert isinstance(ship, ShipBack) and refs(ship.items) == ["41", "42"]
        return
    stock = apply(wf, done, "stock_in", AS)
    (move,) = stock.commands
    assert isinstance(move, MoveToRefurbished) and refs(move.items) == ["41", "42"]
    assert stock.record.stock_in is not None
    assert [i.ref for i in stock.record.stock_in.items] == ["41", "42"]
    approved = apply(wf, stock.record, "approve_stock_in", GM)
    (restock,) = approved.commands
    assert isinstance(restock, RestockForResale) and refs(restock.items) == ["41", "42"]
    rf = approved.record.return_form
    assert rf is not None
    settle = apply(
        wf,
        approved.record,
        "settle",
        SALES,
        return_form=rf.model_copy(update={"settlement": "credit_note"}),
    )
    (credit,) = settle.commands
    assert isinstance(credit, IssueCreditNote)
    assert [(i.ref, i.quantity) for i in credit.items] == [("41", 1), ("42", 2)]


@SAME_PRODUCT
@pytest.mark.parametrize("purpose", ["repair", "refund"])
def test_two_lines_of_one_product_get_a_rework_each(
    purpose: str, lines: tuple[ReturnLine, ...]
) -> None:
    big = tuple(ln.model_copy(update={"quantity": ln.quantity + 4}) for ln in lines)
    routed = apply(WORKFLOWS[purpose], received(purpose, *big), "route", AS)
    assert routed.record.state == "in_rework"
    assert all(isinstance(c, StartRework) and c.bom is None for c in routed.commands)
    assert [(c.item.ref, c.item.quantity) for c in routed.commands] == [("41", 5), ("42", 6)]  # type: ignore[attr-defined]


def test_a_partial_receipt_keys_only_what_came() -> None:
    wf = RETURN_FOR_REPAIR
    accepted = apply(
        wf, submitted("repair", line("a", 2), line("b", 3, product="Cable")), "accept", SALES
    ).record
    part = (accepted.lines[0].model_copy(update={"received_quantity": 1}), accepted.lines[1])
    rec = apply(wf, accepted, "receive", WAREHOUSE, lines=part).record
    closed = apply(wf, rec, "close_receipt", SALES).record
    routed = apply(wf, closed, "route", AS)
    assert [(c.item.ref, c.item.quantity) for c in routed.commands] == [("a", 1)]  # type: ignore[attr-defined]
    assert [d.rule for d in routed.decisions] == ["R1", "R10"]
    assert routed.record.lines[1].under_warranty is None  # nothing came: no R10 for it


def test_replaced_parts_are_charged_by_their_ref() -> None:
    routed = apply(
        RETURN_FOR_REPAIR, received("repair", line("a", 1, delivered_at=OLD)), "route", AS
    )
    parts = (
        ReplacedPart(ref="p1", product="Relay", quantity=1, unit_price=Decimal("5")),
        ReplacedPart(ref="p2", product="Relay", quantity=2, unit_price=Decimal("5")),
    )
    done = apply(
        RETURN_FOR_REPAIR,
        routed.record,
        "finish_repair",
        MAINT,
        repairs_done="x",
        replaced_parts=parts,
    )
    assert done.commands == (
        ChargeParts(
            reference="RT/9",
            parts=(
                Item(ref="p1", product="Relay", quantity=1),
                Item(ref="p2", product="Relay", quantity=2),
            ),
        ),
    )


def test_two_lines_with_one_ref_are_refused_naming_lines() -> None:
    draft = Form(number="RT/9", purpose="repair", customer="ACME")
    err = refused(
        RETURN_FOR_REPAIR,
        draft,
        "submit",
        SALES,
        lines=(line("7", 1), line("7", 1, lot="B")),
        return_form=ReturnForm(requested_at=NOW, reason="x"),
        delivered_at=RECENT,
    )
    assert isinstance(err, InvalidInput) and err.field == "lines"
    assert "'7'" in str(err)


def test_a_receipt_cannot_rekey_a_line() -> None:
    wf = RETURN_FOR_REPAIR
    accepted = apply(wf, submitted("repair", line("a", 1), line("b", 1)), "accept", SALES).record
    swapped = (
        accepted.lines[0].model_copy(update={"ref": "c", "received_quantity": 1}),
        accepted.lines[1].model_copy(update={"received_quantity": 1}),
    )
    err = refused(wf, accepted, "receive", WAREHOUSE, lines=swapped)
    assert isinstance(err, GuardFailed) and "lines[0]" in str(err)


# A random return: 1-4 lines of three products, optional lots, some received in part.
LINES = st.lists(
    st.tuples(
        st.sampled_from(["X200", "Y300", "Cable"]),
        st.sampled_from(["", "L1", "L2"]),
        st.integers(1, 9),
        st.integers(0, 9),
        st.sampled_from([RECENT, OLD, None]),
    ),
    min_size=1,
    max_size=4,
)


def _each_line_once(commands: tuple[Command, ...], lines: tuple[ReturnLine, ...]) -> None:
    items = [c.item for c in commands if isinstance(c, (OpenRepair, StartRework))]
    assert [(i.ref, i.product, i.quantity, i.lot) for i in items] == [
        (ln.ref, ln.product, ln.received_quantity, ln.lot or None) for ln in lines
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=LINES,
    purpose=st.sampled_from(["repair", "refund"]),
    design_change=st.booleans(),
)
def test_refs_survive_to_every_command(
    spec: list[tuple[str, str, int, int, datetime | None]], purpose: str, design_change: bool
) -> None:
    wf = WORKFLOWS[purpose]
    lines = tuple(
        line(f"L{i}", qty, product, lot=lot, delivered_at=at)
        for i, (product, lot, qty, _, at) in enumerate(spec, start=1)
    )
    accept = apply(wf, submitted(purpose, *lines), "accept", SALES)
    (receive,) = accept.commands
    assert isinstance(receive, ReceiveReturn)
    assert refs(receive.items) == [ln.ref for ln in lines]
    got = tuple(
        ln.model_copy(update={"received_quantity": min(r, ln.quantity)})
        for ln, (_, _, _, r, _) in zip(accept.record.lines, spec, strict=True)
    )
    if not any(ln.received_quantity for ln in got):
        got = (got[0].model_copy(update={"received_quantity": 1}), *got[1:])
    rec = apply(wf, accept.record, "receive", WAREHOUSE, lines=got).record
    if rec.state == "partially_received":
        rec = apply(wf, rec, "close_receipt", SALES).record
    step = apply(wf, rec, "route", AS, needs_design_change=design_change)
    came = step.record.received_lines()
    if step.record.state == "quality_exception":
        orders = step.record.quality_exceptions
        assert [o.product for o in orders] == list(dict.fromkeys(ln.product for ln in came))
        for order, cmd in zip(orders, step.commands, strict=True):
            assert isinstance(cmd, RequestBom)
            mine = [ln for ln in came if ln.product == order.product]
            assert order.line_refs == tuple(ln.ref for ln in mine)
            assert cmd.line_refs == order.line_refs and cmd.item.ref == order.ref
            assert order.quantity == cmd.item.quantity == sum(ln.received_quantity for ln in mine)
        answers = tuple(o.model_copy(update={"rework_bom": f"BOM/{o.product}"}) for o in orders)
        step = apply(wf, step.record, "issue_bom", RND, quality_exceptions=answers)
        assert all(c.bom == f"BOM/{c.item.product}" for c in step.commands)  # type: ignore[attr-defined]
    _each_line_once(step.commands, came)
    for ln in step.record.lines:
        delivered = ln.delivered_at or RECENT
        if ln.received_quantity:
            assert ln.under_warranty == in_warranty(delivered, NOW, ln.warranty_category)
        else:
            assert ln.under_warranty is None
    if step.record.state == "in_repair":
        step = apply(wf, step.record, "finish_repair", MAINT, repairs_done="x")
    else:
        insp = apply(wf, step.record, "finish_rework", PROD, repairs_done="x").record
        step = apply(wf, insp, "pass_inspection", QA)
    want = [ln.ref for ln in came]
    if purpose == "repair":
        (ship,) = apply(wf, step.record, "ship_back", SALES).commands
        assert isinstance(ship, ShipBack) and refs(ship.items) == want
        return
    stock = apply(wf, step.record, "stock_in", AS)
    approved = apply(wf, stock.record, "approve_stock_in", GM)
    rf = approved.record.return_form
    assert rf is not None
    settle = apply(
        wf,
        approved.record,
        "settle",
        SALES,
        return_form=rf.model_copy(update={"settlement": "credit_note"}),
    )
    for cmd in (*stock.commands, *approved.commands, *settle.commands):
        assert isinstance(cmd, (MoveToRefurbished, RestockForResale, IssueCreditNote))
        assert refs(cmd.items) == want
        assert [i.quantity for i in cmd.items] == [ln.received_quantity for ln in came]


# --- R10 per line ---------------------------------------------------------------------------


def test_a_line_delivered_long_ago_is_not_under_warranty_while_a_recent_one_is() -> None:
    rec = received("repair", line("old", 1, delivered_at=OLD), line("new", 1, delivered_at=RECENT))
    step = apply(RETURN_FOR_REPAIR, rec, "route", AS)
    assert [(d.rule, d.outcome) for d in step.decisions] == [
        ("R1", "after_sales"),
        ("R10", "paid_service"),
        ("R10", "free_repair"),
    ]
    assert [ln.under_warranty for ln in step.record.lines] == [False, True]
    assert step.record.under_warranty is False  # not every line is free
    assert [(c.item.ref, c.under_warranty) for c in step.commands] == [  # type: ignore[attr-defined]
        ("old", False),
        ("new", True),
    ]
    assert step.history.decisions == step.decisions


def test_a_line_without_its_own_delivery_uses_the_forms() -> None:
    rec = received("repair", line("a", 1), line("b", 1, delivered_at=RECENT), delivered_at=OLD)
    step = apply(RETURN_FOR_REPAIR, rec, "route", AS)
    assert [ln.under_warranty for ln in step.record.lines] == [False, True]
    assert step.decisions[1].facts["delivered_at"] == OLD.isoformat()


def test_each_line_uses_its_categorys_warranty_months() -> None:
    ten_months = NOW - timedelta(days=305)
    policy = Policy(warranty_months={"controller": 24, "sensor": 6}, default_warranty_months=12)
    rec = received(
        "repair",
        line("c", 1, warranty_category="controller"),
        line("s", 1, product="SN-5", product_class="accessory", warranty_category="sensor"),
        line("d", 1, product="Z9"),
        delivered_at=ten_months,
    )
    step = apply(RETURN_FOR_REPAIR, rec, "route", AS, policy=policy)
    r10 = step.decisions[1:]
    assert [d.facts["warranty_months"] for d in r10] == [24, 6, 12]
    assert [d.facts["category"] for d in r10] == ["controller", "sensor", ""]
    assert [ln.under_warranty for ln in step.record.lines] == [True, False, True]


def test_every_line_free_makes_the_repair_free_r7() -> None:
    rec = received("repair", line("a", 1), line("b", 1, product="Cable"))
    step = apply(RETURN_FOR_REPAIR, rec, "route", AS)
    assert step.record.under_warranty is True
    part = ReplacedPart(product="Relay", quantity=1, unit_price=Decimal("9"))
    done = apply(
        RETURN_FOR_REPAIR,
        step.record,
        "finish_repair",
        MAINT,
        repairs_done="x",
        replaced_parts=(part,),
    )
    assert done.decisions[0].outcome == "free" and done.commands == ()


def test_r10_decides_at_routing_time_from_the_policy() -> None:
    rec = received("repair", line("a", 1, delivered_at=NOW - timedelta(days=100)))
    short = apply(RETURN_FOR_REPAIR, rec, "route", AS, policy=Policy(default_warranty_months=3))
    long = apply(RETURN_FOR_REPAIR, rec, "route", AS, policy=Policy(default_warranty_months=4))
    assert short.record.lines[0].under_warranty is False
    assert long.record.lines[0].under_warranty is True


@settings(max_examples=100, deadline=None)
@given(days=st.integers(0, 1500), months=st.integers(0, 48))
def test_r10_per_line_matches_the_rule(days: int, months: int) -> None:
    delivered = NOW - timedelta(days=days)
    policy = Policy(warranty_months={"gauge": months})
    rec = received("refund", line("g", 1, warranty_category="gauge", delivered_at=delivered))
    step = apply(REFUND_RETURN, rec, "route", AS, policy=policy)
    expected = in_warranty(delivered, NOW, "gauge", policy=policy)
    assert step.record.lines[0].under_warranty is expected
    assert step.record.under_warranty is expected


def test_the_host_cannot_decide_warranty() -> None:
    rec = received("repair", line("a", 1, delivered_at=OLD))
    err = refused(RETURN_FOR_REPAIR, rec, "route", AS, under_warranty=True)
    assert isinstance(err, InvalidInput) and err.field == "under_warranty"
    # a line submitted as "under warranty" is decided again when routed
    forged = received("repair", line("a", 1, delivered_at=OLD, under_warranty=True))
    step = apply(RETURN_FOR_REPAIR, forged, "route", AS)
    assert step.record.lines[0].under_warranty is False


def test_routing_a_line_with_no_delivery_date_names_it() -> None:
    rec = received("repair", line("a", 1, delivered_at=RECENT), line("b", 1))
    undated = rec.model_copy(update={"delivered_at": None})
    err = refused(RETURN_FOR_REPAIR, undated, "route", AS)
    assert isinstance(err, InvalidInput) and err.field == "lines[1].delivered_at"


def test_routing_refuses_a_line_delivered_after_the_routing_time() -> None:
    # Two equal lines: the error names the second one, not the first equal line.
    rec = received("repair", line("", 1), line("", 1, delivered_at=NOW + timedelta(days=1)))
    err = refused(RETURN_FOR_REPAIR, rec, "route", AS)
    assert isinstance(err, InvalidInput) and err.field == "lines[1].delivered_at"
    assert "before they were delivered" in str(err)
    same_moment = received("repair", line("a", 1, delivered_at=NOW))
    step = apply(RETURN_FOR_REPAIR, same_moment, "route", AS)
    assert step.record.lines[0].under_warranty is True


# --- one quality exception order per product ------------------------------------------------


def _qe(*lines: ReturnLine, purpose: str = "repair", **kw: Any) -> Step[Form]:
    step = apply(
        WORKFLOWS[purpose], received(purpose, *lines, **kw), "route", AS, needs_design_change=True
    )
    assert step.record.state == "quality_exception"
    return step


def test_two_lots_of_one_product_make_one_order_covering_both_lines() -> None:
    step = _qe(line("a", 3, lot="L1", problem="hot"), line("b", 4, lot="L2", problem="hot"))
    (order,) = step.record.quality_exceptions
    assert (order.product, order.lot, order.quantity, order.line_refs, order.defect) == (
        "X200",
        "L1, L2",
        7,
        ("a", "b"),
        "hot",
    )
    assert step.commands == (
        RequestBom(
            reference="RT/9",
            item=Item(product="X200", quantity=7, lot="L1, L2"),
            defect="hot",
            line_refs=("a", "b"),
        ),
    )


def test_two_products_make_two_orders_and_each_rework_uses_its_bom() -> None:
    step = _qe(
        line("a", 3, lot="L1"),
        line("c", 20, product="Cable"),
        line("b", 3, lot="L2"),
        purpose="refund",
    )
    orders = step.record.quality_exceptions
    assert [(o.product, o.line_refs, o.quantity) for o in orders] == [
        ("X200", ("a", "b"), 6),
        ("Cable", ("c",), 20),
    ]
    assert [c.line_refs for c in step.commands] == [("a", "b"), ("c",)]  # type: ignore[attr-defined]
    answers = (
        orders[0].model_copy(update={"rework_bom": "BOM/X200-R2", "ref": "QE/1"}),
        orders[1].model_copy(update={"rework_bom": "BOM/CABLE-R2", "rnd_decision": "thicker"}),
    )
    bom = apply(REFUND_RETURN, step.record, "issue_bom", RND, quality_exceptions=answers)
    assert bom.record.quality_exceptions == answers
    assert [(c.item.ref, c.bom) for c in bom.commands] == [  # type: ignore[attr-defined]
        ("a", "BOM/X200-R2"),
        ("c", "BOM/CABLE-R2"),
        ("b", "BOM/X200-R2"),
    ]


def test_the_order_counts_what_was_received() -> None:
    wf = RETURN_FOR_REPAIR
    accepted = apply(wf, submitted("repair", line("a", 9)), "accept", SALES).record
    part = apply(
        wf,
        accepted,
        "receive",
        WAREHOUSE,
        lines=(accepted.lines[0].model_copy(update={"received_quantity": 6}),),
    ).record
    closed = apply(wf, part, "close_receipt", SALES).record
    step = apply(wf, closed, "route", AS, needs_design_change=True)
    (order,) = step.record.quality_exceptions
    assert order.quantity == 6
    assert step.commands[0].item.quantity == 6  # type: ignore[attr-defined]


def test_rnd_must_answer_every_order() -> None:
    step = _qe(line("a", 5), line("c", 20, product="Cable"))
    orders = step.record.quality_exceptions
    one = (orders[0].model_copy(update={"rework_bom": "B1"}), orders[1])
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=one)
    assert isinstance(err, GuardFailed) and err.rule == "R2"
    assert "quality_exceptions[1].rework_bom" in str(err) and "Cable" in str(err)
    dropped = (orders[0].model_copy(update={"rework_bom": "B1"}),)
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=dropped)
    assert isinstance(err, GuardFailed) and "add or remove" in str(err)
    answered = tuple(o.model_copy(update={"rework_bom": "B"}) for o in orders)
    swapped = (answered[1], answered[0])
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=swapped)
    assert isinstance(err, GuardFailed) and "stays" in str(err)
    rekeyed = (answered[0].model_copy(update={"line_refs": ("c",)}), answered[1])
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=rekeyed)
    assert isinstance(err, GuardFailed) and "quality_exceptions[0]" in str(err)
    extra = (*answered, QualityExceptionOrder(product="Z", quantity=1, defect="d", rework_bom="B"))
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=extra)
    assert isinstance(err, GuardFailed) and "add or remove" in str(err)
    err = refused(RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=())
    assert isinstance(err, GuardFailed) and err.rule == "R2"
    assert (
        apply(
            RETURN_FOR_REPAIR, step.record, "issue_bom", RND, quality_exceptions=answered
        ).record.state
        == "in_rework"
    )


def test_only_routing_writes_the_orders() -> None:
    rec = received("repair", line("a", 1))
    order = QualityExceptionOrder(product="X200", quantity=1, defect="d")
    err = refused(RETURN_FOR_REPAIR, rec, "route", AS, quality_exceptions=(order,))
    assert isinstance(err, InvalidInput) and err.field == "quality_exceptions"


# --- R7 per line: a part replaced on a free line is free ---------------------------------------


def _mixed_repair() -> Step[Form]:
    rec = received("repair", line("old", 1, delivered_at=OLD), line("new", 1, delivered_at=RECENT))
    return apply(RETURN_FOR_REPAIR, rec, "route", AS)


def test_parts_follow_the_warranty_of_their_own_line() -> None:
    routed = _mixed_repair()
    parts = (
        ReplacedPart(ref="p1", line_ref="old", product="Fuse", quantity=2, unit_price=Decimal("3")),
        ReplacedPart(ref="p2", line_ref="new", product="Relay", quantity=1, unit_price=Decimal("9")),
    )
    step = apply(
        RETURN_FOR_REPAIR, routed.record, "finish_repair", MAINT, repairs_done="x", replaced_parts=parts
    )
    assert step.record.charges == Decimal("6")
    (charge,) = step.commands
    assert isinstance(charge, ChargeParts)
    assert [(p.ref, p.quantity) for p in charge.parts] == [("p1", 2)]


def test_every_part_on_free_lines_charges_nothing() -> None:
    routed = _mixed_repair()
    parts = (ReplacedPart(line_ref="new", product="Relay", quantity=1, unit_price=Decimal("9")),)
    step = apply(
        RETURN_FOR_REPAIR, routed.record, "finish_repair", MAINT, repairs_done="x", replaced_parts=parts
    )
    assert step.record.charges == Decimal("0")
    assert step.commands == ()
    assert step.decisions[0].outcome == "free"


def test_a_part_naming_an_unknown_line_is_refused() -> None:
    routed = _mixed_repair()
    parts = (ReplacedPart(line_ref="nope", product="Relay", quantity=1),)
    with pytest.raises(InvalidInput, match=r"replaced_parts\[0\]\.line_ref"):
        apply(
            RETURN_FOR_REPAIR, routed.record, "finish_repair", MAINT, repairs_done="x", replaced_parts=parts
        )
