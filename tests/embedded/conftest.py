"""Fixtures of the embedded host tests: a file database with a small catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from embedded_helpers import NOW, catalogue

from aftersales_core.embedded import EmbeddedHost


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "aftersales.db"


@pytest.fixture
def host(db_path: Path) -> Iterator[EmbeddedHost]:
    h = EmbeddedHost(db_path, clock=lambda: NOW)
    catalogue(h)
    yield h
    h.close()
