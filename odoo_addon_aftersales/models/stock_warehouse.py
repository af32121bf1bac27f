# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .stock_location import OLD_PARTS_RESPONSIBILITIES


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_returns_location_id = fields.Many2one(
        "stock.location", string="Customer returns location", copy=False, check_company=True,
        help="Returned goods arrive here, outside sellable stock, until they are shipped "
        "back (repair) or approved for resale (refund, R6).",
    )
    aftersales_refurbished_location_id = fields.Many2one(
        "stock.location", string="Refurbished location", copy=False, check_company=True,
        help="Refurbished goods wait here for the general manager's approval (R6).",
    )

    aftersales_work_location_id = fields.Many2one(
        "stock.location", string="After-sales work location", copy=False, check_company=True,
        help="Requisitioned materials (R5) are issued here when their repair or "
        "manufacturing order takes its components from the stock itself.",
    )

    aftersales_holding_location_id = fields.Many2one(
        "stock.location", string="Holding location (cancelled orders)", copy=False,
        check_company=True,
        help="R17: goods already picked for an order cancelled by phone wait here.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._aftersales_create_locations()
        return warehouses

    def _aftersales_create_locations(self):
        """The after-sales locations of these warehouses (those missing), made with the
        warehouse and, for the warehouses that exist, when the module is installed: a
        return or an approval never pays for making them."""
        for warehouse in self.sudo():
            warehouse._aftersales_returns_location()
            warehouse._aftersales_refurbished_location()
            warehouse._aftersales_work_location()
            warehouse._aftersales_holding_location()
        return True

    def _prepare_aftersales_location_vals(self, name):
        self.ensure_one()
        return {
            "name": name,
            "location_id": self.view_location_id.id,
            "usage": "internal",
            "company_id": self.company_id.id,
        }

    def _aftersales_location(self, fname, name):
        self.ensure_one()
        location = self[fname]
        if not location:
            location = self.env["stock.location"].sudo().create(self._prepare_aftersales_location_vals(name))
            self.sudo()[fname] = location
        return location

    def _aftersales_returns_location(self):
        """The warehouse's non-sellable customer returns location (made with the warehouse)."""
        return self._aftersales_location("aftersales_returns_location_id", self.env._("Customer returns"))

    def _aftersales_refurbished_location(self):
        """The warehouse's refurbished location, awaiting approval (made with the warehouse)."""
        return self._aftersales_location("aftersales_refurbished_location_id", self.env._("Refurbished"))

    def _aftersales_work_location(self):
        """The warehouse's after-sales work location, where requisitioned materials wait
        for their work (made with the warehouse)."""
        return self._aftersales_location("aftersales_work_location_id", self.env._("After-sales work"))

    def _aftersales_holding_location(self):
        """The warehouse's special holding area for cancelled orders (made with the warehouse)."""
        return self._aftersales_location("aftersales_holding_location_id", self.env._("Holding area"))

    def _prepare_aftersales_old_parts_location_vals(self, responsibility):
        self.ensure_one()
        vals = self._prepare_aftersales_location_vals(
            self.env._("Old parts (%(who)s)", who=dict(OLD_PARTS_RESPONSIBILITIES)[responsibility])
        )
        vals["aftersales_old_parts_responsibility"] = responsibility
        return vals

    def _aftersales_old_parts_location(self, responsibility):
        """R21: the warehouse's old-parts location of ``responsibility`` (made on first use)."""
        self.ensure_one()
        location = self.env["stock.location"].sudo().search([
            ("warehouse_id", "=", self.id),
            ("aftersales_old_parts_responsibility", "=", responsibility),
        ], limit=1)
        if not location:
            location = self.env["stock.location"].sudo().create(
                self._prepare_aftersales_old_parts_location_vals(responsibility)
            )
        return location
