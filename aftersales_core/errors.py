"""Errors raised by the core.

Every error names what was wrong: the field of bad input, the rule (``R1``...``R23``)
that refused an action, or the role an actor lacked. All of them derive from
:class:`AftersalesError`; bad input also derives from :class:`ValueError` so that
callers who only know the standard library can still catch it.
"""

from __future__ import annotations

from aftersales_core.i18n import _

__all__ = [
    "AftersalesError",
    "DatabaseBusy",
    "GuardFailed",
    "IllegalTransition",
    "InvalidInput",
    "RoleNotAllowed",
    "RuleViolation",
]


class AftersalesError(Exception):
    """Base class of every error the core raises on purpose."""


class InvalidInput(AftersalesError, ValueError):
    """Bad input: the message names the field (``field``) and what is wrong with it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class DatabaseBusy(AftersalesError):
    """Another writer held the database longer than the policy's ``database_wait_seconds``.

    Nothing was written; the action or import may simply be tried again.
    """

    def __init__(self, database: str, waited: int) -> None:
        self.database = database
        self.waited = waited
        super().__init__(
            _("database {database}: busy, another import or action is writing; waited {waited} s (policy database_wait_seconds), nothing was written: try again").format(database=database, waited=waited)
        )


class RuleViolation(AftersalesError):
    """An action the policy forbids; ``rule`` is the rule id of SPEC.md (e.g. ``"R5"``)."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        self.message = message
        super().__init__(f"{rule}: {message}")


class GuardFailed(RuleViolation):
    """A workflow guard refused a transition (missing field, missing sign-off, ...)."""


class RoleNotAllowed(AftersalesError, PermissionError):
    """The actor does not hold any of the roles a transition requires."""

    def __init__(self, action: str, required: frozenset[str], held: frozenset[str]) -> None:
        self.action = action
        self.required = required
        self.held = held
        need = " or ".join(sorted(required))
        have = ", ".join(sorted(held)) or _("no role")
        super().__init__(_("action {action!r} needs the role {need}; the actor holds {have}").format(action=action, need=need, have=have))


class IllegalTransition(AftersalesError):
    """The action does not exist in the workflow or cannot be taken from the current state."""

    def __init__(self, workflow: str, action: str, state: str, allowed: tuple[str, ...]) -> None:
        self.workflow = workflow
        self.action = action
        self.state = state
        self.allowed = allowed
        options = ", ".join(allowed) or "none"
        super().__init__(
            _("{workflow}: action {action!r} is not allowed in state {state!r} (allowed here: {options})").format(workflow=workflow, action=action, state=state, options=options)
        )
