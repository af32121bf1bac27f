# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import inspect
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.odoo_addon_aftersales.models.aftersales_workflow_mixin import STATE_WRITE

from .common import AftersalesCase

MODELS = ("aftersales.return", "aftersales.ticket", "aftersales.quality.exception")


@tagged("post_install", "-at_install")
class TestButtonsOverXmlRpc(HttpCase, AftersalesCase):
    """Every public button of every model, called over XML-RPC as a company's integration
    would: each returns something XML-RPC can marshal (True or an action), never None."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host = cls._product("Flow meter", cls.cat_host, price=300.0)
        cls.part = cls._product("Seal kit", cls.cat_acc, price=20.0)
        cls.order = cls._delivered_order({cls.host: 30})
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock, 10)
        grp = "odoo_addon_aftersales.group_aftersales_"
        cls.quality_user = new_test_user(cls.env, login="as_quality_x", groups=f"{grp}quality")
        cls.prod_user = new_test_user(cls.env, login="as_prod_x", groups="mrp.group_mrp_user")
        cls.wh_user = new_test_user(cls.env, login="as_wh_x", groups="stock.group_stock_user")
        cls.manager_x = new_test_user(cls.env, login="as_manager_x", groups=f"{grp}manager,stock.group_stock_user")
        cls.called = set()
        cls.admin = cls.env.ref("base.user_admin")
        for user in (cls.sales_user | cls.as_user | cls.as_manager | cls.gm_user | cls.rnd_user
                     | cls.quality_user | cls.prod_user | cls.wh_user | cls.manager_x | cls.admin):
            user.password = f"{user.login}-pw-2026"

    def _rpc(self, user, record, method):
        """Call ``method`` on ``record`` over XML-RPC as ``user`` (password = login)."""
        result = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, f"{user.login}-pw-2026", record._name, method, [record.ids]
        )
        self.assertIsNotNone(result)
        self.assertTrue(result is True or isinstance(result, dict), f"{method} returned {result!r}")
        self.called.add((record._name, method))
        self.env.invalidate_all()
        return result

    def _received(self, qty, purpose, **vals):
        ret = self._return(self.order, {self.host: qty}, purpose=purpose, **vals)
        self._rpc(self.sales_user, ret, "action_submit")
        self._rpc(self.sales_user, ret, "action_accept")
        self._validate(ret.picking_ids)
        return ret

    def _finish_repairs(self, ret):
        for repair in ret.repair_ids:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()

    def _finish_productions(self, ret):
        for production in ret.production_ids:
            production.qty_producing = production.product_qty
            production.move_raw_ids.picked = True
            production.button_mark_done()

    def test_every_button_over_xmlrpc(self):
        # a return for repair: repair route, ship back, smart buttons
        ret = self._received(1, "repair")
        self.assertEqual(ret.state, "in_repair")
        self._finish_repairs(ret)
        self._rpc(self.as_user, ret, "action_finish_repair")
        self._rpc(self.sales_user, ret, "action_ship_back")
        self._rpc(self.sales_user, ret, "action_close")
        for view in ("action_view_pickings", "action_view_repairs", "action_view_productions",
                     "action_view_invoices", "action_view_payments", "action_view_quality_exceptions"):
            self._rpc(self.admin, ret, view)

        # a refund return through production rework, inspection, stock-in and approval
        ret = self._received(5, "refund")
        self.assertEqual(ret.state, "in_rework")
        self._finish_productions(ret)
        self._rpc(self.prod_user, ret, "action_finish_rework")
        ret.test_findings = "scale off by 2 %"
        self._rpc(self.quality_user, ret, "action_fail_inspection")
        self._rpc(self.prod_user, ret, "action_finish_rework")
        self._rpc(self.quality_user, ret, "action_pass_inspection")
        self._rpc(self.as_user, ret, "action_stock_in")
        self._rpc(self.gm_user, ret, "action_approve_stock_in")
        ret.settlement = "credit_note"
        self._rpc(self.sales_user, ret, "action_settle")
        self.assertEqual(ret.state, "settled")

        # a quality exception answered by R&D on its order
        ret = self._received(6, "repair", needs_design_change=True)
        self.assertEqual(ret.state, "quality_exception")
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": self.host.product_tmpl_id.id, "product_id": self.host.id,
            "code": "RW", "active": False,
            "bom_line_ids": [(0, 0, {"product_id": self.host.id, "product_qty": 1})],
        })
        ret.quality_exception_ids.rework_bom_id = bom
        self._rpc(self.rnd_user, ret.quality_exception_ids, "action_issue_bom")
        self.assertEqual(ret.state, "in_rework")
        ret2 = self._received(6, "repair", needs_design_change=True)
        ret2.quality_exception_ids.rework_bom_id = bom
        self._rpc(self.rnd_user, ret2, "action_issue_bom")

        # partial receipt, close receipt; refuse; cancel; a manual route
        ret = self._return(self.order, {self.host: 2})
        self._rpc(self.sales_user, ret, "action_submit")
        self._rpc(self.sales_user, ret, "action_accept")
        self._validate(ret.picking_ids, {self.host: 1})
        self.assertEqual(ret.state, "partially_received")
        self._rpc(self.sales_user, ret, "action_close_receipt")
        self.assertEqual(ret.state, "in_repair")
        refused = self._return(self.order, {self.host: 1})
        self._rpc(self.sales_user, refused, "action_submit")
        self._rpc(self.sales_user, refused, "action_refuse")
        cancelled = self._return(self.order, {self.host: 1})
        self._rpc(self.sales_user, cancelled, "action_submit")
        self._rpc(self.sales_user, cancelled, "action_cancel")
        stuck = self._return(self.order, {self.host: 1})
        stuck.with_context(aftersales_state_write=STATE_WRITE).write({"state": "received"})
        stuck.line_ids.with_context(aftersales_state_write=STATE_WRITE).write({"received_quantity": 1})
        self._rpc(self.as_user, stuck, "action_route")
        self.assertEqual(stuck.state, "in_repair")

        # complaints: every path of the complaint form
        def ticket(**vals):
            return self.env["aftersales.ticket"].create({
                "partner_id": self.customer.id, "description": "Reads zero.", "product_id": self.host.id,
                "sale_order_id": self.order.id, **vals,
            })

        t = ticket()
        self._rpc(self.as_user, t, "action_record")
        t.handling_opinion = "Reset the transmitter."
        self._rpc(self.as_user, t, "action_answer_on_spot")
        t.customer_accepted = True
        self._rpc(self.as_user, t, "action_close")
        t = ticket(cause="not_company")
        self._rpc(self.as_user, t, "action_record")
        self._rpc(self.as_user, t, "action_assess")
        t.handling_opinion = "Explained the start-up sequence."
        self._rpc(self.as_user, t, "action_explain")
        t = ticket(cause="product_quality")
        self._rpc(self.as_user, t, "action_record")
        self._rpc(self.as_user, t, "action_assess")
        t.resolution = "return_for_repair"
        self._rpc(self.as_user, t, "action_request_return")
        self._rpc(self.as_user, t, "action_create_return")
        self._rpc(self.as_user, t, "action_view_returns")
        t.write({"closing_reason": "No answer.", "last_contact_at": fields.Datetime.now() - timedelta(days=30)})
        self._rpc(self.manager_x, t, "action_close_unaccepted")
        t = ticket(cause="product_quality")
        self._rpc(self.as_user, t, "action_record")
        self._rpc(self.as_user, t, "action_assess")
        self._rpc(self.as_user, t, "action_dispatch_service")
        t = ticket(cause="product_quality")
        self._rpc(self.as_user, t, "action_record")
        self._rpc(self.as_user, t, "action_assess")
        t.write({"payout_amount": 80.0, "handling_opinion": "Refund of the seal."})
        self._rpc(self.manager_x, t, "action_start_payout")
        self._rpc(self.admin, t, "action_view_payments")
        t = ticket(closing_reason="Filed twice.")
        self._rpc(self.as_user, t, "action_record")
        self._rpc(self.manager_x, t, "action_cancel")

        # every public button of every model was called
        buttons = {
            (model, name)
            for model in MODELS
            for cls in type(self.env[model]).__mro__
            if cls.__module__.startswith("odoo.addons.odoo_addon_aftersales.")
            for name, _member in inspect.getmembers(cls, inspect.isfunction)
            if name.startswith("action_") and name in cls.__dict__
        }
        self.assertGreater(len(buttons), 30)
        self.assertFalse(buttons - self.called, f"buttons never called over XML-RPC: {sorted(buttons - self.called)}")
