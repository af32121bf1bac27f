"""Every transition of every workflow table: refused for a wrong role and from an
illegal state, and random walks that never leave the declared states."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from aftersales_core import AftersalesError, IllegalTransition, InvalidInput, Role, RoleNotAllowed
from aftersales_core.commands import CommandAdapter
from aftersales_core.forms import (
    ComplaintHandlingForm,
    ContractReviewForm,
    MaterialLine,
    MaterialRequisitionForm,
    OrderRecord,
    QualityFeedbackSheet,
    ReturnTrackingForm,
    ServiceInformationRecord,
    TechnicalInquiryRecord,
)
from aftersales_core.workflows import Actor, Workflow
from aftersales_core.workflows.registry import WORKFLOWS, get_workflow

NOW = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)


def sample(name: str) -> BaseModel:
    """A valid record of the workflow's form, in its initial state."""
    if name == "complaint":
        return ComplaintHandlingForm(
            number="C/1", channel="phone", received_at=NOW, customer="ACME", description="leaks"
        )
    if name in ("return_for_repair", "refund_return"):
        return ReturnTrackingForm(
            number="RT/1",
            purpose="repair" if name == "return_for_repair" else "refund",
            customer="ACME",
        )
    if name == "special_order":
        return ContractReviewForm(
            number="CR/1", customer="ACME", product="gauge", quantity=8, requirements="IP68"
        )
    if name == "material_requisition":
        return MaterialRequisitionForm(
            number="MR/1",
            requester="li",
            purpose="RT/1",
            lines=(MaterialLine(product="seal", quantity=2),),
        )
    if name == "onsite_service":
        return ServiceInformationRecord(
            number="S/1", received_at=NOW, customer="ACME", province="Jiangsu", request="no reading"
        )
    if name == "quality_information":
        return QualityFeedbackSheet(
            number="Q/1", received_at=NOW, source="user", product="gauge", failure_mode="drift"
        )
    if name == "order_processing":
        return OrderRecord(
            number="SO/1", customer="ACME", product="gauge", quantity=3, amount=Decimal(100)
        )
    if name == "technical_inquiry":
        return TechnicalInquiryRecord(
            number="TI/1", received_at=NOW, customer="ACME", question="how to zero?"
        )
    raise AssertionError(name)


def test_every_workflow_has_a_sample_and_a_sound_table() -> None:
    assert set(WORKFLOWS) == {
        "complaint",
        "return_for_repair",
        "refund_return",
        "special_order",
        "material_requisition",
        "onsite_service",
        "quality_information",
        "order_processing",
        "technical_inquiry",
    }
    for name, wf in WORKFLOWS.items():
        record = sample(name)
        assert wf.state_of(record) == wf.initial
        reachable = {wf.initial}
        frontier = [wf.initial]
        while frontier:
            state = frontier.pop()
            for t in wf.transitions:
                if state in t.sources:
                    for nxt in t.targets - reachable:
                        reachable.add(nxt)
                        frontier.append(nxt)
        assert reachable == set(wf.states), f"{name}: unreachable {set(wf.states) - reachable}"
        for final in wf.final:
            assert not wf.actions_from(final), f"{name}: final state {final} has actions"
        assert wf.to_mermaid().startswith("stateDiagram-v2")


CASES = [(name, i) for name, wf in WORKFLOWS.items() for i in range(len(wf.transitions))]


@pytest.mark.parametrize(
    ("name", "index"),
    CASES,
    ids=[f"{n}-{WORKFLOWS[n].transitions[i].action}-{i}" for n, i in CASES],
)
def test_wrong_role_is_refused_and_nothing_changes(name: str, index: int) -> None:
    wf: Workflow[Any] = WORKFLOWS[name]
    t = wf.transitions[index]
    others = frozenset(Role) - t.roles
    if not others:
        pytest.skip("every role may take this action")
    for source in sorted(t.sources):
        record = sample(name).model_copy(update={"state": source})
        before = record.model_dump()
        with pytest.raises(RoleNotAllowed) as err:
            wf.apply(record, t.action, Actor(user="intruder", roles=others), now=NOW)
        assert t.action in str(err.value)
        assert record.model_dump() == before


@pytest.mark.parametrize(
    ("name", "index"),
    CASES,
    ids=[f"{n}-{WORKFLOWS[n].transitions[i].action}-{i}" for n, i in CASES],
)
def test_action_from_an_illegal_state_is_refused(name: str, index: int) -> None:
    wf: Workflow[Any] = WORKFLOWS[name]
    t = wf.transitions[index]
    legal = {s for other in wf.transitions if other.action == t.action for s in other.sources}
    illegal = [s for s in wf.states if s not in legal]
    assert illegal, "an action legal from every state"
    for state in illegal:
        record = sample(name).model_copy(update={"state": state})
        before = record.model_dump()
        with pytest.raises(IllegalTransition) as err:
            wf.apply(record, t.action, Actor(user="boss", roles=frozenset(Role)), now=NOW)
        assert err.value.state == state
        assert err.value.action == t.action
        assert t.action not in err.value.allowed
        assert record.model_dump() == before


def test_unknown_action_and_workflow() -> None:
    wf = WORKFLOWS["complaint"]
    with pytest.raises(IllegalTransition, match="record"):
        wf.apply(sample("complaint"), "teleport", Actor(user="x", roles=frozenset(Role)), now=NOW)
    with pytest.raises(InvalidInput, match="workflow"):
        get_workflow("nope")
    assert get_workflow("complaint") is wf


def test_naive_now_is_refused() -> None:
    with pytest.raises(InvalidInput, match="now"):
        WORKFLOWS["complaint"].apply(
            sample("complaint"),
            "record",
            Actor(user="x", roles=frozenset({Role.AFTER_SALES})),
            now=datetime(2026, 1, 1),
        )


def test_available_actions_follow_roles() -> None:
    wf = WORKFLOWS["refund_return"]
    record = sample("refund_return").model_copy(update={"state": "awaiting_approval"})
    assert wf.available_actions(
        record, Actor(user="gm", roles=frozenset({Role.GENERAL_MANAGER}))
    ) == ("approve_stock_in",)
    assert wf.available_actions(record, Actor(user="s", roles=frozenset({Role.SALESPERSON}))) == ()


role_sets = st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=4)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from(sorted(WORKFLOWS)),
    st.lists(st.tuples(st.integers(0, 40), role_sets), max_size=25),
)
def test_random_walks_stay_in_declared_states(
    name: str, moves: list[tuple[int, frozenset[Role]]]
) -> None:
    wf: Workflow[Any] = WORKFLOWS[name]
    record = sample(name)
    for pick, held in moves:
        actions = wf.actions
        action = actions[pick % len(actions)]
        before = record.model_dump()
        try:
            step = wf.apply(
                record, action, Actor(user="u", roles=held), now=NOW + timedelta(hours=1)
            )
        except AftersalesError:
            assert record.model_dump() == before
            continue
        assert wf.state_of(step.record) in wf.states
        assert step.history.from_state == wf.state_of(record)
        assert step.history.to_state == wf.state_of(step.record)
        assert step.history.action == action
        for command in step.commands:
            assert CommandAdapter.validate_json(command.model_dump_json()) == command
        record = step.record
