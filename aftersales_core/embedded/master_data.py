"""Import the master data a case import needs: products and customers (CSV, JSON, JSONL).

Like the case import, a file is read and validated row by row and written in ONE
transaction: the first bad row raises :class:`~aftersales_core.embedded.ImportFailed`
naming its line and field, and nothing of the file is kept. A row equal to what the
database holds already is skipped, so importing the same file twice changes nothing; a
row that contradicts it (another province, another price...) is refused naming its line.

Products: ``code``, ``name``, ``product_class`` (``host`` or ``accessory``, R1) and the
optional ``category``, ``warranty_months`` (default: the policy's months for the
category, R10), ``supplier`` (R21), ``unit_price``. Customers: ``name``, ``province``
(R8 region) and the optional ``contact``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from aftersales_core.embedded.host import EmbeddedHost
from aftersales_core.embedded.importer import ImportFailed, read_rows
from aftersales_core.embedded.store import from_cents

__all__ = [
    "CUSTOMER_COLUMNS",
    "PRODUCT_COLUMNS",
    "MasterDataResult",
    "import_customers",
    "import_products",
    "list_customers",
    "list_products",
]

PRODUCT_COLUMNS = (
    "code",
    "name",
    "product_class",
    "category",
    "warranty_months",
    "supplier",
    "unit_price",
)
"""The columns of a product file; the first three are required."""
CUSTOMER_COLUMNS = ("name", "province", "contact")
"""The columns of a customer file; the first two are required."""


@dataclass(frozen=True)
class MasterDataResult:
    """How many rows were added, and how many were already there unchanged."""

    added: int
    skipped: int


def _text(line: int, row: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = row.get(name)
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ImportFailed(line, name, f"must be text, got {value!r}")
    text = str(value).strip()
    if required and not text:
        raise ImportFailed(line, name, "required value missing")
    return text


def _product(host: EmbeddedHost, line: int, row: dict[str, Any]) -> tuple[Any, ...]:
    code = _text(line, row, "code", required=True)
    name = _text(line, row, "name", required=True)
    klass = _text(line, row, "product_class", required=True)
    if klass not in ("host", "accessory"):
        raise ImportFailed(line, "product_class", f"must be host or accessory, got {klass!r}")
    category = _text(line, row, "category")
    months_raw = row.get("warranty_months")
    if months_raw in (None, ""):
        months = host.policy.warranty_months_for(category or None)
    else:
        if isinstance(months_raw, str) and months_raw.strip().isdigit():
            months_raw = int(months_raw.strip())
        if isinstance(months_raw, bool) or not isinstance(months_raw, int) or months_raw < 0:
            raise ImportFailed(
                line, "warranty_months", f"must be a whole number of months, got {months_raw!r}"
            )
        months = months_raw
    price_raw = row.get("unit_price")
    if price_raw in (None, ""):
        price_raw = "0"
    if isinstance(price_raw, (bool, float)) or not isinstance(price_raw, (str, int)):
        raise ImportFailed(line, "unit_price", f"must be a decimal amount, got {price_raw!r}")
    try:
        price = Decimal(str(price_raw).strip())
    except InvalidOperation:
        raise ImportFailed(line, "unit_price", f"not a number: {price_raw!r}") from None
    if not price.is_finite() or price < 0 or price != price.quantize(Decimal("0.01")):
        raise ImportFailed(
            line, "unit_price", f"must be an amount >= 0 with at most 2 decimals, got {price_raw!r}"
        )
    cents = int(price * 100)
    return (code, name, klass, category, months, _text(line, row, "supplier"), cents)


def _customer(line: int, row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        _text(line, row, "name", required=True),
        _text(line, row, "province", required=True),
        _text(line, row, "contact"),
    )


def import_products(host: EmbeddedHost, path: str | Path) -> MasterDataResult:
    """Add the products of a file to the catalogue, all or nothing (see the module)."""
    added = skipped = 0
    with host.transaction():
        for line, row in read_rows(path, columns=PRODUCT_COLUMNS, required=PRODUCT_COLUMNS[:3]):
            values = _product(host, line, row)
            found = host.conn.execute(
                "SELECT code, name, product_class, category, warranty_months, supplier,"
                " unit_price_cents FROM products WHERE code = ?",
                (values[0],),
            ).fetchone()
            if found is not None:
                if tuple(found) != values:
                    _conflict(line, "code", values[0], found, values, PRODUCT_COLUMNS)
                skipped += 1
                continue
            host.conn.execute(
                "INSERT INTO products (code, name, product_class, category, warranty_months,"
                " supplier, unit_price_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            added += 1
    return MasterDataResult(added=added, skipped=skipped)


def import_customers(host: EmbeddedHost, path: str | Path) -> MasterDataResult:
    """Add the customers of a file, all or nothing (see the module)."""
    added = skipped = 0
    with host.transaction():
        for line, row in read_rows(path, columns=CUSTOMER_COLUMNS, required=CUSTOMER_COLUMNS[:2]):
            values = _customer(line, row)
            found = host.conn.execute(
                "SELECT name, province, contact FROM customers WHERE name = ?", (values[0],)
            ).fetchone()
            if found is not None:
                if tuple(found) != values:
                    _conflict(line, "name", values[0], found, values, CUSTOMER_COLUMNS)
                skipped += 1
                continue
            host.conn.execute(
                "INSERT INTO customers (name, province, contact) VALUES (?, ?, ?)", values
            )
            added += 1
    return MasterDataResult(added=added, skipped=skipped)


def _conflict(
    line: int,
    key: str,
    value: str,
    found: sqlite3.Row,
    values: tuple[Any, ...],
    columns: tuple[str, ...],
) -> None:
    differs, there, here = next(
        (c, a, b) for c, a, b in zip(columns, tuple(found), values, strict=True) if a != b
    )
    raise ImportFailed(
        line,
        differs,
        f"{key} {value!r} is already in the database with {differs} {there!r}, "
        f"the file says {here!r}",
    )


def list_products(host: EmbeddedHost) -> list[dict[str, Any]]:
    """Every product of the catalogue, by code."""
    rows = host.conn.execute(
        "SELECT code, name, product_class, category, warranty_months, supplier,"
        " unit_price_cents FROM products ORDER BY code"
    ).fetchall()
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "product_class": r["product_class"],
            "category": r["category"],
            "warranty_months": r["warranty_months"],
            "supplier": r["supplier"],
            "unit_price": from_cents(int(r["unit_price_cents"])),
        }
        for r in rows
    ]


def list_customers(host: EmbeddedHost) -> list[dict[str, Any]]:
    """Every customer, by name, with its province and R8 region."""
    from aftersales_core.rules import region_of

    rows = host.conn.execute("SELECT name, province, contact FROM customers ORDER BY name")
    return [
        {
            "name": r["name"],
            "province": r["province"],
            "region": region_of(r["province"], policy=host.policy),
            "contact": r["contact"],
        }
        for r in rows
    ]
