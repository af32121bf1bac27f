"""R10 warranty and R7 parts charging: calendar months, exact ends, switches, bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import in_warranty, parts_charge, warranty_decision, warranty_end
from aftersales_core.rules.warranty import (
    CAUSES,
    CHARGE,
    FREE,
    FREE_REPAIR,
    FREE_REPLACEMENT,
    NOT_CHARGED,
    NOT_COMPENSATED,
    PAID_SERVICE,
    REFUND,
)

UTC = timezone.utc
US = timedelta(microseconds=1)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delivered", "months", "end"),
    [
        (at(2025, 1, 31), 1, at(2025, 2, 28)),
        (at(2024, 1, 31), 1, at(2024, 2, 29)),
        (at(2024, 2, 29), 12, at(2025, 2, 28)),
        (at(2025, 3, 15), 12, at(2026, 3, 15)),
        (at(2025, 11, 30), 3, at(2026, 2, 28)),
        (at(2025, 5, 5), 0, at(2025, 5, 5)),
        (at(2025, 12, 1), 25, at(2028, 1, 1)),
    ],
)
def test_warranty_end_calendar_months(delivered: datetime, months: int, end: datetime) -> None:
    pol = Policy(default_warranty_months=months)
    assert warranty_end(delivered, None, policy=pol) == end


def test_category_months_override_the_default() -> None:
    pol = Policy(warranty_months={"pump": 24, "seal": 0})
    d = at(2025, 1, 10)
    assert warranty_end(d, "pump", policy=pol) == at(2027, 1, 10)
    assert warranty_end(d, "seal", policy=pol) == d
    assert warranty_end(d, "valve", policy=pol) == at(2026, 1, 10)
    assert warranty_end(d, None) == at(2026, 1, 10)


def test_exact_end_is_in_warranty_one_microsecond_later_is_not() -> None:
    d = at(2025, 1, 10)
    end = warranty_end(d, None)
    assert in_warranty(d, end, None)
    assert not in_warranty(d, end + US, None)
    assert warranty_decision(d, end, None, "company").outcome == FREE_REPAIR
    out = warranty_decision(d, end + US, None, "company")
    assert out.outcome == PAID_SERVICE
    assert out.facts["warranty_end"] == end.isoformat()
    assert "2026-01-10" in out.reasons[0]


@pytest.mark.parametrize(
    ("cause", "repairable", "replaceable", "outcome"),
    [
        ("company", True, True, FREE_REPAIR),
        ("company", True, False, FREE_REPAIR),
        ("company", False, True, FREE_REPLACEMENT),
        ("company", False, False, REFUND),
        ("unknown", False, True, FREE_REPLACEMENT),
        ("user", True, True, NOT_COMPENSATED),
        ("user", False, False, NOT_COMPENSATED),
    ],
)
def test_r10_within_warranty(cause: str, repairable: bool, replaceable: bool, outcome: str) -> None:
    d = warranty_decision(
        at(2025, 1, 1), at(2025, 6, 1), None, cause, repairable=repairable, replaceable=replaceable
    )
    assert (d.rule, d.outcome) == ("R10", outcome)
    assert "contract_required" not in d.facts
    assert d.facts["warranty_months"] == 12


@pytest.mark.parametrize("required", [True, False])
def test_out_of_warranty_contract_switch(required: bool) -> None:
    pol = Policy(contract_required_out_of_warranty=required)
    d = warranty_decision(at(2020, 1, 1), at(2025, 1, 1), "pump", "user", policy=pol)
    assert d.outcome == PAID_SERVICE
    assert d.facts["contract_required"] is required
    assert ("contract is signed before the work" in d.reasons[1]) is required


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cause": "weather"}, "cause"),
        ({"cause": None}, "cause"),
        ({"delivered_at": datetime(2025, 1, 1)}, "delivered_at"),
        ({"at": datetime(2025, 1, 1)}, "at"),
        ({"at": "2025-01-01"}, "at"),
    ],
)
def test_r10_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "delivered_at": at(2025, 1, 1),
        "at": at(2025, 2, 1),
        "category": None,
        "cause": "company",
        **kwargs,
    }
    with pytest.raises(InvalidInput) as info:
        warranty_decision(**args)  # type: ignore[arg-type]
    assert info.value.field == field


aware_dt = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2080, 1, 1), timezones=st.just(UTC)
)


@settings(deadline=None)
@given(
    aware_dt,
    st.integers(0, 4000),
    st.sampled_from(CAUSES),
    st.booleans(),
    st.booleans(),
    st.integers(0, 60),
)
def test_r10_total_and_consistent(
    delivered: datetime, days: int, cause: str, rep: bool, repl: bool, months: int
) -> None:
    pol = Policy(default_warranty_months=months)
    moment = delivered + timedelta(days=days)
    d = warranty_decision(
        delivered, moment, None, cause, repairable=rep, replaceable=repl, policy=pol
    )
    outcomes = {FREE_REPAIR, FREE_REPLACEMENT, REFUND, NOT_COMPENSATED, PAID_SERVICE}
    assert d.outcome in outcomes and d.reasons
    assert (d.outcome == PAID_SERVICE) == (not in_warranty(delivered, moment, None, policy=pol))
    if d.outcome != PAID_SERVICE and cause != "user":
        assert d.outcome == (FREE_REPAIR if rep else FREE_REPLACEMENT if repl else REFUND)


@settings(deadline=None)
@given(aware_dt, st.integers(0, 120), st.integers(0, 120))
def test_longer_warranty_never_ends_earlier(delivered: datetime, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert warranty_end(delivered, None, policy=Policy(default_warranty_months=lo)) <= warranty_end(
        delivered, None, policy=Policy(default_warranty_months=hi)
    )


@dataclass
class Part:
    product: str
    quantity: int


def test_r7_outcomes_and_switch() -> None:
    parts = [{"product": "seal", "quantity": 2}, Part("bearing", 1)]
    charged = parts_charge(parts, under_warranty=False)
    assert (charged.rule, charged.outcome) == ("R7", CHARGE)
    assert "3 replaced parts recorded" in charged.reasons[0]
    assert charged.facts["parts"] == [
        {"product": "seal", "quantity": 2},
        {"product": "bearing", "quantity": 1},
    ]
    assert parts_charge(parts, under_warranty=True).outcome == FREE
    off = Policy(charge_replaced_parts=False)
    assert parts_charge(parts, under_warranty=False, policy=off).outcome == NOT_CHARGED
    assert parts_charge(parts, under_warranty=True, policy=off).outcome == FREE
    none = parts_charge([], under_warranty=False)
    assert none.outcome == NOT_CHARGED and none.facts["parts"] == []


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ([{"quantity": 1}], "parts[0].product"),
        ([{"product": "a", "quantity": 1}, {"product": "b"}], "parts[1].quantity"),
        ([{"product": "a", "quantity": 0}], "parts[0].quantity"),
        ([{"product": "a", "quantity": -1}], "parts[0].quantity"),
        ([{"product": "a", "quantity": 1.5}], "parts[0].quantity"),
        ([Part("a", True)], "parts[0].quantity"),
    ],
)
def test_r7_bad_parts_name_the_field(parts: list[object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parts_charge(parts, under_warranty=False)
    assert info.value.field == field


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=5), st.integers(1, 50)), max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_r7_total(raw: list[tuple[str, int]], under: bool, charge: bool) -> None:
    parts = [{"product": p, "quantity": q} for p, q in raw]
    d = parts_charge(parts, under_warranty=under, policy=Policy(charge_replaced_parts=charge))
    assert d.outcome in {CHARGE, FREE, NOT_CHARGED} and d.reasons
    assert d.outcome == (
        NOT_CHARGED if not parts else FREE if under else CHARGE if charge else NOT_CHARGED
    )
    assert len(d.facts["parts"]) == len(parts)
