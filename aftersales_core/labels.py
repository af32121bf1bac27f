"""Words, not codes: the label a person reads for each value the core uses.

States, actions, roles, rule outcomes and the choices of the forms are identifiers in
the core (``payout_after_testing``, ``approve_stock_in``). A host shows
:func:`label` of them instead; :func:`choices` turns a form's ``Literal`` field into
``(value, label)`` pairs for a selection list, so a host never retypes a choice list.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from aftersales_core.i18n import N_, _

__all__ = ["LABELS", "choices", "label"]

LABELS: dict[str, str] = {
    # states
    "draft": N_("Draft"),
    "requested": N_("Requested"),
    "accepted": N_("Accepted"),
    "refused": N_("Refused"),
    "cancelled": N_("Cancelled"),
    "partially_received": N_("Partially received"),
    "received": N_("Received"),
    "in_repair": N_("In repair"),
    "in_rework": N_("In rework"),
    "quality_exception": N_("Quality exception"),
    "inspection": N_("Inspection"),
    "repaired": N_("Repaired"),
    "shipped": N_("Shipped back"),
    "refurbished": N_("Refurbished"),
    "awaiting_approval": N_("Awaiting approval"),
    "restocked": N_("Restocked"),
    "settled": N_("Settled"),
    "closed": N_("Closed"),
    "answered": N_("Answered"),
    "assessed": N_("Assessed"),
    "return_requested": N_("Return requested"),
    "on_site": N_("On-site service"),
    "payout": N_("Payout"),
    # actions
    "submit": N_("Submit"),
    "accept": N_("Accept"),
    "refuse": N_("Refuse"),
    "cancel": N_("Cancel"),
    "receive": N_("Receive goods"),
    "close_receipt": N_("Close receipt"),
    "route": N_("Route"),
    "issue_bom": N_("Issue rework BOM"),
    "finish_repair": N_("Repair finished"),
    "finish_rework": N_("Rework finished"),
    "pass_inspection": N_("Inspection passed"),
    "fail_inspection": N_("Inspection failed"),
    "ship_back": N_("Ship back"),
    "stock_in": N_("Stock-in form"),
    "approve_stock_in": N_("Approve stock-in"),
    "settle": N_("Settle"),
    "close": N_("Close"),
    "record": N_("Record"),
    "answer": N_("Answer"),
    "archive": N_("Archive for reuse"),
    "reopen": N_("Reopen"),
    "open": N_("Open"),
    "archived": N_("Archived for reuse"),
    "answer_on_spot": N_("Answer on the spot"),
    "assess": N_("Assess"),
    "explain": N_("Explain to the customer"),
    "request_return": N_("Request a return"),
    "dispatch_service": N_("Send on-site service"),
    "start_payout": N_("Start the payout"),
    "close_unaccepted": N_("Close without acceptance"),
    "recorded": N_("Recorded"),
    "dispatched": N_("Dispatched"),
    "repairing": N_("Repairing"),
    "escalated": N_("Escalated"),
    "completed": N_("Completed"),
    "parts_returned": N_("Old parts returned"),
    "expenses_claimed": N_("Expenses claimed"),
    "with_quality": N_("With quality control"),
    "suspended": N_("Production suspended"),
    "capa_open": N_("Corrective action open"),
    "verified": N_("Verified"),
    "answer_remotely": N_("Answer remotely"),
    "dispatch": N_("Dispatch"),
    "arrive": N_("Arrived on site"),
    "decide_warranty": N_("Decide the warranty"),
    "escalate": N_("Report to the leader"),
    "decide_solution": N_("Solution decided"),
    "complete": N_("Complete"),
    "return_old_parts": N_("Return old parts"),
    "claim_travel": N_("Claim travel expenses"),
    "follow_up": N_("Follow up"),
    "classify": N_("Classify"),
    "repair_done": N_("Repair done"),
    "open_capa": N_("Open a corrective action"),
    "verify": N_("Verify the correction"),
    "reviewed": N_("Reviewed"),
    "modifying": N_("Modifying"),
    "tested": N_("Tested"),
    "sampling": N_("Samples"),
    "rnd_filing": N_("R&D files the project"),
    "purchasing": N_("Purchasing"),
    "producing": N_("In production"),
    "inspected": N_("Inspected"),
    "stored": N_("Stored"),
    "test_batch": N_("Test the batch"),
    "approve_samples": N_("Approve the samples"),
    "start_production": N_("Start production"),
    "inspect": N_("Inspect"),
    "store": N_("Store"),
    "ship": N_("Ship"),
    "confirmed": N_("Confirmed"),
    "in_production": N_("In production"),
    "ready": N_("Ready"),
    "held": N_("On hold"),
    "confirm": N_("Confirm"),
    "release_production": N_("Release to production"),
    "finish_production": N_("Production finished"),
    "prepare": N_("Prepare the shipment"),
    "record_payment": N_("Record a payment"),
    "change_location": N_("Change the delivery location"),
    "awaiting_signoffs": N_("Awaiting sign-offs"),
    "issued": N_("Issued"),
    "sign": N_("Sign off"),
    # roles
    "customer": N_("Customer"),
    "salesperson": N_("Salesperson"),
    "sales_head": N_("Sales department head"),
    "after_sales": N_("After-sales service"),
    "after_sales_manager": N_("After-sales manager"),
    "maintenance": N_("Maintenance"),
    "production": N_("Production"),
    "production_manager": N_("Production manager"),
    "rnd": N_("R&D"),
    "pmc": N_("PMC"),
    "quality": N_("Quality control"),
    "warehouse": N_("Warehouse"),
    "general_manager": N_("General manager"),
    "duty_manager": N_("Duty manager"),
    "finance": N_("Finance"),
    "system": N_("System"),
    # rule outcomes
    "production_rework": N_("Production rework"),
    "mass_production": N_("Samples, then mass production"),
    "reject": N_("Rejected"),
    "review": N_("To review"),
    "explain_to_customer": N_("Explain the reason to the customer"),
    "after_sales_or_dealer": N_("Handled by after-sales or the dealer"),
    "dealer_at_own_cost": N_("Dealer handles it at its own cost"),
    "payout_after_testing": N_("Payout after testing"),
    "test_stock": N_("Test the stock of the same lot"),
    "customer_returns_product": N_("The customer returns the product"),
    "handling_opinion_and_payout": N_("Handling opinion and payout"),
    "photos_and_product": N_("Ask for photos and the product"),
    "free_repair": N_("Free repair"),
    "free_replacement": N_("Free replacement"),
    "refund": N_("Refund"),
    "not_compensated": N_("Not compensated"),
    "paid_service": N_("Paid service"),
    "charge": N_("Charged"),
    "free": N_("Free"),
    "not_charged": N_("Not charged"),
    "allowed": N_("Allowed"),
    "approved": N_("Approved"),
    "block": N_("Blocked"),
    "deliver": N_("Deliver"),
    "flag": N_("Flagged"),
    "hold": N_("On hold"),
    "investigate": N_("Investigate"),
    "late": N_("Late"),
    "next_day": N_("Ships the next day"),
    "none": N_("Nothing to do"),
    "on_time": N_("On time"),
    "overdue": N_("Overdue"),
    "pending": N_("Pending"),
    "quality_control": N_("Quality control"),
    "release": N_("Release"),
    "repair_directly": N_("Repair directly"),
    "satisfied": N_("Satisfied"),
    "ship_on_arrears": N_("Ship on arrears"),
    "ship_today": N_("Ships today"),
    "suspend_production": N_("Suspend production"),
    "ambiguous": N_("Ambiguous"),
    "found": N_("Found"),
    "incomplete": N_("Incomplete"),
    "not_found": N_("Not found"),
    "not_offered": N_("Not offered"),
    "report_to_leader": N_("Report to the leader"),
    "visit": N_("Visit"),
    "in_time": N_("In time"),
    "late_notice": N_("Late notice"),
    "remind": N_("Remind"),
    "tell_customer": N_("Tell the customer"),
    # states and actions of special orders, requisitions and order processing
    "delivered": N_("Delivered"),
    "register_project": N_("Register the project"),
    "guarantee_arrears": N_("Guarantee shipping on arrears"),
    "remind_unpaid": N_("Remind of the unpaid order"),
    "record_exception": N_("Record a logistics exception"),
    "confirm_delivery": N_("Goods arrived"),
    # form choices
    "repair": N_("Return for repair"),
    "credit_note": N_("Credit note"),
    "deduction": N_("Deduction"),
    "payment": N_("Payment"),
    "host": N_("Host"),
    "accessory": N_("Accessory"),
    "return_for_repair": N_("Return for repair"),
    "refund_return": N_("Refund return"),
    "explained": N_("Explained"),
    "not_company": N_("Not the company's operation"),
    "quantity": N_("Quantity"),
    "delivery_time": N_("Delivery time"),
    "transport_damage": N_("Transport damage"),
    "construction_quality": N_("Construction (installation) quality"),
    "product_quality": N_("Product quality"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "fax": N_("Fax"),
    "letter": N_("Letter"),
    "oral": N_("Oral"),
    "portal": N_("Portal"),
}
"""English labels (message ids of the core's catalogs: :func:`label` translates them into
the current locale, see :mod:`aftersales_core.i18n`); a value not listed reads as itself,
spaced and capitalised."""

# Values whose label depends on where they appear.
_IN_CONTEXT: dict[tuple[str, str], str] = {
    ("acceptance", "accept"): N_("Accepted"),
    ("route", "after_sales"): N_("After-sales repair"),
    ("route", "production"): N_("Production rework"),
    ("purpose", "refund"): N_("Refund return"),
    # a state of the order and special-order workflows (a return is "shipped back")
    ("order_processing", "shipped"): N_("Shipped"),
    ("special_order", "shipped"): N_("Shipped"),
}


def label(value: str, field: str = "") -> str:
    """The label of ``value`` (optionally as a value of the form field ``field``)."""
    if (field, value) in _IN_CONTEXT:
        return _(_IN_CONTEXT[(field, value)])
    known = LABELS.get(value)
    return _(known) if known else value.replace("_", " ").capitalize()


def choices(form_type: type[BaseModel], field: str) -> list[tuple[str, str]]:
    """``(value, label)`` for each non-empty value of the ``Literal`` field ``field``."""
    annotation: Any = form_type.model_fields[field].annotation
    values = [a for a in get_args(annotation) if isinstance(a, str)]
    if not values:  # Optional[Literal[...]]
        values = [v for arg in get_args(annotation) for v in get_args(arg) if isinstance(v, str)]
    if not values:
        raise ValueError(f"{form_type.__name__}.{field} is not a Literal field")
    return [(v, label(v, field)) for v in values if v]
