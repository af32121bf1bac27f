"""Explanations that are true (issue 11, findings 10-12 and 14).

A decision's reasons mention the numbers the decision used and never state the
opposite of its outcome.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales_core import rules
from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput, RoleNotAllowed
from aftersales_core.forms.returns import ReturnLine, ReturnTrackingForm, StockInForm
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor
from aftersales_core.workflows.refund_return import REFUND_RETURN

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc


def text(d: Decision) -> str:
    return " ".join(d.reasons)


# --- finding 10: R14 ------------------------------------------------------------------------


def test_r14_paid_after_the_cutoff_for_next_day_shipping_does_not_say_today() -> None:
    d = rules.shipping_cutoff(datetime(2025, 5, 6, 15, 31, tzinfo=SH), date(2025, 5, 7))
    assert d.outcome == rules.SHIP_TODAY  # ships on the ship date asked about
    assert "ships today" not in text(d)
    assert "before the 15:30 cut-off of 2025-05-07" in text(d)
    assert "ships on 2025-05-07" in text(d)
    assert "15:31" in text(d)


def test_r14_paid_on_the_day_by_the_cutoff() -> None:
    d = rules.shipping_cutoff(datetime(2025, 5, 6, 15, 30, tzinfo=SH), date(2025, 5, 6))
    assert d.outcome == rules.SHIP_TODAY
    assert text(d) == (
        "Payment arrived 2025-05-06 at 15:30 (Asia/Shanghai), by the 15:30 cut-off of that "
        "day: ships on 2025-05-06 (R14)."
    )


@pytest.mark.parametrize(
    ("paid", "earliest"),
    [
        (datetime(2025, 5, 6, 15, 31, tzinfo=SH), "2025-05-07"),
        (datetime(2025, 5, 8, 9, 0, tzinfo=SH), "2025-05-08"),  # paid two days late, early
        (datetime(2025, 5, 8, 16, 0, tzinfo=SH), "2025-05-09"),
    ],
)
def test_r14_late_payment_names_the_earliest_shipment(paid: datetime, earliest: str) -> None:
    d = rules.shipping_cutoff(paid, date(2025, 5, 6))
    assert d.outcome == rules.NEXT_DAY
    assert f"the earliest shipment is {earliest}" in text(d)
    assert "does not ship on 2025-05-06" in text(d)
    assert d.facts["earliest_ship_date"] == earliest


# --- finding 11: R15 ------------------------------------------------------------------------


def test_r15_reason_is_exact_for_50_01_percent() -> None:
    d = rules.engineering_release(Decimal("5001"), Decimal("10000"))
    assert d.outcome == rules.RELEASE
    assert "50.0 %" not in text(d)
    assert text(d).startswith("5001 paid of 10000 is more than 50 % of it (5000)")


def test_r15_a_payment_above_the_total_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        rules.engineering_release(Decimal("100.01"), Decimal("100"))
    assert info.value.field == "paid"


@settings(deadline=None)
@given(
    st.decimals("0.01", "100000", places=2),
    st.decimals("0", "1", places=4),
    st.decimals("0.01", "0.99", places=2),
)
def test_r15_reason_never_contradicts_the_outcome(
    total: Decimal, share: Decimal, ratio: Decimal
) -> None:
    paid = (total * share).quantize(Decimal("0.01"))
    assume(paid <= total)
    d = rules.engineering_release(paid, total, policy=Policy(engineering_deposit_ratio=ratio))
    match = re.match(r"(\S+) paid of (\S+) is (not )?more than .*? of it \(([^)]+)\)", text(d))
    assert match is not None
    said_paid, said_total, negated, said_threshold = match.groups()
    assert Decimal(said_paid) == paid and Decimal(said_total) == total
    assert Decimal(said_threshold) == total * ratio
    # The sentence is true of the figures it prints, and agrees with the outcome.
    assert (Decimal(said_paid) > Decimal(said_threshold)) == (negated is None)
    assert (d.outcome == rules.RELEASE) == (negated is None)


# --- finding 12: R6 role messages follow the policy ----------------------------------------


def _awaiting() -> ReturnTrackingForm:
    line = ReturnLine(product="X", product_class="host", quantity=1, received_quantity=1)
    return ReturnTrackingForm(
        state="awaiting_approval",
        number="RFD000001",
        purpose="refund",
        customer="C",
        lines=(line,),
        stock_in=StockInForm(items=(line,), filled_by="li"),
    )


@pytest.mark.parametrize("gm_required", [True, False])
def test_r6_every_message_names_the_same_roles(gm_required: bool) -> None:
    pol = Policy(resale_requires_gm_approval=gm_required)
    approvers = rules.stock_in_approvers(policy=pol)
    sales = Actor(user="s", roles=frozenset({Role.SALESPERSON}))
    with pytest.raises(RoleNotAllowed) as info:
        REFUND_RETURN.apply(_awaiting(), "approve_stock_in", sales, policy=pol)
    assert info.value.required == frozenset(r.value for r in approvers)
    refusal = rules.stock_in_approval({Role.SALESPERSON}, policy=pol)
    named = set(re.findall(r"[a-z_]+_manager", text(refusal)))
    assert named == {r.value for r in approvers}
    asm = Actor(user="m", roles=frozenset({Role.AFTER_SALES_MANAGER}))
    if gm_required:
        with pytest.raises(RoleNotAllowed):
            REFUND_RETURN.apply(_awaiting(), "approve_stock_in", asm, policy=pol)
        assert "approve_stock_in" not in REFUND_RETURN.available_actions(
            _awaiting(), asm, policy=pol
        )
    else:
        step = REFUND_RETURN.apply(_awaiting(), "approve_stock_in", asm, policy=pol)
        assert step.record.state == "restocked"
        assert "approve_stock_in" in REFUND_RETURN.available_actions(_awaiting(), asm, policy=pol)


_ = (time, timedelta, UTC)
