# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R23 statistics on SQL views: failure lines of complaints, returns and repairs, and
their Pareto by failure mode with the cumulative share and the vital few."""

from odoo import fields, models, tools
from odoo.tools import SQL

KINDS = [("complaint", "Complaint"), ("return", "Return"), ("repair", "Repair")]

# Each kind of failure line once: (kind, FROM ... WHERE, company, category, quantity,
# and for the line view: id, partner, product, date).
# The line view lists them; the Pareto view groups each before the union, so that
# PostgreSQL aggregates every table by its own statistics (hash aggregates, in parallel).
SOURCES = (
    ("complaint", "aftersales_ticket t WHERE t.state NOT IN ('draft', 'cancelled')",
     "t.company_id", "t.category_id", "t.quantity",
     "t.id * 3", "t.partner_id", "t.product_id", "t.received_at"),
    ("return", "aftersales_return_line l JOIN aftersales_return r ON r.id = l.return_id "
     "WHERE r.state NOT IN ('draft', 'cancelled', 'refused')",
     "r.company_id", "l.category_id", "l.quantity",
     "l.id * 3 + 1", "r.partner_id", "l.product_id", "r.requested_at"),
    ("repair", "repair_order ro JOIN aftersales_return_line l ON l.id = ro.aftersales_line_id "
     "WHERE ro.state != 'cancel'",
     "ro.company_id", "l.category_id", "ro.product_qty::integer",
     "ro.id * 3 + 2", "ro.partner_id", "ro.product_id", "ro.create_date"),
)


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
        # The SQL fragments are this module's constants (SOURCES); the kind is a parameter.
        lines = SQL("\n UNION ALL ").join(
            SQL(
                "SELECT %s AS id, %s AS kind, %s AS company_id, %s AS partner_id, "
                "%s AS product_id, %s AS category_id, %s AS quantity, %s AS date FROM %s",
                SQL(id_), kind, SQL(company), SQL(partner), SQL(product), SQL(category),
                SQL(quantity), SQL(date), SQL(source),
            )
            for kind, source, company, category, quantity, id_, partner, product, date in SOURCES
        )
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), lines))


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
        by_id = SQL("\n UNION ALL ").join(
            SQL(
                "SELECT %s AS company_id, %s AS kind, %s AS category_id, "
                "SUM(%s) AS count FROM %s GROUP BY %s, %s",
                SQL(company), kind, SQL(category), SQL(quantity), SQL(source), SQL(company), SQL(category),
            )
            for kind, source, company, category, quantity, *_line in SOURCES
        )
        kind_index = "CASE r.kind " + " ".join(
            f"WHEN '{kind}' THEN {index}" for index, (kind, _label) in enumerate(KINDS)
        ) + " END"
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %s AS (
                WITH by_id AS (
                    %s
                ), grouped AS (
                    -- names after grouping: a few rows, not one per failure line
                    SELECT b.company_id, b.kind,
                           COALESCE(c.name->>'en_US', 'unclassified') AS category,
                           SUM(b.count)::bigint AS count
                      FROM by_id b
                      LEFT JOIN aftersales_failure_category c ON c.id = b.category_id
                     GROUP BY b.company_id, b.kind, COALESCE(c.name->>'en_US', 'unclassified')
                    HAVING SUM(b.count) > 0
                ), ranked AS (
                    SELECT g.*,
                           ROW_NUMBER() OVER w AS rank,
                           SUM(g.count) OVER w AS running,
                           SUM(g.count) OVER (PARTITION BY g.company_id, g.kind) AS total
                      FROM grouped g
                    WINDOW w AS (PARTITION BY g.company_id, g.kind ORDER BY g.count DESC, g.category COLLATE "C"
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                )
                -- The id from the partition and the rank, not a window over every row:
                -- a filter on company and kind then reaches each source table (and a
                -- kind's other sources are not read at all).
                SELECT ((r.company_id::bigint * 3 + %s) << 32) + r.rank AS id,
                       r.company_id, r.kind, r.category, r.rank, r.count,
                       r.count * 100.0 / r.total AS percent,
                       r.running * 100.0 / r.total AS cumulative_percent,
                       (r.running - r.count) * 100 < co.aftersales_pareto_vital_few_percent * r.total
                           AS vital_few
                  FROM ranked r
                  JOIN res_company co ON co.id = r.company_id
            )
        """, SQL.identifier(self._table), by_id, SQL(kind_index)))


class AftersalesPartsClaim(models.Model):
    """R21/R23: parts claimed from suppliers, one row per claimed part (the requested
    vendor credit note of an on-site visit): the monthly parts-claims statistics."""

    _name = "aftersales.parts.claim"
    _description = "Parts claimed from suppliers (statistics)"
    _auto = False
    _order = "date desc"

    company_id = fields.Many2one("res.company", readonly=True)
    supplier_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    visit_id = fields.Many2one("aftersales.service.visit", string="On-site service", readonly=True)
    claim_id = fields.Many2one("account.move", string="Vendor credit note", readonly=True)
    state = fields.Selection(
        [("draft", "Requested"), ("posted", "Granted"), ("cancel", "Cancelled")], readonly=True
    )
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount = fields.Float(string="Amount claimed", readonly=True)
    date = fields.Date(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT aml.id AS id,
                       am.company_id AS company_id,
                       am.partner_id AS supplier_id,
                       aml.product_id AS product_id,
                       am.aftersales_visit_id AS visit_id,
                       am.id AS claim_id,
                       am.state AS state,
                       aml.quantity AS quantity,
                       aml.price_subtotal AS amount,
                       COALESCE(am.invoice_date, am.date) AS date
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE am.move_type = 'in_refund'
                   AND am.aftersales_visit_id IS NOT NULL
                   AND aml.display_type = 'product'
            )""")
