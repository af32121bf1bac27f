"""Contract Review Form (合同評審單), Material Requisition Form (領料單), order record.

Seeds: 000/001 §Two 3 and §Four-3 (special orders), §Two 5 (requisition, R5), 003 §1
(order processing, R14-R18).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from aftersales_core.forms.base import Form, Quantity, Signature
from aftersales_core.i18n import _

__all__ = ["ContractReviewForm", "MaterialLine", "MaterialRequisitionForm", "OrderRecord"]


class ContractReviewForm(Form):
    """Contract review of a special order: requirements, quantity, route (R3), samples."""

    title: ClassVar[str] = "Contract Review Form"
    title_zh: ClassVar[str] = "合同評審單"

    customer: str = Field(min_length=1)
    salesperson: str = ""
    product: str = Field(min_length=1)
    quantity: Quantity = Field(description="Sets ordered.")
    requirements: str = Field(min_length=1, description="The customer's requirements.")
    modifications: str = Field("", description="Material modifications decided.")
    route: Literal["", "after_sales", "mass_production"] = Field("", description="R3 decision.")
    sample_result: Literal["", "passed", "failed"] = ""
    test_result: Literal["", "passed", "failed"] = ""
    bom: str = Field("", description="BOM issued by R&D (large orders).")
    inspection_result: Literal["", "passed", "failed"] = ""
    approval: Signature | None = None
    shipped_at: AwareDatetime | None = None


class MaterialLine(BaseModel):
    """A material requested: product, quantity and lot (tracked products).

    ``ref`` is the host's own key of the line: the issue command comes back addressed by
    it, so two lines of one product (two lots) are issued each from its own line.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ref: str = ""
    product: str = Field(min_length=1)
    quantity: Quantity
    lot: str | None = None


class MaterialRequisitionForm(Form):
    """Materials for after-sales work, issued after the ordered sign-offs of R5."""

    title: ClassVar[str] = "Material Requisition Form"
    title_zh: ClassVar[str] = "領料單"

    requester: str = Field(min_length=1)
    purpose: str = Field(min_length=1, description="The case the materials are for.")
    lines: tuple[MaterialLine, ...] = Field(min_length=1)
    signatures: tuple[Signature, ...] = Field((), description="Sign-offs, in the order of R5.")
    issued_at: AwareDatetime | None = None


class OrderRecord(Form):
    """A customer order as after-sales follows it (order processing, R14-R18)."""

    title: ClassVar[str] = "Order record"
    title_zh: ClassVar[str] = "訂單記錄"

    customer: str = Field(min_length=1)
    product: str = Field(min_length=1)
    quantity: Quantity
    amount: Decimal = Field(gt=0)
    paid: Decimal = Field(Decimal("0"), ge=0)
    paid_at: AwareDatetime | None = None
    engineering: bool = Field(False, description="A large engineering order (R15).")
    urgent: bool = False
    credit_limit: Decimal | None = Field(
        None, ge=0, description="R16 credit limit of the customer."
    )
    open_balance: Decimal = Field(Decimal("0"), ge=0)
    customer_stable: bool = True
    arrears_guarantee: bool = False
    committed_payment_date: date | None = None
    ship_date: date | None = None
    delivery_location: str = ""
    location_changes: tuple[str, ...] = Field(
        (), description="Registered changes of delivery location (R16)."
    )
    cancellation_note: str = Field("", description="Cancellation by phone, recorded (R17).")
    similar_orders: tuple[str, ...] = Field((), description="Similar batches under way (R18).")
    project_registered_by: str = Field(
        "", description="Duty manager who signed the project registration."
    )
    cancelled_by: str = Field("", description="Who recorded the cancellation (R17).")
    cancelled_at: AwareDatetime | None = Field(None, description="When it was recorded (R17).")
    reminded_on: date | None = Field(
        None,
        description="The day the business and the customer were told of the unpaid order (R14).",
    )
    scheduled_ship_at: AwareDatetime | None = Field(
        None, description="When the delivery is planned to leave (R27 packing notice)."
    )
    logistics_exception: str = Field("", description="The latest exception on the way (R27).")
    logistics_exceptions: tuple[str, ...] = Field(
        (), description="Every exception on the way, told to the customer (R27)."
    )

    @model_validator(mode="after")
    def _paid_within_amount(self) -> OrderRecord:
        if self.paid > self.amount:
            raise ValueError(_("paid: {paid} is more than the order amount {amount}").format(paid=self.paid, amount=self.amount))
        return self
