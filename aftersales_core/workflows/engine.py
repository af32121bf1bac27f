"""A small, typed, declarative state-machine engine for the after-sales workflows.

A :class:`Workflow` is a table of :class:`Transition` rows. Each row names the action,
the states it leaves from, the state it goes to (or, for a routing step, a map from a
rule's outcome to a state), the roles that may take it, its guards and the commands it
emits for the host. :meth:`Workflow.apply` is pure: it returns a :class:`Step` holding
a *new* record and never touches the one it was given, so a refused action (an
:class:`~aftersales_core.errors.IllegalTransition`,
:class:`~aftersales_core.errors.RoleNotAllowed` or
:class:`~aftersales_core.errors.GuardFailed`) leaves every record as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aftersales_core.commands import Command
from aftersales_core.decision import Decision
from aftersales_core.errors import (
    AftersalesError,
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.forms.base import form_error
from aftersales_core.i18n import _
from aftersales_core.policy import Policy
from aftersales_core.roles import Role

__all__ = [
    "Actor",
    "Context",
    "Guard",
    "HistoryEntry",
    "Step",
    "Transition",
    "Workflow",
]

R = TypeVar("R", bound=BaseModel)


class Actor(BaseModel):
    """Who takes an action: a user id and the roles the host grants that user."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str = Field(min_length=1)
    roles: frozenset[Role]

    def holds(self, role: Role) -> bool:
        """Whether the actor holds ``role``."""
        return role in self.roles


