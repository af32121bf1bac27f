"""Input checks shared by the rules: each failure names the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _, current_locale
from aftersales_core.policy import Policy
from aftersales_core.roles import Role

_DEFAULT_POLICY = Policy()
_DAY = timedelta(days=1)
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc) + _DAY
_LATEST = datetime.max.replace(tzinfo=timezone.utc) - _DAY


def policy_or_default(policy: Policy | None) -> Policy:
    """The given policy, or the seeds' defaults; anything else is refused (``policy``)."""
    if policy is None:
        return _DEFAULT_POLICY
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", _("must be a Policy or None, got {type_name}").format(type_name=type(policy).__name__))
    return policy


def count(
    value: object, field: str, *, positive: bool = False, policy: Policy | None = None
) -> int:
    """A whole quantity: an int (not a bool), not negative (or > 0 when ``positive``),
    at most the policy's ``max_quantity``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, _("must be a whole number, got {value!r}").format(value=value))
    if value < 0:
        raise InvalidInput(field, _("must not be negative, got {value}").format(value=value))
    if positive and value == 0:
        raise InvalidInput(field, _("must be greater than 0"))
    limit = policy_or_default(policy).max_quantity
    if value > limit:
        raise InvalidInput(field, _("must be at most {limit} (policy max_quantity), got {value}").format(limit=limit, value=value))
    return value


def flag(value: object, field: str) -> bool:
    """A boolean switch: ``True`` or ``False`` only (not 1, not ``"no"``)."""
    if not isinstance(value, bool):
        raise InvalidInput(field, _("must be True or False, got {value!r}").format(value=value))
    return value


def aware(value: object, field: str) -> datetime:
    """A timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise InvalidInput(field, _("must be a datetime, got {type_name}").format(type_name=type(value).__name__))
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, _("must be timezone-aware (give a tzinfo)"))
    # A day's margin at both ends of the calendar, so that any time zone can show it.
    if not _EARLIEST <= value <= _LATEST:
        raise InvalidInput(field, _("{value} is outside the calendar (years 1-9999)").format(value=value.isoformat()))
    return value


def later(moment: datetime, delta: timedelta, field: str) -> datetime:
    """``moment + delta`` in elapsed (UTC) time, in ``moment``'s zone; a result beyond the
    calendar (year 9999) is refused naming ``field``."""
    try:
        return (moment.astimezone(timezone.utc) + delta).astimezone(moment.tzinfo)
    except OverflowError:
        raise InvalidInput(
            field, _("{moment} plus {delta} is beyond the calendar (year 9999)").format(moment=moment.isoformat(), delta=delta)
        ) from None


def shift(moment: datetime, delta: timedelta, field: str) -> datetime:
    """``moment + delta`` in wall-clock time (``delta`` may be negative); a result outside
    the calendar (years 1-9999) is refused naming ``field``."""
    try:
        return moment + delta
    except OverflowError:
        raise InvalidInput(
            field, _("{moment} shifted by {delta} is outside the calendar").format(moment=moment.isoformat(), delta=delta)
        ) from None


def items(value: object, field: str) -> tuple[object, ...]:
    """The elements of a list-like value (list, tuple, set, generator...); a text, a
    mapping or a single value is refused naming ``field``."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise InvalidInput(field, _("must be a list, got {type_name}").format(type_name=type(value).__name__))
    try:
        return tuple(value)
    except TypeError as exc:
        raise InvalidInput(field, _("must be a list: {exc}").format(exc=exc)) from None


def roles_of(value: object, field: str) -> tuple[Role, ...]:
    """The roles of a list of roles (members of :class:`Role` or their values)."""
    found: list[Role] = []
    for i, role in enumerate(items(value, field)):
        try:
            found.append(Role(role))
        except (ValueError, TypeError):
            raise InvalidInput(
                f"{field}[{i}]",
                _("must be a role ({value}), got {role!r}").format(value=', '.join(r.value for r in Role), role=role),
            ) from None
    return tuple(found)


def money(value: object, field: str) -> Decimal:
    """An amount of money as Decimal, not negative."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise InvalidInput(field, _("must be a Decimal amount, got {value!r}").format(value=value))
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise InvalidInput(field, _("is not a number: {value!r}").format(value=value)) from exc
    if not amount.is_finite():
        raise InvalidInput(field, _("must be a finite amount"))
    if amount < 0:
        raise InvalidInput(field, _("must not be negative, got {amount}").format(amount=amount))
    return amount


def attr(line: object, name: str, field: str) -> object:
    """Read ``name`` from a mapping or an object; a missing value names the field."""
    if isinstance(line, Mapping):
        if name not in line:
            raise InvalidInput(field, _("is missing"))
        return line[name]
    if not hasattr(line, name):
        raise InvalidInput(field, _("is missing"))
    return getattr(line, name)


def choice(value: object, field: str, allowed: tuple[str, ...]) -> str:
    """One of the ``allowed`` string constants."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(field, _("must be one of {value}; got {value2!r}").format(value=', '.join(allowed), value2=value))
    return value


def plural(n: int, word: str) -> str:
    """``'1 host'`` / ``'2 hosts'``; a consonant + y takes ``ies`` (accessories, but days)."""
    if current_locale() is not None:  # no plural forms in Chinese: "3 個月"
        return f"{n} {_(word)}"
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}s"
