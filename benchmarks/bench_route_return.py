"""Micro-benchmark of route_return (R1/R2): decisions per second.

Run: .venv/bin/python benchmarks/bench_route_return.py
"""

from __future__ import annotations

import time

from aftersales_core import Policy
from aftersales_core.rules import route_return


def lines(n: int) -> list[dict[str, object]]:
    return [
        {"product_class": "host" if i % 3 == 0 else "accessory", "quantity": 1 + i % 4}
        for i in range(n)
    ]


def measure(n_lines: int, seconds: float = 1.0) -> float:
    policy = Policy()
    data = lines(n_lines)
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(100):
            route_return(data, policy=policy)
        count += 100
    return count / (time.perf_counter() - start)


def main() -> None:
    print("route_return decisions per second (one Policy, lines as mappings)")
    for n in (1, 10, 100):
        print(f"  {n:>3} lines: {measure(n):>10,.0f} /s")


if __name__ == "__main__":
    main()
