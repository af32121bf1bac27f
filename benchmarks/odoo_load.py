"""Load benchmark of the Odoo module: JSON-RPC clients against a multi-worker Odoo.

Run it with the Python of Odoo's virtualenv (it needs only the standard library; it
starts ``odoo-bin`` itself), on a database where ``odoo_addon_aftersales`` is installed
and nothing else runs (``tools/run-odoo-load.sh`` makes a fresh copy of the template
and installs the module; ``make bench-odoo-load``)::

    python benchmarks/odoo_load.py --db NAME --clients 8 --cycles 250 --workers 4

1. Setup (``odoo-bin shell``): per client an after-sales user, a salesperson and a
   warehouse user (real groups, real passwords), a customer and a delivered, invoiced
   sale order of ``cycles`` units of a host product.
2. Odoo starts with ``--workers=N`` on 127.0.0.1 (``--http-port``, ``--gevent-port``).
3. Each client is a process with its own sessions (``/web/session/authenticate``) and
   runs ``cycles`` cycles through ``/web/dataset/call_kw``, calling the module's public
   buttons as an integration would:

   complaint  create ticket, action_record, action_assess, write resolution,
              action_request_return, action_create_return (after-sales user)
   return     action_submit, action_accept (salesperson)
   receipt    read the return picking, write its move quantities, button_validate
              (warehouse user); validating it receives the goods and routes the return
   routing    read the return: state in_repair, one repair order (after-sales user)

4. Report: throughput (cycles/s), p50/p95 latency per call and per cycle, the RSS of
   every Odoo worker process (peak, sampled from /proc), Odoo's own retries of
   serialization failures (its log).
5. Checks, on the end state read in ``odoo-bin shell`` after the server stopped:
   ``lost``: every cycle's ticket, return, done receipt and repair order exist, linked,
   in the expected states, and nothing else was made; ``duplicates``: no number (name of
   ticket, return, picking, repair order) repeats; ``client_errors``: no call failed;
   ``serialization``: no serialization failure (nor lock or deadlock error) reached a
   client (Odoo retries those itself). Closing line ``aftersales-load: N passed, M
   failed``; the exit status is 1 on any failure.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

SETUP = r"""
import json, os
from odoo import Command
clients = int(os.environ["LOAD_CLIENTS"]); cycles = int(os.environ["LOAD_CYCLES"])
company = env.company
company.aftersales_order_processing = False  # unpaid orders deliver (as in the module tests)
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
cat = env["product.category"].create({"name": "Load gauges", "aftersales_product_class": "host"})
product = env["product.product"].create({
    "name": "Load gauge", "type": "consu", "is_storable": True, "categ_id": cat.id,
    "list_price": 100.0, "standard_price": 60.0, "invoice_policy": "delivery",
})
# Stock comes in by an inventory adjustment (a done move with its valuation layer), as in a
# real database: quants made without a move would leave negative valuation layers behind
# the deliveries, and every return receipt would then update those same rows (Odoo's
# FIFO vacuum), a hot spot of the set-up, not of the module.
quant = env["stock.quant"].with_context(inventory_mode=True).create({
    "product_id": product.id, "location_id": warehouse.lot_stock_id.id,
    "inventory_quantity": clients * cycles,
})
quant.action_apply_inventory()
grp = "odoo_addon_aftersales.group_aftersales_"
groups = {
    "as": [grp + "user", "stock.group_stock_user"],
    "sales": ["sales_team.group_sale_salesman", "stock.group_stock_user"],
    "wh": ["stock.group_stock_user"],
}
out = {"product_id": product.id, "clients": []}
for i in range(clients):
    logins = {}
    for role, xmlids in groups.items():
        login = f"load_{role}_{i}"
        env["res.users"].with_context(no_reset_password=True).create({
            "name": f"Load {role} {i}", "login": login, "password": login + "-pw-2026",
            "email": login + "@load.example",
            "groups_id": [Command.set([env.ref(x).id for x in xmlids + ["base.group_user"]])],
        })
        logins[role] = login
    customer = env["res.partner"].create({"name": f"Load customer {i}", "email": f"c{i}@load.example"})
    order = env["sale.order"].create({
        "partner_id": customer.id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": cycles})],
    })
    order.action_confirm()
    picking = order.picking_ids
    picking.move_ids.quantity = cycles
    picking.move_ids.picked = True
    picking.button_validate()
    order._create_invoices().action_post()
    out["clients"].append({"logins": logins, "customer_id": customer.id, "order_id": order.id})
env.cr.commit()
print("LOADSETUP " + json.dumps(out))
"""

CHECK = r"""
import json, os
expected = json.load(open(os.environ["LOAD_EXPECTED"]))
product = env["product.product"].browse(expected["product_id"])
problems = []
tickets = env["aftersales.ticket"].search([("product_id", "=", product.id)])
returns = env["aftersales.return"].search([("line_ids.product_id", "=", product.id)])
want = {c["ticket_id"]: c for c in expected["cycles"]}
if set(tickets.ids) != set(want):
    problems.append(f"tickets: {len(tickets)} in the database, {len(want)} made by the clients")
