# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AftersalesFailureCategory(models.Model):
    _name = "aftersales.failure.category"
    _description = "After-sales failure mode"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share with every company.")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A failure category with this name already exists in this company.",
        )
    ]
