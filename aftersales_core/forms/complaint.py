"""Customer Complaint Handling Form (客訴處理單) and Technical inquiry record.

Seeds: 003 §Second 1-3 (hotline, the form, same-batch check, responsibility), 000
complaint process; 000 Two 1 and 004 §5.4 (inquiries archived for reuse).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field, model_validator

from aftersales_core.forms.base import Form, Quantity
from aftersales_core.i18n import _

__all__ = ["Channel", "ComplaintCause", "ComplaintHandlingForm", "TechnicalInquiryRecord"]

Channel = Literal["phone", "email", "fax", "letter", "oral", "portal"]
ComplaintCause = Literal[
    "not_company",
    "quantity",
    "delivery_time",
    "transport_damage",
    "construction_quality",
    "product_quality",
]


class ComplaintHandlingForm(Form):
    """The complaint handling form: what the customer reported and how it was handled."""

    title: ClassVar[str] = "Customer Complaint Handling Form"
    title_zh: ClassVar[str] = "客訴處理單"

    channel: Channel = Field(description="How the complaint arrived.")
    received_at: AwareDatetime = Field(description="When the complaint was received.")
    customer: str = Field(min_length=1, description="Customer (company or person).")
    final_customer: str = Field(
        "",
        description="The final customer (end user) when not the direct customer: surveyed "
        "too when the case closes (R20, 004 §6.1.2).",
    )
    contact: str = Field("", description="Contact person, phone or e-mail.")
    product: str = Field("", description="Product concerned.")
    lot: str = Field("", description="Batch (lot) number, used by the same-batch check (R12).")
    quantity: Quantity = Field(1, description="Units concerned.")
    sale_order: str = Field("", description="Sale order the goods came from.")
    description: str = Field(min_length=1, description="The problem in the customer's words.")
    remedy_sought: str = Field("", description="What the customer asks for.")
    photos: tuple[str, ...] = Field((), description="Attachment names or URLs of photos.")
    category: str = Field("", description="Failure mode, used by the statistics (R23).")
    quality_complaint: bool = Field(False, description="A product quality complaint (R12 applies).")
    cause: ComplaintCause | None = Field(None, description="Determined cause (R11).")
    responsibility: str | None = Field(None, description="R11 outcome, set by assessment.")
    stock_of_lot: int | None = Field(None, ge=0, description="Stock of the same lot found (R12).")
    similar_defect: bool | None = Field(None, description="Quality's test of that stock (R12).")
    same_batch_result: str | None = Field(None, description="R12 outcome, set by assessment.")
    handling_opinion: str = Field("", description="The handling opinion agreed with the customer.")
    answered_on_spot: bool = Field(False, description="Answered on the spot by phone or e-mail.")
    resolution: Literal[
        "", "return_for_repair", "refund_return", "on_site", "payout", "explained"
    ] = Field("", description="How the complaint continues after assessment.")
    payout_amount: Decimal | None = Field(
        None, gt=0, description="Amount paid out (payout process)."
    )
    payout_settlement: Literal["payment", "credit_note", "deduction"] = Field(
        "payment", description="How the payout is settled (the refund return's choices)."
    )
    customer_accepted: bool = Field(False, description="The customer accepted the handling.")
    last_contact_at: AwareDatetime | None = Field(
        None, description="The last attempt to reach the customer (closing without acceptance)."
    )
    closing_reason: str = Field(
        "", description="Why a manager cancelled the complaint or closed it without acceptance."
    )

    @model_validator(mode="after")
    def _quality_needs_lot(self) -> ComplaintHandlingForm:
        if self.similar_defect is not None and self.stock_of_lot in (None, 0):
            raise ValueError(
                _("similar_defect: a test result needs stock of the same lot (stock_of_lot > 0)")
            )
        return self


class TechnicalInquiryRecord(Form):
    """A customer's technical question and its answer, archived for reuse."""

    title: ClassVar[str] = "Technical inquiry record"
    title_zh: ClassVar[str] = "技術諮詢記錄"

    received_at: AwareDatetime
    customer: str = Field(min_length=1)
    channel: Channel = "phone"
    product: str = ""
    question: str = Field(min_length=1)
    answer: str = ""
    answered_by: str = ""
    answered_at: AwareDatetime | None = Field(None, description="When the answer was given.")
    archived: bool = Field(False, description="Archived in the knowledge base for reuse.")
    tags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _archived_needs_answer(self) -> TechnicalInquiryRecord:
        if self.archived and not self.answer:
            raise ValueError(_("answer: an archived inquiry needs its answer"))
        return self
