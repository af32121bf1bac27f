# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Manufacturing orders: links to the after-sales case, return line and contract review;
R5 (requisitions issued before work starts), R13 (a marine product's production
suspended) and R15 (an engineering order's production waits for its deposit)."""

from odoo import fields, models
from odoo.exceptions import UserError

from .aftersales_workflow_mixin import check_requisitions_issued


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    aftersales_return_id = fields.Many2one(
        "aftersales.return", string="Customer return", index="btree_not_null", copy=False
    )
    aftersales_line_id = fields.Many2one(
        "aftersales.return.line", string="Return line", index="btree_not_null", copy=False
    )
    aftersales_problem = fields.Char(related="aftersales_line_id.problem", string="Problem (customer return)")

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )

    def _aftersales_sale_orders(self):
        """The sale orders these manufacturing orders build for: their own procurement
        group's, or (make-to-order) that of the deliveries they feed."""
        productions = self.sudo()
        return productions.procurement_group_id.sale_id | productions.move_dest_ids.group_id.sale_id

    def _aftersales_orders(self):
        return self._aftersales_sale_orders().aftersales_order_ids

    def _aftersales_check_not_suspended(self):
        suspended = self.filtered(lambda p: p.product_id.product_tmpl_id.aftersales_suspended_by_id)
        if suspended:
            first = suspended[0]
            raise UserError(self.env._(
                "R13: production of the marine product %(product)s is suspended by %(sheet)s until "
                "quality control verifies the correction (%(orders)s).",
                product=first.product_id.display_name,
                sheet=first.product_id.product_tmpl_id.aftersales_suspended_by_id.name,
                orders=", ".join(suspended.mapped("name")),
            ))

    def action_confirm(self):
        # R15: an engineering order's manufacturing orders wait for its deposit.
        if not self.env.context.get("aftersales_confirming_production"):
            records = self._aftersales_orders().with_env(self.env)
            records.with_context(aftersales_confirming_production=True)._aftersales_release_production()
        # R13: a marine product's production stays suspended until quality verifies.
        self._aftersales_check_not_suspended()
        return super().action_confirm()

    def action_start(self):
        check_requisitions_issued(self)
        return super().action_start()

    def button_mark_done(self):
        # R5: open requisitions issued before the work is done; R13: not suspended.
        check_requisitions_issued(self.filtered(lambda p: p.state == "confirmed"))
        self._aftersales_check_not_suspended()
        res = super().button_mark_done()
        # R15: the core learns the order's production is done.
        self._aftersales_orders().with_env(self.env)._aftersales_on_production_done()
        return res
