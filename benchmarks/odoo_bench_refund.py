"""Odoo benchmark: a refund return of N different products, one unit each.

Run inside `odoo-bin shell` on a database with odoo_addon_aftersales installed (see
tools/run-odoo-bench.sh, `make bench-odoo`). For N = 10, 50, 200 it delivers and
invoices one sale order, then measures, in seconds and SQL queries:

- the after-sales module: (1) create and accept the return (the return picking is
  created through Odoo's return wizard), (2) receive and route it (validating the return
  picking runs the core's receive and R1 routing and opens one repair order per line),
  (3) refund: settle with a credit note reversing the invoice for the returned lines,
  posted. The repairs, the stock-in form and the GM's approval between (2) and (3) are
  done but not timed: plain Odoo has no such steps.
- plain Odoo, the least work Odoo itself does for the same job: the return wizard,
  validating the return picking, and reversing the invoice for the returned quantities.

Everything is rolled back after each N.
"""

# ruff: noqa: F821  (``env`` is provided by odoo-bin shell)
import time

SIZES = (10, 50, 200)


def _measure(fn):
    env.flush_all()
    q0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    result = fn()
    env.flush_all()
    return result, time.perf_counter() - t0, env.cr.sql_log_count - q0


def _setup(n):
    company = env.company
    # The stock-in approval needs a general manager (R6); the shell's user becomes one.
    env.user.groups_id |= env.ref("odoo_addon_aftersales.group_aftersales_general_manager")
    company.write(
        {
            "aftersales_return_host_threshold": 100000,
            "aftersales_return_accessory_threshold": 100000,
            # The order being returned was delivered unpaid: order processing (R14) would
            # hold it; the benchmark measures returns, as plain Odoo does them.
            "aftersales_order_processing": False,
        }
    )
    category = env["product.category"].create(
        {"name": "Bench accessories", "aftersales_product_class": "accessory"}
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench part {i}",
                "type": "consu",
                "is_storable": True,
                "categ_id": category.id,
                "list_price": 10.0,
                "invoice_policy": "delivery",
            }
            for i in range(n)
        ]
    )
    stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 2)
    partner = env["res.partner"].create({"name": "Bench customer"})
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": 1}) for p in products],
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    picking.button_validate()
    invoice = order._create_invoices()
    invoice.action_post()
    return partner, order, picking, invoice


def _validate(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    picking.button_validate()


def aftersales(n):
    partner, _order, picking, _invoice = _setup(n)
    out = {}

    def create_and_accept():
        ret = env["aftersales.return"].create(
            {
                "partner_id": partner.id,
                "purpose": "refund",
                "reason": "benchmark",
                "line_ids": [(0, 0, {"move_id": m.id, "quantity": 1}) for m in picking.move_ids],
            }
        )
        ret.action_submit()
        ret.action_accept()
        return ret

    ret, out["create+accept"], out["create+accept q"] = _measure(create_and_accept)
    _r, out["receive+route"], out["receive+route q"] = _measure(lambda: _validate(ret.picking_ids))
    assert ret.state == "in_repair", ret.state
    for repair in ret.repair_ids:
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
    ret.action_finish_repair()
    ret.action_stock_in()
    ret.action_approve_stock_in()
    ret.settlement = "credit_note"
    _r, out["refund"], out["refund q"] = _measure(ret.action_settle)
    assert ret.invoice_ids.state == "posted"
    return out


def plain(n):
    _partner, _order, picking, invoice = _setup(n)
    out = {}

    def create_return():
        wizard = (
            env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1
        return wizard._create_return()

    ret_picking, out["create+accept"], out["create+accept q"] = _measure(create_return)
    _r, out["receive+route"], out["receive+route q"] = _measure(lambda: _validate(ret_picking))

    def refund():
        credit = invoice._reverse_moves([{"ref": "benchmark"}])
        credit.action_post()
        return credit

    _r, out["refund"], out["refund q"] = _measure(refund)
    return out


# An untimed round first, so that neither side pays for cold caches.
for warm in (aftersales, plain):
    warm(5)
    env.cr.rollback()
    env.invalidate_all()

print("Refund return of N products, one unit each: seconds and SQL queries per phase")
print(
    f"{'N':>4} {'phase':<14} {'aftersales s':>12} {'plain s':>9} {'ratio':>6} {'as q':>7} {'plain q':>8} {'q/line':>7}"
)
for n in SIZES:
    a = aftersales(n)
    env.cr.rollback()
    env.invalidate_all()
    p = plain(n)
    env.cr.rollback()
    env.invalidate_all()
    total_a = total_p = 0.0
    total_qa = total_qp = 0
    for phase in ("create+accept", "receive+route", "refund"):
        total_a += a[phase]
        total_p += p[phase]
        total_qa += a[phase + " q"]
        total_qp += p[phase + " q"]
        print(
            f"{n:>4} {phase:<14} {a[phase]:>12.3f} {p[phase]:>9.3f} {a[phase] / p[phase]:>6.2f} "
            f"{a[phase + ' q']:>7} {p[phase + ' q']:>8} {a[phase + ' q'] / n:>7.1f}"
        )
    print(
        f"{n:>4} {'total':<14} {total_a:>12.3f} {total_p:>9.3f} {total_a / total_p:>6.2f} "
        f"{total_qa:>7} {total_qp:>8} {total_qa / n:>7.1f}"
    )

# Leave the shell at once: everything was rolled back, and odoo-bin shell would
# otherwise re-parse its configuration on exit.
import os  # noqa: E402
import sys  # noqa: E402

sys.stdout.flush()
os._exit(0)
