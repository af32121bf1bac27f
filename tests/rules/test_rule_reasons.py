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
from aftersales_core.errors import GuardFailed, InvalidInput, RoleNotAllowed
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
        # The after-sales manager holds a role of the table; the R6 rule refuses, naming
        # the same roles as the role check above.
        with pytest.raises(GuardFailed) as refused:
            REFUND_RETURN.apply(_awaiting(), "approve_stock_in", asm, policy=pol)
        assert refused.value.rule == "R6"
        assert set(re.findall(r"[a-z_]+_manager", str(refused.value))) == named
        assert "approve_stock_in" not in REFUND_RETURN.available_actions(
            _awaiting(), asm, policy=pol
        )
    else:
        step = REFUND_RETURN.apply(_awaiting(), "approve_stock_in", asm, policy=pol)
        assert step.record.state == "restocked"
        assert "approve_stock_in" in REFUND_RETURN.available_actions(_awaiting(), asm, policy=pol)


# --- finding 14: for every rule, the reasons name the numbers used and agree with the outcome --
#
# Each outcome of each rule has a phrase that says it; a reason must say its own outcome's
# phrase and none of the others'. The numbers the decision used must appear in the text.

SIGNS: dict[str, dict[str, str]] = {
    "R1": {
        rules.AFTER_SALES: r"after-sales repairs and refurbishes",
        rules.PRODUCTION: r"production takes them",
    },
    "R2": {rules.QUALITY_EXCEPTION: r"a quality exception order goes to R&D"},
    "R3": {rules.AFTER_SALES: r" is at most ", rules.MASS_PRODUCTION: r" is more than "},
    "R4": {
        rules.ACCEPT: r"Within the return window",
        rules.REJECT: r"Outside the return window",
        rules.REVIEW: r"the business decides",
    },
    "R5": {
        rules.ALLOWED: r"and the signer holds it",
        rules.REFUSED: r"does not hold that role|is already given",
    },
    "R6": {rules.APPROVED: r"is approved", rules.REFUSED: r"^Only the"},
    "R7": {
        rules.CHARGE: r"the business charges",
        rules.FREE: r"they are free",
        rules.NOT_CHARGED: r"does not charge|nothing to charge",
    },
    "R8/R9/R22": {
        rules.ON_TIME: r"by the deadline",
        rules.LATE: r"after the deadline",
        rules.PENDING: r"left until",
        rules.OVERDUE: r"past the deadline",
    },
    "R10": {
        rules.FREE_REPAIR: r": free repair",
        rules.FREE_REPLACEMENT: r": free replacement",
        rules.REFUND: r": refund",
        rules.NOT_COMPENSATED: r"not compensated",
        rules.PAID_SERVICE: r"Service is paid",
    },
    "R12": {
        rules.TEST_STOCK: r"tests for the problem",
        rules.CUSTOMER_RETURNS_PRODUCT: r"show a similar defect",
        rules.HANDLING_OPINION_AND_PAYOUT: r"show no similar defect",
        rules.PHOTOS_AND_PRODUCT: r"^No stock of the same lot",
    },
    "R13": {
        rules.SUSPEND_PRODUCTION: r"production of the product is suspended",
        rules.GENERAL_MANAGER: r"reported to the general manager",
        rules.QUALITY_CONTROL: r"goes to quality control",
        rules.REPAIR_DIRECTLY: r"repair directly",
    },
    "R14": {
        rules.SHIP_TODAY: r": ships on \d{4}-",
        rules.NEXT_DAY: r"it does not ship on",
        rules.SHIP_ON_ARREARS: r"ships on arrears",
        rules.HOLD: r": held",
    },
    "R15": {rules.RELEASE: r" is more than ", rules.HOLD: r" is not more than "},
    "R16": {
        rules.DELIVER: r"within the credit limit|has no credit limit",
        rules.BLOCK: r"exceeds the credit limit",
    },
    "R18": {rules.FLAG: r"^\d+ similar orders? of ", rules.NONE: r"^No similar batch"},
    "R20": {rules.INVESTIGATE: r"investigate and take", rules.SATISFIED: r": satisfied"},
}


def says(d: Decision, family: str, needed: list[str]) -> None:
    """The reasons say the outcome's phrase, no other outcome's, and every number needed."""
    said = text(d)
    signs = SIGNS[family]
    assert re.search(signs[d.outcome], said, re.M), (d.outcome, said)
    for other, sign in signs.items():
        if other != d.outcome:
            assert not re.search(sign, said, re.M), (d.outcome, other, said)
    for item in needed:
        assert item in said, (item, said)


def _plural(count: int, word: str) -> str:
    from aftersales_core.rules._input import plural

    return plural(count, word)


