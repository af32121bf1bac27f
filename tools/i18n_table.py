#!/usr/bin/env python3
"""Translations from a reviewed table into gettext catalogs (dev tool; needs Babel).

The Chinese of the core and of the Odoo module is written in tables, not by editing the
.po files: ``tools/i18n/<catalog>.json`` maps each English message id to
``{"zh_TW": ..., "zh_CN": ...}`` (Traditional first, in the seeds' terms; Simplified
derived and reviewed). Commands:

  todo  POT TABLE OUT.json   message ids of POT that the table lacks (or has empty), as a
                             table to fill in (the delta after a re-export)
  merge TABLE NEW.json       add the filled entries of NEW.json to TABLE
  apply TABLE PO LANG        write the table's LANG column into PO (msgstr; fuzzy dropped)

Placeholders ({name}, %s, %(name)s, HTML tags) must survive: ``msgfmt --check-format``
checks the result (tools/i18n-update.sh and tools/core-i18n.sh run it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _load(path: str) -> dict[str, dict[str, str]]:
    p = Path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def _dump(path: str, table: dict[str, dict[str, str]]) -> None:
    Path(path).write_text(
        json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


def _ids(po_path: str) -> list[str]:
    with open(po_path, "rb") as f:
        cat = read_po(f)
    return [str(m.id) for m in cat if m.id and isinstance(m.id, str)]


def todo(pot: str, table_path: str, out: str) -> int:
    table = _load(table_path)
    missing = {
        i: {"zh_TW": "", "zh_CN": ""}
        for i in _ids(pot)
        if not (table.get(i, {}).get("zh_TW") and table.get(i, {}).get("zh_CN"))
    }
    _dump(out, missing)
    print(f"{len(missing)} message ids to translate -> {out}")
    return 0


def merge(table_path: str, new_path: str) -> int:
    table = _load(table_path)
    added = 0
    for msgid, row in _load(new_path).items():
        if row.get("zh_TW") and row.get("zh_CN"):
            table[msgid] = {"zh_TW": row["zh_TW"], "zh_CN": row["zh_CN"]}
            added += 1
    _dump(table_path, table)
    print(f"{added} entries merged into {table_path} ({len(table)} in all)")
    return 0


def apply(table_path: str, po_path: str, lang: str) -> int:
    table = _load(table_path)
    with open(po_path, "rb") as f:
        cat = read_po(f, locale=None)
    filled = missing = 0
    for m in cat:
        if not m.id or not isinstance(m.id, str):
            continue
        text = table.get(m.id, {}).get(lang, "")
        if text:
            m.string = text
            m.flags.discard("fuzzy")
            filled += 1
        else:
            missing += 1
    cat.language_team = f"{lang} <aftersales>"
    cat.last_translator = "aftersales"
    with open(po_path, "wb") as f:
        write_po(f, cat, width=0, omit_header=False, include_previous=False)
    print(f"{po_path}: {filled} translated, {missing} missing")
    return 0 if missing == 0 else 1


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "todo":
        return todo(*argv[1:])
    if len(argv) == 3 and argv[0] == "merge":
        return merge(*argv[1:])
    if len(argv) == 4 and argv[0] == "apply":
        return apply(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
