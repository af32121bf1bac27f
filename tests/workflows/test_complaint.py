"""Workflow 1, Complaint: every legal path, every refusal, random walks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aftersales_core.commands import CommandAdapter, Notify, RecordPayout, SendSurvey
from aftersales_core.errors import (
    AftersalesError,
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.workflows.complaint import COMPLAINT
from aftersales_core.workflows.engine import Actor, Step

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)
Form = ComplaintHandlingForm


def actor(*held: Role, user: str = "u1") -> Actor:
    """An actor holding ``held``."""
    return Actor(user=user, roles=frozenset(held))


AS = actor(Role.AFTER_SALES, user="li")
ASM = actor(Role.AFTER_SALES_MANAGER, user="wang")
QA = actor(Role.QUALITY, user="zhao")


def draft(**changes: Any) -> Form:
    """A fresh complaint as the hotline takes it."""
    data: dict[str, Any] = {
        "number": "CC/0001",
        "channel": "phone",
        "received_at": NOW,
        "customer": "ACME Marine",
        "description": "The display flickers after an hour.",
    }
    data.update(changes)
    return Form(**data)


def go(record: Form, action: str, who: Actor, **params: Any) -> Step[Form]:
    """Apply ``action`` and check the original record did not change."""
    snapshot = record.model_copy(deep=True)
    step = COMPLAINT.apply(record, action, who, params=params, now=NOW)
    assert record == snapshot
    return step


def received(**params: Any) -> Form:
    """A recorded complaint."""
    return go(draft(), "record", AS, product="X200", lot="L7", **params).record


def assessed(**params: Any) -> Form:
    """An assessed complaint (R11, maybe R12)."""
    return go(received(), "assess", AS, **params).record


# --- legal paths ----------------------------------------------------------------------


def test_record_takes_the_complaint_details() -> None:
    step = go(
        draft(),
        "record",
        AS,
        contact="Mr Chen 138",
        product="X200",
        lot="L7",
        quantity=3,
        sale_order="SO/12",
        remedy_sought="replacement",
        photos=("p1.jpg",),
        category="display",
    )
    r = step.record
    assert r.state == "received"
    assert (r.product, r.lot, r.quantity, r.photos, r.category) == (
        "X200",
        "L7",
        3,
        ("p1.jpg",),
        "display",
    )
    assert step.commands == ()


@pytest.mark.parametrize("role", [Role.SALESPERSON, Role.CUSTOMER, Role.SYSTEM, Role.AFTER_SALES])
def test_record_by_every_recording_role(role: Role) -> None:
    assert go(draft(), "record", actor(role)).record.state == "received"


def test_answer_on_the_spot_then_close_sends_a_survey() -> None:
    answered = go(received(), "answer_on_spot", AS, handling_opinion="Reset the unit.")
    assert answered.record.state == "answered"
    assert answered.record.answered_on_spot is True
    closed = go(answered.record, "close", AS, customer_accepted=True)
    assert closed.record.state == "closed"
    assert closed.commands == (SendSurvey(reference="CC/0001", customer="ACME Marine"),)


def test_close_surveys_the_final_customer_too() -> None:
    """R20 (004 §6.1.2): the end user named on the case is surveyed as well, unless the
    policy keeps surveys to direct customers; the direct customer named again is not."""
    answered = go(received(), "answer_on_spot", AS, handling_opinion="Reset the unit.").record
    with_end_user = answered.model_copy(update={"final_customer": "Ocean Star Shipping"})
    closed = go(with_end_user, "close", AS, customer_accepted=True)
    assert closed.commands == (
        SendSurvey(reference="CC/0001", customer="ACME Marine"),
        SendSurvey(reference="CC/0001", customer="Ocean Star Shipping", final_customer=True),
    )
    step = COMPLAINT.apply(
        with_end_user, "close", AS, params={"customer_accepted": True},
        policy=Policy(survey_final_customers=False), now=NOW,
    )
    assert step.commands == (SendSurvey(reference="CC/0001", customer="ACME Marine"),)
    same = answered.model_copy(update={"final_customer": "acme marine"})
    assert len(go(same, "close", AS, customer_accepted=True).commands) == 1


def test_close_without_survey_when_the_policy_says_so() -> None:
    answered = go(received(), "answer_on_spot", AS, handling_opinion="Reset.").record
    step = COMPLAINT.apply(
        answered,
        "close",
        AS,
        params={"customer_accepted": True},
        policy=Policy(survey_after_closed_case=False),
        now=NOW,
    )
    assert step.record.state == "closed"
    assert step.commands == ()


@pytest.mark.parametrize(
    ("cause", "responsibility"),
    [
        ("not_company", "explain_to_customer"),
        ("quantity", "after_sales_or_dealer"),
        ("delivery_time", "after_sales_or_dealer"),
        ("transport_damage", "after_sales_or_dealer"),
        ("construction_quality", "dealer_at_own_cost"),
    ],
)
def test_assess_then_explain(cause: str, responsibility: str) -> None:
    step = go(received(), "assess", QA, cause=cause, category="scratch")
    assert step.record.state == "assessed"
    assert step.record.responsibility == responsibility
    assert step.record.same_batch_result is None
    assert [d.rule for d in step.decisions] == ["R11"]
    assert step.history.decisions == step.decisions
    explained = go(step.record, "explain", AS, handling_opinion="Explained the cause.")
    assert explained.record.state == "answered"
    assert explained.record.resolution == "explained"
    closed = go(explained.record, "close", AS, customer_accepted=True)
    assert closed.record.state == "closed"


def test_product_quality_payout_path() -> None:
    a = assessed(cause="product_quality")
    assert a.responsibility == "payout_after_testing"
    paid = go(
        a, "start_payout", ASM, payout_amount=Decimal("1200.50"), handling_opinion="Pay 1200.50"
    )
    assert paid.record.state == "payout"
    assert paid.record.resolution == "payout"
    assert paid.commands == (
        RecordPayout(reference="CC/0001", amount=Decimal("1200.50"), note="Pay 1200.50"),
    )
    closed = go(paid.record, "close", ASM, customer_accepted=True)
    assert closed.record.state == "closed"


def test_same_batch_without_similar_defect_allows_a_payout() -> None:
    # R12: stock of the lot tested without a similar defect -> handling opinion + payout,
    # even when the R11 cause alone would not pay.
    a = assessed(cause="quantity", quality_complaint=True, stock_of_lot=4, similar_defect=False)
    assert a.same_batch_result == "handling_opinion_and_payout"
    paid = go(a, "start_payout", ASM, payout_amount=Decimal("10"), handling_opinion="ok")
    assert paid.record.state == "payout"


@pytest.mark.parametrize(
    ("stock", "similar", "outcome"),
    [
        (0, None, "photos_and_product"),
        (6, None, "test_stock"),
        (6, True, "customer_returns_product"),
        (6, False, "handling_opinion_and_payout"),
    ],
)
def test_assess_records_the_same_batch_check(
    stock: int, similar: bool | None, outcome: str
) -> None:
    step = go(
        received(),
        "assess",
        QA,
        cause="product_quality",
        quality_complaint=True,
        stock_of_lot=stock,
        similar_defect=similar,
    )
    assert step.record.same_batch_result == outcome
    assert [d.rule for d in step.decisions] == ["R11", "R12"]


def test_same_batch_check_only_for_quality_complaints() -> None:
    a = assessed(cause="product_quality", stock_of_lot=3)
    assert a.same_batch_result is None


@pytest.mark.parametrize(
    ("resolution", "kind"), [("return_for_repair", "repair"), ("refund_return", "refund")]
)
def test_request_return_notifies_the_salesperson(resolution: str, kind: str) -> None:
    a = assessed(
        cause="product_quality", quality_complaint=True, stock_of_lot=2, similar_defect=True
    )
    step = go(a, "request_return", AS, resolution=resolution, handling_opinion="Return it")
    assert step.record.state == "return_requested"
    assert step.record.resolution == resolution
    (cmd,) = step.commands
    assert isinstance(cmd, Notify)
    assert cmd.role == Role.SALESPERSON
    assert kind in cmd.message and "ACME Marine" in cmd.message
    assert go(step.record, "close", AS, customer_accepted=True).record.state == "closed"


def test_dispatch_service_then_close() -> None:
    step = go(assessed(cause="product_quality"), "dispatch_service", AS)
    assert step.record.state == "on_site"
    assert step.record.resolution == "on_site"
    (cmd,) = step.commands
    assert isinstance(cmd, Notify) and cmd.role == Role.AFTER_SALES
    assert go(step.record, "close", AS, customer_accepted=True).record.state == "closed"


def test_unnumbered_case_uses_a_placeholder_reference() -> None:
    rec = go(draft(number=None), "record", AS).record
    a = go(rec, "assess", AS, cause="product_quality").record
    step = go(a, "dispatch_service", AS)
    assert step.commands[0].reference == "unnumbered"


def in_state(state: str) -> Form:
    """A complaint brought to ``state`` by the legal path."""
    if state == "draft":
        return draft()
    if state == "received":
        return received()
    if state == "answered":
        return go(received(), "answer_on_spot", AS, handling_opinion="Reset the unit.").record
    if state == "assessed":
        return assessed(cause="quantity")
    if state == "return_requested":
        a = assessed(cause="product_quality")
        return go(a, "request_return", AS, resolution="return_for_repair").record
    if state == "on_site":
        return go(assessed(cause="product_quality"), "dispatch_service", AS).record
    if state == "payout":
        a = assessed(cause="product_quality")
        return go(a, "start_payout", ASM, payout_amount=Decimal("9"), handling_opinion="pay").record
    raise AssertionError(state)


OPEN = ("draft", "received", "answered", "assessed", "return_requested", "on_site", "payout")
UNACCEPTED_FROM = ("answered", "return_requested", "on_site", "payout")
DAYS = Policy().unreachable_customer_days


def test_the_open_states_are_every_state_but_the_final_ones() -> None:
    assert set(OPEN) == set(COMPLAINT.states) - COMPLAINT.final
    assert {s for t in COMPLAINT.transitions if t.action == "cancel" for s in t.sources} == set(
        OPEN
    )


@pytest.mark.parametrize("state", OPEN)
def test_cancel_from_every_open_state_with_a_reason(state: str) -> None:
    record = in_state(state)
    assert record.state == state
    step = go(record, "cancel", ASM, closing_reason="Customer withdrew the complaint.")
    assert step.record.state == "cancelled"
    assert step.record.closing_reason == "Customer withdrew the complaint."
    assert step.commands == ()
    assert (step.history.from_state, step.history.user) == (state, "wang")


@pytest.mark.parametrize("state", OPEN)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_cancel_without_a_reason_is_refused(state: str, reason: str | None) -> None:
    params = {} if reason is None else {"closing_reason": reason}
    err = _refused(in_state(state), "cancel", ASM, **params)
    assert isinstance(err, GuardFailed) and err.rule == "form"
    assert "closing_reason" in str(err)


@pytest.mark.parametrize("state", OPEN)
@pytest.mark.parametrize("role", sorted(set(Role) - {Role.AFTER_SALES_MANAGER}, key=str))
def test_only_the_manager_cancels(state: str, role: Role) -> None:
    err = _refused(in_state(state), "cancel", actor(role), closing_reason="no")
    assert isinstance(err, RoleNotAllowed)


@pytest.mark.parametrize("state", sorted(COMPLAINT.final))
def test_a_closed_or_cancelled_complaint_cannot_be_cancelled_or_closed_again(state: str) -> None:
    record = draft().model_copy(update={"state": state})
    for action in ("cancel", "close_unaccepted"):
        err = _refused(
            record, action, ASM, closing_reason="x", last_contact_at=NOW - timedelta(days=99)
        )
        assert isinstance(err, IllegalTransition)


def _close_unaccepted(record: Form, *, days_ago: float, **params: Any) -> Step[Form]:
    return go(
        record,
        "close_unaccepted",
        ASM,
        last_contact_at=NOW - timedelta(days=days_ago),
        **params,
    )


@pytest.mark.parametrize("state", UNACCEPTED_FROM)
@pytest.mark.parametrize("days_ago", [DAYS, DAYS + 0.5, 3 * DAYS])
def test_close_unaccepted_at_and_after_the_policy_days(state: str, days_ago: float) -> None:
    step = _close_unaccepted(
        in_state(state), days_ago=days_ago, closing_reason="Customer unreachable by phone."
    )
    assert step.record.state == "closed"
    assert not step.record.customer_accepted
    assert step.record.closing_reason == "Customer unreachable by phone."
    assert step.record.last_contact_at == NOW - timedelta(days=days_ago)
    assert step.commands == ()  # no satisfaction survey for a customer who cannot be reached


@pytest.mark.parametrize("state", UNACCEPTED_FROM)
@pytest.mark.parametrize("days_ago", [0, 1, DAYS - 1, DAYS - 1 / 86400, -1])
def test_close_unaccepted_before_the_policy_days_is_refused(state: str, days_ago: float) -> None:
    err = _refused(
        in_state(state),
        "close_unaccepted",
        ASM,
        closing_reason="unreachable",
        last_contact_at=NOW - timedelta(days=days_ago),
    )
    assert isinstance(err, GuardFailed) and err.rule == "form"
    assert "last_contact_at" in str(err) and "unreachable_customer_days" in str(err)


def test_close_unaccepted_needs_a_reason_and_the_last_contact() -> None:
    answered = in_state("answered")
    err = _refused(answered, "close_unaccepted", ASM, closing_reason="unreachable")
    assert isinstance(err, GuardFailed) and "last_contact_at" in str(err)
    err = _refused(
        answered, "close_unaccepted", ASM, last_contact_at=NOW - timedelta(days=DAYS + 1)
    )
    assert isinstance(err, GuardFailed) and "closing_reason" in str(err)


def test_close_unaccepted_follows_the_policy_days() -> None:
    answered = in_state("answered")
    params = {"closing_reason": "unreachable", "last_contact_at": NOW - timedelta(days=3)}
    with pytest.raises(GuardFailed, match="after 14 days"):
        COMPLAINT.apply(answered, "close_unaccepted", ASM, params=params, now=NOW)
    step = COMPLAINT.apply(
        answered,
        "close_unaccepted",
        ASM,
        params=params,
        policy=Policy(unreachable_customer_days=3),
        now=NOW,
    )
    assert step.record.state == "closed"


@pytest.mark.parametrize("state", ["draft", "received", "assessed"])
def test_close_unaccepted_only_once_the_customer_was_answered(state: str) -> None:
    err = _refused(
        in_state(state),
        "close_unaccepted",
        ASM,
        closing_reason="unreachable",
        last_contact_at=NOW - timedelta(days=DAYS),
    )
    assert isinstance(err, IllegalTransition)


@pytest.mark.parametrize("state", UNACCEPTED_FROM)
@pytest.mark.parametrize("role", sorted(set(Role) - {Role.AFTER_SALES_MANAGER}, key=str))
def test_only_the_manager_closes_unaccepted(state: str, role: Role) -> None:
    err = _refused(
        in_state(state),
        "close_unaccepted",
        actor(role),
        closing_reason="unreachable",
        last_contact_at=NOW - timedelta(days=DAYS),
    )
    assert isinstance(err, RoleNotAllowed)


def test_other_actions_cannot_set_the_closing_fields() -> None:
    answered = in_state("answered")
    err = _refused(answered, "close", AS, customer_accepted=True, closing_reason="x")
    assert isinstance(err, InvalidInput) and err.field == "closing_reason"
    err = _refused(
        in_state("received"), "answer_on_spot", AS, handling_opinion="x", last_contact_at=NOW
    )
    assert isinstance(err, InvalidInput) and err.field == "last_contact_at"
    err = _refused(in_state("payout"), "cancel", ASM, closing_reason="x", last_contact_at=NOW)
    assert isinstance(err, InvalidInput) and err.field == "last_contact_at"


# --- guards ---------------------------------------------------------------------------


def _refused(record: Form, action: str, who: Actor, **params: Any) -> AftersalesError:
    snapshot = record.model_copy(deep=True)
    with pytest.raises(AftersalesError) as err:
        COMPLAINT.apply(record, action, who, params=params, now=NOW)
    assert record == snapshot
    return err.value


def test_answer_on_spot_needs_a_handling_opinion() -> None:
    err = _refused(received(), "answer_on_spot", AS)
    assert isinstance(err, GuardFailed) and err.rule == "form"
    assert "handling_opinion" in str(err)


def test_assess_needs_a_cause_r11() -> None:
    err = _refused(received(), "assess", AS, category="x")
    assert isinstance(err, GuardFailed) and err.rule == "R11"


def test_assess_refuses_an_unknown_cause_naming_the_field() -> None:
    err = _refused(received(), "assess", AS, cause="bad_luck")
    assert isinstance(err, InvalidInput) and err.field == "cause"


def test_assess_refuses_a_test_result_without_stock() -> None:
    err = _refused(received(), "assess", AS, cause="product_quality", similar_defect=True)
    assert isinstance(err, InvalidInput) and err.field == "similar_defect"


def test_explain_refused_for_product_quality_r11() -> None:
    err = _refused(assessed(cause="product_quality"), "explain", AS, handling_opinion="no")
    assert isinstance(err, GuardFailed) and err.rule == "R11"


def test_explain_needs_a_handling_opinion() -> None:
    err = _refused(assessed(cause="not_company"), "explain", AS)
    assert isinstance(err, GuardFailed) and err.rule == "form"


@pytest.mark.parametrize("cause", ["not_company", "quantity", "construction_quality"])
def test_payout_refused_without_product_quality_r11(cause: str) -> None:
    err = _refused(
        assessed(cause=cause),
        "start_payout",
        ASM,
        payout_amount=Decimal("5"),
        handling_opinion="pay",
    )
    assert isinstance(err, GuardFailed) and err.rule == "R11"


def test_payout_needs_amount_and_opinion() -> None:
    err = _refused(assessed(cause="product_quality"), "start_payout", ASM)
    assert isinstance(err, GuardFailed) and err.rule == "form"
    assert "payout_amount" in str(err)


def test_payout_amount_must_be_positive() -> None:
    err = _refused(
        assessed(cause="product_quality"),
        "start_payout",
        ASM,
        payout_amount=Decimal("0"),
        handling_opinion="x",
    )
    assert isinstance(err, InvalidInput) and err.field == "payout_amount"


@pytest.mark.parametrize("resolution", ["", "on_site", "payout", "explained"])
def test_request_return_needs_a_return_kind(resolution: str) -> None:
    err = _refused(assessed(cause="product_quality"), "request_return", AS, resolution=resolution)
    assert isinstance(err, GuardFailed) and err.rule == "form"


def test_close_needs_the_customer_acceptance() -> None:
    answered = go(received(), "answer_on_spot", AS, handling_opinion="ok").record
    err = _refused(answered, "close", AS)
    assert isinstance(err, GuardFailed)
    assert "accepted" in str(err)
    err = _refused(answered, "close", AS, customer_accepted=False)
    assert isinstance(err, GuardFailed)


def test_params_the_action_may_not_set_are_refused() -> None:
    err = _refused(received(), "answer_on_spot", AS, handling_opinion="x", responsibility="x")
    assert isinstance(err, InvalidInput) and err.field == "responsibility"
    err = _refused(draft(), "record", AS, state="closed")
    assert isinstance(err, InvalidInput) and err.field == "state"


# --- every transition: wrong role, illegal state --------------------------------------


def test_final_states_have_no_way_out() -> None:
    for state in COMPLAINT.final:
        assert COMPLAINT.actions_from(state) == ()
    reachable = {COMPLAINT.initial} | {s for t in COMPLAINT.transitions for s in t.targets}
    assert reachable == set(COMPLAINT.states)


# --- random walks ---------------------------------------------------------------------

PARAMS: list[dict[str, Any]] = [
    {},
    {"handling_opinion": "Explained."},
    {"cause": "product_quality"},
    {"cause": "not_company"},
    {"cause": "quantity", "quality_complaint": True, "stock_of_lot": 3, "similar_defect": False},
    {"resolution": "refund_return"},
    {"payout_amount": Decimal("50"), "handling_opinion": "pay"},
    {"customer_accepted": True},
    {"similar_defect": True},
    {"cause": "nonsense"},
    {"state": "closed"},
    {"closing_reason": "Customer withdrew."},
    {"closing_reason": "Unreachable.", "last_contact_at": NOW - timedelta(days=30)},
    {"closing_reason": "Unreachable.", "last_contact_at": NOW - timedelta(days=2)},
    {"last_contact_at": NOW - timedelta(days=30)},
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(COMPLAINT.actions),
            st.frozensets(st.sampled_from(list(Role)), max_size=3),
            st.sampled_from(PARAMS),
        ),
        max_size=25,
    )
)
def test_random_walks_stay_in_declared_states(
    moves: list[tuple[str, frozenset[Role], dict[str, Any]]],
) -> None:
    record = draft()
    for action, held, params in moves:
        snapshot = record.model_copy(deep=True)
        try:
            step = COMPLAINT.apply(
                record, action, Actor(user="r", roles=held), params=params, now=NOW
            )
        except AftersalesError:
            assert record == snapshot
            continue
        assert record == snapshot
        assert step.history.from_state == record.state
        assert step.record.state in COMPLAINT.states
        assert step.record.state in COMPLAINT.transition_for(record.state, action).targets
        record = step.record


WRITTEN = frozenset({"answered_on_spot", "responsibility", "same_batch_result", "resolution"})
"""The fields transitions write themselves (never from params)."""

USEFUL: dict[str, dict[str, Any]] = {
    "answer_on_spot": {"handling_opinion": "Reset the unit."},
    "assess": {"cause": "product_quality", "quality_complaint": True, "stock_of_lot": 0},
    "explain": {"handling_opinion": "Explained."},
    "request_return": {"resolution": "return_for_repair"},
    "start_payout": {"payout_amount": Decimal("99"), "handling_opinion": "pay"},
    "close": {"customer_accepted": True},
    "close_unaccepted": {
        "closing_reason": "Unreachable since the answer.",
        "last_contact_at": NOW - timedelta(days=20),
    },
    "cancel": {"closing_reason": "Withdrawn."},
}
"""Params that let an action through, so guided walks get to the end."""


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_guided_random_walks_keep_the_invariants(data: st.DataObject) -> None:
    record = draft()
    for _ in range(20):
        options = COMPLAINT.actions_from(record.state)
        if not options:
            assert record.state in COMPLAINT.final
            break
        action = data.draw(st.sampled_from(options))
        t = COMPLAINT.transition_for(record.state, action)
        role = data.draw(st.sampled_from([*sorted(t.roles, key=lambda r: r.value), Role.FINANCE]))
        params = data.draw(st.sampled_from([*PARAMS, USEFUL.get(action, {})]))
        snapshot = record.model_copy(deep=True)
        try:
            step = COMPLAINT.apply(record, action, actor(role), params=params, now=NOW)
        except AftersalesError:
            assert record == snapshot
            continue
        assert role in t.roles
        assert record == snapshot
        new = step.record
        assert new.state in t.targets
        changed = {f for f in type(new).model_fields if getattr(new, f) != getattr(record, f)}
        assert changed <= t.updates | {"state"} | WRITTEN
        for cmd in step.commands:
            assert CommandAdapter.validate_json(cmd.model_dump_json()) == cmd
        if new.state == "closed" and action == "close":
            assert new.customer_accepted
            assert [type(c) for c in step.commands] == [SendSurvey]
        if action in ("close_unaccepted", "cancel"):
            assert role == Role.AFTER_SALES_MANAGER
            assert new.closing_reason.strip()
            assert step.commands == ()
        if action == "close_unaccepted":
            assert new.last_contact_at is not None
            assert NOW - new.last_contact_at >= timedelta(days=DAYS)
        if new.state == "payout":
            assert role == Role.AFTER_SALES_MANAGER
            assert new.payout_amount is not None and new.payout_amount > 0
            assert (
                new.responsibility == "payout_after_testing"
                or new.same_batch_result == "handling_opinion_and_payout"
            )
        if action == "assess":
            assert new.responsibility == step.decisions[0].outcome
        event(f"reached {new.state}")
        record = new


@pytest.mark.parametrize("settlement", ["payment", "credit_note", "deduction"])
def test_a_payout_is_settled_by_the_refund_returns_choices(settlement: str) -> None:
    a = assessed(cause="product_quality")
    paid = go(
        a,
        "start_payout",
        ASM,
        payout_amount=Decimal("80"),
        payout_settlement=settlement,
        handling_opinion="Refund of the seal",
    )
    (cmd,) = paid.commands
    assert isinstance(cmd, RecordPayout)
    assert (cmd.amount, cmd.settlement) == (Decimal("80"), settlement)


def test_an_unknown_payout_settlement_is_refused_naming_the_field() -> None:
    a = assessed(cause="product_quality")
    with pytest.raises(InvalidInput, match="payout_settlement"):
        go(
            a,
            "start_payout",
            ASM,
            payout_amount=Decimal("80"),
            payout_settlement="cash",
            handling_opinion="x",
        )
