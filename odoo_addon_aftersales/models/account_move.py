# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journal entries: links back to the after-sales case and on-site visit that made them."""

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_return_id = fields.Many2one(
        "aftersales.return", string="Customer return", index="btree_not_null", copy=False
    )
    aftersales_ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index="btree_not_null", copy=False)

    aftersales_visit_id = fields.Many2one(
        "aftersales.service.visit", string="On-site service", index="btree_not_null", copy=False
    )
