# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reconciling an order's invoice tells the core it is paid (R14/R15)."""

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        res = super().reconcile()
        invoices = self.move_id.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        orders = invoices.sudo().line_ids.sale_line_ids.order_id
        if orders:
            # as the system: a payment may be reconciled by an online payment or a bank
            # statement, whoever runs it (the core gets the system role, not the user's)
            orders.aftersales_order_ids.sudo()._aftersales_on_payment()
        return res
