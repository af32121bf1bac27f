"""R24 on-arrival checks, R25 difficult problems, R26 installed base, R28 service modes.

R24 (004 §4.9, §4.10): on arrival the engineer asks for the product certificate and the
after-sales service card, examines the parts, records the main cause before repairing
and checks the hidden parts the user did not notice; repaired parts meet the qualified
standard before the repair list is filled and signed by the customer.
R25 (004 §4.11): a problem the engineer cannot solve on the spot is reported to the
leader at once; the engineer solves it once the way is decided and contacts the
factory after the repair.
R26 (004 §6.4.2): every customer has an after-sales account of the products delivered
to it (product, lot or serial, delivery date, warranty end) and their service history.
R28 (002 ¶6; 004 §5): a request is answered by consultation, remote guidance or a visit.
The checklists, the leader and the modes come from the :class:`~aftersales_core.policy.Policy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.rules._input import attr, aware, choice, items, plural, policy_or_default
from aftersales_core.rules.warranty import warranty_end

__all__ = [
    "AMBIGUOUS",
    "ANSWER_REMOTELY",
    "CHECK_STAGES",
    "COMPLETE",
    "FOUND",
    "INCOMPLETE",
    "NOT_FOUND",
    "NOT_OFFERED",
    "REPORT_TO_LEADER",
    "SERVICE_MODES",
    "VISIT",
    "difficult_problem",
    "installed_unit",
    "onsite_checks",
    "service_mode",
]

CHECK_STAGES = ("arrival", "completion")
COMPLETE = "complete"
"""Outcome (R24): every check of the stage is recorded."""
INCOMPLETE = "incomplete"
"""Outcome (R24): a check of the stage is missing; ``facts["missing"]`` lists them."""
REPORT_TO_LEADER = "report_to_leader"
"""Outcome (R25): the problem goes to the policy's leader at once."""
FOUND = "found"
"""Outcome (R26): one unit of the account matches; its delivery and warranty are facts."""
NOT_FOUND = "not_found"
"""Outcome (R26): no unit of the account matches."""
AMBIGUOUS = "ambiguous"
"""Outcome (R26): several units match; the lot or serial tells them apart."""
SERVICE_MODES = ("consultation", "remote_guidance", "visit")
ANSWER_REMOTELY = "answer_remotely"
"""Outcome (R28): a consultation or remote guidance, answered without a visit."""
VISIT = "visit"
"""Outcome (R28): a technician goes on site; the arrival deadline (R8) applies."""
NOT_OFFERED = "not_offered"
"""Outcome (R28): the policy does not offer this mode."""


def onsite_checks(
    done: Iterable[str], *, stage: str, policy: Policy | None = None
) -> Decision:
    """R24: are the checks of ``stage`` (``"arrival"`` or ``"completion"``) all recorded?

    ``done`` names the checks recorded so far (any stage); the stage's list is the
    policy's ``arrival_checklist`` or ``completion_checklist``. Outcomes ``"complete"``
    and ``"incomplete"`` (``facts["missing"]`` in the policy's order).
    """
    pol = policy_or_default(policy)
    which = choice(stage, "stage", CHECK_STAGES)
    if isinstance(done, str):
        raise InvalidInput("checks", _("must be a list of check names, not one string"))
    recorded: list[str] = []
    for i, item in enumerate(done):
        if not isinstance(item, str) or not item:
            raise InvalidInput(f"checks[{i}]", _("must be a check name, got {item!r}").format(item=item))
        recorded.append(item)
    required = pol.arrival_checklist if which == "arrival" else pol.completion_checklist
    missing = [c for c in required if c not in recorded]
    facts: dict[str, object] = {
        "stage": which,
        "required": list(required),
        "recorded": recorded,
        "missing": missing,
    }
    when = _("on arrival, before the repair") if which == "arrival" else _("before the repair list")
    if missing:
        return Decision(
            rule="R24",
            outcome=INCOMPLETE,
            reasons=(
                _("{missing} of {required} missing {when}: {value} (R24).").format(missing=plural(len(missing), 'check'), required=len(required), when=when, value=', '.join(missing)),
            ),
            facts=facts,
        )
    return Decision(
        rule="R24",
        outcome=COMPLETE,
        reasons=(_("All {required} recorded {when} (R24).").format(required=plural(len(required), 'check'), when=when),),
        facts=facts,
    )


def difficult_problem(description: str, *, policy: Policy | None = None) -> Decision:
    """R25: a problem the engineer cannot solve on the spot goes to the leader at once.

    Outcome ``"report_to_leader"``; ``facts["leader"]`` is the policy's leader role.
    """
    pol = policy_or_default(policy)
    if not isinstance(description, str) or not description.strip():
        raise InvalidInput("difficulty", _("describe the problem that cannot be solved on the spot"))
    leader = pol.difficult_problem_leader.value
    return Decision(
        rule="R25",
        outcome=REPORT_TO_LEADER,
        reasons=(
            _("Not solvable on the spot: reported at once to the leader ({leader}), who decides the way; the engineer then solves it and contacts the factory after the repair (R25).").format(leader=leader.replace('_', ' ')),
        ),
        facts={"leader": leader, "difficulty": description.strip()},
    )