for ticket in tickets.filtered(lambda t: t.id in want):
    c = want[ticket.id]
    ret = ticket.return_ids
    if ticket.name != c["ticket_name"] or len(ret) != 1 or ret.id != c["return_id"]:
        problems.append(f"{ticket.name}: returns {ret.mapped('name')}, expected {c['return_name']}")
        continue
    receipts = ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
    if ret.state != "in_repair" or len(receipts) != 1 or receipts.state != "done" or len(ret.repair_ids) != 1:
        problems.append(f"{ret.name}: state {ret.state}, receipts {receipts.mapped('state')}, "
                        f"repairs {len(ret.repair_ids)}")
if len(returns) != len(want):
    problems.append(f"returns: {len(returns)} in the database, {len(want)} made by the clients")
dups = {}
for table in ("aftersales_ticket", "aftersales_return", "stock_picking", "repair_order"):
    env.cr.execute(f"SELECT name, count(*) FROM {table} GROUP BY name HAVING count(*) > 1")
    rows = env.cr.fetchall()
    if rows:
        dups[table] = rows[:10]
names = {
    "tickets": len(set(tickets.mapped("name"))),
    "returns": len(set(returns.mapped("name"))),
    "receipts": len(returns.picking_ids),
    "repairs": len(returns.repair_ids),
}
print("LOADCHECK " + json.dumps({"problems": problems[:50], "lost": len(problems), "duplicates": dups,
                                 "counts": names}))
"""

RETRY_MARKERS = ("SerializationFailure", "could not serialize", "LockNotAvailable",
                 "could not obtain lock", "DeadlockDetected", "deadlock detected",
                 "SERIALIZATION_FAILURE", "LOCK_NOT_AVAILABLE", "DEADLOCK_DETECTED")


class RpcError(Exception):
    """A JSON-RPC error answer: ``name`` is Odoo's exception class."""

    def __init__(self, name: str, message: str, debug: str):
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.debug = name, message, debug


