"""Micro-benchmark of route_return (R1/R2): decisions per second.

Times ``route_return`` on returns of 1, 10 and 100 lines, given as mappings and as line
objects, with one shared ``Policy``; and once with ``policy=None`` (a default ``Policy()``
is built on every call). Each case runs for about ``--seconds`` (default 0.4 s) after a
short warm-up, timed with ``time.perf_counter``. Plain script, no pytest:

    .venv/bin/python benchmarks/bench_route_return.py [--seconds 0.4]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from aftersales_core import Policy
from aftersales_core.rules import route_return


@dataclass(frozen=True)
class Line:
    """A return line as an embedder's model would carry it."""

    product_class: str
    quantity: int


def mapping_lines(n: int) -> list[dict[str, object]]:
    """``n`` lines as mappings: every third a host, quantities 1-4."""
    return [
        {"product_class": "host" if i % 3 == 0 else "accessory", "quantity": 1 + i % 4}
        for i in range(n)
    ]


def object_lines(n: int) -> list[Line]:
    """The same lines as objects with attributes."""
    return [Line(str(d["product_class"]), int(str(d["quantity"]))) for d in mapping_lines(n)]


def measure(call: Callable[[], object], seconds: float) -> tuple[float, int]:
    """Decisions per second of ``call`` over about ``seconds``, and the calls made."""
    for _ in range(50):  # warm-up
        call()
    batch = 100
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(batch):
            call()
        calls += batch
    return calls / (time.perf_counter() - start), calls


def main() -> None:
    """Print decisions per second for each case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.4, help="time per case")
    args = parser.parse_args()
    policy = Policy()
    print("route_return (R1/R2) decisions per second")
    print(f"{'lines':>6}  {'input':<9} {'policy':<8} {'decisions/s':>12} {'us/decision':>12}")
    cases: list[tuple[int, str, str, Callable[[], object]]] = []
    for n in (1, 10, 100):
        maps = mapping_lines(n)
        objs = object_lines(n)
        assert route_return(maps, policy=policy) == route_return(objs, policy=policy)
        cases.append((n, "mappings", "shared", partial(route_return, maps, policy=policy)))
        cases.append((n, "objects", "shared", partial(route_return, objs, policy=policy)))
    one = mapping_lines(1)
    cases.append((1, "mappings", "None", partial(route_return, one)))
    for n, kind, pol, call in cases:
        rate, _ = measure(call, args.seconds)
        print(f"{n:>6}  {kind:<9} {pol:<8} {rate:>12,.0f} {1e6 / rate:>12.1f}")


if __name__ == "__main__":
    main()
