"""Read odoo-bin logs of the module's test run: count the tests, fail on any problem.

Usage: ``odoo_test_summary.py TEST_LOG [OTHER_LOG ...]``. The first log is the
``--test-enable`` run; the others (upgrade, demo install, uninstall) only have to be
clean, except ``test-wheel.log`` (the module installed from wheels), whose tests count too;
a line ``aftersales-load: N passed, M failed`` (the load test's checks, in any log) adds to
the counts. Prints the offending log records and a closing line ``odoo: N passed, M failed``.
Exits 1 when a test failed or errored, when no test ran, when a log holds an ERROR or
CRITICAL record, or a WARNING record that mentions the module (its logger, its files,
or a Python warning raised from its code).
"""

from __future__ import annotations

import re
import sys

# odoo/service/server.py: "<F> failed, <E> error(s) of <T> tests when loading database"
TOTAL = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# benchmarks/odoo_load.py: each of its checks counts as a test
LOAD = re.compile(r"^aftersales-load: (\d+) passed, (\d+) failed", re.MULTILINE)
HEADER = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) (\S+) (\S+): ")
OURS = ("aftersales",)
# Warnings vanilla Odoo prints on a bare machine, whatever the module.
BENIGN = ("Running as user 'root' is a security risk",)


def records(path: str) -> list[str]:
    """The log as records: a header line with its continuation lines (tracebacks)."""
    out: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if HEADER.match(line) or not out:
                out.append(line)
            else:
                out[-1] += line
    return out


def main(paths: list[str]) -> int:
    """Summarise the logs; return the exit status."""
    total = failed = 0
    counted = False
    problems: list[str] = []
    for index, path in enumerate(paths):
        for record in records(path):
            for load in LOAD.finditer(record):
                total += int(load.group(1)) + int(load.group(2))
                failed += int(load.group(2))
            m = TOTAL.search(record)
            # the first log, and the wheels step's (test-wheel.log), run tests
            if m and (index == 0 or path.endswith("test-wheel.log")):
                failed += int(m.group(1)) + int(m.group(2))
                total += int(m.group(3))
                counted = True
            h = HEADER.match(record)
            if not h or any(b in record for b in BENIGN):
                continue
            level = h.group(1)
            if level in ("ERROR", "CRITICAL"):
                if not (m and int(m.group(1)) + int(m.group(2)) == 0):
                    problems.append(record)
            elif level == "WARNING":
                # look past the header: the database name may itself hold "aftersales"
                text = h.group(3) + record[h.end() :]
                if any(word in text for word in OURS):
                    problems.append(record)
    for record in problems[:40]:
        print(record.rstrip()[:3000])
    if not counted or total == 0:
        print("odoo: no test ran (no 'tests when loading database' line in the log)")
    if problems and failed == 0:
        failed = 1  # a clean test count with a bad log still fails the run
    print(f"odoo: {max(total - failed, 0)} passed, {failed} failed")
    return 1 if failed or problems or not counted or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
