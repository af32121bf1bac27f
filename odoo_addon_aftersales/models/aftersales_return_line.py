# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# States of a return in which its lines no longer hold delivered quantity.
_RELEASED = ("draft", "refused", "cancelled")


class AftersalesReturnLine(models.Model):
    """One returned product of a customer return, against the delivery it came from."""

    _name = "aftersales.return.line"
    _description = "Customer return line"

    return_id = fields.Many2one("aftersales.return", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="return_id.partner_id")
    move_id = fields.Many2one(
        "stock.move",
        string="Delivered move",
        required=True,
        index=True,
        domain="[('state', '=', 'done'), ('picking_code', '=', 'outgoing'), ('partner_id', 'child_of', partner_id)]",
        help="The delivery move the goods came from; the return picking reverses it.",
    )
    product_id = fields.Many2one(related="move_id.product_id", store=True)
    sale_line_id = fields.Many2one(related="move_id.sale_line_id", store=True)
    lot_id = fields.Many2one("stock.lot", string="Lot", domain="[('product_id', '=', product_id)]")
    product_class = fields.Selection(
        [("host", "Host"), ("accessory", "Accessory")],
        compute="_compute_product_class", store=True, readonly=False,
        help="R1: from the product category; may be corrected per line.",
    )
    quantity = fields.Integer(required=True, default=1)
    received_quantity = fields.Integer(readonly=True, copy=False)
    problem = fields.Char()
    category_id = fields.Many2one("aftersales.failure.category", string="Failure mode")

    _sql_constraints = [
        ("move_uniq", "unique(return_id, move_id, lot_id)", "A delivered move appears once per return and lot."),
    ]

    @api.depends("product_id.categ_id", "product_id.categ_id.aftersales_product_class")
    def _compute_product_class(self):
        for line in self:
            line.product_class = line.product_id.categ_id._aftersales_class() if line.product_id else "accessory"

    @api.constrains("quantity", "move_id", "return_id")
    def _check_quantity(self):
        """Never return more than was delivered, minus what other returns already hold."""
        for line in self.sudo():
            if line.quantity <= 0:
                raise ValidationError(_(
                    "%(product)s: quantity must be greater than 0 (got %(qty)s).",
                    product=line.product_id.display_name, qty=line.quantity,
                ))
            if line.move_id.partner_id and line.return_id.partner_id and not (
                line.move_id.partner_id.commercial_partner_id == line.return_id.partner_id.commercial_partner_id
            ):
                raise ValidationError(_("%s: this delivery belongs to another customer.", line.product_id.display_name))
        # Read as superuser: an after-sales user without stock rights may still open a return.
        lines = self.sudo()
        moves = lines.move_id
        held = defaultdict(int)
        others = lines.search([("move_id", "in", moves.ids), ("return_id.state", "not in", _RELEASED)])
        for other in others | lines:
            held[other.move_id.id] += other.quantity
        # Quantities returned outside the after-sales module (Odoo's own return wizard).
        plain_returns = moves.returned_move_ids.filtered(
            lambda m: m.state == "done" and not m.picking_id.aftersales_return_id
        )
        returned_plain = defaultdict(float)
        for move in plain_returns:
            returned_plain[move.origin_returned_move_id.id] += move.quantity
        for move in moves:
            available = move.quantity - returned_plain[move.id]
            if held[move.id] > available:
                raise ValidationError(_(
                    "%(product)s: %(asked)s returned is more than the %(available)s delivered by "
                    "%(picking)s and not yet returned.",
                    product=move.product_id.display_name, asked=held[move.id],
                    available=int(available), picking=move.picking_id.name,
                ))
