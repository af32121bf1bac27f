"""Read an odoo-bin --test-enable log: count the tests, fail on errors or our warnings.

Prints the failing lines and a closing line `odoo: N passed, M failed`; exits 1 when a
test failed or errored, when the log holds an ERROR/CRITICAL line, when a WARNING comes
from the module, or when no test ran at all.
"""

from __future__ import annotations

import re
import sys

RAN = re.compile(r"Ran (\d+) tests? in")
FAILED = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL|WARNING) (\S+) (\S+): (.*)$")
# Warnings that vanilla Odoo itself prints on a bare machine (not about our module).
BENIGN = ("Running as user 'root'", "wkhtmltopdf", "No outgoing mail server")


def main(path: str) -> int:
    ran = 0
    failed = 0
    problems: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            m = RAN.search(line)
            if m:
                ran += int(m.group(1))
            m = FAILED.search(line)
            if m:
                failed += int(m.group(1)) + int(m.group(2))
            m = LEVEL.match(line.rstrip("\n"))
            if not m or any(b in line for b in BENIGN):
                continue
            level, _db, logger, _msg = m.groups()
            if level in ("ERROR", "CRITICAL") or "aftersales" in logger or "aftersales" in line:
                problems.append(line.rstrip())
    for p in problems[:60]:
        print(p)
    if failed == 0 and problems:
        failed = sum(1 for p in problems if " ERROR " in p or " CRITICAL " in p) or 1
    print(f"odoo: {max(ran - failed, 0)} passed, {failed} failed")
    if ran == 0:
        print("odoo: no test ran")
        return 1
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
