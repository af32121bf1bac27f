"""The ``aftersales`` command: routing explained, schemas, policy, import/export, reports, demo.

Tables are drawn with rich and the Pareto chart with matplotlib (the ``cli`` extra),
both imported lazily: the core itself never needs them. Every command takes ``--json``
for scripts. Exit status: 0 done, 1 refused input (the message names the line, field or
rule), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from aftersales_core import __version__
from aftersales_core.errors import AftersalesError, InvalidInput
from aftersales_core.i18n import normalize_locale, use_locale
from aftersales_core.policy import Policy, PolicyError

__all__ = ["build_parser", "main"]

Progress = Callable[[int, int], None]


# --- output ---------------------------------------------------------------------------


class Output:
    """Writes tables and text with rich when available, plain text otherwise."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json
        try:
            from rich.console import Console
        except ImportError:  # pragma: no cover - without the cli extra
            self.console: Any = None
        else:
            self.console = Console(file=sys.stdout, highlight=False, soft_wrap=True)

    def text(self, message: str) -> None:
        """A line of narrative (suppressed with --json)."""
        if self.as_json:
            return
        if self.console is not None:
            self.console.print(message, markup=False)
        else:  # pragma: no cover
            print(message)

    def data(self, payload: Any) -> None:
        """The machine-readable result (printed only with --json)."""
        if self.as_json:
            sys.stdout.write(json.dumps(payload, indent=2, default=str, ensure_ascii=False) + "\n")

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A table for the terminal (suppressed with --json)."""
        if self.as_json:
            return
        cells = [[_cell(v) for v in row] for row in rows]
        if self.console is not None:
            from rich.table import Table

            table = Table(title=title, title_justify="left")
            for i, c in enumerate(columns):
                # The first column names the row (a field, a category): never cut it.
                first = max([len(c), *(len(row[0]) for row in cells)]) if i == 0 else None
                table.add_column(
                    c,
                    justify="right" if c in _NUMERIC else "left",
                    no_wrap=i == 0,
                    min_width=first,
                )
            for row in cells:
                table.add_row(*row)
            self.console.print(table)
            return
        print(title)  # pragma: no cover
        print("\t".join(columns))  # pragma: no cover
        for row in cells:  # pragma: no cover
            print("\t".join(row))

    @contextmanager
    def progress(self, label: str) -> Iterator[Progress]:
        """A progress bar on stderr for long work (only when stderr is a terminal)."""
        if self.console is None or self.as_json or not sys.stderr.isatty():
            yield lambda done, total: None
            return
        from rich.console import Console
        from rich.progress import Progress as Bar

        with Bar(console=Console(file=sys.stderr), transient=True) as bar:
            task = bar.add_task(label, total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            yield advance


_NUMERIC = {
    "count",
    "cost",
    "percent",
    "cumulative %",
    "total",
    "open",
    "repairs",
    "returns",
    "met",
    "missed",
    "overdue",
    "% met",
    "hosts",
    "accessories",
    "quantity",
}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, tuple):
        return ", ".join(f"{k} {v}" for k, v in value)
    return str(value)


def _dump(rows: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in rows]


# --- helpers ----------------------------------------------------------------------------


def _load_policy(path: str) -> Policy:
    try:
        return Policy.from_toml(path)
    except PolicyError as exc:
        if exc.field == str(path):
            raise
        raise PolicyError(exc.field, f"{exc.problem} (policy file {path})") from exc


def _policy(args: argparse.Namespace) -> Policy:
    path = getattr(args, "policy", None)
    return _load_policy(path) if path else Policy()


def _count(text: str) -> int:
    """A whole number >= 0 for an option (argparse names the option on failure)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _host(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    """The embedded host on ``--db``; a command that only reads refuses a missing file."""
    from aftersales_core.embedded import EmbeddedHost

    if read_only and not Path(args.db).is_file():
        raise InvalidInput(
            "--db", f"no database at {args.db} (check the path; 'aftersales import' creates one)"
        )

    def waiting(message: str) -> None:
        print(f"aftersales: {message}", file=sys.stderr)

    return EmbeddedHost(args.db, policy=_policy(args), on_wait=waiting)


# --- commands ---------------------------------------------------------------------------


def cmd_route(args: argparse.Namespace, out: Output) -> int:
    """Explain a routing decision (R1/R2 for returns, R3 for special orders)."""
    from aftersales_core.rules import route_return, route_special_order

    policy = _policy(args)
    options = {
        "lines[0].quantity": "--hosts",
        "lines[1].quantity": "--accessories",
        "quantity": "--special-order",
        "lines": "--hosts/--accessories",
    }
    try:
        if args.special_order is not None:
            decision = route_special_order(args.special_order, policy=policy)
        else:
            lines = [
                {"product_class": "host", "quantity": args.hosts or 0},
                {"product_class": "accessory", "quantity": args.accessories or 0},
            ]
            decision = route_return(lines, needs_design_change=args.design_change, policy=policy)
    except InvalidInput as exc:
        # Name the option the user typed, not the rule's parameter.
        raise InvalidInput(options.get(exc.field, exc.field), exc.problem) from exc
    out.data(decision.model_dump(mode="json"))
    out.text(f"{decision.rule}: {decision.outcome}")
    for reason in decision.reasons:
        out.text(f"  {reason}")
    return 0


def cmd_schema(args: argparse.Namespace, out: Output) -> int:
    """Print the JSON Schema of a form."""
    from aftersales_core.forms import json_schema

    sys.stdout.write(json.dumps(json_schema(args.form), indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_policy(args: argparse.Namespace, out: Output) -> int:
    """Show the policy in force, or check a policy file."""
    if args.policy_command == "check":
        policy = _load_policy(args.file)
        out.data({"file": args.file, "valid": True})
        out.text(f"{args.file}: valid policy")
        return 0
    policy = _load_policy(args.file) if args.file else _policy(args)
    if out.as_json:
        out.data(policy.model_dump(mode="json"))
        return 0
    if args.toml:
        sys.stdout.write(policy.to_toml())
        return 0
    rows = []
    for name, info in Policy.model_fields.items():
        value = getattr(policy, name)
        if isinstance(value, frozenset):
            value = ", ".join(sorted(value))
        elif isinstance(value, tuple):
            value = ", ".join(getattr(v, "value", str(v)) for v in value)
        rows.append((name, str(value), info.description or ""))
    out.table("Policy", ("field", "value", "rule"), rows)
    return 0


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    """Import complaints and returns from CSV/JSON, all or nothing."""
    from aftersales_core.embedded.importer import import_file

    with _host(args) as host, out.progress(f"importing {args.file}") as progress:
        result = import_file(host, args.file, progress=progress)
    out.data(
        {
            "complaints": result.complaints,
            "returns": result.returns,
            "total": result.total,
            "skipped": result.skipped,
        }
    )
    already = (
        f"; {result.skipped} rows were imported before, left unchanged" if result.skipped else ""
    )
    out.text(
        f"Imported {result.total} cases from {args.file}: {result.complaints} complaints, "
        f"{result.returns} returns (one transaction){already}."
    )
    return 0


_EXPORT_COLUMNS = ("number", "workflow", "state", "customer", "category", "opened_at", "updated_at")


def cmd_master_data(args: argparse.Namespace, out: Output) -> int:
    """Import or list products and customers (the master data a case import needs)."""
    from aftersales_core.embedded import master_data

    what = args.command  # "products" or "customers"
    if args.master_command == "import":
        importer = (
            master_data.import_products if what == "products" else master_data.import_customers
        )
        with _host(args) as host:
            result = importer(host, args.file)
        out.data({"added": result.added, "skipped": result.skipped})
        out.text(
            f"Imported {result.added} {what} from {args.file}"
            f" ({result.skipped} already there, unchanged; one transaction)."
        )
        return 0
    lister = master_data.list_products if what == "products" else master_data.list_customers
    with _host(args, read_only=True) as host:
        rows = lister(host)
    out.data(rows)
    columns = tuple(rows[0]) if rows else ("code" if what == "products" else "name",)
    out.table(
        what.capitalize(),
        tuple(c.replace("_", " ") for c in columns),
        [tuple(r.values()) for r in rows],
    )
    return 0


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    """Export every case as JSON (with its form) or CSV (one line per case)."""
    with _host(args, read_only=True) as host:
        rows = host.conn.execute(
            "SELECT number, workflow, state, customer, category, opened_at, updated_at, form_json"
            " FROM cases ORDER BY id"
        ).fetchall()
    if args.format == "json":
        payload = [
            {**{c: r[c] for c in _EXPORT_COLUMNS}, "form": json.loads(r["form_json"])} for r in rows
        ]
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_EXPORT_COLUMNS)
        for r in rows:
            writer.writerow([r[c] for c in _EXPORT_COLUMNS])
        text = buffer.getvalue()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Exported {len(rows)} cases to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_report(args: argparse.Namespace, out: Output) -> int:
    """Statistics: pareto (R23), weekly (R19), monthly (R21, R23), deadlines (R8, R9)."""
    from aftersales_core.embedded import reports

    span = {"start": args.start, "end": args.end}
    with _host(args, read_only=True) as host:
        pol = host.policy
        conn = host.conn
        if args.kind == "pareto":
            rows = reports.pareto_report(conn, policy=pol, by=args.by, **span)
            out.data(_dump(rows))
            out.table(
                f"Pareto of repairs and returns by failure category (vital few up to {pol.pareto_vital_few_percent} %, R23)",
                ("category", "count", "cost", "percent", "cumulative %", "vital few"),
                [
                    (r.category, r.count, r.cost, r.percent, r.cumulative_percent, r.vital_few)
                    for r in rows
                ],
            )
            if args.png:
                from aftersales_core.embedded.render import pareto_png

                pareto_png(rows, Path(args.png), cutoff=pol.pareto_vital_few_percent)
                out.text(f"Pareto chart written to {args.png}")
        elif args.kind == "weekly":
            weeks = reports.weekly_reviews(conn, policy=pol, **span)
            out.data(_dump(weeks))
            out.table(
                f"Weekly complaint review (R19, meeting on {pol.weekly_review_weekday})",
                ("week", "review on", "total", "open", "by category"),
                [
                    (f"{w.week_start} - {w.week_end}", w.review_on, w.total, w.open, w.by_category)
                    for w in weeks
                ],
            )
        elif args.kind == "monthly":
            months = reports.monthly_reports(conn, **span)
            claims = reports.parts_claims_report(conn, **span)
            out.data({"monthly": _dump(months), "parts_claims": _dump(claims)})
            out.table(
                "Monthly after-sales report (R23)",
                ("month", "repairs", "returns", "cost", "top failures"),
                [(m.month, m.repairs, m.returns, m.cost, m.top_failures) for m in months],
            )
            out.table(
                "Monthly parts-claims statistics (R21)",
                ("month", "total", "by supplier"),
                [(c.month, c.total, c.by_supplier) for c in claims],
            )
        else:
            now = datetime.now(timezone.utc)
            rows_d = reports.deadline_report(conn, now=now, **span)
            out.data(_dump(rows_d))
            out.table(
                "Deadline compliance (R8 arrival, R9 resolution)",
                ("rule", "kind", "region", "met", "missed", "open", "overdue", "% met"),
                [
                    (
                        d.rule,
                        d.kind,
                        d.region or "-",
                        d.met,
                        d.missed,
                        d.open,
                        d.overdue,
                        d.percent_met,
                    )
                    for d in rows_d
                ],
            )
        if args.html:
            from aftersales_core.embedded.render import html_report

            html_report(host, Path(args.html), start=args.start, end=args.end, chart=None)
            out.text(f"HTML report written to {args.html}")
    return 0


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    """Build the seeded demonstration database and tell what happened."""
    import time

    from aftersales_core.embedded.demo import run_demo

    started = time.perf_counter()
    policy = _policy(args)
    out.text(f"After-sales demo on the embedded SQLite host ({args.db}, seed {args.seed})")
    with out.progress("demo cases") as progress:
        result = run_demo(
            args.db,
            out=args.out,
            cases=args.cases,
            seed=args.seed,
            policy=policy,
            say=out.text,
            progress=progress,
        )
    rows = result.pareto
    out.table(
        f"Pareto of repairs and returns (vital few up to {policy.pareto_vital_few_percent} %, R23)",
        ("category", "count", "cost", "percent", "cumulative %", "vital few"),
        [(r.category, r.count, r.cost, r.percent, r.cumulative_percent, r.vital_few) for r in rows],
    )
    vital = [r.category for r in rows if r.vital_few]
    out.text(f"The vital few: {', '.join(vital)}.")
    out.text(f"{result.cases} cases stored in {result.database}.")
    for label, path in result.files.items():
        out.text(f"{label.capitalize()} written to {path}")
    out.text(f"Done in {time.perf_counter() - started:.1f} s.")
    out.data(
        {
            "database": str(result.database),
            "cases": result.cases,
            "pareto": _dump(rows),
            "files": {k: str(v) for k, v in result.files.items()},
        }
    )
    return 0


# --- parser -----------------------------------------------------------------------------


_LANG_HELP = (
    "language of the reasons and messages: zh_TW (Traditional Chinese), zh_CN (Simplified) "
    "or en (default: $LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG)"
)


def cli_locale(lang: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The locale of the command: ``--lang`` when given, else the first of ``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (gettext's order); ``None`` is
    English."""
    if lang:
        return normalize_locale(lang)
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return normalize_locale(value.split(":")[0])
    return None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``aftersales`` command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("--policy", metavar="FILE", help="the company's policy (TOML)")
    common.add_argument("--lang", default=argparse.SUPPRESS, help=_LANG_HELP)
    with_db = argparse.ArgumentParser(add_help=False)
    with_db.add_argument("--db", default="aftersales.db", help="SQLite file (default: %(default)s)")

    parser = argparse.ArgumentParser(
        prog="aftersales",
        description="After-sales service rules, forms and workflows on an embedded SQLite host.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", default=None, help=_LANG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("route", parents=[common], help="explain a routing decision (R1-R3)")
    p.add_argument("--hosts", type=_count, metavar="N", help="hosts returned")
    p.add_argument("--accessories", type=_count, metavar="N", help="accessories returned")
    p.add_argument(
        "--design-change", action="store_true", help="the cause needs a design change (R2)"
    )
    p.add_argument(
        "--special-order", type=_count, metavar="SETS", help="route a special order (R3)"
    )
    p.set_defaults(handler=cmd_route)

    p = sub.add_parser("schema", parents=[common], help="JSON Schema of a form")
    p.add_argument("form", help="form name, e.g. complaint, return_tracking, capa")
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser("policy", parents=[common], help="show or check a policy")
    psub = p.add_subparsers(dest="policy_command", required=True)
    show = psub.add_parser("show", parents=[common], help="show the policy in force")
    show.add_argument("--file", help="a policy file to show instead of the defaults")
    show.add_argument("--toml", action="store_true", help="print as TOML")
    check = psub.add_parser("check", parents=[common], help="validate a policy file")
    check.add_argument("file")
    p.set_defaults(handler=cmd_policy)

    p = sub.add_parser(
        "import", parents=[common, with_db], help="import complaints/returns (CSV or JSON)"
    )
    p.add_argument("file")
    p.set_defaults(handler=cmd_import)

    for what, columns in (
        ("products", "code, name, product_class, category, warranty_months, supplier, unit_price"),
        ("customers", "name, province, contact"),
    ):
        p = sub.add_parser(what, parents=[common], help=f"import or list {what}")
        msub = p.add_subparsers(dest="master_command", required=True)
        imp = msub.add_parser(
            "import",
            parents=[common, with_db],
            help=f"add {what} from a CSV/JSON/JSONL file (columns: {columns})",
        )
        imp.add_argument("file")
        msub.add_parser("list", parents=[common, with_db], help=f"list the {what}")
        p.set_defaults(handler=cmd_master_data)

    p = sub.add_parser("export", parents=[common, with_db], help="export the cases")
    p.add_argument("--format", choices=("csv", "json"), default="json")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "report", parents=[common, with_db], help="statistics (R8, R9, R19, R21, R23)"
    )
    p.add_argument("kind", choices=("pareto", "weekly", "monthly", "deadlines"))
    p.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=_date, help="day after the last (YYYY-MM-DD)")
    p.add_argument("--by", choices=("count", "cost"), default="count", help="Pareto measure")
    p.add_argument("--png", help="write the Pareto chart (PNG)")
    p.add_argument("--html", help="write the HTML report")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("demo", parents=[common], help="run the seeded demonstration")
    p.add_argument("--db", default="aftersales-demo/demo.db", help="SQLite file (replaced)")
    p.add_argument("--out", default="aftersales-demo", help="folder of the chart and report")
    p.add_argument("--cases", type=int, default=150, help="extra cases for the statistics")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    p.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``aftersales`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(as_json=bool(getattr(args, "json", False)))
    if getattr(args, "cases", 0) < 0:
        parser.error("--cases must not be negative")
    if args.command == "route":
        returns = args.hosts is not None or args.accessories is not None or args.design_change
        if args.special_order is not None and returns:
            parser.error(
                "route: --special-order routes a special order (R3); it cannot be combined "
                "with --hosts, --accessories or --design-change (a return, R1/R2)"
            )
        if args.special_order is None and args.hosts is None and args.accessories is None:
            parser.error("route: give --hosts and/or --accessories, or --special-order")
    try:
        with use_locale(cli_locale(getattr(args, "lang", None))):
            status: int = args.handler(args, out)
    except AftersalesError as exc:
        print(f"aftersales: error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"aftersales: error: database {getattr(args, 'db', '')}: {exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
