"""Customer Return Tracking Form (客退品跟蹤單), Return Form (退貨單), Stock-in form (入庫單)
and Quality exception order (品質異常單).

Seeds: 000/001 §Two 1, §Four-2 and §Four-4. One tracking form follows a return from
request to closure for both purposes (repair or refund); the return form, the stock-in
form and the quality exception order are the documents the business, the general
manager and R&D sign along the way, embedded in it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from aftersales_core.forms.base import Count, Form, ProductClass, Quantity, Signature
from aftersales_core.i18n import _

__all__ = [
    "QualityExceptionOrder",
    "ReplacedPart",
    "ReturnForm",
    "ReturnLine",
    "ReturnTrackingForm",
    "StockInForm",
]


class ReturnLine(BaseModel):
    """One returned product: class (R1), lot, quantity requested and received, the problem.

    ``ref`` is the host's own identifier of the line (a database id as text): commands
    about the line carry it back, so two lines of one product (two deliveries, two lots)
    stay apart. ``delivered_at`` and ``warranty_category`` are what R10 reads for this
    line; ``under_warranty`` is the core's R10 decision, written when the return is routed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ref: str = Field("", description="The host's identifier of the line.")
    product: str = Field(min_length=1)
    product_class: ProductClass
    quantity: Quantity = Field(description="Quantity the customer returns.")
    received_quantity: Count = Field(0, description="Quantity received so far.")
    lot: str = ""
    problem: str = ""
    sale_order: str = ""
    failure_category: str = Field("", description="Failure mode found in testing (statistics).")
    delivered_at: AwareDatetime | None = Field(
        None, description="When this line's goods were delivered (R10); the form's date if empty."
    )
    warranty_category: str = Field(
        "", description="The product category whose warranty months apply (R10)."
    )
    under_warranty: bool | None = Field(
        None, description="R10 decision for this line, written by the routing step."
    )

    @model_validator(mode="after")
    def _not_more_received(self) -> ReturnLine:
        if self.received_quantity > self.quantity:
            raise ValueError(
                _("received_quantity: {received_quantity} received is more than the {quantity} returned").format(received_quantity=self.received_quantity, quantity=self.quantity)
            )
        return self


class ReplacedPart(BaseModel):
    """A part replaced during repair (R7), charged unless under warranty."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ref: str = Field("", description="The host's identifier of the part line.")
    line_ref: str = Field(
        "", description="The return line the part was replaced on (its R10 decision applies)."
    )
    product: str = Field(min_length=1)
    quantity: Quantity
    under_warranty: bool = False
    unit_price: Decimal = Field(Decimal("0"), ge=0)


class ReturnForm(BaseModel):
    """The Return Form: the request, the acceptance decision (R4), refund or deduction."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: ClassVar[str] = "Return Form"
    title_zh: ClassVar[str] = "退貨單"

    requested_at: AwareDatetime
    reason: str = Field(min_length=1)
    acceptance: Literal["", "accept", "reject", "review"] = Field("", description="R4 decision.")
    accepted_by: str = ""
    settlement: Literal["", "credit_note", "deduction", "payment"] = Field(
        "", description="How the business settles (refund return)."
    )
    deduction_amount: Decimal | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _deduction_amount(self) -> ReturnForm:
        if self.settlement == "deduction" and self.deduction_amount is None:
            raise ValueError(_("deduction_amount: a deduction needs its amount"))
        return self


class StockInForm(BaseModel):
    """The stock-in (inventory) form of refurbished goods; the GM approves it (R6)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: ClassVar[str] = "Stock-in form"
    title_zh: ClassVar[str] = "入庫單"

    items: tuple[ReturnLine, ...] = Field(min_length=1)
    replaced_parts: tuple[ReplacedPart, ...] = ()
    filled_by: str = Field(min_length=1)
    approval: Signature | None = Field(None, description="The general manager's approval (R6).")


class QualityExceptionOrder(BaseModel):
    """The quality exception order R&D answers with an improved (rework) BOM (R2).

    One order per returned product: ``line_refs`` are the return lines it covers, and
    ``ref`` is the host's identifier of the order once stored.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: ClassVar[str] = "Quality exception order"
    title_zh: ClassVar[str] = "品質異常單"

    ref: str = Field("", description="The host's identifier of the order.")
    line_refs: tuple[str, ...] = Field((), description="The return lines the order covers.")
    product: str = Field(min_length=1)
    lot: str = ""
    quantity: Quantity
    defect: str = Field(min_length=1)
    rnd_decision: str = ""
    rework_bom: str = ""


class ReturnTrackingForm(Form):
    """The Customer Return Tracking Form, from the return request to the goods' last move."""

    title: ClassVar[str] = "Customer Return Tracking Form"
    title_zh: ClassVar[str] = "客退品跟蹤單"

    purpose: Literal["repair", "refund"] = Field(description="Return for repair or refund return.")
    customer: str = Field(min_length=1)
    salesperson: str = ""
    deliveries: tuple[str, ...] = Field((), description="Original deliveries.")
    delivered_at: AwareDatetime | None = Field(
        None, description="When the original delivery was made (R4)."
    )
    complaint: str = Field("", description="Complaint the return came from.")
    lines: tuple[ReturnLine, ...] = ()
    return_form: ReturnForm | None = None
    test_findings: str = ""
    needs_design_change: bool = False
    route: Literal["", "after_sales", "production", "quality_exception"] = Field(
        "", description="R1/R2."
    )
    quality_exceptions: tuple[QualityExceptionOrder, ...] = Field(
        (), description="One quality exception order per product (R2)."
    )
    repairs_done: str = ""
    replaced_parts: tuple[ReplacedPart, ...] = ()
    under_warranty: bool = Field(
        False, description="R10: every routed line is under warranty (written when routed)."
    )
    charges: Decimal = Field(Decimal("0"), ge=0, description="Charged for replaced parts (R7).")
    stock_in: StockInForm | None = None
    signatures: tuple[Signature, ...] = ()
    shipped_back_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _one_purpose(self) -> ReturnTrackingForm:
        refs = [line.ref for line in self.lines if line.ref]
        if len(refs) != len(set(refs)):
            twice = sorted({r for r in refs if refs.count(r) > 1})
            raise ValueError(_("lines: ref {twice!r} is given to two lines; a ref names one line").format(twice=twice[0]))
        if self.purpose == "repair" and self.stock_in is not None:
            raise ValueError(
                _("stock_in: a return for repair goes back to the customer, not into stock")
            )
        return self

    @property
    def fully_received(self) -> bool:
        """Every line received in full."""
        return bool(self.lines) and all(
            line.received_quantity == line.quantity for line in self.lines
        )

    def received_lines(self) -> tuple[ReturnLine, ...]:
        """The lines with something received, as routed by R1/R2 (received quantities)."""
        return tuple(
            line.model_copy(update={"quantity": line.received_quantity})
            for line in self.lines
            if line.received_quantity > 0
        )
