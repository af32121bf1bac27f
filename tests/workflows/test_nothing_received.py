"""Regression of a crash the workflow fuzzing found (tests/fuzz): a return whose lines
record nothing received, in a state past the receipt (a host's record, or a stored case
edited by hand), made ship_back, stock_in, approve_stock_in and settle build a command
without items: a pydantic ValidationError escaped. The step is now refused
(GuardFailed) and the record stays as it was."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from aftersales_core import GuardFailed, Role
from aftersales_core.forms import ReturnForm, ReturnLine, ReturnTrackingForm
from aftersales_core.workflows import Actor
from aftersales_core.workflows.registry import get_workflow

NOW = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)
EVERYONE = Actor(user="u", roles=frozenset(Role))


def _nothing_received(purpose: str, state: str) -> ReturnTrackingForm:
    return ReturnTrackingForm(
        number="RT/1",
        state=state,
        purpose=purpose,
        customer="ACME",
        delivered_at=NOW - timedelta(days=30),
        return_form=ReturnForm(
            requested_at=NOW - timedelta(days=1), reason="leaks", settlement="credit_note"
        ),
        lines=(ReturnLine(ref="1", product="MC-200", product_class="host", quantity=2),),
    )


@pytest.mark.parametrize(
    ("workflow", "purpose", "state", "action"),
    [
        ("return_for_repair", "repair", "repaired", "ship_back"),
        ("refund_return", "refund", "refurbished", "stock_in"),
        ("refund_return", "refund", "awaiting_approval", "approve_stock_in"),
        ("refund_return", "refund", "restocked", "settle"),
    ],
)
def test_moving_goods_when_nothing_was_received_is_refused(
    workflow: str, purpose: str, state: str, action: str
) -> None:
    wf: Any = get_workflow(workflow)
    record = _nothing_received(purpose, state)
    before = record.model_dump()
    with pytest.raises(GuardFailed, match="nothing has been received"):
        wf.apply(record, action, EVERYONE, now=NOW)
    assert record.model_dump() == before
