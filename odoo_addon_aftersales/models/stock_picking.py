# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # copy=True: backorders of a partial receipt stay linked to the return.
    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index=True)

    def _action_done(self):
        res = super()._action_done()
        receipts = self.filtered(lambda p: p.aftersales_return_id and p.picking_type_code == "incoming")
        receipts.aftersales_return_id._aftersales_on_receipt()
        return res

