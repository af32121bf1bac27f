"""The demo adapts to any valid policy (issue 11, finding 15)."""

from __future__ import annotations

import tempfile
from datetime import time
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales_core.embedded.demo import run_demo
from aftersales_core.policy import Policy, PolicyError
from aftersales_core.roles import Role


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    home = draw(st.integers(1, 72))
    other = home + draw(st.integers(0, 48))
    data = {
        "return_host_threshold": draw(st.integers(1, 8)),
        "return_accessory_threshold": draw(st.integers(1, 20)),
        "special_order_small_max_sets": draw(st.integers(1, 15)),
        "return_acceptance_window_days": draw(st.none() | st.integers(30, 400)),
        "requisition_signoff_roles": tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        [Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE, Role.FINANCE]
                    ),
                    min_size=1,
                    max_size=4,
                    unique=True,
                )
            )
        ),
        "resale_requires_gm_approval": draw(st.booleans()),
        "charge_replaced_parts": draw(st.booleans()),
        "arrival_hours_home": home,
        "arrival_hours_other": other,
        "arrival_hours_remote": other + draw(st.integers(0, 48)),
        "home_province": draw(st.sampled_from(["Jiangsu", "Zhejiang", "Guangdong", "Sichuan"])),
        "remote_provinces": frozenset(
            draw(st.lists(st.sampled_from(["Xizang", "Qinghai", "Hainan"]), max_size=3))
        ),
        "resolution_hours": draw(st.integers(1, 96)),
        "default_warranty_months": draw(st.integers(0, 36)),
        "contract_required_out_of_warranty": draw(st.booleans()),
        "repeat_window_days": draw(st.integers(1, 60)),
        "repeat_count": draw(st.integers(2, 4)),
        "batch_problem_quantity": draw(st.integers(1, 10)),
        "payment_cutoff": time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30, 59]))),
        "timezone": draw(st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York"])),
        "engineering_deposit_ratio": Decimal(draw(st.sampled_from(["0.1", "0.5", "0.9"]))),
        "weekly_review_weekday": draw(st.sampled_from(["monday", "friday", "sunday"])),
        "survey_after_closed_case": draw(st.booleans()),
        "survey_every_months": draw(st.integers(1, 12)),
        "dissatisfied_below_score": draw(st.integers(1, 5)),
        "travel_expense_days": draw(st.integers(1, 5)),
        "pareto_vital_few_percent": draw(st.integers(1, 100)),
    }
    try:
        return Policy(**data)
    except PolicyError:
        return Policy(**{**data, "home_province": "Jiangsu", "remote_provinces": frozenset()})


def _run(policy: Policy) -> None:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        result = run_demo(
            Path(folder) / "demo.db", cases=6, seed=3, policy=policy, say=lines.append, charts=False
        )
    assert result.cases > 10
    text = "\n".join(lines)
    assert "refused as expected" in text


def test_the_unusual_thresholds_of_the_issue() -> None:
    _run(
        Policy(
            return_host_threshold=1, return_accessory_threshold=1, special_order_small_max_sets=1
        )
    )


def test_the_shortest_deadlines_and_a_single_signoff() -> None:
    _run(
        Policy(
            arrival_hours_home=1,
            arrival_hours_other=1,
            arrival_hours_remote=1,
            requisition_signoff_roles=(Role.WAREHOUSE,),
            repeat_count=4,
            repeat_window_days=1,
        )
    )


@settings(
    deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(policies())
def test_the_demo_runs_under_any_valid_policy(policy: Policy) -> None:
    _run(policy)
