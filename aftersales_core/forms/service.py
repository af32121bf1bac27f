"""On-site service forms: service information record sheet, repair list, service contract.

Seeds: 004 §4.1 (record sheet, R8), §4.5 and §4.11 (old parts, R21), §4.6 (travel, R22),
§4.10 (repair list), 002 (service contract out of warranty, R10).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from aftersales_core.forms.base import Form, Quantity
from aftersales_core.i18n import _
from aftersales_core.policy import ServiceMode

__all__ = [
    "InstalledUnit",
    "PartUsed",
    "ServiceContract",
    "ServiceInformationRecord",
    "ServiceRepairList",
]


class PartUsed(BaseModel):
    """A part replaced on site; its old part comes back to the factory (R21)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ref: str = Field("", description="The host's key of the part used (a stock move).")
    product: str = Field(min_length=1)
    quantity: Quantity
    purchased: bool = Field(False, description="A purchased part: claimed from its supplier (R21).")
    supplier: str = ""


class ServiceRepairList(BaseModel):
    """The after-sales service repair list the customer signs (004 §4.10)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: ClassVar[str] = "After-sales service repair list"
    title_zh: ClassVar[str] = "售後服務維修單"

    product_model: str = Field(min_length=1)
    repair_date: date
    replaced_parts: tuple[PartUsed, ...] = ()
    failure_cause: str = Field(min_length=1)
    customer_name: str = Field(min_length=1)
    contact: str = Field(min_length=1)
    comments: str = ""
    customer_signature: str = Field("", description="Name of the signer or a seal reference.")

    @property
    def signed(self) -> bool:
        """Signed or sealed by the customer."""
        return bool(self.customer_signature)


class InstalledUnit(BaseModel):
    """A product delivered to the customer, on its after-sales account (R26, 004 §6.4.2).

    ``ref`` is the host's own key of the delivery (a delivered move line, a serial).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ref: str = Field(min_length=1)
    product: str = Field(min_length=1)
    lot: str = Field("", description="Lot or serial number.")
    delivered_at: AwareDatetime
    category: str = Field("", description="Product category (its warranty months, R10).")


class ServiceContract(BaseModel):
    """The after-sales service contract signed before out-of-warranty work (R10, 002)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: ClassVar[str] = "After-sales service contract"
    title_zh: ClassVar[str] = "售後服務合同"

    customer: str = Field(min_length=1)
    terms: str = Field(min_length=1)
    price: Decimal = Field(ge=0)
    signed_by_customer: str = Field(min_length=1)
    signed_by_sales: str = Field(min_length=1)
    signed_at: AwareDatetime


class ServiceInformationRecord(Form):
    """The after-sales service information record sheet of an on-site service (004 §4.1)."""

    title: ClassVar[str] = "After-sales service information record sheet"
    title_zh: ClassVar[str] = "售後服務信息記錄單"

    received_at: AwareDatetime
    customer: str = Field(min_length=1)
    final_customer: str = Field(
        "",
        description="The final customer (end user, e.g. the ship owner at the site) when "
        "not the direct customer: surveyed too when the case closes (R20, 004 §6.1.2).",
    )
    contact: str = ""
    province: str = Field(min_length=1)
    region: Literal["", "home", "other", "remote"] = Field(
        "", description="R8 region, set on record."
    )
    request: str = Field(min_length=1)
    mode: ServiceMode = Field("visit", description="R28: consultation, remote guidance or visit.")
    answer: str = Field(
        "", description="R28: the answer given without a visit, archived for the next inquiry."
    )
    product: str = ""
    lot: str = Field("", description="Lot or serial of the serviced unit (R26).")
    installed_base: tuple[InstalledUnit, ...] = Field(
        (), description="R26: the customer's after-sales account (products delivered)."
    )
    unit: str = Field("", description="R26: ref of the installed unit the warranty is read from.")
    checks: tuple[str, ...] = Field((), description="R24: the checks recorded on site.")
    delivered_at: AwareDatetime | None = Field(None, description="Delivery of the product (R10).")
    product_category: str = ""
    deadline: AwareDatetime | None = Field(None, description="R8 arrival deadline.")
    assignee: str = ""
    arrived_at: AwareDatetime | None = None
    late_explanation: str = Field("", description="Explanation given to the customer (R8).")
    cause: Literal["company", "user", "unknown"] = "unknown"
    difficulty: str = Field("", description="R25: a problem not solvable on the spot.")
    leader_decision: str = Field("", description="R25: the way the leader decided.")
    factory_contacted: bool = Field(False, description="R25: the factory told after the repair.")
    warranty: str = Field("", description="R10 outcome.")
    contract: ServiceContract | None = None
    repair_list: ServiceRepairList | None = None
    old_parts_returned: bool = False
    returned_at: AwareDatetime | None = Field(None, description="Technician back at the factory.")
    travel_amount: Decimal | None = Field(None, ge=0)
    follow_up: Literal["", "phone", "email"] = ""
    follow_up_result: str = Field("", description="What the follow-up call or e-mail found (002).")

    @model_validator(mode="after")
    def _arrival_after_receipt(self) -> ServiceInformationRecord:
        if self.arrived_at is not None and self.arrived_at < self.received_at:
            raise ValueError(
                _("arrived_at: arrival cannot be before the service request was received")
            )
        return self
