# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Links from Odoo's documents to on-site service visits, and the old-parts locations."""

from aftersales_core.commands import ReturnOldParts

from odoo import fields, models
from odoo.exceptions import UserError

RESPONSIBILITIES = [
    (r, r.capitalize())
    for r in ReturnOldParts.model_fields["responsibility"].annotation.__args__
]
VISIT_ROLES = [
    ("parts", "Parts used on site"),
    ("old_parts", "Old parts back (R21)"),
    ("vendor_return", "Return to vendor (R21)"),
]


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_visit_id = fields.Many2one(
        "aftersales.service.visit", string="On-site service", index="btree_not_null", copy=False
    )
    aftersales_visit_role = fields.Selection(VISIT_ROLES, string="Role in the visit", copy=False)


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_visit_id = fields.Many2one(
        "aftersales.service.visit", string="On-site service", index="btree_not_null", copy=False
    )


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_old_parts_responsibility = fields.Selection(
        RESPONSIBILITIES, string="Old parts of", copy=False,
        help="R21: old parts brought back from site, sorted by responsibility.",
    )


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _prepare_aftersales_old_parts_location_vals(self, responsibility):
        self.ensure_one()
        vals = self._prepare_aftersales_location_vals(
            self.env._("Old parts (%(who)s)", who=dict(RESPONSIBILITIES)[responsibility])
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


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_stock_location_id = fields.Many2one(
        "stock.location", string="Technician's stock location",
        help="Parts a technician uses on site come out of this location.",
    )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_marine = fields.Boolean(
        string="Marine product", help="R13: a quality problem suspends its production (CCS rules)."
    )
    aftersales_suspended_by_id = fields.Many2one(
        "aftersales.quality.feedback", string="Production suspended by", copy=False, readonly=True,
        help="R13: the feedback sheet whose correction quality control has not verified yet.",
    )


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def _aftersales_check_not_suspended(self):
        suspended = self.filtered(lambda p: p.product_id.product_tmpl_id.aftersales_suspended_by_id)
        if suspended:
            first = suspended[0]
            raise UserError(self.env._(
                "R13: production of the marine product %(product)s is suspended by %(sheet)s until "
                "quality control verifies the correction (%(orders)s).",
                product=first.product_id.display_name,
                sheet=first.product_id.product_tmpl_id.aftersales_suspended_by_id.name,
                orders=", ".join(suspended.mapped("name")),
            ))

    def action_confirm(self):
        self._aftersales_check_not_suspended()
        return super().action_confirm()

    def button_mark_done(self):
        self._aftersales_check_not_suspended()
        return super().button_mark_done()


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_classification_society_id = fields.Many2one(
        "res.partner", string="Classification society contact",
        help="R13: e-mailed when a marine product's production is suspended (e.g. CCS).",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_classification_society_id = fields.Many2one(
        related="company_id.aftersales_classification_society_id", readonly=False
    )
