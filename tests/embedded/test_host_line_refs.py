"""The embedded host keys lines by ref: ``<number>/<n>``, an embedder's ref kept, and two
lines of one product keep their own stock balances."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from embedded_helpers import NOW

from aftersales_core import commands as c
from aftersales_core.embedded import EmbeddedHost
from aftersales_core.errors import InvalidInput
from aftersales_core.forms import ReturnTrackingForm
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor


def actor(role: Role) -> Actor:
    return Actor(user=f"{role.value}.user", roles=frozenset({role}))


def line(quantity: int, **kw: Any) -> dict[str, Any]:
    return {"product": "MC-200", "product_class": "host", "quantity": quantity, **kw}


def form(purpose: str, *lines: dict[str, Any], **kw: Any) -> ReturnTrackingForm:
    data: dict[str, Any] = {
        "purpose": purpose,
        "customer": "Jinling Automation",
        "delivered_at": NOW - timedelta(days=40),
        "lines": lines,
        "return_form": {"requested_at": NOW, "reason": "faulty"},
    }
    data.update(kw)
    return ReturnTrackingForm.model_validate(data)


def stored(host: EmbeddedHost, cid: int) -> ReturnTrackingForm:
    record = host.case(cid).form
    assert isinstance(record, ReturnTrackingForm)
    return record


def by_ref(host: EmbeddedHost, cid: int) -> dict[tuple[str, str], int]:
    """Balance of each (line ref, location) of a case."""
    out: dict[tuple[str, str], int] = {}
    for r in host.conn.execute(
        "SELECT line_ref, from_location, to_location, quantity FROM stock_moves WHERE case_id = ?",
        (cid,),
    ):
        out[(r[0], r[1])] = out.get((r[0], r[1]), 0) - r[3]
        out[(r[0], r[2])] = out.get((r[0], r[2]), 0) + r[3]
    return {k: v for k, v in out.items() if v}


def receive_all(host: EmbeddedHost, cid: int) -> None:
    host.act(cid, "submit", actor(Role.SALESPERSON))
    host.act(cid, "accept", actor(Role.SALESPERSON))
    lines = [
        ln.model_copy(update={"received_quantity": ln.quantity}) for ln in stored(host, cid).lines
    ]
    host.act(cid, "receive", actor(Role.WAREHOUSE), {"lines": lines})


def test_the_host_keys_each_line_number_slash_n(host: EmbeddedHost) -> None:
    cid = host.open_case("return_for_repair", form("repair", line(1), line(2), line(3)))
    number = host.case(cid).number
    assert [ln.ref for ln in stored(host, cid).lines] == [
        f"{number}/1",
        f"{number}/2",
        f"{number}/3",
    ]


def test_an_embedders_ref_is_kept(host: EmbeddedHost) -> None:
    cid = host.open_case("return_for_repair", form("repair", line(1, ref="SO7-L1"), line(2)))
    number = host.case(cid).number
    assert [ln.ref for ln in stored(host, cid).lines] == ["SO7-L1", f"{number}/2"]


def test_a_key_that_repeats_an_embedders_ref_is_refused(host: EmbeddedHost) -> None:
    before = host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    with pytest.raises(InvalidInput) as err:
        host.open_case("return_for_repair", form("repair", line(1), line(1, ref="RTR000001/1")))
    assert err.value.field == "lines"
    assert host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == before


def test_lines_given_at_submit_are_keyed_too(host: EmbeddedHost) -> None:
    cid = host.open_case("return_for_repair", form("repair"))
    number = host.case(cid).number
    host.act(cid, "submit", actor(Role.SALESPERSON), {"lines": [line(1), line(2, ref="mine")]})
    assert [ln.ref for ln in stored(host, cid).lines] == [f"{number}/1", "mine"]


def test_forms_without_keyed_lines_are_stored_as_given(host: EmbeddedHost) -> None:
    from aftersales_core.forms import ComplaintHandlingForm

    cid = host.open_case(
        "complaint",
        ComplaintHandlingForm(channel="phone", received_at=NOW, customer="ACME", description="x"),
    )
    assert host.case(cid).state == "draft"


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param((line(1, lot="A"), line(3, lot="B")), id="two-lots"),
        pytest.param((line(1, sale_order="SO/1"), line(3, sale_order="SO/2")), id="two-deliveries"),
        pytest.param((line(1), line(3)), id="no-lots"),
    ],
)
def test_two_lines_of_one_product_keep_separate_balances(
    host: EmbeddedHost, lines: tuple[dict[str, Any], ...]
) -> None:
    cid = host.open_case("return_for_repair", form("repair", *lines))
    first, second = (ln.ref for ln in stored(host, cid).lines)
    receive_all(host, cid)
    assert by_ref(host, cid) == {
        (first, "customer"): -1,
        (first, "received"): 1,
        (second, "customer"): -3,
        (second, "received"): 3,
    }
    step = host.act(cid, "route", actor(Role.AFTER_SALES))
    repairs = [cmd for cmd in step.commands if isinstance(cmd, c.OpenRepair)]
    assert [(r.item.ref, r.item.quantity) for r in repairs] == [(first, 1), (second, 3)]
    assert by_ref(host, cid) == {
        (first, "customer"): -1,
        (first, "in_repair"): 1,
        (second, "customer"): -3,
        (second, "in_repair"): 3,
    }
    host.act(cid, "finish_repair", actor(Role.MAINTENANCE), {"repairs_done": "fixed"})
    host.act(cid, "ship_back", actor(Role.WAREHOUSE))
    assert by_ref(host, cid) == {
        (first, "customer"): -1,
        (first, "shipped_back"): 1,
        (second, "customer"): -3,
        (second, "shipped_back"): 3,
    }


def test_a_refund_of_two_lines_of_one_product_restocks_each_line(host: EmbeddedHost) -> None:
    cid = host.open_case(
        "refund_return", form("refund", line(3, lot="A", ref="ext-1"), line(4, lot="B"))
    )
    number = host.case(cid).number
    receive_all(host, cid)
    assert host.act(cid, "route", actor(Role.AFTER_SALES)).history.to_state == "in_rework"
    host.act(cid, "finish_rework", actor(Role.PRODUCTION), {"repairs_done": "reflashed"})
    host.act(cid, "pass_inspection", actor(Role.QUALITY))
    host.act(cid, "stock_in", actor(Role.AFTER_SALES))
    host.act(cid, "approve_stock_in", actor(Role.GENERAL_MANAGER))
    assert by_ref(host, cid) == {
        ("ext-1", "customer"): -3,
        ("ext-1", "sellable"): 3,
        (f"{number}/2", "customer"): -4,
        (f"{number}/2", "sellable"): 4,
    }


def test_a_move_of_an_item_without_ref_counts_the_products_balance(host: EmbeddedHost) -> None:
    cid = host.open_case("return_for_repair", form("repair", line(2)))
    number = host.case(cid).number
    host.carry_out(c.ReceiveReturn(reference=number, items=(c.Item(product="MC-200", quantity=2),)))
    host.carry_out(c.ShipBack(reference=number, items=(c.Item(product="MC-200", quantity=2),)))
    assert by_ref(host, cid) == {("", "customer"): -2, ("", "shipped_back"): 2}
