# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .aftersales_workflow_mixin import check_requisitions_issued


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_return_id = fields.Many2one(
        "aftersales.return", string="Customer return", index="btree_not_null", copy=False
    )
    aftersales_line_id = fields.Many2one(
        "aftersales.return.line", string="Return line", index="btree_not_null", copy=False
    )
    aftersales_problem = fields.Char(related="aftersales_line_id.problem", string="Problem (customer return)")
    aftersales_parts_recorded = fields.Boolean(
        copy=False, help="Its replaced parts are recorded on the return tracking form (R7)."
    )

    def action_repair_start(self):
        check_requisitions_issued(self)
        return super().action_repair_start()
