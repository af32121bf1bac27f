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
# checks an upgrade (-u) and an uninstall, installs it once more on a copy of a demo-data
# template (ODOO_TEST_DEMO=0 skips that), and drops the copies. Logs: $ODOO_TEST_LOGDIR
# (default /tmp/aftersales-odoo-tests/run-<pid>, linked as .../latest). Closing line:
# `odoo: N passed, M failed`; the exit status is non-zero on any failure (docs/odoo.md).
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
if [ -n "$odoo_bin" ] && [ ! -f "$odoo_bin" ]; then
  banner "ODOO MODULE TESTS SKIPPED: ODOO_BIN is set to $odoo_bin, and there is no such file." \
    "Point ODOO_BIN at an odoo-bin of Odoo 18, or unset it to look in /opt/odoo18 and on PATH" \
    "(docs/odoo.md); the core tests above did run."
  exit 0
fi
if [ -n "$odoo_py" ] && [ ! -x "$odoo_py" ]; then
  banner "ODOO MODULE TESTS SKIPPED: ODOO_PYTHON is set to $odoo_py, which is not an executable." \
    "Point ODOO_PYTHON at the python of Odoo's virtualenv, or unset it (docs/odoo.md)."
  exit 0
fi
if [ -z "$odoo_bin" ] && [ -x /opt/odoo18/venv/bin/python ] && [ -f /opt/odoo18/src/odoo-bin ]; then
  odoo_bin=/opt/odoo18/src/odoo-bin
  odoo_py="${odoo_py:-/opt/odoo18/venv/bin/python}"
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
"$odoo_py" -m pip install --quiet --disable-pip-version-check "pydantic>=2.6,<3" "websocket-client" >/dev/null 2>&1 || true
if ! "$odoo_py" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here" >/tmp/aftersales-core-install.log 2>&1; then
  cat /tmp/aftersales-core-install.log
  echo "odoo: 0 passed, 1 failed"
  exit 1
fi

