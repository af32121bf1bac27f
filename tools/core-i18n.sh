#!/usr/bin/env bash
# The core's gettext catalogs (aftersales_core/locale): extract the message ids, merge them
# into the zh_TW and zh_CN catalogs, fill them from the reviewed table
# tools/i18n/aftersales_core.json, check the placeholders and compile the .mo files
# (committed, so that an editable install of a fresh clone and the wheel both carry them).
# Needs the dev extras (Babel) and gettext's msgfmt. Lists the message ids still missing
# from the table in /tmp/aftersales_core-todo.json (fill it, then
# `python tools/i18n_table.py merge tools/i18n/aftersales_core.json FILE` and run again).
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-.venv/bin/python}"
pybabel="$(dirname "$py")/pybabel"
dir=aftersales_core/locale
pot="$dir/aftersales_core.pot"
"$pybabel" -q extract -k N_ -k plural:2 --no-wrap --sort-by-file --project aftersales-core \
  --version 0.1.0 --copyright-holder aftersales -o "$pot" aftersales_core
status=0
for lang in zh_TW zh_CN; do
  po="$dir/$lang/LC_MESSAGES/aftersales_core.po"
  if [ -f "$po" ]; then
    "$pybabel" -q update --no-wrap --ignore-obsolete -i "$pot" -d "$dir" -D aftersales_core -l "$lang"
  else
    "$pybabel" -q init --no-wrap -i "$pot" -d "$dir" -D aftersales_core -l "$lang"
  fi
  "$py" tools/i18n_table.py apply tools/i18n/aftersales_core.json "$po" "$lang" || status=1
  msgfmt --check-format --check-header -o "$dir/$lang/LC_MESSAGES/aftersales_core.mo" "$po"
done
"$py" tools/i18n_table.py todo "$pot" tools/i18n/aftersales_core.json /tmp/aftersales_core-todo.json
exit $status
