# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Links from Odoo's stock documents to material requisitions (R5), and the R5 policy
switch on the work they are for."""

from odoo import fields, models

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
