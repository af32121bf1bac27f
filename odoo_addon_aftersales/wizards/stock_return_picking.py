# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        """A customer return's receipt is made with its values at once (returns location,
        link to the case), so its moves are never written a second time."""
        vals = super()._prepare_picking_default_values()
        vals.update(self.env.context.get("aftersales_receipt_vals") or {})
        return vals
