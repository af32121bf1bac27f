"""R4 return acceptance, R5 material requisition sign-offs, R6 stock-in approval.

R4 (000 §Four-4 1): the business decides whether to accept a return from the shipping
time and the reason; the seeds give no window, so by default a person decides and the
system shows the delivery date and reason. R5 (000 §Two 5; 001 二 5): materials are
issued after three ordered sign-offs (sales department head, production manager,
warehouse), each by a holder of that role. R6 (000 §Four-4 3a): refurbished returns
enter sellable stock only with the general manager's approval.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.rules._input import aware, items, plural, policy_or_default, roles_of

__all__ = [
    "ACCEPT",
    "ALLOWED",
    "APPROVED",
    "REFUSED",
    "REJECT",
    "REVIEW",
    "next_signoff_role",
    "requisition_signoff",
    "return_acceptance",
    "stock_in_approval",
    "stock_in_approvers",
    "work_start",
]

ACCEPT = "accept"
REJECT = "reject"
REVIEW = "review"
ALLOWED = "allowed"
REFUSED = "refused"
APPROVED = "approved"


def return_acceptance(
    delivered_at: datetime,
    requested_at: datetime,
    reason: str,
    *,
    policy: Policy | None = None,
) -> Decision:
    """R4: accept a return request?

    ``"accept"`` within ``policy.return_acceptance_window_days`` of delivery, ``"reject"``
    after it; ``"review"`` when the policy has no window (the default): the business
    decides, seeing the delivery date and the reason given in the reasons.
    """
    pol = policy_or_default(policy)
    delivered = aware(delivered_at, "delivered_at")
    requested = aware(requested_at, "requested_at")
    if requested < delivered:
        raise InvalidInput("requested_at", _("a return cannot be requested before the delivery"))
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("reason", _("the customer's reason for the return is required"))
    days = (requested - delivered).days
    window = pol.return_acceptance_window_days
    facts: dict[str, object] = {
        "delivered_at": delivered.isoformat(),
        "requested_at": requested.isoformat(),
        "days_since_delivery": days,
        "reason": reason.strip(),
        "return_acceptance_window_days": window,
    }
    shown = (
        _("Delivered {delivered}, {days} before the request; reason: {reason}.").format(delivered=delivered.date().isoformat(), days=plural(days, 'day'), reason=reason.strip().rstrip('.!?。！？'))
    )
    if window is None:
        return Decision(
            rule="R4",
            outcome=REVIEW,
            reasons=(shown, _("The policy sets no return window: the business decides (R4).")),
            facts=facts,
        )
    if days <= window:
        return Decision(
            rule="R4",
            outcome=ACCEPT,
            reasons=(shown, _("Within the return window of {window} (R4).").format(window=plural(window, 'day'))),
            facts=facts,
        )
    return Decision(
        rule="R4",
        outcome=REJECT,
        reasons=(shown, _("Outside the return window of {window} (R4).").format(window=plural(window, 'day'))),
        facts=facts,
    )


def next_signoff_role(signed_roles: Sequence[Role], *, policy: Policy | None = None) -> Role | None:
    """R5: the role that signs next, or ``None`` when every sign-off is done.

    ``signed_roles`` must be a prefix of ``policy.requisition_signoff_roles``; anything
    else (a role out of order, a repeat) raises :class:`InvalidInput`.
    """
    pol = policy_or_default(policy)
    order = pol.requisition_signoff_roles
    done = items(signed_roles, "signed_roles")
    if len(done) > len(order) or done != order[: len(done)]:
        raise InvalidInput(
            "signatures",
            _("sign-offs must follow the order {order}; found {found}").format(
                order=" -> ".join(r.value for r in order),
                found=" -> ".join(str(getattr(r, "value", r)) for r in done) or _("none"),
            ),
        )
    return order[len(done)] if len(done) < len(order) else None


def requisition_signoff(
    signed_roles: Sequence[Role],
    signer_roles: Collection[Role],
    *,
    policy: Policy | None = None,
) -> Decision:
    """R5: may a user holding ``signer_roles`` give the next sign-off?

    ``"allowed"`` when the signer holds the role whose turn it is, ``"refused"``
    otherwise (also when every sign-off is already given). ``facts["next_role"]`` names
    the role needed.
    """
    pol = policy_or_default(policy)
    needed = next_signoff_role(signed_roles, policy=pol)  # refuses a sign-off out of order
    signed = roles_of(signed_roles, "signed_roles")
    held = frozenset(roles_of(signer_roles, "signer_roles"))
    order = " -> ".join(r.value for r in pol.requisition_signoff_roles)
    facts: dict[str, object] = {
        "signed": [r.value for r in signed],
        "signer_roles": sorted(r.value for r in held),
        "next_role": needed.value if needed is not None else None,
        "order": order,
    }
    if needed is None:
        return Decision(
            rule="R5",
            outcome=REFUSED,
            reasons=(_("Every sign-off ({order}) is already given (R5).").format(order=order),),
            facts=facts,
        )
    if needed in held:
        return Decision(
            rule="R5",
            outcome=ALLOWED,
            reasons=(
                _("It is the {value}'s turn to sign ({order}) and the signer holds it (R5).").format(value=needed.value, order=order),
            ),
            facts=facts,
        )
    return Decision(
        rule="R5",
        outcome=REFUSED,
        reasons=(
            _("The next sign-off belongs to the {value} ({order}); the signer does not hold that role (R5).").format(value=needed.value, order=order),
        ),
        facts=facts,
    )


def work_start(
    requisitions: Sequence[tuple[str, bool]],
    *,
    work: str = _("the work"),
    policy: Policy | None = None,
) -> Decision:
    """R5: may a repair or manufacturing order that needs requisitioned materials start?

    ``requisitions`` are the open (not cancelled) requisitions for that work, each as
    ``(reference, issued)``. With ``policy.requisition_before_work`` on, ``"refused"``
    while any of them is not yet signed off and issued; ``"allowed"`` otherwise (also
    when the switch is off, or the work needs no requisition).
    """
    pol = policy_or_default(policy)
    pending: list[str] = []
    for i, entry in enumerate(items(requisitions, "requisitions")):
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise InvalidInput(f"requisitions[{i}]", _("must be a (reference, issued) pair"))
        reference, issued = entry
        if not isinstance(reference, str) or not reference:
            raise InvalidInput(f"requisitions[{i}]", _("needs a reference"))
        if not isinstance(issued, bool):
            raise InvalidInput(f"requisitions[{i}]", _("issued must be true or false"))
        if not issued:
            pending.append(reference)
    facts: dict[str, object] = {
        "work": work,
        "requisition_before_work": pol.requisition_before_work,
        "pending": pending,
    }
    if not pol.requisition_before_work:
        return Decision(
            rule="R5",
            outcome=ALLOWED,
            reasons=(_("The policy does not hold {work} until its requisitions are signed (R5).").format(work=work),),
            facts=facts,
        )
    if pending:
        return Decision(
            rule="R5",
            outcome=REFUSED,
            reasons=(
                _("{work} cannot start: {pending} not yet signed off and issued ({value}) (R5).").format(work=work, pending=plural(len(pending), 'requisition'), value=', '.join(pending)),
            ),
            facts=facts,
        )
    return Decision(
        rule="R5",
        outcome=ALLOWED,
        reasons=(_("Every requisition of {work} is signed off and issued (R5).").format(work=work),),
        facts=facts,
    )


def stock_in_approvers(*, policy: Policy | None = None) -> frozenset[Role]:
    """R6: the roles that may approve a stock-in form of refurbished goods.

    The general manager; also the after-sales manager when the policy switched
    ``resale_requires_gm_approval`` off. Workflows take their role list from here, so
    the role check and the rule never disagree.
    """
    pol = policy_or_default(policy)
    if pol.resale_requires_gm_approval:
        return frozenset({Role.GENERAL_MANAGER})
    return frozenset({Role.GENERAL_MANAGER, Role.AFTER_SALES_MANAGER})


def stock_in_approval(
    approver_roles: Collection[Role], *, policy: Policy | None = None
) -> Decision:
    """R6: may this approver release refurbished goods for a second sale?

    ``"approved"`` for a general manager (or for an after-sales manager when the policy
    switched the GM requirement off), ``"refused"`` otherwise.
    """
    pol = policy_or_default(policy)
    held = frozenset(roles_of(approver_roles, "approver_roles"))
    required = stock_in_approvers(policy=pol)
    facts: dict[str, object] = {
        "approver_roles": sorted(r.value for r in held),
        "resale_requires_gm_approval": pol.resale_requires_gm_approval,
    }
    if held & required:
        return Decision(
            rule="R6",
            outcome=APPROVED,
            reasons=(
                _("The stock-in form is approved; the refurbished goods may be sold again (R6)."),
            ),
            facts=facts,
        )
    who = " or ".join(sorted(r.value for r in required))
    return Decision(
        rule="R6",
        outcome=REFUSED,
        reasons=(_("Only the {who} approves a stock-in form of refurbished goods (R6).").format(who=who),),
        facts=facts,
    )
