# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Old-parts locations, one per responsibility (R21)."""

from aftersales_core.commands import ReturnOldParts

from odoo import fields, models

OLD_PARTS_RESPONSIBILITIES = [
    (r, r.capitalize())
    for r in ReturnOldParts.model_fields["responsibility"].annotation.__args__
]


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_old_parts_responsibility = fields.Selection(
        OLD_PARTS_RESPONSIBILITIES, string="Old parts of", copy=False,
        help="R21: old parts brought back from site, sorted by responsibility.",
    )
