"""Hypothesis strategies for the fuzz tests: arbitrary JSON-like values, and values built
from the forms' real field names and types so that validation goes deep.

Every generated value is something a caller could hand the core: JSON (what a host
receives from a file or a client) plus the Python values the core's signatures name
(aware and naive datetimes at the ends of their range, dates, Decimals including NaN
and infinities, roles).
"""

from __future__ import annotations

import functools
import types
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel

from aftersales_core.roles import Role
from aftersales_core.rules import CAUSES, COMPLAINT_CAUSES, REGIONS

NOW = datetime(2026, 5, 4, 10, tzinfo=timezone.utc)

# --- JSON-like ------------------------------------------------------------------------

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_like = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
"""Arbitrary JSON: nested dicts and lists of str, int, float, bool and None."""

# --- the Python values the core's signatures name -----------------------------------

offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
aware_datetimes = st.one_of(
    st.datetimes(timezones=offsets),
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=offsets
    ),
    st.sampled_from([datetime.min, datetime.max]).flatmap(
        lambda d: offsets.map(lambda tz: d.replace(tzinfo=tz))
    ),
)
"""Aware datetimes, often near today, sometimes at year 1 or 9999 in any UTC offset."""
naive_datetimes = st.datetimes()
moments = aware_datetimes | naive_datetimes | aware_datetimes.map(lambda d: d.isoformat())
decimals = (
    st.decimals(allow_nan=True, allow_infinity=True)
    | st.decimals(min_value=0, max_value=10**6, places=2)
    | st.sampled_from(
        [Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E+999999"), Decimal(0)]
    )
)
roles = st.sampled_from(list(Role))
role_values = roles | roles.map(lambda r: r.value)
python_leaf = json_leaf | aware_datetimes | naive_datetimes | st.dates() | decimals | roles
wild = st.recursive(
    python_leaf,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.frozensets(st.one_of(roles, st.integers(), st.text(max_size=5)), max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
"""Anything: JSON plus datetimes, dates, Decimals and roles, nested."""

WORDS = (
    "",
    " ",
    "host",
    "accessory",
    "MC-200",
    "Jiangsu",
    "Xinjiang",
    "product_quality",
    "transport",
    "unknown",
    "repair",
    "refund",
    "passed",
    "failed",
    "A",
)
words = st.sampled_from(WORDS) | st.text(max_size=10)

# --- values from the forms' own fields ----------------------------------------------


def for_annotation(annotation: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly a value of the annotated type (often a valid one), sometimes anything."""
    return st.one_of(_typed(annotation, depth), _typed(annotation, depth), json_like)


def _typed(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _typed(args[0], depth)
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (Union, types.UnionType):
        return st.one_of([_typed(a, depth) for a in args])
    if origin in (tuple, list, set, frozenset):
        inner = args[0] if args else Any
        return st.lists(for_annotation(inner, depth + 1), max_size=3 if depth < 2 else 1)
    if origin is dict:
        return st.dictionaries(words, for_annotation(args[1], depth + 1), max_size=3)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return model_data(annotation, depth + 1)
        if issubclass(annotation, Role):
            return role_values
        if annotation is bool:
            return st.booleans()
        if annotation is int:
            return st.integers(min_value=-2, max_value=20) | st.integers()
        if annotation is str:
            return words
        if annotation in (datetime, AwareDatetime):
            return moments
        if annotation is date:
            return st.dates() | st.dates().map(date.isoformat)
        if annotation is Decimal:
            return decimals | decimals.map(str) | st.integers(min_value=0, max_value=10**6)
    if annotation is type(None):
        return st.none()
    return json_like


def valid_value(annotation: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value of the annotated type that a form usually accepts (non-empty text, a small
    positive number, an aware moment of these years, one of a Literal's choices)."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return valid_value(args[0], depth)
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (Union, types.UnionType):
        return st.one_of([valid_value(a, depth) for a in args])
    if origin in (tuple, list, set, frozenset):
        inner = args[0] if args else Any
        return st.lists(valid_value(inner, depth + 1), min_size=1, max_size=3 if depth < 2 else 1)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return valid_data(annotation, depth + 1)
        if issubclass(annotation, Role):
            return roles
        if annotation is bool:
            return st.booleans()
        if annotation is int:
            return st.integers(min_value=1, max_value=5)
        if annotation is str:
            return st.sampled_from([w for w in WORDS if w.strip()])
        if annotation in (datetime, AwareDatetime):
            return st.datetimes(
                min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1), timezones=offsets
            )
        if annotation is date:
            return st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1))
        if annotation is Decimal:
            return st.decimals(min_value=1, max_value=1000, places=2)
    if annotation is type(None):
        return st.none()
    return json_like


@functools.cache
def valid_data(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of ``model``'s fields with values it usually accepts; optional fields are
    often left out (their defaults keep cross-field checks satisfied)."""
    fields = model.model_fields
    required = {n: valid_value(f.annotation, depth) for n, f in fields.items() if f.is_required()}
    optional = {
        n: valid_value(f.annotation, depth)
        for n, f in fields.items()
        if not f.is_required() and n not in ("number", "state")
    }
    return st.fixed_dictionaries(required, optional=optional)


@functools.cache
def _mutated(model: type[BaseModel], depth: int) -> st.SearchStrategy[Any]:
    """Mostly valid data with one field (or an unknown one) set to anything."""
    names = sorted(model.model_fields)

    def mutate(data: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
        return {**data, name: value}

    field_names = st.sampled_from(names) | st.text(min_size=1, max_size=8)
    return st.builds(
        mutate,
        valid_data(model, depth),
        field_names,
        st.one_of(
            field_names.flatmap(
                lambda n: (
                    for_annotation(model.model_fields[n].annotation, depth)
                    if n in model.model_fields
                    else json_like
                )
            ),
            wild,
        ),
    )


@functools.cache
def model_data(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[Any]:
    """Data for ``model`` from its real fields: mostly valid, mostly valid with one field
    anything, every field of its type or anything, or junk."""
    if depth > 3:
        return json_like
    fields = {name: for_annotation(f.annotation, depth) for name, f in model.model_fields.items()}
    required = {n: s for n, s in fields.items() if model.model_fields[n].is_required()}
    optional = {n: s for n, s in fields.items() if n not in required}
    typed = st.fixed_dictionaries(required, optional=optional)
    return st.one_of(
        valid_data(model, depth),
        _mutated(model, depth),
        _mutated(model, depth),
        typed,
        st.fixed_dictionaries({}, optional=fields),
    )


def typed_value(annotation: Any) -> st.SearchStrategy[Any]:
    """A value of the annotated type only (no junk)."""
    return _typed(annotation, 0)


# --- arguments of the rules, by parameter name -----------------------------------------


def _line(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    complete = st.fixed_dictionaries(fields)
    return st.one_of(complete, complete, st.fixed_dictionaries({}, optional=fields), wild)


_quantity = st.integers(min_value=-1, max_value=20) | st.integers() | wild
_class = st.sampled_from(["host", "accessory"]) | wild
RULE_ARGUMENTS: dict[str, st.SearchStrategy[Any]] = {
    "lines": st.lists(_line(product_class=_class, quantity=_quantity), max_size=5) | wild,
    "parts": st.lists(_line(product=words, quantity=_quantity), max_size=5) | wild,
    "open_orders": st.lists(_line(product=words, reference=words | wild), max_size=5) | wild,
    "occurrences": st.lists(moments, max_size=6) | wild,
    "scores": st.lists(st.integers(min_value=-1, max_value=6) | wild, max_size=6) | wild,
    "signed_roles": st.lists(roles, max_size=5) | st.lists(role_values, max_size=5) | wild,
    "signer_roles": st.frozensets(roles, max_size=4) | wild,
    "approver_roles": st.frozensets(roles, max_size=4) | wild,
    "ship_date": st.dates() | wild,
    "committed_payment_date": st.none() | st.dates() | wild,
    "region": st.sampled_from(REGIONS) | words | wild,
    "province": words | wild,
    "cause": st.sampled_from(CAUSES + COMPLAINT_CAUSES) | words | wild,
    "reason": words | wild,
    "category": st.none() | words | wild,
    "product": words | wild,
}
"""Argument strategies named after the rules' parameters; the rest follow their type."""


def rule_argument(name: str, annotation: str) -> st.SearchStrategy[Any]:
    """A value for the parameter ``name`` of a rule (its annotation as text)."""
    if name in RULE_ARGUMENTS:
        return RULE_ARGUMENTS[name]
    if name == "policy":
        from aftersales_core.policy import Policy

        return st.one_of(st.none(), st.just(Policy()), json_like)
    if "datetime" in annotation:
        return st.one_of(moments, moments, st.none(), wild)
    if "Decimal" in annotation:
        return st.one_of(decimals, decimals.map(str), st.integers(), st.none(), wild)
    if "bool" in annotation:
        return st.one_of(st.booleans(), st.booleans(), st.none(), wild)
    if "int" in annotation:
        return st.one_of(_quantity, _quantity)
    return wild