deps=$("$odoo_py" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$here/odoo_addon_aftersales/__manifest__.py")
tmpl="aftersales_tmpl_$(echo "$deps $("$odoo_py" "$odoo_bin" --version 2>/dev/null)" | cksum | cut -d' ' -f1)"
port=$("$odoo_py" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
odoo() { "$odoo_py" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" --http-port="$port" --stop-after-init "$@"; }
filestore="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}/filestore"

# Concurrent runs wait for each other while a template is being built.
exec 9>"/tmp/aftersales-odoo-template.lock"
flock 9
if ! psql -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$tmpl'" | grep -q 1; then
  echo "Building the template database $tmpl with: $deps (once; a few minutes)"
  dropdb -U "$db_user" --if-exists "${tmpl}_build" >/dev/null 2>&1
  if ! odoo -d "${tmpl}_build" -i "$deps" --without-demo=all --log-level=warn >/tmp/aftersales-tmpl.log 2>&1; then
    tail -40 /tmp/aftersales-tmpl.log
    echo "odoo: 0 passed, 1 failed"
    exit 1
  fi
  psql -U "$db_user" -d postgres -qc "ALTER DATABASE \"${tmpl}_build\" RENAME TO \"$tmpl\"" || exit 1
  [ -d "$filestore/${tmpl}_build" ] && mv "$filestore/${tmpl}_build" "$filestore/$tmpl"
fi

flock -u 9
db="aftersales_test_$$"
logdir="${ODOO_TEST_LOGDIR:-/tmp/aftersales-odoo-tests/run-$$}"
mkdir -p "$logdir"
[ -z "${ODOO_TEST_LOGDIR:-}" ] && ln -sfn "$logdir" /tmp/aftersales-odoo-tests/latest
log="$logdir/test.log"
: >"$logdir/upgrade.log"; : >"$logdir/uninstall.log"; : >"$logdir/demo.log"
copy_db() {  # copy_db TEMPLATE NEW: the database and its filestore
  createdb -U "$db_user" -T "$1" "$2" || return 1
  if [ -d "$filestore/$1" ]; then cp -a "$filestore/$1" "$filestore/$2"; fi
}
cleanup() {
  for d in "$db" "${db}_demo"; do
    dropdb -U "$db_user" --if-exists "$d" >/dev/null 2>&1
    rm -rf "${filestore:?}/$d"
  done
}
trap cleanup EXIT
copy_db "$tmpl" "$db" || exit 1

rc=0
echo "Installing odoo_addon_aftersales with its tests into $db (log: $log)"
# The module's tests, plus Odoo's own view check (always-invisible fields need a comment).
# The web client tours need a Chromium (Debian's `chromium`): without one they are left out, loudly.
tags="/odoo_addon_aftersales,/base:TestInvisibleField"
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  banner "WEB CLIENT TOURS SKIPPED: no Chromium found (apt-get install chromium)." \
    "The other Odoo tests run; the tours of tests/test_tour.py do not."
  tags="$tags,-/odoo_addon_aftersales:TestReturnTour"
fi
odoo -d "$db" -i odoo_addon_aftersales --test-enable --test-tags "$tags" \
  --log-level=test --without-demo=all >"$log" 2>&1 || rc=1
echo "Upgrading it (-u) once more (log: $logdir/upgrade.log)"
odoo -d "$db" -u odoo_addon_aftersales --log-level=warn --without-demo=all >"$logdir/upgrade.log" 2>&1 || rc=1
echo "Uninstalling it (log: $logdir/uninstall.log)"
"$odoo_py" "$odoo_bin" shell -d "$db" --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" \
  --http-port="$port" --log-level=warn >"$logdir/uninstall.log" 2>&1 <<'PY'
# (odoo-bin shell of this Odoo 18 exits 1 after the script; the marker line below decides)
module = env["ir.module.module"].search([("name", "=", "odoo_addon_aftersales")])
module.button_immediate_uninstall()
env.cr.execute("SELECT count(*) FROM ir_model WHERE model LIKE 'aftersales.%%'")
left = env.cr.fetchone()[0]
state = env["ir.module.module"].search([("name", "=", "odoo_addon_aftersales")]).state
print(f"uninstall: state={state} models_left={left}")
if state != "uninstalled" or left:
    raise SystemExit("ERROR uninstall left the module behind")
PY
if ! grep -q "uninstall: state=uninstalled models_left=0" "$logdir/uninstall.log" \
  || grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$logdir/uninstall.log"; then
  echo "Uninstall check FAILED:"; tail -20 "$logdir/uninstall.log"; rc=1
fi

logs=("$log" "$logdir/upgrade.log")
if [ "${ODOO_TEST_DEMO:-1}" != "0" ]; then
  # The module must also install on a database with demo data (no tests there: the
  # demo data of other modules would only change what the tests see).
  dtmpl="${tmpl}_demo"
  flock 9
  if ! psql -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$dtmpl'" | grep -q 1; then
    echo "Building the demo template database $dtmpl (once; a few minutes)"
    dropdb -U "$db_user" --if-exists "${dtmpl}_build" >/dev/null 2>&1
    if ! odoo -d "${dtmpl}_build" -i "$deps" --log-level=warn >"$logdir/demo-template.log" 2>&1; then
      tail -40 "$logdir/demo-template.log"; echo "odoo: 0 passed, 1 failed"; exit 1
    fi
    psql -U "$db_user" -d postgres -qc "ALTER DATABASE \"${dtmpl}_build\" RENAME TO \"$dtmpl\"" || exit 1
    [ -d "$filestore/${dtmpl}_build" ] && mv "$filestore/${dtmpl}_build" "$filestore/$dtmpl"
  fi
  echo "Installing it on a database with demo data (log: $logdir/demo.log)"
  copy_db "$dtmpl" "${db}_demo" || exit 1
  flock -u 9
  odoo -d "${db}_demo" -i odoo_addon_aftersales --log-level=info >"$logdir/demo.log" 2>&1 || rc=1
  logs+=("$logdir/demo.log")
fi

"$odoo_py" "$here/tools/odoo_test_summary.py" "${logs[@]}"
summary=$?
if [ $rc -ne 0 ] || [ $summary -ne 0 ]; then
  echo "Odoo tests FAILED (odoo-bin exit $rc); logs in $logdir"
  exit 1
fi
echo "Odoo tests passed; logs in $logdir"
exit 0
