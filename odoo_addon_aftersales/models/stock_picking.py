# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, fields, models
from odoo.exceptions import UserError

VISIT_ROLES = [
    ("parts", "Parts used on site"),
    ("old_parts", "Old parts back (R21)"),
    ("vendor_return", "Return to vendor (R21)"),
]


class StockPicking(models.Model):
    """Receipts of customer returns, deliveries of sale orders (the core decides whether
    they ship, R14-R17, and records exceptions on the way, R27), and links to requisitions,
    contract reviews and on-site visits."""

    _inherit = "stock.picking"

    # copy=True: backorders of a partial receipt stay linked to the return.
    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index="btree_not_null")
    aftersales_on_hold = fields.Boolean(
        string="On hold (cancelled by phone)", copy=False, readonly=True,
        help="R17: the order was cancelled by phone; this delivery does not leave.",
    )
    aftersales_logistics_exception = fields.Text(
        string="Logistics exception", copy=False,
        help="R27: an exception on the way; recording it tells the customer at once.",
    )
    aftersales_requisition_id = fields.Many2one(
        "aftersales.material.requisition", string="Material requisition",
        index="btree_not_null", copy=False,
    )
    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )
    aftersales_visit_id = fields.Many2one(
        "aftersales.service.visit", string="On-site service", index="btree_not_null", copy=False
    )
    aftersales_visit_role = fields.Selection(VISIT_ROLES, string="Role in the visit", copy=False)

    def _action_done(self):
        # R14-R17: the core decides whether the deliveries of sale orders ship.
        deliveries = self.filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id)
        if deliveries:
            records = deliveries.sale_id.sudo().aftersales_order_ids
            # validated as the user: the core checks the user's role (warehouse, business)
            records.with_env(self.env)._aftersales_on_delivery(deliveries)
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
            raise UserError(
                self.env._("%(picking)s: a customer return starts from a done delivery.", picking=self.name)
            )
        ret = self.env["aftersales.return"].create(self._prepare_aftersales_return_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.return",
            "res_id": ret.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_aftersales_record_exception(self):
        """R27: the exception on the way is recorded on the order and told to the customer."""
        for picking in self:
            record = picking.sale_id.sudo().aftersales_order_ids.with_env(self.env)
            if not record:
                raise UserError(self.env._("%(picking)s belongs to no confirmed sale order.", picking=picking.name))
            record._aftersales_apply(
                "record_exception",
                {"logistics_exception": picking.aftersales_logistics_exception or ""},
            )
        return True
