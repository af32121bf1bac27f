# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Links from Odoo's stock documents to material requisitions (R5), and the R5 policy
switch on the work they are for."""

from odoo import fields, models
from odoo.exceptions import UserError

from .aftersales_workflow_mixin import check_requisitions_issued


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_requisition_id = fields.Many2one(
        "aftersales.material.requisition", string="Material requisition",
        index="btree_not_null", copy=False,
    )


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_requisition_line_id = fields.Many2one(
        "aftersales.material.requisition.line", string="Requisition line",
        index="btree_not_null", copy=False,
    )


class RepairOrder(models.Model):
    _inherit = "repair.order"

    def action_repair_start(self):
        check_requisitions_issued(self)
        return super().action_repair_start()


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def action_start(self):
        check_requisitions_issued(self)
        return super().action_start()

    def button_mark_done(self):
        check_requisitions_issued(self.filtered(lambda p: p.state == "confirmed"))
        return super().button_mark_done()


class StockPickingOrders(models.Model):
    """Deliveries of sale orders: the core decides whether they ship (R14-R17) and
    records exceptions on the way (R27)."""

    _inherit = "stock.picking"

    aftersales_on_hold = fields.Boolean(
        string="On hold (cancelled by phone)", copy=False, readonly=True,
        help="R17: the order was cancelled by phone; this delivery does not leave.",
    )
    aftersales_logistics_exception = fields.Text(
        string="Logistics exception", copy=False,
        help="R27: an exception on the way; recording it tells the customer at once.",
    )

    def _action_done(self):
        deliveries = self.filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id)
        if deliveries:
            records = deliveries.sale_id.sudo().aftersales_order_ids
            # validated as the user: the core checks the user's role (warehouse, business)
            records.with_env(self.env)._aftersales_on_delivery(deliveries)
        return super()._action_done()

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


class MrpProductionOrders(models.Model):
    _inherit = "mrp.production"

    def _aftersales_sale_orders(self):
        """The sale orders these manufacturing orders build for: their own procurement
        group's, or (make-to-order) that of the deliveries they feed."""
        productions = self.sudo()
        return productions.procurement_group_id.sale_id | productions.move_dest_ids.group_id.sale_id

    def _aftersales_orders(self):
        return self._aftersales_sale_orders().aftersales_order_ids

    def action_confirm(self):
        # R15: an engineering order's manufacturing orders wait for its deposit.
        if not self.env.context.get("aftersales_confirming_production"):
            records = self._aftersales_orders().with_env(self.env)
            records.with_context(aftersales_confirming_production=True)._aftersales_release_production()
        return super().action_confirm()

    def button_mark_done(self):
        res = super().button_mark_done()
        self._aftersales_orders().with_env(self.env)._aftersales_on_production_done()
        return res


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _should_auto_confirm_procurement_mo(self, p):
        # R15: an engineering order's manufacturing orders stay draft until its deposit
        # is paid; production confirms them (and the core releases the order).
        if any(p._aftersales_sale_orders().mapped("aftersales_engineering")):
            return False
        return super()._should_auto_confirm_procurement_mo(p)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        res = super().reconcile()
        invoices = self.move_id.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        orders = invoices.sudo().line_ids.sale_line_ids.order_id
        if orders:
            # as the system: a payment may be reconciled by an online payment or a bank
            # statement, whoever runs it (the core gets the system role, not the user's)
            orders.aftersales_order_ids.sudo()._aftersales_on_payment()
        return res


# --- links of Odoo's documents to their contract review (special order, R3) ------------

class MrpProductionReview(models.Model):
    _inherit = "mrp.production"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )


class StockPickingReview(models.Model):
    _inherit = "stock.picking"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )


class MrpBomReview(models.Model):
    _inherit = "mrp.bom"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )


class ProjectProjectReview(models.Model):
    _inherit = "project.project"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )


class SaleOrderReview(models.Model):
    _inherit = "sale.order"

    aftersales_contract_review_ids = fields.One2many(
        "aftersales.contract.review", "sale_order_id", string="Contract reviews"
    )
    aftersales_contract_review_count = fields.Integer(compute="_compute_aftersales_contract_review_count")

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


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        # a payment taken back (unreconciled) lowers what the order has paid (R14/R15)
        moves = (self.debit_move_id | self.credit_move_id).move_id.filtered(
            lambda m: m.move_type in ("out_invoice", "out_refund")
        )
        orders = moves.sudo().line_ids.sale_line_ids.order_id
        res = super().unlink()
        if orders:
            orders.aftersales_order_ids.sudo()._aftersales_on_payment()
        return res
