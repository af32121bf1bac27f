#!/usr/bin/env bash
# Update the Odoo module's translations (odoo_addon_aftersales/i18n):
#   1. export odoo_addon_aftersales.pot with Odoo (--i18n-export) from a database that has
#      the module installed (and upgraded to this worktree's code);
#   2. msgmerge --update zh_TW.po and zh_CN.po against it;
#   3. fill them from the reviewed table tools/i18n/odoo_addon_aftersales.json;
#   4. check the placeholders (msgfmt --check-format) and list what is untranslated or
#      fuzzy; the terms the table lacks go to /tmp/odoo_addon_aftersales-todo.json.
# Translating the delta: fill that file's zh_TW (seeds' terms) and zh_CN, then
#   python tools/i18n_table.py merge tools/i18n/odoo_addon_aftersales.json /tmp/odoo_addon_aftersales-todo.json
# and run this script again with --no-export. The core's catalogs: tools/core-i18n.sh.
#
# Usage: tools/i18n-update.sh [--db NAME] [--no-export]
#   --db NAME     use this database (the module is upgraded in it); default: a new database
#                 aftersales_i18n_<pid> is created, the module installed, and dropped after
#   --no-export   keep the current .pot (no Odoo needed)
# Environment: ODOO_BIN (/opt/odoo18/src/odoo-bin), ODOO_PYTHON (/opt/odoo18/venv/bin/python),
#   ODOO_ADDONS (Odoo's addons paths), PGHOST (127.0.0.1), ODOO_DB_USER (root).
# Needs gettext (msgmerge, msgfmt, msgattrib): apt-get install -y gettext.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
i18n="$here/odoo_addon_aftersales/i18n"
pot="$i18n/odoo_addon_aftersales.pot"
table="$here/tools/i18n/odoo_addon_aftersales.json"
odoo_bin="${ODOO_BIN:-/opt/odoo18/src/odoo-bin}"
odoo_py="${ODOO_PYTHON:-/opt/odoo18/venv/bin/python}"
src="$(dirname "$odoo_bin")"
addons="${ODOO_ADDONS:-$src/addons,$src/odoo/addons}"
export PGHOST="${PGHOST:-127.0.0.1}"
db_user="${ODOO_DB_USER:-root}"
db="" export_pot=1
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --no-export) export_pot=0; shift ;;
    *) echo "usage: $0 [--db NAME] [--no-export]" >&2; exit 2 ;;
  esac
done
for tool in msgmerge msgfmt msgattrib; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y gettext" >&2; exit 2; }
done

if [ "$export_pot" = 1 ]; then
  odoo=("$odoo_py" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user"
        --addons-path="$addons,$here" --stop-after-init --http-port="${ODOO_HTTP_PORT:-18799}")
  drop=""
  if [ -z "$db" ]; then
    db="aftersales_i18n_$$"
    drop="$db"
    echo "installing odoo_addon_aftersales in a new database $db ..."
    "${odoo[@]}" -d "$db" -i odoo_addon_aftersales --without-demo=all >/tmp/"$db"-install.log 2>&1
  else
    echo "upgrading odoo_addon_aftersales in $db ..."
    "${odoo[@]}" -d "$db" -u odoo_addon_aftersales >/tmp/"$db"-upgrade.log 2>&1
  fi
  "${odoo[@]}" -d "$db" --i18n-export="$pot" --modules=odoo_addon_aftersales >/tmp/"$db"-export.log 2>&1
  [ -n "$drop" ] && dropdb -U "$db_user" "$drop"
  echo "exported $(grep -c '^msgid ' "$pot") entries to $pot"
fi

status=0
for lang in zh_TW zh_CN; do
  po="$i18n/$lang.po"
  if [ -f "$po" ]; then
    msgmerge --quiet --update --backup=none "$po" "$pot"
  else
    msginit --no-translator --no-wrap --locale="$lang.UTF-8" -i "$pot" -o "$po" >/dev/null 2>&1 || cp "$pot" "$po"
  fi
  msgattrib --no-obsolete -o "$po" "$po"
  "$odoo_py" "$here/tools/i18n_table.py" apply "$table" "$po" "$lang" || status=1
  msgfmt --check-format -o /dev/null "$po"
  untranslated="$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)"
  fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)"
  # the header counts as one untranslated-looking entry in each listing
  echo "$lang: untranslated $((untranslated > 0 ? untranslated - 1 : 0)), fuzzy $((fuzzy > 0 ? fuzzy - 1 : 0))"
  msgattrib --untranslated --no-obsolete "$po" | grep '^msgid "..*"' | sed "s/^/  $lang untranslated: /" | head -50 || true
  msgattrib --only-fuzzy --no-obsolete "$po" | grep '^msgid "..*"' | sed "s/^/  $lang fuzzy: /" | head -50 || true
done
"$odoo_py" "$here/tools/i18n_table.py" todo "$pot" "$table" /tmp/odoo_addon_aftersales-todo.json
exit $status
