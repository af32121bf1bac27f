#!/usr/bin/env bash
# The Odoo benchmarks in `odoo-bin shell`, on a fresh copy of the test template with the
# module installed: the refund return against Odoo's own (benchmarks/odoo_bench_refund.py)
# and the R23 repair Pareto over 1,000,000 repair orders against a hand-written GROUP BY
# (benchmarks/odoo_bench_pareto.py; AFTERSALES_BENCH_LINES sets the number). Finds Odoo
# as run-odoo-tests.sh. Each benchmark rolls its data back.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export PGHOST="${PGHOST:-127.0.0.1}"
db_user="${ODOO_DB_USER:-root}"
odoo_bin="${ODOO_BIN:-/opt/odoo18/src/odoo-bin}"
odoo_py="${ODOO_PYTHON:-/opt/odoo18/venv/bin/python}"
if [ ! -f "$odoo_bin" ] || [ ! -x "$odoo_py" ]; then
  echo "Odoo benchmark SKIPPED: no Odoo at $odoo_bin (set ODOO_BIN / ODOO_PYTHON; see docs/odoo.md)."
  exit 0
fi
odoo_src="$(cd "$(dirname "$odoo_bin")" && pwd)"
addons="$odoo_src/addons,$odoo_src/odoo/addons,$here"
"$odoo_py" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$here" >/dev/null 2>&1
db="aftersales_bench_$$"
trap 'dropdb -U "$db_user" --if-exists "$db" >/dev/null 2>&1' EXIT
# Start from the dependency template that tools/run-odoo-tests.sh caches, when it exists.
deps=$("$odoo_py" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$here/odoo_addon_aftersales/__manifest__.py")
tmpl="aftersales_tmpl_$(echo "$deps $("$odoo_py" "$odoo_bin" --version 2>/dev/null)" | cksum | cut -d' ' -f1)"
if psql -U "$db_user" -d postgres -tAc "select 1 from pg_database where datname='$tmpl'" | grep -q 1; then
  createdb -U "$db_user" -T "$tmpl" "$db" || exit 1
else
  createdb -U "$db_user" "$db" || exit 1
fi
"$odoo_py" "$odoo_bin" --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" -d "$db" \
  -i odoo_addon_aftersales --without-demo=all --stop-after-init --log-level=warn --http-port=0 >/tmp/aftersales-bench-install.log 2>&1 || {
  tail -30 /tmp/aftersales-bench-install.log; exit 1; }
"$odoo_py" "$odoo_bin" shell --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" -d "$db" \
  --log-level=warn --no-http < "$here/benchmarks/odoo_bench_refund.py" || exit 1
"$odoo_py" "$odoo_bin" shell --db_host="$PGHOST" --db_user="$db_user" --addons-path="$addons" -d "$db" \
  --log-level=warn --no-http < "$here/benchmarks/odoo_bench_pareto.py"
