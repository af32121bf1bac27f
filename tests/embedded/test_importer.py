"""Import of complaints and returns: all or nothing, errors naming line and field."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from embedded_helpers import catalogue

from aftersales_core.embedded import EmbeddedHost, ImportFailed, import_file
from aftersales_core.embedded.importer import read_rows

HEADER = "kind,customer,received_at,product,quantity,lot,description,category,delivered_at\n"
GOOD = (
    "complaint,Jinling Automation,2025-01-06T09:00:00+08:00,MC-200,1,L1,noise,firmware fault,\n"
    "repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,L2,drift,sensor drift,2024-12-02T10:00:00+08:00\n"
    "refund,Plateau Power Grid,2025-01-08T10:00:00+00:00,MC-200,2,,wrong model,,2024-11-20T10:00:00+08:00\n"
)


def count(host: EmbeddedHost) -> tuple[int, int]:
    return (
        host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0],
        host.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0],
    )


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_csv_import(host: EmbeddedHost, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = import_file(
        host, write(tmp_path, "a.csv", HEADER + GOOD), progress=lambda d, t: seen.append((d, t))
    )
    assert (result.complaints, result.returns, result.total) == (1, 2, 3)
    assert seen[-1] == (3, 3)
    rows = host.conn.execute(
        "SELECT number, workflow, state, category, opened_day FROM cases ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("CMP000001", "complaint", "received", "firmware fault", "2025-01-06"),
        ("RTR000002", "return_for_repair", "requested", "sensor drift", "2025-01-07"),
        ("RFD000003", "refund_return", "requested", "", "2025-01-08"),
    ]
    # Imported forms load back through their workflow.
    form = host.case(2).form
    assert form.lines[0].product_class == "accessory"  # type: ignore[attr-defined]
    assert [h["action"] for h in host.history(1)] == ["import"]


def test_json_and_jsonl_import(host: EmbeddedHost, tmp_path: Path) -> None:
    records = [
        {
            "kind": "complaint",
            "customer": "A",
            "received_at": "2025-02-01T08:00:00Z",
            "product": "MC-200",
            "quantity": 1,
        },
        {
            "kind": "refund",
            "customer": "B",
            "received_at": "2025-02-02T08:00:00Z",
            "product": "PS-24",
            "quantity": 4,
            "category": "power",
            "description": "wrong voltage",
            "delivered_at": "2025-01-02T08:00:00Z",
        },
    ]
    assert import_file(host, write(tmp_path, "a.json", json.dumps(records, indent=2))).total == 2
    # The same records again are recognised (issue 11, finding 3); other ones are imported.
    again = [{**r, "customer": r["customer"] + "2"} for r in records]
    lines = "\n".join(json.dumps(r) for r in again) + "\n\n"
    assert import_file(host, write(tmp_path, "a.jsonl", lines)).total == 2
    assert count(host)[0] == 4


def test_empty_files(host: EmbeddedHost, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="empty"):
        import_file(host, write(tmp_path, "e.csv", ""))
    assert import_file(host, write(tmp_path, "e.json", "[ ]")).total == 0
    assert import_file(host, write(tmp_path, "h.csv", HEADER + "\n,,,,,,,,\n")).total == 0


BAD = [
    ("colour.csv", HEADER.replace("category", "colour") + GOOD, 1, "colour", "unknown column"),
    (
        "missing.csv",
        "kind,customer,received_at,product\nx,y,z,w\n",
        1,
        "quantity",
        "required column",
    ),
    (
        "negative.csv",
        HEADER + GOOD + "repair,A,2025-01-09T09:00:00+08:00,SN-5,-2,,,,\n",
        5,
        "quantity",
        "greater than 0",
    ),
    (
        "notnum.csv",
        HEADER + "repair,A,2025-01-09T09:00:00+08:00,SN-5,two,,,,\n",
        2,
        "quantity",
        "whole number",
    ),
    (
        "product.csv",
        HEADER + GOOD + "complaint,A,2025-01-09T09:00:00+08:00,XX-1,1,,,,\n",
        5,
        "product",
        "unknown product 'XX-1'",
    ),
    (
        "kind.csv",
        HEADER + "lunch,A,2025-01-09T09:00:00+08:00,SN-5,1,,,,\n",
        2,
        "kind",
        "complaint, repair or refund",
    ),
    (
        "empty.csv",
        HEADER + "complaint,,2025-01-09T09:00:00+08:00,SN-5,1,,,,\n",
        2,
        "customer",
        "required value",
    ),
    (
        "naive.csv",
        HEADER + "complaint,A,2025-01-09T09:00:00,SN-5,1,,,,\n",
        2,
        "received_at",
        "timezone",
    ),
    ("width.csv", HEADER + "complaint,A\n", 2, "row", "values for"),
    (
        "channel.csv",
        "kind,customer,received_at,product,quantity,channel\ncomplaint,A,2025-01-09T09:00:00Z,SN-5,1,pigeon\n",
        2,
        "channel",
        "Input should be",
    ),
    ("bad.json", '[\n {"kind": "complaint"},\n', 2, "customer", "required value"),
    (
        "open.json",
        '[\n {"kind": "complaint", "customer": "A", "received_at": "2025-01-09T09:00:00Z", "product": "SN-5", "quantity": 1}\n',
        3,
        "json",
        "not closed",
    ),
    ("syntax.json", '[\n {"kind": \n', 3, "json", "Expecting value"),
    ("obj.json", '{"kind": "complaint"}', 1, "json", "JSON array"),
    ("scalar.json", "[1]", 1, "row", "JSON object"),
    ("col.json", '[{"kind": "complaint", "colour": "red"}]', 1, "colour", "unknown column"),
    ("lines.jsonl", '{"kind": "complaint"}\n[1]\n', 1, "customer", "required"),
    ("syntax.jsonl", "nope\n", 1, "json", "Expecting value"),
    ("array.jsonl", "[1]\n", 1, "row", "JSON object"),
    ("x.txt", "hello", 0, "file", "unknown file type"),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "message"), BAD)
def test_bad_files_name_line_and_field_and_change_nothing(
    host: EmbeddedHost, tmp_path: Path, name: str, text: str, line: int, field: str, message: str
) -> None:
    import_file(host, write(tmp_path, "first.csv", HEADER + GOOD))
    before = count(host)
    with pytest.raises(ImportFailed) as err:
        import_file(host, write(tmp_path, name, text))
    assert (err.value.line, err.value.field) == (line, field)
    assert message in str(err.value)
    assert f"line {line}" in str(err.value)
    assert count(host) == before


def test_broken_encoding_names_the_line(host: EmbeddedHost, tmp_path: Path) -> None:
    data = (
        HEADER + GOOD
    ).encode() + "complaint,Café Müller,2025-01-09T09:00:00Z,SN-5,1,,,\n".encode("latin-1")
    before = count(host)
    with pytest.raises(ImportFailed) as err:
        import_file(host, write(tmp_path, "latin.csv", data))
    assert (err.value.line, err.value.field) == (5, "encoding")
    assert "not UTF-8" in str(err.value)
    assert count(host) == before


def test_missing_file(host: EmbeddedHost, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="cannot read"):
        list(read_rows(tmp_path / "none.csv"))


def big_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(rows):
            f.write(
                f"complaint,Customer {i % 50},2025-01-06T09:00:00+08:00,MC-200,1,L{i},noise,firmware fault,\n"
            )
    return path


def test_an_exception_mid_import_rolls_everything_back(host: EmbeddedHost, tmp_path: Path) -> None:
    path = big_csv(tmp_path / "big.csv", 5000)
    before = count(host)
    written: list[int] = []

    def crash(done: int, total: int) -> None:
        if not total:  # a chunk of rows is already written in the open transaction
            written.append(done)
            raise RuntimeError("disk unplugged")

    with pytest.raises(RuntimeError):
        import_file(host, path, progress=crash)
    assert written and written[0] < 5000
    assert count(host) == before
    assert import_file(host, path).total == 5000


def test_a_killed_import_leaves_the_database_consistent(db_path: Path, tmp_path: Path) -> None:
    with EmbeddedHost(db_path) as host:
        catalogue(host)
        import_file(host, write(tmp_path, "first.csv", HEADER + GOOD))
        before = count(host)
    path = big_csv(tmp_path / "big.csv", 6000)
    script = textwrap.dedent(
        f"""
        import os, signal
        from aftersales_core.embedded import EmbeddedHost, import_file
        host = EmbeddedHost({str(db_path)!r})
        def kill(done, total):
            if not total:  # rows of the file are already written, not yet committed
                os.kill(os.getpid(), signal.SIGKILL)
        import_file(host, {str(path)!r}, progress=kill)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=False, env=dict(os.environ)
    )
    assert proc.returncode == -signal.SIGKILL
    with EmbeddedHost(db_path) as host:
        assert host.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert count(host) == before
        assert import_file(host, path).total == 6000
