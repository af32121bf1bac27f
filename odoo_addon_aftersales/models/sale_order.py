# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Order processing on Odoo's sale order (R14-R18, R27): the fields a person sets on the
order and the buttons that take the core's steps on its order follow-up."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_contract_review_ids = fields.One2many(
        "aftersales.contract.review", "sale_order_id", string="Contract reviews"
    )
    aftersales_contract_review_count = fields.Integer(compute="_compute_aftersales_contract_review_count")

    # R16: a change of delivery location is tracked on the order itself
    partner_shipping_id = fields.Many2one(tracking=True)
    aftersales_engineering = fields.Boolean(
        string="Engineering order", copy=False, tracking=True,
        help="R15: production starts once more than the deposit ratio is paid; the balance "
        "is cleared before shipment.",
    )
    aftersales_urgent = fields.Boolean(
        string="Urgent", copy=False, help="R15: its manufacturing orders are inserted with priority."
    )
    aftersales_order_ids = fields.One2many("aftersales.order", "sale_order_id", string="Order follow-up")
    aftersales_order_id = fields.Many2one(
        "aftersales.order", compute="_compute_aftersales_order_id", string="After-sales follow-up",
        search="_search_aftersales_order_id",
    )
    aftersales_state = fields.Selection(related="aftersales_order_id.state", string="Order processing")
    aftersales_actions = fields.Char(related="aftersales_order_id.aftersales_actions")
    aftersales_cancellation_note = fields.Text(
        related="aftersales_order_id.cancellation_note", readonly=False,
        string="Cancellation by phone", help="R17: who called and why.",
    )
    aftersales_cancelled_by_id = fields.Many2one(related="aftersales_order_id.cancelled_by_id")
    aftersales_cancelled_at = fields.Datetime(related="aftersales_order_id.cancelled_at")
    aftersales_committed_payment_date = fields.Date(
        related="aftersales_order_id.committed_payment_date", readonly=False,
        string="Committed payment date", help="R14: the date the customer committed to pay.",
    )
    aftersales_arrears_guarantee = fields.Boolean(related="aftersales_order_id.arrears_guarantee")
    aftersales_project_registered_by_id = fields.Many2one(
        related="aftersales_order_id.project_registered_by_id"
    )
    aftersales_location_changes = fields.Text(related="aftersales_order_id.location_changes")

    @api.depends("aftersales_order_ids")
    def _compute_aftersales_order_id(self):
        for order in self:
            order.aftersales_order_id = order.aftersales_order_ids[:1]

    def _search_aftersales_order_id(self, operator, value):
        return [("aftersales_order_ids", operator, value)]

    def _action_confirm(self):
        res = super()._action_confirm()
        self.env["aftersales.order"]._aftersales_on_confirm(self)
        return res

    def write(self, vals):
        res = super().write(vals)
        if "partner_shipping_id" in vals:
            # R16: a new delivery location of a confirmed order is registered (tracked on
            # the follow-up) and the warehouse is told.
            open_states = ("confirmed", "in_production", "ready", "held")
            for order in self.filtered(lambda o: o.aftersales_order_ids.state in open_states):
                record = order.aftersales_order_ids
                location = order.partner_shipping_id.display_name or ""
                if location != record.delivery_location:
                    record._aftersales_apply("change_location", {"delivery_location": location})
        return res

    def _aftersales_record(self):
        self.ensure_one()
        if not self.aftersales_order_id:
            raise UserError(self.env._("%(order)s: confirm the order first.", order=self.name))
        return self.aftersales_order_id

    def action_aftersales_cancel_by_phone(self):
        """R17: the customer cancelled by phone (the note says who called and why)."""
        for order in self:
            order._aftersales_record().action_cancel_by_phone()
        return True

    def action_aftersales_register_project(self):
        """R15: the duty manager signs the engineering order's project registration."""
        for order in self:
            order._aftersales_record().action_register_project()
        return True

    def action_aftersales_guarantee_arrears(self):
        """R14: the business guarantees shipping on arrears (committed payment date)."""
        for order in self:
            order._aftersales_record().action_guarantee_arrears()
        return True

    def action_view_aftersales_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.order",
            "view_mode": "form",
            "res_id": self._aftersales_record().id,
        }

    def _compute_aftersales_contract_review_count(self):
        for order in self:
            order.aftersales_contract_review_count = len(order.aftersales_contract_review_ids)

    def action_aftersales_contract_review(self):
        """Open the quotation's contract review, creating it (special product line) on the
        first click."""
        self.ensure_one()
        review = self.aftersales_contract_review_ids[:1]
        if not review:
            line = self.order_line.filtered(lambda ln: not ln.display_type and ln.product_id)[:1]
            if not line:
                raise UserError(self.env._("%(order)s: add the special product first.", order=self.name))
            review = self.env["aftersales.contract.review"].create({"sale_order_id": self.id, "sale_line_id": line.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.contract.review",
            "view_mode": "form",
            "res_id": review.id,
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_unstable = fields.Boolean(
        string="Low volume or unstable", company_dependent=True, tracking=True,
        help="R14: shipping on arrears is refused for this customer.",
    )
