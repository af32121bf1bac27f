"""The ``aftersales`` command through its real entry point on temporary SQLite files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aftersales_core.cli import main
from aftersales_core.embedded import EmbeddedHost

HEADER = "kind,customer,received_at,product,quantity,description,category,delivered_at\n"
ROWS = (
    "complaint,Jinling Automation,2025-01-06T09:00:00+08:00,MC-200,1,noise,firmware fault,\n"
    "repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,drift,sensor drift,2024-12-01T00:00:00Z\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    with EmbeddedHost(path) as host:
        host.add_product("MC-200", "Marine controller host", "host")
        host.add_product("SN-5", "Level sensor", "accessory")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cases(db: Path) -> int:
    with EmbeddedHost(db) as host:
        return int(host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


def test_route_explains_r1_r2_r3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "route", "--hosts", "4", "--accessories", "15")
    assert code == 0 and "R1: production" in out and "15 accessories reach" in out
    code, out, _ = run(capsys, "route", "--hosts", "5", "--design-change", "--json")
    assert json.loads(out)["outcome"] == "quality_exception"
    code, out, _ = run(capsys, "route", "--special-order", "10")
    assert "R3: after_sales" in out
    code, out, _ = run(capsys, "route", "--special-order", "11", "--json")
    assert json.loads(out)["outcome"] == "mass_production"
    with pytest.raises(SystemExit) as usage:  # wrong usage: exit 2, as the docs say
        run(capsys, "route")
    assert usage.value.code == 2 and "--hosts" in capsys.readouterr().err
    code, _, err = run(capsys, "route", "--special-order", "0")
    assert code == 1 and "--special-order" in err


def test_route_reads_the_policy_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text("return_host_threshold = 3\n", encoding="utf-8")
    code, out, _ = run(capsys, "route", "--hosts", "3", "--policy", str(policy), "--json")
    assert code == 0 and json.loads(out)["outcome"] == "production"


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "complaint")
    assert code == 0 and "received_at" in json.loads(out)["properties"]
    code, _, err = run(capsys, "schema", "nope")
    assert code == 1 and "unknown form" in err


def test_policy_show_and_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "policy", "show")
    assert code == 0 and "return_host_threshold" in out and "R1/R2" in out
    code, out, _ = run(capsys, "policy", "show", "--json")
    assert json.loads(out)["special_order_small_max_sets"] == 10
    good = tmp_path / "good.toml"
    good.write_text("[policy]\nhome_province = 'Zhejiang'\n", encoding="utf-8")
    code, out, _ = run(capsys, "policy", "show", "--file", str(good), "--toml")
    assert 'home_province = "Zhejiang"' in out
    code, out, _ = run(capsys, "policy", "check", str(good))
    assert code == 0 and "valid" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("return_host_threshold = -1\n", encoding="utf-8")
    code, _, err = run(capsys, "policy", "check", str(bad))
    assert code == 1 and "return_host_threshold" in err


def test_import_export_round(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(HEADER + ROWS, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(src), "--db", str(db))
    assert code == 0 and "Imported 2 cases" in out and "1 complaints, 1 returns" in out
    code, out, _ = run(capsys, "export", "--db", str(db))
    exported = json.loads(out)
    assert [e["number"] for e in exported] == ["CMP000001", "RTR000002"]
    assert exported[1]["form"]["lines"][0]["product_class"] == "accessory"
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "export", "--db", str(db), "--format", "csv", "--out", str(target))
    assert code == 0 and "Exported 2 cases" in err
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("number,workflow,state")
    code, out, _ = run(capsys, "import", str(src), "--db", str(db), "--json")
    # The same file again changes nothing (issue 11, finding 3).
    assert json.loads(out) == {"complaints": 0, "returns": 0, "total": 0, "skipped": 2}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER.replace("category", "colour") + ROWS, "line 1, field colour: unknown column"),
        (
            HEADER + ROWS + "repair,X,2025-01-07T09:00:00+08:00,SN-5,-4,,,\n",
            "line 4, field quantity",
        ),
        (
            HEADER + ROWS + "repair,X,2025-01-07T09:00:00+08:00,ZZ-9,1,,,\n",
            "line 4, field product: unknown product 'ZZ-9'",
        ),
        (
            (HEADER + ROWS).encode() + b"complaint,M\xfcller,2025-01-07T09:00:00Z,SN-5,1,,,\n",
            "line 4, field encoding",
        ),
    ],
)
def test_bad_import_files_change_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, content: str | bytes, message: str
) -> None:
    src = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content, encoding="utf-8")
    before = cases(db)
    code, _, err = run(capsys, "import", str(src), "--db", str(db))
    assert code == 1
    assert message in err
    assert cases(db) == before


def test_reports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "out"),
        "--cases",
        "8",
        "--seed",
        "2",
    )
    assert code == 0 and "vital few" in out.lower()
    png, page = tmp_path / "p.png", tmp_path / "r.html"
    code, out, _ = run(
        capsys, "report", "pareto", "--db", str(db), "--png", str(png), "--html", str(page)
    )
    assert code == 0 and "cumulative" in out and png.exists() and page.exists()
    code, out, _ = run(capsys, "report", "pareto", "--db", str(db), "--json", "--by", "cost")
    rows = json.loads(out)
    assert rows[-1]["cumulative_percent"] == 100.0
    code, out, _ = run(
        capsys, "report", "weekly", "--db", str(db), "--from", "2025-01-01", "--to", "2025-02-01"
    )
    assert code == 0 and "Weekly complaint review" in out
    code, out, _ = run(capsys, "report", "monthly", "--db", str(db), "--json")
    assert set(json.loads(out)) == {"monthly", "parts_claims"}
    code, out, _ = run(capsys, "report", "monthly", "--db", str(db))
    assert "parts-claims" in out
    code, out, _ = run(capsys, "report", "deadlines", "--db", str(db))
    assert "R8" in out and "R9" in out
    with pytest.raises(SystemExit):
        main(["report", "pareto", "--from", "yesterday"])
    capsys.readouterr()


def test_demo_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        str(tmp_path / "d.db"),
        "--out",
        str(tmp_path / "o"),
        "--cases",
        "3",
        "--json",
    )
    payload = json.loads(out)
    assert code == 0 and payload["cases"] > 10 and Path(payload["files"]["chart"]).exists()
    with pytest.raises(SystemExit):
        main(["demo", "--cases", "-1"])
    capsys.readouterr()


def test_demo_follows_the_policy_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(
        "special_order_small_max_sets = 5\nreturn_host_threshold = 3\n", encoding="utf-8"
    )
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        str(tmp_path / "d.db"),
        "--out",
        str(tmp_path / "o"),
        "--cases",
        "2",
        "--policy",
        str(policy),
    )
    assert code == 0
    assert "of 3 sets (R3)" in out and "of 20 sets (R3)" in out
    assert "large: 3 hosts" in out


def test_a_database_that_cannot_be_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are not the tables you are looking for" * 100, encoding="utf-8")
    code, _, err = run(capsys, "export", "--db", str(not_a_db))
    assert code == 1 and "database" in err


def test_installed_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "aftersales"
    if not script.exists():  # pragma: no cover - not installed in this interpreter's venv
        pytest.skip("the aftersales console script is not installed")
    proc = subprocess.run(
        [str(script), "route", "--hosts", "4", "--accessories", "14", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "after_sales"
    bad = subprocess.run(
        [str(script), "import", str(tmp_path / "missing.csv"), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "cannot read" in bad.stderr
