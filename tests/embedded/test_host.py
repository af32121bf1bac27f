"""The embedded host: cases, actions in one transaction, commands as rows, crash safety."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from embedded_helpers import NOW

from aftersales_core import commands as c
from aftersales_core.embedded import EmbeddedHost
from aftersales_core.errors import (
    DatabaseBusy,
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.forms import (
    ComplaintHandlingForm,
    ContractReviewForm,
    ReturnTrackingForm,
    SatisfactionSurveyForm,
    ServiceInformationRecord,
)
from aftersales_core.policy import Policy
from aftersales_core.ports import Host
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor

TABLES = (
    "cases",
    "history",
    "commands",
    "stock_moves",
    "money_moves",
    "failure_lines",
    "replaced_parts",
    "deadlines",
    "notifications",
    "forms",
)


def actor(role: Role) -> Actor:
    return Actor(user=f"{role.value}.user", roles=frozenset({role}))


def counts(host: EmbeddedHost) -> dict[str, int]:
    return {t: host.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def balances(host: EmbeddedHost, case_id: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in host.conn.execute(
        "SELECT from_location, to_location, quantity FROM stock_moves WHERE case_id = ?", (case_id,)
    ):
        out[r[0]] = out.get(r[0], 0) - r[2]
        out[r[1]] = out.get(r[1], 0) + r[2]
    return {k: v for k, v in out.items() if v}


def return_form(
    purpose: str, hosts: int, accessories: int, *, delivered_days_ago: int = 40
) -> ReturnTrackingForm:
    lines: list[dict[str, Any]] = []
    if hosts:
        lines.append(
            {
                "product": "MC-200",
                "product_class": "host",
                "quantity": hosts,
                "failure_category": "firmware fault",
            }
        )
    if accessories:
        lines.append(
            {
                "product": "SN-5",
                "product_class": "accessory",
                "quantity": accessories,
                "problem": "sensor drift",
            }
        )
    return ReturnTrackingForm.model_validate(
        {
            "purpose": purpose,
            "customer": "Jinling Automation",
            "delivered_at": NOW - timedelta(days=delivered_days_ago),
            "lines": lines,
            "return_form": {"requested_at": NOW, "reason": "faulty"},
        }
    )


def to_received(host: EmbeddedHost, cid: int) -> None:
    host.act(cid, "submit", actor(Role.SALESPERSON))
    host.act(cid, "accept", actor(Role.SALESPERSON))
    form = host.case(cid).form
    assert isinstance(form, ReturnTrackingForm)
    lines = [ln.model_copy(update={"received_quantity": ln.quantity}) for ln in form.lines]
    host.act(cid, "receive", actor(Role.WAREHOUSE), {"lines": lines})


def test_the_host_implements_every_port(host: EmbeddedHost) -> None:
    assert isinstance(host, Host)


def test_return_for_repair_lands_as_rows(host: EmbeddedHost) -> None:
    # Delivered 400 days ago: out of the default 12 months of warranty (R10), so the
    # replaced parts are charged (R7).
    cid = host.open_case("return_for_repair", return_form("repair", 2, 3, delivered_days_ago=400))
    assert host.case(cid).number == f"RTR{cid:06d}"
    to_received(host, cid)
    step = host.act(cid, "route", actor(Role.AFTER_SALES))
    assert step.decisions[0].rule == "R1"
    assert balances(host, cid) == {"customer": -5, "in_repair": 5}
    parts = [{"product": "PS-24", "quantity": 2, "unit_price": "410.50"}]
    host.act(
        cid,
        "finish_repair",
        actor(Role.MAINTENANCE),
        {"repairs_done": "new PSU", "replaced_parts": parts},
    )
    host.act(cid, "ship_back", actor(Role.WAREHOUSE))
    host.act(cid, "close", actor(Role.SALESPERSON))
    assert host.case(cid).state == "closed"
    assert balances(host, cid) == {"customer": -5, "shipped_back": 5}
    history = host.history(cid)
    assert [h["action"] for h in history] == [
        "submit",
        "accept",
        "receive",
        "route",
        "finish_repair",
        "ship_back",
        "close",
    ]
    assert history[3]["from_state"] == "received" and history[3]["to_state"] == "in_repair"
    assert '"R1"' in history[3]["decisions_json"]
    lines = host.conn.execute(
        "SELECT kind, failure_category, quantity, cost_cents FROM failure_lines WHERE case_id = ? ORDER BY id",
        (cid,),
    ).fetchall()
    assert [tuple(r) for r in lines] == [
        ("repair", "firmware fault", 2, 32840),
        ("repair", "sensor drift", 3, 49260),
    ]
    claim = host.conn.execute("SELECT product, quantity, supplier FROM replaced_parts").fetchone()
    assert tuple(claim) == ("PS-24", 2, "Changzhou Power")
    charges = host.conn.execute(
        "SELECT kind, amount_cents FROM money_moves WHERE case_id = ?", (cid,)
    ).fetchall()
    assert [tuple(r) for r in charges] == [("charge", 82100)]


def test_refund_return_restocks_after_gm_approval(host: EmbeddedHost) -> None:
    cid = host.open_case("refund_return", return_form("refund", 5, 0))
    to_received(host, cid)
    step = host.act(cid, "route", actor(Role.AFTER_SALES))
    assert step.history.to_state == "in_rework"
    host.act(cid, "finish_rework", actor(Role.PRODUCTION), {"repairs_done": "reflashed"})
    host.act(cid, "pass_inspection", actor(Role.QUALITY))
    host.act(cid, "stock_in", actor(Role.AFTER_SALES))
    assert balances(host, cid)["refurbished"] == 5
    before = counts(host)
    with pytest.raises((RoleNotAllowed, GuardFailed)):
        host.act(cid, "approve_stock_in", actor(Role.SALESPERSON))
    assert counts(host) == before
    host.act(cid, "approve_stock_in", actor(Role.GENERAL_MANAGER))
    assert balances(host, cid) == {"customer": -5, "sellable": 5}
    form = host.case(cid).form
    assert isinstance(form, ReturnTrackingForm) and form.return_form is not None
    settled = form.return_form.model_copy(update={"settlement": "credit_note"})
    host.act(cid, "settle", actor(Role.SALESPERSON), {"return_form": settled})
    refund = host.conn.execute(
        "SELECT amount_cents FROM money_moves WHERE kind = 'refund'"
    ).fetchone()
    assert refund[0] == 5 * 480000
    kinds = [
        r[0] for r in host.conn.execute("SELECT kind FROM failure_lines WHERE case_id = ?", (cid,))
    ]
    assert kinds == ["return"]


def test_a_refused_action_changes_nothing(host: EmbeddedHost) -> None:
    cid = host.open_case("return_for_repair", return_form("repair", 1, 0))
    before = counts(host)
    with pytest.raises(IllegalTransition):
        host.act(cid, "ship_back", actor(Role.WAREHOUSE))
    with pytest.raises(RoleNotAllowed):
        host.act(cid, "submit", actor(Role.CUSTOMER))
    assert counts(host) == before
    assert host.case(cid).state == "draft"


def test_a_crash_while_carrying_out_commands_leaves_the_previous_state(
    host: EmbeddedHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = host.open_case("return_for_repair", return_form("repair", 1, 1))
    to_received(host, cid)
    before = counts(host)
    state = host.case(cid).state
    calls: list[object] = []

    def crash(command: object) -> None:
        # The first repair order is written, then the "power" fails on the second.
        if calls:
            raise RuntimeError("power cut")
        calls.append(command)
        EmbeddedHost.open_repair(host, command)  # type: ignore[arg-type]

    monkeypatch.setattr(host, "open_repair", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        host.act(cid, "route", actor(Role.AFTER_SALES))
    assert calls
    assert counts(host) == before
    assert host.case(cid).state == state


def test_complaint_resolution_deadline_r9(host: EmbeddedHost) -> None:
    form = ComplaintHandlingForm(
        channel="phone", received_at=NOW, customer="Jinling Automation", description="noise"
    )
    cid = host.open_case("complaint", form)
    host.act(cid, "record", actor(Role.AFTER_SALES), now=NOW + timedelta(hours=1))
    row = host.conn.execute(
        "SELECT due_at, done_at FROM deadlines WHERE case_id = ?", (cid,)
    ).fetchone()
    assert row["due_at"] == "2025-03-05T09:00:00Z" and row["done_at"] is None
    host.act(
        cid,
        "answer_on_spot",
        actor(Role.AFTER_SALES),
        {"handling_opinion": "reset"},
        now=NOW + timedelta(hours=60),
    )
    row = host.conn.execute("SELECT done_at FROM deadlines WHERE case_id = ?", (cid,)).fetchone()
    assert row["done_at"] == "2025-03-05T21:00:00Z"


def test_onsite_service_records_the_arrival_deadline_r8(host: EmbeddedHost) -> None:
    form = ServiceInformationRecord(
        received_at=NOW,
        customer="Plateau Power Grid",
        province="Qinghai",
        request="stops",
        product="MC-200",
        delivered_at=NOW - timedelta(days=30),
        product_category="controller",
    )
    cid = host.open_case("onsite_service", form)
    tech = actor(Role.AFTER_SALES)
    host.act(cid, "record", tech)
    host.act(cid, "dispatch", tech, {"assignee": "wang"})
    late = NOW + timedelta(hours=80)
    host.act(
        cid,
        "arrive",
        actor(Role.MAINTENANCE),
        {"arrived_at": late, "late_explanation": "snow"},
        now=late,
    )
    row = host.conn.execute(
        "SELECT region, due_at, done_at FROM deadlines WHERE kind = 'arrival'"
    ).fetchone()
    assert tuple(row) == ("remote", "2025-03-06T09:00:00Z", "2025-03-06T17:00:00Z")
    host.act(cid, "decide_warranty", actor(Role.MAINTENANCE), {"cause": "company"}, now=late)
    repair = {
        "product_model": "MC-200",
        "repair_date": late.date(),
        "failure_cause": "power supply failure",
        "customer_name": "Plateau Power Grid",
        "contact": "x",
        "customer_signature": "x",
        "replaced_parts": [
            {"product": "PS-24", "quantity": 1, "purchased": True, "supplier": "Changzhou Power"}
        ],
    }
    host.act(cid, "complete", actor(Role.MAINTENANCE), {"repair_list": repair}, now=late)
    line = host.conn.execute(
        "SELECT kind, failure_category, cost_cents FROM failure_lines"
    ).fetchone()
    assert tuple(line) == ("repair", "power supply failure", 41050)
    assert (
        host.conn.execute("SELECT supplier FROM replaced_parts").fetchone()[0] == "Changzhou Power"
    )


def test_every_command_kind_lands_as_rows(host: EmbeddedHost) -> None:
    cid = host.open_case(
        "special_order",
        ContractReviewForm(
            customer="Jinling Automation", product="MC-200", quantity=3, requirements="IP67"
        ),
    )
    ref = host.case(cid).number
    item = c.Item(product="MC-200", quantity=2)
    when = datetime(2025, 3, 4, tzinfo=timezone.utc)
    batch: list[c.Command] = [
        c.StartProduction(reference=ref, item=item, bom="BOM-1"),
        c.PlanPurchases(reference=ref, item=item, bom="BOM-1"),
        c.ShipOrder(reference=ref, item=item),
        c.ReceiveReturn(reference=ref, items=(item,)),
        c.StartRework(reference=ref, item=item, bom="BOM-R"),
        c.RequestBom(reference=ref, item=item, defect="seal"),
        c.OpenRepair(reference=ref, item=item, under_warranty=True),
        c.MoveToRefurbished(reference=ref, items=(item,)),
        c.RestockForResale(reference=ref, items=(item,), approved_by="gm"),
        c.IssueMaterials(
            reference=ref, items=(c.Item(product="PS-24", quantity=1),), purpose="repair"
        ),
        c.ChargeParts(reference=ref, parts=(c.Item(product="SN-5", quantity=2),)),
        c.IssueCreditNote(reference=ref, items=(item,)),
        c.RecordDeduction(reference=ref, amount=Decimal("12.5")),
        c.RecordPayout(reference=ref, amount=Decimal("99")),
        c.ReimburseTravel(reference=ref, technician="wang", amount=Decimal("300"), due=when),
        c.DispatchVisit(reference=ref, technician="wang", deadline=when),
        c.SendSurvey(reference=ref, customer="Jinling Automation"),
        c.Notify(reference=ref, role=Role.QUALITY, message="look"),
        c.SuspendProduction(reference=ref, product="MC-200"),
        c.ResumeProduction(reference=ref, product="MC-200"),
        c.ShipBack(reference=ref, items=(item,)),
    ]
    for command in batch:
        host.carry_out(command)
    assert host.conn.execute("SELECT COUNT(*) FROM commands WHERE case_id = ?", (cid,)).fetchone()[
        0
    ] == len(batch)
    money = dict(host.conn.execute("SELECT kind, amount_cents FROM money_moves").fetchall())
    assert money == {
        "charge": 52000,
        "refund": 960000,
        "deduction": 1250,
        "payout": 9900,
        "travel": 30000,
    }
    assert (
        host.conn.execute("SELECT due_at FROM money_moves WHERE kind = 'travel'").fetchone()[0]
        == "2025-03-04T00:00:00Z"
    )
    messages = [r[0] for r in host.conn.execute("SELECT message FROM notifications ORDER BY id")]
    assert any("classification society" in m for m in messages)
    assert any("BOM-R" in m for m in messages)


def test_master_data_errors(host: EmbeddedHost) -> None:
    with pytest.raises(InvalidInput, match=r"customer\.name"):
        host.add_customer(" ", "Jiangsu")
    with pytest.raises(InvalidInput, match=r"customer\.province"):
        host.add_customer("X", "")
    with pytest.raises(InvalidInput, match="product_class"):
        host.add_product("X", "x", "gadget")
    with pytest.raises(sqlite3.IntegrityError):
        host.add_customer("Jinling Automation", "Jiangsu")
    with pytest.raises(InvalidInput, match="customer"):
        host.add_delivery("Nobody", "MC-200", 1, NOW)
    with pytest.raises(InvalidInput, match="product"):
        host.add_delivery("Jinling Automation", "NOPE", 1, NOW)
    with pytest.raises(InvalidInput, match="quantity"):
        host.add_delivery("Jinling Automation", "MC-200", 0, NOW)
    assert host.add_delivery("Jinling Automation", "MC-200", 3, NOW, lot="L1") > 0
    assert host.province_of("Plateau Power Grid") == "Qinghai"
    assert host.province_of("Nobody") is None
    # Warranty defaults to the policy's months for the category (R10).
    assert host.product("SN-5")["warranty_months"] == host.policy.warranty_months_for("sensor")


def test_case_errors(host: EmbeddedHost) -> None:
    with pytest.raises(InvalidInput, match="workflow"):
        host.open_case("nope", return_form("repair", 1, 0))
    with pytest.raises(InvalidInput, match="form"):
        host.open_case("complaint", return_form("repair", 1, 0))
    with pytest.raises(InvalidInput, match="case"):
        host.case(999)
    with pytest.raises(InvalidInput, match="case"):
        host.case_id("NOPE")
    cid = host.open_case("return_for_repair", return_form("repair", 1, 0))
    assert host.case_id(host.case(cid).number) == cid


def test_standalone_forms(host: EmbeddedHost) -> None:
    survey = SatisfactionSurveyForm.model_validate(
        {
            "customer": "Jinling Automation",
            "sent_at": NOW,
            "answers": [{"question": "q", "score": 2}],
        }
    )
    number = host.record_form("satisfaction_survey", survey, outcome="investigate")
    row = host.conn.execute("SELECT number, form, outcome, form_json FROM forms").fetchone()
    assert row["number"] == number and row["outcome"] == "investigate"
    assert number in row["form_json"]
    with pytest.raises(InvalidInput, match="unknown form"):
        host.record_form("nope", survey)
    with pytest.raises(InvalidInput, match="needs a"):
        host.record_form("complaint", survey)


def test_transaction_helper_rolls_back(host: EmbeddedHost) -> None:
    def fail() -> None:
        with host.transaction() as conn:
            conn.execute("INSERT INTO customers (name, province) VALUES ('T', 'Jiangsu')")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert host.province_of("T") is None


def test_a_second_process_waits_for_the_write_lock(host: EmbeddedHost, db_path: object) -> None:
    cid = host.open_case("return_for_repair", return_form("repair", 1, 0))
    with EmbeddedHost(str(db_path), policy=Policy(database_wait_seconds=0)) as other:
        with host.transaction():
            host.conn.execute("UPDATE cases SET updated_at = updated_at WHERE id = ?", (cid,))
            # The other host cannot even read the case to act on it while this one writes.
            with pytest.raises(DatabaseBusy, match="busy"):
                other.act(cid, "submit", actor(Role.SALESPERSON))
        other.act(cid, "submit", actor(Role.SALESPERSON))
        with pytest.raises(IllegalTransition):
            host.act(cid, "submit", actor(Role.SALESPERSON))
    assert [h["action"] for h in host.history(cid)] == ["submit"]


@pytest.mark.parametrize(
    ("settlement", "kind"),
    [("payment", "payout"), ("credit_note", "refund"), ("deduction", "deduction")],
)
def test_a_payout_lands_as_its_settlement(host: EmbeddedHost, settlement: str, kind: str) -> None:
    form = ComplaintHandlingForm(
        channel="phone", received_at=NOW, customer="Jinling Automation", description="leak"
    )
    cid = host.open_case("complaint", form)
    number = host.case(cid).number
    assert number is not None
    host.carry_out(
        c.RecordPayout(reference=number, amount=Decimal("80.50"), settlement=settlement)  # type: ignore[arg-type]
    )
    rows = host.conn.execute("SELECT kind, amount_cents FROM money_moves").fetchall()
    assert [tuple(r) for r in rows] == [(kind, 8050)]
