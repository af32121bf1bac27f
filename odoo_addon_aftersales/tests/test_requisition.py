# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Material requisitions (R5): three ordered sign-offs, then an internal transfer."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

GRP = "odoo_addon_aftersales.group_aftersales_"


class RequisitionCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        # maintenance staff: after-sales users who also read the stock (lots)
        cls.requester = new_test_user(cls.env, login="mrq_req", groups=f"{GRP}user,stock.group_stock_user")
        cls.sales_head = new_test_user(cls.env, login="mrq_head", groups="sales_team.group_sale_manager")
        cls.prod_manager = new_test_user(cls.env, login="mrq_pm", groups="mrp.group_mrp_manager")
        cls.storekeeper = new_test_user(cls.env, login="mrq_wh", groups="stock.group_stock_user")
        # after-sales staff who also work in the warehouse, but head no sales department
        cls.req_warehouse = new_test_user(
            cls.env, login="mrq_req_wh", groups=f"{GRP}user,stock.group_stock_user"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Harbour Pumps Ltd"})
        cls.pump = cls.env["product.product"].create({"name": "Bilge pump BP-40", "is_storable": True})
        cls.seal = cls.env["product.product"].create({"name": "Shaft seal S-12", "is_storable": True})
        cls.board = cls.env["product.product"].create(
            {"name": "Control board CB-3", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "CB-LOT-7", "product_id": cls.board.id})
        cls.other_lot = cls.env["stock.lot"].create({"name": "CB-LOT-8", "product_id": cls.board.id})
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.seal, cls.stock, 20)
        Quant._update_available_quantity(cls.board, cls.stock, 3, lot_id=cls.lot)
        Quant._update_available_quantity(cls.board, cls.stock, 3, lot_id=cls.other_lot)
        cls.repair = cls.env["repair.order"].create({
            "product_id": cls.pump.id,
            "partner_id": cls.customer.id,
            "picking_type_id": cls.warehouse.repair_type_id.id,
        })

    def _requisition(self, user=None, purpose=None, **vals):
        purpose = self.repair if purpose is None else purpose
        user = user or self.requester
        values = {
            "requester_id": user.id,
            "line_ids": [
                Command.create({"product_id": self.seal.id, "quantity": 4}),
                Command.create({"product_id": self.board.id, "quantity": 1, "lot_id": self.lot.id}),
            ],
            **vals,
        }
        if purpose:
            values["purpose_ref"] = f"{purpose._name},{purpose.id}"
        return self.env["aftersales.material.requisition"].with_user(user).create(values)

    def _snapshot(self, req):
        self.env.invalidate_all()
        return (req.state, len(req.signoff_ids), len(req.sudo().picking_ids), req.issued_at)

    def _signed_off(self, req):
        req.with_user(self.sales_head).action_sign()
        req.with_user(self.prod_manager).action_sign()
        req.with_user(self.storekeeper).action_sign()


