"""R10 warranty ("three guarantees": repair, replacement, refund) and R7 parts charging.

R10 (004 §3.1.1, §4.5, service capability 4; 002): within warranty and caused by the
company, free repair, else free replacement, else refund; "what can be repaired is not
replaced". Caused by the user: not compensated. Outside warranty: paid service, with an
after-sales service contract signed before the work. R7 (000 §Four-4 3a): every replaced
part is recorded and charged to the customer unless warranty makes it free.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import (
    attr,
    aware,
    choice,
    count,
    flag,
    items,
    plural,
    policy_or_default,
)

__all__ = [
    "CAUSES",
    "CHARGE",
    "FREE",
    "FREE_REPAIR",
    "FREE_REPLACEMENT",
    "NOT_CHARGED",
    "NOT_COMPENSATED",
    "PAID_SERVICE",
    "REFUND",
    "in_warranty",
    "parts_charge",
    "warranty_decision",
    "warranty_end",
]

CAUSES = ("company", "user", "unknown")
FREE_REPAIR = "free_repair"
FREE_REPLACEMENT = "free_replacement"
REFUND = "refund"
NOT_COMPENSATED = "not_compensated"
PAID_SERVICE = "paid_service"
CHARGE = "charge"
FREE = "free"
NOT_CHARGED = "not_charged"


def _add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year = moment.year + month0 // 12
    month = month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def warranty_end(
    delivered_at: datetime, category: str | None, *, policy: Policy | None = None
) -> datetime:
    """R10: the end of warranty, ``delivered_at`` plus the category's warranty months.

    Calendar months: 31 January plus one month is 28 (or 29) February.
    """
    pol = policy_or_default(policy)
    start = aware(delivered_at, "delivered_at")
    if category is not None and not isinstance(category, str):
        raise InvalidInput("category", _("must be a product category or None, got {category!r}").format(category=category))
    months = pol.warranty_months_for(category)
    try:
        return _add_months(start, months)
    except ValueError:  # the year left the calendar
        raise InvalidInput(
            "delivered_at",
            _("{start} plus {months} of warranty is outside the calendar (years 1-9999)").format(start=start.isoformat(), months=plural(months, 'month')),
        ) from None


def in_warranty(
    delivered_at: datetime, at: datetime, category: str | None, *, policy: Policy | None = None
) -> bool:
    """R10: whether ``at`` falls within the warranty of goods delivered at ``delivered_at``."""
    moment = aware(at, "at")
    return moment <= warranty_end(delivered_at, category, policy=policy)


def warranty_decision(
    delivered_at: datetime,
    at: datetime,
    category: str | None,
    cause: str,
    *,
    repairable: bool = True,
    replaceable: bool = True,
    policy: Policy | None = None,
) -> Decision:
    """R10: what the customer is entitled to for a failure found at ``at``.

    ``cause`` is ``"company"``, ``"user"`` or ``"unknown"`` (not yet determined: treated
    as the company's until testing decides, so the customer is not refused early).
    Outcomes: ``"free_repair"``, ``"free_replacement"``, ``"refund"`` (within warranty,
    in that order of preference), ``"not_compensated"`` (caused by the user) and
    ``"paid_service"`` (outside warranty; ``facts["contract_required"]`` says whether a
    service contract must be signed before the work).
    """
    pol = policy_or_default(policy)
    why = choice(cause, "cause", CAUSES)
    flag(repairable, "repairable")
    flag(replaceable, "replaceable")
    end = warranty_end(delivered_at, category, policy=pol)
    moment = aware(at, "at")
    if moment < delivered_at:
        raise InvalidInput(
            "at",
            _("the failure ({moment}) cannot be found before the delivery ({delivered_at})").format(moment=moment.isoformat(), delivered_at=delivered_at.isoformat()),
        )
    months = pol.warranty_months_for(category)
    facts: dict[str, object] = {
        "delivered_at": delivered_at.isoformat(),
        "at": moment.isoformat(),
        "category": category,
        "warranty_months": months,
        "warranty_end": end.isoformat(),
        "cause": why,
        "repairable": repairable,
        "replaceable": replaceable,
    }
    period = _("warranty of {months} ends {end}").format(months=plural(months, 'month'), end=end.date().isoformat())
    if moment > end:
        facts["contract_required"] = pol.contract_required_out_of_warranty
        contract = (
            _("An after-sales service contract is signed before the work (R10).")
            if pol.contract_required_out_of_warranty
            else _("The policy does not require a service contract first.")
        )
        return Decision(
            rule="R10",
            outcome=PAID_SERVICE,
            reasons=(_("Out of warranty: the {period} (R10). Service is paid.").format(period=period), contract),
            facts=facts,
        )
    if why == "user":
        return Decision(
            rule="R10",
            outcome=NOT_COMPENSATED,
            reasons=(
                _("Within warranty (the {period}), but caused by the user: not compensated (R10).").format(period=period),
            ),
            facts=facts,
        )
    basis = _("Within warranty (the {period}) and the company's responsibility").format(period=period)
    if repairable:
        return Decision(
            rule="R10",
            outcome=FREE_REPAIR,
            reasons=(_("{basis}: free repair; what can be repaired is not replaced (R10).").format(basis=basis),),
            facts=facts,
        )
    if replaceable:
        return Decision(
            rule="R10",
            outcome=FREE_REPLACEMENT,
            reasons=(_("{basis}, and it cannot be repaired: free replacement (R10).").format(basis=basis),),
            facts=facts,
        )
    return Decision(
        rule="R10",
        outcome=REFUND,
        reasons=(_("{basis}, and it can be neither repaired nor replaced: refund (R10).").format(basis=basis),),
        facts=facts,
    )


def parts_charge(
    parts: Iterable[object], *, under_warranty: bool, policy: Policy | None = None
) -> Decision:
    """R7: are the replaced ``parts`` charged to the customer?

    ``parts``: mappings or objects with ``product`` and ``quantity``. Outcomes
    ``"charge"``, ``"free"`` (under warranty) and ``"not_charged"`` (the policy switched
    charging off). ``facts["parts"]`` lists what was recorded either way.
    """
    pol = policy_or_default(policy)
    flag(under_warranty, "under_warranty")
    recorded: list[dict[str, object]] = []
    for i, part in enumerate(items(parts, "parts")):
        product = attr(part, "product", f"parts[{i}].product")
        qty = count(
            attr(part, "quantity", f"parts[{i}].quantity"),
            f"parts[{i}].quantity",
            positive=True,
            policy=pol,
        )
        recorded.append({"product": str(product), "quantity": qty})
    total = sum(int(str(p["quantity"])) for p in recorded)
    facts: dict[str, object] = {
        "parts": recorded,
        "under_warranty": under_warranty,
        "charge_replaced_parts": pol.charge_replaced_parts,
    }
    listed = _("{total} recorded").format(total=plural(total, 'replaced part'))
    if not recorded:
        return Decision(
            rule="R7",
            outcome=NOT_CHARGED,
            reasons=(_("No part was replaced; nothing to charge (R7)."),),
            facts=facts,
        )
    if under_warranty:
        return Decision(
            rule="R7",
            outcome=FREE,
            reasons=(_("{listed}; under warranty, so they are free (R7, R10).").format(listed=listed),),
            facts=facts,
        )
    if not pol.charge_replaced_parts:
        return Decision(
            rule="R7",
            outcome=NOT_CHARGED,
            reasons=(_("{listed}; the policy does not charge replaced parts (R7).").format(listed=listed),),
            facts=facts,
        )
    return Decision(
        rule="R7",
        outcome=CHARGE,
        reasons=(_("{listed}; the business charges the customer per replaced item (R7).").format(listed=listed),),
        facts=facts,
    )
