# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestReturnTour(HttpCase, AftersalesCase):
    """The web client in headless Chromium (Debian's `chromium`), as an after-sales manager."""

    def test_refund_return_awaiting_approval_screens(self):
        manager = new_test_user(
            self.env, login="as_tour", groups="odoo_addon_aftersales.group_aftersales_manager,stock.group_stock_user"
        )
        manager.password = "as_tour"
        product = self._product("Tour gauge", self.cat_host)
        order = self._delivered_order({product: 2})
        self._return(order, {product: 1}, purpose="refund")  # a draft, first column
        ret = self._return(order, {product: 1}, purpose="refund")
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids)
        for repair in ret.repair_ids:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()
        ret.action_finish_repair()
        ret.with_user(self.as_user).action_stock_in()
        self.assertEqual(ret.state, "awaiting_approval")
        self.start_tour(
            "/odoo/action-odoo_addon_aftersales.aftersales_return_action?view_type=list",
            "aftersales_return_screens",
            login="as_tour",
        )
