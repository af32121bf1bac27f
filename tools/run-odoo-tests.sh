#!/usr/bin/env bash
# Run the Odoo module's tests inside a real Odoo 18 against PostgreSQL.
#
# Finding Odoo, in this order:
#   1. $ODOO_BIN (path to odoo-bin) with $ODOO_PYTHON (the Python of Odoo's virtualenv;
#      default: the python next to odoo-bin's venv, else python3);
#   2. /opt/odoo18/src/odoo-bin with /opt/odoo18/venv/bin/python;
#   3. `odoo-bin` or `odoo` on PATH (with the python3 on PATH).
# Without Odoo it prints a loud SKIPPED banner and exits 0.
#
# Database: PostgreSQL at $PGHOST (127.0.0.1) as $ODOO_DB_USER (default: root; Odoo
# refuses the `postgres` superuser). A template database with the module's Odoo
# dependencies is built once and reused (named by a hash of the dependency list);
# every run copies it with `createdb -T`, installs the module with --test-enable,
# checks an upgrade (-u), and drops the copy.
set -uo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
export PGHOST="${PGHOST:-127.0.0.1}"
db_user="${ODOO_DB_USER:-root}"

banner() {
  echo "######################################################################"
  echo "#  $1"
  shift
  for line in "$@"; do echo "#  $line"; done
  echo "######################################################################"
}

odoo_bin="${ODOO_BIN:-}"
odoo_py="${ODOO_PYTHON:-}"
if [ -z "$odoo_bin" ] && [ -x /opt/odoo18/venv/bin/python ] && [ -f /opt/odoo18/src/odoo-bin ]; then
  odoo_bin=/opt/odoo18/src/odoo-bin
  odoo_py=/opt/odoo18/venv/bin/python
fi
if [ -z "$odoo_bin" ]; then
  odoo_bin="$(command -v odoo-bin || command -v odoo || true)"
fi
if [ -z "$odoo_bin" ]; then
  banner "ODOO MODULE TESTS SKIPPED: no Odoo 18 installation found." \
    "Looked for \$ODOO_BIN, /opt/odoo18/src/odoo-bin (+ /opt/odoo18/venv), odoo-bin/odoo on PATH." \
    "See docs/odoo.md to set one up; the core tests above did run."
  exit 0
fi
if [ -z "$odoo_py" ]; then
  odoo_py="$(dirname "$odoo_bin")/../venv/bin/python"
  [ -x "$odoo_py" ] || odoo_py="$(command -v python3)"
fi
if ! "$odoo_py" "$odoo_bin" --version >/dev/null 2>&1; then
  banner "ODOO MODULE TESTS SKIPPED: $odoo_bin does not run with $odoo_py." \
    "Fix the Odoo installation or set ODOO_BIN / ODOO_PYTHON (docs/odoo.md)."
  exit 0
fi
if ! psql -U "$db_user" -d postgres -tAc "select 1" >/dev/null 2>&1; then
  banner "ODOO MODULE TESTS SKIPPED: PostgreSQL at $PGHOST is not reachable as $db_user." \
    "Start PostgreSQL or set PGHOST / ODOO_DB_USER."
  exit 0
fi

odoo_src="$(cd "$(dirname "$odoo_bin")" && pwd)"
addons="$odoo_src/addons,$odoo_src/odoo/addons,$here"
echo "Odoo: $("$odoo_py" "$odoo_bin" --version 2>/dev/null) at $odoo_bin (python: $odoo_py)"

# The core goes into Odoo's Python (external_dependencies names its distribution).
"$odoo_py" -m pip install --quiet --disable-pip-version-check "pydantic>=2.6,<3" >/dev/null 2>&1 || true
if ! "$odoo_py" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$here" >/tmp/aftersales-core-install.log 2>&1; then
  cat /tmp/aftersales-core-install.log
  echo "odoo: 0 passed, 1 failed"
  exit 1
fi

deps=$("$odoo_py" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$here/odoo_addon_aftersales/__manifest__.py")
tmpl="aftersales_tmpl_$(echo "$deps $("$odoo_py" "$odoo_bin" --version 2>/dev/null)" | cksum | cut -d' ' -f1)"
odoo() { "$odoo_py" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" --without-demo=all --stop-after-init "$@"; }

if ! psql -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$tmpl'" | grep -q 1; then
  echo "Building the template database $tmpl with: $deps (once; a few minutes)"
  dropdb -U "$db_user" --if-exists "${tmpl}_build" >/dev/null 2>&1
  if ! odoo -d "${tmpl}_build" -i "$deps" --log-level=warn >/tmp/aftersales-tmpl.log 2>&1; then
    tail -40 /tmp/aftersales-tmpl.log
    echo "odoo: 0 passed, 1 failed"
    exit 1
  fi
  psql -U "$db_user" -d postgres -qc "ALTER DATABASE \"${tmpl}_build\" RENAME TO \"$tmpl\"" || exit 1
fi

db="aftersales_test_$$"
log="${ODOO_TEST_LOG:-/tmp/aftersales-odoo-tests.log}"
cleanup() { dropdb -U "$db_user" --if-exists "$db" >/dev/null 2>&1; }
trap cleanup EXIT
createdb -U "$db_user" -T "$tmpl" "$db" || exit 1
# The filestore of the template is not needed: attachments are regenerated.

echo "Installing odoo_addon_aftersales with its tests into $db (log: $log)"
odoo -d "$db" -i odoo_addon_aftersales --test-enable --log-level=test >"$log" 2>&1
rc=$?
echo "Upgrading it (-u) once more"
odoo -d "$db" -u odoo_addon_aftersales --log-level=warn >>"$log" 2>&1 || rc=1

"$odoo_py" "$here/tools/odoo_test_summary.py" "$log"
summary=$?
if [ $rc -ne 0 ] || [ $summary -ne 0 ]; then
  echo "Odoo tests FAILED (odoo-bin exit $rc); see $log"
  exit 1
fi
exit 0
