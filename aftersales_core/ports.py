"""The ports a host system implements to carry out the workflows' commands.

Each Protocol groups the commands of one concern; :class:`Host` is all of them.
:func:`dispatch` sends a command to the method that handles its ``kind``. The embedded
SQLite host and the Odoo module are two implementations; another ERP writes a third.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aftersales_core.commands import (
    ChargeParts,
    ClaimSupplier,
    Command,
    DispatchVisit,
    IssueCreditNote,
    IssueMaterials,
    MoveToRefurbished,
    Notify,
    OpenRepair,
    PlanPurchases,
    ReceiveReturn,
    RecordDeduction,
    RecordPayout,
    ReimburseTravel,
    RequestBom,
    RestockForResale,
    ResumeProduction,
    ReturnOldParts,
    SendSurvey,
    ShipBack,
    ShipOrder,
    StartProduction,
    StartRework,
    SuspendDelivery,
    SuspendProduction,
)
from aftersales_core.errors import InvalidInput

__all__ = [
    "AccountingPort",
    "Host",
    "ManufacturingPort",
    "NotificationPort",
    "RepairPort",
    "ReturnsPort",
    "ServicePort",
    "StockPort",
    "SurveyPort",
    "dispatch",
]


class ReturnsPort(Protocol):
    """Goods moving between the customer and the company."""

    def receive_return(self, command: ReceiveReturn) -> None:
        """Expect (and record) the returned goods."""

    def ship_back(self, command: ShipBack) -> None:
        """Deliver repaired goods back to the customer."""

    def ship_order(self, command: ShipOrder) -> None:
        """Deliver a (special) order to the customer."""

    def suspend_delivery(self, command: SuspendDelivery) -> None:
        """Suspend a cancelled order's deliveries; picked goods to the holding area (R17)."""


class RepairPort(Protocol):
    """Repairs by after-sales / maintenance and their charges."""

    def open_repair(self, command: OpenRepair) -> None:
        """Open a repair order for a returned or on-site item."""

    def charge_parts(self, command: ChargeParts) -> None:
        """Charge replaced parts to the customer (R7)."""


class ManufacturingPort(Protocol):
    """Production, rework, BOMs and purchasing."""

    def start_rework(self, command: StartRework) -> None:
        """Send returned goods to production for a second processing."""

    def request_bom(self, command: RequestBom) -> None:
        """Put a quality exception order before R&D."""

    def start_production(self, command: StartProduction) -> None:
        """Build a quantity to a BOM."""

    def plan_purchases(self, command: PlanPurchases) -> None:
        """Plan the purchase of a BOM's materials."""

    def suspend_production(self, command: SuspendProduction) -> None:
        """Stop producing a product (R13, marine)."""

    def resume_production(self, command: ResumeProduction) -> None:
        """Resume a suspended product once the correction is verified (R13)."""


class StockPort(Protocol):
    """Stock moves inside the company."""

    def issue_materials(self, command: IssueMaterials) -> None:
        """Issue requisitioned materials (after R5)."""

    def move_to_refurbished(self, command: MoveToRefurbished) -> None:
        """Put refurbished goods in the refurbished location (awaiting R6)."""

    def restock_for_resale(self, command: RestockForResale) -> None:
        """Move approved refurbished goods to sellable stock (R6)."""


class AccountingPort(Protocol):
    """Money: refunds, deductions, payouts, travel expenses."""

    def issue_credit_note(self, command: IssueCreditNote) -> None:
        """Refund with a credit note from the original invoice."""

    def record_deduction(self, command: RecordDeduction) -> None:
        """Record a deduction the business decided."""

    def record_payout(self, command: RecordPayout) -> None:
        """Record a payout on a product-quality complaint."""

    def reimburse_travel(self, command: ReimburseTravel) -> None:
        """Reimburse a technician's travel expenses (R22)."""


class ServicePort(Protocol):
    """On-site service."""

    def dispatch_visit(self, command: DispatchVisit) -> None:
        """Send a technician on site before the R8 deadline."""

    def return_old_parts(self, command: ReturnOldParts) -> None:
        """Receive replaced old parts back at the factory, by responsibility (R21)."""

    def claim_supplier(self, command: ClaimSupplier) -> None:
        """Claim failed purchased parts from their supplier (R21)."""


class SurveyPort(Protocol):
    """Satisfaction surveys."""

    def send_survey(self, command: SendSurvey) -> None:
        """Send a customer the satisfaction survey (R20)."""


class NotificationPort(Protocol):
    """Messages to roles and customers."""

    def notify(self, command: Notify) -> None:
        """Tell a role something."""


@runtime_checkable
class Host(
    ReturnsPort,
    RepairPort,
    ManufacturingPort,
    StockPort,
    AccountingPort,
    ServicePort,
    SurveyPort,
    NotificationPort,
    Protocol,
):
    """A host system implementing every port."""


_METHOD = {
    "receive_return": "receive_return",
    "ship_back": "ship_back",
    "ship_order": "ship_order",
    "suspend_delivery": "suspend_delivery",
    "open_repair": "open_repair",
    "charge_parts": "charge_parts",
    "start_rework": "start_rework",
    "request_bom": "request_bom",
    "start_production": "start_production",
    "plan_purchases": "plan_purchases",
    "suspend_production": "suspend_production",
    "resume_production": "resume_production",
    "issue_materials": "issue_materials",
    "move_to_refurbished": "move_to_refurbished",
    "restock_for_resale": "restock_for_resale",
    "issue_credit_note": "issue_credit_note",
    "record_deduction": "record_deduction",
    "record_payout": "record_payout",
    "reimburse_travel": "reimburse_travel",
    "dispatch_visit": "dispatch_visit",
    "return_old_parts": "return_old_parts",
    "claim_supplier": "claim_supplier",
    "send_survey": "send_survey",
    "notify": "notify",
}


def dispatch(command: Command, host: Host) -> None:
    """Carry ``command`` out on ``host`` by the method for its ``kind``."""
    kind = getattr(command, "kind", None)
    if not isinstance(kind, str) or kind not in _METHOD:
        raise InvalidInput("command.kind", f"no port handles the command {kind!r}")
    getattr(host, _METHOD[kind])(command)