small_int = st.integers(0, 40)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@settings(deadline=None)
@given(small_int, small_int, st.booleans(), st.integers(1, 20), st.integers(1, 30))
def test_r1_r2_r3_reasons(hosts: int, acc: int, design: bool, h_lim: int, a_lim: int) -> None:
    assume(hosts + acc > 0)
    pol = Policy(return_host_threshold=h_lim, return_accessory_threshold=a_lim)
    lines = [
        {"product_class": "host", "quantity": hosts},
        {"product_class": "accessory", "quantity": acc},
    ]
    d = rules.route_return(lines, needs_design_change=design, policy=pol)
    summary = f"{_plural(hosts, 'host')} and {_plural(acc, 'accessory')}"
    if d.outcome == rules.AFTER_SALES:
        assert hosts < h_lim and acc < a_lim
        says(d, "R1", [summary, f"fewer than {h_lim} hosts", f"fewer than {a_lim} accessories"])
    else:
        assert hosts >= h_lim or acc >= a_lim
        reached = [f"threshold of {h_lim}"] if hosts >= h_lim else []
        reached += [f"threshold of {a_lim}"] if acc >= a_lim else []
        says(d, "R2" if design else "R1", [summary, *reached])
        if design:
            assert re.search(SIGNS["R1"][rules.PRODUCTION], text(d)) is None
    special = rules.route_special_order(
        hosts + acc, policy=Policy(special_order_small_max_sets=h_lim)
    )
    says(special, "R3", [_plural(hosts + acc, "set"), str(h_lim)])
    assert (special.outcome == rules.AFTER_SALES) == (hosts + acc <= h_lim)


@settings(deadline=None)
@given(moments, st.integers(0, 400), st.none() | st.integers(1, 100))
def test_r4_reasons(delivered: datetime, days: int, window: int | None) -> None:
    requested = delivered + timedelta(days=days, hours=3)
    d = rules.return_acceptance(
        delivered, requested, "broken", policy=Policy(return_acceptance_window_days=window)
    )
    needed = [_plural(days, "day"), delivered.date().isoformat(), "broken"]
    if window is not None:
        needed.append(_plural(window, "day"))
        assert (d.outcome == rules.ACCEPT) == (days <= window)
    says(d, "R4", needed)


ROLES_R5 = (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE)


@settings(deadline=None)
@given(st.integers(0, 3), st.sets(st.sampled_from(list(Role)), max_size=3), st.booleans())
def test_r5_r6_reasons(done: int, held: set[Role], gm: bool) -> None:
    d = rules.requisition_signoff(ROLES_R5[:done], held)
    says(d, "R5", [r.value for r in ROLES_R5])
    pol = Policy(resale_requires_gm_approval=gm)
    approval = rules.stock_in_approval(held, policy=pol)
    says(approval, "R6", [])
    assert (approval.outcome == rules.APPROVED) == bool(held & rules.stock_in_approvers(policy=pol))


@settings(deadline=None)
@given(st.lists(st.integers(1, 5), max_size=4), st.booleans(), st.booleans())
def test_r7_reasons(quantities: list[int], warranty: bool, charge: bool) -> None:
    parts = [{"product": f"P{i}", "quantity": q} for i, q in enumerate(quantities)]
    d = rules.parts_charge(
        parts, under_warranty=warranty, policy=Policy(charge_replaced_parts=charge)
    )
    says(d, "R7", [_plural(sum(quantities), "replaced part")] if quantities else [])


@settings(deadline=None)
@given(moments, st.integers(0, 200), st.booleans(), st.sampled_from(rules.REGIONS))
def test_r8_r9_r22_reasons(received: datetime, hours: int, done: bool, region: str) -> None:
    moment = received + timedelta(hours=hours)
    for d in (
        rules.arrival_check(
            received, region, **({"arrived_at": moment} if done else {"now": moment})
        ),
        rules.resolution_check(received, **({"solved_at": moment} if done else {"now": moment})),
        rules.travel_expense_check(
            received, **({"claimed_at": moment} if done else {"now": moment})
        ),
    ):
        deadline = datetime.fromisoformat(str(d.facts["deadline"]))
        says(d, "R8/R9/R22", [deadline.isoformat()] + ([moment.isoformat()] if done else []))
        late = moment > deadline
        assert d.outcome == (
            (rules.LATE if late else rules.ON_TIME)
            if done
            else (rules.OVERDUE if late else rules.PENDING)
        )


@settings(deadline=None)
@given(
    moments,
    st.integers(0, 1500),
    st.integers(0, 36),
    st.sampled_from(rules.CAUSES),
    st.booleans(),
    st.booleans(),
)
def test_r10_reasons(
    delivered: datetime, days: int, months: int, cause: str, repairable: bool, replaceable: bool
) -> None:
    pol = Policy(default_warranty_months=months)
    d = rules.warranty_decision(
        delivered,
        delivered + timedelta(days=days),
        None,
        cause,
        repairable=repairable,
        replaceable=replaceable,
        policy=pol,
    )
    end = rules.warranty_end(delivered, None, policy=pol)
    says(d, "R10", [_plural(months, "month"), end.date().isoformat()])
    assert (d.outcome == rules.PAID_SERVICE) == (delivered + timedelta(days=days) > end)


