"""R23 Pareto: ordering, percentages, the vital few, bad rows; hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core.analytics import ParetoRow, pareto
from aftersales_core.errors import InvalidInput
from aftersales_core.policy import Policy


def test_orders_by_count_and_marks_the_vital_few() -> None:
    rows = [
        {"category": "seal", "count": 10, "cost": 5},
        {"category": "connector", "count": 60, "cost": "12.50"},
        {"category": "firmware", "count": 30, "cost": 0},
    ]
    table = pareto(rows)
    assert [r.category for r in table] == ["connector", "firmware", "seal"]
    assert [r.percent for r in table] == [60.0, 30.0, 10.0]
    assert [r.cumulative_percent for r in table] == [60.0, 90.0, 100.0]
    # 60 % before firmware is below 80 %, so firmware is vital; 90 % before seal is not.
    assert [r.vital_few for r in table] == [True, True, False]
    assert table[0].cost == Decimal("12.50")


def test_cut_off_comes_from_the_policy() -> None:
    rows = [{"category": "a", "count": 60}, {"category": "b", "count": 40}]
    assert [r.vital_few for r in pareto(rows, policy=Policy(pareto_vital_few_percent=60))] == [
        True,
        False,
    ]
    assert [r.vital_few for r in pareto(rows, policy=Policy(pareto_vital_few_percent=61))] == [
        True,
        True,
    ]


def test_by_cost_ties_by_name_merges_duplicates_and_drops_zero() -> None:
    rows = [
        {"category": "b", "count": 1, "cost": 10},
        {"category": "a", "count": 5, "cost": 10},
        {"category": "a", "count": 1, "cost": 0},
        {"category": "z", "count": 0, "cost": 0},
        {"category": "", "count": 2, "cost": 1},
    ]
    table = pareto(rows, by="cost")
    assert [(r.category, r.count, r.cost) for r in table] == [
        ("a", 6, Decimal(10)),
        ("b", 1, Decimal(10)),
        ("unclassified", 2, Decimal(1)),
    ]


def test_objects_are_rows_too() -> None:
    class Row:
        category = "x"
        count = 3

    assert pareto([Row()])[0].count == 3


def test_empty_input_gives_an_empty_table() -> None:
    assert pareto([]) == []


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"count": 1}, "rows[0].category"),
        ({"category": 3, "count": 1}, "rows[0].category"),
        ({"category": "a"}, "rows[0].count"),
        ({"category": "a", "count": -1}, "rows[0].count"),
        ({"category": "a", "count": 1.5}, "rows[0].count"),
        ({"category": "a", "count": True}, "rows[0].count"),
        ({"category": "a", "count": 1, "cost": -2}, "rows[0].cost"),
        ({"category": "a", "count": 1, "cost": "abc"}, "rows[0].cost"),
        ({"category": "a", "count": 1, "cost": "NaN"}, "rows[0].cost"),
    ],
)
def test_bad_rows_name_the_field(row: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        pareto([row])
    assert err.value.field == field


def test_bad_measure() -> None:
    with pytest.raises(InvalidInput, match="by"):
        pareto([], by="weight")  # type: ignore[arg-type]


counts = st.lists(
    st.tuples(st.sampled_from("abcdefghij"), st.integers(0, 1000)), min_size=0, max_size=30
)


@given(counts, st.integers(1, 100))
def test_cumulative_is_monotone_ends_at_100_and_vital_few_is_minimal(
    data: list[tuple[str, int]], cut: int
) -> None:
    table = pareto(
        [{"category": c, "count": n} for c, n in data],
        policy=Policy(pareto_vital_few_percent=cut),
    )
    if not table:
        assert sum(n for _, n in data) == 0
        return
    cumulative = [r.cumulative_percent for r in table]
    assert cumulative == sorted(cumulative)
    assert cumulative[-1] == 100.0
    assert [r.count for r in table] == sorted((r.count for r in table), reverse=True)
    vital = [r.vital_few for r in table]
    k = sum(vital)
    assert vital == [True] * k + [False] * (len(table) - k)  # a prefix
    total = sum(r.count for r in table)
    reached = sum(r.count for r in table[:k])
    assert reached * 100 >= cut * total  # the prefix reaches the cut-off
    assert sum(r.count for r in table[: k - 1]) * 100 < cut * total  # and is minimal


@given(counts)
def test_percentages_add_up(data: list[tuple[str, int]]) -> None:
    table: list[ParetoRow] = pareto([{"category": c, "count": n} for c, n in data])
    if table:
        assert sum(r.percent for r in table) == pytest.approx(100.0)
