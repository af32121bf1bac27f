# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R23 benchmark: the Pareto SQL view over N failure lines against a hand-written GROUP BY.

Run inside ``odoo-bin shell`` on a database with the module installed (``env`` given):

    odoo-bin shell -d DB < benchmarks/odoo_bench_pareto.py

It inserts N complaints (default 1,000,000; ``AFTERSALES_BENCH_LINES`` overrides) spread
over 20 failure modes with one SQL statement, then times, best of 5, the Pareto of the
view (``SELECT ... FROM aftersales_pareto``) and a hand-written ``GROUP BY`` with the same
window functions' inputs (count per failure mode, sorted), in the same database. Nothing
is committed: the transaction is rolled back at the end.
"""

import os
import time

N = int(os.environ.get("AFTERSALES_BENCH_LINES", "1000000"))
cr = env.cr  # noqa: F821 - given by odoo-bin shell
company = env.company  # noqa: F821
partner = env["res.partner"].create({"name": "Bench customer"})  # noqa: F821
categories = env["aftersales.failure.category"].create(  # noqa: F821
    [{"name": f"Bench mode {i:02d}"} for i in range(20)]
)
ids = categories.ids
cr.execute(
    """
    INSERT INTO aftersales_ticket
        (name, company_id, state, channel, received_at, partner_id, description, quantity,
         similar_defect, category_id)
    SELECT 'BENCH/' || g, %s, 'received', 'phone', now() - (g %% 365) * interval '1 day', %s,
           'bench', 1 + g %% 3, 'untested', (%s::int[])[1 + (g::bigint * g) %% 20]
      FROM generate_series(1, %s) AS g
    """,
    (company.id, partner.id, ids, N),
)
cr.execute("ANALYZE aftersales_ticket")

VIEW = """SELECT category, count, percent, cumulative_percent, vital_few
            FROM aftersales_pareto WHERE company_id = %s AND kind = 'complaint' ORDER BY rank"""
HAND = """SELECT category_id, SUM(quantity) AS n FROM aftersales_ticket
           WHERE company_id = %s AND state NOT IN ('draft', 'cancelled')
           GROUP BY category_id ORDER BY n DESC"""


def best(sql):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        cr.execute(sql, (company.id,))
        rows = cr.fetchall()
        times.append(time.perf_counter() - start)
    return min(times), rows


view_s, view_rows = best(VIEW)
hand_s, hand_rows = best(HAND)
assert [r[1] for r in view_rows] == [r[1] for r in hand_rows], "the view and the GROUP BY disagree"
print(f"Pareto over {N:,} failure lines: view {view_s * 1000:.0f} ms, hand-written GROUP BY "
      f"{hand_s * 1000:.0f} ms, ratio {view_s / hand_s:.2f}")
cr.rollback()
