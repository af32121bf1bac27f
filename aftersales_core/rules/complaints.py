"""R11 complaint responsibility, R12 same-batch check, R13 escalation of quality information.

R11 (003 §Second 3): not the company's operation -> after-sales or the dealer explains;
quantity, delivery time or transport damage -> after-sales or the dealer handles it;
construction (installation) quality only -> the dealer at its own cost, supervised by
the sales company; product quality -> the company's payout process after testing.
R12 (003 §Second 2-3): on a quality complaint look up stock of the same lot; stock
found -> quality picks and tests it, a similar defect means the customer returns the
product, none means a handling opinion and the payout process; no stock -> photos and
the product, then test and decide responsibility.
R13 (004 §6.1.3-6.3.2): normal maintenance information is repaired directly; abnormal or
repeated information goes to quality control; batch or major problems to the general
manager; a quality problem of a marine product suspends its production and notifies
the classification society (CCS).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from aftersales_core.decision import Decision
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import (
    aware,
    choice,
    count,
    flag,
    items,
    plural,
    policy_or_default,
    shift,
)

__all__ = [
    "AFTER_SALES_OR_DEALER",
    "COMPLAINT_CAUSES",
    "CUSTOMER_RETURNS_PRODUCT",
    "DEALER_AT_OWN_COST",
    "EXPLAIN_TO_CUSTOMER",
    "GENERAL_MANAGER",
    "HANDLING_OPINION_AND_PAYOUT",
    "PAYOUT_AFTER_TESTING",
    "PHOTOS_AND_PRODUCT",
    "QUALITY_CONTROL",
    "REPAIR_DIRECTLY",
    "RESPONSIBILITY_OUTCOMES",
    "SAME_BATCH_OUTCOMES",
    "SUSPEND_PRODUCTION",
    "TEST_STOCK",
    "complaint_responsibility",
    "is_repeated",
    "quality_escalation",
    "same_batch_check",
]

COMPLAINT_CAUSES = (
    "not_company",
    "quantity",
    "delivery_time",
    "transport_damage",
    "construction_quality",
    "product_quality",
)
EXPLAIN_TO_CUSTOMER = "explain_to_customer"
AFTER_SALES_OR_DEALER = "after_sales_or_dealer"
DEALER_AT_OWN_COST = "dealer_at_own_cost"
PAYOUT_AFTER_TESTING = "payout_after_testing"

TEST_STOCK = "test_stock"
CUSTOMER_RETURNS_PRODUCT = "customer_returns_product"
HANDLING_OPINION_AND_PAYOUT = "handling_opinion_and_payout"
PHOTOS_AND_PRODUCT = "photos_and_product"

RESPONSIBILITY_OUTCOMES = (
    EXPLAIN_TO_CUSTOMER,
    AFTER_SALES_OR_DEALER,
    DEALER_AT_OWN_COST,
    PAYOUT_AFTER_TESTING,
)
"""The outcomes of R11, in the seed's order."""
SAME_BATCH_OUTCOMES = (
    TEST_STOCK,
    CUSTOMER_RETURNS_PRODUCT,
    HANDLING_OPINION_AND_PAYOUT,
    PHOTOS_AND_PRODUCT,
)
"""The outcomes of R12."""

REPAIR_DIRECTLY = "repair_directly"
QUALITY_CONTROL = "quality_control"
GENERAL_MANAGER = "general_manager"
SUSPEND_PRODUCTION = "suspend_production"

_RESPONSIBILITY = {
    "not_company": (
        EXPLAIN_TO_CUSTOMER,
        "Not caused by the company's operation: after-sales or the dealer explains the reason to the customer (R11).",
    ),
    "quantity": (
        AFTER_SALES_OR_DEALER,
        "A quantity problem is handled by after-sales or the dealer (R11).",
    ),
    "delivery_time": (
        AFTER_SALES_OR_DEALER,
        "A delivery-time problem is handled by after-sales or the dealer (R11).",
    ),
    "transport_damage": (
        AFTER_SALES_OR_DEALER,
        "Damage in transport is handled by after-sales or the dealer (R11).",
    ),
    "construction_quality": (
        DEALER_AT_OWN_COST,
        "Construction (installation) quality only: the dealer handles it at its own cost, "
        "supervised by the sales company (R11).",
    ),
    "product_quality": (
        PAYOUT_AFTER_TESTING,
        "Product quality: the company's payout process starts after testing (R11).",
    ),
}


def complaint_responsibility(cause: str) -> Decision:
    """R11: who handles a complaint, by its determined ``cause``.

    Causes: ``"not_company"``, ``"quantity"``, ``"delivery_time"``,
    ``"transport_damage"``, ``"construction_quality"``, ``"product_quality"``. Outcomes:
    ``"explain_to_customer"``, ``"after_sales_or_dealer"``, ``"dealer_at_own_cost"``,
    ``"payout_after_testing"``.
    """
    key = choice(cause, "cause", COMPLAINT_CAUSES)
    outcome, reason = _RESPONSIBILITY[key]
    return Decision(rule="R11", outcome=outcome, reasons=(reason,), facts={"cause": key})


