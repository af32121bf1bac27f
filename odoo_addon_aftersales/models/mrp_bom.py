# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bills of materials: link to their contract review (special order, R3)."""

from odoo import fields, models


class MrpBom(models.Model):
    _inherit = "mrp.bom"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )
