"""The command as a new user finds it (issue 11, findings 7, 8, 16, 18 and 2, 3 by CLI)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from aftersales_core import __version__
from aftersales_core.cli import main
from aftersales_core.embedded import EmbeddedHost, import_file
from aftersales_core.embedded.render import html_report
from aftersales_core.rules import route_return

ROOT = Path(__file__).resolve().parents[2]

PRODUCTS = (
    "code,name,product_class,category,warranty_months,supplier,unit_price\n"
    "MC-200,Marine controller host,host,controller,24,,4800\n"
    "SN-5,Level sensor,accessory,sensor,,Suzhou Sensing Co.,260.50\n"
)
CUSTOMERS = "name,province,contact\nJinling Automation,Jiangsu,li@example.com\nPlateau Power Grid,Qinghai,\n"
CASES = (
    "reference,kind,customer,received_at,product,quantity,description,delivered_at\n"
    "A-1,complaint,Jinling Automation,2025-01-06T09:00:00+08:00,MC-200,1,noise,\n"
    "A-2,repair,Jinling Automation,2025-01-07T09:00:00+08:00,SN-5,3,drift,2024-12-01T00:00:00Z\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors and --version
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- finding 7: master data commands; the docs' import example works on a fresh database ----


def test_fresh_database_products_customers_then_cases(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "shop.db")
    code, _, err = run(capsys, "import", write(tmp_path, "c.csv", CASES), "--db", db)
    assert code == 1 and "unknown product 'MC-200'" in err
    code, out, _ = run(capsys, "products", "import", write(tmp_path, "p.csv", PRODUCTS), "--db", db)
    assert code == 0 and "Imported 2 products" in out
    code, out, _ = run(
        capsys, "customers", "import", write(tmp_path, "k.csv", CUSTOMERS), "--db", db, "--json"
    )
    assert code == 0 and json.loads(out) == {"added": 2, "skipped": 0}
    code, out, _ = run(capsys, "import", str(tmp_path / "c.csv"), "--db", db)
    assert code == 0 and "Imported 2 cases" in out
    code, out, _ = run(capsys, "products", "list", "--db", db, "--json")
    products = json.loads(out)
    assert [p["code"] for p in products] == ["MC-200", "SN-5"]
    assert products[1]["unit_price"] == "260.50" and products[1]["warranty_months"] == 12
    assert products[0]["warranty_months"] == 24
    code, out, _ = run(capsys, "customers", "list", "--db", db, "--json")
    assert [(c["name"], c["region"]) for c in json.loads(out)] == [
        ("Jinling Automation", "home"),
        ("Plateau Power Grid", "remote"),
    ]
    code, out, _ = run(capsys, "customers", "list", "--db", db)
    assert "Plateau Power Grid" in out and "remote" in out


def test_master_data_imports_are_idempotent_and_refuse_conflicts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "shop.db")
    path = write(
        tmp_path,
        "p.json",
        json.dumps(
            [
                {"code": "MC-200", "name": "Host", "product_class": "host", "unit_price": "10"},
            ]
        ),
    )
    assert run(capsys, "products", "import", path, "--db", db)[0] == 0
    code, out, _ = run(capsys, "products", "import", path, "--db", db, "--json")
    assert json.loads(out) == {"added": 0, "skipped": 1}
    other = write(
        tmp_path,
        "q.jsonl",
        json.dumps({"code": "MC-200", "name": "Host", "product_class": "host", "unit_price": "11"})
        + "\n",
    )
    code, _, err = run(capsys, "products", "import", other, "--db", db)
    assert code == 1 and "line 1, field unit_price" in err
    code, _, err = run(
        capsys, "customers", "import", write(tmp_path, "k.csv", "name,province\nA,\n"), "--db", db
    )
    assert code == 1 and "line 2, field province: required value missing" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name\nX,Y\n", "line 1, field product_class: required column missing"),
        (PRODUCTS.replace("host,controller", "robot,controller"), "line 2, field product_class"),
        (PRODUCTS.replace(",24,", ",-2,"), "line 2, field warranty_months"),
        (PRODUCTS.replace("4800", "48.001"), "line 2, field unit_price"),
        (PRODUCTS.replace("4800", "lots"), "line 2, field unit_price"),
        ("code,name,product_class,colour\n", "line 1, field colour: unknown column"),
    ],
)
def test_bad_product_files_name_line_and_field_and_keep_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    db = str(tmp_path / "shop.db")
    code, _, err = run(capsys, "products", "import", write(tmp_path, "p.csv", text), "--db", db)
    assert code == 1 and message in err
    with EmbeddedHost(db) as host:
        assert host.conn.execute("SELECT COUNT(*) FROM products").fetchone()[0] == 0


def test_json_product_types_are_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "shop.db")
    for field, value in (("warranty_months", True), ("unit_price", 1.5), ("name", False)):
        row = {"code": "X", "name": "n", "product_class": "host", field: value}
        path = write(tmp_path, "p.json", json.dumps([row]))
        code, _, err = run(capsys, "products", "import", path, "--db", db)
        assert code == 1 and f"field {field}" in err


# --- finding 8: commands that only read refuse a missing database ----------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "pareto"),
        ("report", "deadlines"),
        ("export",),
        ("products", "list"),
        ("customers", "list"),
    ],
)
def test_reading_commands_refuse_a_missing_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    db = tmp_path / "no" / "such" / "folder" / "shop.db"
    code, out, err = run(capsys, *argv, "--db", str(db))
    assert code == 1 and str(db) in err and "no database" in err
    assert out == ""
    assert not (tmp_path / "no").exists()


# --- finding 16: usage -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("route",), "--hosts"),
        (("route", "--hosts", "2", "--special-order", "3"), "cannot be combined"),
        (("route", "--design-change", "--special-order", "3"), "cannot be combined"),
        (("route", "--hosts", "-1"), "argument --hosts: must not be negative"),
        (("route", "--accessories", "x"), "argument --accessories: not a whole number"),
        (("route", "--special-order", "-3"), "argument --special-order"),
    ],
)
def test_route_usage_errors_exit_2_naming_the_option(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], words: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and words in err


def test_route_names_the_option_of_a_refused_quantity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "route", "--hosts", "99999999999999999999")
    assert code == 1 and "error: --hosts: must be at most" in err
    code, _, err = run(capsys, "route", "--accessories", "2000000")
    assert code == 1 and "error: --accessories:" in err
    code, _, err = run(capsys, "route", "--special-order", "0")
    assert code == 1 and "error: --special-order:" in err
    code, _, err = run(capsys, "route", "--hosts", "0")
    assert code == 1 and "error: --hosts/--accessories:" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"aftersales {__version__}"


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        ("return_host_threshold = 0\ntravel_expense_days = -1\n", "return_host_threshold"),
        ("return_host_threshold = true\n", "return_host_threshold"),
        ("charge_replaced_parts = 1\n", "charge_replaced_parts"),
        ('home_province = "Xizang"\n', "home_province"),
    ],
)
def test_a_policy_error_names_its_field_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, toml: str, field: str
) -> None:
    path = write(tmp_path, "p.toml", toml)
    code, _, err = run(capsys, "policy", "check", path)
    assert code == 1 and err.count(field) == 1 and path in err
    assert err.startswith(f"aftersales: error: {field}: ")


def test_policy_show_never_cuts_a_field_name(capsys: pytest.CaptureFixture[str]) -> None:
    from aftersales_core import Policy

    code, out, _ = run(capsys, "policy", "show")
    assert code == 0
    for name in Policy.model_fields:
        assert re.search(rf"\b{name}\b", out), name


# --- finding 18: the HTML report, the README, the Odoo skip banner ---------------------------


def test_the_html_report_heads_columns_as_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with EmbeddedHost(db) as host:
        host.add_product("MC-200", "Host", "host")
        host.conn.execute(
            "INSERT INTO failure_lines (kind, product, failure_category, quantity, cost_cents, at)"
            " VALUES ('repair', 'MC-200', 'seal', 3, 100, '2025-01-10T10:00:00Z'),"
            " ('repair', 'MC-200', 'fuse', 1, 100, '2025-01-11T10:00:00Z')"
        )
        host.conn.commit()
        page = html_report(host, tmp_path / "r.html", chart=None).read_text(encoding="utf-8")
    assert "cumulative_percent" not in page and "vital_few" not in page
    assert "<th>cumulative %</th>" in page and "<th>vital few</th>" in page
    assert "True" not in page and "False" not in page
    assert "<td>yes</td>" in page


def test_the_readme_shows_the_real_reasons() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    decision = route_return(
        [{"product_class": "host", "quantity": 4}, {"product_class": "accessory", "quantity": 15}]
    )
    assert f"decision.reasons   # {decision.reasons!r}".replace("'", '"') in readme


def test_the_odoo_banner_for_a_missing_odoo_bin(tmp_path: Path) -> None:
    missing = tmp_path / "odoo-bin"
    proc = subprocess.run(
        ["bash", str(ROOT / "tools" / "run-odoo-tests.sh")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ODOO_BIN": str(missing)},
        timeout=60,
    )
    assert proc.returncode == 0
    assert f"ODOO_BIN is set to {missing}, and there is no such file" in proc.stdout
    assert "does not run with" not in proc.stdout


# --- findings 2 and 3 seen from the command ---------------------------------------------------


def test_imported_complaints_appear_in_the_deadline_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shop.db"
    with EmbeddedHost(db) as host:
        host.add_product("MC-200", "Host", "host")
        host.add_product("SN-5", "Sensor", "accessory")
        import_file(host, Path(write(tmp_path, "c.csv", CASES)))
    code, out, _ = run(capsys, "report", "deadlines", "--db", str(db), "--json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["kind"], r["overdue"]) for r in rows] == [("resolution", 1)]
    code, out, _ = run(capsys, "import", str(tmp_path / "c.csv"), "--db", str(db))
    assert code == 0 and "2 rows were imported before, left unchanged" in out
