# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesQualityException(models.Model):
    """Quality exception order (品質異常單): one per returned product that needs a design
    change (R2). R&D answers it with a decision and a rework BOM of that product; the
    return's workflow (``issue_bom``) then starts each line's rework on its own BOM."""

    _name = "aftersales.quality.exception"
    _description = "Quality exception order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", compute="_compute_name", store=True)
    return_id = fields.Many2one("aftersales.return", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    line_ids = fields.Many2many("aftersales.return.line", string="Return lines", readonly=True)
    product_id = fields.Many2one("product.product", compute="_compute_product", store=True)
    product_name = fields.Char(string="Product (as routed)", readonly=True)
    lot_names = fields.Char(string="Lots", readonly=True)
    quantity = fields.Integer(readonly=True)
    defect = fields.Text(readonly=True)
    rnd_decision = fields.Text(string="R&D decision", tracking=True)
    rework_bom_id = fields.Many2one(
        "mrp.bom", string="Rework BOM", tracking=True, check_company=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
        help="R&D's answer (R2): production reworks this order's product on it.",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    state = fields.Selection(related="return_id.state", string="Return status")

    @api.depends("return_id.name", "product_name")
    def _compute_name(self):
        for order in self:
            order.name = f"{order.return_id.name or '/'} / {order.product_name or '?'}"

    @api.depends("line_ids")
    def _compute_product(self):
        for order in self:
            order.product_id = order.line_ids.product_id[:1]

    def write(self, vals):
        answer = {"rnd_decision", "rework_bom_id"}
        if answer & set(vals) and any(o.return_id.state != "quality_exception" for o in self):
            raise UserError(self.env._("R&D answers a quality exception order while its return awaits it."))
        return super().write(vals)

    def action_issue_bom(self):
        """R&D sends the answers to production (the return's issue_bom step)."""
        self.return_id.action_issue_bom()
        return True
