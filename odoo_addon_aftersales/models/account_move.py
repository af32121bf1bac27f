# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_return_id = fields.Many2one("aftersales.return", string="Customer return", index=True, copy=False)
