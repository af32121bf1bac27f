"""R24 checklists, R25 difficult problems, R26 installed base, R28 service modes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import Policy, Role
from aftersales_core.errors import InvalidInput
from aftersales_core.rules import (
    AMBIGUOUS,
    ANSWER_REMOTELY,
    COMPLETE,
    FOUND,
    INCOMPLETE,
    NOT_FOUND,
    NOT_OFFERED,
    REPORT_TO_LEADER,
    SERVICE_MODES,
    VISIT,
    difficult_problem,
    installed_unit,
    onsite_checks,
    service_mode,
    warranty_end,
)

NOW = datetime(2026, 5, 4, 2, tzinfo=timezone.utc)
ARRIVAL = Policy().arrival_checklist


def unit(
    ref: str, product: str = "TG", lot: str = "", days: int = 10, category: str = ""
) -> dict[str, object]:
    return {
        "ref": ref,
        "product": product,
        "lot": lot,
        "delivered_at": NOW - timedelta(days=days),
        "category": category,
    }


# --- R24 --------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(done=st.lists(st.sampled_from([*ARRIVAL, "extra"]), max_size=8))
def test_r24_complete_exactly_when_nothing_is_missing(done: list[str]) -> None:
    d = onsite_checks(done, stage="arrival")
    missing = [c for c in ARRIVAL if c not in done]
    assert d.rule == "R24"
    assert d.outcome == (COMPLETE if not missing else INCOMPLETE)
    assert d.facts["missing"] == missing
    for item in missing:
        assert item in d.reasons[0]


def test_r24_stages_read_their_own_list() -> None:
    assert onsite_checks(ARRIVAL, stage="completion").outcome == INCOMPLETE
    assert onsite_checks(["repaired_parts_qualified"], stage="completion").outcome == COMPLETE
    empty = Policy(completion_checklist=())
    assert onsite_checks([], stage="completion", policy=empty).outcome == COMPLETE


@pytest.mark.parametrize(
    ("done", "stage", "field"),
    [
        ("service_card", "arrival", "checks"),
        ([""], "arrival", "checks[0]"),
        ([3], "arrival", "checks[0]"),
        ([], "before", "stage"),
    ],
)
def test_r24_bad_input_names_the_field(done: object, stage: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        onsite_checks(done, stage=stage)  # type: ignore[arg-type]
    assert err.value.field == field


# --- R25 --------------------------------------------------------------------------------


@pytest.mark.parametrize("leader", [Role.AFTER_SALES_MANAGER, Role.RND, Role.GENERAL_MANAGER])
def test_r25_names_the_policy_leader(leader: Role) -> None:
    d = difficult_problem(" firmware ", policy=Policy(difficult_problem_leader=leader))
    assert (d.rule, d.outcome) == ("R25", REPORT_TO_LEADER)
    assert d.facts == {"leader": leader.value, "difficulty": "firmware"}
    assert leader.value.replace("_", " ") in d.reasons[0]


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_r25_needs_a_description(bad: object) -> None:
    with pytest.raises(InvalidInput) as err:
        difficult_problem(bad)  # type: ignore[arg-type]
    assert err.value.field == "difficulty"


# --- R26 --------------------------------------------------------------------------------


def test_r26_finds_one_unit_and_its_warranty_end() -> None:
    d = installed_unit([unit("1", days=400), unit("2", product="PG")], "TG", at=NOW)
    assert (d.rule, d.outcome) == ("R26", FOUND)
    assert d.facts["ref"] == "1" and d.facts["in_warranty"] is False
    end = warranty_end(NOW - timedelta(days=400), None)
    assert d.facts["warranty_end"] == end.isoformat()


def test_r26_category_months_apply() -> None:
    policy = Policy(warranty_months={"marine": 36})
    d = installed_unit([unit("1", days=400, category="marine")], "TG", at=NOW, policy=policy)
    assert d.facts["in_warranty"] is True and "runs to" in d.reasons[0]


def test_r26_the_lot_tells_two_units_apart() -> None:
    units = [unit("1", lot="A"), unit("2", lot="B")]
    assert installed_unit(units, "TG", at=NOW).outcome == AMBIGUOUS
    assert installed_unit(units, "TG", "B", at=NOW).facts["ref"] == "2"
    assert installed_unit(units, "TG", "C", at=NOW).outcome == NOT_FOUND
    assert installed_unit([], "TG", at=NOW).outcome == NOT_FOUND


@pytest.mark.parametrize(
    ("units", "product", "field"),
    [
        ([], "", "product"),
        ([{"ref": "1", "product": "TG", "lot": ""}], "TG", "installed_base[0].delivered_at"),
        (
            [{**unit("1"), "delivered_at": datetime(2026, 1, 1)}],
            "TG",
            "installed_base[0].delivered_at",
        ),
    ],
)
def test_r26_bad_input_names_the_field(units: list[object], product: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        installed_unit(units, product, at=NOW)
    assert err.value.field == field


@settings(max_examples=80, deadline=None)
@given(
    lots=st.lists(st.sampled_from(["A", "B", "C"]), max_size=6),
    wanted=st.sampled_from(["", "A", "B"]),
)
def test_r26_outcome_follows_the_number_of_matches(lots: list[str], wanted: str) -> None:
    units = [unit(str(i), lot=lot) for i, lot in enumerate(lots)]
    matches = [u for u in units if not wanted or u["lot"] == wanted]
    d = installed_unit(units, "TG", wanted, at=NOW)
    expected = {0: NOT_FOUND, 1: FOUND}.get(len(matches), AMBIGUOUS)
    assert d.outcome == expected
    assert d.facts["matches"] == [u["ref"] for u in matches]


# --- R28 --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", SERVICE_MODES)
def test_r28_modes(mode: str) -> None:
    d = service_mode(mode)
    assert d.rule == "R28"
    assert d.outcome == (VISIT if mode == "visit" else ANSWER_REMOTELY)
    only_visits = Policy(service_modes=("visit",))
    assert service_mode(mode, policy=only_visits).outcome == (
        VISIT if mode == "visit" else NOT_OFFERED
    )


def test_r28_unknown_mode_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        service_mode("telepathy")
    assert err.value.field == "mode"
