"""Words, not codes: the label a person reads for each value the core uses.

States, actions, roles, rule outcomes and the choices of the forms are identifiers in
the core (``payout_after_testing``, ``approve_stock_in``). A host shows
:func:`label` of them instead; :func:`choices` turns a form's ``Literal`` field into
``(value, label)`` pairs for a selection list, so a host never retypes a choice list.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

__all__ = ["LABELS", "choices", "label"]

LABELS: dict[str, str] = {
    # states
    "draft": "Draft",
    "requested": "Requested",
    "accepted": "Accepted",
    "refused": "Refused",
    "cancelled": "Cancelled",
    "partially_received": "Partially received",
    "received": "Received",
    "in_repair": "In repair",
    "in_rework": "In rework",
    "quality_exception": "Quality exception",
    "inspection": "Inspection",
    "repaired": "Repaired",
    "shipped": "Shipped back",
    "refurbished": "Refurbished",
    "awaiting_approval": "Awaiting approval",
    "restocked": "Restocked",
    "settled": "Settled",
    "closed": "Closed",
    "answered": "Answered",
    "assessed": "Assessed",
    "return_requested": "Return requested",
    "on_site": "On-site service",
    "payout": "Payout",
    # actions
    "submit": "Submit",
    "accept": "Accept",
    "refuse": "Refuse",
    "cancel": "Cancel",
    "receive": "Receive goods",
    "close_receipt": "Close receipt",
    "route": "Route",
    "issue_bom": "Issue rework BOM",
    "finish_repair": "Repair finished",
    "finish_rework": "Rework finished",
    "pass_inspection": "Inspection passed",
    "fail_inspection": "Inspection failed",
    "ship_back": "Ship back",
    "stock_in": "Stock-in form",
    "approve_stock_in": "Approve stock-in",
    "settle": "Settle",
    "close": "Close",
    "record": "Record",
    "answer_on_spot": "Answer on the spot",
    "assess": "Assess",
    "explain": "Explain to the customer",
    "request_return": "Request a return",
    "dispatch_service": "Send on-site service",
    "start_payout": "Start the payout",
    "close_unaccepted": "Close without acceptance",
    # roles
    "customer": "Customer",
    "salesperson": "Salesperson",
    "sales_head": "Sales department head",
    "after_sales": "After-sales service",
    "after_sales_manager": "After-sales manager",
    "maintenance": "Maintenance",
    "production": "Production",
    "production_manager": "Production manager",
    "rnd": "R&D",
    "pmc": "PMC",
    "quality": "Quality control",
    "warehouse": "Warehouse",
    "general_manager": "General manager",
    "duty_manager": "Duty manager",
    "finance": "Finance",
    "system": "System",
    # rule outcomes
    "production_rework": "Production rework",
    "mass_production": "Samples, then mass production",
    "reject": "Rejected",
    "review": "To review",
    "explain_to_customer": "Explain the reason to the customer",
    "after_sales_or_dealer": "Handled by after-sales or the dealer",
    "dealer_at_own_cost": "Dealer handles it at its own cost",
    "payout_after_testing": "Payout after testing",
    "test_stock": "Test the stock of the same lot",
    "customer_returns_product": "The customer returns the product",
    "handling_opinion_and_payout": "Handling opinion and payout",
    "photos_and_product": "Ask for photos and the product",
    "free_repair": "Free repair",
    "free_replacement": "Free replacement",
    "refund": "Refund",
    "not_compensated": "Not compensated",
    "paid_service": "Paid service",
    "charge": "Charged",
    "free": "Free",
    "not_charged": "Not charged",
    "allowed": "Allowed",
    "approved": "Approved",
    "block": "Blocked",
    "deliver": "Deliver",
    "flag": "Flagged",
    "hold": "On hold",
    "investigate": "Investigate",
    "late": "Late",
    "next_day": "Ships the next day",
    "none": "Nothing to do",
    "on_time": "On time",
    "overdue": "Overdue",
    "pending": "Pending",
    "quality_control": "Quality control",
    "release": "Release",
    "repair_directly": "Repair directly",
    "satisfied": "Satisfied",
    "ship_on_arrears": "Ship on arrears",
    "ship_today": "Ships today",
    "suspend_production": "Suspend production",
    "in_time": "In time",
    "late_notice": "Late notice",
    "remind": "Remind",
    "tell_customer": "Tell the customer",
    # states and actions of special orders, requisitions and order processing
    "awaiting_signoffs": "Awaiting sign-offs",
    "issued": "Issued",
    "sign": "Sign off",
    "rnd_filing": "R&D filing",
    "in_production": "In production",
    "delivered": "Delivered",
    "register_project": "Register the project",
    "guarantee_arrears": "Guarantee shipping on arrears",
    "remind_unpaid": "Remind of the unpaid order",
    "record_exception": "Record a logistics exception",
    "confirm_delivery": "Goods arrived",
    "release_production": "Release to production",
    "finish_production": "Production finished",
    "record_payment": "Record a payment",
    "change_location": "Change the delivery location",
    # form choices
    "repair": "Return for repair",
    "credit_note": "Credit note",
    "deduction": "Deduction",
    "payment": "Payment",
    "host": "Host",
    "accessory": "Accessory",
    "return_for_repair": "Return for repair",
    "refund_return": "Refund return",
    "explained": "Explained",
    "not_company": "Not the company's operation",
    "quantity": "Quantity",
    "delivery_time": "Delivery time",
    "transport_damage": "Transport damage",
    "construction_quality": "Construction (installation) quality",
    "product_quality": "Product quality",
    "phone": "Phone",
    "email": "E-mail",
    "fax": "Fax",
    "letter": "Letter",
    "oral": "Oral",
    "portal": "Portal",
}
"""English labels; a value not listed reads as itself, spaced and capitalised."""

# Values whose label depends on where they appear.
_IN_CONTEXT: dict[tuple[str, str], str] = {
    ("acceptance", "accept"): "Accepted",
    ("route", "after_sales"): "After-sales repair",
    ("route", "production"): "Production rework",
    ("purpose", "refund"): "Refund return",
    # a state of the order and special-order workflows (a return is "shipped back")
    ("order_processing", "shipped"): "Shipped",
    ("special_order", "shipped"): "Shipped",
}


def label(value: str, field: str = "") -> str:
    """The label of ``value`` (optionally as a value of the form field ``field``)."""
    if (field, value) in _IN_CONTEXT:
        return _IN_CONTEXT[(field, value)]
    return LABELS.get(value) or value.replace("_", " ").capitalize()


def choices(form_type: type[BaseModel], field: str) -> list[tuple[str, str]]:
    """``(value, label)`` for each non-empty value of the ``Literal`` field ``field``."""
    annotation: Any = form_type.model_fields[field].annotation
    values = [a for a in get_args(annotation) if isinstance(a, str)]
    if not values:  # Optional[Literal[...]]
        values = [v for arg in get_args(annotation) for v in get_args(arg) if isinstance(v, str)]
    if not values:
        raise ValueError(f"{form_type.__name__}.{field} is not a Literal field")
    return [(v, label(v, field)) for v in values if v]
