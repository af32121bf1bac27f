# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Special orders (R3): the contract review of a quotation, small and large paths, with
real manufacturing orders, purchase RFQs, a project and deliveries."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

GRP = "odoo_addon_aftersales.group_aftersales_"


@tagged("post_install", "-at_install")
class TestContractReview(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        # the special orders are paid as agreed; the payment gates are order processing's
        cls.company.aftersales_order_processing = False
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.salesman = new_test_user(
            cls.env, login="cr_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        # after-sales modify BOMs: manufacturing administrators too
        cls.as_user = new_test_user(
            cls.env, login="cr_as", groups=f"{GRP}user,mrp.group_mrp_manager,stock.group_stock_user"
        )
        cls.rnd = new_test_user(cls.env, login="cr_rnd", groups=f"{GRP}rnd,mrp.group_mrp_user")
        cls.pmc = new_test_user(
            cls.env, login="cr_pmc", groups="purchase.group_purchase_user,stock.group_stock_manager"
        )
        cls.quality = new_test_user(cls.env, login="cr_qc", groups=f"{GRP}quality")
        cls.storekeeper = new_test_user(cls.env, login="cr_wh", groups="stock.group_stock_user")
        cls.customer = cls.env["res.partner"].create({"name": "Harbour Authority"})
        cls.vendor = cls.env["res.partner"].create({"name": "Float Supplies Co"})
        cls.float = cls.env["product.product"].create({"name": "Float F-2", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.float, cls.stock, 20)
        cls.marine_float = cls.env["product.product"].create({
            "name": "Marine float MF-7", "is_storable": True,
            "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": 12.0})],
        })
        cls.system = cls.env["product.product"].create({
            "name": "Level system LS-9", "is_storable": True, "list_price": 300.0,
        })
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.system.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": cls.float.id, "product_qty": 1})],
        })

    def _review(self, qty):
        order = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.system.id, "product_uom_qty": qty})],
        })
        order.with_user(self.salesman).action_aftersales_contract_review()
        review = order.sudo().aftersales_contract_review_ids
        review.with_user(self.salesman).requirements = "Stainless housing, IP68."
        return review

    def _produce(self, productions):
        for production in productions:
            production.qty_producing = production.product_qty
            production.move_raw_ids.picked = True
            production.button_mark_done()

    def _validate(self, picking):
        picking = picking.with_user(self.storekeeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()

    def test_small_order_modified_batch_tested_and_shipped(self):
        review = self._review(10)  # exactly 10 sets: small by default (R3)
        self.assertEqual(review.quantity, 10)
        review.with_user(self.salesman).action_review()
        self.assertEqual((review.route, review.state), ("after_sales", "modifying"))
        self.assertIn("R3", review.message_ids[0].body)
        review.with_user(self.as_user).action_modified_bom()
        modified = review.modified_bom_id
        self.assertTrue(modified and modified != self.bom)
        self.assertEqual(modified.aftersales_contract_review_id, review)
        modified.bom_line_ids.with_user(self.as_user).product_qty = 2  # the modification per the form
        review.with_user(self.as_user).action_make_batch()
        production = review.production_ids
        self.assertEqual((production.bom_id, production.product_qty, production.state), (modified, 10, "confirmed"))
        self.assertEqual(production.move_raw_ids.product_uom_qty, 20)
        with self.assertRaisesRegex(UserError, "build the modified batch first"):
            review.with_user(self.as_user).action_test_batch()
        self._produce(production)
        review.with_user(self.as_user).write({"modifications": "Float doubled", "test_result": "failed"})
        with self.assertRaisesRegex(UserError, r"Test Result must be 'passed'.*R3"):
            review.with_user(self.as_user).action_test_batch()
        review.with_user(self.as_user).test_result = "passed"
        review.with_user(self.as_user).action_test_batch()
        self.assertEqual(review.state, "tested")
        with self.assertRaises(AccessError):
            review.with_user(self.as_user).action_ship()  # the business ships
        review.with_user(self.salesman).action_ship()
        self.assertEqual(review.state, "shipped")
        order = review.sale_order_id
        self.assertEqual(order.state, "sale")
        delivery = order.picking_ids
        self.assertEqual(delivery.move_ids.product_uom_qty, 10)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10)

    def test_large_order_samples_project_bom_procurement_inspection(self):
        self.env.ref("stock.route_warehouse0_mto").active = True
        review = self._review(11)
        review.with_user(self.salesman).action_review()
        self.assertEqual((review.route, review.state), ("mass_production", "sampling"))
        # samples: a sample manufacturing order and a sample delivery
        review.sample_quantity = 2
        review.with_user(self.as_user).action_make_samples()
        sample_mo = review.production_ids
        self.assertEqual((sample_mo.product_qty, sample_mo.state), (2, "confirmed"))
        sample_delivery = review.picking_ids
        self.assertEqual(sample_delivery.picking_type_id, self.warehouse.out_type_id)
        self._produce(sample_mo)
        sample_delivery.action_assign()
        self._validate(sample_delivery)
        self.assertEqual(sample_delivery.state, "done")
        review.with_user(self.salesman).sample_result = "passed"
        review.with_user(self.salesman).action_approve_samples()
        self.assertEqual(review.state, "rnd_filing")
        self.assertTrue(review.activity_ids.filtered(lambda a: a.user_id == self.rnd))
        # R&D files the project and issues the BOM
        with self.assertRaisesRegex(UserError, "R&D files the project"):
            review.with_user(self.salesman).action_file_project()
        review.with_user(self.rnd).action_file_project()
        self.assertEqual(review.project_id.aftersales_contract_review_id, review)
        rnd_bom = self.env["mrp.bom"].with_user(self.rnd).sudo().create({
            "product_tmpl_id": self.system.product_tmpl_id.id,
            "code": "LS-9 marine",
            "bom_line_ids": [Command.create({"product_id": self.marine_float.id, "product_qty": 3})],
        })
        with self.assertRaisesRegex(UserError, "BOM issued by R&D"):
            review.with_user(self.rnd).action_issue_bom()
        review.with_user(self.rnd).bom_id = rnd_bom
        review.with_user(self.rnd).action_issue_bom()
        self.assertEqual(review.state, "purchasing")
        self.assertEqual(rnd_bom.aftersales_contract_review_id, review)
        # procurement: the quotation confirmed, its MO and the components' RFQ
        order = review.sale_order_id
        self.assertEqual(order.state, "sale")
        production = review.production_ids - sample_mo
        self.assertEqual(len(production), 1)
        self.assertEqual((production.bom_id, production.product_qty), (rnd_bom, 11))
        purchases = review._aftersales_purchases()
        self.assertEqual(purchases.partner_id, self.vendor)
        self.assertEqual(purchases.order_line.product_id, self.marine_float)
        self.assertEqual(purchases.order_line.product_qty, 33)
        self.assertEqual(review.purchase_count, 1)
        # PMC buys, production builds
        purchases.button_confirm()
        self._validate(purchases.picking_ids)
        review.with_user(self.pmc).action_start_production()
        self.assertEqual(review.state, "producing")
        self.assertIn(production.state, ("confirmed", "progress"))
        production.action_assign()
        with self.assertRaisesRegex(UserError, "quality inspects what was built"):
            review.with_user(self.quality).action_inspect()
        self._produce(production)
        review.with_user(self.quality).inspection_result = "passed"
        review.with_user(self.quality).action_inspect()
        review.with_user(self.storekeeper).action_store()
        self.assertEqual(review.state, "stored")
        self.assertTrue(review.activity_ids.filtered(lambda a: a.user_id == self.salesman))
        review.with_user(self.salesman).action_ship()
        self.assertEqual(review.state, "shipped")
        delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "done")
        delivery.action_assign()
        self._validate(delivery)
        self.assertEqual(order.order_line.qty_delivered, 11)
        self.assertEqual(review.picking_count, len(sample_delivery | order.picking_ids))

    def test_purchase_planning_needs_vendors_and_make_to_order(self):
        review = self._review(20)
        review.with_user(self.salesman).action_review()
        review.sample_result = "passed"
        review.with_user(self.salesman).action_approve_samples()
        review.with_user(self.rnd).bom_id = self.bom  # plain float: no vendor
        self.env.ref("stock.route_warehouse0_mto").active = False
        with self.assertRaisesRegex(UserError, "make-to-order"):
            review.with_user(self.rnd).action_issue_bom()
        self.env.ref("stock.route_warehouse0_mto").active = True
        with self.assertRaisesRegex(UserError, "no vendor for Float F-2"):
            review.with_user(self.rnd).action_issue_bom()
        self.assertEqual(review.state, "rnd_filing")
        self.assertEqual(review.sale_order_id.state, "draft")

    def test_cancel_is_the_sales_heads(self):
        review = self._review(3)
        with self.assertRaises(AccessError):
            review.with_user(self.salesman).action_cancel()
        head = new_test_user(self.env, login="cr_head", groups="sales_team.group_sale_manager")
        review.with_user(head).action_cancel()
        self.assertEqual(review.state, "cancelled")

    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = self._review(3)
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "company_id": other.id,
            "order_line": [Command.create({"product_id": self.system.id, "product_uom_qty": 1})],
        })
        theirs = self.env["aftersales.contract.review"].create(
            {"sale_order_id": order.id, "sale_line_id": order.order_line.id}
        )
        visible = self.env["aftersales.contract.review"].with_user(self.salesman).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