def installed_unit(
    units: Iterable[object],
    product: str,
    lot: str = "",
    *,
    at: datetime,
    policy: Policy | None = None,
) -> Decision:
    """R26: the unit of the customer's after-sales account a service is about.

    ``units``: mappings or objects with ``ref``, ``product``, ``lot``, ``delivered_at``
    (aware) and ``category``. A unit matches on the product and, when ``lot`` is given,
    the lot or serial. Outcomes ``"found"`` (facts: ``ref``, ``delivered_at``,
    ``category``, ``warranty_end``, ``in_warranty`` at ``at``), ``"not_found"`` and
    ``"ambiguous"`` (several units of the product and no lot to tell them apart).
    """
    pol = policy_or_default(policy)
    if not isinstance(product, str) or not product.strip():
        raise InvalidInput("product", _("name the product serviced (R26)"))
    if not isinstance(lot, str):
        raise InvalidInput("lot", _("must be text, got {lot!r}").format(lot=lot))
    moment = aware(at, "at")
    matches: list[tuple[str, datetime, str]] = []
    total = 0
    for i, unit in enumerate(items(units, "installed_base")):
        total += 1
        ref = str(attr(unit, "ref", f"installed_base[{i}].ref"))
        delivered = aware(attr(unit, "delivered_at", f"installed_base[{i}].delivered_at"),
                          f"installed_base[{i}].delivered_at")
        category = str(attr(unit, "category", f"installed_base[{i}].category") or "")
        if attr(unit, "product", f"installed_base[{i}].product") != product.strip():
            continue
        if lot and attr(unit, "lot", f"installed_base[{i}].lot") != lot.strip():
            continue
        matches.append((ref, delivered, category))
    which = f"{product.strip()}" + (_(" lot {lot}").format(lot=lot.strip()) if lot else "")
    facts: dict[str, object] = {
        "product": product.strip(),
        "lot": lot.strip(),
        "units_on_account": total,
        "matches": [m[0] for m in matches],
    }
    if not matches:
        return Decision(
            rule="R26",
            outcome=NOT_FOUND,
            reasons=(
                _("No {which} on the customer's after-sales account ({total} delivered) (R26).").format(which=which, total=plural(total, 'unit')),
            ),
            facts=facts,
        )
    if len(matches) > 1:
        return Decision(
            rule="R26",
            outcome=AMBIGUOUS,
            reasons=(
                _("{matches} units of {which} on the customer's account: give the lot or serial to tell them apart (R26).").format(matches=len(matches), which=which),
            ),
            facts=facts,
        )
    ref, delivered, category = matches[0]
    end = warranty_end(delivered, category or None, policy=pol)
    within = moment <= end
    facts.update(
        ref=ref,
        delivered_at=delivered.isoformat(),
        category=category,
        warranty_end=end.isoformat(),
        in_warranty=within,
    )
    return Decision(
        rule="R26",
        outcome=FOUND,
        reasons=(
            _("{which} delivered on {delivered}, on the customer's account; warranty {value} {end} (R26).").format(which=which, delivered=delivered.date().isoformat(), value='runs to' if within else 'ended on', end=end.date().isoformat()),
        ),
        facts=facts,
    )


def service_mode(mode: str, *, policy: Policy | None = None) -> Decision:
    """R28: how a service request is answered.

    Outcomes ``"visit"`` (the arrival deadline R8 applies), ``"answer_remotely"``
    (consultation or remote guidance, the answer archived for the next inquiry) and
    ``"not_offered"`` (the policy's ``service_modes`` leave this mode out).
    """
    pol = policy_or_default(policy)
    chosen = choice(mode, "mode", SERVICE_MODES)
    facts: dict[str, object] = {"mode": chosen, "offered": list(pol.service_modes)}
    label = chosen.replace("_", " ")
    if chosen not in pol.service_modes:
        return Decision(
            rule="R28",
            outcome=NOT_OFFERED,
            reasons=(
                _("The company does not offer {label}; it offers {value} (R28).").format(label=label, value=', '.join(m.replace('_', ' ') for m in pol.service_modes)),
            ),
            facts=facts,
        )
    if chosen == "visit":
        return Decision(
            rule="R28",
            outcome=VISIT,
            reasons=(_("A visit: a technician goes on site within the arrival deadline (R28, R8)."),),
            facts=facts,
        )
    return Decision(
        rule="R28",
        outcome=ANSWER_REMOTELY,
        reasons=(
            _("Answered by {label}, without a visit; the answer is archived for the next inquiry (R28).").format(label=label),
        ),
        facts=facts,
    )
