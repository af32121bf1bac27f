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
# template (ODOO_TEST_DEMO=0 skips that), runs the small load test (2 JSON-RPC clients x
# 10 cycles against Odoo --workers=2, tools/run-odoo-load.sh; ODOO_TEST_LOAD=0 skips it),
# and drops the copies. Logs: $ODOO_TEST_LOGDIR
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
  for d in "$db" "${db}_demo" "${db}_wheel" "${db}_load"; do
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
# The printed forms (tests/test_reports.py) need wkhtmltopdf, a Chinese font and pdftotext
# (Debian: wkhtmltopdf fonts-noto-cjk poppler-utils): installed here when missing and root,
# else their tests are left out, loudly.
report_tools_missing() {
  local missing=()
  command -v wkhtmltopdf >/dev/null 2>&1 || missing+=("wkhtmltopdf")
  if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    missing+=("a CJK font (fonts-noto-cjk)")
  fi
  command -v pdftotext >/dev/null 2>&1 || missing+=("pdftotext (poppler-utils)")
  local joined
  joined="$(printf '%s, ' "${missing[@]}")"
  echo "${joined%, }"
}
report_missing="$(report_tools_missing)"
if [ -n "$report_missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the printed forms need ($report_missing): apt-get install -y wkhtmltopdf fonts-noto-cjk poppler-utils"
  { apt-get install -y wkhtmltopdf fonts-noto-cjk poppler-utils \
    || { apt-get update && apt-get install -y wkhtmltopdf fonts-noto-cjk poppler-utils; }; } \
    >/tmp/aftersales-report-tools.log 2>&1
  report_missing="$(report_tools_missing)"
fi
if [ -n "$report_missing" ]; then
  banner "PRINTED FORMS SKIPPED: missing $report_missing." \
    "apt-get install wkhtmltopdf fonts-noto-cjk poppler-utils (as root) to render and check the PDFs;" \
    "the other Odoo tests run, those of tests/test_reports.py do not."
  tags="$tags,-/odoo_addon_aftersales:TestPrintedForms"
fi
odoo -d "$db" -i odoo_addon_aftersales --test-enable --test-tags "$tags" \
  --log-level=test --without-demo=all >"$log" 2>&1 || rc=1
load_log="$logdir/load.log"
: >"$load_log"
if [ "${ODOO_TEST_LOAD:-1}" != "0" ]; then
  # Load test (benchmarks/odoo_load.py, small): 2 JSON-RPC clients x 10 cycles of complaint ->
  # return -> receipt -> routing against Odoo --workers=2, on a copy of the test database.
  # Its checks (no lost record, no repeated number, no client error, no serialization
  # failure reaching a client) count in the closing line. ODOO_TEST_LOAD=0 skips it.
  echo "Load test: 2 clients x 10 cycles against Odoo --workers=2 (log: $load_log)"
  if copy_db "$db" "${db}_load"; then
    env -u LOAD_PORT -u LOAD_GEVENT_PORT LOAD_DB="${db}_load" LOAD_CLIENTS=2 LOAD_CYCLES=10 LOAD_WORKERS=2 \
      LOAD_LOGDIR="$logdir/load" ODOO_BIN="$odoo_bin" ODOO_PYTHON="$odoo_py" \
      bash "$here/tools/run-odoo-load.sh" >"$load_log" 2>&1 || rc=1
  else
    rc=1
  fi
  grep -q "^aftersales-load: " "$load_log" || echo "aftersales-load: 0 passed, 1 failed (no result)" >>"$load_log"
  grep -E "^(aftersales-load|check |  client error|  lost|  duplicate|[0-9]+ of [0-9]+ cycles)" "$load_log"
  dropdb -U "$db_user" --if-exists "${db}_load" >/dev/null 2>&1
  rm -rf "${filestore:?}/${db}_load"
fi
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

# --- Installed from wheels (docs/odoo.md, "Install from wheels") -----------------------
# The core's wheel and the addon's (whool) go into a fresh virtualenv beside Odoo, and the
# module is installed from them into a new database: the addons path holds only Odoo's
# own addons, never this repository, and Odoo finds the module under the venv's
# site-packages/odoo/addons (odoo.addons is a namespace package). The venv sees Odoo's
# Python packages through a .pth file naming the Odoo venv's site-packages. The module's
# TestReturn runs from the installed wheel; the step's log is counted in the summary.
if [ "${ODOO_TEST_WHEELS:-1}" != "0" ]; then
  wlog="$logdir/test-wheel.log"
  wdb="${db}_wheel"
  wvenv="$logdir/wheel-venv"
  dist="$logdir/dist"
  echo "Installing it from wheels in a fresh virtualenv (log: $wlog)"
  (
    set -e
    devpy="${AFTERSALES_DEV_PYTHON:-$here/.venv/bin/python}"
    rm -rf "$dist" "$wvenv"
    if [ -x "$devpy" ] && "$devpy" -c "import build, whool, setuptools" 2>/dev/null; then
      "$devpy" -m build --wheel --no-isolation --outdir "$dist" "$here"
      "$devpy" -m build --wheel --no-isolation --outdir "$dist" "$here/odoo_addon_aftersales"
    else  # no dev venv (make install): isolated builds, whool and setuptools from PyPI
      "$odoo_py" -m pip wheel --quiet --no-deps --wheel-dir "$dist" "$here" "$here/odoo_addon_aftersales"
    fi
    core_whl=$(ls "$dist"/aftersales_core-*.whl)
    addon_whl=$(ls "$dist"/odoo_addon_odoo_addon_aftersales-*.whl)
    echo "wheels: $(basename "$core_whl") $(basename "$addon_whl")"
    "$odoo_py" -m venv "$wvenv"
    wpy="$wvenv/bin/python"
    odoo_site=$("$odoo_py" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    "$wpy" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" | {
      read -r wsite; echo "$odoo_site" >"$wsite/odoo_venv_packages.pth"; }
    # Nothing from an index: the core's requirements are met by Odoo's venv; the addon's
    # `odoo` requirement by Odoo from source, which is no installed distribution (--no-deps).
    "$wpy" -m pip install --quiet --disable-pip-version-check --no-index "$core_whl"
    "$wpy" -m pip install --quiet --disable-pip-version-check --no-index --no-deps "$addon_whl"
    "$wpy" - <<'PY'
import importlib.metadata as md
import sys
req = md.distribution("odoo-addon-odoo_addon_aftersales").requires
missing = [r for r in req if not r.startswith("odoo") and not any(
    d.metadata["Name"].lower().replace("_", "-") == r.split()[0].lower().replace("_", "-")
    for d in md.distributions())]
print("addon wheel requires:", ", ".join(req), "| missing:", missing or "none")
sys.exit(1 if missing else 0)
PY
    if [ -x "$here/.venv/bin/manifestoo" ]; then  # the dependency tree against Odoo's addons
      mf=("$here/.venv/bin/manifestoo" --no-addons-path-from-import-odoo
          --addons-path "$odoo_src/addons,$odoo_src/odoo/addons" --select-addons-dir "$here"
          --select odoo_addon_aftersales)
      "${mf[@]}" tree
      test -z "$("${mf[@]}" list-missing)"
      "${mf[@]}" check-licenses
      "${mf[@]}" check-dev-status
      echo "manifestoo: tree, nothing missing, licenses and development status ok"
    fi
    copy_db "$tmpl" "$wdb"
    cd "$logdir"  # not the repository
    "$wpy" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user" --http-port="$port" \
      --addons-path="$odoo_src/addons,$odoo_src/odoo/addons" --stop-after-init -d "$wdb" \
      -i odoo_addon_aftersales --test-enable --test-tags /odoo_addon_aftersales:TestReturn \
      --log-level=test --without-demo=all
    "$wpy" "$odoo_bin" shell -d "$wdb" --db_host="$PGHOST" --db_user="$db_user" --http-port="$port" \
      --addons-path="$odoo_src/addons,$odoo_src/odoo/addons" --log-level=warn <<'PY' || true
import aftersales_core
from odoo.modules.module import get_module_path
state = env["ir.module.module"].search([("name", "=", "odoo_addon_aftersales")]).state
print(f"wheel: state={state} module={get_module_path('odoo_addon_aftersales')} core={aftersales_core.__file__}")
PY
  ) >"$wlog" 2>&1 || rc=1
  # installed, from the wheel venv's site-packages (module and core), not from the repository
  if ! grep -qE "^wheel: state=installed module=$wvenv/lib/[^ ]+/site-packages/odoo/addons/odoo_addon_aftersales core=$wvenv/lib/" "$wlog"; then
    echo "Install from wheels FAILED:"; grep -E "^wheel:|Error|ERROR" "$wlog" | tail -20; rc=1
  fi
  dropdb -U "$db_user" --if-exists "$wdb" >/dev/null 2>&1; rm -rf "${filestore:?}/$wdb" "$wvenv"
  logs+=("$wlog")
fi
# --- end of the wheels step ------------------------------------------------------------
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

"$odoo_py" "$here/tools/odoo_test_summary.py" "${logs[@]}" "$load_log"
summary=$?
if [ $rc -ne 0 ] || [ $summary -ne 0 ]; then
  echo "Odoo tests FAILED (odoo-bin exit $rc); logs in $logdir"
  exit 1
fi
echo "Odoo tests passed; logs in $logdir"
exit 0
