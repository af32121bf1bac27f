# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R26: the after-sales user account, one row per unit delivered to a customer."""

from odoo import api, fields, models, tools


class AftersalesInstalledUnit(models.Model):
    """The installed base: done deliveries to customers (one row per move line), with
    each unit's warranty end (asked of the core) and its service history."""

    _name = "aftersales.installed.unit"
    _description = "Installed unit (after-sales account)"
    _auto = False
    _order = "delivered_at desc, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    quantity = fields.Float(readonly=True)
    delivered_at = fields.Datetime(readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    warranty_end_at = fields.Datetime(compute="_compute_warranty_end", help="R10/R26")
    ticket_count = fields.Integer(compute="_compute_history", string="Complaints")
    return_count = fields.Integer(compute="_compute_history", string="Returns")
    visit_count = fields.Integer(compute="_compute_history", string="Visits")
    repair_count = fields.Integer(compute="_compute_history", string="Repairs")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT sml.id AS id,
                       COALESCE(partner.commercial_partner_id, partner.id) AS partner_id,
                       sml.company_id AS company_id,
                       sml.product_id AS product_id,
                       sml.lot_id AS lot_id,
                       sml.quantity AS quantity,
                       sml.date AS delivered_at,
                       sml.picking_id AS picking_id
                  FROM stock_move_line sml
                  JOIN stock_location dest ON dest.id = sml.location_dest_id
                  JOIN stock_picking picking ON picking.id = sml.picking_id
                  JOIN res_partner partner ON partner.id = picking.partner_id
                 WHERE sml.state = 'done' AND dest.usage = 'customer'
            )
        """)

    @api.depends("delivered_at", "product_id.categ_id")
    def _compute_warranty_end(self):
        self.warranty_end_at = False
        helper = self.env["aftersales.workflow.mixin"]
        for company in self.company_id:
            units = self.filtered(lambda u, c=company: u.company_id == c and u.delivered_at)
            ends = helper._aftersales_warranty_ends(
                company, [(u.delivered_at, u.product_id.categ_id.complete_name) for u in units]
            )
            for unit, end in zip(units, ends, strict=True):
                unit.warranty_end_at = end

    def _compute_history(self):
        keys = [("partner_id", "in", self.partner_id.ids), ("product_id", "in", self.product_id.ids)]
        counts = {}
        for model, fname in (
            ("aftersales.ticket", "ticket_count"),
            ("aftersales.service.visit", "visit_count"),
        ):
            for partner, product, n in self.env[model]._read_group(
                keys, ["partner_id", "product_id"], ["__count"]
            ):
                counts[(fname, partner.commercial_partner_id.id, product.id)] = (
                    counts.get((fname, partner.commercial_partner_id.id, product.id), 0) + n
                )
        for partner, product, n in self.env["aftersales.return.line"]._read_group(
            [("return_id.partner_id", "in", self.partner_id.ids), ("product_id", "in", self.product_id.ids)],
            ["return_id", "product_id"], ["__count"],
        ):
            key = ("return_count", partner.partner_id.commercial_partner_id.id, product.id)
            counts[key] = counts.get(key, 0) + n
        for partner, product, n in self.env["repair.order"].sudo()._read_group(
            [("partner_id", "child_of", self.partner_id.ids), ("product_id", "in", self.product_id.ids)],
            ["partner_id", "product_id"], ["__count"],
        ):
            key = ("repair_count", partner.commercial_partner_id.id, product.id)
            counts[key] = counts.get(key, 0) + n
        for unit in self:
            for fname in ("ticket_count", "return_count", "visit_count", "repair_count"):
                unit[fname] = counts.get((fname, unit.partner_id.id, unit.product_id.id), 0)
