# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_workflow_mixin import STATE_WRITE

# States of a return in which its lines no longer hold delivered quantity.
_RELEASED = ("draft", "refused", "cancelled")
# What the workflow itself writes on a line after draft (through the seam).
_WORKFLOW_FIELDS = {"received_quantity", "under_warranty"}


class AftersalesReturnLine(models.Model):
    """One returned product of a customer return, against the delivery it came from.

    Its ``ref`` in the core's form is its id. Product and sale line are copied from the
    delivered move when the line is saved (not related fields: a stored related field
    on ``stock.move`` would add work to every stock move write in the database).
    """

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
    product_id = fields.Many2one("product.product", compute="_compute_from_move", store=True, readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", compute="_compute_from_move", store=True, readonly=True)
    delivered_at = fields.Datetime(related="move_id.date", string="Delivered on")
    lot_id = fields.Many2one("stock.lot", domain="[('product_id', '=', product_id)]")
    product_class = fields.Selection(
        [("host", "Host"), ("accessory", "Accessory")],
        compute="_compute_product_class", store=True, readonly=False,
        help="R1: from the product category (or its parents); may be corrected per line.",
    )
    warranty_category = fields.Char(
        compute="_compute_warranty_category",
        help="R10: the category whose warranty months apply (the nearest with months set).",
    )
    quantity = fields.Integer(required=True, default=1)
    received_quantity = fields.Integer(readonly=True, copy=False)
    under_warranty = fields.Boolean(readonly=True, copy=False, help="R10 decision when routed.")
    problem = fields.Char()
    category_id = fields.Many2one("aftersales.failure.category", string="Failure mode")

    _sql_constraints = [
        ("move_uniq", "unique(return_id, move_id, lot_id)", "A delivered move appears once per return and lot."),
    ]

    # Computed from the move only when the line's own move changes (move_id is the
    # only dependency: no trigger on stock.move writes).
    @api.depends("move_id")
    def _compute_from_move(self):
        for line in self:
            move = line.move_id.sudo()
            line.product_id = move.product_id
            line.sale_line_id = move.sale_line_id

    @api.depends("product_id.categ_id.aftersales_effective_class")
    def _compute_product_class(self):
        for line in self:
            line.product_class = line.product_id.categ_id.aftersales_effective_class or False

    @api.depends("product_id.categ_id")
    def _compute_warranty_category(self):
        for line in self:
            line.warranty_category = line.product_id.categ_id._aftersales_warranty_category()

    # --- frozen once the return leaves draft ------------------------------------------

    def _check_return_draft(self, returns, vals=None):
        if (
            self.env.context.get("aftersales_state_write") is STATE_WRITE
            and vals is not None
            and set(vals) <= _WORKFLOW_FIELDS
        ):
            return
        moved = returns.filtered(lambda r: r.state != "draft")
        if moved:
            raise UserError(self.env._(
                "%(ret)s: the lines of a return are frozen once it leaves draft (state %(state)s).",
                ret=moved[0].display_name, state=moved[0].state,
            ))

    @api.model_create_multi
    def create(self, vals_list):
        returns = self.env["aftersales.return"].browse({v.get("return_id") for v in vals_list if v.get("return_id")})
        self._check_return_draft(returns)
        return super().create(vals_list)

    def write(self, vals):
        self._check_return_draft(self.return_id, vals)
        return super().write(vals)

    def unlink(self):
        self._check_return_draft(self.return_id)
        return super().unlink()

    @api.constrains("quantity", "move_id", "return_id")
    def _check_quantity(self):
        """Never return more than was delivered, minus what other returns already hold."""
        self._aftersales_check_returnable()

    def _aftersales_check_returnable(self):
        for line in self.sudo():
            if line.quantity <= 0:
                raise ValidationError(self.env._(
                    "%(product)s: quantity must be greater than 0 (got %(qty)s).",
                    product=line.product_id.display_name, qty=line.quantity,
                ))
            if line.move_id.partner_id and line.return_id.partner_id and not (
                line.move_id.partner_id.commercial_partner_id == line.return_id.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._("%s: this delivery belongs to another customer.", line.product_id.display_name)
                )
        # Read as superuser: an after-sales user without stock rights may still open a return.
        lines = self.sudo()
        moves = lines.move_id
        held = defaultdict(int)
        asked = defaultdict(int)
        others = lines.search([
            ("move_id", "in", moves.ids), ("return_id.state", "not in", _RELEASED), ("id", "not in", lines.ids),
        ])
        for other in others:
            held[other.move_id.id] += other.quantity
        for line in lines:
            asked[line.move_id.id] += line.quantity
        # Quantities returned outside the after-sales module (Odoo's own return wizard).
        plain_returns = moves.returned_move_ids.filtered(
            lambda m: m.state == "done" and not m.picking_id.aftersales_return_id
        )
        returned_plain = defaultdict(float)
        for move in plain_returns:
            returned_plain[move.origin_returned_move_id.id] += move.quantity
        for move in moves:
            left = int(move.quantity - returned_plain[move.id] - held[move.id])
            if asked[move.id] > left:
                raise ValidationError(self.env._(
                    "%(product)s: %(asked)s to return, but only %(left)s of the %(delivered)s "
                    "delivered by %(picking)s can still be returned (%(taken)s already returned "
                    "or held by other returns).",
                    product=move.product_id.display_name, asked=asked[move.id], left=max(left, 0),
                    delivered=int(move.quantity), picking=move.picking_id.name,
                    taken=int(returned_plain[move.id] + held[move.id]),
                ))