@tagged("post_install", "-at_install")
class TestRequisition(RequisitionCase):
    def test_three_signoffs_in_order_issue_the_internal_transfer(self):
        req = self._requisition()
        self.assertTrue(req.name.startswith("MRQ/"), req.name)
        req.with_user(self.requester).action_submit()
        self.assertEqual(req.state, "awaiting_signoffs")
        self.assertEqual(req.awaiting_role, "sales_head")
        req.with_user(self.sales_head).action_sign()
        self.assertEqual((req.state, req.awaiting_role), ("awaiting_signoffs", "production_manager"))
        self.assertFalse(req.sudo().picking_ids, "nothing is issued before the last sign-off")
        req.with_user(self.prod_manager).action_sign()
        self.assertEqual(req.awaiting_role, "warehouse")
        req.with_user(self.storekeeper).action_sign()
        self.assertEqual(req.state, "issued")
        self.assertTrue(req.issued_at)
        self.assertEqual(req.signoff_ids.mapped("role"), ["sales_head", "production_manager", "warehouse"])
        self.assertEqual(req.signoff_ids.user_id, self.sales_head | self.prod_manager | self.storekeeper)
        self.assertEqual([s.user_id for s in req.signoff_ids], [self.sales_head, self.prod_manager, self.storekeeper])
        # the internal transfer of the parts, reserved for the warehouse to validate
        picking = req.sudo().picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_id, self.warehouse.int_type_id)
        self.assertEqual(picking.location_id, self.stock)
        work = self.warehouse.aftersales_work_location_id
        self.assertTrue(work, "the repair takes its parts from the stock: they go to the work location")
        self.assertEqual(picking.location_dest_id, work)
        self.assertEqual(picking.state, "assigned")
        by_product = {m.product_id: m for m in picking.move_ids}
        self.assertEqual(by_product[self.seal].product_uom_qty, 4)
        self.assertEqual(by_product[self.board].product_uom_qty, 1)
        self.assertEqual(by_product[self.board].move_line_ids.lot_id, self.lot)
        self.assertEqual(req.picking_count, 1)
        picking.move_ids.picked = True
        picking.button_validate()
        quants = self.env["stock.quant"]
        self.assertEqual(quants._get_available_quantity(self.seal, work), 4)
        self.assertEqual(quants._get_available_quantity(self.board, work, lot_id=self.lot), 1)
        self.assertEqual(quants._get_available_quantity(self.board, self.stock, lot_id=self.lot), 2)
        self.assertEqual(quants._get_available_quantity(self.seal, self.stock), 16)

    def test_signing_out_of_order_is_refused_and_changes_nothing(self):
        req = self._requisition()
        req.with_user(self.requester).action_submit()
        before = self._snapshot(req)
        for user in (self.prod_manager, self.storekeeper):
            with self.assertRaisesRegex(UserError, r"belongs to the Sales department head.*R5"):
                req.with_user(user).action_sign()
            self.assertEqual(self._snapshot(req), before)
        req.with_user(self.sales_head).action_sign()
        with self.assertRaisesRegex(UserError, r"belongs to the Production manager.*R5"):
            req.with_user(self.storekeeper).action_sign()
        with self.assertRaisesRegex(UserError, r"belongs to the Production manager.*R5"):
            req.with_user(self.sales_head).action_sign()  # one sign-off per role
        self.assertEqual(self._snapshot(req)[:3], ("awaiting_signoffs", 1, 0))

    def test_requester_cannot_sign_for_a_role_it_lacks(self):
        req = self._requisition(user=self.req_warehouse)
        req.with_user(self.req_warehouse).action_submit()
        with self.assertRaisesRegex(UserError, r"belongs to the Sales department head.*R5"):
            req.with_user(self.req_warehouse).action_sign()
        self.assertFalse(req.signoff_ids)

    def test_only_the_requester_submits_and_a_customer_role_signs_nothing(self):
        req = self._requisition()
        other = new_test_user(self.env, login="mrq_other", groups=f"{GRP}user")
        with self.assertRaisesRegex(UserError, "only the requester.*R5"):
            req.with_user(other).action_submit()
        self.assertEqual(req.state, "draft")
        with self.assertRaises(AccessError):  # the sales head holds no role that submits
            req.with_user(self.sales_head).action_submit()
        with self.assertRaisesRegex(UserError, "Sign off.* not possible while it is draft"):
            req.with_user(self.sales_head).action_sign()  # not submitted yet

    def test_roles_of_the_steps_are_edited_in_the_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.aftersales_requisition_signoff_1, "sales_head")
        # the first and third roles swap places in one save, the third step is dropped
        settings.aftersales_requisition_signoff_1 = "warehouse"
        settings.aftersales_requisition_signoff_2 = "production_manager"
        settings.aftersales_requisition_signoff_3 = False
        settings.execute()
        self.assertEqual(
            [r.value for r in self.company._aftersales_policy().requisition_signoff_roles],
            ["warehouse", "production_manager"],
        )
        req = self._requisition()
        req.with_user(self.requester).action_submit()
        with self.assertRaisesRegex(UserError, r"(?i)belongs to the warehouse.*R5"):
            req.with_user(self.sales_head).action_sign()
        req.with_user(self.storekeeper).action_sign()
        req.with_user(self.prod_manager).action_sign()
        self.assertEqual(req.state, "issued")
        self.assertEqual(len(req.sudo().picking_ids), 1)

    def test_a_role_twice_in_the_settings_is_refused_naming_the_setting(self):
        with self.assertRaisesRegex(ValidationError, "Requisition: first sign-off.*only once"):
            self.company.aftersales_requisition_signoff_3 = "sales_head"

    def test_tracked_product_needs_its_lot(self):
        with self.assertRaisesRegex(UserError, "Lot: .*Control board CB-3"):
            self._requisition(line_ids=[Command.create({"product_id": self.board.id, "quantity": 1})])

    def test_no_purpose_is_refused_naming_the_field(self):
        req = self._requisition(purpose=False)
        with self.assertRaisesRegex(UserError, "purpose"):
            req.with_user(self.requester).action_submit()
        self.assertEqual(req.state, "draft")

    def test_lines_are_frozen_once_submitted(self):
        req = self._requisition()
        req.with_user(self.requester).action_submit()
        with self.assertRaisesRegex(UserError, "frozen"):
            req.line_ids[0].with_user(self.requester).quantity = 40
        with self.assertRaisesRegex(UserError, "frozen"):
            req.with_user(self.requester).write(
                {"line_ids": [Command.create({"product_id": self.seal.id, "quantity": 1})]}
            )
        self.assertEqual(req.line_ids.mapped("quantity"), [4, 1])

    def test_form_view_creates_a_requisition(self):
        form = Form(self.env["aftersales.material.requisition"].with_user(self.requester))
        form.purpose_ref = self.repair
        with form.line_ids.new() as line:
            line.product_id = self.seal
            line.quantity = 2
        req = form.save()
        self.assertEqual(req.warehouse_id, self.warehouse)
        self.assertEqual(req.requester_id, self.requester)

    def test_a_special_order_is_a_purpose(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.pump.id, "product_uom_qty": 3})],
        })
        review = self.env["aftersales.contract.review"].create(
            {"sale_order_id": order.id, "sale_line_id": order.order_line.id}
        )
        models = [model for model, _label in self.env["aftersales.material.requisition"]._selection_purpose_ref()]
        self.assertIn("aftersales.contract.review", models)
        req = self._requisition(purpose=review)
        self.assertEqual(req.warehouse_id, self.warehouse)
        req.with_user(self.requester).action_submit()
        self._signed_off(req)
        self.assertEqual(req.sudo().picking_ids.location_dest_id, self.warehouse.aftersales_work_location_id)
        self.assertEqual(req._aftersales_to_form().purpose, review.display_name)

    def test_manufacturing_order_location_is_the_destination(self):
        location = self.env["stock.location"].create(
            {"name": "Line 2 feeder", "usage": "internal", "location_id": self.warehouse.view_location_id.id}
        )
        production = self.env["mrp.production"].create({
            "product_id": self.pump.id, "product_qty": 1, "location_src_id": location.id,
            "picking_type_id": self.warehouse.manu_type_id.id,
        })
        req = self._requisition(purpose=production)
        req.with_user(self.requester).action_submit()
        self._signed_off(req)
        self.assertEqual(req.sudo().picking_ids.location_dest_id, location)