def same_batch_check(stock_of_lot: int, *, similar_defect: bool | None = None) -> Decision:
    """R12: what to do on a quality complaint, given the stock of the same lot.

    ``stock_of_lot`` is the quantity of the complained lot still in stock;
    ``similar_defect`` the result of quality's test of that stock (``None``: not tested
    yet). Outcomes: ``"test_stock"``, ``"customer_returns_product"``,
    ``"handling_opinion_and_payout"``, ``"photos_and_product"``.
    """
    qty = count(stock_of_lot, "stock_of_lot")
    if similar_defect is not None:
        flag(similar_defect, "similar_defect")
    facts: dict[str, object] = {"stock_of_lot": qty, "similar_defect": similar_defect}
    if qty == 0:
        return Decision(
            rule="R12",
            outcome=PHOTOS_AND_PRODUCT,
            reasons=(
                _("No stock of the same lot: ask the customer for photos and the product, judge from the photos, test, then decide responsibility (R12, R11)."),
            ),
            facts=facts,
        )
    found = _("{qty} of the same lot in stock").format(qty=plural(qty, 'unit'))
    if similar_defect is None:
        return Decision(
            rule="R12",
            outcome=TEST_STOCK,
            reasons=(_("{found}: quality picks them and tests for the problem (R12).").format(found=found),),
            facts=facts,
        )
    if similar_defect:
        return Decision(
            rule="R12",
            outcome=CUSTOMER_RETURNS_PRODUCT,
            reasons=(
                _("{found} show a similar defect: the customer returns the problem product (R12).").format(found=found),
            ),
            facts=facts,
        )
    return Decision(
        rule="R12",
        outcome=HANDLING_OPINION_AND_PAYOUT,
        reasons=(
            _("{found} show no similar defect: agree a handling opinion with the customer and the business, and start the payout process (R12).").format(found=found),
        ),
        facts=facts,
    )


def is_repeated(
    occurrences: Iterable[datetime], now: datetime, *, policy: Policy | None = None
) -> bool:
    """R13: whether the same product and failure mode occurred ``policy.repeat_count``
    times or more within the last ``policy.repeat_window_days`` days (``now`` included)."""
    pol = policy_or_default(policy)
    current = aware(now, "now")
    start = shift(current, -timedelta(days=pol.repeat_window_days), "now")
    n = sum(
        1
        for i, at in enumerate(items(occurrences, "occurrences"))
        if start <= aware(at, f"occurrences[{i}]") <= current
    )
    return n >= pol.repeat_count


def quality_escalation(
    *,
    abnormal: bool,
    occurrences: Iterable[datetime] = (),
    affected_quantity: int = 1,
    major: bool = False,
    marine: bool = False,
    now: datetime,
    policy: Policy | None = None,
) -> Decision:
    """R13: where quality information goes.

    ``occurrences``: earlier reports of the same product and failure mode (with this one,
    if it should count). Outcomes, most severe first: ``"suspend_production"`` (a quality
    problem of a marine product: suspend and notify CCS), ``"general_manager"`` (major,
    or a batch of ``policy.batch_problem_quantity`` or more units),
    ``"quality_control"`` (abnormal or repeated), ``"repair_directly"`` (normal
    maintenance information).
    """
    pol = policy_or_default(policy)
    qty = count(affected_quantity, "affected_quantity", positive=True, policy=pol)
    flag(abnormal, "abnormal")
    flag(major, "major")
    flag(marine, "marine")
    aware(now, "now")
    times = tuple(
        aware(at, f"occurrences[{i}]") for i, at in enumerate(items(occurrences, "occurrences"))
    )
    repeated = is_repeated(times, now, policy=pol)
    window_start = shift(now, -timedelta(days=pol.repeat_window_days), "now")
    in_window = sum(1 for at in times if window_start <= at <= now)
    batch = qty >= pol.batch_problem_quantity
    quality_problem = abnormal or repeated or major or batch
    facts: dict[str, object] = {
        "abnormal": abnormal,
        "repeated": repeated,
        "occurrences_in_window": in_window,
        "affected_quantity": qty,
        "major": major,
        "marine": marine,
        "repeat_window_days": pol.repeat_window_days,
        "repeat_count": pol.repeat_count,
        "batch_problem_quantity": pol.batch_problem_quantity,
    }
    found = []
    if major:
        found.append(_("a major problem"))
    if batch:
        found.append(
            _("a batch problem ({qty}, threshold {batch_problem_quantity})").format(qty=plural(qty, 'unit'), batch_problem_quantity=pol.batch_problem_quantity)
        )
    if abnormal:
        found.append(_("abnormal quality information"))
    if repeated:
        found.append(
            _("repeated ({in_window} reports within {repeat_window_days} days, threshold {repeat_count})").format(in_window=in_window, repeat_window_days=pol.repeat_window_days, repeat_count=pol.repeat_count)
        )
    if marine and quality_problem:
        return Decision(
            rule="R13",
            outcome=SUSPEND_PRODUCTION,
            reasons=(
                _("A quality problem of a marine product ({value}): production of the product is suspended and the classification society (CCS) notified; it resumes only after the correction is verified (R13).").format(value='; '.join(found)),
            ),
            facts=facts,
        )
    if major or batch:
        what = " and ".join(f for f in found if f.startswith((_("a major"), _("a batch"))))
        return Decision(
            rule="R13",
            outcome=GENERAL_MANAGER,
            reasons=(_("This is {what}: reported to the general manager in time (R13).").format(what=what),),
            facts=facts,
        )
    if abnormal or repeated:
        what = " and ".join(found)
        return Decision(
            rule="R13",
            outcome=QUALITY_CONTROL,
            reasons=(
                _("The information is {what}: a quality information feedback sheet goes to quality control, which routes it to the functional departments (R13).").format(what=what),
            ),
            facts=facts,
        )
    return Decision(
        rule="R13",
        outcome=REPAIR_DIRECTLY,
        reasons=(_("Normal maintenance information: repair directly (R13)."),),
        facts=facts,
    )
