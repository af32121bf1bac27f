"""The embedded host under load: four imports at once, each in its own process with its
own file of rows, on one SQLite file.

Every row is either in (with its history row, and its R9 deadline for a complaint) or
its whole file was refused with :class:`~aftersales_core.errors.DatabaseBusy` naming the
database; nothing is half-written, and ``PRAGMA integrity_check`` says ``ok``. No test
here measures time: the outcomes are checked, whatever the order the processes ran in.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from embedded_helpers import catalogue

from aftersales_core import Policy
from aftersales_core.embedded import EmbeddedHost, import_file
from aftersales_core.errors import DatabaseBusy

FILES = 4
ROWS = 300
HEADER = "reference,kind,customer,received_at,product,quantity,delivered_at,description\n"
KINDS = ("complaint", "repair", "refund")


def _write_file(folder: Path, k: int) -> Path:
    lines = [HEADER]
    for i in range(ROWS):
        kind = KINDS[i % 3]
        lines.append(
            f"f{k}-{i},{kind},Jinling Automation,2025-02-{1 + i % 27:02d}T09:00:00+08:00,"
            f"{'MC-200' if i % 2 else 'SN-5'},{1 + i % 5},2024-12-01T09:00:00+08:00,"
            f"leaks after {i} hours\n"
        )
    path = folder / f"cases-{k}.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _import(db: str, path: str, wait: int, start: Any, out: Any) -> None:
    """One importing process: waits for the others, imports its file, reports."""
    start.wait()
    try:
        with EmbeddedHost(db, policy=Policy(database_wait_seconds=wait)) as host:
            result = import_file(host, path)
    except DatabaseBusy as exc:
        out.put((path, "busy", str(exc), exc.database))
    except BaseException as exc:  # reported, so that the test shows it
        out.put((path, "error", repr(exc), ""))
    else:
        out.put((path, "ok", result.total, ""))


def _run_four(db: Path, files: list[Path], wait: int) -> dict[str, tuple[str, Any, str]]:
    """Import ``files`` at once, one process each; ``{file: (status, detail, database)}``."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_import, args=(str(db), str(path), wait, start, out)) for path in files
    ]
    for p in procs:
        p.start()
    start.set()
    reports = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    return {path: (status, detail, database) for path, status, detail, database in reports}


def _cases_of(conn: sqlite3.Connection, k: int) -> int:
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM cases WHERE external_ref LIKE ?", (f"f{k}-%",)
        ).fetchone()[0]
    )


def _check_whole(db: Path) -> sqlite3.Connection:
    """The file is sound, and every imported case is whole."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # every case has exactly its one import history row ...
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM cases c WHERE (SELECT COUNT(*) FROM history h"
            " WHERE h.case_id = c.id AND h.action = 'import') != 1"
        ).fetchone()[0]
        == 0
    )
    # ... every complaint its R9 deadline, and the numbers never repeat
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM cases c WHERE c.workflow = 'complaint' AND NOT EXISTS"
            " (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.kind = 'resolution')"
        ).fetchone()[0]
        == 0
    )
    assert conn.execute("SELECT COUNT(DISTINCT number) = COUNT(*) FROM cases").fetchone()[0] == 1
    return conn


def _prepare(tmp_path: Path) -> tuple[Path, list[Path]]:
    db = tmp_path / "shared.db"
    with EmbeddedHost(db) as host:
        catalogue(host)
    return db, [_write_file(tmp_path, k) for k in range(FILES)]


def test_four_concurrent_imports_that_wait_all_land_whole(tmp_path: Path) -> None:
    db, files = _prepare(tmp_path)
    reports = _run_four(db, files, wait=Policy().database_wait_seconds)
    assert {r[0] for r in reports.values()} == {"ok"}, reports
    assert all(r[1] == ROWS for r in reports.values())
    conn = _check_whole(db)
    assert [_cases_of(conn, k) for k in range(FILES)] == [ROWS] * FILES
    conn.close()


def test_four_concurrent_imports_that_do_not_wait_are_each_in_or_refused(
    tmp_path: Path,
) -> None:
    db, files = _prepare(tmp_path)
    reports = _run_four(db, files, wait=0)
    conn = _check_whole(db)
    refused = []
    for k, path in enumerate(files):
        status, detail, database = reports[str(path)]
        assert status in ("ok", "busy"), detail
        if status == "ok":
            assert _cases_of(conn, k) == ROWS
        else:  # refused as a whole, clearly: nothing of the file is in
            assert database == str(db) and "nothing was written" in detail
            assert _cases_of(conn, k) == 0
            refused.append(path)
    assert "ok" in {r[0] for r in reports.values()}  # someone always gets the lock
    conn.close()
    with EmbeddedHost(db) as host:  # what was refused is simply tried again
        for path in refused:
            assert import_file(host, path).total == ROWS
        for path in files:  # and importing everything again changes nothing
            assert import_file(host, path).skipped == ROWS
    conn = _check_whole(db)
    assert [_cases_of(conn, k) for k in range(FILES)] == [ROWS] * FILES
    conn.close()


def test_a_held_write_lock_refuses_all_four_and_nothing_is_written(tmp_path: Path) -> None:
    db, files = _prepare(tmp_path)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO customers (name, province) VALUES ('Other writer', 'Jiangsu')")
    try:
        reports = _run_four(db, files, wait=0)
    finally:
        holder.commit()
        holder.close()
    assert {r[0] for r in reports.values()} == {"busy"}, reports
    assert all(r[2] == str(db) and str(db) in r[1] for r in reports.values())
    conn = _check_whole(db)
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0
    conn.close()
    reports = _run_four(db, files, wait=Policy().database_wait_seconds)  # the lock is free
    assert {r[0] for r in reports.values()} == {"ok"}, reports
    conn = _check_whole(db)
    assert [_cases_of(conn, k) for k in range(FILES)] == [ROWS] * FILES
    assert (
        conn.execute("SELECT COUNT(*) FROM customers WHERE name = 'Other writer'").fetchone()[0]
        == 1
    )
    conn.close()
