# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Order processing on real sale orders, payments, manufacturing orders and deliveries
(R14-R18, R27), with frozen clocks in a non-UTC company time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

GRP = "odoo_addon_aftersales.group_aftersales_"
ZONE = ZoneInfo("Europe/Brussels")
DAY = date(2026, 3, 10)  # winter: Brussels is UTC+1


def local(hour, minute=0, day=DAY):
    """A wall-clock time in Brussels, as the UTC instant freezegun freezes."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(ZoneInfo("UTC")).replace(
        tzinfo=None
    )


class OrderCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.company.aftersales_timezone = "Europe/Brussels"
        cls.company.aftersales_order_processing = True
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.salesman = new_test_user(
            cls.env, login="op_sales", groups="sales_team.group_sale_salesman", email="sales@example.com"
        )
        cls.storekeeper = new_test_user(cls.env, login="op_wh", groups="stock.group_stock_user")
        cls.accountant = new_test_user(cls.env, login="op_acc", groups="account.group_account_invoice")
        cls.duty_manager = new_test_user(cls.env, login="op_dm", groups=f"{GRP}manager")
        cls.prod_manager = new_test_user(
            cls.env, login="op_pm", groups="mrp.group_mrp_manager,stock.group_stock_user"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Ocean Shipping Ltd", "email": "buyer@ocean.example"})
        cls.gauge = cls.env["product.product"].create({
            "name": "Tank gauge TG-100", "is_storable": True, "list_price": 100.0,
            "taxes_id": [Command.clear()], "invoice_policy": "order",
        })
        cls.env["stock.quant"]._update_available_quantity(cls.gauge, cls.stock, 100)

    def _order(self, qty=10, product=None, partner=None, **vals):
        order = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": (partner or self.customer).id,
            "order_line": [Command.create({
                "product_id": (product or self.gauge).id, "product_uom_qty": qty, "price_unit": 100.0,
                "tax_id": [Command.clear()],
            })],
            **vals,
        })
        return order.sudo()

    def _confirmed(self, qty=10, **vals):
        order = self._order(qty, **vals)
        order.with_user(self.salesman).action_confirm()
        return order

    def _pay(self, invoice, amount=None):
        invoice = invoice.sudo()
        if invoice.state == "draft":
            invoice.action_post()
        wizard = self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount or invoice.amount_residual})
        return wizard._create_payments()

    def _invoice_and_pay(self, order, amount=None):
        invoice = order._create_invoices()
        return self._pay(invoice, amount)

    def _down_payment(self, order, method="percentage", amount=50.0):
        wizard = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create({"advance_payment_method": method, "amount": amount, "fixed_amount": amount})
        invoice = wizard._create_invoices(order)
        self._pay(invoice)
        return invoice

    def _delivery(self, order):
        return order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )

    def _validate(self, picking, user=None):
        picking = picking.with_user(user or self.storekeeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def _record(self, order):
        return order.aftersales_order_ids


@tagged("post_install", "-at_install")
class TestPaymentCutoff(OrderCase):
    """R14: paid by the 15:30 cut-off (Brussels) ships today, after it the next day."""

    def test_cutoff_1529_1530_1531(self):
        for hour, minute, ships in ((15, 29, True), (15, 30, True), (15, 31, False)):
            with self.subTest(paid=f"{hour}:{minute}"):
                with freeze_time(local(9)):
                    order = self._confirmed()
                record = self._record(order)
                self.assertEqual(record.state, "ready")
                with freeze_time(local(hour, minute)):
                    self._invoice_and_pay(order)
                self.assertEqual(record.paid, 1000.0)
                self.assertEqual(record.paid_at, local(hour, minute))
                picking = self._delivery(order)
                with freeze_time(local(17)):
                    if ships:
                        self._validate(picking)
                        self.assertEqual(picking.state, "done")
                        self.assertEqual(record.state, "shipped")
                        continue
                    with self.assertRaisesRegex(
                        UserError, r"after the 15:30 cut-off.*earliest shipment is 2026-03-11 \(R14\)"
                    ):
                        self._validate(picking)
                self.assertNotEqual(picking.state, "done")
                self.assertEqual(record.state, "ready")
                with freeze_time(local(9, day=date(2026, 3, 11))):
                    self._validate(picking)
                self.assertEqual(picking.state, "done")
                self.assertEqual(record.state, "shipped")

    def test_a_payment_taken_back_is_no_longer_counted(self):
        with freeze_time(local(10)):
            order = self._confirmed()
            payment = self._invoice_and_pay(order)
            record = self._record(order)
            self.assertEqual(record.paid, 1000.0)
            payment.move_id.line_ids.remove_move_reconcile()
            self.assertEqual(record.paid, 0.0)
            with self.assertRaisesRegex(UserError, r"not arrived by the 15:30 cut-off.*R14"):
                self._validate(self._delivery(order))

    def test_unpaid_delivery_is_not_validated(self):
        with freeze_time(local(10)):
            order = self._confirmed()
            picking = self._delivery(order)
            with self.assertRaisesRegex(UserError, r"not arrived by the 15:30 cut-off.*\(R14\)"):
                self._validate(picking)
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(self._record(order).state, "ready")

    def test_shipping_on_arrears_needs_the_business_guarantee(self):
        with freeze_time(local(16)):
            order = self._confirmed()
            order.with_user(self.salesman).aftersales_committed_payment_date = date(2026, 3, 20)
            with self.assertRaises(AccessError):
                self._record(order).with_user(self.storekeeper).action_guarantee_arrears()
            order.with_user(self.salesman).action_aftersales_guarantee_arrears()
            self.assertTrue(order.aftersales_arrears_guarantee)
            picking = self._delivery(order)
            self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertIn("ships on arrears (R14)", self._record(order).message_ids[0].body)

    def test_arrears_refused_for_an_unstable_customer(self):
        self.customer.aftersales_unstable = True
        order = self._confirmed()
        order.with_user(self.salesman).aftersales_committed_payment_date = date(2026, 3, 20)
        with self.assertRaisesRegex(UserError, r"unstable customer.*R14"):
            order.with_user(self.salesman).action_aftersales_guarantee_arrears()
        self.assertFalse(order.aftersales_arrears_guarantee)

    def test_arrears_needs_a_committed_payment_date(self):
        order = self._confirmed()
        with self.assertRaisesRegex(UserError, r"Committed Payment Date.*R14"):
            order.with_user(self.salesman).action_aftersales_guarantee_arrears()

    def test_scheduled_job_reminds_unpaid_orders_due_today_before_the_cutoff(self):
        with freeze_time(local(9)):
            order = self._confirmed(commitment_date=local(16))
            late = self._confirmed(commitment_date=local(16, day=date(2026, 3, 11)))
            paid = self._confirmed(commitment_date=local(16))
            self._invoice_and_pay(paid)
        record = self._record(order)
        self.assertEqual(record.ship_date, DAY)
        with freeze_time(local(14)):
            self.env["aftersales.order"]._cron_remind_unpaid()
            self.env["aftersales.order"]._cron_remind_unpaid()  # once a day
        self.assertEqual(record.reminded_on, DAY)
        told = order.message_ids.filtered(lambda m: self.customer in m.partner_ids and "R14" in m.body)
        self.assertEqual(len(told), 1, "the customer is told once, by e-mail")
        salesperson = order.activity_ids.filtered(lambda a: a.user_id == self.salesman and "R14" in a.note)
        self.assertEqual(len(salesperson), 1)
        self.assertFalse(self._record(late).reminded_on, "not due today")
        self.assertFalse(self._record(paid).reminded_on, "paid")

    def test_scheduled_job_after_the_cutoff_tells_nobody(self):
        with freeze_time(local(9)):
            order = self._confirmed(commitment_date=local(16))
        with freeze_time(local(15, 30)):
            self.env["aftersales.order"]._cron_remind_unpaid()
        self.assertFalse(self._record(order).reminded_on)
        self.assertFalse(order.message_ids.filtered(lambda m: self.customer in m.partner_ids))


@tagged("post_install", "-at_install")
class TestCreditLimit(OrderCase):
    """R16 through Odoo's own credit limit, enforced on the delivery."""

    def test_credit_limit_blocks_the_delivery(self):
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 1500.0
        earlier = self._confirmed()
        earlier._create_invoices().action_post()  # 1000 owed
        with freeze_time(local(10)):
            order = self._confirmed()
            order.with_user(self.salesman).aftersales_committed_payment_date = date(2026, 3, 20)
            order.with_user(self.salesman).action_aftersales_guarantee_arrears()
            picking = self._delivery(order)
            with self.assertRaisesRegex(UserError, r"exceeds the credit limit 1500.*R16"):
                self._validate(picking)
            self.assertNotEqual(picking.state, "done")
            self.customer.with_company(self.company).credit_limit = 5000.0
            self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_customer_on_credit_ships_unpaid_within_its_limit(self):
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 5000.0
        with freeze_time(local(17)):
            order = self._confirmed()
            self._validate(self._delivery(order))
        record = self._record(order)
        self.assertEqual(record.state, "shipped")
        self.assertIn("within the credit limit", record.message_ids[0].body)

    def test_following_orders_can_be_switched_off(self):
        self.company.aftersales_order_processing = False
        with freeze_time(local(17)):
            order = self._confirmed()
            self._validate(self._delivery(order))
        self.assertFalse(order.aftersales_order_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_without_odoo_credit_limit_setting_no_block(self):
        self.assertFalse(self.company.account_use_credit_limit)
        self.customer.with_company(self.company).credit_limit = 10.0
        with freeze_time(local(10)):
            order = self._confirmed()
            self._invoice_and_pay(order)
            self._validate(self._delivery(order))
        self.assertEqual(self._record(order).state, "shipped")


@tagged("post_install", "-at_install")
class TestEngineeringOrder(OrderCase):
    """R15: manufacturing orders wait for more than 50 % paid; balance before shipment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mto = cls.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        manufacture = cls.env.ref("mrp.route_warehouse0_manufacture")
        cls.component = cls.env["product.product"].create({"name": "Float F-2", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.component, cls.stock, 100)
        cls.tank = cls.env["product.product"].create({
            "name": "Level system LS-9", "is_storable": True, "list_price": 100.0,
            "taxes_id": [Command.clear()], "invoice_policy": "order",
            "route_ids": [Command.set([mto.id, manufacture.id])],
        })
        cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.tank.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": cls.component.id, "product_qty": 2})],
        })

    def test_exactly_half_paid_is_refused_just_above_released(self):
        with freeze_time(local(9)):
            order = self._order(10, product=self.tank, aftersales_engineering=True, aftersales_urgent=True)
            order.with_user(self.salesman).action_confirm()
            record = self._record(order)
            production = order.mrp_production_ids
            self.assertEqual(len(production), 1)
            self.assertEqual(production.state, "draft", "R15: an engineering MO waits for its deposit")
            self.assertEqual(record.state, "confirmed")
            # the duty manager signs the project registration first
            with self.assertRaisesRegex(UserError, "duty manager.*R15"):
                production.with_user(self.prod_manager).action_confirm()
            with self.assertRaises(AccessError):
                record.with_user(self.salesman).action_register_project()
            record.with_user(self.duty_manager).action_register_project()
            self.assertEqual(record.project_registered_by_id, self.duty_manager)
            # exactly 50 % paid, on the down-payment invoice
            down = self._down_payment(order, "percentage", 50.0)
            self.assertIn(down.payment_state, ("paid", "in_payment"))
            self.assertEqual(record.paid, 500.0)
            with self.assertRaisesRegex(UserError, r"500(\.0)? paid of 1000(\.0)? is not more than 50 %.*\(R15\)"):
                production.with_user(self.prod_manager).action_confirm()
            self.assertEqual(production.state, "draft")
            self.assertEqual(record.state, "confirmed")
            # just above: one more unit of money
            self._down_payment(order, "fixed", 1.0)
            self.assertEqual(record.paid, 501.0)
            production.with_user(self.prod_manager).action_confirm()
            self.assertEqual(production.state, "confirmed")
            self.assertEqual(production.priority, "1", "inserted with priority")
            self.assertEqual(record.state, "in_production")
            # built: the delivery is released and the warehouse told (R27)
            production.qty_producing = production.product_qty
            production.move_raw_ids.picked = True
            production.with_user(self.prod_manager).button_mark_done()
            self.assertEqual(production.state, "done")
            self.assertEqual(record.state, "ready")
            picking = self._delivery(order)
            self.assertTrue(picking.activity_ids.filtered(lambda a: "bundle the packing" in a.note))
            # the balance is cleared before shipment
            with self.assertRaisesRegex(UserError, r"balance of the engineering order.*\(R15\)"):
                self._validate(picking)
            self.assertNotEqual(picking.state, "done")
            final = order._create_invoices(final=True)
            self._pay(final)
            self.assertEqual(record.paid, 1000.0)
            self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(record.state, "shipped")
        self.assertEqual(self._qty(self.tank), 0)

    def _qty(self, product):
        return self.env["stock.quant"]._get_available_quantity(product, self.stock)


@tagged("post_install", "-at_install")
class TestOrderEvents(OrderCase):
    """R17 cancellation, R18 similar batches, R16 location changes, R27 logistics."""

    def test_cancellation_by_phone_holds_the_delivery_and_the_picked_goods(self):
        order = self._confirmed(qty=6)
        picking = self._delivery(order)
        self.assertEqual(picking.state, "assigned")
        picking.move_ids.quantity = 6
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, r"Cancellation Note.*R17"):
            order.with_user(self.salesman).action_aftersales_cancel_by_phone()
        self.assertFalse(picking.aftersales_on_hold)
        with freeze_time(local(11, 5)):
            order.with_user(self.salesman).aftersales_cancellation_note = "Mr Wu phoned: project postponed"
            order.with_user(self.salesman).action_aftersales_cancel_by_phone()
        record = self._record(order)
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(order.aftersales_cancelled_by_id, self.salesman)
        self.assertEqual(order.aftersales_cancelled_at, local(11, 5))
        self.assertTrue(picking.aftersales_on_hold)
        self.assertEqual(picking.move_ids.move_line_ids.mapped("quantity"), [])
        holding = self.warehouse.aftersales_holding_location_id
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.gauge, holding), 6)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.gauge, self.stock), 94)
        with self.assertRaisesRegex(UserError, "on hold.*R17"):
            self._validate(picking)
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.salesman and "R17" in a.note))

    def test_similar_batch_under_way_is_flagged(self):
        first = self._confirmed()
        other = self.env["product.product"].create({"name": "Other", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(other, self.stock, 10)
        unrelated = self._confirmed(product=other)
        self.assertFalse(self._record(unrelated).similar_orders)
        second = self._confirmed()
        record = self._record(second)
        self.assertEqual(record.similar_orders, first.name)
        flagged = second.activity_ids.filtered(lambda a: "R18" in a.note)
        self.assertIn(self.duty_manager, flagged.user_id)
        self.assertIn(self.salesman, flagged.user_id)

    def test_delivery_release_is_announced_to_the_warehouse(self):
        with freeze_time(local(9)):
            order = self._confirmed(commitment_date=local(10, day=date(2026, 3, 12)))
        record = self._record(order)
        self.assertEqual(record.state, "ready")
        picking = self._delivery(order)
        notices = picking.activity_ids.filtered(lambda a: "bundle the packing" in a.note)
        self.assertIn(self.storekeeper, notices.user_id)
        self.assertIn("in time to bundle the packing (R27)", notices[0].note)
        self.assertIn("in time to bundle the packing (R27)", record.message_ids[0].body)

    def test_delivery_leaving_soon_is_announced_at_once_as_late(self):
        with freeze_time(local(9)):
            order = self._confirmed(commitment_date=local(14))
        notices = self._delivery(order).activity_ids.filtered(lambda a: "bundle the packing" in a.note)
        self.assertIn("5 hours from now, less than the 24 hours", notices[0].note)
        self.assertIn("told at once to bundle the packing (R27)", self._record(order).message_ids[0].body)

    def test_logistics_exception_is_recorded_and_the_customer_told(self):
        with freeze_time(local(10)):
            order = self._confirmed()
            self._invoice_and_pay(order)
            picking = self._delivery(order)
            self._validate(picking)
            picking.with_user(self.storekeeper).aftersales_logistics_exception = "Truck held at the border"
            picking.with_user(self.storekeeper).action_aftersales_record_exception()
        record = self._record(order)
        self.assertEqual(record.logistics_exceptions, "Truck held at the border")
        told = order.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertTrue(told)
        self.assertIn("Truck held at the border", told[0].body)
        self.assertIn("R27", told[0].body)
        self.assertTrue(self.env["mail.notification"].sudo().search([
            ("mail_message_id", "in", told.ids), ("res_partner_id", "=", self.customer.id),
            ("notification_type", "=", "email"),
        ]), "the customer is told by e-mail")

    def test_change_of_delivery_location_is_registered_and_the_warehouse_told(self):
        order = self._confirmed()
        pier = self.env["res.partner"].create({"name": "Pier 3", "parent_id": self.customer.id, "type": "delivery"})
        order.with_user(self.salesman).partner_shipping_id = pier
        record = self._record(order)
        self.assertIn("Pier 3", record.location_changes)
        picking = self._delivery(order)
        self.assertTrue(picking.activity_ids.filtered(lambda a: "R16" in a.note and a.user_id == self.storekeeper))

    def test_every_step_is_checked_against_the_group(self):
        order = self._confirmed()
        with self.assertRaises(AccessError):
            self._record(order).with_user(self.storekeeper).action_cancel_by_phone()

    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = self._record(self._confirmed())
        theirs_order = self.env["sale.order"].with_company(other).create({
            "partner_id": self.customer.id, "company_id": other.id,
            "order_line": [Command.create({"product_id": self.gauge.id, "product_uom_qty": 1})],
        })
        theirs_order.with_company(other).action_confirm()
        theirs = theirs_order.aftersales_order_ids
        self.assertTrue(theirs)
        visible = self.env["aftersales.order"].with_user(self.salesman).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
