# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestReturn(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host = cls._product("Pressure gauge", cls.cat_host, price=250.0)
        cls.acc = cls._product("Gauge fitting", cls.cat_acc, price=10.0)
        cls.part = cls._product("Bourdon tube", cls.cat_acc, price=40.0)
        cls.order = cls._delivered_order({cls.host: 10, cls.acc: 30})
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock, 20)

    def _received(self, quantities, purpose="repair", **vals):
        ret = self._return(self.order, quantities, purpose=purpose, **vals)
        ret.action_submit()
        ret.action_accept()
        receipt = ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(len(receipt), 1)
        self._validate(receipt)
        return ret

    def _finish_repairs(self, ret, with_part=False):
        for repair in ret.repair_ids:
            if with_part:
                self.env["stock.move"].create({
                    "repair_id": repair.id,
                    "product_id": self.part.id,
                    "product_uom_qty": 1,
                    "repair_line_type": "add",
                })
            repair.action_validate()
            for move in repair.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            repair.action_repair_start()
            repair.action_repair_end()

    # --- routing boundaries through the ORM ------------------------------------------

    def test_small_return_is_repaired_by_after_sales(self):
        ret = self._received({self.host: 4, self.acc: 14})
        self.assertEqual(ret.state, "in_repair")
        self.assertEqual(ret.route, "after_sales")
        self.assertEqual(len(ret.repair_ids), 2)
        self.assertEqual(sorted(ret.repair_ids.mapped("product_qty")), [4.0, 14.0])
        self.assertEqual(ret.repair_ids.mapped("partner_id"), self.customer)
        self.assertTrue(all(ret.repair_ids.mapped("under_warranty")), "delivered today: in warranty (R10)")
        self.assertIn("R10", " ".join(ret.message_ids.mapped("body")))
        self.assertIn("R1", " ".join(ret.message_ids.mapped("body")))
        self.assertEqual(sorted(ret.line_ids.mapped("received_quantity")), [4, 14])

    def test_five_hosts_go_to_production(self):
        ret = self._received({self.host: 5})
        self.assertEqual(ret.route, "production")
        self.assertEqual(ret.state, "in_rework")
        mo = ret.production_ids
        self.assertEqual(len(mo), 1)
        self.assertEqual(mo.state, "confirmed")
        self.assertFalse(mo.bom_id.active, "the rework BOM is archived")
        self.assertEqual(mo.bom_id.bom_line_ids.product_id, self.host)

    def test_fifteen_accessories_go_to_production(self):
        ret = self._received({self.acc: 15})
        self.assertEqual(ret.route, "production")

    def test_design_change_opens_a_quality_exception_answered_by_rnd(self):
        ret = self._received({self.host: 6}, needs_design_change=True)
        self.assertEqual(ret.state, "quality_exception")
        self.assertFalse(ret.production_ids)
        self.assertTrue(ret.activity_ids)
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": self.host.product_tmpl_id.id,
            "product_id": self.host.id,
            "code": "REWORK-V2",
            "active": False,
            "bom_line_ids": [(0, 0, {"product_id": self.host.id, "product_qty": 1}),
                             (0, 0, {"product_id": self.part.id, "product_qty": 1})],
        })
        ret.rework_bom_id = bom
        with self.assertRaises(AccessError):
            ret.with_user(self.sales_user).action_issue_bom()
        ret.with_user(self.rnd_user).action_issue_bom()
        self.assertEqual(ret.state, "in_rework")
        self.assertEqual(ret.production_ids.bom_id, bom)

    # --- return for repair end to end ----------------------------------------------------

    def test_out_of_warranty_repairs_are_charged(self):
        self.company.aftersales_default_warranty_months = 0
        ret = self._received({self.host: 1})
        self.assertFalse(ret.under_warranty)
        self.assertFalse(ret.repair_ids.under_warranty)

    def test_return_for_repair_end_to_end(self):
        self.company.aftersales_default_warranty_months = 0  # out of warranty: parts are charged (R7)
        ret = self._received({self.host: 2})
        self.assertEqual(self._qty(self.host, self.stock), 2)
        with self.assertRaisesRegex(UserError, "Finish the repair orders"):
            ret.action_finish_repair()
        self._finish_repairs(ret, with_part=True)
        ret.action_finish_repair()
        self.assertEqual(ret.state, "repaired")
        self.assertEqual(ret.charges, 40.0, "\n".join(ret.message_ids.mapped("body")))
        self.assertTrue(ret.repair_ids.sale_order_id, "replaced parts are charged through a sale order (R7)")
        ret.action_ship_back()
        self.assertEqual(ret.state, "shipped")
        out = ret.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(out), 1)
        self._validate(out)
        self.assertEqual(self._qty(self.host, self.stock), 0)
        ret.action_close()
        self.assertEqual(ret.state, "closed")

    def test_partial_receipt_then_close_receipt(self):
        ret = self._return(self.order, {self.host: 3})
        ret.action_submit()
        ret.action_accept()
        receipt = ret.picking_ids
        self._validate(receipt, {self.host: 1})
        self.assertEqual(ret.state, "partially_received")
        self.assertEqual(ret.line_ids.received_quantity, 1)
        backorder = ret.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertTrue(backorder)
        ret.action_close_receipt()
        self.assertEqual(ret.state, "in_repair")
        self.assertEqual(ret.repair_ids.product_qty, 1.0)

    # --- refund return end to end ----------------------------------------------------------

    def test_refund_return_with_gm_approved_restock_and_credit_note(self):
        ret = self._received({self.host: 3}, purpose="refund")
        self._finish_repairs(ret)
        ret.action_finish_repair()
        self.assertEqual(ret.state, "refurbished")
        ret.with_user(self.as_user).action_stock_in()
        self.assertEqual(ret.state, "awaiting_approval")
        refurbished = self.env.ref("odoo_addon_aftersales.stock_location_refurbished")
        self.assertEqual(self._qty(self.host, refurbished), 3)
        with self.assertRaises(AccessError):
            ret.with_user(self.sales_user).action_approve_stock_in()
        with self.assertRaisesRegex(UserError, "R6"):
            ret.with_user(self.as_manager).action_approve_stock_in()
        self.assertEqual(ret.state, "awaiting_approval")
        self.assertEqual(self._qty(self.host, refurbished), 3)
        ret.with_user(self.gm_user).action_approve_stock_in()
        self.assertEqual(ret.state, "restocked")
        self.assertEqual(ret.stock_in_approved_by_id, self.gm_user)
        self.assertEqual(self._qty(self.host, refurbished), 0)
        self.assertEqual(self._qty(self.host, self.stock), 3)
        ret.settlement = "credit_note"
        ret.action_settle()
        self.assertEqual(ret.state, "settled")
        refund = ret.invoice_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.invoice_line_ids.product_id, self.host)
        self.assertEqual(refund.invoice_line_ids.quantity, 3)
        self.assertAlmostEqual(refund.amount_untaxed, 750.0)
        ret.action_close()
        self.assertEqual(ret.state, "closed")

    def test_refund_by_deduction(self):
        ret = self._received({self.acc: 2}, purpose="refund")
        self._finish_repairs(ret)
        ret.action_finish_repair()
        ret.action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.write({"settlement": "deduction", "deduction_amount": 5.0})
        ret.action_settle()
        self.assertFalse(ret.invoice_ids)
        self.assertIn("Deduction", ret.message_ids[0].body)

    def test_form_buttons_follow_the_core_table(self):
        ret = self._return(self.order, {self.host: 1})
        self.assertEqual(ret.aftersales_actions, ",submit,")
        ret.action_submit()
        self.assertEqual(set(ret.aftersales_actions.strip(",").split(",")), {"accept", "refuse", "cancel"})
        arch = self.env.ref("odoo_addon_aftersales.aftersales_return_view_form").arch
        # Every action of both tables has its button (receiving is validating the picking).
        for action in (set(RETURN_FOR_REPAIR.actions) | set(REFUND_RETURN.actions)) - {"receive"}:
            self.assertIn(f'name="action_{action}"', arch)
            self.assertIn(f"',{action},' not in aftersales_actions", arch)

    # --- bad input and repeated clicks -----------------------------------------------------

    def test_over_return_is_refused_naming_the_product(self):
        before = self.env["aftersales.return.line"].search_count([])
        with self.assertRaises(ValidationError) as err:
            self._return(self.order, {self.host: 11})
        self.assertIn("Pressure gauge: 11 returned is more than the 10", str(err.exception))
        self.env.invalidate_all()
        self.assertEqual(self.env["aftersales.return.line"].search_count([]), before)

    def test_two_returns_cannot_together_exceed_the_delivery(self):
        first = self._return(self.order, {self.host: 6})
        first.action_submit()
        with self.assertRaisesRegex(ValidationError, "more than the 10"):
            self._return(self.order, {self.host: 5})

    def test_negative_and_zero_quantities_are_refused(self):
        for qty in (0, -2):
            with self.assertRaisesRegex(ValidationError, "quantity must be greater than 0"):
                self._return(self.order, {self.host: qty})

    def test_a_second_click_creates_no_second_document(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        ret.action_accept()
        with self.assertRaisesRegex(UserError, "not allowed in state 'accepted'"):
            ret.action_accept()
        self.assertEqual(len(ret.picking_ids), 1)
        ret._aftersales_cmd_receive_return(None)
        self.assertEqual(len(ret.picking_ids), 1)

    def test_cancel_before_the_goods_arrive_frees_the_quantity(self):
        ret = self._return(self.order, {self.host: 10})
        ret.action_submit()
        ret.action_accept()
        ret.action_cancel()
        self.assertEqual(ret.state, "cancelled")
        self.assertEqual(ret.picking_ids.state, "cancel")
        again = self._return(self.order, {self.host: 10})
        again.action_submit()
        self.assertEqual(again.state, "requested")

    def test_cancel_after_a_receipt_is_refused(self):
        ret = self._received({self.host: 1})
        with self.assertRaisesRegex(UserError, "cancel"):
            ret.action_cancel()
        self.assertEqual(ret.state, "in_repair")

    def test_after_sales_user_without_stock_rights_opens_a_return(self):
        clerk = new_test_user(self.env, login="as_clerk", groups="odoo_addon_aftersales.group_aftersales_user")
        move = self.order.picking_ids.move_ids.filtered(lambda m: m.product_id == self.host)
        ret = self.env["aftersales.return"].with_user(clerk).create({
            "partner_id": self.customer.id,
            "reason": "broken dial",
            "line_ids": [(0, 0, {"move_id": move.id, "quantity": 2})],
        })
        self.assertEqual(ret.line_ids.quantity, 2)
        with self.assertRaises(ValidationError):
            ret.line_ids.quantity = 11

    def test_wrong_role_cannot_accept(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        with self.assertRaisesRegex(AccessError, "salesperson"):
            ret.with_user(self.rnd_user).action_accept()
        self.assertEqual(ret.state, "requested")
        self.assertFalse(ret.picking_ids)

    def test_return_window_rejects_late_requests(self):
        self.company.aftersales_return_acceptance_window_days = 1
        ret = self._return(self.order, {self.host: 1}, requested_at="2099-01-01 00:00:00")
        ret.action_submit()
        with self.assertRaisesRegex(UserError, "R4"):
            ret.action_accept()
        self.assertEqual(ret.state, "requested")
