"""Benchmark: the Pareto table over 1,000,000 repair/return lines in the embedded host.

Generates the lines inside the script (a skewed distribution over 12 failure
categories), then times :func:`aftersales_core.embedded.reports.pareto_report` (SQLite
``GROUP BY`` + :func:`aftersales_core.analytics.pareto`) against a hand-written
``SELECT ... GROUP BY ... ORDER BY`` on the same file. Best of several runs each; the goal
is a ratio of at most 1.5.

    .venv/bin/python benchmarks/bench_pareto.py [LINES]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aftersales_core.embedded import EmbeddedHost
from aftersales_core.embedded.reports import pareto_report

CATEGORIES = (
    "connector corrosion",
    "firmware fault",
    "power supply failure",
    "sensor drift",
    "transport damage",
    "display defect",
    "seal leakage",
    "operator error",
    "fan noise",
    "cable wear",
    "software crash",
    "label missing",
)
HAND_WRITTEN = (
    "SELECT failure_category, SUM(quantity) AS n, SUM(cost_cents) FROM failure_lines"
    " GROUP BY failure_category ORDER BY n DESC"
)


def fill(host: EmbeddedHost, lines: int, seed: int = 1) -> None:
    """Insert ``lines`` failure lines in one transaction."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) ** 1.2 for i in range(len(CATEGORIES))]
    chunk = 50_000
    with host.conn:
        for start in range(0, lines, chunk):
            n = min(chunk, lines - start)
            cats = rng.choices(CATEGORIES, weights, k=n)
            host.conn.executemany(
                "INSERT INTO failure_lines (kind, product, failure_category, quantity, cost_cents, at)"
                " VALUES (?, 'MC-200', ?, ?, ?, ?)",
                (
                    (
                        "repair" if i % 3 else "return",
                        cats[i],
                        1 + i % 4,
                        (i * 37) % 50_000,
                        f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
                    )
                    for i in range(n)
                ),
            )


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        host = EmbeddedHost(Path(tmp) / "pareto.db")
        started = time.perf_counter()
        fill(host, lines)
        print(f"generated {lines:,} repair/return lines in {time.perf_counter() - started:.1f} s")
        table = pareto_report(host.conn)
        hand = host.conn.execute(HAND_WRITTEN).fetchall()
        assert [r.category for r in table] == [h[0] for h in hand]
        assert sum(r.count for r in table) == sum(h[1] for h in hand)
        ours = best(lambda: pareto_report(host.conn, policy=host.policy))
        theirs = best(lambda: host.conn.execute(HAND_WRITTEN).fetchall())
        host.close()
    print(f"pareto_report over {lines:,} lines: {ours * 1000:.0f} ms (best of 5)")
    print(f"hand-written GROUP BY ... ORDER BY:  {theirs * 1000:.0f} ms (best of 5)")
    print(f"ratio: {ours / theirs:.2f}x (goal: at most 1.5x)")
    vital = [r.category for r in table if r.vital_few]
    print(f"vital few ({len(vital)} of {len(table)} categories): {', '.join(vital)}")


if __name__ == "__main__":
    main()
