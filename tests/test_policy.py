"""Policy: every default is the seeds' value, TOML round trips, errors name the field."""

from __future__ import annotations

import re
import sys
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from aftersales_core import InvalidInput, Policy, PolicyError, Role

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SEEDS: dict[str, Any] = {
    "return_host_threshold": 5,  # R1: 000 Four-4 3a/3b
    "return_accessory_threshold": 15,
    "special_order_small_max_sets": 10,  # R3: 10套以下
    "return_acceptance_window_days": None,  # R4: no window in the seeds
    "requisition_signoff_roles": (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE),
    "requisition_before_work": False,
    "packing_notice_hours": 24,
    "resale_requires_gm_approval": True,  # R6
    "charge_replaced_parts": True,  # R7
    "arrival_hours_home": 24,  # R8: 004 §4.1
    "arrival_hours_other": 48,
    "arrival_hours_remote": 72,
    "resolution_hours": 48,  # R9
    "default_warranty_months": 12,  # R10
    "warranty_months": {},
    "contract_required_out_of_warranty": True,
    "repeat_window_days": 30,  # R13
    "repeat_count": 2,
    "batch_problem_quantity": 5,
    "payment_cutoff": time(15, 30),  # R14: 003 §1.3
    "timezone": "Asia/Shanghai",
    "engineering_deposit_ratio": Decimal("0.5"),  # R15
    "weekly_review_weekday": "monday",  # R19
    "survey_after_closed_case": True,  # R20
    "survey_final_customers": True,  # R20: 004 §6.1.2
    "survey_every_months": 3,
    "dissatisfied_below_score": 3,
    "travel_expense_days": 2,  # R22: 004 §4.6
    "unreachable_customer_days": 14,  # workflow 1: not in the seeds
    "pareto_vital_few_percent": 80,  # R23
    "arrival_checklist": (  # R24: 004 §4.9 A-C
        "product_certificate",
        "service_card",
        "parts_examined",
        "main_cause_recorded",
        "hidden_parts_checked",
    ),
    "completion_checklist": ("repaired_parts_qualified",),  # R24: 004 §4.9 D
    "difficult_problem_leader": Role.AFTER_SALES_MANAGER,  # R25: "the leader"
    "installed_base_required": True,  # R26
    "service_modes": ("consultation", "remote_guidance", "visit"),  # R28
    "home_province": "Jiangsu",
    "max_quantity": 1_000_000,  # not in the seeds: a guard against typing errors (issue 11)
    "database_wait_seconds": 60,  # not in the seeds: the embedded host's busy wait
}


@pytest.mark.parametrize(("name", "value"), sorted(SEEDS.items()))
def test_default_equals_the_seed(name: str, value: object) -> None:
    assert getattr(Policy(), name) == value


def test_every_field_is_listed_above_or_is_the_remote_list() -> None:
    assert set(Policy.model_fields) == set(SEEDS) | {"remote_provinces"}
    assert {"Xinjiang", "Xizang", "Qinghai"} <= Policy().remote_provinces


@pytest.mark.parametrize("name", sorted(Policy.model_fields))
def test_every_field_names_its_rule(name: str) -> None:
    description = Policy.model_fields[name].description or ""
    assert re.search(r"\bR\d{1,2}\b", description), name


def test_policy_is_frozen() -> None:
    p = Policy()
    with pytest.raises(ValidationError):
        p.return_host_threshold = 3  # type: ignore[misc]


def test_zone() -> None:
    assert Policy().zone == ZoneInfo("Asia/Shanghai")
    assert Policy(timezone="UTC").zone == ZoneInfo("UTC")


def test_default_policy_round_trips_through_toml(tmp_path: Path) -> None:
    text = Policy().to_toml()
    assert text.startswith("[policy]\n")
    assert "return_acceptance_window_days" not in text  # None is left out: the default
    assert tomllib.loads(text)["policy"]["return_host_threshold"] == 5
    f = tmp_path / "p.toml"
    f.write_text(text, encoding="utf-8")
    assert Policy.from_toml(f) == Policy()


def test_strings_are_escaped_in_toml(tmp_path: Path) -> None:
    p = Policy(home_province='Jiang "su" \\ east', warranty_months={'a "b"': 3})
    f = tmp_path / "p.toml"
    f.write_text(p.to_toml(), encoding="utf-8")
    assert Policy.from_toml(f) == p


