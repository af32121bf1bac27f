"""Shared helpers of the embedded host tests (a uniquely named module, not ``conftest``)."""

from __future__ import annotations

from datetime import datetime, timezone

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
