"""The Policy: seeds' defaults, TOML files, validation naming the field."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_core import InvalidInput, Policy, PolicyError, Role


def test_defaults_are_the_seeds() -> None:
    p = Policy()
    assert (p.return_host_threshold, p.return_accessory_threshold) == (5, 15)
    assert p.special_order_small_max_sets == 10
    assert p.return_acceptance_window_days is None
    assert p.requisition_signoff_roles == (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE)
    assert p.resale_requires_gm_approval
    assert p.charge_replaced_parts
    assert (p.arrival_hours_home, p.arrival_hours_other, p.arrival_hours_remote) == (24, 48, 72)
    assert p.resolution_hours == 48
    assert p.payment_cutoff == time(15, 30)
    assert p.engineering_deposit_ratio == Decimal("0.5")
    assert p.travel_expense_days == 2
    assert p.repeat_window_days == 30
    assert p.pareto_vital_few_percent == 80


def test_toml_round_trip(tmp_path: Path) -> None:
    p = Policy(
        return_host_threshold=3,
        warranty_months={"sensor": 24, "gauge": 12},
        home_province="Guangdong",
        return_acceptance_window_days=30,
    )
    f = tmp_path / "policy.toml"
    f.write_text(p.to_toml(), encoding="utf-8")
    assert Policy.from_toml(f) == p


def test_toml_top_level_keys_and_defaults(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(
        'special_order_small_max_sets = 9\npayment_cutoff = "16:00:00"\n', encoding="utf-8"
    )
    p = Policy.from_toml(f)
    assert p.special_order_small_max_sets == 9
    assert p.payment_cutoff == time(16)
    assert p.return_host_threshold == 5


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("return_host_threshold = 0\n", "return_host_threshold"),
        ('timezone = "Mars/Olympus"\n', "timezone"),
        ("engineering_deposit_ratio = 1.5\n", "engineering_deposit_ratio"),
        ("unknown_knob = 1\n", "unknown_knob"),
        ('home_province = "Xinjiang"\n', "policy"),
        ("arrival_hours_home = 100\n", "policy"),
        ('requisition_signoff_roles = ["warehouse", "warehouse"]\n', "requisition_signoff_roles"),
        ('requisition_signoff_roles = ["janitor"]\n', "requisition_signoff_roles.0"),
        ("[policy]\nwarranty_months = { sensor = -1 }\n", "warranty_months"),
    ],
)
def test_invalid_file_names_the_field(tmp_path: Path, text: str, field: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        Policy.from_toml(f)
    assert isinstance(err.value, InvalidInput)
    if field != "policy":
        assert err.value.field == field
    assert field.split(".")[0] in str(err.value) or field == "policy"


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="file not found"):
        Policy.from_toml(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("return_host_threshold = = 3", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        Policy.from_toml(broken)
    table = tmp_path / "table.toml"
    table.write_text('policy = "x"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="must be a table"):
        Policy.from_toml(table)


def test_warranty_months_for_category() -> None:
    p = Policy(warranty_months={"sensor": 24}, default_warranty_months=6)
    assert p.warranty_months_for("sensor") == 24
    assert p.warranty_months_for("gauge") == 6
    assert p.warranty_months_for(None) == 6


@given(st.integers(1, 50), st.integers(1, 50), st.integers(1, 100))
def test_any_valid_numbers_round_trip(hosts: int, accessories: int, sets: int) -> None:
    p = Policy(
        return_host_threshold=hosts,
        return_accessory_threshold=accessories,
        special_order_small_max_sets=sets,
    )
    assert Policy.from_mapping(p.model_dump(mode="json")) == p