def test_top_level_keys_equal_a_policy_table(tmp_path: Path) -> None:
    flat = tmp_path / "flat.toml"
    flat.write_text("return_host_threshold = 7\nrepeat_count = 3\n", encoding="utf-8")
    table = tmp_path / "table.toml"
    table.write_text("[policy]\nreturn_host_threshold = 7\nrepeat_count = 3\n", encoding="utf-8")
    assert Policy.from_toml(flat) == Policy.from_toml(str(table))
    assert Policy.from_toml(flat).return_host_threshold == 7


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"return_acceptance_window_days": 0}, "return_acceptance_window_days"),
        ({"weekly_review_weekday": "funday"}, "weekly_review_weekday"),
        ({"dissatisfied_below_score": 6}, "dissatisfied_below_score"),
        ({"pareto_vital_few_percent": 0}, "pareto_vital_few_percent"),
        ({"repeat_count": 1}, "repeat_count"),
        ({"engineering_deposit_ratio": 0}, "engineering_deposit_ratio"),
        ({"engineering_deposit_ratio": 1}, "engineering_deposit_ratio"),
        ({"payment_cutoff": "25:00"}, "payment_cutoff"),
        ({"requisition_signoff_roles": []}, "requisition_signoff_roles"),
        ({"home_province": ""}, "home_province"),
        ({"return_host_threshold": "five"}, "return_host_threshold"),
        ({"warranty_months": {"x": -2}}, "warranty_months"),
        ({"spare": 1}, "spare"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc"}, "timezone"),
        ({"requisition_signoff_roles": ["warehouse", "warehouse"]}, "requisition_signoff_roles"),
        ({"requisition_signoff_roles": ["janitor"]}, "requisition_signoff_roles.0"),
    ],
)
def test_from_mapping_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping(data)
    assert info.value.field == field
    assert isinstance(info.value, InvalidInput) and isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"{field}: ")
    if "; " not in info.value.problem:  # a single problem names the field once, not twice
        assert str(info.value).count(f"{field}:") == 1


def test_several_errors_are_all_listed_and_the_first_is_the_field() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({"return_host_threshold": 0, "travel_expense_days": -1})
    assert info.value.field == "return_host_threshold"
    assert "travel_expense_days" in info.value.problem


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"home_province": "Qinghai"}, "also listed as remote"),
        ({"arrival_hours_other": 12}, "must not shrink"),
        ({"arrival_hours_remote": 47}, "must not shrink"),
    ],
)
def test_consistency_errors_name_the_field(data: dict[str, Any], words: str) -> None:
    with pytest.raises(PolicyError, match=words) as info:
        Policy.from_mapping(data, source="company.toml")
    assert info.value.field in ("home_province", "arrival_hours_other")


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(PolicyError) as info:
        Policy.from_toml(missing)
    assert info.value.field == str(missing)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('home_province = "Ão"\n'.encode("latin-1"))
    with pytest.raises(PolicyError, match="not valid TOML") as info:
        Policy.from_toml(latin1)
    assert info.value.field == str(latin1)
    not_table = tmp_path / "not_table.toml"
    not_table.write_text("policy = 5\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="must be a table") as info:
        Policy.from_toml(not_table)
    assert info.value.field == "policy"
    bad_value = tmp_path / "bad.toml"
    bad_value.write_text("[policy]\nresolution_hours = -4\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        Policy.from_toml(bad_value)
    assert info.value.field == "resolution_hours"


policies = st.builds(
    lambda h, a, s, win, roles, cutoff, ratio, months, remote, gm: Policy(
        return_host_threshold=h,
        return_accessory_threshold=a,
        special_order_small_max_sets=s,
        return_acceptance_window_days=win,
        requisition_signoff_roles=roles,
        payment_cutoff=cutoff,
        engineering_deposit_ratio=ratio,
        warranty_months=months,
        remote_provinces=remote,
        resale_requires_gm_approval=gm,
    ),
    st.integers(1, 100),
    st.integers(1, 100),
    st.integers(1, 100),
    st.one_of(st.none(), st.integers(1, 365)),
    st.lists(st.sampled_from(list(Role)), min_size=1, max_size=5, unique=True).map(tuple),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.decimals("0.01", "0.99", places=2),
    st.dictionaries(st.text("abcxyz_", min_size=1, max_size=6), st.integers(0, 120), max_size=3),
    st.frozensets(st.sampled_from(["Xinjiang", "Yunnan", "Hainan", "Gansu"]), max_size=4),
    st.booleans(),
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50, deadline=None
)
@given(policies)
def test_any_policy_round_trips_through_toml(tmp_path: Path, p: Policy) -> None:
    f = tmp_path / "p.toml"
    f.write_text(p.to_toml(), encoding="utf-8")
    assert Policy.from_toml(f) == p
    assert Policy.from_mapping(p.model_dump(mode="json")) == p


# --- R24, R25, R28 policy values (issue 9) ----------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"arrival_checklist": ["Service Card"]}, "arrival_checklist"),
        ({"arrival_checklist": ["a", "a"]}, "arrival_checklist"),
        ({"completion_checklist": [""]}, "completion_checklist"),
        ({"service_modes": []}, "service_modes"),
        ({"service_modes": ["visit", "visit"]}, "service_modes"),
        ({"service_modes": ["telepathy"]}, "service_modes.0"),
        ({"difficult_problem_leader": "customer"}, "difficult_problem_leader"),
        ({"difficult_problem_leader": "nobody"}, "difficult_problem_leader"),
        ({"installed_base_required": "yes"}, "installed_base_required"),
    ],
)
def test_issue9_values_are_checked_and_named(data: dict[str, Any], field: str) -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping(data)
    assert info.value.field == field


def test_issue9_values_round_trip_through_toml(tmp_path: Path) -> None:
    p = Policy(
        arrival_checklist=("gas_free_certificate",),
        completion_checklist=(),
        difficult_problem_leader=Role.RND,
        installed_base_required=False,
        service_modes=("visit",),
    )
    f = tmp_path / "p.toml"
    f.write_text(p.to_toml(), encoding="utf-8")
    assert Policy.from_toml(f) == p
