"""The package ``aftersales_core.rules`` re-exports every public function and constant."""

from __future__ import annotations

import importlib

import pytest

import aftersales_core.rules as rules
from aftersales_core.decision import Decision

MODULES = ["acceptance", "complaints", "onsite", "orders", "routing", "service_level", "warranty"]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_of_a_module_is_exported(name: str) -> None:
    module = importlib.import_module(f"aftersales_core.rules.{name}")
    for public in module.__all__:
        assert public in rules.__all__, f"{name}.{public}"
        assert getattr(rules, public) is getattr(module, public)


def test_no_constant_means_two_things() -> None:
    values: dict[str, object] = {}
    for name in MODULES:
        module = importlib.import_module(f"aftersales_core.rules.{name}")
        for public in module.__all__:
            if public.isupper():
                value = getattr(module, public)
                assert values.setdefault(public, value) == value, public


def test_fixed_api_names() -> None:
    for fn in ("route_return", "route_special_order", "arrival_deadline", "region_of"):
        assert callable(getattr(rules, fn))
    assert rules.route_return([{"product_class": "host", "quantity": 1}]).outcome == (
        rules.AFTER_SALES
    )
    assert rules.route_special_order(11).outcome == rules.MASS_PRODUCTION
    assert Decision is type(rules.route_special_order(11))
