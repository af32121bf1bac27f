"""The SQLite store of the embedded host: opening a file, versioned migrations, time format.

The schema lives in numbered SQL files (``migrations/0001_*.sql`` ...); the database's
``PRAGMA user_version`` is the number of the last one applied. :func:`connect` applies
the missing ones, each in its own transaction, so opening a file twice changes nothing
and a failed migration leaves the file at the previous version.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from aftersales_core.errors import InvalidInput

__all__ = [
    "Migration",
    "connect",
    "from_cents",
    "iso",
    "migrations",
    "parse_iso",
    "schema_version",
    "to_cents",
]

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file of ``aftersales_core/embedded/migrations``."""

    version: int
    name: str
    sql: str


def migrations() -> tuple[Migration, ...]:
    """Every migration shipped with the package, in version order (1, 2, ... without gaps)."""
    folder = resources.files("aftersales_core.embedded").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:  # pragma: no cover - a packaging defect
            raise RuntimeError(f"migration {expected} is missing (found {migration.name})")
    return tuple(found)


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of the last migration applied to ``conn`` (0 for an empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def connect(path: str | Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (or create) the SQLite file at ``path`` and bring its schema up to date.

    ``":memory:"`` gives a private in-memory database. Foreign keys are enforced and the
    journal is written ahead (WAL) for files, so a crash mid-transaction leaves the last
    committed state. A file newer than this package raises :class:`InvalidInput`.
    """
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if target != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        apply_migrations(conn)
    return conn


def apply_migrations(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the file's version; return the new version."""
    current = schema_version(conn)
    known = migrations()
    if current > len(known):
        raise InvalidInput(
            "database",
            f"schema version {current} is newer than this program knows ({len(known)}); "
            "upgrade aftersales-core",
        )
    for migration in known[current:]:
        script = f"BEGIN;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise
    return schema_version(conn)


def iso(moment: datetime) -> str:
    """A timezone-aware moment as UTC text ``YYYY-MM-DDTHH:MM:SSZ`` (text order = time order)."""
    if moment.tzinfo is None:
        raise InvalidInput("at", "must be a timezone-aware datetime")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """The moment stored by :func:`iso` (UTC)."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def to_cents(amount: object) -> int:
    """A money amount (Decimal, int or numeric text) as whole cents, rounded half up."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise InvalidInput("amount", f"not a number: {amount!r}") from exc
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> str:
    """Whole cents as a decimal text with two places (``"12.30"``)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"
