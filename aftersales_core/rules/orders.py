"""R14-R18, R20 and R27: order processing checks, satisfaction and logistics.

R14 (003 §1.3): orders unpaid by the cut-off (15:30) do not ship that day; shipping on
arrears needs a business guarantee and a committed payment date and is refused for
low-volume or unstable customers. R15 (003 §1.5): an engineering order goes into
production only once more than 50 % is paid. R16 (003 §1.6): nothing is delivered beyond
a customer's credit limit. R18 (003 §1.7): an order of the same type as a similar batch
under way is flagged to the duty manager and the business. R20 (000 §Three 5; 004
§6.1.1-6.1.2): customers are surveyed regularly; dissatisfaction triggers an
investigation. R27 (003 §1.2, §1.3): an order that will ship is announced to the
warehouse in time to bundle the packing; an exception on the way is told to the customer
at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import (
    attr,
    aware,
    count,
    flag,
    items,
    money,
    plural,
    policy_or_default,
)

__all__ = [
    "BLOCK",
    "DELIVER",
    "FLAG",
    "HOLD",
    "INVESTIGATE",
    "IN_TIME",
    "LATE_NOTICE",
    "NEXT_DAY",
    "NONE",
    "RELEASE",
    "REMIND",
    "SATISFIED",
    "SHIP_ON_ARREARS",
    "SHIP_TODAY",
    "TELL_CUSTOMER",
    "credit_check",
    "cutoff_reminder",
    "engineering_release",
    "logistics_exception",
    "packing_notice",
    "satisfaction_result",
    "shipping_cutoff",
    "similar_batch",
    "survey_due",
    "survey_recipients",
]

SHIP_TODAY = "ship_today"
NEXT_DAY = "next_day"
HOLD = "hold"
SHIP_ON_ARREARS = "ship_on_arrears"
RELEASE = "release"
DELIVER = "deliver"
BLOCK = "block"
FLAG = "flag"
NONE = "none"
SATISFIED = "satisfied"
INVESTIGATE = "investigate"
REMIND = "remind"
IN_TIME = "in_time"
LATE_NOTICE = "late_notice"
TELL_CUSTOMER = "tell_customer"


def shipping_cutoff(
    paid_at: datetime | None,
    ship_date: date,
    *,
    arrears_guarantee: bool = False,
    committed_payment_date: date | None = None,
    customer_stable: bool = True,
    policy: Policy | None = None,
) -> Decision:
    """R14: may an order ship on ``ship_date`` (a date in the company's time zone)?

    ``"ship_today"`` when paid by the cut-off of that day; ``"next_day"`` when paid after
    it; ``"ship_on_arrears"`` when unpaid but the business guarantees it with a committed
    payment date for a stable customer; ``"hold"`` otherwise (the customer is told in
    advance).
    """
    pol = policy_or_default(policy)
    if not isinstance(ship_date, date) or isinstance(ship_date, datetime):
        raise InvalidInput("ship_date", _("must be a date"))
    flag(arrears_guarantee, "arrears_guarantee")
    flag(customer_stable, "customer_stable")
    cutoff_at = datetime.combine(ship_date, pol.payment_cutoff, tzinfo=pol.zone)
    cut = pol.payment_cutoff.strftime("%H:%M")
    facts: dict[str, object] = {
        "ship_date": ship_date.isoformat(),
        "payment_cutoff": cut,
        "timezone": pol.timezone,
        "arrears_guarantee": arrears_guarantee,
        "customer_stable": customer_stable,
    }
    if paid_at is not None:
        paid = aware(paid_at, "paid_at")
        facts["paid_at"] = paid.isoformat()
        local = paid.astimezone(pol.zone)
        paid_text = _("Payment arrived {local} at {local2}").format(local=local.date().isoformat(), local2=local.strftime('%H:%M'))
        day = ship_date.isoformat()
        if paid <= cutoff_at:
            when = (
                _("by the {cut} cut-off of that day").format(cut=cut)
                if local.date() == ship_date
                else _("before the {cut} cut-off of {day}").format(cut=cut, day=day)
            )
            return Decision(
                rule="R14",
                outcome=SHIP_TODAY,
                reasons=(_("{paid_text} ({timezone}), {when}: ships on {day} (R14).").format(paid_text=paid_text, timezone=pol.timezone, when=when, day=day),),
                facts=facts,
            )
        paid_day = local.date()
        paid_cutoff = datetime.combine(paid_day, pol.payment_cutoff, tzinfo=pol.zone)
        earliest = paid_day if paid <= paid_cutoff else paid_day + timedelta(days=1)
        facts["earliest_ship_date"] = earliest.isoformat()
        return Decision(
            rule="R14",
            outcome=NEXT_DAY,
            reasons=(
                _("{paid_text} ({timezone}), after the {cut} cut-off of {day}: it does not ship on {day}; the earliest shipment is {earliest} (R14).").format(paid_text=paid_text, timezone=pol.timezone, cut=cut, day=day, earliest=earliest.isoformat()),
            ),
            facts=facts,
        )
    if committed_payment_date is not None and (
        not isinstance(committed_payment_date, date) or isinstance(committed_payment_date, datetime)
    ):
        raise InvalidInput("committed_payment_date", _("must be a date"))
    if arrears_guarantee and customer_stable:
        if committed_payment_date is None:
            raise InvalidInput(
                "committed_payment_date", _("shipping on arrears needs a committed payment date (R14)")
            )
        facts["committed_payment_date"] = committed_payment_date.isoformat()
        return Decision(
            rule="R14",
            outcome=SHIP_ON_ARREARS,
            reasons=(
                _("Unpaid, but the business guarantees it and the customer committed to pay on {committed_payment_date}: ships on arrears (R14).").format(committed_payment_date=committed_payment_date.isoformat()),
            ),
            facts=facts,
        )
    why = (
        _("low volume or an unstable situation refuses shipping on arrears")
        if arrears_guarantee
        else _("no business guarantee")
    )
    return Decision(
        rule="R14",
        outcome=HOLD,
        reasons=(
            _("Payment not arrived by the {cut} cut-off and {why}: held; tell the customer in advance (R14).").format(cut=cut, why=why),
        ),
        facts=facts,
    )


def engineering_release(paid: Decimal, total: Decimal, *, policy: Policy | None = None) -> Decision:
    """R15: ``"release"`` an engineering order to production once MORE than
    ``policy.engineering_deposit_ratio`` of ``total`` is paid, else ``"hold"``."""
    pol = policy_or_default(policy)
    paid_d = money(paid, "paid")
    total_d = money(total, "total")
    if total_d == 0:
        raise InvalidInput("total", _("an engineering order needs a total above 0"))
    if paid_d > total_d:
        raise InvalidInput("paid", _("{paid_d} paid is more than the order's total {total_d}").format(paid_d=paid_d, total_d=total_d))
    ratio = pol.engineering_deposit_ratio
    # Exact figures: the amounts as given and the threshold amount (an exact product), so
    # no rounding can make the sentence contradict the outcome.
    threshold = total_d * ratio
    need = f"{(ratio * 100).normalize():f} %"
    paid_txt = f"{paid_d:f}"
    total_txt = f"{total_d:f}"
    threshold_txt = f"{threshold.normalize():f}"
    facts: dict[str, object] = {
        "paid": str(paid_d),
        "total": str(total_d),
        "engineering_deposit_ratio": str(ratio),
        "threshold": threshold_txt,
    }
    if paid_d > threshold:
        return Decision(
            rule="R15",
            outcome=RELEASE,
            reasons=(
                _("{paid_txt} paid of {total_txt} is more than {need} of it ({threshold_txt}): released to production, with priority if needed; the balance is cleared before shipment (R15).").format(paid_txt=paid_txt, total_txt=total_txt, need=need, threshold_txt=threshold_txt),
            ),
            facts=facts,
        )
    return Decision(
        rule="R15",
        outcome=HOLD,
        reasons=(
            _("{paid_txt} paid of {total_txt} is not more than {need} of it ({threshold_txt}): not yet released to production (R15).").format(paid_txt=paid_txt, total_txt=total_txt, need=need, threshold_txt=threshold_txt),
        ),
        facts=facts,
    )


def credit_check(
    open_balance: Decimal, order_amount: Decimal, credit_limit: Decimal | None
) -> Decision:
    """R16: ``"deliver"`` when the open balance plus this order stays within the customer's
    credit limit (or the customer has none and pays in advance), else ``"block"``."""
    balance = money(open_balance, "open_balance")
    amount = money(order_amount, "order_amount")
    facts: dict[str, object] = {"open_balance": str(balance), "order_amount": str(amount)}
    if credit_limit is None:
        return Decision(
            rule="R16",
            outcome=DELIVER,
            reasons=(_("The customer has no credit limit: ordinary payment terms apply (R16, R14)."),),
            facts=facts,
        )
    limit = money(credit_limit, "credit_limit")
    facts["credit_limit"] = str(limit)
    exposure = balance + amount
    if exposure <= limit:
        return Decision(
            rule="R16",
            outcome=DELIVER,
            reasons=(
                _("Open {balance} plus this order {amount} is within the credit limit {limit} (R16).").format(balance=balance, amount=amount, limit=limit),
            ),
            facts=facts,
        )
    return Decision(
        rule="R16",
        outcome=BLOCK,
        reasons=(
            _("Open {balance} plus this order {amount} exceeds the credit limit {limit}: not delivered (R16).").format(balance=balance, amount=amount, limit=limit),
        ),
        facts=facts,
    )


def similar_batch(product: str, quantity: int, open_orders: Iterable[object]) -> Decision:
    """R18: ``"flag"`` when an open order (mapping/object with ``product`` and
    ``reference``) is of the same product, so the duty manager and the business decide
    the treatment together; else ``"none"``."""
    if not isinstance(product, str) or not product:
        raise InvalidInput("product", _("is required"))
    qty = count(quantity, "quantity", positive=True)
    matches = [
        str(attr(o, "reference", f"open_orders[{i}].reference"))
        for i, o in enumerate(items(open_orders, "open_orders"))
        if attr(o, "product", f"open_orders[{i}].product") == product
    ]
    facts: dict[str, object] = {"product": product, "quantity": qty, "similar_orders": matches}
    if matches:
        return Decision(
            rule="R18",
            outcome=FLAG,
            reasons=(
                _("{matches} of {product} under way ({value}): the duty manager and the business decide the treatment (R18).").format(matches=plural(len(matches), 'similar order'), product=product, value=', '.join(matches)),
            ),
            facts=facts,
        )
    return Decision(
        rule="R18",
        outcome=NONE,
        reasons=(_("No similar batch of {product} under way (R18).").format(product=product),),
        facts=facts,
    )


def survey_due(
    last_survey_at: datetime | None,
    now: datetime,
    *,
    closed_case: bool = False,
    policy: Policy | None = None,
) -> bool:
    """R20: whether to survey a customer now: after a closed case (when the policy says
    so), when never surveyed, or when ``policy.survey_every_months`` have passed."""
    pol = policy_or_default(policy)
    current = aware(now, "now")
    if flag(closed_case, "closed_case") and pol.survey_after_closed_case:
        return True
    if last_survey_at is None:
        return True
    last = aware(last_survey_at, "last_survey_at")
    return current - last >= timedelta(days=round(pol.survey_every_months * 365.25 / 12))


def survey_recipients(
    customer: str, final_customer: str = "", *, policy: Policy | None = None
) -> tuple[tuple[str, bool], ...]:
    """R20: who is surveyed about a case, as ``(name, is_final_customer)`` pairs: the
    direct customer, then the case's final customer (the end user) when the case names
    one other than the direct customer and ``policy.survey_final_customers`` is on
    (004 §6.1.2: "not limited to the direct customer")."""
    pol = policy_or_default(policy)
    for field, value in (("customer", customer), ("final_customer", final_customer)):
        if not isinstance(value, str):
            raise InvalidInput(field, f"must be a name, got {value!r}")
    direct, final = customer.strip(), final_customer.strip()
    if not direct:
        raise InvalidInput("customer", "a survey needs the customer's name")
    recipients = [(direct, False)]
    if final and final.casefold() != direct.casefold() and pol.survey_final_customers:
        recipients.append((final, True))
    return tuple(recipients)


def satisfaction_result(scores: Sequence[int], *, policy: Policy | None = None) -> Decision:
    """R20: ``"investigate"`` when the average score (1-5) is below
    ``policy.dissatisfied_below_score`` or any answer is the lowest score, else
    ``"satisfied"``."""
    pol = policy_or_default(policy)
    values: list[int] = []
    for i, s in enumerate(items(scores, "scores")):
        if isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= 5:
            raise InvalidInput(f"scores[{i}]", _("must be a whole score from 1 to 5, got {s!r}").format(s=s))
        values.append(s)
    if not values:
        raise InvalidInput("scores", _("a survey needs at least one score"))
    avg = Decimal(sum(values)) / Decimal(len(values))
    avg_txt = f"{avg.quantize(Decimal('0.01'))}"
    facts: dict[str, object] = {
        "average": avg_txt,
        "lowest": min(values),
        "dissatisfied_below_score": pol.dissatisfied_below_score,
    }
    if avg < pol.dissatisfied_below_score or min(values) == 1:
        return Decision(
            rule="R20",
            outcome=INVESTIGATE,
            reasons=(
                _("Average score {avg_txt} (lowest {values}) shows dissatisfaction (below {dissatisfied_below_score}, or a lowest score): investigate and take corrective action (R20).").format(avg_txt=avg_txt, values=min(values), dissatisfied_below_score=pol.dissatisfied_below_score),
            ),
            facts=facts,
        )
    return Decision(
        rule="R20",
        outcome=SATISFIED,
        reasons=(_("Average score {avg_txt}, none at the lowest: satisfied (R20).").format(avg_txt=avg_txt),),
        facts=facts,
    )


def cutoff_reminder(
    now: datetime, ship_date: date, paid_in_full: bool, *, policy: Policy | None = None
) -> Decision:
    """R14: tell the business and the customer, before the cut-off, of an unpaid order due
    to ship today (``"remind"``); ``"none"`` when it is paid, not due today (in the
    company's time zone) or the cut-off has passed (then it simply does not ship today).
    """
    pol = policy_or_default(policy)
    current = aware(now, "now")
    if not isinstance(ship_date, date) or isinstance(ship_date, datetime):
        raise InvalidInput("ship_date", _("must be a date"))
    paid = flag(paid_in_full, "paid_in_full")
    local = current.astimezone(pol.zone)
    cut = pol.payment_cutoff.strftime("%H:%M")
    facts: dict[str, object] = {
        "now": local.isoformat(),
        "ship_date": ship_date.isoformat(),
        "payment_cutoff": cut,
        "timezone": pol.timezone,
        "paid_in_full": paid,
    }
    if paid:
        why = _("it is paid")
    elif local.date() != ship_date:
        why = _("it is due on {ship_date}, not today ({local})").format(ship_date=ship_date.isoformat(), local=local.date().isoformat())
    elif local.time() >= pol.payment_cutoff:
        why = _("the {cut} cut-off has passed: it does not ship today").format(cut=cut)
    else:
        return Decision(
            rule="R14",
            outcome=REMIND,
            reasons=(
                _("Unpaid and due to ship today ({ship_date}): the business and the customer are told before the {cut} cut-off ({timezone}) that it ships today only if the payment arrives by then (R14).").format(ship_date=ship_date.isoformat(), cut=cut, timezone=pol.timezone),
            ),
            facts=facts,
        )
    return Decision(rule="R14", outcome=NONE, reasons=(_("No reminder: {why} (R14).").format(why=why),), facts=facts)


def packing_notice(
    scheduled_at: datetime, now: datetime, *, policy: Policy | None = None
) -> Decision:
    """R27: is the warehouse told in time to bundle the packing of a delivery that leaves at
    ``scheduled_at``? ``"in_time"`` when told at least ``policy.packing_notice_hours``
    before, else ``"late_notice"`` (told at once, with the shortfall)."""
    pol = policy_or_default(policy)
    leaves = aware(scheduled_at, "scheduled_at")
    told = aware(now, "now")
    due = leaves - timedelta(hours=pol.packing_notice_hours)
    local = leaves.astimezone(pol.zone)
    when = f"{local.date().isoformat()} {local.strftime('%H:%M')} ({pol.timezone})"
    facts: dict[str, object] = {
        "scheduled_at": leaves.isoformat(),
        "notified_at": told.isoformat(),
        "packing_notice_hours": pol.packing_notice_hours,
        "notice_due_at": due.isoformat(),
    }
    if told <= due:
        return Decision(
            rule="R27",
            outcome=IN_TIME,
            reasons=(
                _("The delivery leaves {when}; the warehouse is told at least {packing_notice_hours} before, in time to bundle the packing (R27).").format(when=when, packing_notice_hours=plural(pol.packing_notice_hours, 'hour')),
            ),
            facts=facts,
        )
    short = leaves - told
    hours = max(0, int(short.total_seconds() // 3600))
    return Decision(
        rule="R27",
        outcome=LATE_NOTICE,
        reasons=(
            _("The delivery leaves {when}, {hours} from now, less than the {packing_notice_hours} the warehouse needs: it is told at once to bundle the packing (R27).").format(when=when, hours=plural(hours, 'hour'), packing_notice_hours=plural(pol.packing_notice_hours, 'hour')),
        ),
        facts=facts,
    )


def logistics_exception(description: str) -> Decision:
    """R27: an exception on the way (delay, damage, wrong address...) is told to the
    customer at once: ``"tell_customer"``, with the description as the reason."""
    if not isinstance(description, str) or not description.strip():
        raise InvalidInput("logistics_exception", _("describe the exception on the way"))
    text = description.strip()
    return Decision(
        rule="R27",
        outcome=TELL_CUSTOMER,
        reasons=(_("Exception on the way: {text}. The customer is told at once (R27).").format(text=text),),
        facts={"logistics_exception": text},
    )
