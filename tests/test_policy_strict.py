"""The policy is strict and its errors are the project's own (issue 11, findings 6, 16, 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import AftersalesError, InvalidInput, Policy, PolicyError
from aftersales_core.policy import QUANTITY_LIMIT

INT_FIELDS = sorted(
    n
    for n, f in Policy.model_fields.items()
    if f.annotation is int or str(f.annotation) == "int | None"
)
BOOL_FIELDS = sorted(n for n, f in Policy.model_fields.items() if f.annotation is bool)


@pytest.mark.parametrize("name", INT_FIELDS)
@pytest.mark.parametrize("value", [True, False, 1.0, "5"])
def test_a_boolean_or_float_is_not_a_number(name: str, value: object) -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({name: value})
    assert info.value.field == name


@pytest.mark.parametrize("name", BOOL_FIELDS)
@pytest.mark.parametrize("value", [1, 0, "no", "yes", "true"])
def test_a_number_or_text_is_not_a_boolean(name: str, value: object) -> None:
    with pytest.raises(PolicyError) as info:
        Policy(**{name: value})
    assert info.value.field == name


def test_warranty_months_values_are_whole_numbers() -> None:
    with pytest.raises(PolicyError) as info:
        Policy(warranty_months={"sensor": True})
    assert info.value.field == "warranty_months.sensor"


def test_policy_check_refuses_a_boolean_threshold_in_toml(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("return_host_threshold = true\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        Policy.from_toml(path)
    assert info.value.field == "return_host_threshold"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"return_host_threshold": -1}, "return_host_threshold"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"max_quantity": QUANTITY_LIMIT + 1}, "max_quantity"),
        ({"home_province": "Xinjiang"}, "home_province"),
    ],
)
def test_the_constructor_raises_the_projects_error(data: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyError) as info:
        Policy(**data)
    assert isinstance(info.value, (InvalidInput, AftersalesError, ValueError))
    assert info.value.field == field
    # The field is said once, at the start.
    assert str(info.value).count(field) == 1 or field == "home_province"
    with pytest.raises(PolicyError):
        Policy.model_validate(data)


@settings(deadline=None)
@given(st.integers(-(10**30), 0))
def test_any_non_positive_threshold_is_a_policy_error(value: int) -> None:
    with pytest.raises(PolicyError) as info:
        Policy(return_host_threshold=value)
    assert info.value.field == "return_host_threshold"


def test_max_quantity_must_allow_every_threshold() -> None:
    with pytest.raises(PolicyError) as info:
        Policy(max_quantity=14)  # the accessory threshold is 15
    assert info.value.field == "max_quantity"
    assert Policy(max_quantity=15).max_quantity == 15


def test_a_boolean_ratio_is_refused() -> None:
    with pytest.raises(PolicyError) as info:
        Policy(engineering_deposit_ratio=True)
    assert info.value.field == "engineering_deposit_ratio"


def test_a_policy_that_is_not_a_mapping_names_the_source() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping(5, source="company.toml")  # type: ignore[arg-type]
    assert info.value.field == "company.toml"
    assert Policy.model_validate(Policy(return_host_threshold=3)).return_host_threshold == 3


def test_workflow_helpers_raise_the_projects_errors() -> None:
    from datetime import datetime, timezone

    from aftersales_core.errors import RuleViolation
    from aftersales_core.roles import Role
    from aftersales_core.workflows._common import decided, need
    from aftersales_core.workflows.engine import Actor, Context

    ctx: Context[Any] = Context(
        record=Policy(),
        before=Policy(),
        actor=Actor(user="u", roles=frozenset({Role.SYSTEM})),
        params={},
        policy=Policy(),
        now=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )
    with pytest.raises(RuleViolation):
        decided(ctx)
    with pytest.raises(InvalidInput) as info:
        need(None, "delivered_at")
    assert info.value.field == "delivered_at"
    assert need(3, "x") == 3
