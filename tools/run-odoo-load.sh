#!/usr/bin/env bash
# The Odoo load benchmark (benchmarks/odoo_load.py): a fresh copy of the test template
# with the module installed, Odoo in multi-worker mode on loopback, JSON-RPC clients.
# Finds Odoo as run-odoo-bench.sh ($ODOO_BIN, $ODOO_PYTHON, else /opt/odoo18).
# Size: LOAD_CLIENTS (8), LOAD_CYCLES (250), LOAD_WORKERS (4); ports LOAD_PORT /
# LOAD_GEVENT_PORT (default: free ones). LOAD_DB=NAME runs on that existing database
# (the module installed) instead of a fresh copy. Logs: $LOAD_LOGDIR (default
# /tmp/aftersales-odoo-load). Closing line `aftersales-load: N passed, M failed`.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export PGHOST="${PGHOST:-127.0.0.1}"
db_user="${ODOO_DB_USER:-root}"
odoo_bin="${ODOO_BIN:-/opt/odoo18/src/odoo-bin}"
odoo_py="${ODOO_PYTHON:-/opt/odoo18/venv/bin/python}"
if [ ! -f "$odoo_bin" ] || [ ! -x "$odoo_py" ]; then
  echo "Odoo load benchmark SKIPPED: no Odoo at $odoo_bin (set ODOO_BIN / ODOO_PYTHON; see docs/odoo.md)."
  exit 0
fi
odoo_src="$(cd "$(dirname "$odoo_bin")" && pwd)"
addons="$odoo_src/addons,$odoo_src/odoo/addons,$here"
logdir="${LOAD_LOGDIR:-/tmp/aftersales-odoo-load}"
mkdir -p "$logdir"
free_port() { "$odoo_py" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
port="${LOAD_PORT:-$(free_port)}"
gevent_port="${LOAD_GEVENT_PORT:-$(free_port)}"

db="${LOAD_DB:-}"
if [ -z "$db" ]; then
  "$odoo_py" -m pip install --quiet --disable-pip-version-check "pydantic>=2.6,<3" >/dev/null 2>&1
  "$odoo_py" -m pip install --quiet --disable-pip-version-check --no-deps -e "$here" >/dev/null 2>&1
  db="aftersales_load_$$"
  trap 'dropdb -U "$db_user" --if-exists "$db" >/dev/null 2>&1' EXIT
  deps=$("$odoo_py" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$here/odoo_addon_aftersales/__manifest__.py")
  tmpl="aftersales_tmpl_$(echo "$deps $("$odoo_py" "$odoo_bin" --version 2>/dev/null)" | cksum | cut -d' ' -f1)"
  if psql -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$tmpl'" | grep -q 1; then
    createdb -U "$db_user" -T "$tmpl" "$db" || exit 1
  else
    createdb -U "$db_user" "$db" || exit 1
  fi
  echo "Installing odoo_addon_aftersales into $db (log: $logdir/install.log)"
  "$odoo_py" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" -d "$db" \
    -i odoo_addon_aftersales --without-demo=all --stop-after-init --log-level=warn --http-port="$port" \
    >"$logdir/install.log" 2>&1 || { tail -30 "$logdir/install.log"; echo "aftersales-load: 0 passed, 1 failed"; exit 1; }
fi
"$odoo_py" "$here/benchmarks/odoo_load.py" --db "$db" --odoo-bin "$odoo_bin" --python "$odoo_py" \
  --addons-path "$addons" --db-host "$PGHOST" --db-user "$db_user" --port "$port" \
  --gevent-port "$gevent_port" --logdir "$logdir" --json "$logdir/load.json" "$@"
