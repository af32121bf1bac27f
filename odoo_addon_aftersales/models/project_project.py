# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Projects: link to their contract review (special order, R3)."""

from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    aftersales_contract_review_id = fields.Many2one(
        "aftersales.contract.review", string="Contract review", index="btree_not_null", copy=False
    )
