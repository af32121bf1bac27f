"""R4 return acceptance, R5 requisition sign-offs, R6 stock-in approval."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.roles import Role
from aftersales_core.rules import (
    next_signoff_role,
    requisition_signoff,
    return_acceptance,
    stock_in_approval,
)
from aftersales_core.rules.acceptance import ACCEPT, ALLOWED, APPROVED, REFUSED, REJECT, REVIEW

UTC = timezone.utc
DELIVERED = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
SEEDS_ORDER = (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE)


def test_r4_default_review_shows_delivery_date_and_reason() -> None:
    d = return_acceptance(DELIVERED, DELIVERED + timedelta(days=400), "  wrong model  ")
    assert (d.rule, d.outcome) == ("R4", REVIEW)
    assert "2025-04-01" in d.reasons[0] and "wrong model" in d.reasons[0]
    assert "400 days" in d.reasons[0]
    assert d.facts["return_acceptance_window_days"] is None
    assert d.facts["reason"] == "wrong model"


@pytest.mark.parametrize(
    ("window", "elapsed", "outcome"),
    [
        (7, timedelta(days=7), ACCEPT),
        (7, timedelta(days=7, hours=23), ACCEPT),
        (7, timedelta(days=8), REJECT),
        (1, timedelta(0), ACCEPT),
        (1, timedelta(days=2), REJECT),
        (90, timedelta(days=90), ACCEPT),
        (90, timedelta(days=91), REJECT),
    ],
)
def test_r4_window_boundaries(window: int, elapsed: timedelta, outcome: str) -> None:
    pol = Policy(return_acceptance_window_days=window)
    d = return_acceptance(DELIVERED, DELIVERED + elapsed, "broken", policy=pol)
    assert d.outcome == outcome
    assert f"{window} day" in d.reasons[1]


@pytest.mark.parametrize(
    ("delivered", "requested", "reason", "field"),
    [
        (datetime(2025, 4, 1), DELIVERED, "x", "delivered_at"),
        (DELIVERED, datetime(2025, 4, 2), "x", "requested_at"),
        (DELIVERED, DELIVERED - timedelta(seconds=1), "x", "requested_at"),
        (DELIVERED, DELIVERED, "", "reason"),
        (DELIVERED, DELIVERED, "   ", "reason"),
        (DELIVERED, DELIVERED, None, "reason"),
    ],
)
def test_r4_bad_input(delivered: object, requested: object, reason: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        return_acceptance(delivered, requested, reason)  # type: ignore[arg-type]
    assert info.value.field == field


@settings(deadline=None)
@given(st.integers(0, 3000), st.one_of(st.none(), st.integers(1, 400)))
def test_r4_total(days: int, window: int | None) -> None:
    pol = Policy(return_acceptance_window_days=window)
    d = return_acceptance(DELIVERED, DELIVERED + timedelta(days=days), "reason", policy=pol)
    assert d.outcome in {ACCEPT, REJECT, REVIEW} and len(d.reasons) == 2
    if window is None:
        assert d.outcome == REVIEW
    else:
        assert d.outcome == (ACCEPT if days <= window else REJECT)


def test_r5_default_order_step_by_step() -> None:
    assert next_signoff_role([]) == Role.SALES_HEAD
    assert next_signoff_role([Role.SALES_HEAD]) == Role.PRODUCTION_MANAGER
    assert next_signoff_role(list(SEEDS_ORDER[:2])) == Role.WAREHOUSE
    assert next_signoff_role(list(SEEDS_ORDER)) is None


@pytest.mark.parametrize(
    "signed",
    [
        [Role.PRODUCTION_MANAGER],
        [Role.SALES_HEAD, Role.SALES_HEAD],
        [Role.SALES_HEAD, Role.WAREHOUSE],
        [*SEEDS_ORDER, Role.WAREHOUSE],
    ],
)
def test_r5_signatures_out_of_order_name_the_field(signed: list[Role]) -> None:
    with pytest.raises(InvalidInput) as info:
        next_signoff_role(signed)
    assert info.value.field == "signatures"
    assert "sales_head -> production_manager -> warehouse" in str(info.value)
    with pytest.raises(InvalidInput):
        requisition_signoff(signed, {Role.WAREHOUSE})


def test_r5_signer_lacking_the_next_role_is_refused_and_told_who() -> None:
    d = requisition_signoff([Role.SALES_HEAD], {Role.WAREHOUSE, Role.SALES_HEAD})
    assert (d.rule, d.outcome) == ("R5", REFUSED)
    assert d.facts["next_role"] == "production_manager"
    assert "production_manager" in d.reasons[0]
    ok = requisition_signoff([Role.SALES_HEAD], {Role.PRODUCTION_MANAGER})
    assert ok.outcome == ALLOWED and ok.facts["signed"] == ["sales_head"]


def test_r5_all_signed_is_refused() -> None:
    d = requisition_signoff(list(SEEDS_ORDER), set(Role))
    assert d.outcome == REFUSED and d.facts["next_role"] is None


def test_r5_custom_order_from_policy() -> None:
    pol = Policy(requisition_signoff_roles=(Role.WAREHOUSE, Role.GENERAL_MANAGER))
    assert next_signoff_role([], policy=pol) == Role.WAREHOUSE
    assert requisition_signoff([], {Role.SALES_HEAD}, policy=pol).outcome == REFUSED
    d = requisition_signoff([Role.WAREHOUSE], {Role.GENERAL_MANAGER}, policy=pol)
    assert d.outcome == ALLOWED
    assert next_signoff_role([Role.WAREHOUSE, Role.GENERAL_MANAGER], policy=pol) is None


@settings(deadline=None)
@given(st.integers(0, 3), st.frozensets(st.sampled_from(list(Role))))
def test_r5_total(done: int, held: frozenset[Role]) -> None:
    d = requisition_signoff(list(SEEDS_ORDER[:done]), held)
    assert d.outcome in {ALLOWED, REFUSED} and d.reasons
    nxt = SEEDS_ORDER[done] if done < 3 else None
    assert (d.outcome == ALLOWED) == (nxt is not None and nxt in held)


@pytest.mark.parametrize(
    ("roles", "requires_gm", "outcome"),
    [
        ({Role.GENERAL_MANAGER}, True, APPROVED),
        ({Role.AFTER_SALES_MANAGER}, True, REFUSED),
        ({Role.AFTER_SALES_MANAGER}, False, APPROVED),
        ({Role.GENERAL_MANAGER}, False, APPROVED),
        ({Role.WAREHOUSE, Role.MAINTENANCE}, False, REFUSED),
        (set(), True, REFUSED),
    ],
)
def test_r6(roles: set[Role], requires_gm: bool, outcome: str) -> None:
    d = stock_in_approval(roles, policy=Policy(resale_requires_gm_approval=requires_gm))
    assert (d.rule, d.outcome) == ("R6", outcome)
    assert d.facts["resale_requires_gm_approval"] is requires_gm
    if outcome == REFUSED:
        assert "general_manager" in d.reasons[0]


def test_r5_unknown_role_names_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        next_signoff_role(["janitor"])  # type: ignore[list-item]
    assert info.value.field == "signatures"
    assert "found janitor" in str(info.value)


def test_r5_role_values_as_strings_follow_the_order() -> None:
    assert next_signoff_role(["sales_head"]) == Role.PRODUCTION_MANAGER  # type: ignore[list-item]


def test_r5_work_start_is_free_with_the_switch_off() -> None:
    from aftersales_core.rules import work_start

    d = work_start([("MRQ/1", False)], work="Repair RO/1")
    assert (d.rule, d.outcome) == ("R5", ALLOWED)
    assert d.facts["pending"] == ["MRQ/1"]


def test_r5_work_start_waits_for_every_requisition_with_the_switch_on() -> None:
    from aftersales_core.rules import work_start

    pol = Policy(requisition_before_work=True)
    d = work_start([("MRQ/1", True), ("MRQ/2", False)], work="Repair RO/1", policy=pol)
    assert (d.rule, d.outcome) == ("R5", REFUSED)
    assert "MRQ/2" in d.reasons[0] and "MRQ/1" not in d.reasons[0]
    assert work_start([("MRQ/1", True)], policy=pol).outcome == ALLOWED
    assert work_start([], policy=pol).outcome == ALLOWED


@pytest.mark.parametrize(
    "bad", [[("MRQ/1",)], [("", True)], [("MRQ/1", "yes")], ["MRQ/1"]]
)
def test_r5_work_start_bad_input_names_the_entry(bad: list[object]) -> None:
    from aftersales_core.rules import work_start

    with pytest.raises(InvalidInput) as info:
        work_start(bad)  # type: ignore[arg-type]
    assert info.value.field == "requisitions[0]"


@pytest.mark.parametrize("reason", ["broken", "broken.", "broken!", "坏了。", "broken. "])
def test_r4_reason_ends_with_one_full_stop(reason: str) -> None:
    """Issue 13: a reason that ends with its own full stop does not print two."""
    now = datetime(2026, 3, 2, tzinfo=timezone.utc)
    decision = return_acceptance(now - timedelta(days=3), now, reason)
    first = decision.reasons[0]
    assert first.endswith(".") and not first.endswith("..") and "。." not in first
