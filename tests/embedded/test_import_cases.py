"""Imported cases that work (issue 11, findings 1-6 and 9).

An imported return can be accepted at once; imported complaints count in the R9
deadlines; the same file twice changes nothing; an empty file is refused; quantities are
bounded and strict; a concurrent import waits or is refused, and nothing is lost.
"""

from __future__ import annotations

import ast
import json
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from embedded_helpers import NOW

from aftersales_core.embedded import EmbeddedHost, ImportFailed, import_file
from aftersales_core.embedded.reports import deadline_report
from aftersales_core.errors import DatabaseBusy
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor
from aftersales_core.workflows.registry import get_workflow

SALES = Actor(user="li", roles=frozenset({Role.SALESPERSON}))
HEADER = "reference,kind,customer,received_at,product,quantity,description,delivered_at\n"
ROWS = (
    "C-1,complaint,Jinling Automation,2025-01-06T09:00:00+08:00,MC-200,1,noise,\n"
    "R-1,repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,drift,2024-12-02T10:00:00+08:00\n"
    "F-1,refund,Plateau Power Grid,2025-01-08T10:00:00Z,MC-200,2,wrong model,2024-11-20T10:00:00Z\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cases(host: EmbeddedHost) -> int:
    return int(host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


# --- finding 1: an imported return is in a state whose actions work --------------------------


def test_imported_returns_can_be_accepted_at_once(host: EmbeddedHost, tmp_path: Path) -> None:
    import_file(host, write(tmp_path, "a.csv", HEADER + ROWS))
    for number in ("RTR000002", "RFD000003"):
        case_id = host.case_id(number)
        record = host.case(case_id)
        wf = get_workflow(record.workflow)
        assert "accept" in wf.available_actions(record.form, SALES)
        step = host.act(case_id, "accept", SALES)
        assert step.record.state == "accepted"
        assert step.decisions[0].rule == "R4"
        assert "Delivered 20" in step.decisions[0].reasons[0]


def test_the_delivery_date_comes_from_the_deliveries_on_record(
    host: EmbeddedHost, tmp_path: Path
) -> None:
    delivered = datetime(2024, 10, 1, 8, tzinfo=timezone.utc)
    host.add_delivery("Jinling Automation", "SN-5", 10, delivered, lot="L9")
    row = "R-2,repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,drift,\n"
    import_file(host, write(tmp_path, "a.csv", HEADER + row))
    form = host.case(1).form
    assert form.delivered_at == delivered  # type: ignore[attr-defined]
    assert host.act(1, "accept", SALES).record.state == "accepted"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        # No delivery date and none on record.
        ("X,repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,drift,\n", "delivered_at"),
        # No reason for the return (R4 shows it).
        (
            "X,refund,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,,2024-12-01T00:00:00Z\n",
            "description",
        ),
        # Delivered after the request.
        (
            "X,refund,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,bad,2025-02-01T00:00:00Z\n",
            "delivered_at",
        ),
        (
            "X,refund,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,bad,yesterday\n",
            "delivered_at",
        ),
    ],
)
def test_the_import_requires_what_the_workflow_needs(
    host: EmbeddedHost, tmp_path: Path, row: str, field: str
) -> None:
    with pytest.raises(ImportFailed) as info:
        import_file(host, write(tmp_path, "a.csv", HEADER + ROWS + row))
    assert (info.value.line, info.value.field) == (5, field)
    assert cases(host) == 0


CORE = Path(__file__).resolve().parents[2] / "aftersales_core"
def test_no_assert_in_the_core() -> None:
    found = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.name}:{n.lineno}" for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    assert found == []


# --- finding 2: imported complaints are in the R9 deadlines ---------------------------------


def test_imported_complaints_have_their_resolution_deadline(
    host: EmbeddedHost, tmp_path: Path
) -> None:
    import_file(host, write(tmp_path, "a.csv", HEADER + ROWS))
    rows = host.conn.execute("SELECT case_id, kind, due_at, done_at FROM deadlines").fetchall()
    assert [tuple(r) for r in rows] == [(1, "resolution", "2025-01-08T01:00:00Z", None)]
    report = deadline_report(host.conn, now=NOW)
    resolution = [r for r in report if r.kind == "resolution"]
    assert resolution and resolution[0].overdue == 1
    # Acting on it later keeps one deadline row, and marks it done when answered.
    agent = Actor(user="wu", roles=frozenset({Role.AFTER_SALES}))
    host.act(1, "answer_on_spot", agent, {"handling_opinion": "reset"})
    rows = host.conn.execute("SELECT done_at FROM deadlines").fetchall()
    assert [r[0] for r in rows] == ["2025-03-03T09:00:00Z"]


