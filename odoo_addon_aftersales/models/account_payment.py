# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payments: links back to the after-sales case that made them."""

from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    aftersales_return_id = fields.Many2one(
        "aftersales.return", string="Customer return", index="btree_not_null", copy=False
    )
    aftersales_ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index="btree_not_null", copy=False)
