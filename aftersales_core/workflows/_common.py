"""Guard helpers shared by the workflow tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aftersales_core.commands import SendSurvey
from aftersales_core.decision import Decision
from aftersales_core.errors import InvalidInput, RuleViolation
from aftersales_core.forms.base import Signature
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.orders import survey_recipients
from aftersales_core.workflows.engine import Context, Guard

__all__ = [
    "STAFF",
    "check",
    "decided",
    "need",
    "required",
    "roles",
    "signature",
    "survey_on_close",
]

STAFF = frozenset(Role) - {Role.CUSTOMER, Role.SYSTEM}
"""Every internal role."""


T = TypeVar("T")


def decided(ctx: Context[Any]) -> Decision:
    """The decision of the transition (its ``decide`` ran); a table defect raises."""
    if ctx.decision is None:
        raise RuleViolation("form", _("this step needs the decision of its rule, and none was made"))
    return ctx.decision


def need(value: T | None, field: str) -> T:
    """A value the action needs; missing, it raises :class:`InvalidInput` naming ``field``.

    Used instead of ``assert`` (which ``python -O`` removes) where a guard should already
    have made sure of it.
    """
    if value is None:
        raise InvalidInput(field, _("is required for this action"))
    return value


def roles(*items: Role) -> frozenset[Role]:
    """A frozenset of roles, for transition tables."""
    return frozenset(items)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == [] or value is False


def required(*fields: str, rule: str = "form") -> Guard[Any]:
    """A guard that the record's ``fields`` are filled (not None, empty or False)."""

    def _check(ctx: Context[Any]) -> str | None:
        missing = [f for f in fields if _empty(getattr(ctx.record, f))]
        if missing:
            return _("required field(s) missing: ") + ", ".join(missing)
        return None

    return Guard(rule, "filled: " + ", ".join(fields), _check)


def check(rule: str, description: str, fn: Callable[[Context[Any]], str | None]) -> Guard[Any]:
    """A guard from a function returning ``None`` or the failure message."""
    return Guard(rule, description, fn)


def signature(ctx: Context[Any], role: Role, comment: str = "") -> Signature:
    """The actor's signature in ``role`` at the transition's time."""
    return Signature(role=role, user=ctx.actor.user, at=ctx.now, comment=comment)


def survey_on_close(ctx: Context[Any]) -> list[SendSurvey]:
    """R20: a satisfaction survey when a case closes, if the policy says so: to the
    customer, and to the case's final customer as :func:`survey_recipients` decides."""
    if not ctx.policy.survey_after_closed_case:
        return []
    reference = ctx.record.number or "unnumbered"
    return [
        SendSurvey(reference=reference, customer=name, final_customer=final)
        for name, final in survey_recipients(
            ctx.record.customer, getattr(ctx.record, "final_customer", ""), policy=ctx.policy
        )
    ]
