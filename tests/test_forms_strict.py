"""Quantities in forms and host calls are bounded and strict (issue 11, findings 5, 6)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from aftersales_core.embedded import EmbeddedHost
from aftersales_core.errors import InvalidInput
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.forms.orders import ContractReviewForm, MaterialLine, OrderRecord
from aftersales_core.forms.quality import QualityFeedbackSheet, SurveyAnswer
from aftersales_core.forms.returns import QualityExceptionOrder, ReplacedPart, ReturnLine
from aftersales_core.forms.service import PartUsed
from aftersales_core.policy import QUANTITY_LIMIT

AT = datetime(2025, 1, 6, 9, tzinfo=timezone.utc)

CASES: list[tuple[type[BaseModel], dict[str, Any], str]] = [
    (ReturnLine, {"product": "P", "product_class": "host"}, "quantity"),
    (ReturnLine, {"product": "P", "product_class": "host", "quantity": 5}, "received_quantity"),
    (ReplacedPart, {"product": "P"}, "quantity"),
    (QualityExceptionOrder, {"product": "P", "defect": "d"}, "quantity"),
    (MaterialLine, {"product": "P"}, "quantity"),
    (PartUsed, {"product": "P"}, "quantity"),
    (
        ComplaintHandlingForm,
        {"channel": "phone", "received_at": AT, "customer": "C", "description": "d"},
        "quantity",
    ),
    (ContractReviewForm, {"customer": "C", "product": "P", "requirements": "r"}, "quantity"),
    (OrderRecord, {"customer": "C", "product": "P", "amount": "10"}, "quantity"),
    (
        QualityFeedbackSheet,
        {
            "received_at": AT,
            "source": "visit",
            "customer": "C",
            "product": "P",
            "failure_mode": "f",
            "description": "d",
        },
        "affected_quantity",
    ),
]


@pytest.mark.parametrize(("model", "base", "field"), CASES)
@pytest.mark.parametrize("value", [True, False, 1.0, QUANTITY_LIMIT + 1, 99999999999999999999])
def test_a_quantity_is_a_bounded_whole_number(
    model: type[BaseModel], base: dict[str, Any], field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate({**base, field: value})
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(("model", "base", "field"), CASES)
def test_the_largest_quantity_is_accepted(
    model: type[BaseModel], base: dict[str, Any], field: str
) -> None:
    extra = {"quantity": QUANTITY_LIMIT} if field == "received_quantity" else {}
    assert getattr(model.model_validate({**base, **extra, field: QUANTITY_LIMIT}), field) == (
        QUANTITY_LIMIT
    )


@pytest.mark.parametrize("value", [True, 1.0, 0, 6])
def test_a_score_is_a_whole_number_from_1_to_5(value: object) -> None:
    with pytest.raises(ValidationError):
        SurveyAnswer(question="q", score=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, 0, -1, 1_000_001, 99999999999999999999])
def test_add_delivery_bounds_its_quantity(value: object) -> None:
    with EmbeddedHost(":memory:") as host:
        host.add_customer("C", "Jiangsu")
        host.add_product("P", "Product", "host")
        with pytest.raises(InvalidInput) as info:
            host.add_delivery("C", "P", value, AT)  # type: ignore[arg-type]
        assert info.value.field == "quantity"
        assert host.add_delivery("C", "P", 1_000_000, AT) > 0
