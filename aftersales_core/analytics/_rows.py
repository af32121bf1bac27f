"""Reading a field of an input row (a mapping, a pydantic row or any object)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aftersales_core.errors import InvalidInput


def get(row: object, name: str, index: int, default: Any = ...) -> Any:
    """``row[name]`` or ``row.name``; :class:`InvalidInput` naming ``rows[i].name`` if absent."""
    if isinstance(row, Mapping):
        if name in row:
            return row[name]
    elif hasattr(row, name):
        return getattr(row, name)
    if default is not ...:
        return default
    raise InvalidInput(f"rows[{index}].{name}", "missing")


def whole(value: object, field: str) -> int:
    """A whole number >= 0 (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"must be a whole number, got {value!r}")
    if value < 0:
        raise InvalidInput(field, f"must not be negative, got {value}")
    return value