class HistoryEntry(BaseModel):
    """One transition as the host stores it: who, when, from, to, by which action."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workflow: str
    action: str
    user: str
    at: datetime
    from_state: str
    to_state: str
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Context(Generic[R]):
    """What a guard, a decision or an effect sees while a transition is evaluated.

    ``record`` is the record *with the action's updates applied* (not yet stored),
    ``before`` the record as it was; ``decision`` is the first decision of ``decide``
    and ``decisions`` all of them.
    """

    record: R
    before: R
    actor: Actor
    params: Mapping[str, Any]
    policy: Policy
    now: datetime
    decision: Decision | None = None
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Guard(Generic[R]):
    """A condition a transition needs; ``check`` returns ``None`` or the failure message.

    ``rule`` is the SPEC.md rule id it enforces (``"R5"``), or ``"form"`` for a form's
    required fields.
    """

    rule: str
    description: str
    check: Callable[[Context[R]], str | None]


Effect = Callable[["Context[R]"], Sequence[Command]]
Decide = Callable[["Context[R]"], "Decision | Sequence[Decision]"]
Writes = Callable[["Context[R]"], Mapping[str, Any]]
Branch = Callable[["Context[R]"], str]
RolesFor = Callable[[Policy], frozenset[Role]]


@dataclass(frozen=True)
class Transition(Generic[R]):
    """One row of a workflow's table.

    Exactly one of ``target`` (a fixed state) and ``routes`` is given. ``routes`` maps a
    key to a state: the key is ``branch(ctx)`` when ``branch`` is given, else the outcome
    of the first decision of ``decide``. ``updates`` names the record fields that the
    action's params may set; any other param is refused as bad input. ``decide`` runs
    after the guards and may return one decision or several (all are recorded);
    ``writes`` returns the fields the transition itself sets (e.g. the route decided, a
    signature), and ``effects`` the commands for the host. ``roles_for``, when given,
    gives the roles the policy accepts among ``roles`` (e.g. R6: only the general
    manager approves unless the policy says otherwise): a role refusal names those, and
    :meth:`Workflow.available_actions` offers the action only to them; a holder of
    ``roles`` outside them is refused by the transition's rule guard.
    """

    action: str
    sources: frozenset[str]
    roles: frozenset[Role]
    target: str | None = None
    routes: Mapping[str, str] | None = None
    decide: Decide[R] | None = None
    guards: tuple[Guard[R], ...] = ()
    updates: frozenset[str] = frozenset()
    writes: Writes[R] | None = None
    branch: Branch[R] | None = None
    effects: Effect[R] | None = None
    post_guards: tuple[Guard[R], ...] = ()
    description: str = ""
    roles_for: RolesFor | None = None

    def __post_init__(self) -> None:
        if (self.target is None) == (self.routes is None):
            raise ValueError(f"transition {self.action!r}: give exactly one of target and routes")
        if self.routes is not None and self.decide is None and self.branch is None:
            raise ValueError(f"transition {self.action!r}: routes need a decide or branch function")

    def allowed_roles(self, policy: Policy | None = None) -> frozenset[Role]:
        """The roles that may take this transition under ``policy`` (default policy)."""
        if self.roles_for is None:
            return self.roles
        return self.roles & self.roles_for(policy if policy is not None else Policy())

    @property
    def targets(self) -> frozenset[str]:
        """Every state this transition may lead to."""
        if self.target is not None:
            return frozenset({self.target})
        return frozenset(self.routes.values()) if self.routes is not None else frozenset()


@dataclass(frozen=True)
class Step(Generic[R]):
    """The result of applying an action: the new record, the commands, the history row."""

    record: R
    commands: tuple[Command, ...]
    history: HistoryEntry
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Workflow(Generic[R]):
    """A workflow of SPEC.md as a transition table over records of type ``record_type``.

    The record type is a pydantic model with a ``state`` field (a form of
    :mod:`aftersales_core.forms` in practice).
    """

    name: str
    title: str
    record_type: type[R]
    initial: str
    states: tuple[str, ...]
    final: frozenset[str]
    transitions: tuple[Transition[R], ...]
    state_field: str = "state"
    _by_action: dict[str, tuple[Transition[R], ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        known = set(self.states)
        if self.initial not in known:
            raise ValueError(f"{self.name}: initial state {self.initial!r} is not a state")
        if not self.final <= known:
            raise ValueError(f"{self.name}: final states {sorted(self.final - known)} unknown")
        index: dict[str, list[Transition[R]]] = {}
        for t in self.transitions:
            unknown = (t.sources | t.targets) - known
            if unknown:
                raise ValueError(
                    f"{self.name}: {t.action!r} names unknown states {sorted(unknown)}"
                )
            for other in index.get(t.action, []):
                if other.sources & t.sources:
                    raise ValueError(
                        f"{self.name}: {t.action!r} is ambiguous from {other.sources & t.sources}"
                    )
            index.setdefault(t.action, []).append(t)
        object.__setattr__(self, "_by_action", {k: tuple(v) for k, v in index.items()})

    # --- reading the table ------------------------------------------------------------

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action of the workflow, in table order, without repeats."""
        return tuple(dict.fromkeys(t.action for t in self.transitions))

    def state_of(self, record: R) -> str:
        """The current state of ``record``."""
        return str(getattr(record, self.state_field))

    def transition_for(self, state: str, action: str) -> Transition[R]:
        """The row that takes ``action`` from ``state``; :class:`IllegalTransition` if none."""
        for t in self._by_action.get(action, ()):
            if state in t.sources:
                return t
        raise IllegalTransition(self.name, action, state, self.actions_from(state))

    def actions_from(self, state: str) -> tuple[str, ...]:
        """The actions that exist from ``state`` (whatever the actor's roles)."""
        return tuple(dict.fromkeys(t.action for t in self.transitions if state in t.sources))

    def available_actions(
        self, record: R, actor: Actor, *, policy: Policy | None = None
    ) -> tuple[str, ...]:
        """The actions ``actor`` may take on ``record`` now, by state and role (not guards),
        the roles as ``policy`` (default policy) sets them."""
        state = self.state_of(record)
        return tuple(
            dict.fromkeys(
                t.action
                for t in self.transitions
                if state in t.sources and (t.allowed_roles(policy) & actor.roles)
            )
        )

    def rule_blocks(
        self,
        record: R,
        actor: Actor,
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> dict[str, str]:
        """``{action: why}`` for the actions ``actor`` may take by state and role whose
        *rule* guards (not the form's required fields, which the user may still fill)
        refuse the record as it is now, e.g. a payout without a product-quality
        responsibility (R11). A host hides those buttons and can show the reason."""
        pol = policy if policy is not None else Policy()
        at = now if now is not None else datetime.now(timezone.utc)
        ctx: Context[R] = Context(
            record=record, before=record, actor=actor, params={}, policy=pol, now=at
        )
        blocked: dict[str, str] = {}
        state = self.state_of(record)
        for t in self.transitions:
            if state not in t.sources or not (t.allowed_roles(pol) & actor.roles):
                continue
            for guard in t.guards:
                if guard.rule == "form":
                    continue
                try:
                    failure = guard.check(ctx)
                except AftersalesError as exc:
                    failure = str(exc)
                if failure is not None:
                    cited = f"({guard.rule})"
                    blocked[t.action] = failure if cited in failure else f"{failure} {cited}"
                    break
        return blocked

    def ready_actions(
        self,
        record: R,
        actor: Actor,
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> tuple[str, ...]:
        """:meth:`available_actions` less those a rule guard refuses now (:meth:`rule_blocks`)."""
        blocked = self.rule_blocks(record, actor, policy=policy, now=now)
        return tuple(
            a for a in self.available_actions(record, actor, policy=policy) if a not in blocked
        )

    # --- acting -----------------------------------------------------------------------

    def apply(
        self,
        record: R,
        action: str,
        actor: Actor,
        *,
        params: Mapping[str, Any] | None = None,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> Step[R]:
        """Take ``action`` on ``record`` as ``actor``; return the new record and commands.

        Checks, in order: the action exists from the current state
        (:class:`IllegalTransition`), the actor holds one of its roles
        (:class:`RoleNotAllowed`), the params name fields the action may set and give
        valid values (:class:`InvalidInput`), every guard passes (:class:`GuardFailed`).
        Nothing is changed when any check fails.
        """
        pol = policy if policy is not None else Policy()
        at = now if now is not None else datetime.now(timezone.utc)
        if at.tzinfo is None:
            raise InvalidInput("now", _("must be a timezone-aware datetime"))
        state = self.state_of(record)
        transition = self.transition_for(state, action)
        if not (transition.roles & actor.roles):
            # Name the roles the policy accepts (roles_for), as the rule's own refusal does.
            raise RoleNotAllowed(
                action,
                frozenset(r.value for r in transition.allowed_roles(pol)),
                frozenset(r.value for r in actor.roles),
            )
        updated = self._with_updates(record, transition, params or {})
        ctx: Context[R] = Context(
            record=updated, before=record, actor=actor, params=params or {}, policy=pol, now=at
        )
        for guard in transition.guards:
            failure = guard.check(ctx)
            if failure is not None:
                raise GuardFailed(guard.rule, f"{self.name}/{action}: {failure}")
        decisions: tuple[Decision, ...] = ()
        if transition.decide is not None:
            made = transition.decide(ctx)
            decisions = (made,) if isinstance(made, Decision) else tuple(made)
            ctx = replace(ctx, decision=decisions[0] if decisions else None, decisions=decisions)
        for guard in transition.post_guards:
            failure = guard.check(ctx)
            if failure is not None:
                raise GuardFailed(guard.rule, f"{self.name}/{action}: {failure}")
        if transition.target is not None:
            target = transition.target
        else:
            if transition.branch is not None:
                key = transition.branch(ctx)
            else:
                key = ctx.decision.outcome if ctx.decision is not None else ""
            try:
                target = (transition.routes or {})[key]
            except KeyError:  # pragma: no cover - a table defect, caught by the table tests
                raise IllegalTransition(self.name, action, state, ()) from None
        written = dict(transition.writes(ctx)) if transition.writes is not None else {}
        written[self.state_field] = target
        final = self._validated(updated, written)
        ctx = replace(ctx, record=final)
        commands = tuple(transition.effects(ctx)) if transition.effects is not None else ()
        entry = HistoryEntry(
            workflow=self.name,
            action=action,
            user=actor.user,
            at=at,
            from_state=state,
            to_state=target,
            decisions=decisions,
        )
        return Step(record=final, commands=commands, history=entry, decisions=decisions)

    def _with_updates(self, record: R, transition: Transition[R], params: Mapping[str, Any]) -> R:
        field_names = set(type(record).model_fields)
        # A misspelt param must not be dropped silently (e.g. a lost needs_design_change
        # would route a return to production instead of a quality exception).
        unknown = sorted(set(params) - field_names)
        if unknown:
            raise InvalidInput(
                unknown[0],
                _("is not a field of {record_type} (action {action!r})").format(record_type=type(record).__name__, action=transition.action),
            )
        updates = dict(params)
        refused = sorted(set(updates) - transition.updates)
        if refused:
            raise InvalidInput(
                refused[0],
                _("action {action!r} may not set this field (it may set: {value})").format(action=transition.action, value=', '.join(sorted(transition.updates)) or _('nothing')),
            )
        if not updates:
            return record
        return self._validated(record, updates)

    @staticmethod
    def _validated(record: R, changes: Mapping[str, Any]) -> R:
        try:
            return type(record).model_validate({**dict(record), **changes})
        except ValidationError as exc:
            raise form_error(exc) from exc

    def run(
        self,
        record: R,
        steps: Iterable[tuple[str, Actor, Mapping[str, Any] | None]],
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> list[Step[R]]:
        """Apply several actions in order; convenient for tests and the demo."""
        out: list[Step[R]] = []
        current = record
        for action, actor, params in steps:
            step = self.apply(current, action, actor, params=params, policy=policy, now=now)
            out.append(step)
            current = step.record
        return out

    def to_mermaid(self) -> str:
        """The workflow as a Mermaid state diagram (used by docs/workflows.md)."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions:
            roles = "/".join(sorted(r.value for r in t.roles))
            if t.routes is not None:
                for outcome, tgt in t.routes.items():
                    for src in sorted(t.sources):
                        lines.append(f"    {src} --> {tgt}: {t.action} [{outcome}] ({roles})")
            else:
                for src in sorted(t.sources):
                    lines.append(f"    {src} --> {t.target}: {t.action} ({roles})")
        for s in sorted(self.final):
            lines.append(f"    {s} --> [*]")
        return "\n".join(lines)
