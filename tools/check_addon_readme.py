"""Fail when an addon's README.rst is older than its sources (`make lint`).

OCA's readme generator (`oca-gen-addon-readme`, from OCA/maintainer-tools) writes into
README.rst a "source digest": a sha256 over the addon's ``__manifest__.py`` and the files
of its ``readme/`` folder (each file's path relative to the addon, then its bytes; folders
walked in sorted order; dotfiles skipped). This check recomputes that digest, so it needs
neither the generator nor pandoc, and tells how to regenerate when they differ.

Usage: python tools/check_addon_readme.py ADDON_DIR [ADDON_DIR ...]
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

DIGEST_RE = re.compile(r"!! source digest: (sha256:[0-9a-f]+)")


def _sources(addon: Path) -> list[str]:
    """The generator's inputs, as paths relative to the addon, in its order."""
    paths = ["__manifest__.py"]
    for dirpath, dirnames, filenames in os.walk(addon / "readme"):
        dirnames.sort()
        rel = os.path.relpath(dirpath, addon)
        paths.extend(os.path.join(rel, name) for name in sorted(filenames) if not name.startswith("."))
    return paths


def source_digest(addon: Path) -> str:
    digest = hashlib.sha256()
    for rel in _sources(addon):
        digest.update(rel.encode("utf-8"))
        digest.update((addon / rel).read_bytes())
    return f"sha256:{digest.hexdigest()}"


def check(addon: Path) -> str | None:
    """None when README.rst is current, else what is wrong."""
    readme = addon / "README.rst"
    if not readme.is_file():
        return f"{readme}: missing"
    found = DIGEST_RE.search(readme.read_text(encoding="utf-8"))
    if not found:
        return f"{readme}: no source digest (not written by oca-gen-addon-readme)"
    expected = source_digest(addon)
    if found.group(1) != expected:
        return f"{readme}: stale (its digest {found.group(1)[:19]}..., the sources' {expected[:19]}...)"
    return None


def main(argv: list[str]) -> int:
    problems = [p for p in (check(Path(a)) for a in argv) if p]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Regenerate with `make readme` (docs/development.md, 'The addon's README').", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["odoo_addon_aftersales"]))
