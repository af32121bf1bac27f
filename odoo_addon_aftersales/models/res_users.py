# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Map Odoo groups onto the roles of the core (SPEC.md, "Roles")."""

from aftersales_core.roles import Role
from aftersales_core.workflows.engine import Actor

from odoo import SUPERUSER_ID, fields, models

# group xml id -> roles it grants (implied groups are in groups_id already)
GROUP_ROLES = {
    "base.group_portal": (Role.CUSTOMER,),
    "sales_team.group_sale_salesman": (Role.SALESPERSON,),
    "sales_team.group_sale_manager": (Role.SALES_HEAD,),
    "odoo_addon_aftersales.group_aftersales_user": (Role.AFTER_SALES, Role.MAINTENANCE),
    "odoo_addon_aftersales.group_aftersales_manager": (
        Role.AFTER_SALES_MANAGER,
        Role.DUTY_MANAGER,
    ),
    "mrp.group_mrp_user": (Role.PRODUCTION,),
    "mrp.group_mrp_manager": (Role.PRODUCTION_MANAGER,),
    "odoo_addon_aftersales.group_aftersales_rnd": (Role.RND,),
    "purchase.group_purchase_user": (Role.PMC,),
    "odoo_addon_aftersales.group_aftersales_quality": (Role.QUALITY,),
    "stock.group_stock_user": (Role.WAREHOUSE,),
    "odoo_addon_aftersales.group_aftersales_general_manager": (Role.GENERAL_MANAGER,),
    "account.group_account_invoice": (Role.FINANCE,),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_stock_location_id = fields.Many2one(
        "stock.location", string="Technician's stock location",
        help="Parts a technician uses on site come out of this location.",
    )

    def _aftersales_roles(self):
        """The core roles of this user, from the user's groups (implied ones included)."""
        self.ensure_one()
        group_ids = set(self.sudo().groups_id.ids)
        roles = set()
        model_data = self.env["ir.model.data"]
        for xmlid, granted in GROUP_ROLES.items():
            # cached lookup of the id (env.ref would also query that the group exists)
            if model_data._xmlid_to_res_id(xmlid, raise_if_not_found=False) in group_ids:
                roles.update(granted)
        if self.id == SUPERUSER_ID:
            roles.add(Role.SYSTEM)
        return frozenset(roles)

    def _aftersales_actor(self):
        """This user as the core's :class:`Actor`: its id as text (the host's key, so a
        signature the core sets is stored as this user) and its roles."""
        self.ensure_one()
        return Actor(user=str(self.id), roles=self._aftersales_roles())
