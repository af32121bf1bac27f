# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestReturnHttp(HttpCase, AftersalesCase):
    """The buttons of a return through the web client's JSON-RPC, as real users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host = cls._product("Level gauge", cls.cat_host)
        cls.order = cls._delivered_order({cls.host: 3})
        cls.rnd_web = new_test_user(cls.env, login="as_rnd_web", password="as_rnd_web_pw12",
                                    groups="odoo_addon_aftersales.group_aftersales_rnd")
        cls.sales_web = new_test_user(cls.env, login="as_sales_web", password="as_sales_web_pw12",
                                      groups="sales_team.group_sale_salesman,stock.group_stock_user")

    def _call(self, method, record):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": record._name, "method": method, "args": [record.ids], "kwargs": {},
        })

    def test_salesperson_accepts_over_http_and_rnd_is_refused(self):
        ret = self._return(self.order, {self.host: 2})
        self.authenticate("as_sales_web", "as_sales_web_pw12")
        self._call("action_submit", ret)
        ret.invalidate_recordset()
        self.assertEqual(ret.state, "requested")

        self.authenticate("as_rnd_web", "as_rnd_web_pw12")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as err:
            self._call("action_accept", ret)
        self.assertEqual(str(err.exception), "odoo.exceptions.AccessError")
        ret.invalidate_recordset()
        self.assertEqual(ret.state, "requested")
        self.assertFalse(ret.picking_ids)

        self.authenticate("as_sales_web", "as_sales_web_pw12")
        self._call("action_accept", ret)
        ret.invalidate_recordset()
        self.assertEqual(ret.state, "accepted")
        self.assertEqual(len(ret.picking_ids), 1)
