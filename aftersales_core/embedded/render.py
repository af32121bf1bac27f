"""Charts and HTML reports of the statistics (matplotlib is imported only here, lazily).

matplotlib belongs to the ``cli`` extra; the core imports without it. :func:`pareto_png`
draws the classic Pareto chart (bars per category, cumulative percentage line, the
vital-few cut-off); :func:`html_report` writes a self-contained HTML page of the
Pareto table, weekly reviews, monthly reports, parts claims and deadline compliance.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from pathlib import Path

from pydantic import BaseModel

from aftersales_core.analytics import ParetoRow
from aftersales_core.embedded.host import EmbeddedHost
from aftersales_core.embedded.reports import (
    deadline_report,
    monthly_reports,
    pareto_report,
    parts_claims_report,
    weekly_reviews,
)
from aftersales_core.errors import InvalidInput

__all__ = ["html_report", "pareto_png", "table_html", "write_reports"]


def pareto_png(rows: Sequence[ParetoRow], path: Path, *, cutoff: int, title: str = "") -> Path:
    """Draw the Pareto chart of ``rows`` to ``path`` (PNG); needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InvalidInput(
            "png", "the Pareto chart needs matplotlib: pip install 'aftersales-core[cli]'"
        ) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [r.category for r in rows]
    fig, ax = plt.subplots(figsize=(10, 5.5))
    colors = ["#c0392b" if r.vital_few else "#7f8c8d" for r in rows]
    ax.bar(names, [r.count for r in rows], color=colors)
    ax.set_ylabel("units")
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    line = ax.twinx()
    line.plot(names, [r.cumulative_percent for r in rows], color="#2c3e50", marker="o")
    line.axhline(cutoff, color="#2c3e50", linestyle="--", linewidth=0.8)
    line.set_ylim(0, 105)
    line.set_ylabel("cumulative %")
    ax.set_title(title or f"Pareto of repairs and returns (vital few up to {cutoff} %, R23)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


_LABELS = {"cumulative_percent": "cumulative %", "percent_met": "% met", "percent": "percent"}


def column_label(field: str) -> str:
    """The heading of a report column, as the terminal shows it (``cumulative %``)."""
    return _LABELS.get(field, field.replace("_", " "))


def table_html(title: str, rows: Sequence[BaseModel]) -> str:
    """An HTML table of pydantic rows (columns = fields, headed as in the terminal)."""
    out = [f"<h2>{html.escape(title)}</h2>"]
    if not rows:
        return out[0] + "<p>No data in this period.</p>"
    columns = list(type(rows[0]).model_fields)
    out.append(
        "<table><tr>"
        + "".join(f"<th>{html.escape(column_label(c))}</th>" for c in columns)
        + "</tr>"
    )
    for row in rows:
        cells = []
        for c in columns:
            value = getattr(row, c)
            if isinstance(value, bool):
                text = "yes" if value else ""
            elif isinstance(value, float):
                text = f"{value:.1f}"
            elif isinstance(value, tuple):
                text = ", ".join(f"{k}: {v}" if isinstance(k, str) else str(k) for k, v in value)
            elif value is None:
                text = "-"
            else:
                text = str(value)
            cells.append(f"<td>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_report(
    host: EmbeddedHost,
    path: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    chart: str | None = None,
) -> Path:
    """Write the after-sales statistics of the period as one HTML page."""
    conn = host.conn
    pol = host.policy
    moment = (
        datetime.combine(today, time(23, 59), tzinfo=timezone.utc)
        if today is not None
        else host.clock()
    )
    period = f"{start or 'beginning'} to {end or 'today'}"
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>After-sales report</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#eee}</style>",
        f"</head><body><h1>After-sales report</h1><p>Period: {html.escape(period)}.</p>",
    ]
    if chart:
        parts.append(f"<img src='{html.escape(chart)}' alt='Pareto chart'>")
    parts.append(
        table_html(
            f"Pareto of repairs and returns (R23, vital few up to {pol.pareto_vital_few_percent} %)",
            pareto_report(conn, policy=pol, start=start, end=end),
        )
    )
    parts.append(
        table_html(
            f"Weekly complaint review (R19, meeting on {pol.weekly_review_weekday})",
            weekly_reviews(conn, policy=pol, start=start, end=end),
        )
    )
    parts.append(
        table_html("Monthly after-sales report (R23)", monthly_reports(conn, start=start, end=end))
    )
    parts.append(
        table_html(
            "Monthly parts-claims statistics (R21)", parts_claims_report(conn, start=start, end=end)
        )
    )
    parts.append(
        table_html(
            "Deadline compliance (R8 arrival, R9 resolution)",
            deadline_report(conn, now=moment, start=start, end=end),
        )
    )
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_reports(host: EmbeddedHost, out: Path, *, today: date | None = None) -> dict[str, Path]:
    """The Pareto chart (``pareto.png``) and the HTML report (``report.html``) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    rows = pareto_report(host.conn, policy=host.policy)
    png = pareto_png(rows, out / "pareto.png", cutoff=host.policy.pareto_vital_few_percent)
    page = html_report(host, out / "report.html", today=today, chart=png.name)
    return {"chart": png, "report": page}