class Session:
    """One logged-in user of the web client (its own cookie jar)."""

    def __init__(self, base: str, db: str, login: str, password: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self._post("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def _post(self, path: str, params: dict):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        req = urllib.request.Request(self.base + path, body, {"Content-Type": "application/json"})
        with self.opener.open(req, timeout=600) as resp:
            answer = json.loads(resp.read())
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise RpcError(data.get("name", "?"), data.get("message", str(answer["error"])), data.get("debug", ""))
        return answer["result"]

    def call(self, model: str, method: str, args: list, kwargs: dict | None = None):
        return self._post(f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": args, "kwargs": kwargs or {}})


def client(index: int, conf: dict, setup: dict, queue) -> None:
    """One client process: ``cycles`` cycles; puts its timings, errors and records on the queue."""
    me = setup["clients"][index]
    base, db = conf["base"], conf["db"]
    users = {role: Session(base, db, login, login + "-pw-2026") for role, login in me["logins"].items()}
    calls: dict[str, list[float]] = {}
    cycle_times: list[float] = []
    errors: list[dict] = []
    made: list[dict] = []

    def timed(role, name, model, method, args, kwargs=None):
        start = time.perf_counter()
        result = users[role].call(model, method, args, kwargs)
        calls.setdefault(name, []).append(time.perf_counter() - start)
        return result

    for n in range(conf["cycles"]):
        start = time.perf_counter()
        step = "ticket.create"
        try:
            tid = timed("as", step, "aftersales.ticket", "create", [{
                "partner_id": me["customer_id"], "product_id": setup["product_id"],
                "sale_order_id": me["order_id"], "quantity": 1,
                "description": f"Client {index} cycle {n}: reads zero.", "cause": "product_quality",
            }])
            for step in ("action_record", "action_assess"):
                timed("as", f"ticket.{step}", "aftersales.ticket", step, [[tid]])
            step = "ticket.write"
            timed("as", step, "aftersales.ticket", "write", [[tid], {"resolution": "return_for_repair"}])
            for step in ("action_request_return", "action_create_return"):
                action = timed("as", f"ticket.{step}", "aftersales.ticket", step, [[tid]])
            rid = action["res_id"]
            for step in ("action_submit", "action_accept"):
                timed("sales", f"return.{step}", "aftersales.return", step, [[rid]])
            step = "return.read"
            picking_ids = timed("wh", step, "aftersales.return", "read", [[rid], ["picking_ids"]])[0]["picking_ids"]
            step = "picking.read"
            move_ids = [m for p in timed("wh", step, "stock.picking", "read", [picking_ids, ["move_ids"]])
                        for m in p["move_ids"]]
            step = "move.write"
            timed("wh", step, "stock.move", "write", [move_ids, {"quantity": 1, "picked": True}])
            step = "picking.button_validate"
            answer = timed("wh", step, "stock.picking", "button_validate", [picking_ids])
            if answer is not True:
                raise RpcError("unexpected", f"button_validate answered {answer!r}", "")
            step = "routing.read"
            ret = timed("as", step, "aftersales.return", "read", [[rid], ["name", "state", "repair_ids"]])[0]
            tname = timed("as", "ticket.read", "aftersales.ticket", "read", [[tid], ["name"]])[0]["name"]
            if ret["state"] != "in_repair" or len(ret["repair_ids"]) != 1:
                raise RpcError("unexpected", f"{ret['name']}: {ret['state']}, repairs {ret['repair_ids']}", "")
            made.append({"ticket_id": tid, "ticket_name": tname, "return_id": rid, "return_name": ret["name"]})
            cycle_times.append(time.perf_counter() - start)
        except Exception as exc:  # every failure is counted and reported
            text = f"{getattr(exc, 'name', type(exc).__name__)}: {getattr(exc, 'message', exc)}"
            debug = getattr(exc, "debug", "")
            errors.append({"client": index, "cycle": n, "call": step, "error": text[:500],
                           "serialization": any(m in text or m in debug for m in RETRY_MARKERS)})
    queue.put({"calls": calls, "cycles": cycle_times, "errors": errors, "made": made})


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (Odoo's HTTP and gevent workers)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    out.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return out


def rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def shell(args, script: str, env: dict) -> str:
    cmd = [args.python, args.odoo_bin, "shell", "-d", args.db, "--db_host", args.db_host,
           "--db_user", args.db_user, "--addons-path", args.addons_path, "--no-http", "--log-level=warn"]
    done = subprocess.run(cmd, input=script, capture_output=True, text=True, env={**os.environ, **env}, check=False)
    return done.stdout + done.stderr


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--clients", type=int, default=int(os.environ.get("LOAD_CLIENTS", 8)))
    p.add_argument("--cycles", type=int, default=int(os.environ.get("LOAD_CYCLES", 250)))
    p.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 4)))
    p.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 18201)))
    p.add_argument("--gevent-port", type=int, default=int(os.environ.get("LOAD_GEVENT_PORT", 18202)))
    p.add_argument("--odoo-bin", default=os.environ.get("ODOO_BIN", "/opt/odoo18/src/odoo-bin"))
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--addons-path", required=True)
    p.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    p.add_argument("--db-user", default=os.environ.get("ODOO_DB_USER", "root"))
    p.add_argument("--logdir", default="/tmp")
    p.add_argument("--json", help="write the figures to this file")
    args = p.parse_args()
    os.makedirs(args.logdir, exist_ok=True)

    print(f"Load: {args.clients} clients x {args.cycles} cycles, Odoo --workers={args.workers}, "
          f"database {args.db}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    t0 = time.perf_counter()
    out = shell(args, SETUP, {"LOAD_CLIENTS": str(args.clients), "LOAD_CYCLES": str(args.cycles)})
    line = next((ln for ln in out.splitlines() if ln.startswith("LOADSETUP ")), None)
    if line is None:
        print(out[-4000:])
        print("aftersales-load: 0 passed, 1 failed (setup)")
        return 1
    setup = json.loads(line[len("LOADSETUP "):])
    print(f"Setup: {time.perf_counter() - t0:.1f} s", flush=True)

    server_log = os.path.join(args.logdir, "load-server.log")
    server = subprocess.Popen(
        [args.python, args.odoo_bin, "-d", args.db, "--db-filter", f"^{args.db}$", "--db_host", args.db_host,
         "--db_user", args.db_user, "--addons-path", args.addons_path, f"--workers={args.workers}",
         "--max-cron-threads=0", "--http-interface=127.0.0.1", f"--http-port={args.port}",
         f"--gevent-port={args.gevent_port}", "--limit-time-cpu=600", "--limit-time-real=1200",
         "--limit-request=100000", f"--logfile={server_log}", "--log-level=warn",
         "--log-handler=odoo.service.model:INFO"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/web/health", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            print("Odoo did not answer /web/health; log:", server_log)
            print("aftersales-load: 0 passed, 1 failed (server)")
            return 1

        peaks: dict[int, float] = {}
        kinds: dict[int, str] = {}
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                for pid in children(server.pid):
                    rss = rss_mib(pid)
                    if rss is not None:
                        peaks[pid] = max(peaks.get(pid, 0.0), rss)
                    if pid not in kinds:
                        try:
                            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                                kinds[pid] = "gevent" if b"\0gevent\0" in fh.read() else "http"
                        except OSError:
                            kinds[pid] = "?"
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        queue = multiprocessing.Queue()
        conf = {"base": base, "db": args.db, "cycles": args.cycles}
        procs = [multiprocessing.Process(target=client, args=(i, conf, setup, queue)) for i in range(args.clients)]
        start = time.perf_counter()
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
        elapsed = time.perf_counter() - start
        stop.set()
        sampler.join()
        final_rss = {pid: rss_mib(pid) for pid in children(server.pid)}
        main_rss = rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    calls: dict[str, list[float]] = {}
    for res in results:
        for name, values in res["calls"].items():
            calls.setdefault(name, []).extend(values)
    cycle_times = [t for res in results for t in res["cycles"]]
    errors = [e for res in results for e in res["errors"]]
    made = [m for res in results for m in res["made"]]
    with open(server_log, encoding="utf-8", errors="replace") as log:
        server_text = log.read()
    retries = sum(server_text.count(m + ", ") for m in ("SERIALIZATION_FAILURE", "LOCK_NOT_AVAILABLE", "DEADLOCK_DETECTED"))
    gave_up = server_text.count("maximum number of tries reached")

    expected_path = os.path.join(args.logdir, "load-expected.json")
    with open(expected_path, "w") as fh:
        json.dump({"product_id": setup["product_id"], "cycles": made}, fh)
    out = shell(args, CHECK, {"LOAD_EXPECTED": expected_path})
    line = next((ln for ln in out.splitlines() if ln.startswith("LOADCHECK ")), None)
    check = json.loads(line[len("LOADCHECK "):]) if line else {"problems": [out[-2000:]], "lost": 1, "duplicates": {"check": "did not run"}}

    total_calls = sum(len(v) for v in calls.values())
    print(f"\n{len(cycle_times)} of {args.clients * args.cycles} cycles in {elapsed:.1f} s: "
          f"{len(cycle_times) / elapsed:.2f} cycles/s, {total_calls / elapsed:.1f} calls/s")
    print(f"{'call':32} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, values in calls.items():
        print(f"{name:32} {len(values):6d} {percentile(values, .5) * 1000:9.1f} "
              f"{percentile(values, .95) * 1000:9.1f} {max(values) * 1000:9.1f}")
    print(f"{'cycle':32} {len(cycle_times):6d} {percentile(cycle_times, .5) * 1000:9.1f} "
          f"{percentile(cycle_times, .95) * 1000:9.1f} {max(cycle_times or [0]) * 1000:9.1f}")
    alive = {pid: peaks.get(pid, 0.0) for pid in final_rss}
    gone = sorted(v for pid, v in peaks.items() if pid not in final_rss)
    print("Odoo worker processes at the end (peak RSS / RSS now, MiB): " + ", ".join(
        f"{kinds.get(pid, '?')} {alive[pid]:.0f}/{final_rss[pid] or 0:.0f}" for pid in sorted(alive))
        + f"; main process {main_rss or 0:.0f} MiB")
    if gone:
        print(f"  {len(gone)} more child processes came and went (peak RSS up to {max(gone):.0f} MiB; one"
              " that keeps restarting is the gevent worker failing to start, which the JSON-RPC"
              " clients do not use: see odoo-bin gevent's own error)")
    print(f"Serialization/lock retries inside Odoo: {retries} (given up: {gave_up}); "
          f"load average now {os.getloadavg()[0]:.2f}")
    print(f"End state: {check.get('counts')}")

    serialization = [e for e in errors if e["serialization"]]
    checks = {
        "cycles": len(cycle_times) == args.clients * args.cycles,
        "lost": check["lost"] == 0,
        "duplicates": not check["duplicates"],
        "client_errors": not errors,
        "serialization": not serialization and not gave_up,
    }
    for error in errors[:20]:
        print(f"  client error: {error}")
    for problem in check["problems"][:20]:
        print(f"  lost: {problem}")
    for table, rows in check["duplicates"].items():
        print(f"  duplicate numbers in {table}: {rows}")
    for name, ok in checks.items():
        print(f"check {name}: {'ok' if ok else 'FAILED'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({
                "clients": args.clients, "cycles": args.cycles, "workers": args.workers,
                "elapsed_s": elapsed, "cycles_per_s": len(cycle_times) / elapsed,
                "calls": {k: {"n": len(v), "p50": percentile(v, .5), "p95": percentile(v, .95)} for k, v in calls.items()},
                "cycle": {"p50": percentile(cycle_times, .5), "p95": percentile(cycle_times, .95)},
                "worker_peak_rss_mib": {f"{kinds.get(pid, '?')}-{pid}": v for pid, v in peaks.items()}, "retries": retries, "checks": checks,
                "errors": errors[:50], "end_state": check,
            }, fh, indent=1)
    failed = sum(not ok for ok in checks.values())
    print(f"aftersales-load: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
