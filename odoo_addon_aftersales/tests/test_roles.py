# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from aftersales_core.roles import Role

from odoo import SUPERUSER_ID
from odoo.tests import new_test_user, tagged

from .ticket_common import TicketCase


@tagged("post_install", "-at_install")
class TestRoles(TicketCase):
    def test_plain_user_has_no_role(self):
        plain = new_test_user(self.env, "asA_plain", groups="base.group_user")
        self.assertEqual(plain._aftersales_roles(), frozenset())

    def test_after_sales_user(self):
        self.assertEqual(
            self.as_user._aftersales_roles(), frozenset({Role.AFTER_SALES, Role.MAINTENANCE})
        )

    def test_manager_implies_user(self):
        self.assertEqual(
            self.as_manager._aftersales_roles(),
            frozenset(
                {Role.AFTER_SALES, Role.MAINTENANCE, Role.AFTER_SALES_MANAGER, Role.DUTY_MANAGER}
            ),
        )

    def test_odoo_groups_map_to_roles(self):
        user = new_test_user(
            self.env,
            "asA_many",
            groups=",".join(
                [
                    "base.group_user",
                    "sales_team.group_sale_manager",
                    "mrp.group_mrp_manager",
                    "purchase.group_purchase_user",
                    "stock.group_stock_user",
                    "account.group_account_invoice",
                    "odoo_addon_aftersales.group_aftersales_rnd",
                    "odoo_addon_aftersales.group_aftersales_quality",
                    "odoo_addon_aftersales.group_aftersales_general_manager",
                ]
            ),
        )
        roles = user._aftersales_roles()
        for role in (
            Role.SALESPERSON,  # implied by the sales manager group
            Role.SALES_HEAD,
            Role.PRODUCTION,
            Role.PRODUCTION_MANAGER,
            Role.PMC,
            Role.WAREHOUSE,
            Role.FINANCE,
            Role.RND,
            Role.QUALITY,
            Role.GENERAL_MANAGER,
        ):
            self.assertIn(role, roles)
        self.assertNotIn(Role.SYSTEM, roles)
        # R&D, quality and the general manager do not act as after-sales staff
        self.assertNotIn(Role.AFTER_SALES, roles)
        self.assertNotIn(Role.AFTER_SALES_MANAGER, roles)

    def test_quality_is_not_after_sales(self):
        quality = new_test_user(
            self.env, "asA_quality", groups="odoo_addon_aftersales.group_aftersales_quality"
        )
        self.assertEqual(quality._aftersales_roles(), frozenset({Role.QUALITY}))

    def test_actor(self):
        actor = self.salesman._aftersales_actor()
        self.assertEqual(actor.user, str(self.salesman.id), "the host key of the user")
        self.assertEqual(actor.roles, frozenset({Role.SALESPERSON}))

    def test_superuser_is_system(self):
        root = self.env["res.users"].browse(SUPERUSER_ID)
        self.assertIn(Role.SYSTEM, root._aftersales_roles())
        self.assertNotIn(Role.SYSTEM, self.as_manager._aftersales_roles())
