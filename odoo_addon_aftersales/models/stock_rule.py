# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An engineering order's manufacturing orders wait for its deposit (R15)."""

from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _should_auto_confirm_procurement_mo(self, p):
        # R15: an engineering order's manufacturing orders stay draft until its deposit
        # is paid; production confirms them (and the core releases the order).
        if any(p._aftersales_sale_orders().mapped("aftersales_engineering")):
            return False
        return super()._should_auto_confirm_procurement_mo(p)