@settings(deadline=None)
@given(st.integers(0, 50), st.none() | st.booleans())
def test_r12_reasons(stock: int, similar: bool | None) -> None:
    d = rules.same_batch_check(stock, similar_defect=similar)
    says(d, "R12", [_plural(stock, "unit")] if stock else [])


@settings(deadline=None)
@given(
    st.booleans(),
    st.lists(st.integers(0, 60), max_size=4),
    st.integers(1, 12),
    st.booleans(),
    st.booleans(),
    st.integers(2, 3),
    st.integers(2, 10),
)
def test_r13_reasons(
    abnormal: bool,
    ago: list[int],
    qty: int,
    major: bool,
    marine: bool,
    repeat: int,
    batch: int,
) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    pol = Policy(repeat_count=repeat, batch_problem_quantity=batch)
    occurrences = [now - timedelta(days=a) for a in ago]
    d = rules.quality_escalation(
        abnormal=abnormal,
        occurrences=occurrences,
        affected_quantity=qty,
        major=major,
        marine=marine,
        now=now,
        policy=pol,
    )
    needed = []
    if (
        qty >= batch
        and d.outcome in (rules.SUSPEND_PRODUCTION, rules.GENERAL_MANAGER)
        and not (major and d.outcome == rules.GENERAL_MANAGER and qty < batch)
    ):
        needed += [_plural(qty, "unit"), f"threshold {batch}"]
    if d.facts["repeated"] and d.outcome in (rules.SUSPEND_PRODUCTION, rules.QUALITY_CONTROL):
        needed += [f"within {pol.repeat_window_days} days", f"threshold {repeat}"]
    says(d, "R13", needed)


@settings(deadline=None)
@given(
    st.none() | moments,
    st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 1, 1)),
    st.booleans(),
    st.booleans(),
    st.times(),
)
def test_r14_reasons(
    paid: datetime | None, ship: date, guarantee: bool, stable: bool, cutoff: time
) -> None:
    pol = Policy(payment_cutoff=cutoff)
    d = rules.shipping_cutoff(
        paid,
        ship,
        arrears_guarantee=guarantee,
        committed_payment_date=ship + timedelta(days=3),
        customer_stable=stable,
        policy=pol,
    )
    cut = cutoff.strftime("%H:%M")
    if paid is not None:
        local = paid.astimezone(pol.zone)
        says(d, "R14", [cut, ship.isoformat(), local.strftime("%H:%M"), local.date().isoformat()])
        cutoff_at = datetime.combine(ship, cutoff, tzinfo=pol.zone)
        assert (d.outcome == rules.SHIP_TODAY) == (paid <= cutoff_at)
        if d.outcome == rules.NEXT_DAY:
            earliest = date.fromisoformat(str(d.facts["earliest_ship_date"]))
            assert earliest > ship
            assert datetime.combine(earliest, cutoff, tzinfo=pol.zone) >= paid
    else:
        says(
            d, "R14", [(ship + timedelta(days=3)).isoformat()] if d.outcome != rules.HOLD else [cut]
        )


@settings(deadline=None)
@given(
    st.decimals("0", "100000", places=2),
    st.decimals("0", "100000", places=2),
    st.none() | st.decimals("0", "200000", places=2),
)
def test_r16_reasons(balance: Decimal, amount: Decimal, limit: Decimal | None) -> None:
    d = rules.credit_check(balance, amount, limit)
    says(d, "R16", [] if limit is None else [str(balance), str(amount), str(limit)])
    if limit is not None:
        assert (d.outcome == rules.DELIVER) == (balance + amount <= limit)


@settings(deadline=None)
@given(st.lists(st.sampled_from(["A", "B"]), max_size=4), st.integers(1, 50))
def test_r18_reasons(products: list[str], qty: int) -> None:
    orders = [{"product": p, "reference": f"SO{i}"} for i, p in enumerate(products)]
    d = rules.similar_batch("A", qty, orders)
    refs = [o["reference"] for o in orders if o["product"] == "A"]
    says(d, "R18", refs)


@settings(deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=6), st.integers(1, 5))
def test_r20_reasons(scores: list[int], below: int) -> None:
    d = rules.satisfaction_result(scores, policy=Policy(dissatisfied_below_score=below))
    average = str(d.facts["average"])
    says(d, "R20", [average] + ([str(below)] if d.outcome == rules.INVESTIGATE else []))
    assert (d.outcome == rules.INVESTIGATE) == (
        Decimal(sum(scores)) / len(scores) < below or min(scores) == 1
    )
