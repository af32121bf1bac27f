"""R1, R2, R3: who handles a customer return or a special order.

R1 (000 §Four-4 3a/3b; 001 退貨流程 3): a return with fewer than 5 hosts **and** fewer
than 15 accessories is repaired/refurbished by after-sales; 5 or more hosts **or** 15 or
more accessories goes to production. R2 (000 §Two 2, §Four-2): the same thresholds route
a return for repair; a large one whose cause needs a design improvement opens a quality
exception order for R&D. R3 (000 §Four-3; 001 特供產品): a special order of at most
``Policy.special_order_small_max_sets`` sets is modified by after-sales, a larger one is
mass-produced.
"""

from __future__ import annotations

from collections.abc import Iterable

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import (
    attr,
    choice,
    count,
    flag,
    items,
    plural,
    policy_or_default,
)

__all__ = [
    "AFTER_SALES",
    "MASS_PRODUCTION",
    "PRODUCTION",
    "PRODUCT_CLASSES",
    "QUALITY_EXCEPTION",
    "RETURN_OUTCOMES",
    "SPECIAL_ORDER_OUTCOMES",
    "route_return",
    "route_special_order",
    "sum_by_class",
]

AFTER_SALES = "after_sales"
"""Outcome: after-sales (maintenance) repairs or refurbishes the goods itself."""
PRODUCTION = "production"
"""Outcome (R1/R2): the goods go back to the production line for a second processing."""
QUALITY_EXCEPTION = "quality_exception"
"""Outcome (R2): a large return needing a design change opens a quality exception order."""
MASS_PRODUCTION = "mass_production"
"""Outcome (R3): samples, R&D filing, BOM to PMC, purchasing, production."""

RETURN_OUTCOMES = (AFTER_SALES, PRODUCTION, QUALITY_EXCEPTION)
SPECIAL_ORDER_OUTCOMES = (AFTER_SALES, MASS_PRODUCTION)
PRODUCT_CLASSES = ("host", "accessory")


def sum_by_class(lines: Iterable[object], *, policy: Policy | None = None) -> tuple[int, int]:
    """Total hosts and accessories of return lines (mappings or objects).

    Each line needs ``product_class`` ("host" or "accessory") and ``quantity`` (a whole
    number >= 0). Raises :class:`InvalidInput` naming the line and field, or ``lines``
    when there is no line at all.
    """
    if isinstance(lines, (str, bytes)):
        raise InvalidInput("lines", _("must be an iterable of return lines, not a string"))
    hosts = accessories = 0
    seen = 0
    for i, line in enumerate(items(lines, "lines")):
        seen += 1
        klass = choice(
            attr(line, "product_class", f"lines[{i}].product_class"),
            f"lines[{i}].product_class",
            PRODUCT_CLASSES,
        )
        qty = count(
            attr(line, "quantity", f"lines[{i}].quantity"), f"lines[{i}].quantity", policy=policy
        )
        if klass == "host":
            hosts += qty
        else:
            accessories += qty
    if seen == 0:
        raise InvalidInput("lines", _("a return needs at least one line"))
    if hosts + accessories == 0:
        raise InvalidInput("lines", _("a return needs a quantity above 0 on some line"))
    return hosts, accessories


def route_return(
    lines: Iterable[object],
    *,
    needs_design_change: bool = False,
    policy: Policy | None = None,
) -> Decision:
    """Route a customer return by R1/R2.

    Quantities are summed per product class. Outcomes: ``"after_sales"`` when there are
    fewer than ``policy.return_host_threshold`` hosts **and** fewer than
    ``policy.return_accessory_threshold`` accessories; otherwise ``"production"``, or
    ``"quality_exception"`` when ``needs_design_change`` (rule id ``R2``; the others are
    ``R1``). A small return needing a design change still stays with after-sales: the
    seeds open a quality exception order only for a large quantity.
    """
    pol = policy_or_default(policy)
    flag(needs_design_change, "needs_design_change")
    hosts, accessories = sum_by_class(lines, policy=pol)
    host_limit = pol.return_host_threshold
    acc_limit = pol.return_accessory_threshold
    facts = {
        "hosts": hosts,
        "accessories": accessories,
        "needs_design_change": needs_design_change,
        "return_host_threshold": host_limit,
        "return_accessory_threshold": acc_limit,
    }
    summary = _("{hosts} and {accessories}").format(hosts=plural(hosts, 'host'), accessories=plural(accessories, 'accessory'))
    large_reasons = []
    if hosts >= host_limit:
        large_reasons.append(
            _("{hosts} reach the production threshold of {host_limit}").format(hosts=plural(hosts, 'host'), host_limit=host_limit)
        )
    if accessories >= acc_limit:
        large_reasons.append(
            _("{accessories} reach the production threshold of {acc_limit}").format(accessories=plural(accessories, 'accessory'), acc_limit=acc_limit)
        )
    if not large_reasons:
        return Decision(
            rule="R1",
            outcome=AFTER_SALES,
            reasons=(
                _("{summary}: fewer than {host_limit} hosts and fewer than {acc_limit} accessories, so after-sales repairs and refurbishes them (R1).").format(summary=summary, host_limit=host_limit, acc_limit=acc_limit),
            ),
            facts=facts,
        )
    because = " and ".join(large_reasons)
    if needs_design_change:
        return Decision(
            rule="R2",
            outcome=QUALITY_EXCEPTION,
            reasons=(
                f"{summary}: {because} (R1).",
                _("The cause needs a design improvement, so a quality exception order goes to R&D, which issues a rework BOM to production (R2)."),
            ),
            facts=facts,
        )
    return Decision(
        rule="R1",
        outcome=PRODUCTION,
        reasons=(_("{summary}: {because}, so production takes them for a second processing (R1).").format(summary=summary, because=because),),
        facts=facts,
    )


def route_special_order(quantity: int, *, policy: Policy | None = None) -> Decision:
    """Route a special order by R3.

    ``"after_sales"`` when ``quantity`` is at most ``policy.special_order_small_max_sets``
    sets (after-sales modifies, tests the small batch, the business ships);
    ``"mass_production"`` above it. The seeds say "less than 10" (EN) but "10套以下" (ZH);
    whether exactly the limit is small is the policy's choice, and the reason says so.
    """
    pol = policy_or_default(policy)
    qty = count(quantity, "quantity", positive=True, policy=pol)
    limit = pol.special_order_small_max_sets
    facts = {"quantity": qty, "special_order_small_max_sets": limit}
    boundary = (
        _("The policy counts up to and including {limit} sets as a small batch (special_order_small_max_sets; the seeds' wording leaves exactly this number open).").format(limit=limit)
    )
    if qty <= limit:
        return Decision(
            rule="R3",
            outcome=AFTER_SALES,
            reasons=(
                _("{qty} is at most {limit}: after-sales modifies the materials per the contract review form, tests the small batch and the business ships it (R3).").format(qty=plural(qty, 'set'), limit=limit),
                boundary,
            ),
            facts=facts,
        )
    return Decision(
        rule="R3",
        outcome=MASS_PRODUCTION,
        reasons=(
            _("{qty} is more than {limit}: samples first, then R&D files the project and issues a BOM to PMC for purchasing, production builds, quality inspects, the warehouse stores and the business ships (R3).").format(qty=plural(qty, 'set'), limit=limit),
            boundary,
        ),
        facts=facts,
    )
