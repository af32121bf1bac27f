# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_product_class = fields.Selection(
        [("host", "Host"), ("accessory", "Accessory")],
        string="After-sales class",
        help="R1/R2 count returned hosts and accessories separately. "
        "Empty: inherited from the parent category, else accessory.",
    )

    def _aftersales_class(self):
        self.ensure_one()
        category = self
        while category:
            if category.aftersales_product_class:
                return category.aftersales_product_class
            category = category.parent_id
        return "accessory"