# --- finding 3: external ids, idempotent imports -------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "json", "jsonl"])
def test_importing_the_same_file_twice_changes_nothing(
    host: EmbeddedHost, tmp_path: Path, suffix: str
) -> None:
    lines = (HEADER + ROWS).splitlines()
    names = lines[0].split(",")
    records = [dict(zip(names, line.split(","), strict=True)) for line in lines[1:]]
    for r in records:
        r["quantity"] = int(r["quantity"])  # type: ignore[assignment]
    text = {
        "csv": HEADER + ROWS,
        "json": json.dumps(records),
        "jsonl": "\n".join(json.dumps(r) for r in records),
    }[suffix]
    path = write(tmp_path, f"a.{suffix}", text)
    first = import_file(host, path)
    assert (first.total, first.skipped) == (3, 0)
    snapshot = host.conn.execute("SELECT * FROM cases ORDER BY id").fetchall()
    second = import_file(host, path)
    assert (second.total, second.skipped) == (0, 3)
    assert host.conn.execute("SELECT * FROM cases ORDER BY id").fetchall() == snapshot
    assert host.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 3
    refs = host.conn.execute("SELECT external_ref FROM cases ORDER BY id").fetchall()
    assert [r[0] for r in refs] == ["C-1", "R-1", "F-1"]


def test_a_case_acted_on_since_is_still_recognised(host: EmbeddedHost, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", HEADER + ROWS)
    import_file(host, path)
    host.act(2, "accept", SALES)
    assert import_file(host, path).skipped == 3
    assert host.case(2).state == "accepted"


def test_a_conflicting_row_is_refused_naming_its_line(host: EmbeddedHost, tmp_path: Path) -> None:
    import_file(host, write(tmp_path, "a.csv", HEADER + ROWS))
    changed = ROWS.replace("SN-5,3,drift", "SN-5,4,drift")
    with pytest.raises(ImportFailed) as info:
        import_file(host, write(tmp_path, "b.csv", HEADER + changed))
    assert (info.value.line, info.value.field) == (3, "reference")
    assert "RTR000002" in str(info.value)
    assert cases(host) == 3


def test_a_reference_twice_in_one_file(host: EmbeddedHost, tmp_path: Path) -> None:
    row = ROWS.splitlines()[0] + "\n"
    result = import_file(host, write(tmp_path, "a.csv", HEADER + row + row))
    assert (result.total, result.skipped) == (1, 1)
    other = row.replace("noise", "rattle")
    with pytest.raises(ImportFailed) as info:
        import_file(
            host, write(tmp_path, "b.csv", HEADER + other + row.replace("C-1", "C-2") + other)
        )
    assert (info.value.line, info.value.field) == (2, "reference")


def test_rows_without_reference_are_recognised_by_their_values(
    host: EmbeddedHost, tmp_path: Path
) -> None:
    text = "kind,customer,received_at,product,quantity\n" + (
        "complaint,A,2025-01-06T09:00:00+08:00,MC-200,1\n"
        "complaint,B,2025-01-06T09:00:00+08:00,MC-200,1\n"
    )
    path = write(tmp_path, "a.csv", text)
    assert import_file(host, path).total == 2
    assert import_file(host, path).total == 0
    assert cases(host) == 2


def test_many_rows_across_chunks_are_idempotent(host: EmbeddedHost, tmp_path: Path) -> None:
    rows = "".join(
        f"K{i},complaint,C{i % 7},2025-01-06T09:00:00+08:00,MC-200,1,n{i},\n" for i in range(4500)
    )
    path = write(
        tmp_path,
        "big.csv",
        HEADER + rows + "K1,complaint,C1,2025-01-06T09:00:00+08:00,MC-200,1,n1,\n",
    )
    first = import_file(host, path)
    assert (first.total, first.skipped) == (4500, 1)
    assert import_file(host, path).skipped == 4501


# --- finding 4: an empty file is an error ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("e.csv", "", "file"),
        ("e.csv", "\n\n  \n", "file"),
        ("e.json", "", "file"),
        ("e.jsonl", "\n", "file"),
        ("h.csv", "\n,,\n", "header"),
    ],
)
def test_an_empty_file_is_an_error(
    host: EmbeddedHost, tmp_path: Path, name: str, text: str, field: str
) -> None:
    with pytest.raises(ImportFailed) as info:
        import_file(host, write(tmp_path, name, text))
    assert info.value.field == field


