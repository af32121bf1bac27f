"""Migrations, reopening, time and money formats of the SQLite store."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from aftersales_core.embedded import EmbeddedHost, connect, migrations, schema_version
from aftersales_core.embedded.store import apply_migrations, from_cents, iso, parse_iso, to_cents
from aftersales_core.errors import InvalidInput


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_migrations_are_numbered_without_gaps() -> None:
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert len(found) >= 3


def test_empty_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    conn = connect(tmp_path / "sub" / "new.db")
    assert schema_version(conn) == len(migrations())
    assert {
        "customers",
        "products",
        "deliveries",
        "cases",
        "history",
        "stock_moves",
        "money_moves",
        "failure_lines",
        "replaced_parts",
        "deadlines",
        "forms",
    } <= _tables(conn)
    conn.close()


def test_reopening_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with EmbeddedHost(path) as host:
        host.add_customer("A", "Jiangsu")
    with EmbeddedHost(path) as host:
        assert schema_version(host.conn) == len(migrations())
        assert apply_migrations(host.conn) == len(migrations())
        assert host.conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 1


def test_a_partial_file_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = connect(path, migrate=False)
    first = migrations()[0]
    conn.executescript(f"BEGIN; {first.sql} PRAGMA user_version = 1; COMMIT;")
    assert schema_version(conn) == 1
    assert apply_migrations(conn) == len(migrations())
    conn.close()


def test_a_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aftersales_core.embedded import store

    conn = connect(tmp_path / "f.db", migrate=False)
    good = migrations()
    broken = (
        *good,
        store.Migration(
            len(good) + 1, "9999_broken.sql", "CREATE TABLE x (a); CREATE TABLE x (b);"
        ),
    )
    monkeypatch.setattr(store, "migrations", lambda: broken)
    with pytest.raises(sqlite3.OperationalError):
        store.apply_migrations(conn)
    assert schema_version(conn) == len(good)
    assert "x" not in _tables(conn)
    conn.close()


def test_a_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(InvalidInput, match="newer"):
        connect(path)


def test_time_and_money_formats() -> None:
    moment = datetime(2025, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8)))
    assert iso(moment) == "2025-01-02T03:04:05Z"
    assert parse_iso(iso(moment)) == moment
    with pytest.raises(InvalidInput):
        iso(datetime(2025, 1, 1))
    assert to_cents(Decimal("12.345")) == 1235
    assert to_cents("7") == 700
    assert from_cents(1235) == "12.35"
    assert from_cents(-5) == "-0.05"
    with pytest.raises(InvalidInput, match="amount"):
        to_cents("ten")


def test_memory_database() -> None:
    with EmbeddedHost(":memory:") as host:
        assert schema_version(host.conn) == len(migrations())
