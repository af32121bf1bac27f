# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unreconciling a payment lowers what the order has paid (R14/R15)."""

from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        # a payment taken back (unreconciled) lowers what the order has paid (R14/R15)
        moves = (self.debit_move_id | self.credit_move_id).move_id.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        )
        orders = moves.sudo().line_ids.sale_line_ids.order_id
        res = super().unlink()
        if orders:
            orders.aftersales_order_ids.sudo()._aftersales_on_payment()
        return res
