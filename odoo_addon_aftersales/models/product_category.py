# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_product_class = fields.Selection(
        [("host", "Host"), ("accessory", "Accessory")],
        string="After-sales class",
        help="R1/R2 count returned hosts and accessories separately. "
        "Empty: inherited from the parent category, else accessory.",
    )
    aftersales_effective_class = fields.Selection(
        [("host", "Host"), ("accessory", "Accessory")],
        compute="_compute_aftersales_effective_class", store=True, recursive=True,
        string="After-sales class (effective)",
        help="This category's class, else its nearest parent's, else accessory.",
    )
    aftersales_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="R10: warranty of this category's products in months (0: the parent's, else "
        "the company's default warranty).",
    )

    @api.depends("aftersales_product_class", "parent_id.aftersales_effective_class")
    def _compute_aftersales_effective_class(self):
        for category in self:
            category.aftersales_effective_class = (
                category.aftersales_product_class
                or category.parent_id.aftersales_effective_class
                or "accessory"
            )

    def _aftersales_class(self):
        self.ensure_one()
        return self.aftersales_effective_class or "accessory"

    def _aftersales_warranty_category(self):
        """R10: the name of the nearest category (self or parent) with warranty months."""
        category = self
        while category:
            if category.aftersales_warranty_months:
                return category.complete_name
            category = category.parent_id
        return self.complete_name or ""
