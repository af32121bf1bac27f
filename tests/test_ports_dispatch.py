"""dispatch() sends every command kind to the port method that handles it."""

from __future__ import annotations

import typing
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from aftersales_core import InvalidInput, Role
from aftersales_core.commands import AnyCommand, Command, Item
from aftersales_core.ports import Host, dispatch

ITEM = Item(product="gauge", quantity=1)
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
VALUES: dict[str, Any] = {
    "reference": "RT/1",
    "items": (ITEM,),
    "item": ITEM,
    "parts": (ITEM,),
    "under_warranty": False,
    "bom": "BOM-1",
    "defect": "leak",
    "purpose": "RT/1",
    "approved_by": "gm",
    "amount": Decimal("10"),
    "technician": "zhao",
    "deadline": NOW,
    "due": NOW,
    "customer": "ACME",
    "role": Role.QUALITY,
    "message": "hello",
    "product": "gauge",
    "responsibility": "supplier",
    "supplier": "Acme Sensors",
    "reason": "customer phoned",
}


def every_command() -> list[BaseModel]:
    union = typing.get_args(typing.get_args(AnyCommand)[0])
    out = []
    for cls in union:
        fields = {name: VALUES[name] for name, f in cls.model_fields.items() if f.is_required()}
        out.append(cls(**fields))
    return out


class Recorder:
    """A host that records which method received which command."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Command]] = []

    def __getattr__(self, name: str) -> Any:
        def method(command: Command) -> None:
            self.calls.append((name, command))

        return method


@pytest.mark.parametrize("command", every_command(), ids=lambda c: c.kind)  # type: ignore[attr-defined]
def test_each_kind_reaches_its_method(command: Command) -> None:
    host = Recorder()
    dispatch(command, host)  # type: ignore[arg-type]
    assert host.calls == [(command.kind, command)]  # type: ignore[attr-defined]


def test_there_are_as_many_methods_as_commands() -> None:
    assert len(every_command()) == 24


def test_unknown_command_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"command\.kind"):
        dispatch(Command(reference="X"), Recorder())  # type: ignore[arg-type]


def test_host_protocol_is_runtime_checkable() -> None:
    class Partial:
        def notify(self, command: Command) -> None:
            return None

    assert not isinstance(Partial(), Host)
