"""Technical inquiry workflow (R28): legal paths, refusals, random walks."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_core.errors import AftersalesError, GuardFailed, IllegalTransition, RoleNotAllowed
from aftersales_core.forms.complaint import TechnicalInquiryRecord
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor, Step
from aftersales_core.workflows.registry import get_workflow
from aftersales_core.workflows.technical_inquiry import TECHNICAL_INQUIRY

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)
Form = TechnicalInquiryRecord
AS = Actor(user="li", roles=frozenset({Role.AFTER_SALES}))
RND = Actor(user="chen", roles=frozenset({Role.RND}))
SALES = Actor(user="sun", roles=frozenset({Role.SALESPERSON}))
WAREHOUSE = Actor(user="ma", roles=frozenset({Role.WAREHOUSE}))


def draft(**changes: Any) -> Form:
    """A question as the hotline takes it."""
    data: dict[str, Any] = {
        "number": "TI/0001",
        "received_at": NOW,
        "customer": "ACME Marine",
        "product": "Pressure gauge",
        "question": "How do I zero the gauge after installation?",
        "tags": ("Display",),
    }
    data.update(changes)
    return Form(**data)


def go(record: Form, action: str, who: Actor, **params: Any) -> Step[Form]:
    """Apply ``action``; the original record never changes."""
    snapshot = record.model_copy(deep=True)
    step = TECHNICAL_INQUIRY.apply(record, action, who, params=params, now=NOW)
    assert record == snapshot
    return step


def test_registered() -> None:
    assert get_workflow("technical_inquiry") is TECHNICAL_INQUIRY


def test_record_answer_archive_reopen() -> None:
    rec = go(draft(), "record", SALES).record
    assert rec.state == "open"
    step = go(rec, "answer", RND, answer="Hold the zero key for five seconds.")
    rec = step.record
    assert (rec.state, rec.answered_by, rec.answered_at) == ("answered", "chen", NOW)
    assert step.history.to_state == "answered"
    rec = go(rec, "archive", AS).record
    assert (rec.state, rec.archived) == ("archived", True)
    rec = go(rec, "reopen", AS).record
    assert (rec.state, rec.archived, rec.answer) == ("open", False, "Hold the zero key for five seconds.")


def test_an_answer_is_required() -> None:
    rec = go(draft(), "record", AS).record
    with pytest.raises(GuardFailed) as err:
        go(rec, "answer", AS)
    assert err.value.rule == "R28"


def test_the_warehouse_does_not_answer() -> None:
    rec = go(draft(), "record", AS).record
    with pytest.raises(RoleNotAllowed):
        go(rec, "answer", WAREHOUSE, answer="no idea")
    with pytest.raises(RoleNotAllowed):
        go(rec, "answer", SALES, answer="no idea")


@pytest.mark.parametrize(
    ("state", "action"),
    [("draft", "answer"), ("draft", "archive"), ("open", "archive"), ("answered", "record"),
     ("archived", "answer"), ("cancelled", "reopen"), ("answered", "cancel")],
)
def test_illegal_transitions(state: str, action: str) -> None:
    with pytest.raises(IllegalTransition):
        go(draft(state=state, answer="x"), action, AS, answer="y")


ACTIONS = [t.action for t in TECHNICAL_INQUIRY.transitions]
ACTORS = [AS, RND, SALES, WAREHOUSE]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ACTORS), st.booleans()), max_size=12))
def test_random_walks_keep_the_invariants(walk: list[tuple[str, Actor, bool]]) -> None:
    """Whatever is tried: the state is declared, an archived inquiry has its answer and
    is in ``archived``, and an answered one names who answered and when."""
    rec = draft()
    for action, who, with_answer in walk:
        params = {"answer": "Hold the zero key."} if with_answer else {}
        try:
            rec = go(rec, action, who, **params).record
        except AftersalesError:
            continue
        assert rec.state in TECHNICAL_INQUIRY.states
        assert rec.archived == (rec.state == "archived")
        if rec.state in ("answered", "archived"):
            assert rec.answer and rec.answered_by and rec.answered_at == NOW
