"""Tests of the shared foundation: Decision, errors, commands."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from aftersales_core import (
    AftersalesError,
    Decision,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
    RuleViolation,
)
from aftersales_core.commands import (
    AnyCommand,
    CommandAdapter,
    DispatchVisit,
    IssueCreditNote,
    Item,
    Notify,
    OpenRepair,
    RecordDeduction,
)
from aftersales_core.roles import Role


def test_decision_requires_reasons_and_rule_id() -> None:
    with pytest.raises(ValidationError):
        Decision(rule="R1", outcome="x", reasons=())
    with pytest.raises(ValidationError):
        Decision(rule="rule one", outcome="x", reasons=("why",))
    d = Decision(rule="R1", outcome="after_sales", reasons=("small.", "fine."), facts={"hosts": 1})
    assert d.explain() == "R1 -> after_sales: small. fine."


def test_decision_is_frozen() -> None:
    d = Decision(rule="R3", outcome="after_sales", reasons=("ok",))
    with pytest.raises(ValidationError):
        d.outcome = "mass_production"  # type: ignore[misc]


def test_errors_name_field_rule_and_role() -> None:
    e = InvalidInput("lines[0].quantity", "must not be negative")
    assert isinstance(e, ValueError)
    assert isinstance(e, AftersalesError)
    assert str(e) == "lines[0].quantity: must not be negative"
    assert e.field == "lines[0].quantity"
    r = RuleViolation("R5", "the sales department head signs first")
    assert str(r).startswith("R5: ")
    role = RoleNotAllowed("approve_stock_in", frozenset({"general_manager"}), frozenset())
    assert "general_manager" in str(role)
    assert "no role" in str(role)
    assert isinstance(role, PermissionError)
    it = IllegalTransition("refund_return", "close", "draft", ("submit",))
    assert "submit" in str(it)
    assert "none" in str(IllegalTransition("w", "a", "s", ()))


def test_item_refuses_bad_quantity() -> None:
    with pytest.raises(ValidationError, match="quantity"):
        Item(product="P", quantity=0)
    with pytest.raises(ValidationError, match="product"):
        Item(product="", quantity=1)


def test_money_commands_refuse_non_positive_amounts() -> None:
    with pytest.raises(ValidationError, match="amount"):
        RecordDeduction(reference="RT/1", amount=Decimal("0"))


commands = st.one_of(
    st.builds(
        OpenRepair,
        reference=st.text(min_size=1, max_size=8),
        item=st.builds(Item, product=st.text(min_size=1, max_size=8), quantity=st.integers(1, 99)),
        under_warranty=st.booleans(),
    ),
    st.builds(
        IssueCreditNote,
        reference=st.just("RT/2"),
        items=st.lists(
            st.builds(Item, product=st.just("P"), quantity=st.integers(1, 5)),
            min_size=1,
            max_size=3,
        ).map(tuple),
    ),
    st.builds(Notify, reference=st.just("C/1"), role=st.sampled_from(Role), message=st.just("hi")),
    st.builds(
        DispatchVisit,
        reference=st.just("S/1"),
        technician=st.just("li"),
        deadline=st.datetimes(timezones=st.just(timezone.utc)),
    ),
)


@given(commands)
def test_commands_survive_a_json_round_trip(command: AnyCommand) -> None:
    assert CommandAdapter.validate_json(CommandAdapter.dump_json(command)) == command


def test_unknown_command_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="kind"):
        CommandAdapter.validate_python({"kind": "launch_rocket", "reference": "X"})


def test_dispatch_deadline_keeps_timezone() -> None:
    at = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
    cmd = DispatchVisit(reference="S/2", technician="wang", deadline=at)
    assert CommandAdapter.validate_json(cmd.model_dump_json()).deadline == at  # type: ignore[union-attr]
