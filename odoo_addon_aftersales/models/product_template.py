# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marine products: a quality problem suspends their production (R13)."""

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_marine = fields.Boolean(
        string="Marine product", help="R13: a quality problem suspends its production (CCS rules)."
    )
    aftersales_suspended_by_id = fields.Many2one(
        "aftersales.quality.feedback", string="Production suspended by", copy=False, readonly=True,
        help="R13: the feedback sheet whose correction quality control has not verified yet.",
    )
