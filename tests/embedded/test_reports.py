"""Statistics in SQLite (GROUP BY) feeding the analytics; charts, HTML report, the demo."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from embedded_helpers import NOW

from aftersales_core.analytics import pareto
from aftersales_core.embedded import EmbeddedHost
from aftersales_core.embedded.demo import run_demo
from aftersales_core.embedded.render import html_report, pareto_png, write_reports
from aftersales_core.embedded.reports import (
    deadline_report,
    monthly_reports,
    pareto_report,
    pareto_rows,
    parts_claims_report,
    weekly_reviews,
)
from aftersales_core.policy import Policy


def add_lines(host: EmbeddedHost) -> None:
    rows = [
        ("repair", "seal", 3, 1000, "2025-01-10T10:00:00Z"),
        ("return", "seal", 2, 500, "2025-02-10T10:00:00Z"),
        ("repair", "firmware", 4, 0, "2025-02-11T10:00:00Z"),
        ("return", "cable", 1, 250, "2025-03-01T10:00:00Z"),
    ]
    with host.conn:
        host.conn.executemany(
            "INSERT INTO failure_lines (kind, product, failure_category, quantity, cost_cents, at)"
            " VALUES (?, 'MC-200', ?, ?, ?, ?)",
            rows,
        )
        host.conn.executemany(
            "INSERT INTO replaced_parts (product, quantity, supplier, at) VALUES ('PS-24', ?, ?, ?)",
            [(2, "Changzhou Power", "2025-02-03T00:00:00Z"), (5, "", "2025-02-03T00:00:00Z")],
        )


def test_pareto_from_sql(host: EmbeddedHost) -> None:
    add_lines(host)
    rows = pareto_rows(host.conn)
    assert [(r["category"], r["count"], str(r["cost"])) for r in rows] == [
        ("seal", 5, "15.00"),
        ("firmware", 4, "0.00"),
        ("cable", 1, "2.50"),
    ]
    table = pareto_report(host.conn)
    assert table == pareto(rows)
    assert [r.vital_few for r in table] == [True, True, False]
    feb = pareto_report(host.conn, start=date(2025, 2, 1), end=date(2025, 3, 1), by="cost")
    assert [(r.category, r.count) for r in feb] == [("seal", 2)]


def test_monthly_and_parts_claims(host: EmbeddedHost) -> None:
    add_lines(host)
    months = monthly_reports(host.conn)
    assert [(m.month, m.repairs, m.returns) for m in months] == [
        ("2025-01", 3, 0),
        ("2025-02", 4, 2),
        ("2025-03", 0, 1),
    ]
    assert monthly_reports(host.conn, start=date(2025, 3, 1))[0].month == "2025-03"
    claims = parts_claims_report(host.conn)
    assert [(c.month, c.total, c.by_supplier) for c in claims] == [
        ("2025-02", 2, (("Changzhou Power", 2),))
    ]
    assert parts_claims_report(host.conn, end=date(2025, 2, 1)) == []


def test_weekly_reviews_from_cases(host: EmbeddedHost, tmp_path: Path) -> None:
    from aftersales_core.embedded import import_file

    csv = tmp_path / "c.csv"
    csv.write_text(
        "kind,customer,received_at,product,quantity,category,description,delivered_at\n"
        "complaint,A,2025-01-06T09:00:00+08:00,MC-200,1,noise,,\n"
        "complaint,B,2025-01-08T09:00:00+08:00,MC-200,1,noise,,\n"
        "complaint,C,2025-01-13T01:00:00+08:00,MC-200,1,seal,,\n"
        "repair,C,2025-01-13T01:00:00+08:00,MC-200,1,seal,leaks,2024-12-01T00:00:00Z\n",
        encoding="utf-8",
    )
    import_file(host, csv)
    weeks = weekly_reviews(host.conn)
    assert [(w.week_start, w.total, w.open, w.by_category) for w in weeks] == [
        (date(2025, 1, 6), 2, 2, (("noise", 2),)),
        (date(2025, 1, 13), 1, 1, (("seal", 1),)),
    ]
    later = weekly_reviews(
        host.conn, policy=Policy(), start=date(2025, 1, 13), end=date(2025, 2, 1)
    )
    assert [w.week_start for w in later] == [date(2025, 1, 13)]


def test_deadline_report(host: EmbeddedHost) -> None:
    from aftersales_core.forms import ComplaintHandlingForm

    ids = [
        host.open_case(
            "complaint",
            ComplaintHandlingForm(
                channel="phone", received_at=NOW + timedelta(days=i), customer="A", description="x"
            ),
        )
        for i in range(3)
    ]
    rows = [
        (ids[0], "resolution", "", "2025-03-05T09:00:00Z", "2025-03-04T09:00:00Z"),
        (ids[1], "resolution", "", "2025-03-06T09:00:00Z", "2025-03-07T09:00:00Z"),
        (ids[2], "resolution", "", "2025-03-07T09:00:00Z", None),
        (ids[0], "arrival", "home", "2025-03-04T09:00:00Z", None),
    ]
    with host.conn:
        host.conn.executemany(
            "INSERT INTO deadlines (case_id, kind, region, due_at, done_at) VALUES (?,?,?,?,?)",
            rows,
        )
    now = datetime(2025, 3, 10, tzinfo=timezone.utc)
    report = deadline_report(host.conn, now=now)
    assert [(r.kind, r.region, r.met, r.missed, r.open, r.overdue) for r in report] == [
        ("arrival", "home", 0, 0, 1, 1),
        ("resolution", "", 1, 1, 1, 1),
    ]
    only = deadline_report(host.conn, now=now, start=date(2025, 3, 5), end=date(2025, 3, 7))
    assert [(r.kind, r.met, r.missed) for r in only] == [("resolution", 1, 1)]


def test_chart_and_html(host: EmbeddedHost, tmp_path: Path) -> None:
    add_lines(host)
    png = pareto_png(pareto_report(host.conn), tmp_path / "out" / "p.png", cutoff=80)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = html_report(host, tmp_path / "r.html", today=date(2025, 3, 31), chart="p.png")
    text = page.read_text(encoding="utf-8")
    for heading in (
        "Pareto",
        "Weekly complaint review",
        "Monthly after-sales",
        "parts-claims",
        "Deadline",
    ):
        assert heading in text
    assert "<td>seal</td>" in text
    assert "No data in this period" in text  # no complaints yet
    files = write_reports(host, tmp_path / "all")
    assert files["chart"].exists() and files["report"].exists()


def test_demo_runs_every_workflow(tmp_path: Path) -> None:
    lines: list[str] = []
    ticks: list[int] = []
    db = tmp_path / "demo.db"
    db.write_text("old")  # replaced
    result = run_demo(
        db,
        out=tmp_path / "out",
        cases=12,
        seed=3,
        say=lines.append,
        progress=lambda d, t: ticks.append(d),
    )
    story = "\n".join(lines)
    for marker in (
        "R1 -> after_sales",
        "R1 -> production",
        "R2 -> quality_exception",
        "R3 -> after_sales",
        "R3 -> mass_production",
        "R5",
        "R6",
        "R8 -> late",
        "R8 -> on_time",
        "R13",
        "R14 -> ship_today",
        "R14 -> next_day",
        "R20 -> investigate",
        "refused as expected",
    ):
        assert marker in story, marker
    assert ticks[-1] == 12
    assert result.pareto and result.pareto[-1].cumulative_percent == 100.0
    assert result.files["chart"].exists()
    with EmbeddedHost(db) as host:
        workflows = {r[0] for r in host.conn.execute("SELECT DISTINCT workflow FROM cases")}
        assert workflows == {
            "complaint",
            "return_for_repair",
            "refund_return",
            "special_order",
            "material_requisition",
            "onsite_service",
            "quality_information",
            "order_processing",
        }
        open_cases = host.conn.execute(
            "SELECT COUNT(*) FROM cases WHERE state NOT IN ('closed', 'shipped', 'issued', 'cancelled', 'answered', 'received')"
        ).fetchone()[0]
        assert open_cases == 0
        assert result.cases == host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]


def test_demo_is_reproducible_and_follows_the_policy(tmp_path: Path) -> None:
    policy = Policy(return_host_threshold=3, special_order_small_max_sets=4)
    first: list[str] = []
    second: list[str] = []
    a = run_demo(tmp_path / "a.db", cases=5, seed=11, policy=policy, say=first.append, charts=False)
    b = run_demo(tmp_path / "b.db", cases=5, seed=11, policy=policy, say=second.append)
    assert first == second
    assert a.pareto == b.pareto and a.files == {}
    story = "\n".join(first)
    assert "of 2 sets (R3)" in story and "of 16 sets (R3)" in story
    assert "large: 3 hosts" in story


@pytest.mark.parametrize("weekday", ["friday"])
def test_html_uses_the_policy(tmp_path: Path, weekday: str) -> None:
    with EmbeddedHost(tmp_path / "p.db", policy=Policy(weekly_review_weekday=weekday)) as host:  # type: ignore[arg-type]
        text = html_report(host, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "meeting on friday" in text
