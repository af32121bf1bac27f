"""Benchmark: import 100,000 cases (complaints and returns) from CSV into the embedded host.

Prints the time of the whole import (read, validate every row through the forms, write
in one transaction) and the peak memory: the process's peak resident size
(``resource.getrusage``) and, in a second run, the peak of Python allocations
(``tracemalloc``, which slows the run down, so its time is not the figure).

    .venv/bin/python benchmarks/bench_import.py [ROWS]
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from aftersales_core.embedded import EmbeddedHost, import_file

PRODUCTS = (("MC-200", "host"), ("PU-90", "host"), ("SN-5", "accessory"), ("CB-12", "accessory"))
CATEGORIES = (
    "connector corrosion",
    "firmware fault",
    "power supply failure",
    "sensor drift",
    "seal leakage",
)


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A CSV of ``rows`` complaints and returns."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        f.write(
            "kind,customer,received_at,product,quantity,lot,channel,description,category,"
            "delivered_at\n"
        )
        for i in range(rows):
            kind = rng.choice(("complaint", "complaint", "repair", "refund"))
            product = rng.choice(PRODUCTS)[0]
            day = 1 + i % 28
            f.write(
                f"{kind},Customer {i % 997},2025-{1 + i % 12:02d}-{day:02d}T09:{i % 60:02d}:00+08:00,"
                f"{product},{rng.randint(1, 20)},L{i % 500},phone,reported problem {i},"
                f"{rng.choice(CATEGORIES)},2024-12-01T09:00:00+08:00\n"
            )


def import_once(folder: Path, csv: Path, name: str) -> tuple[float, int]:
    host = EmbeddedHost(folder / name)
    for code, klass in PRODUCTS:
        host.add_product(code, code, klass)
    started = time.perf_counter()
    result = import_file(host, csv)
    elapsed = time.perf_counter() - started
    host.close()
    return elapsed, result.total


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "cases.csv"
        write_csv(csv, rows)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        elapsed, total = import_once(folder, csv, "a.db")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        import_once(folder, csv, "b.db")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = (folder / "a.db").stat().st_size
    print(f"import of {total:,} cases: {elapsed:.2f} s ({total / elapsed:,.0f} cases/s)")
    print(
        f"peak resident memory: {rss_after / 1024:.0f} MiB (before the import: {rss_before / 1024:.0f} MiB)"
    )
    print(f"peak Python allocations (tracemalloc): {peak / 2**20:.0f} MiB")
    print(f"database file: {size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
