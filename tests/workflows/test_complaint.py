"""Workflow 1, Complaint: every legal path, every refusal, random walks."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aftersales_core.commands import CommandAdapter, Notify, RecordPayout, SendSurvey
from aftersales_core.errors import (
    AftersalesError,
    GuardFailed,
    InvalidInput,
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


@pytest.mark.parametrize("state", ["draft", "received", "assessed"])
def test_cancel_from_open_states(state: str) -> None:
    record = {"draft": draft(), "received": received(), "assessed": assessed(cause="quantity")}[
        state
    ]
    assert go(record, "cancel", ASM).record.state == "cancelled"


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
        if new.state == "closed":
            assert new.customer_accepted
            assert [type(c) for c in step.commands] == [SendSurvey]
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
