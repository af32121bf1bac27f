# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

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
        returns = self.warehouse.aftersales_returns_location_id
        self.assertEqual(self._qty(self.host, returns), 4, "returned goods wait outside sellable stock")
        self.assertEqual(self._qty(self.host, self.stock), 0)

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
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": self.host.product_tmpl_id.id,
            "product_id": self.host.id,
            "code": "REWORK-V2",
            "active": False,
            "bom_line_ids": [(0, 0, {"product_id": self.host.id, "product_qty": 1}),
                             (0, 0, {"product_id": self.part.id, "product_qty": 1})],
        })
        order = ret.quality_exception_ids
        self.assertEqual(len(order), 1, "one quality exception order per product")
        self.assertEqual(order.product_id, self.host)
        self.assertEqual(order.quantity, 6)
        self.assertTrue(order.activity_ids, "R&D has a to-do on the order")
        with self.assertRaisesRegex(UserError, "R2"):
            ret.with_user(self.rnd_user).action_issue_bom()  # no BOM yet: the core's guard
        self.assertEqual(ret.state, "quality_exception")
        order.with_user(self.rnd_user).write({"rework_bom_id": bom.id, "rnd_decision": "Stronger tube."})
        with self.assertRaises(AccessError):
            ret.with_user(self.sales_user).action_issue_bom()
        order.with_user(self.rnd_user).action_issue_bom()
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
        returns = self.warehouse.aftersales_returns_location_id
        self.assertEqual(self._qty(self.host, returns), 2)
        self.assertEqual(self._qty(self.host, self.stock), 0)
        with self.assertRaisesRegex(UserError, "Finish the repair orders"):
            ret.action_finish_repair()
        self._finish_repairs(ret, with_part=True)
        ret.action_finish_repair()
        self.assertEqual(ret.state, "repaired")
        self.assertEqual(ret.charges, 40.0, "\n".join(ret.message_ids.mapped("body")))
        invoice = ret.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.state, "posted", "replaced parts end in a posted invoice (R7)")
        self.assertEqual(invoice.invoice_line_ids.product_id, self.part)
        self.assertAlmostEqual(invoice.amount_untaxed, 40.0)
        ret.action_ship_back()
        self.assertEqual(ret.state, "shipped")
        out = ret.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(out), 1)
        self.assertNotEqual(out.state, "done", "a warehouse user validates the ship-back")
        self._validate(out)
        self.assertEqual(self._qty(self.host, returns), 0)
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
        refurbished = self.warehouse.aftersales_refurbished_location_id
        self.assertEqual(self._qty(self.host, refurbished), 3)
        with self.assertRaises(AccessError):
            ret.with_user(self.sales_user).action_approve_stock_in()
        with self.assertRaisesRegex(UserError, "R6"):
            ret.with_user(self.as_manager).action_approve_stock_in()  # R6: the policy's approvers
        self.assertEqual(ret.state, "awaiting_approval")
        self.assertEqual(self._qty(self.host, refurbished), 3)
        ret.with_user(self.gm_user).action_approve_stock_in()
        self.assertEqual(ret.state, "restocked")
        self.assertEqual(ret.stock_in_approval_user_id, self.gm_user)
        self.assertTrue(ret.stock_in_approval_at)
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
        deduction = ret.invoice_ids
        self.assertEqual(deduction.move_type, "out_refund", "a deduction is a credit note")
        self.assertEqual(deduction.state, "posted")
        self.assertAlmostEqual(deduction.amount_total, 5.0)

    def test_refund_by_payment(self):
        ret = self._received({self.host: 1}, purpose="refund")
        self._finish_repairs(ret)
        ret.action_finish_repair()
        ret.action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.settlement = "payment"
        ret.action_settle()
        refund = ret.invoice_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertAlmostEqual(refund.amount_untaxed, 250.0)
        payment = ret.payment_ids
        self.assertEqual(payment.payment_type, "outbound", "the refund is paid out to the customer")
        self.assertAlmostEqual(payment.amount, refund.amount_total)
        self.assertEqual(payment.state, "in_process")

    def test_gm_only_user_approves_the_stock_in(self):
        gm_only = new_test_user(
            self.env, login="as_gm_only", groups="odoo_addon_aftersales.group_aftersales_general_manager"
        )
        ret = self._received({self.host: 1}, purpose="refund")
        self._finish_repairs(ret)
        ret.action_finish_repair()
        ret.action_stock_in()
        self.assertIs(ret.with_user(gm_only).action_approve_stock_in(), True)
        self.assertEqual(ret.state, "restocked")
        self.assertEqual(self._qty(self.host, self.stock), 1)

    def test_two_lots_of_one_product_routed_to_production_get_two_orders(self):
        lotted = self.env["product.product"].create({
            "name": "Serial gauge", "is_storable": True, "tracking": "lot", "categ_id": self.cat_host.id,
            "list_price": 300.0, "invoice_policy": "delivery",
        })
        lot_a = self.env["stock.lot"].create({"name": "LOT-A", "product_id": lotted.id})
        lot_b = self.env["stock.lot"].create({"name": "LOT-B", "product_id": lotted.id})
        self.env["stock.quant"]._update_available_quantity(lotted, self.stock, 3, lot_id=lot_a)
        self.env["stock.quant"]._update_available_quantity(lotted, self.stock, 3, lot_id=lot_b)
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [(0, 0, {"product_id": lotted.id, "product_uom_qty": 6})],
        })
        order.action_confirm()
        delivery = order.picking_ids
        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery.button_validate()
        move = delivery.move_ids
        ret = self.env["aftersales.return"].create({
            "partner_id": self.customer.id, "reason": "drift",
            "line_ids": [(0, 0, {"move_id": move.id, "lot_id": lot_a.id, "quantity": 3}),
                         (0, 0, {"move_id": move.id, "lot_id": lot_b.id, "quantity": 3})],
        })
        ret.action_submit()
        ret.action_accept()
        receipt = ret.picking_ids
        self.assertEqual(sorted(receipt.move_line_ids.lot_id.mapped("name")), ["LOT-A", "LOT-B"])
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(ret.line_ids.mapped("received_quantity"), [3, 3], "each lot counted once")
        self.assertEqual(ret.route, "production")
        self.assertEqual(len(ret.production_ids), 2, "one rework order per line")
        self.assertEqual(ret.production_ids.aftersales_line_id, ret.line_ids)
        for production in ret.production_ids:
            lot = production.aftersales_line_id.lot_id
            self.assertEqual(production.lot_producing_id, lot, "reworked under its own lot")
            consumed = production.move_raw_ids.filtered(lambda m: m.product_id == lotted).move_line_ids
            self.assertEqual(consumed.lot_id, lot, "the MO consumes its own line's lot")
        returns = self.warehouse.aftersales_returns_location_id
        quants = self.env["stock.quant"].search([("product_id", "=", lotted.id), ("location_id", "=", returns.id)])
        self.assertEqual(sorted(quants.mapped("lot_id.name")), ["LOT-A", "LOT-B"])

    def test_two_lines_of_one_product_from_two_orders_get_their_own_repairs(self):
        second = self._delivered_order({self.host: 2})
        ret = self.env["aftersales.return"].create({
            "partner_id": self.customer.id, "reason": "drift", "purpose": "refund",
            "line_ids": [
                (0, 0, {
                    "move_id": self.order.picking_ids.move_ids.filtered(lambda m: m.product_id == self.host).id,
                    "quantity": 1,
                }),
                (0, 0, {"move_id": second.picking_ids.move_ids.id, "quantity": 2}),
            ],
        })
        ret.action_submit()
        ret.action_accept()
        self.assertEqual(len(ret.picking_ids), 2, "a receipt per original delivery")
        for receipt in ret.picking_ids:
            self._validate(receipt)
        self.assertEqual(ret.state, "in_repair")
        self.assertEqual(sorted(ret.repair_ids.mapped("product_qty")), [1.0, 2.0])
        self.assertEqual(ret.repair_ids.aftersales_line_id, ret.line_ids)
        self._finish_repairs(ret)
        ret.action_finish_repair()
        ret.action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.settlement = "credit_note"
        ret.action_settle()
        refunds = ret.invoice_ids
        self.assertEqual(len(refunds), 2, "each sale order's invoice is reversed")
        self.assertEqual(sorted(refunds.invoice_line_ids.mapped("quantity")), [1.0, 2.0])
        self.assertAlmostEqual(sum(refunds.mapped("amount_untaxed")), 750.0)

    def test_a_parents_class_reaches_the_lines(self):
        parent = self.env["product.category"].create({"name": "Instruments"})
        child = self.env["product.category"].create({"name": "Dials", "parent_id": parent.id})
        dial = self._product("Dial", child)
        order = self._delivered_order({dial: 1})
        ret = self._return(order, {dial: 1})
        self.assertEqual(ret.line_ids.product_class, "accessory")
        parent.aftersales_product_class = "host"
        self.assertEqual(ret.line_ids.product_class, "host", "the stored class follows the parent")

    def test_lines_are_frozen_once_submitted(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        with self.assertRaisesRegex(UserError, "frozen"):
            ret.line_ids.with_user(self.sales_user).quantity = 3
        with self.assertRaisesRegex(UserError, "frozen"):
            ret.line_ids.with_user(self.sales_user).unlink()
        with self.assertRaisesRegex(UserError, "frozen"):
            ret.line_ids.with_context(aftersales_state_write="forged").write({"received_quantity": 1})
        self.assertEqual(ret.line_ids.quantity, 1)

    def test_default_state_in_the_context_is_refused(self):
        with self.assertRaisesRegex(UserError, "starts in state"):
            self.env["aftersales.return"].with_user(self.sales_user).with_context(default_state="closed").create({
                "partner_id": self.customer.id, "reason": "x",
            })

    def test_r10_per_line_from_its_category(self):
        old_cat = self.env["product.category"].create({
            "name": "Short warranty", "aftersales_product_class": "accessory", "aftersales_warranty_months": 1,
        })
        short = self._product("Short part", old_cat, price=5.0)
        order = self._delivered_order({short: 2})
        order.picking_ids.move_ids.date = "2020-01-01 00:00:00"
        ret = self._return(order, {short: 1})
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids)
        self.assertFalse(ret.line_ids.under_warranty, "1 month from 2020: out of warranty (R10)")
        self.assertFalse(ret.repair_ids.under_warranty)

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
        self.assertIn("Pressure gauge: 11 to return, but only 10 of the 10 delivered", str(err.exception))
        self.env.invalidate_all()
        self.assertEqual(self.env["aftersales.return.line"].search_count([]), before)

    def test_two_returns_cannot_together_exceed_the_delivery(self):
        first = self._return(self.order, {self.host: 6})
        first.action_submit()
        with self.assertRaisesRegex(ValidationError, "5 to return, but only 4 of the 10"):
            self._return(self.order, {self.host: 5})

    def test_an_old_draft_cannot_over_return_at_submit_or_accept(self):
        """Issue 13: a draft saved while quantity was free is checked again when it commits."""
        old = self._return(self.order, {self.host: 6})
        newer = self._return(self.order, {self.host: 6})
        newer.action_submit()
        before = (old.state, old.line_ids.quantity)
        with self.assertRaisesRegex(ValidationError, "6 to return, but only 4"):
            old.action_submit()
        self.assertEqual((old.state, old.line_ids.quantity), before)
        newer_accepted = self._return(self.order, {self.host: 4})
        newer_accepted.action_submit()
        newer.action_cancel()  # frees 6 again
        old.action_submit()  # 6 of the 6 free
        self.assertEqual(old.state, "requested")

    def test_negative_and_zero_quantities_are_refused(self):
        for qty in (0, -2):
            with self.assertRaisesRegex(ValidationError, "quantity must be greater than 0"):
                self._return(self.order, {self.host: qty})

    def test_a_second_click_creates_no_second_document(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        ret.action_accept()
        with self.assertRaisesRegex(UserError, "“Accept” is not possible while it is accepted"):
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
        with self.assertRaisesRegex(UserError, "“Cancel” is not possible while it is in repair"):
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
        with self.assertRaisesRegex(AccessError, "Salesperson"):
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


@tagged("post_install", "-at_install")
class TestOtherFlowsPayNothing(TransactionCase):
    def test_no_stored_field_of_the_module_depends_on_stock_documents(self):
        """Writing a stock move, picking or lot recomputes nothing of this module (other
        modules' flows, e.g. OCA rma's, must not pay for the after-sales one)."""
        registry = self.env.registry
        found = []
        for model in ("stock.move", "stock.move.line", "stock.picking", "stock.lot", "stock.quant"):
            fields_ = list(self.env[model]._fields.values())
            tree = registry.get_trigger_tree(fields_, select=lambda f: f.store)
            for node in tree.depth_first():
                found += [
                    f"{model} -> {f.model_name}.{f.name}"
                    for f in node.root
                    if f.model_name.startswith("aftersales.") or f.name.startswith("aftersales_")
                ]
        self.assertFalse(found, "\n".join(sorted(set(found))))
