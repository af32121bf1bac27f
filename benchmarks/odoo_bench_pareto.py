# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R23 benchmark: the repair Pareto of the SQL view over N repair lines against a
hand-written GROUP BY over ``repair_order`` joined to the return lines.

Run inside ``odoo-bin shell`` on a database with the module installed (``env`` given):

    odoo-bin shell -d DB < benchmarks/odoo_bench_pareto.py

(``make bench-odoo`` does it on a fresh database.) It builds real documents first, with
the ORM: a customer, 20 products sold and delivered to it (20 done delivery moves), 20
failure modes and one repair order (whose picking type and locations every benchmark
row copies). Then one SQL ``INSERT ... SELECT`` per table adds N/5 customer returns, N
return lines (5 per return, each against one of the delivered moves, with a failure mode;
one in 50 unclassified) and N repair orders (one per return line, linked by
``aftersales_line_id``; one in 20 cancelled), filling every NOT NULL column of the
tables (default N = 1,000,000; ``AFTERSALES_BENCH_LINES`` overrides). After ``ANALYZE``
it times, best of 5, the view's Pareto (``aftersales_pareto``, kind ``repair``) and the
hand-written ``GROUP BY`` in the same database, asserts that both give the same
quantities per failure mode, and prints the figures. Nothing is committed: the
transaction is rolled back at the end.
"""

# ruff: noqa: F821  (``env`` is provided by odoo-bin shell)
import os
import sys
import time

N = int(os.environ.get("AFTERSALES_BENCH_LINES", "1000000"))
LINES_PER_RETURN = 5
cr = env.cr
company = env.company
# A delivery without payment: order processing (R14) would hold it; not measured here.
company.aftersales_order_processing = False
partner = env["res.partner"].create({"name": "Bench customer", "email": "bench@example.com"})
products = env["product.product"].create(
    [{"name": f"Bench unit {i:02d}", "type": "consu", "is_storable": True, "list_price": 100.0}
     for i in range(20)]
)
stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
for product in products:
    env["stock.quant"]._update_available_quantity(product, stock, 10)
order = env["sale.order"].create(
    {"partner_id": partner.id,
     "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": 1}) for p in products]}
)
order.action_confirm()
picking = order.picking_ids
for move in picking.move_ids:
    move.quantity = move.product_uom_qty
picking.move_ids.picked = True
picking.button_validate()
moves = picking.move_ids
assert len(moves) == 20 and set(moves.mapped("state")) == {"done"}, moves.mapped("state")
categories = env["aftersales.failure.category"].create(
    [{"name": f"Bench mode {i:02d}"} for i in range(20)]
)
template = env["repair.order"].create({"partner_id": partner.id, "product_id": products[0].id})
env.flush_all()

# Returns: N / 5, received and in repair, as the R1 routing leaves them.
cr.execute(
    """
    INSERT INTO aftersales_return
        (name, company_id, partner_id, user_id, purpose, state, priority, reason, route,
         under_warranty, requested_at, create_uid, create_date, write_uid, write_date)
    SELECT 'BENCH/' || g, %(company)s, %(partner)s, %(uid)s, 'repair', 'in_repair', '0',
           'bench', 'repair', g %% 3 > 0, now() - (g %% 365) * interval '1 day',
           %(uid)s, now(), %(uid)s, now()
      FROM generate_series(1, %(n)s) AS g
    """,
    {"company": company.id, "partner": partner.id, "uid": env.uid, "n": N // LINES_PER_RETURN},
)
# Return lines: 5 per return, each against a delivered move and with a failure mode
# (skewed, so that the Pareto has a few vital ones); one in 50 without a failure mode.
cr.execute(
    """
    INSERT INTO aftersales_return_line
        (return_id, company_id, move_id, product_id, sale_line_id, product_class, quantity,
         received_quantity, under_warranty, problem, category_id,
         create_uid, create_date, write_uid, write_date)
    SELECT r.id, r.company_id, m.id, m.product_id, m.sale_line_id, 'host', 1, 1,
           r.under_warranty, 'bench failure',
           CASE WHEN (r.id * 5 + k) %% 50 = 0 THEN NULL
                ELSE (%(categories)s::int[])[1 + floor(20 * power(((r.id * 5 + k)::bigint * 7919 %% 1000) / 1000.0, 2))::int] END,
           r.create_uid, r.create_date, r.create_uid, r.create_date
      FROM aftersales_return r
     CROSS JOIN generate_series(1, %(per)s) AS k
      JOIN stock_move m ON m.id = (%(moves)s::int[])[1 + (r.id + k) %% 20]
     WHERE r.reason = 'bench' AND r.company_id = %(company)s
    """,
    {"categories": categories.ids, "moves": moves.ids, "per": LINES_PER_RETURN,
     "company": company.id},
)
# Repair orders: one per return line, linked to it; their picking type and locations
# are those Odoo gave the template repair order; one in 20 cancelled.
cr.execute(
    """
    INSERT INTO repair_order
        (name, company_id, state, priority, partner_id, user_id, product_id, product_qty,
         product_uom, picking_type_id, location_id, product_location_src_id,
         product_location_dest_id, location_dest_id, parts_location_id, recycle_location_id,
         schedule_date, under_warranty,
         aftersales_return_id, aftersales_line_id,
         create_uid, create_date, write_uid, write_date)
    SELECT 'BENCH/RO/' || l.id, t.company_id,
           CASE WHEN l.id %% 20 = 0 THEN 'cancel' WHEN l.id %% 3 = 0 THEN 'done' ELSE 'under_repair' END,
           '0', t.partner_id, t.user_id, l.product_id, l.quantity, t.product_uom,
           t.picking_type_id, t.location_id, t.product_location_src_id,
           t.product_location_dest_id, t.location_dest_id, t.parts_location_id,
           t.recycle_location_id, l.create_date, l.under_warranty,
           l.return_id, l.id, l.create_uid, l.create_date, l.create_uid, l.create_date
      FROM aftersales_return_line l
      JOIN aftersales_return r ON r.id = l.return_id
     CROSS JOIN repair_order t
     WHERE t.id = %(template)s AND r.reason = 'bench' AND r.company_id = %(company)s
    """,
    {"template": template.id, "company": company.id},
)
repairs = cr.rowcount
for table in ("aftersales_return", "aftersales_return_line", "repair_order"):
    cr.execute(f"ANALYZE {table}")

VIEW = """SELECT category, count FROM aftersales_pareto
           WHERE company_id = %s AND kind = 'repair' ORDER BY rank"""
HAND = """SELECT l.category_id, SUM(ro.product_qty) AS n
            FROM repair_order ro
            JOIN aftersales_return_line l ON l.id = ro.aftersales_line_id
           WHERE ro.company_id = %s AND ro.state != 'cancel'
           GROUP BY l.category_id ORDER BY n DESC"""


def best(sql):
    """The best of 5 runs (seconds) and the rows of the last."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        cr.execute(sql, (company.id,))
        rows = cr.fetchall()
        times.append(time.perf_counter() - start)
    return min(times), rows


if os.environ.get("AFTERSALES_BENCH_EXPLAIN"):
    for sql in (VIEW, HAND):
        cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, (company.id,))
        print("\n".join(row[0] for row in cr.fetchall()), "\n")
best(VIEW)  # warm the caches for both
view_s, view_rows = best(VIEW)
hand_s, hand_rows = best(HAND)
names = {c.id: c.name for c in categories}
hand = {names.get(cid, "unclassified"): int(n) for cid, n in hand_rows}
view = dict(view_rows)
assert view == hand, f"the view and the GROUP BY disagree:\n{view}\n{hand}"
assert [c for _n, c in view_rows] == sorted((c for _n, c in view_rows), reverse=True)
print(f"Pareto over {repairs:,} repair orders ({N // LINES_PER_RETURN:,} returns, "
      f"{N:,} return lines; {len(view)} failure modes): view {view_s * 1000:.0f} ms, "
      f"hand-written GROUP BY {hand_s * 1000:.0f} ms, ratio {view_s / hand_s:.2f} "
      f"(best of 5)")
cr.rollback()
sys.stdout.flush()
os._exit(0)
