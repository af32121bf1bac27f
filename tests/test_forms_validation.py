"""Forms: validation errors name the field; JSON Schema of every form."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from aftersales_core import InvalidInput
from aftersales_core.forms import (
    FORMS,
    CapaAction,
    CapaReport,
    ComplaintHandlingForm,
    OrderRecord,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
    ServiceInformationRecord,
    StockInForm,
    TechnicalInquiryRecord,
    json_schema,
    parse_form,
)

NOW = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_exports_a_json_schema(name: str) -> None:
    schema = json_schema(name)
    assert schema["type"] == "object"
    assert schema["properties"]
    assert schema["title"]


def test_unknown_form_name() -> None:
    with pytest.raises(InvalidInput, match="form"):
        json_schema("nope")


def test_form_base_json_schema_has_the_seed_title() -> None:
    assert ComplaintHandlingForm.json_schema()["title"] == "Customer Complaint Handling Form"


def test_parse_form_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_form(
            ComplaintHandlingForm,
            {"channel": "pigeon", "received_at": NOW, "customer": "A", "description": "x"},
        )
    assert err.value.field == "channel"
    with pytest.raises(InvalidInput) as err:
        parse_form(
            ComplaintHandlingForm,
            {
                "channel": "phone",
                "received_at": "2026-01-01T00:00:00",
                "customer": "",
                "description": "x",
            },
        )
    assert err.value.field in ("received_at", "customer")
    assert "more problem" in str(err.value)
    ok = parse_form(
        ComplaintHandlingForm,
        {"channel": "phone", "received_at": NOW, "customer": "A", "description": "x"},
    )
    assert ok.state == "draft"


def test_complaint_cross_field_rule() -> None:
    with pytest.raises(ValidationError, match="similar_defect"):
        ComplaintHandlingForm(
            channel="email", received_at=NOW, customer="A", description="x", similar_defect=True
        )


def test_forms_are_frozen() -> None:
    form = ComplaintHandlingForm(channel="email", received_at=NOW, customer="A", description="x")
    with pytest.raises(ValidationError):
        form.state = "closed"  # type: ignore[misc]


def test_return_line_cannot_receive_more_than_returned() -> None:
    with pytest.raises(ValidationError, match="received_quantity"):
        ReturnLine(product="H", product_class="host", quantity=2, received_quantity=3)
    with pytest.raises(ValidationError, match="quantity"):
        ReturnLine(product="H", product_class="host", quantity=-1)
    with pytest.raises(ValidationError, match="product_class"):
        ReturnLine(product="H", product_class="widget", quantity=1)  # type: ignore[arg-type]


def test_return_tracking_form_helpers_and_rules() -> None:
    lines = (
        ReturnLine(product="H", product_class="host", quantity=2, received_quantity=2),
        ReturnLine(product="A", product_class="accessory", quantity=3, received_quantity=1),
    )
    form = ReturnTrackingForm(purpose="repair", customer="ACME", lines=lines)
    assert not form.fully_received
    assert [line.quantity for line in form.received_lines()] == [2, 1]
    stock_in = StockInForm(items=lines[:1], filled_by="li")
    with pytest.raises(ValidationError, match="stock_in"):
        ReturnTrackingForm(purpose="repair", customer="ACME", lines=lines, stock_in=stock_in)
    with pytest.raises(ValidationError, match="deduction_amount"):
        ReturnForm(requested_at=NOW, reason="x", settlement="deduction")
    assert (
        ReturnForm(
            requested_at=NOW, reason="x", settlement="deduction", deduction_amount=Decimal(5)
        ).deduction_amount
        == 5
    )


def test_capa_closes_only_verified_with_corrective_action() -> None:
    action = CapaAction(kind="corrective", description="fix", owner="R&D", due=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="verification"):
        CapaReport(team=("q",), problem="p", actions=(action,), closed_on=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="actions"):
        CapaReport(team=("q",), problem="p", verification="ok", closed_on=date(2026, 5, 1))
    assert CapaReport(
        team=("q",), problem="p", actions=(action,), verification="ok", closed_on=date(2026, 5, 1)
    )


def test_other_cross_field_rules() -> None:
    with pytest.raises(ValidationError, match="paid"):
        OrderRecord(customer="A", product="P", quantity=1, amount=Decimal(10), paid=Decimal(11))
    with pytest.raises(ValidationError, match="arrived_at"):
        ServiceInformationRecord(
            received_at=NOW,
            customer="A",
            province="Jiangsu",
            request="r",
            arrived_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        )
    with pytest.raises(ValidationError, match="answer"):
        TechnicalInquiryRecord(received_at=NOW, customer="A", question="how?", archived=True)
