"""Fixtures of the embedded host tests: a file database with a small catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from aftersales_core.embedded import EmbeddedHost

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


def catalogue(host: EmbeddedHost) -> None:
    """Two customers, a host product, two accessories (one bought from a supplier)."""
    host.add_customer("Jinling Automation", "Jiangsu")
    host.add_customer("Plateau Power Grid", "Qinghai")
    host.add_product(
        "MC-200", "Marine controller host", "host", category="controller", unit_price="4800"
    )
    host.add_product("SN-5", "Level sensor", "accessory", category="sensor", unit_price="260")
    host.add_product(
        "PS-24",
        "Power supply",
        "accessory",
        category="power",
        supplier="Changzhou Power",
        unit_price="410.5",
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "aftersales.db"


@pytest.fixture
def host(db_path: Path) -> Iterator[EmbeddedHost]:
    h = EmbeddedHost(db_path, clock=lambda: NOW)
    catalogue(h)
    yield h
    h.close()
