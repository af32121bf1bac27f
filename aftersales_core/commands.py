"""What a workflow asks the host system to do, as plain data.

A command is a frozen pydantic model with a ``kind`` discriminator; :data:`AnyCommand`
is their discriminated union, so a command survives a JSON round trip
(``CommandAdapter.validate_json``). The host carries commands out through the ports of
:mod:`aftersales_core.ports`: the embedded host writes rows, the Odoo module creates
pickings, repairs, manufacturing orders and invoices.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from aftersales_core.roles import Role

__all__ = [
    "AnyCommand",
    "ChargeParts",
    "ClaimSupplier",
    "Command",
    "CommandAdapter",
    "DispatchVisit",
    "IssueCreditNote",
    "IssueMaterials",
    "Item",
    "MoveToRefurbished",
    "Notify",
    "OpenRepair",
    "PlanPurchases",
    "ReceiveReturn",
    "RecordDeduction",
    "RecordPayout",
    "ReimburseTravel",
    "RequestBom",
    "RestockForResale",
    "ResumeProduction",
    "ReturnOldParts",
    "SendSurvey",
    "ShipBack",
    "ShipOrder",
    "StartProduction",
    "StartRework",
    "SuspendDelivery",
    "SuspendProduction",
]


class Item(BaseModel):
    """A product, an optional lot and a positive quantity.

    ``ref`` is the host's identifier of the form line the item comes from (empty for an
    item that is no line of a form): the host finds its record by it, never by name.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str = ""
    product: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    lot: str | None = None


class Command(BaseModel):
    """Base of every command; ``reference`` is the number of the case that emitted it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reference: str = Field(min_length=1)


class ReceiveReturn(Command):
    """Receive returned goods from the customer (a return receipt of the original delivery)."""

    kind: Literal["receive_return"] = "receive_return"
    items: tuple[Item, ...] = Field(min_length=1)


class OpenRepair(Command):
    """Open a repair of returned or on-site goods by maintenance / after-sales (R2)."""

    kind: Literal["open_repair"] = "open_repair"
    item: Item
    under_warranty: bool


class StartRework(Command):
    """Send returned goods to production for a second processing (R1/R2), with a rework BOM."""

    kind: Literal["start_rework"] = "start_rework"
    item: Item
    bom: str | None = None


class RequestBom(Command):
    """A quality exception order asks R&D for an improved (rework) BOM (R2)."""

    kind: Literal["request_bom"] = "request_bom"
    item: Item
    defect: str
    line_refs: tuple[str, ...] = Field(
        (), description="The form lines the quality exception order covers (their refs)."
    )


class IssueMaterials(Command):
    """Issue requisitioned materials from the warehouse (after the R5 sign-offs)."""

    kind: Literal["issue_materials"] = "issue_materials"
    items: tuple[Item, ...] = Field(min_length=1)
    purpose: str


class PlanPurchases(Command):
    """PMC plans the purchase of materials for a BOM (R3, large special order)."""

    kind: Literal["plan_purchases"] = "plan_purchases"
    item: Item
    bom: str


class StartProduction(Command):
    """Production builds a quantity to a BOM (R3 large special order)."""

    kind: Literal["start_production"] = "start_production"
    item: Item
    bom: str | None = None


class MoveToRefurbished(Command):
    """Put repaired/refurbished goods in the refurbished location, awaiting approval (R6)."""

    kind: Literal["move_to_refurbished"] = "move_to_refurbished"
    items: tuple[Item, ...] = Field(min_length=1)


class RestockForResale(Command):
    """Move approved refurbished goods to sellable stock (R6, after the GM's approval)."""

    kind: Literal["restock_for_resale"] = "restock_for_resale"
    items: tuple[Item, ...] = Field(min_length=1)
    approved_by: str


class ChargeParts(Command):
    """Charge the customer for replaced parts (R7); parts under warranty are not charged."""

    kind: Literal["charge_parts"] = "charge_parts"
    parts: tuple[Item, ...] = Field(min_length=1)


class IssueCreditNote(Command):
    """Refund the customer with a credit note from the original invoice (refund return)."""

    kind: Literal["issue_credit_note"] = "issue_credit_note"
    items: tuple[Item, ...] = Field(min_length=1)
    pay_out: bool = Field(
        False, description="Pay the credit note out to the customer (settlement 'payment')."
    )


class RecordDeduction(Command):
    """The business settles a refund return with a deduction instead of a full refund."""

    kind: Literal["record_deduction"] = "record_deduction"
    amount: Decimal = Field(gt=0)
    note: str = ""


class RecordPayout(Command):
    """The company pays out on a product-quality complaint (R11/R12 payout process).

    ``settlement`` is one of the settlement choices of a refund return: a ``payment`` to
    the customer, a ``credit_note`` on its account, or a ``deduction`` from what it owes.
    """

    kind: Literal["record_payout"] = "record_payout"
    amount: Decimal = Field(gt=0)
    note: str = ""
    settlement: Literal["payment", "credit_note", "deduction"] = "payment"


class ShipBack(Command):
    """Ship repaired goods back to the customer (return for repair ends here)."""

    kind: Literal["ship_back"] = "ship_back"
    items: tuple[Item, ...] = Field(min_length=1)


class ShipOrder(Command):
    """The business ships a special order to the customer (R3)."""

    kind: Literal["ship_order"] = "ship_order"
    item: Item


class SuspendDelivery(Command):
    """Suspend the deliveries of a cancelled order; goods already picked go to the special
    holding area (R17)."""

    kind: Literal["suspend_delivery"] = "suspend_delivery"
    reason: str = Field(min_length=1)


class DispatchVisit(Command):
    """Send a service technician on site before the R8 deadline."""

    kind: Literal["dispatch_visit"] = "dispatch_visit"
    technician: str
    deadline: datetime


class ReturnOldParts(Command):
    """R21: replaced old parts come back to the factory, sorted by responsibility.

    ``responsibility`` is ``"supplier"`` for purchased parts (claimed, see
    :class:`ClaimSupplier`), else the on-site cause (``company``, ``user``, ``unknown``).
    Each item's ``ref`` is the host's key of the part used.
    """

    kind: Literal["return_old_parts"] = "return_old_parts"
    responsibility: Literal["company", "user", "unknown", "supplier"]
    items: tuple[Item, ...] = Field(min_length=1)


class ClaimSupplier(Command):
    """R21: claim failed purchased parts from their supplier (matching factory)."""

    kind: Literal["claim_supplier"] = "claim_supplier"
    supplier: str = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)


