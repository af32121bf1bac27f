# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock moves: links to the return line and requisition line they carry out, and the
way a delivered move is named when a return is made from it."""

from odoo import api, fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_line_id = fields.Many2one(
        "aftersales.return.line", string="Return line", index="btree_not_null", copy=False
    )

    aftersales_requisition_line_id = fields.Many2one(
        "aftersales.material.requisition.line", string="Requisition line",
        index="btree_not_null", copy=False,
    )

    @api.depends_context("aftersales_delivered_move")
    def _compute_display_name(self):
        """Picking a delivered move for a return: delivery, order, product, quantity, date."""
        if not self.env.context.get("aftersales_delivered_move"):
            return super()._compute_display_name()
        for move in self:
            lots = ", ".join(move.move_line_ids.lot_id.mapped("name"))
            parts = [
                move.picking_id.name or "",
                move.sale_line_id.order_id.name or "",
                move.product_id.display_name or "",
                f"{move.quantity:g} {move.product_uom.name or ''}".strip(),
                lots,
                fields.Date.to_string(move.date.date()) if move.date else "",
            ]
            move.display_name = " · ".join(p for p in parts if p)
