"""Return tracking form, return form, stock-in form, quality exception order: validation, schema."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError, model_validator

from aftersales_core.errors import InvalidInput
from aftersales_core.forms import FORMS, Signature, form_error, json_schema, parse_form
from aftersales_core.forms.returns import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
    StockInForm,
)
from aftersales_core.roles import Role

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


def error_of(model: type[BaseModel], data: dict[str, Any]) -> InvalidInput:
    """Validate ``data`` as ``model``; return the error as the core reports it."""
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data)
    return form_error(exc.value)


LINE: dict[str, Any] = {"product": "X200", "product_class": "host", "quantity": 3}


def tracking(**changes: Any) -> dict[str, Any]:
    """The data of a valid tracking form."""
    data: dict[str, Any] = {"purpose": "repair", "customer": "ACME", "lines": (LINE,)}
    data.update(changes)
    return data


def stock_in(**changes: Any) -> dict[str, Any]:
    """The data of a valid stock-in form."""
    data: dict[str, Any] = {"items": (LINE,), "filled_by": "li"}
    data.update(changes)
    return data


# --- ReturnLine -----------------------------------------------------------------------


def test_return_line_defaults() -> None:
    line = ReturnLine(**LINE)
    assert line.received_quantity == 0
    assert (line.lot, line.problem, line.sale_order, line.failure_category) == ("", "", "", "")
    assert ReturnLine(product=" Cable ", product_class="accessory", quantity=1).product == "Cable"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"product": ""}, "product"),
        ({"product_class": "spare"}, "product_class"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"received_quantity": -1}, "received_quantity"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_return_line_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    assert error_of(ReturnLine, {**LINE, **changes}).field == field


def test_received_cannot_exceed_the_returned_quantity() -> None:
    err = error_of(ReturnLine, {**LINE, "received_quantity": 4})
    assert err.field == "received_quantity"
    assert err.problem == "4 received is more than the 3 returned"
    assert ReturnLine(**{**LINE, "received_quantity": 3}).received_quantity == 3


# --- ReplacedPart, ReturnForm, QualityExceptionOrder, StockInForm ------------------------


def test_replaced_part() -> None:
    part = ReplacedPart(product="Relay", quantity=2, unit_price=Decimal("1.5"))
    assert part.under_warranty is False
    assert error_of(ReplacedPart, {"product": "R", "quantity": 0}).field == "quantity"
    assert error_of(ReplacedPart, {"product": "", "quantity": 1}).field == "product"
    err = error_of(ReplacedPart, {"product": "R", "quantity": 1, "unit_price": "-0.01"})
    assert err.field == "unit_price"


def test_return_form() -> None:
    rf = ReturnForm(requested_at=NOW, reason="faulty")
    assert (rf.acceptance, rf.settlement, rf.deduction_amount) == ("", "", None)
    assert ReturnForm.title_zh == "退貨單"
    ok = ReturnForm(
        requested_at=NOW, reason="x", settlement="deduction", deduction_amount=Decimal("10")
    )
    assert ok.deduction_amount == Decimal("10")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requested_at": datetime(2026, 5, 4)}, "requested_at"),
        ({"reason": ""}, "reason"),
        ({"acceptance": "maybe"}, "acceptance"),
        ({"settlement": "cash"}, "settlement"),
        ({"deduction_amount": Decimal("0")}, "deduction_amount"),
    ],
)
def test_return_form_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    data = {"requested_at": NOW, "reason": "faulty", **changes}
    assert error_of(ReturnForm, data).field == field


def test_a_deduction_needs_its_amount() -> None:
    err = error_of(ReturnForm, {"requested_at": NOW, "reason": "x", "settlement": "deduction"})
    assert err.field == "deduction_amount"


def test_quality_exception_order() -> None:
    qe = QualityExceptionOrder(product="X200", lot="L1", quantity=6, defect="overheats")
    assert (qe.rnd_decision, qe.rework_bom) == ("", "")
    assert QualityExceptionOrder.title_zh == "品質異常單"
    base = {"product": "X", "quantity": 1, "defect": "d"}
    assert error_of(QualityExceptionOrder, {**base, "quantity": 0}).field == "quantity"
    assert error_of(QualityExceptionOrder, {**base, "defect": ""}).field == "defect"
    assert error_of(QualityExceptionOrder, {**base, "product": ""}).field == "product"


def test_stock_in_form() -> None:
    form = StockInForm.model_validate(stock_in())
    assert form.approval is None and form.replaced_parts == ()
    signed = form.model_copy(
        update={"approval": Signature(role=Role.GENERAL_MANAGER, user="boss", at=NOW)}
    )
    assert signed.approval is not None and signed.approval.role == Role.GENERAL_MANAGER
    assert StockInForm.title_zh == "入庫單"
    assert error_of(StockInForm, stock_in(items=())).field == "items"
    assert error_of(StockInForm, stock_in(filled_by="")).field == "filled_by"
    err = error_of(
        StockInForm,
        stock_in(approval={"role": "general_manager", "user": "boss", "at": "2026-05-04T09:00:00"}),
    )
    assert err.field == "approval.at"
    err = error_of(StockInForm, stock_in(approval={"role": "ceo", "user": "boss", "at": NOW}))
    assert err.field == "approval.role"


# --- ReturnTrackingForm -------------------------------------------------------------------


def test_tracking_form_valid_and_defaults() -> None:
    form = parse_form(ReturnTrackingForm, tracking())
    assert isinstance(form, ReturnTrackingForm)
    assert form.state == "draft"
    assert form.route == "" and form.charges == Decimal("0")
    assert form.return_form is None and form.stock_in is None
    assert ReturnTrackingForm.title_zh == "客退品跟蹤單"


def test_tracking_form_full() -> None:
    form = ReturnTrackingForm.model_validate(
        tracking(
            purpose="refund",
            salesperson="sun",
            deliveries=("WH/OUT/1",),
            delivered_at=NOW,
            complaint="CC/1",
            return_form={"requested_at": NOW, "reason": "x"},
            test_findings="relay",
            needs_design_change=True,
            route="quality_exception",
            quality_exceptions=(
                {
                    "ref": "QE/1",
                    "line_refs": ("7",),
                    "product": "X200",
                    "quantity": 3,
                    "defect": "relay",
                },
            ),
            repairs_done="new relay",
            replaced_parts=({"product": "Relay", "quantity": 1},),
            under_warranty=True,
            charges=Decimal("0"),
            stock_in=stock_in(),
            signatures=({"role": "salesperson", "user": "sun", "at": NOW},),
            shipped_back_at=NOW,
        )
    )
    assert form.stock_in is not None
    (order,) = form.quality_exceptions
    assert (order.ref, order.line_refs) == ("QE/1", ("7",))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": "gift"}, "purpose"),
        ({"customer": ""}, "customer"),
        ({"delivered_at": datetime(2026, 1, 1)}, "delivered_at"),
        ({"shipped_back_at": datetime(2026, 1, 1)}, "shipped_back_at"),
        ({"route": "scrap"}, "route"),
        ({"charges": Decimal("-1")}, "charges"),
        ({"lines": ({**LINE, "quantity": 0},)}, "lines.0.quantity"),
        ({"replaced_parts": ({"product": "R", "quantity": 0},)}, "replaced_parts.0.quantity"),
        ({"return_form": {"requested_at": NOW, "reason": ""}}, "return_form.reason"),
        ({"lines": ({**LINE, "received_quantity": 9},)}, "lines.0.received_quantity"),
        (
            {"return_form": {"requested_at": NOW, "reason": "x", "settlement": "deduction"}},
            "return_form.deduction_amount",
        ),
    ],
)
def test_tracking_form_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_form(ReturnTrackingForm, tracking(**changes))
    assert err.value.field == field


def test_a_return_for_repair_has_no_stock_in() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_form(ReturnTrackingForm, tracking(stock_in=stock_in()))
    assert err.value.field == "stock_in"
    assert parse_form(ReturnTrackingForm, tracking(purpose="refund", stock_in=stock_in()))


def test_received_lines_and_fully_received() -> None:
    empty = ReturnTrackingForm.model_validate(tracking(lines=()))
    assert not empty.fully_received
    assert empty.received_lines() == ()
    h = ReturnLine(**LINE)
    a = ReturnLine(product="Cable", product_class="accessory", quantity=10, received_quantity=4)
    form = ReturnTrackingForm.model_validate(tracking(lines=(h, a)))
    assert not form.fully_received
    (only,) = form.received_lines()
    assert (only.product, only.quantity) == ("Cable", 4)
    done = form.model_copy(
        update={
            "lines": (
                h.model_copy(update={"received_quantity": 3}),
                a.model_copy(update={"received_quantity": 10}),
            )
        }
    )
    assert done.fully_received
    assert [line.quantity for line in done.received_lines()] == [3, 10]


# --- JSON Schema ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model", "title"),
    [
        ("return_tracking", ReturnTrackingForm, "Customer Return Tracking Form"),
        ("return", ReturnForm, "Return Form"),
        ("stock_in", StockInForm, "Stock-in form"),
        ("quality_exception", QualityExceptionOrder, "Quality exception order"),
    ],
)
def test_return_forms_export_json_schema(name: str, model: type[BaseModel], title: str) -> None:
    assert FORMS[name] is model
    schema = json_schema(name)
    assert schema["title"] == title
    assert schema["type"] == "object"
    assert schema["properties"]


def test_tracking_form_schema_lists_the_spec_fields() -> None:
    schema = ReturnTrackingForm.json_schema()
    assert schema["title"] == "Customer Return Tracking Form"
    props = schema["properties"]
    for name in (
        "customer",
        "salesperson",
        "deliveries",
        "delivered_at",
        "lines",
        "test_findings",
        "route",
        "repairs_done",
        "replaced_parts",
        "charges",
        "signatures",
        "shipped_back_at",
        "return_form",
        "stock_in",
        "quality_exceptions",
        "under_warranty",
    ):
        assert name in props, name
    assert set(schema["required"]) == {"purpose", "customer"}
    line = schema["$defs"]["ReturnLine"]["properties"]
    assert line["product_class"]["enum"] == ["host", "accessory"]
    assert line["quantity"]["exclusiveMinimum"] == 0
    assert props["route"]["description"]
    for name in ("ref", "delivered_at", "warranty_category", "under_warranty"):
        assert line[name]["description"], name
    order = schema["$defs"]["QualityExceptionOrder"]["properties"]
    assert "ref" in order and "line_refs" in order


def test_an_unnamed_model_error_blames_the_form() -> None:
    class Odd(BaseModel):
        a: int = 0

        @model_validator(mode="after")
        def _odd(self) -> Odd:
            raise ValueError("something is off")

    err = error_of(Odd, {})
    assert err.field == "form"
    assert "something is off" in err.problem


# --- keys: refs of lines ------------------------------------------------------------------


def test_lines_carry_the_hosts_ref_and_r10_inputs() -> None:
    line = ReturnLine(**LINE)
    assert (line.ref, line.delivered_at, line.warranty_category, line.under_warranty) == (
        "",
        None,
        "",
        None,
    )
    keyed = ReturnLine(**LINE, ref=" 41 ", delivered_at=NOW, warranty_category="controller")
    assert keyed.ref == "41"
    assert ReplacedPart(product="Relay", quantity=1, ref="p9").ref == "p9"


@pytest.mark.parametrize(
    "refs",
    [("7", "7"), ("7", "8", "7"), ("a", "", "a"), (" 7", "7 ")],
)
def test_two_lines_with_one_ref_are_refused_naming_lines(refs: tuple[str, ...]) -> None:
    lines = tuple({**LINE, "ref": ref} for ref in refs)
    with pytest.raises(InvalidInput) as err:
        parse_form(ReturnTrackingForm, tracking(lines=lines))
    assert err.value.field == "lines"
    assert "ref" in str(err.value)


@pytest.mark.parametrize("refs", [("", ""), ("1", "2"), ("1", "", ""), ("RT/1/1", "RT/1/2")])
def test_distinct_or_empty_refs_are_accepted(refs: tuple[str, ...]) -> None:
    lines = tuple({**LINE, "ref": ref} for ref in refs)
    form = parse_form(ReturnTrackingForm, tracking(lines=lines))
    assert tuple(line.ref for line in form.lines) == tuple(r.strip() for r in refs)


def test_a_line_delivery_must_be_aware() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_form(
            ReturnTrackingForm,
            tracking(lines=({**LINE, "delivered_at": datetime(2026, 1, 1)},)),
        )
    assert err.value.field == "lines.0.delivered_at"