# --- findings 5 and 6: bounded, strict quantities ------------------------------------------


@pytest.mark.parametrize(
    "quantity", [99999999999999999999, 2**63, 1_000_001, True, False, 1.0, 2.5, None, [1]]
)
def test_bad_quantities_are_refused_naming_line_and_field(
    host: EmbeddedHost, tmp_path: Path, quantity: object
) -> None:
    record = {
        "kind": "complaint",
        "customer": "A",
        "received_at": "2025-01-06T09:00:00+08:00",
        "product": "MC-200",
        "quantity": quantity,
    }
    text = "[\n" + json.dumps(record) + "\n]"
    with pytest.raises(ImportFailed) as info:
        import_file(host, write(tmp_path, "q.json", text))
    assert (info.value.line, info.value.field) == (2, "quantity")
    assert cases(host) == 0


def test_the_quantity_bound_follows_the_policy(db_path: Path, tmp_path: Path) -> None:
    with EmbeddedHost(db_path, policy=Policy(max_quantity=20)) as host:
        host.add_product("MC-200", "Marine controller host", "host")
        text = "kind,customer,received_at,product,quantity\n"
        ok = text + "complaint,A,2025-01-06T09:00:00+08:00,MC-200,20\n"
        assert import_file(host, write(tmp_path, "a.csv", ok)).total == 1
        bad = text + "complaint,A,2025-01-06T09:00:00+08:00,MC-200,21\n"
        with pytest.raises(ImportFailed, match="max_quantity"):
            import_file(host, write(tmp_path, "b.csv", bad))


@pytest.mark.parametrize("column", ["customer", "lot", "reference"])
def test_a_boolean_is_not_text(host: EmbeddedHost, tmp_path: Path, column: str) -> None:
    record = {
        "kind": "complaint",
        "customer": "A",
        "received_at": "2025-01-06T09:00:00+08:00",
        "product": "MC-200",
        "quantity": 1,
        column: True,
    }
    with pytest.raises(ImportFailed) as info:
        import_file(host, write(tmp_path, "q.jsonl", json.dumps(record)))
    assert info.value.field == column


# --- finding 9: concurrent imports ----------------------------------------------------------


def _hold_lock(db_path: Path, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO customers (name, province) VALUES ('Other writer', 'Jiangsu')")
    held.set()
    threading.Event().wait(seconds)
    conn.commit()
    conn.close()


def test_a_concurrent_import_waits_and_nothing_is_lost(db_path: Path, tmp_path: Path) -> None:
    with EmbeddedHost(db_path) as host:
        host.add_product("MC-200", "Marine controller host", "host")
        host.add_product("SN-5", "Level sensor", "accessory")
        host.add_customer("Jinling Automation", "Jiangsu")
        host.add_customer("Plateau Power Grid", "Qinghai")
    held = threading.Event()
    writer = threading.Thread(target=_hold_lock, args=(db_path, 0.5, held))
    writer.start()
    held.wait()
    messages: list[str] = []
    with EmbeddedHost(db_path, on_wait=messages.append) as host:
        result = import_file(host, write(tmp_path, "a.csv", HEADER + ROWS))
        assert result.total == 3
        writer.join()
        assert len(messages) == 1 and "busy" in messages[0] and str(db_path) in messages[0]
        assert cases(host) == 3
        names = [r[0] for r in host.conn.execute("SELECT name FROM customers")]
        assert "Other writer" in names  # the other writer's rows are kept too


def test_with_no_wait_a_concurrent_import_is_refused_at_once(db_path: Path, tmp_path: Path) -> None:
    with EmbeddedHost(db_path) as host:
        host.add_product("MC-200", "Marine controller host", "host")
    held = threading.Event()
    writer = threading.Thread(target=_hold_lock, args=(db_path, 0.5, held))
    writer.start()
    held.wait()
    text = "kind,customer,received_at,product,quantity\ncomplaint,A,2025-01-06T09:00:00Z,MC-200,1\n"
    path = write(tmp_path, "a.csv", text)
    with EmbeddedHost(db_path, policy=Policy(database_wait_seconds=0)) as host:
        with pytest.raises(DatabaseBusy, match="nothing was written"):
            import_file(host, path)
        writer.join()
        assert cases(host) == 0
        assert import_file(host, path).total == 1  # tried again: imported, nothing lost


_ = timedelta
