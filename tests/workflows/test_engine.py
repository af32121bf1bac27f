"""Tests of the workflow engine itself, on a small toy workflow, and of the guard helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import ClassVar

import pytest
from pydantic import Field

from aftersales_core.commands import Command, Notify, SendSurvey
from aftersales_core.decision import Decision
from aftersales_core.errors import GuardFailed, IllegalTransition, InvalidInput, RoleNotAllowed
from aftersales_core.forms.base import Form
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.workflows._common import (
    STAFF,
    check,
    required,
    roles,
    signature,
    survey_on_close,
)
from aftersales_core.workflows.engine import Actor, Context, Guard, Transition, Workflow
from aftersales_core.workflows.registry import WORKFLOWS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Ticket(Form):
    """A toy record: a customer, a note, a size and what the transitions wrote."""

    title: ClassVar[str] = "Ticket"

    customer: str = ""
    note: str = ""
    size: int = Field(0, ge=0)
    approved: bool = False
    routed: str = ""
    tags: tuple[str, ...] = ()


Ctx = Context[Ticket]
T = Transition[Ticket]


def _size_decision(ctx: Ctx) -> Decision:
    outcome = "big" if ctx.record.size >= 10 else "small"
    return Decision(rule="R1", outcome=outcome, reasons=(f"size {ctx.record.size}",))


def _two_decisions(ctx: Ctx) -> Sequence[Decision]:
    return (
        _size_decision(ctx),
        Decision(rule="R2", outcome="noted", reasons=("second",)),
    )


def _not_huge(ctx: Ctx) -> str | None:
    assert ctx.decision is not None
    return "too big to approve" if ctx.record.size >= 100 else None


def _notify(ctx: Ctx) -> list[Command]:
    return [Notify(reference=ctx.record.number or "T/1", role=Role.QUALITY, message="routed")]


CLERK = Actor(user="clerk", roles=frozenset({Role.AFTER_SALES}))
BOSS = Actor(user="boss", roles=frozenset({Role.GENERAL_MANAGER}))
NOBODY = Actor(user="nobody", roles=frozenset())

TOY: Workflow[Ticket] = Workflow(
    name="toy",
    title="Toy",
    record_type=Ticket,
    initial="draft",
    states=("draft", "open", "small", "big", "approved", "done"),
    final=frozenset({"done"}),
    transitions=(
        T(
            action="open",
            sources=frozenset({"draft"}),
            target="open",
            roles=roles(Role.AFTER_SALES),
            guards=(required("customer"),),
            updates=frozenset({"customer", "note", "size", "tags"}),
        ),
        T(
            action="route",
            sources=frozenset({"open"}),
            routes={"small": "small", "big": "big"},
            roles=roles(Role.AFTER_SALES),
            decide=_two_decisions,
            writes=lambda ctx: {"routed": ctx.decision.outcome if ctx.decision else ""},
            effects=_notify,
        ),
        T(
            action="approve",
            sources=frozenset({"small", "big"}),
            target="approved",
            roles=roles(Role.GENERAL_MANAGER),
            decide=_size_decision,
            post_guards=(check("R6", "not huge", _not_huge),),
            writes=lambda ctx: {"approved": True},
        ),
        T(
            action="split",
            sources=frozenset({"approved"}),
            routes={"yes": "done", "no": "approved"},
            branch=lambda ctx: "yes" if ctx.record.note else "no",
            roles=roles(Role.AFTER_SALES),
            updates=frozenset({"note"}),
        ),
    ),
)


def _open(**changes: object) -> Ticket:
    base = Ticket(customer="ACME", size=3)
    return TOY.apply(base, "open", CLERK, params=dict(changes), now=NOW).record


# --- table validation -----------------------------------------------------------------


def test_transition_needs_exactly_one_of_target_and_routes() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        T(action="x", sources=frozenset({"a"}), roles=roles(Role.SYSTEM))
    with pytest.raises(ValueError, match="exactly one"):
        T(
            action="x",
            sources=frozenset({"a"}),
            roles=roles(Role.SYSTEM),
            target="b",
            routes={"k": "b"},
            branch=lambda ctx: "k",
        )


def test_routes_need_decide_or_branch() -> None:
    with pytest.raises(ValueError, match="decide or branch"):
        T(action="x", sources=frozenset({"a"}), roles=roles(Role.SYSTEM), routes={"k": "b"})


def _wf(**kw: object) -> Workflow[Ticket]:
    args: dict[str, object] = {
        "name": "w",
        "title": "W",
        "record_type": Ticket,
        "initial": "a",
        "states": ("a", "b"),
        "final": frozenset({"b"}),
        "transitions": (),
    }
    args.update(kw)
    return Workflow(**args)  # type: ignore[arg-type]


def test_workflow_refuses_defective_tables() -> None:
    assert _wf().actions == ()
    with pytest.raises(ValueError, match="initial state"):
        _wf(initial="zz")
    with pytest.raises(ValueError, match="final states"):
        _wf(final=frozenset({"zz"}))
    with pytest.raises(ValueError, match="unknown states"):
        _wf(
            transitions=(
                T(action="go", sources=frozenset({"a"}), target="zz", roles=roles(Role.SYSTEM)),
            )
        )
    go = T(action="go", sources=frozenset({"a"}), target="b", roles=roles(Role.SYSTEM))
    with pytest.raises(ValueError, match="ambiguous"):
        _wf(transitions=(go, go))
    # The same action from disjoint states is fine.
    back = T(action="go", sources=frozenset({"b"}), target="a", roles=roles(Role.SYSTEM))
    assert _wf(transitions=(go, back)).actions == ("go",)


def test_reading_the_table() -> None:
    assert TOY.actions == ("open", "route", "approve", "split")
    assert TOY.actions_from("small") == ("approve",)
    assert TOY.actions_from("done") == ()
    assert TOY.transition_for("big", "approve").target == "approved"
    assert TOY.transitions[1].targets == frozenset({"small", "big"})
    assert TOY.transitions[0].targets == frozenset({"open"})
    ticket = Ticket()
    assert TOY.state_of(ticket) == "draft"
    assert TOY.available_actions(ticket, CLERK) == ("open",)
    assert TOY.available_actions(ticket, BOSS) == ()
    assert CLERK.holds(Role.AFTER_SALES) and not CLERK.holds(Role.QUALITY)


# --- applying -------------------------------------------------------------------------


def test_apply_returns_a_new_record_and_a_history_row() -> None:
    before = Ticket(customer="ACME")
    step = TOY.apply(before, "open", CLERK, params={"note": "hello", "size": 4}, now=NOW)
    assert before == Ticket(customer="ACME")
    assert step.record.state == "open"
    assert (step.record.note, step.record.size) == ("hello", 4)
    assert step.commands == ()
    assert step.decisions == ()
    h = step.history
    assert (h.workflow, h.action, h.user, h.at, h.from_state, h.to_state) == (
        "toy",
        "open",
        "clerk",
        NOW,
        "draft",
        "open",
    )


def test_apply_without_now_uses_an_aware_clock() -> None:
    step = TOY.apply(Ticket(customer="ACME"), "open", CLERK)
    assert step.history.at.tzinfo is not None
    assert abs(step.history.at - datetime.now(timezone.utc)) < timedelta(minutes=5)


def test_naive_now_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        TOY.apply(Ticket(customer="ACME"), "open", CLERK, now=datetime(2026, 1, 1))
    assert err.value.field == "now"


def test_illegal_transition_names_state_and_allowed_actions() -> None:
    with pytest.raises(IllegalTransition) as err:
        TOY.apply(Ticket(), "approve", BOSS, now=NOW)
    assert err.value.state == "draft"
    assert err.value.allowed == ("open",)
    with pytest.raises(IllegalTransition):
        TOY.apply(Ticket(), "no_such_action", CLERK, now=NOW)


def test_wrong_role_is_refused_before_params_and_guards() -> None:
    with pytest.raises(RoleNotAllowed) as err:
        TOY.apply(Ticket(), "open", NOBODY, params={"bogus": 1}, now=NOW)
    assert err.value.required == frozenset({"after_sales"})
    assert err.value.held == frozenset()


def test_params_outside_updates_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        TOY.apply(Ticket(customer="ACME"), "open", CLERK, params={"approved": True}, now=NOW)
    assert err.value.field == "approved"
    assert "may set" in err.value.problem
    # An action with no updates says so.
    with pytest.raises(InvalidInput, match="nothing"):
        TOY.apply(_open(), "route", CLERK, params={"note": "x"}, now=NOW)


def test_unknown_params_are_refused_not_dropped() -> None:
    with pytest.raises(InvalidInput) as err:
        TOY.apply(Ticket(customer="ACME"), "open", CLERK, params={"sise": 4}, now=NOW)
    assert err.value.field == "sise"


def test_bad_param_values_name_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        TOY.apply(Ticket(customer="ACME"), "open", CLERK, params={"size": -1}, now=NOW)
    assert err.value.field == "size"


def test_failed_guard_names_the_rule_and_fields() -> None:
    with pytest.raises(GuardFailed) as err:
        TOY.apply(Ticket(), "open", CLERK, now=NOW)
    assert err.value.rule == "form"
    assert "customer" in str(err.value)
    # The guard sees the params applied: the same action with the field given passes.
    assert TOY.apply(Ticket(), "open", CLERK, params={"customer": "X"}, now=NOW).record.customer


def test_decide_with_several_decisions_routes_on_the_first() -> None:
    small = TOY.apply(_open(size=3), "route", CLERK, now=NOW)
    assert small.record.state == "small"
    assert small.record.routed == "small"
    assert [d.rule for d in small.decisions] == ["R1", "R2"]
    assert small.history.decisions == small.decisions
    assert small.commands == (Notify(reference="T/1", role=Role.QUALITY, message="routed"),)
    big = TOY.apply(_open(size=10), "route", CLERK, now=NOW)
    assert (big.record.state, big.record.routed) == ("big", "big")


def test_single_decision_and_post_guard() -> None:
    routed = TOY.apply(_open(size=50), "route", CLERK, now=NOW).record
    step = TOY.apply(routed, "approve", BOSS, now=NOW)
    assert step.record.approved is True
    assert step.decisions[0].outcome == "big"
    huge = TOY.apply(_open(size=100), "route", CLERK, now=NOW).record
    with pytest.raises(GuardFailed) as err:
        TOY.apply(huge, "approve", BOSS, now=NOW)
    assert err.value.rule == "R6"
    assert huge.state == "big" and huge.approved is False


def test_branch_routes_without_decision() -> None:
    routed = TOY.apply(_open(), "route", CLERK, now=NOW).record
    approved = TOY.apply(routed, "approve", BOSS, now=NOW).record
    stay = TOY.apply(approved, "split", CLERK, now=NOW)
    assert stay.record.state == "approved"
    assert stay.decisions == ()
    done = TOY.apply(approved, "split", CLERK, params={"note": "go"}, now=NOW)
    assert done.record.state == "done"


def test_run_chains_steps() -> None:
    steps = TOY.run(
        Ticket(customer="ACME", size=2),
        [("open", CLERK, None), ("route", CLERK, None), ("approve", BOSS, {})],
        now=NOW,
        policy=Policy(),
    )
    assert [s.record.state for s in steps] == ["open", "small", "approved"]


def test_to_mermaid_lists_every_edge() -> None:
    text = TOY.to_mermaid()
    assert text.startswith("stateDiagram-v2\n    [*] --> draft")
    assert "    draft --> open: open (after_sales)" in text
    assert "    open --> big: route [big] (after_sales)" in text
    assert "    big --> approved: approve (general_manager)" in text
    assert "    small --> approved: approve (general_manager)" in text
    assert "    done --> [*]" in text


# --- guard helpers --------------------------------------------------------------------


def _ctx(record: Ticket, policy: Policy | None = None) -> Ctx:
    return Context(
        record=record,
        before=record,
        actor=CLERK,
        params={},
        policy=policy or Policy(),
        now=NOW,
    )


@pytest.mark.parametrize("empty", [None, "", (), False])
def test_required_treats_empty_values_as_missing(empty: object) -> None:
    guard: Guard[Ticket] = required("customer", "note", rule="R9")
    record = Ticket.model_construct(customer="A", note=empty)  # type: ignore[arg-type]
    assert guard.rule == "R9"
    assert guard.check(_ctx(record)) == "required field(s) missing: note"
    assert guard.check(_ctx(Ticket(customer="A", note="n"))) is None
    assert "customer, note" in guard.description


def test_roles_and_staff() -> None:
    assert roles(Role.QUALITY, Role.RND) == frozenset({Role.QUALITY, Role.RND})
    assert Role.CUSTOMER not in STAFF and Role.SYSTEM not in STAFF
    assert Role.GENERAL_MANAGER in STAFF


def test_signature_is_the_actor_at_the_step_time() -> None:
    sig = signature(_ctx(Ticket()), Role.GENERAL_MANAGER, "ok")
    assert (sig.user, sig.role, sig.at, sig.comment) == ("clerk", Role.GENERAL_MANAGER, NOW, "ok")


def test_survey_on_close_follows_the_policy() -> None:
    class Case(Ticket):
        pass

    record = Case(customer="ACME", number="C/7")
    assert survey_on_close(_ctx(record)) == [SendSurvey(reference="C/7", customer="ACME")]
    assert survey_on_close(_ctx(Case(customer="ACME"))) == [
        SendSurvey(reference="unnumbered", customer="ACME")
    ]
    off = Policy(survey_after_closed_case=False)
    assert survey_on_close(_ctx(record, off)) == []


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_docs_show_the_current_diagrams(name: str) -> None:
    # docs/workflows.md embeds Workflow.to_mermaid(); regenerate it when a table changes.
    from pathlib import Path

    wf = WORKFLOWS[name]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "workflows.md").read_text("utf-8")
    assert f"```mermaid\n{wf.to_mermaid()}\n```" in doc
