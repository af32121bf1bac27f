"""Legal paths end to end: special order, material requisition (on-site service is in
tests/workflows/test_onsite_service.py), quality information, order processing; and the guards that refuse them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from aftersales_core import GuardFailed, Policy, Role, RoleNotAllowed
from aftersales_core.forms import (
    CapaAction,
    CapaReport,
    ContractReviewForm,
    MaterialLine,
    MaterialRequisitionForm,
    OrderRecord,
    QualityFeedbackSheet,
)
from aftersales_core.workflows import Actor, Workflow
from aftersales_core.workflows.material_requisition import MATERIAL_REQUISITION
from aftersales_core.workflows.order_processing import ORDER_PROCESSING
from aftersales_core.workflows.quality_information import QUALITY_INFORMATION
from aftersales_core.workflows.special_order import SPECIAL_ORDER

NOW = datetime(2026, 5, 4, 2, tzinfo=timezone.utc)


def actor(*roles: Role, user: str = "u") -> Actor:
    return Actor(user=user, roles=frozenset(roles))


SALES = actor(Role.SALESPERSON, user="sales")
AS = actor(Role.AFTER_SALES, user="li")
ASM = actor(Role.AFTER_SALES_MANAGER, user="boss")


def run(
    wf: Workflow[Any], record: Any, steps: list[tuple[str, Actor, dict[str, Any] | None]], **kw: Any
) -> list[Any]:
    return wf.run(record, steps, now=kw.pop("now", NOW), **kw)


def kinds(step: Any) -> list[str]:
    return [c.kind for c in step.commands]


# --- special order (R3) ---------------------------------------------------------------


def contract(qty: int) -> ContractReviewForm:
    return ContractReviewForm(
        number="CR/1", customer="ACME", product="gauge", quantity=qty, requirements="IP68 housing"
    )


def test_small_special_order_of_8_sets() -> None:
    steps = run(
        SPECIAL_ORDER,
        contract(8),
        [
            ("review", SALES, None),
            ("route", AS, None),
            ("test_batch", AS, {"modifications": "new gasket", "test_result": "passed"}),
            ("ship", SALES, None),
        ],
    )
    assert steps[1].record.route == "after_sales"
    assert steps[1].history.to_state == "modifying"
    assert kinds(steps[-1]) == ["ship_order"]
    assert steps[-1].record.state == "shipped"
    assert steps[-1].record.shipped_at == NOW


def test_large_special_order_of_40_sets() -> None:
    steps = run(
        SPECIAL_ORDER,
        contract(40),
        [
            ("review", SALES, None),
            ("route", AS, None),
            ("approve_samples", SALES, {"sample_result": "passed"}),
            ("issue_bom", actor(Role.RND), {"bom": "BOM-GAUGE-IP68"}),
            ("start_production", actor(Role.PMC), None),
            ("inspect", actor(Role.QUALITY), {"inspection_result": "passed"}),
            ("store", actor(Role.WAREHOUSE), None),
            ("ship", SALES, None),
        ],
    )
    assert [s.history.to_state for s in steps] == [
        "reviewed",
        "sampling",
        "rnd_filing",
        "purchasing",
        "producing",
        "inspected",
        "stored",
        "shipped",
    ]
    assert kinds(steps[3]) == ["plan_purchases"]
    assert kinds(steps[4]) == ["start_production"]
    assert steps[1].decisions[0].outcome == "mass_production"


def test_special_order_guards() -> None:
    reviewed = run(SPECIAL_ORDER, contract(8), [("review", SALES, None), ("route", AS, None)])[
        -1
    ].record
    with pytest.raises(GuardFailed) as err:
        SPECIAL_ORDER.apply(
            reviewed,
            "test_batch",
            AS,
            params={"modifications": "x", "test_result": "failed"},
            now=NOW,
        )
    assert err.value.rule == "R3"
    with pytest.raises(GuardFailed, match="modifications"):
        SPECIAL_ORDER.apply(reviewed, "test_batch", AS, params={"test_result": "passed"}, now=NOW)


# --- material requisition (R5) --------------------------------------------------------


def requisition() -> MaterialRequisitionForm:
    return MaterialRequisitionForm(
        number="MR/1",
        requester="li",
        purpose="RT/7",
        lines=(MaterialLine(product="seal", quantity=2),),
    )


def test_three_ordered_signoffs_issue_the_materials() -> None:
    steps = run(
        MATERIAL_REQUISITION,
        requisition(),
        [
            ("submit", AS, None),
            ("sign", actor(Role.SALES_HEAD, user="head"), None),
            ("sign", actor(Role.PRODUCTION_MANAGER, user="pm"), None),
            ("sign", actor(Role.WAREHOUSE, user="wh"), None),
        ],
    )
    assert [s.history.to_state for s in steps] == [
        "awaiting_signoffs",
        "awaiting_signoffs",
        "awaiting_signoffs",
        "issued",
    ]
    final = steps[-1].record
    assert [s.role for s in final.signatures] == [
        Role.SALES_HEAD,
        Role.PRODUCTION_MANAGER,
        Role.WAREHOUSE,
    ]
    assert [s.user for s in final.signatures] == ["head", "pm", "wh"]
    assert kinds(steps[-1]) == ["issue_materials"]
    assert all(not s.commands for s in steps[:-1])


@pytest.mark.parametrize(
    "wrong", [Role.PRODUCTION_MANAGER, Role.WAREHOUSE, Role.AFTER_SALES, Role.GENERAL_MANAGER]
)
def test_signoff_out_of_order_or_by_wrong_role_is_refused(wrong: Role) -> None:
    submitted = run(MATERIAL_REQUISITION, requisition(), [("submit", AS, None)])[-1].record
    with pytest.raises(GuardFailed) as err:
        MATERIAL_REQUISITION.apply(submitted, "sign", actor(wrong), now=NOW)
    assert err.value.rule == "R5"
    assert "sales_head" in str(err.value)


def test_requester_cannot_submit_for_someone_else() -> None:
    with pytest.raises(GuardFailed, match="requester"):
        MATERIAL_REQUISITION.apply(
            requisition(), "submit", actor(Role.AFTER_SALES, user="wang"), now=NOW
        )


def test_policy_order_of_two_signoffs() -> None:
    policy = Policy(requisition_signoff_roles=(Role.AFTER_SALES_MANAGER, Role.WAREHOUSE))
    steps = MATERIAL_REQUISITION.run(
        requisition(),
        [("submit", AS, None), ("sign", ASM, None), ("sign", actor(Role.WAREHOUSE), None)],
        policy=policy,
        now=NOW,
    )
    assert steps[-1].record.state == "issued"


# --- quality information (R13) --------------------------------------------------------


def sheet(**kw: Any) -> QualityFeedbackSheet:
    return QualityFeedbackSheet(
        number="Q/1", received_at=NOW, source="user", product="TG-100", failure_mode="drift", **kw
    )


def capa(closed: bool) -> CapaReport:
    return CapaReport(
        team=("quality", "R&D"),
        problem="drift after 3 months",
        containment="stop shipping lot 42",
        root_cause_occurrence="capillary seal",
        root_cause_escape="no ageing test",
        actions=(
            CapaAction(
                kind="corrective", description="new seal", owner="R&D", due=date(2026, 6, 1)
            ),
        ),
        verification="30-day ageing test passed" if closed else "",
        closed_on=date(2026, 6, 20) if closed else None,
    )


def test_normal_information_is_repaired_directly() -> None:
    steps = QUALITY_INFORMATION.run(
        sheet(), [("record", AS, None), ("classify", AS, None), ("repair_done", AS, None)], now=NOW
    )
    assert steps[1].record.classification == "repair_directly"
    assert steps[-1].record.state == "closed"


def test_marine_problem_suspends_then_resumes_after_verified_capa() -> None:
    q = actor(Role.QUALITY)
    steps = QUALITY_INFORMATION.run(
        sheet(marine=True, abnormal=True),
        [
            ("record", AS, None),
            ("classify", AS, None),
            ("open_capa", q, {"capa": capa(closed=False)}),
            ("verify", q, {"capa": capa(closed=True)}),
            ("close", q, None),
        ],
        now=NOW,
    )
    assert steps[1].history.to_state == "suspended"
    assert kinds(steps[1]) == ["suspend_production", "notify"]
    assert kinds(steps[3]) == ["resume_production"]
    assert steps[3].record.correction_verified


def test_capa_must_be_closed_before_verification() -> None:
    q = actor(Role.QUALITY)
    opened = QUALITY_INFORMATION.run(
        sheet(abnormal=True),
        [("record", AS, None), ("classify", AS, None), ("open_capa", q, {"capa": capa(False)})],
        now=NOW,
    )
    assert opened[1].history.to_state == "with_quality"
    with pytest.raises(GuardFailed) as err:
        QUALITY_INFORMATION.apply(opened[-1].record, "verify", q, now=NOW)
    assert err.value.rule == "R13"


def test_batch_problem_goes_to_general_manager() -> None:
    steps = QUALITY_INFORMATION.run(
        sheet(affected_quantity=12), [("record", AS, None), ("classify", AS, None)], now=NOW
    )
    assert steps[-1].history.to_state == "escalated"
    assert steps[-1].commands[0].role == Role.GENERAL_MANAGER  # type: ignore[union-attr]


# --- order processing (R14-R18) -------------------------------------------------------

FIN = actor(Role.FINANCE, user="fin")
SH = Policy().zone


def order(**kw: Any) -> OrderRecord:
    base: dict[str, Any] = {
        "number": "SO/1",
        "customer": "ACME",
        "product": "TG-100",
        "quantity": 10,
        "amount": Decimal(1000),
    }
    return OrderRecord(**{**base, **kw})


def test_paid_order_ships_today() -> None:
    paid_at = datetime(2026, 5, 4, 10, tzinfo=SH)
    steps = ORDER_PROCESSING.run(
        order(paid=Decimal(1000), paid_at=paid_at),
        [
            ("confirm", SALES, None),
            ("prepare", actor(Role.WAREHOUSE), None),
            ("ship", SALES, {"ship_date": date(2026, 5, 4)}),
        ],
        now=NOW,
    )
    assert steps[-1].record.state == "shipped"
    assert kinds(steps[-1]) == ["ship_order"]


def test_unpaid_order_is_held_then_paid_and_shipped() -> None:
    steps = ORDER_PROCESSING.run(
        order(),
        [
            ("confirm", SALES, None),
            ("prepare", actor(Role.WAREHOUSE), None),
            ("ship", SALES, {"ship_date": date(2026, 5, 4)}),
        ],
        now=NOW,
    )
    assert steps[-1].record.state == "held"
    assert steps[-1].commands[0].role == Role.CUSTOMER  # type: ignore[union-attr]
    paid = ORDER_PROCESSING.apply(
        steps[-1].record,
        "record_payment",
        FIN,
        params={"paid": Decimal(1000), "paid_at": datetime(2026, 5, 5, 9, tzinfo=SH)},
        now=NOW,
    )
    assert paid.record.state == "ready"
    shipped = ORDER_PROCESSING.apply(
        paid.record, "ship", SALES, params={"ship_date": date(2026, 5, 5)}, now=NOW
    )
    assert shipped.record.state == "shipped"


def test_engineering_order_needs_more_than_half_paid() -> None:
    confirmed = ORDER_PROCESSING.apply(
        order(engineering=True, paid=Decimal(500)), "confirm", SALES, now=NOW
    ).record
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(confirmed, "release_production", AS, now=NOW)
    assert err.value.rule == "R15"
    with pytest.raises(GuardFailed, match="release_production"):
        ORDER_PROCESSING.apply(confirmed, "prepare", actor(Role.WAREHOUSE), now=NOW)
    more = ORDER_PROCESSING.apply(
        confirmed, "record_payment", FIN, params={"paid": Decimal(501), "paid_at": NOW}, now=NOW
    ).record
    with pytest.raises(GuardFailed, match="duty manager"):
        ORDER_PROCESSING.apply(more, "release_production", AS, now=NOW)
    with pytest.raises(RoleNotAllowed):
        ORDER_PROCESSING.apply(more, "register_project", AS, now=NOW)
    more = ORDER_PROCESSING.apply(
        more, "register_project", actor(Role.DUTY_MANAGER, user="dm"), now=NOW
    ).record
    assert more.project_registered_by == "dm"
    released = ORDER_PROCESSING.apply(more, "release_production", AS, now=NOW)
    assert kinds(released) == ["start_production"]
    ready = ORDER_PROCESSING.apply(
        released.record, "finish_production", actor(Role.PRODUCTION), now=NOW
    ).record
    with pytest.raises(GuardFailed, match="balance"):
        ORDER_PROCESSING.apply(
            ready, "ship", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
        )


def test_credit_limit_blocks_delivery() -> None:
    ready = ORDER_PROCESSING.run(
        order(credit_limit=Decimal(500), open_balance=Decimal(0)),
        [("confirm", SALES, None), ("prepare", actor(Role.WAREHOUSE), None)],
        now=NOW,
    )[-1].record
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(
            ready, "ship", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
        )
    assert err.value.rule == "R16"


def test_similar_batch_is_flagged_and_cancellation_recorded() -> None:
    confirmed = ORDER_PROCESSING.apply(
        order(), "confirm", SALES, params={"similar_orders": ("SO/0",)}, now=NOW
    )
    assert [c.role for c in confirmed.commands] == [Role.DUTY_MANAGER, Role.SALESPERSON]  # type: ignore[union-attr]
    moved = ORDER_PROCESSING.apply(
        confirmed.record, "change_location", SALES, params={"delivery_location": "Pier 3"}, now=NOW
    )
    assert moved.record.location_changes == ("Pier 3",)
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(moved.record, "cancel", SALES, now=NOW)
    assert err.value.rule == "R17"
    cancelled = ORDER_PROCESSING.apply(
        moved.record,
        "cancel",
        SALES,
        params={"cancellation_note": "customer phoned 09:10"},
        now=NOW,
    )
    assert cancelled.record.state == "cancelled"
    assert cancelled.record.cancelled_by == SALES.user and cancelled.record.cancelled_at == NOW
    assert kinds(cancelled) == ["suspend_delivery", "notify", "notify"]
    assert cancelled.commands[0].reason == "customer phoned 09:10"  # type: ignore[union-attr]
    assert cancelled.commands[1].role == Role.WAREHOUSE  # type: ignore[union-attr]


def test_released_delivery_is_announced_to_the_warehouse_r27() -> None:
    leaves = datetime(2026, 5, 6, 9, tzinfo=SH)
    step = ORDER_PROCESSING.run(
        order(),
        [
            ("confirm", SALES, None),
            ("prepare", actor(Role.SYSTEM), {"scheduled_ship_at": leaves}),
        ],
        now=NOW,
    )[-1]
    assert step.record.state == "ready"
    assert [d.rule for d in step.decisions] == ["R27"]
    assert step.decisions[0].outcome == "in_time"
    assert kinds(step) == ["notify"]
    assert step.commands[0].role == Role.WAREHOUSE  # type: ignore[union-attr]
    assert "bundle the packing" in step.commands[0].message  # type: ignore[union-attr]


def test_logistics_exception_is_recorded_and_told_to_the_customer_r27() -> None:
    paid_at = datetime(2026, 5, 4, 10, tzinfo=SH)
    shipped = ORDER_PROCESSING.run(
        order(paid=Decimal(1000), paid_at=paid_at),
        [
            ("confirm", SALES, None),
            ("prepare", actor(Role.WAREHOUSE), None),
            ("ship", SALES, {"ship_date": date(2026, 5, 4)}),
        ],
        now=NOW,
    )[-1].record
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(shipped, "record_exception", SALES, now=NOW)
    assert err.value.rule == "R27"
    step = ORDER_PROCESSING.apply(
        shipped,
        "record_exception",
        actor(Role.WAREHOUSE),
        params={"logistics_exception": "pallet damaged in transit"},
        now=NOW,
    )
    assert step.record.logistics_exceptions == ("pallet damaged in transit",)
    assert [c.role for c in step.commands] == [Role.CUSTOMER, Role.SALESPERSON]  # type: ignore[union-attr]
    delivered = ORDER_PROCESSING.apply(step.record, "confirm_delivery", SALES, now=NOW)
    assert delivered.record.state == "delivered"


def test_unpaid_order_due_today_is_reminded_once_before_the_cutoff_r14() -> None:
    system = actor(Role.SYSTEM)
    confirmed = ORDER_PROCESSING.apply(
        order(), "confirm", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
    ).record
    before = datetime(2026, 5, 4, 15, 29, tzinfo=SH)
    step = ORDER_PROCESSING.apply(confirmed, "remind_unpaid", system, now=before)
    assert [c.role for c in step.commands] == [Role.SALESPERSON, Role.CUSTOMER]  # type: ignore[union-attr]
    assert step.record.reminded_on == date(2026, 5, 4)
    with pytest.raises(GuardFailed, match="already told today"):
        ORDER_PROCESSING.apply(step.record, "remind_unpaid", system, now=before)
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(
            confirmed, "remind_unpaid", system, now=datetime(2026, 5, 4, 15, 30, tzinfo=SH)
        )
    assert err.value.rule == "R14"
    with pytest.raises(RoleNotAllowed):
        ORDER_PROCESSING.apply(confirmed, "remind_unpaid", SALES, now=before)


def test_shipping_on_arrears_is_guaranteed_by_the_business_r14() -> None:
    ready = ORDER_PROCESSING.run(
        order(), [("confirm", SALES, None), ("prepare", actor(Role.WAREHOUSE), None)], now=NOW
    )[-1].record
    with pytest.raises(GuardFailed) as err:
        ORDER_PROCESSING.apply(ready, "guarantee_arrears", SALES, now=NOW)
    assert err.value.rule == "R14"
    unstable = ready.model_copy(update={"customer_stable": False})
    with pytest.raises(GuardFailed, match="unstable"):
        ORDER_PROCESSING.apply(
            unstable,
            "guarantee_arrears",
            SALES,
            params={"committed_payment_date": date(2026, 5, 20)},
            now=NOW,
        )
    with pytest.raises(RoleNotAllowed):
        ORDER_PROCESSING.apply(
            ready,
            "guarantee_arrears",
            actor(Role.WAREHOUSE),
            params={"committed_payment_date": date(2026, 5, 20)},
            now=NOW,
        )
    guaranteed = ORDER_PROCESSING.apply(
        ready,
        "guarantee_arrears",
        SALES,
        params={"committed_payment_date": date(2026, 5, 20)},
        now=NOW,
    ).record
    assert guaranteed.arrears_guarantee
    shipped = ORDER_PROCESSING.apply(
        guaranteed, "ship", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
    )
    assert shipped.record.state == "shipped"
    assert shipped.decisions[0].outcome == "ship_on_arrears"


def test_customer_on_credit_ships_unpaid_within_its_limit_r16() -> None:
    ready = ORDER_PROCESSING.run(
        order(credit_limit=Decimal(5000), open_balance=Decimal(1000)),
        [("confirm", SALES, None), ("prepare", actor(Role.WAREHOUSE), None)],
        now=NOW,
    )[-1].record
    step = ORDER_PROCESSING.apply(
        ready, "ship", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
    )
    assert step.record.state == "shipped"
    assert [d.outcome for d in step.decisions] == ["deliver", "hold"]
    assert kinds(step) == ["ship_order"]
    # no credit limit: the cut-off decides (held)
    cash = ORDER_PROCESSING.run(
        order(), [("confirm", SALES, None), ("prepare", actor(Role.WAREHOUSE), None)], now=NOW
    )[-1].record
    held = ORDER_PROCESSING.apply(
        cash, "ship", SALES, params={"ship_date": date(2026, 5, 4)}, now=NOW
    )
    assert held.record.state == "held"
