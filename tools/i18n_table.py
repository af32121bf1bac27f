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
checks the result (tools/i18n-update.sh and tools/core-i18n.sh run it). Uses polib (a dev
dependency of the core, and a dependency of Odoo), which keeps Odoo's ``#: model:...``
references intact.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def _load(path: str) -> dict[str, dict[str, str]]:
    p = Path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def _dump(path: str, table: dict[str, dict[str, str]]) -> None:
    Path(path).write_text(
        json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


def _ids(po_path: str) -> list[str]:
    return [e.msgid for e in polib.pofile(po_path) if e.msgid and not e.obsolete]


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
    po = polib.pofile(po_path, wrapwidth=78)
    filled = missing = 0
    for entry in po:
        if not entry.msgid or entry.obsolete:
            continue
        text = table.get(entry.msgid, {}).get(lang, "")
        if text:
            entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            filled += 1
        else:
            missing += 1
    po.metadata["Language"] = lang
    po.metadata["Language-Team"] = f"{lang} <aftersales>"
    po.metadata["Last-Translator"] = "aftersales"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(po_path)
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
