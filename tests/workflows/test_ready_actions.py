"""Which buttons a host shows: actions allowed by state and role, less those a rule guard
refuses now (``Workflow.rule_blocks`` / ``ready_actions``); form guards stay (the user
still fills the field)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core.errors import AftersalesError, GuardFailed
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.roles import Role
from aftersales_core.workflows.complaint import COMPLAINT
from aftersales_core.workflows.engine import Actor

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)
AS = Actor(user="li", roles=frozenset({Role.AFTER_SALES, Role.AFTER_SALES_MANAGER}))
CAUSES = (
    "not_company",
    "quantity",
    "delivery_time",
    "transport_damage",
    "construction_quality",
    "product_quality",
)


def assessed(cause: str, **extra: Any) -> ComplaintHandlingForm:
    form = ComplaintHandlingForm(
        number="CC/1",
        channel="phone",
        received_at=NOW,
        customer="ACME",
        description="noise",
        **extra,
    )
    form = COMPLAINT.apply(form, "record", AS, now=NOW).record
    return COMPLAINT.apply(form, "assess", AS, params={"cause": cause}, now=NOW).record


def test_explain_and_payout_follow_the_responsibility() -> None:
    quality = assessed("product_quality")
    blocked = COMPLAINT.rule_blocks(quality, AS, now=NOW)
    assert set(blocked) == {"explain"}
    assert blocked["explain"].count("(R11)") == 1
    assert "start_payout" in COMPLAINT.ready_actions(quality, AS, now=NOW)
    transport = assessed("transport_damage")
    assert set(COMPLAINT.rule_blocks(transport, AS, now=NOW)) == {"start_payout"}
    ready = COMPLAINT.ready_actions(transport, AS, now=NOW)
    assert "explain" in ready and "start_payout" not in ready


def test_form_guards_do_not_hide_a_button() -> None:
    # "explain" needs a handling opinion (a form guard): the button stays, the click says so.
    transport = assessed("transport_damage")
    assert not transport.handling_opinion
    assert "explain" in COMPLAINT.ready_actions(transport, AS, now=NOW)


@settings(deadline=None, max_examples=60)
@given(cause=st.sampled_from(CAUSES))
def test_a_blocked_action_is_refused_by_that_rule_and_a_ready_one_is_not(cause: str) -> None:
    form = assessed(cause)
    blocked = COMPLAINT.rule_blocks(form, AS, now=NOW)
    ready = COMPLAINT.ready_actions(form, AS, now=NOW)
    assert set(ready) | set(blocked) == set(COMPLAINT.available_actions(form, AS))
    assert not set(ready) & set(blocked)
    for action, why in blocked.items():
        with pytest.raises(GuardFailed) as err:
            COMPLAINT.apply(form, action, AS, now=NOW)
        assert f"({err.value.rule})" in why
    for action in ready:
        refused_by = None
        try:
            COMPLAINT.apply(form, action, AS, now=NOW)
        except GuardFailed as exc:
            refused_by = exc.rule
        except AftersalesError:
            refused_by = "form"  # bad or missing input, which the user supplies
        assert refused_by in (None, "form"), f"{action} refused by rule {refused_by}"


def test_nothing_is_ready_for_a_role_the_table_refuses() -> None:
    form = assessed("product_quality")
    stranger = Actor(user="x", roles=frozenset({Role.RND}))
    assert COMPLAINT.ready_actions(form, stranger, now=NOW) == ()
    assert COMPLAINT.rule_blocks(form, stranger, now=NOW) == {}
