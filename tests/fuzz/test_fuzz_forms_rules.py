"""Fuzzing the forms and the rules: whatever a caller hands them, only the project's
own errors (:class:`~aftersales_core.errors.AftersalesError`) come out.

Each form of :data:`~aftersales_core.forms.FORMS` and each public rule of
:mod:`aftersales_core.rules` gets at least 1,000 cases of arbitrary JSON-like input and
of input built from its real field names and types (see ``fuzz_strategies``).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from fuzz_strategies import json_like, model_data, rule_argument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aftersales_core.rules as rules
from aftersales_core.errors import AftersalesError, InvalidInput
from aftersales_core.forms import FORMS, json_schema, parse_form

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RULES: dict[str, Callable[..., Any]] = {
    name: getattr(rules, name)
    for name in rules.__all__
    if name[:1].islower() and callable(getattr(rules, name))
}


def test_every_form_and_rule_is_fuzzed() -> None:
    assert len(FORMS) >= 15
    assert len(RULES) >= 30


@pytest.mark.parametrize("name", sorted(FORMS))
@FUZZ
@given(data=st.data())
def test_a_form_takes_anything_and_raises_only_invalid_input(
    name: str, data: st.DataObject
) -> None:
    model = FORMS[name]
    value = data.draw(st.one_of(model_data(model), model_data(model), json_like), label="input")
    try:
        form = parse_form(model, value)
    except InvalidInput as exc:
        refused = exc.field
    else:
        refused = ""
    if refused:
        return
    assert isinstance(form, model)
    # What a form accepted, a host can store and read back (the embedded host keeps JSON).
    assert model.model_validate_json(form.model_dump_json()) == form


@FUZZ
@given(name=json_like)
def test_json_schema_of_anything_names_the_form(name: Any) -> None:
    try:
        schema = json_schema(name)
    except InvalidInput as exc:
        schema = {"type": "object", "refused": exc.field}
    assert schema["type"] == "object"
    assert schema.get("refused", "form") == "form"


@functools.cache
def _arguments(
    function: Callable[..., Any],
) -> st.SearchStrategy[tuple[list[Any], dict[str, Any]]]:
    """Positional and keyword arguments for ``function``: every parameter it declares,
    from its name and annotation; an optional one is sometimes left out."""
    positional: list[st.SearchStrategy[Any]] = []
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for param in inspect.signature(function).parameters.values():
        strategy = rule_argument(param.name, str(param.annotation))
        if param.kind is param.POSITIONAL_OR_KEYWORD and param.default is param.empty:
            positional.append(strategy)
        elif param.default is param.empty:
            required[param.name] = strategy
        else:
            optional[param.name] = strategy
    return st.tuples(
        st.tuples(*positional).map(list), st.fixed_dictionaries(required, optional=optional)
    )


@pytest.mark.parametrize("name", sorted(RULES))
@FUZZ
@given(data=st.data())
def test_a_rule_takes_anything_and_raises_only_the_projects_errors(
    name: str, data: st.DataObject
) -> None:
    function = RULES[name]
    args, kwargs = data.draw(_arguments(function), label="arguments")
    with contextlib.suppress(AftersalesError):
        function(*args, **kwargs)
