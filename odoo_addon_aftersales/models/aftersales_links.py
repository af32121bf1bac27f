# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Links from Odoo's documents back to the after-sales case and line that made them."""

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_line_id = fields.Many2one("aftersales.return.line", string="Return line", index="btree_not_null", copy=False)


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index="btree_not_null", copy=False)
    aftersales_line_id = fields.Many2one("aftersales.return.line", string="Return line", index="btree_not_null", copy=False)
    aftersales_problem = fields.Char(related="aftersales_line_id.problem", string="Problem (customer return)")


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index="btree_not_null", copy=False)
    aftersales_ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index="btree_not_null", copy=False)


class AccountPayment(models.Model):
    _inherit = "account.payment"

    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index="btree_not_null", copy=False)
    aftersales_ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index="btree_not_null", copy=False)