@tagged("post_install", "-at_install")
class TestRequisitionBeforeWork(RequisitionCase):
    """R5's policy switch: the work waits for its requisitions."""

    def test_switch_on_repair_waits_for_its_requisition(self):
        self.company.aftersales_requisition_before_work = True
        req = self._requisition()
        req.with_user(self.requester).action_submit()
        self.repair._action_repair_confirm()
        with self.assertRaisesRegex(UserError, r"cannot start.*MRQ/.*\(R5\)"):
            self.repair.action_repair_start()
        self.assertEqual(self.repair.state, "confirmed")
        self._signed_off(req)
        self.repair.action_repair_start()
        self.assertEqual(self.repair.state, "under_repair")

    def test_switch_off_repair_starts(self):
        self.assertFalse(self.company.aftersales_requisition_before_work)
        self._requisition().with_user(self.requester).action_submit()
        self.repair._action_repair_confirm()
        self.repair.action_repair_start()
        self.assertEqual(self.repair.state, "under_repair")

    def test_switch_on_cancelled_requisition_does_not_hold(self):
        self.company.aftersales_requisition_before_work = True
        req = self._requisition()
        req.with_user(self.requester).action_submit()
        req.with_user(new_test_user(self.env, login="mrq_mgr", groups=f"{GRP}manager")).action_cancel()
        self.repair._action_repair_confirm()
        self.repair.action_repair_start()
        self.assertEqual(self.repair.state, "under_repair")

    def test_switch_on_manufacturing_order_waits(self):
        self.company.aftersales_requisition_before_work = True
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": self.pump.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": self.seal.id, "product_qty": 2})],
        })
        production = self.env["mrp.production"].create({"product_id": self.pump.id, "product_qty": 1, "bom_id": bom.id})
        production.action_confirm()
        req = self._requisition(purpose=production)
        req.with_user(self.requester).action_submit()
        with self.assertRaisesRegex(UserError, "R5"):
            production.action_start()
        with self.assertRaisesRegex(UserError, "R5"):
            production.button_mark_done()
        self.assertEqual(production.state, "confirmed")
        self._signed_off(req)
        production.action_start()
        self.assertEqual(production.state, "progress")


@tagged("post_install", "-at_install")
class TestRequisitionMultiCompany(RequisitionCase):
    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = self._requisition()
        theirs = self.env["aftersales.material.requisition"].create({
            "company_id": other.id,
            "requester_id": self.env.user.id,
            "warehouse_id": self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1).id,
        })
        visible = self.env["aftersales.material.requisition"].with_user(self.requester).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.requester).read(["name"])
