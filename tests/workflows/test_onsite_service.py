"""Workflow 5, on-site service: R8 deadline, R28 modes, R24 checks, R26 installed base,
R10 warranty and contract, R25 difficult problems, R21 old parts, R22 travel, follow-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_core import GuardFailed, Policy, Role, RoleNotAllowed
from aftersales_core.forms import (
    InstalledUnit,
    PartUsed,
    ServiceContract,
    ServiceInformationRecord,
    ServiceRepairList,
)
from aftersales_core.rules import in_warranty
from aftersales_core.workflows import Actor
from aftersales_core.workflows.onsite_service import ONSITE_SERVICE

NOW = datetime(2026, 5, 4, 2, tzinfo=timezone.utc)
ARRIVAL = Policy().arrival_checklist
DONE = Policy().completion_checklist


def actor(*roles: Role, user: str = "u") -> Actor:
    return Actor(user=user, roles=frozenset(roles))


AS = actor(Role.AFTER_SALES, user="li")
ASM = actor(Role.AFTER_SALES_MANAGER, user="boss")
TECH = actor(Role.MAINTENANCE, user="zhao")


def kinds(step: Any) -> list[str]:
    return [c.kind for c in step.commands]


def unit(ref: str, days_ago: int, lot: str = "L1", product: str = "TG-100") -> InstalledUnit:
    return InstalledUnit(
        ref=ref, product=product, lot=lot, delivered_at=NOW - timedelta(days=days_ago)
    )


def record(
    province: str = "Jiangsu",
    delivered_days_ago: int = 30,
    mode: str = "visit",
    units: tuple[InstalledUnit, ...] | None = None,
) -> ServiceInformationRecord:
    return ServiceInformationRecord(
        number="S/1",
        received_at=NOW,
        customer="Ship Co",
        province=province,
        request="gauge reads 0",
        product="TG-100",
        mode=mode,  # type: ignore[arg-type]
        installed_base=units if units is not None else (unit("7", delivered_days_ago),),
    )


def repair_list(signed: bool = True) -> ServiceRepairList:
    return ServiceRepairList(
        product_model="TG-100",
        repair_date=date(2026, 5, 5),
        replaced_parts=(
            PartUsed(
                ref="m1", product="sensor", quantity=1, purchased=True, supplier="Acme Sensors"
            ),
            PartUsed(ref="m2", product="seal", quantity=2),
            PartUsed(ref="m3", product="fuse", quantity=1, purchased=True),
        ),
        failure_cause="moisture",
        customer_name="Ship Co",
        contact="+86 21 5555",
        customer_signature="Capt. Wu" if signed else "",
    )


def steps(arrive_after_h: int = 5) -> list[tuple[str, Actor, dict[str, Any] | None]]:
    return [
        ("record", AS, None),
        ("dispatch", AS, {"assignee": "zhao"}),
        ("arrive", TECH, {"arrived_at": NOW + timedelta(hours=arrive_after_h)}),
        ("decide_warranty", TECH, {"cause": "company", "checks": ARRIVAL}),
        ("complete", TECH, {"repair_list": repair_list(), "checks": ARRIVAL + DONE}),
        ("return_old_parts", TECH, None),
        (
            "claim_travel",
            TECH,
            {"returned_at": NOW + timedelta(days=1), "travel_amount": Decimal("320.50")},
        ),
        ("follow_up", AS, {"follow_up": "phone", "follow_up_result": "gauge reads right"}),
    ]


def upto(action: str, form: ServiceInformationRecord | None = None) -> ServiceInformationRecord:
    plan = steps()
    n = [a for a, _, _ in plan].index(action)
    later = NOW + timedelta(days=1, hours=1)  # after the technician is back (R22)
    return ONSITE_SERVICE.run(form or record(), plan[:n], now=later)[-1].record


def test_a_visit_end_to_end() -> None:
    done = ONSITE_SERVICE.run(record(), steps(20), now=NOW + timedelta(days=1, hours=1))
    assert done[0].record.region == "home"
    assert done[0].record.deadline == NOW + timedelta(hours=24)
    assert [d.rule for d in done[0].decisions] == ["R8", "R28"]
    assert kinds(done[1]) == ["dispatch_visit"]
    assert done[2].decisions[0].outcome == "on_time"
    assert [d.rule for d in done[3].decisions] == ["R10", "R26"]
    assert done[3].record.warranty == "free_repair"
    assert done[3].record.unit == "7"
    assert done[3].record.delivered_at == NOW - timedelta(days=30, hours=-1, minutes=60)
    back = done[5].commands
    assert kinds(done[5]) == ["return_old_parts"] * 2 + ["claim_supplier"] * 2
    assert [(c.responsibility, [i.ref for i in c.items]) for c in back[:2]] == [  # type: ignore[union-attr]
        ("company", ["m2"]),
        ("supplier", ["m1", "m3"]),
    ]
    assert [(c.supplier, [i.ref for i in c.items]) for c in back[2:]] == [  # type: ignore[union-attr]
        ("Acme Sensors", ["m1"]),
        ("supplier unknown", ["m3"]),
    ]
    assert kinds(done[6]) == ["reimburse_travel"]
    assert kinds(done[7]) == ["send_survey"]
    assert done[-1].record.state == "closed"
    assert done[-1].record.follow_up_result == "gauge reads right"


# --- R8 ---------------------------------------------------------------------------------


def test_late_arrival_needs_explanation() -> None:
    dispatched = ONSITE_SERVICE.run(record("Guangdong"), steps()[:2], now=NOW)[-1].record
    assert dispatched.deadline == NOW + timedelta(hours=48)
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            dispatched, "arrive", AS, params={"arrived_at": NOW + timedelta(hours=60)}, now=NOW
        )
    assert err.value.rule == "R8"
    step = ONSITE_SERVICE.apply(
        dispatched,
        "arrive",
        AS,
        params={"arrived_at": NOW + timedelta(hours=60), "late_explanation": "typhoon"},
        now=NOW,
    )
    assert step.decisions[0].outcome == "late"


# --- R28 --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["consultation", "remote_guidance"])
def test_a_remote_mode_is_answered_archived_and_never_dispatched(mode: str) -> None:
    recorded = ONSITE_SERVICE.apply(record(mode=mode), "record", AS, now=NOW)
    assert recorded.record.deadline is None
    assert [(d.rule, d.outcome) for d in recorded.decisions] == [("R28", "answer_remotely")]
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(recorded.record, "dispatch", AS, params={"assignee": "zhao"}, now=NOW)
    assert err.value.rule == "R28"
    with pytest.raises(GuardFailed, match="answer"):
        ONSITE_SERVICE.apply(recorded.record, "answer_remotely", AS, now=NOW)
    answered = ONSITE_SERVICE.apply(
        recorded.record, "answer_remotely", AS, params={"answer": "reset the zero"}, now=NOW
    ).record
    assert answered.state == "answered" and answered.answer == "reset the zero"
    closed = ONSITE_SERVICE.apply(
        answered, "follow_up", AS, params={"follow_up": "email", "follow_up_result": "ok"}, now=NOW
    )
    assert closed.record.state == "closed"


def test_a_visit_is_not_answered_remotely() -> None:
    recorded = ONSITE_SERVICE.apply(record(), "record", AS, now=NOW).record
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(recorded, "answer_remotely", AS, params={"answer": "x"}, now=NOW)
    assert err.value.rule == "R28"


def test_a_mode_the_policy_does_not_offer_is_refused() -> None:
    policy = Policy(service_modes=("consultation", "visit"))
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(record(mode="remote_guidance"), "record", AS, policy=policy, now=NOW)
    assert err.value.rule == "R28" and "does not offer remote guidance" in str(err.value)


# --- R24 --------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ARRIVAL)
def test_every_arrival_check_is_needed_before_the_repair(missing: str) -> None:
    on_site = upto("decide_warranty")
    checks = tuple(c for c in ARRIVAL if c != missing)
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            on_site, "decide_warranty", TECH, params={"cause": "company", "checks": checks}, now=NOW
        )
    assert err.value.rule == "R24" and missing in str(err.value)


def test_repaired_parts_must_be_qualified_and_the_list_signed() -> None:
    repairing = upto("complete")
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            repairing, "complete", TECH, params={"repair_list": repair_list()}, now=NOW
        )
    assert err.value.rule == "R24" and "repaired_parts_qualified" in str(err.value)
    with pytest.raises(GuardFailed, match="signed"):
        ONSITE_SERVICE.apply(
            repairing,
            "complete",
            TECH,
            params={"repair_list": repair_list(signed=False), "checks": ARRIVAL + DONE},
            now=NOW,
        )


def test_a_company_checklist_replaces_the_default() -> None:
    policy = Policy(arrival_checklist=("gas_free_certificate",), completion_checklist=())
    on_site = ONSITE_SERVICE.run(record(), steps()[:3], now=NOW, policy=policy)[-1].record
    with pytest.raises(GuardFailed, match="gas_free_certificate"):
        ONSITE_SERVICE.apply(
            on_site, "decide_warranty", TECH, params={"checks": ARRIVAL}, policy=policy, now=NOW
        )
    step = ONSITE_SERVICE.apply(
        on_site,
        "decide_warranty",
        TECH,
        params={"checks": ("gas_free_certificate",)},
        policy=policy,
        now=NOW,
    )
    done = ONSITE_SERVICE.apply(
        step.record, "complete", TECH, params={"repair_list": repair_list()}, policy=policy, now=NOW
    )
    assert done.record.state == "completed"


# --- R26 and R10 ------------------------------------------------------------------------


def test_the_warranty_is_read_from_the_installed_base_not_from_a_declared_date() -> None:
    form = record(units=(unit("1", 800, lot="OLD"), unit("2", 30, lot="NEW")))
    on_site = upto("decide_warranty", form)
    params: dict[str, Any] = {"cause": "company", "checks": ARRIVAL}
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
    assert err.value.rule == "R26" and "lot or serial" in str(err.value)
    new = ONSITE_SERVICE.apply(
        on_site, "decide_warranty", TECH, params={**params, "lot": "NEW"}, now=NOW
    )
    assert (new.record.unit, new.record.warranty) == ("2", "free_repair")
    # A declared recent delivery date does not beat the account (R26 is required).
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            on_site,
            "decide_warranty",
            TECH,
            params={**params, "lot": "OLD", "delivered_at": NOW - timedelta(days=1)},
            now=NOW,
        )
    assert err.value.rule == "R10" and "contract" in str(err.value)


def test_a_unit_not_on_the_account_is_refused_unless_the_policy_accepts_a_date() -> None:
    form = record(units=())
    on_site = upto("decide_warranty", form)
    params: dict[str, Any] = {
        "cause": "company",
        "checks": ARRIVAL,
        "delivered_at": NOW - timedelta(days=10),
    }
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
    assert err.value.rule == "R26"
    lenient = Policy(installed_base_required=False)
    step = ONSITE_SERVICE.apply(
        on_site, "decide_warranty", TECH, params=params, policy=lenient, now=NOW
    )
    assert step.record.warranty == "free_repair" and step.record.unit == ""


def test_out_of_warranty_needs_a_signed_contract_first() -> None:
    on_site = upto("decide_warranty", record(delivered_days_ago=800))
    params: dict[str, Any] = {"cause": "company", "checks": ARRIVAL}
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
    assert err.value.rule == "R10"
    signed = ServiceContract(
        customer="Ship Co",
        terms="paid repair",
        price=Decimal(800),
        signed_by_customer="Wu",
        signed_by_sales="Chen",
        signed_at=NOW - timedelta(hours=1),
    )
    step = ONSITE_SERVICE.apply(
        on_site, "decide_warranty", TECH, params={**params, "contract": signed}, now=NOW
    )
    assert step.record.warranty == "paid_service"


# --- R25 --------------------------------------------------------------------------------


def test_a_difficult_problem_goes_to_the_leader_and_back() -> None:
    repairing = upto("complete")
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(repairing, "escalate", TECH, now=NOW)
    assert err.value.rule == "R25"
    up = ONSITE_SERVICE.apply(
        repairing, "escalate", TECH, params={"difficulty": "controller firmware"}, now=NOW
    )
    assert up.record.state == "escalated"
    assert [(c.kind, c.role) for c in up.commands] == [  # type: ignore[attr-defined]
        ("notify", Role.AFTER_SALES_MANAGER)
    ]
    assert up.decisions[0].rule == "R25"
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            up.record, "decide_solution", TECH, params={"leader_decision": "x"}, now=NOW
        )
    assert err.value.rule == "R25" and "leader" in str(err.value)
    with pytest.raises(RoleNotAllowed):
        ONSITE_SERVICE.apply(
            up.record, "decide_solution", actor(Role.CUSTOMER), params={"leader_decision": "x"}
        )
    back = ONSITE_SERVICE.apply(
        up.record, "decide_solution", ASM, params={"leader_decision": "flash v2"}, now=NOW
    ).record
    assert back.state == "repairing"
    params: dict[str, Any] = {"repair_list": repair_list(), "checks": ARRIVAL + DONE}
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(back, "complete", TECH, params=params, now=NOW)
    assert err.value.rule == "R25" and "factory" in str(err.value)
    done = ONSITE_SERVICE.apply(
        back, "complete", TECH, params={**params, "factory_contacted": True}, now=NOW
    )
    assert done.record.state == "completed"


def test_the_policy_names_the_leader() -> None:
    policy = Policy(difficult_problem_leader=Role.RND)
    repairing = ONSITE_SERVICE.run(record(), steps()[:4], now=NOW, policy=policy)[-1].record
    up = ONSITE_SERVICE.apply(
        repairing, "escalate", TECH, params={"difficulty": "x"}, policy=policy, now=NOW
    )
    assert up.commands[0].role == Role.RND  # type: ignore[attr-defined]
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(
            up.record,
            "decide_solution",
            ASM,
            params={"leader_decision": "x"},
            policy=policy,
            now=NOW,
        )
    assert err.value.rule == "R25"
    rnd = actor(Role.RND)
    assert ONSITE_SERVICE.available_actions(up.record, rnd, policy=policy) == ("decide_solution",)
    assert ONSITE_SERVICE.available_actions(up.record, ASM, policy=policy) == ()


# --- R22 --------------------------------------------------------------------------------


def test_late_travel_claim_needs_manager() -> None:
    parts_back = upto("claim_travel")
    params = {"returned_at": NOW, "travel_amount": Decimal(100)}
    later = NOW + timedelta(days=3)
    with pytest.raises(GuardFailed) as err:
        ONSITE_SERVICE.apply(parts_back, "claim_travel", TECH, params=params, now=later)
    assert err.value.rule == "R22"
    step = ONSITE_SERVICE.apply(parts_back, "claim_travel", ASM, params={**params}, now=later)
    assert step.decisions[0].outcome == "late"


def test_the_follow_up_records_its_result() -> None:
    claimed = upto("follow_up")
    with pytest.raises(GuardFailed, match="follow_up_result"):
        ONSITE_SERVICE.apply(claimed, "follow_up", AS, params={"follow_up": "phone"}, now=NOW)


# --- properties -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    done=st.sets(st.sampled_from(ARRIVAL)),
    days=st.integers(min_value=0, max_value=1000),
)
def test_the_repair_starts_exactly_when_every_check_is_recorded(done: set[str], days: int) -> None:
    on_site = upto("decide_warranty", record(delivered_days_ago=days))
    params = {"cause": "company", "checks": tuple(sorted(done))}
    if done != set(ARRIVAL):
        with pytest.raises(GuardFailed) as err:
            ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
        assert err.value.rule == "R24"
        return
    if not in_warranty(NOW - timedelta(days=days), NOW, None):
        with pytest.raises(GuardFailed) as err:  # paid service, no contract signed
            ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
        assert err.value.rule == "R10"
        return
    step = ONSITE_SERVICE.apply(on_site, "decide_warranty", TECH, params=params, now=NOW)
    assert step.record.warranty == "free_repair"
