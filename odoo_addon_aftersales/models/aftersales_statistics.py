# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R23 statistics on SQL views: failure lines of complaints, returns and repairs, and
their Pareto by failure mode with the cumulative share and the vital few."""

from odoo import fields, models, tools

KINDS = [("complaint", "Complaint"), ("return", "Return"), ("repair", "Repair")]


class AftersalesFailureLine(models.Model):
    """One row per complaint, return line or repair order, by product and failure mode."""

    _name = "aftersales.failure.line"
    _description = "After-sales failure line (statistics)"
    _auto = False
    _order = "date desc"

    kind = fields.Selection(KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    category_id = fields.Many2one("aftersales.failure.category", string="Failure mode", readonly=True)
    quantity = fields.Integer(readonly=True)
    date = fields.Datetime(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, "aftersales_pareto")
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT t.id * 3 AS id, 'complaint' AS kind, t.company_id, t.partner_id,
                       t.product_id, t.category_id, t.quantity, t.received_at AS date
                  FROM aftersales_ticket t
                 WHERE t.state NOT IN ('draft', 'cancelled')
                UNION ALL
                SELECT l.id * 3 + 1, 'return', r.company_id, r.partner_id,
                       l.product_id, l.category_id, l.quantity, r.requested_at
                  FROM aftersales_return_line l
                  JOIN aftersales_return r ON r.id = l.return_id
                 WHERE r.state NOT IN ('draft', 'cancelled', 'refused')
                UNION ALL
                SELECT ro.id * 3 + 2, 'repair', ro.company_id, ro.partner_id,
                       ro.product_id, l.category_id, ro.product_qty::integer, ro.create_date
                  FROM repair_order ro
                  JOIN aftersales_return_line l ON l.id = ro.aftersales_line_id
                 WHERE ro.state != 'cancel'
            )
        """)


class AftersalesPareto(models.Model):
    """R23: the Pareto of failure lines by failure mode per company and kind: count,
    share, cumulative share (descending count, then name, as the core's ``pareto``) and
    the vital few up to the company's ``pareto_vital_few_percent``."""

    _name = "aftersales.pareto"
    _description = "After-sales Pareto by failure mode"
    _auto = False
    _order = "company_id, kind, rank"

    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    category = fields.Char(string="Failure mode", readonly=True)
    rank = fields.Integer(readonly=True)
    count = fields.Integer(string="Quantity", readonly=True)
    percent = fields.Float(readonly=True, digits=(5, 2))
    cumulative_percent = fields.Float(readonly=True, digits=(5, 2))
    vital_few = fields.Boolean(readonly=True)

    def init(self):
        self.env["aftersales.failure.line"].init()
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH grouped AS (
                    SELECT fl.company_id, fl.kind,
                           COALESCE(c.name->>'en_US', 'unclassified') AS category,
                           SUM(fl.quantity)::bigint AS count
                      FROM aftersales_failure_line fl
                      LEFT JOIN aftersales_failure_category c ON c.id = fl.category_id
                     GROUP BY fl.company_id, fl.kind, COALESCE(c.name->>'en_US', 'unclassified')
                    HAVING SUM(fl.quantity) > 0
                ), ranked AS (
                    SELECT g.*,
                           ROW_NUMBER() OVER w AS rank,
                           SUM(g.count) OVER w AS running,
                           SUM(g.count) OVER (PARTITION BY g.company_id, g.kind) AS total
                      FROM grouped g
                    WINDOW w AS (PARTITION BY g.company_id, g.kind ORDER BY g.count DESC, g.category COLLATE "C"
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                )
                SELECT ROW_NUMBER() OVER (ORDER BY r.company_id, r.kind, r.rank) AS id,
                       r.company_id, r.kind, r.category, r.rank, r.count,
                       r.count * 100.0 / r.total AS percent,
                       r.running * 100.0 / r.total AS cumulative_percent,
                       (r.running - r.count) * 100 < co.aftersales_pareto_vital_few_percent * r.total
                           AS vital_few
                  FROM ranked r
                  JOIN res_company co ON co.id = r.company_id
            )
        """)
