# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index=True, copy=False)
