# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

GROUP_USER = "odoo_addon_aftersales.group_aftersales_user"
GROUP_MANAGER = "odoo_addon_aftersales.group_aftersales_manager"


class TicketCase(TransactionCase):
    """Users of each role, a customer, a lot-tracked storable product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        # these tests deliver unpaid orders: the payment cut-off (R14) and the other
        # order processing gates are tested in test_order_processing
        cls.company.aftersales_order_processing = False
        cls.as_user = new_test_user(cls.env, "asA_user", groups=f"base.group_user,{GROUP_USER}")
        cls.as_manager = new_test_user(
            cls.env, "asA_manager", groups=f"base.group_user,{GROUP_MANAGER}"
        )
        cls.salesman = new_test_user(
            cls.env, "asA_salesman", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Harbour Pumps Ltd"})
        cls.product = cls.env["product.product"].create(
            {"name": "Bilge pump BP-40", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "LOT-2026-07", "product_id": cls.product.id})
        cls.stock = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        ).lot_stock_id

    def _ticket(self, user=None, **values):
        vals = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "description": "The pump stops after ten minutes.",
            "channel": "phone",
        }
        vals.update(values)
        return self.env["aftersales.ticket"].with_user(user or self.as_user).create(vals)
