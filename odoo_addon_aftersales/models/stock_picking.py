# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # copy=True: backorders of a partial receipt stay linked to the return.
    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index="btree_not_null")

    def _action_done(self):
        res = super()._action_done()
        receipts = self.filtered(lambda p: p.aftersales_return_id and p.picking_type_code == "incoming")
        receipts.aftersales_return_id._aftersales_on_receipt()
        return res

    def _prepare_aftersales_return_vals(self):
        """A draft customer return of this delivery: a line per product and lot delivered."""
        self.ensure_one()
        lines = []
        for move in self.move_ids.filtered(lambda m: m.state == "done" and m.quantity > 0):
            by_lot = defaultdict(float)
            for ml in move.move_line_ids:
                by_lot[ml.lot_id.id] += ml.quantity
            for lot_id, qty in (by_lot or {False: move.quantity}).items():
                lines.append(Command.create({"move_id": move.id, "lot_id": lot_id, "quantity": int(qty) or 1}))
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "reason": "",
            "line_ids": lines,
        }

    def action_aftersales_return(self):
        """From a done delivery: a draft customer return of its goods, to adjust and submit."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state != "done":
            raise UserError(self.env._("%(picking)s: a customer return starts from a done delivery.", picking=self.name))
        ret = self.env["aftersales.return"].create(self._prepare_aftersales_return_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.return",
            "res_id": ret.id,
            "view_mode": "form",
            "target": "current",
        }


class StockMove(models.Model):
    _inherit = "stock.move"

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
