"""The complaint handling form and the technical inquiry record: validation and JSON Schema."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from aftersales_core.errors import InvalidInput
from aftersales_core.forms import FORMS, form_error, json_schema, parse_form
from aftersales_core.forms.complaint import ComplaintHandlingForm, TechnicalInquiryRecord

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=timezone.utc)


def complaint(**changes: Any) -> dict[str, Any]:
    """The data of a valid complaint, with ``changes``."""
    data: dict[str, Any] = {
        "channel": "email",
        "received_at": NOW,
        "customer": "ACME Marine",
        "description": "Display flickers",
    }
    data.update(changes)
    return data


def bad_field(data: dict[str, Any]) -> InvalidInput:
    """Parse ``data`` as a complaint form, expecting the error."""
    with pytest.raises(InvalidInput) as err:
        parse_form(ComplaintHandlingForm, data)
    return err.value


def test_a_minimal_complaint_is_valid_with_defaults() -> None:
    form = parse_form(ComplaintHandlingForm, complaint())
    assert isinstance(form, ComplaintHandlingForm)
    assert form.state == "draft" and form.number is None
    assert form.quantity == 1
    assert form.photos == ()
    assert form.cause is None and form.responsibility is None
    assert form.answered_on_spot is False and form.customer_accepted is False
    assert form.payout_amount is None
    assert ComplaintHandlingForm.title_zh == "客訴處理單"


def test_a_full_complaint_is_valid() -> None:
    form = ComplaintHandlingForm(
        **complaint(
            number="CC/9",
            contact=" Mr Chen ",
            product="X200",
            lot="L7",
            quantity=4,
            sale_order="SO/1",
            remedy_sought="replacement",
            photos=("a.jpg", "https://x/b.jpg"),
            category="display",
            quality_complaint=True,
            cause="product_quality",
            responsibility="payout_after_testing",
            stock_of_lot=3,
            similar_defect=False,
            same_batch_result="handling_opinion_and_payout",
            handling_opinion="pay",
            answered_on_spot=False,
            resolution="payout",
            payout_amount=Decimal("12.30"),
            customer_accepted=True,
        )
    )
    assert form.contact == "Mr Chen"  # whitespace stripped
    assert form.payout_amount == Decimal("12.30")


@pytest.mark.parametrize("channel", ["phone", "email", "fax", "letter", "oral", "portal"])
def test_every_channel(channel: str) -> None:
    assert ComplaintHandlingForm(**complaint(channel=channel)).channel == channel


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"received_at": datetime(2026, 4, 1, 10, 0)}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"customer": ""}, "customer"),
        ({"customer": "   "}, "customer"),
        ({"description": ""}, "description"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"cause": "bad_luck"}, "cause"),
        ({"stock_of_lot": -1}, "stock_of_lot"),
        ({"payout_amount": Decimal("0")}, "payout_amount"),
        ({"payout_amount": Decimal("-5")}, "payout_amount"),
        ({"resolution": "lawsuit"}, "resolution"),
        ({"photos": "a.jpg"}, "photos"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_each_validation_error_names_the_field(changes: dict[str, Any], field: str) -> None:
    err = bad_field(complaint(**changes))
    assert err.field == field
    assert str(err).startswith(f"{field}: ")


def test_missing_required_fields_are_named() -> None:
    data = complaint()
    del data["channel"]
    assert bad_field(data).field == "channel"
    data = complaint()
    del data["received_at"]
    assert bad_field(data).field == "received_at"


def test_a_same_batch_test_needs_stock_of_the_lot() -> None:
    for stock in (None, 0):
        err = bad_field(complaint(similar_defect=True, stock_of_lot=stock))
        assert err.field == "similar_defect"
        assert "stock_of_lot" in err.problem
        assert not err.problem.startswith("Value error")
    assert ComplaintHandlingForm(**complaint(similar_defect=True, stock_of_lot=1)).similar_defect


def test_several_problems_are_counted() -> None:
    with pytest.raises(ValidationError) as exc:
        ComplaintHandlingForm(**complaint(channel="x", quantity=0, customer=""))
    err = form_error(exc.value)
    assert "(and 2 more problems)" in str(err)
    with pytest.raises(ValidationError) as exc:
        ComplaintHandlingForm(**complaint(channel="x", quantity=0))
    assert str(form_error(exc.value)).endswith("(and 1 more problem)")


def test_the_form_is_frozen() -> None:
    form = ComplaintHandlingForm(**complaint())
    with pytest.raises(ValidationError):
        form.state = "closed"  # type: ignore[misc]


def test_complaint_json_schema() -> None:
    schema = ComplaintHandlingForm.json_schema()
    assert schema["title"] == "Customer Complaint Handling Form"
    props = schema["properties"]
    for name in (
        "channel",
        "received_at",
        "customer",
        "contact",
        "product",
        "lot",
        "quantity",
        "sale_order",
        "description",
        "remedy_sought",
        "photos",
        "category",
        "cause",
        "responsibility",
        "same_batch_result",
        "handling_opinion",
        "answered_on_spot",
        "customer_accepted",
        "payout_amount",
    ):
        assert name in props, name
        assert props[name].get("description"), name
    assert set(schema["required"]) == {"channel", "received_at", "customer", "description"}
    assert props["channel"]["enum"] == ["phone", "email", "fax", "letter", "oral", "portal"]
    assert props["received_at"]["format"] == "date-time"
    registry = json_schema("complaint")
    assert registry["title"] == "Customer Complaint Handling Form"
    assert registry["properties"] == props
    assert FORMS["complaint"] is ComplaintHandlingForm


def test_unknown_form_name_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        json_schema("complaints")
    assert err.value.field == "form"
    assert "complaint" in err.value.problem


def test_technical_inquiry_record() -> None:
    rec = TechnicalInquiryRecord(
        received_at=NOW, customer="ACME", question="How to reset?", answer="Hold 5 s."
    )
    assert rec.channel == "phone" and rec.archived is False
    archived = rec.model_copy(update={"archived": True})
    assert archived.archived
    with pytest.raises(InvalidInput) as err:
        parse_form(
            TechnicalInquiryRecord,
            {"received_at": NOW, "customer": "A", "question": "q", "archived": True},
        )
    assert err.value.field == "answer"
    with pytest.raises(InvalidInput) as err:
        parse_form(TechnicalInquiryRecord, {"received_at": NOW, "customer": "A", "question": ""})
    assert err.value.field == "question"
    schema = json_schema("technical_inquiry")
    assert schema["title"] == "Technical inquiry record"