class SendSurvey(Command):
    """Send the customer a satisfaction survey (R20)."""

    kind: Literal["send_survey"] = "send_survey"
    customer: str
    final_customer: bool = Field(
        False, description="The case's final customer (end user), not the direct one (R20)."
    )


class Notify(Command):
    """Tell a role (or the customer) something: a decision, a missed deadline, a review."""

    kind: Literal["notify"] = "notify"
    role: Role
    message: str = Field(min_length=1)


class SuspendProduction(Command):
    """Suspend production of a marine product and notify the classification society (R13)."""

    kind: Literal["suspend_production"] = "suspend_production"
    product: str
    notify_society: bool = True


class ResumeProduction(Command):
    """Resume a suspended product once the correction is verified (R13)."""

    kind: Literal["resume_production"] = "resume_production"
    product: str


class ReimburseTravel(Command):
    """Reimburse a technician's travel expenses, due within the R22 window."""

    kind: Literal["reimburse_travel"] = "reimburse_travel"
    technician: str
    amount: Decimal = Field(ge=0)
    due: datetime


AnyCommand = Annotated[
    (
        ReceiveReturn
        | OpenRepair
        | StartRework
        | RequestBom
        | IssueMaterials
        | PlanPurchases
        | StartProduction
        | MoveToRefurbished
        | RestockForResale
        | ChargeParts
        | IssueCreditNote
        | RecordDeduction
        | RecordPayout
        | ShipBack
        | ShipOrder
        | SuspendDelivery
        | DispatchVisit
        | SendSurvey
        | Notify
        | SuspendProduction
        | ResumeProduction
        | ReimburseTravel
        | ReturnOldParts
        | ClaimSupplier
    ),
    Field(discriminator="kind"),
]
"""Every command, discriminated by ``kind``."""

CommandAdapter: TypeAdapter[AnyCommand] = TypeAdapter(AnyCommand)
"""Validates and serialises any command (``CommandAdapter.validate_json(text)``)."""
