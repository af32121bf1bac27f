# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from types import SimpleNamespace

from aftersales_core.errors import InvalidInput
from aftersales_core.ports import Host
from aftersales_core.rules.complaints import (
    CUSTOMER_RETURNS_PRODUCT,
    EXPLAIN_TO_CUSTOMER,
    PAYOUT_AFTER_TESTING,
    PHOTOS_AND_PRODUCT,
    TEST_STOCK,
)
from aftersales_core.workflows.complaint import COMPLAINT

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.odoo_addon_aftersales.models.aftersales_workflow_mixin import COMMAND_KINDS

from .ticket_common import GROUP_USER, TicketCase


@tagged("post_install", "-at_install")
class TestTicket(TicketCase):
    def _snapshot(self, ticket):
        self.env.invalidate_all()
        return (
            ticket.state,
            ticket.responsibility,
            ticket.same_batch_result,
            ticket.answered_on_spot,
            len(ticket.message_ids),
            len(ticket.activity_ids),
        )

    def test_state_selection_is_the_workflow(self):
        field = self.env["aftersales.ticket"]._fields["state"]
        self.assertEqual([key for key, _label in field.selection], list(COMPLAINT.states))
        self.assertEqual(self._ticket().state, COMPLAINT.initial)

    def test_state_moves_only_through_the_workflow(self):
        ticket = self._ticket()
        with self.assertRaises(UserError):
            ticket.write({"state": "closed"})
        with self.assertRaises(UserError):
            # a client can send any JSON context, never the bridge's token
            ticket.with_context(aftersales_state_write=True).write({"state": "closed"})
        with self.assertRaises(UserError):
            self._ticket(state="closed")
        self.env.invalidate_all()
        self.assertEqual(ticket.state, "draft")

    def test_unknown_command_is_named(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(InvalidInput, "teleport_goods"):
            ticket._aftersales_execute(SimpleNamespace(kind="teleport_goods"))

    def test_every_core_command_is_carried_out_or_listed(self):
        """Odoo is a ports.Host: each kind is handled by a model or listed, with its reason."""
        for model in (
            "aftersales.ticket", "aftersales.return", "aftersales.service.visit",
            "aftersales.quality.feedback", "aftersales.material.requisition",
            "aftersales.order", "aftersales.contract.review",
        ):
            record = self.env[model]
            listed = record._aftersales_not_applicable()
            for kind in COMMAND_KINDS:
                handled = hasattr(record, f"_aftersales_cmd_{kind}")
                self.assertTrue(handled != (kind in listed), f"{model}: {kind} handled and listed, or neither")
                if kind in listed:
                    self.assertTrue(listed[kind], f"{model}: {kind} listed without a reason")
        self.assertIsInstance(self._ticket()._aftersales_host(), Host)

    def test_number_from_sequence(self):
        ticket = self._ticket()
        self.assertTrue(ticket.name.startswith("CPL/"), ticket.name)

    def test_form_view_creates(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.as_user))
        form.partner_id = self.customer
        form.product_id = self.product
        form.description = "Noise at start."
        ticket = form.save()
        self.assertEqual(ticket.state, "draft")
        self.assertEqual(ticket.company_id, self.company)

    def test_answer_on_spot_and_close(self):
        ticket = self._ticket()
        ticket.action_record()
        self.assertEqual(ticket.state, "received")
        ticket.handling_opinion = "Clean the strainer; explained by phone."
        ticket.action_answer_on_spot()
        self.assertEqual(ticket.state, "answered")
        self.assertTrue(ticket.answered_on_spot)
        ticket.customer_accepted = True
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")
        # R20: a satisfaction survey follows the closed case
        self.assertEqual(ticket.activity_ids.summary, "Satisfaction survey")
        bodies = " ".join(ticket.message_ids.mapped("body"))
        self.assertIn("Answer on the spot", bodies)
        self.assertNotIn("answer_on_spot", bodies)
        self.assertIn("Answered → Closed", bodies)

    def test_survey_follows_the_policy(self):
        self.company.aftersales_survey_after_closed_case = False
        ticket = self._ticket()
        ticket.action_record()
        ticket.write({"handling_opinion": "Explained.", "customer_accepted": True})
        ticket.action_answer_on_spot()
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")
        self.assertFalse(ticket.activity_ids)

    def test_close_needs_acceptance_and_changes_nothing(self):
        ticket = self._ticket()
        ticket.action_record()
        ticket.handling_opinion = "Explained."
        ticket.action_answer_on_spot()
        before = self._snapshot(ticket)
        with self.assertRaisesRegex(UserError, "customer has not accepted"):
            ticket.action_close()
        self.assertEqual(self._snapshot(ticket), before)

    def test_guard_names_the_missing_field(self):
        ticket = self._ticket()
        ticket.action_record()
        with self.assertRaisesRegex(UserError, "missing: Handling Opinion"):
            ticket.action_answer_on_spot()
        self.assertEqual(ticket.state, "received")

    def test_assess_responsibility_r11(self):
        ticket = self._ticket(cause="not_company")
        ticket.action_record()
        ticket.action_assess()
        self.assertEqual(ticket.state, "assessed")
        self.assertEqual(ticket.responsibility, EXPLAIN_TO_CUSTOMER)
        self.assertFalse(ticket.same_batch_result)
        self.assertIn("R11", " ".join(ticket.message_ids.mapped("body")))
        ticket.handling_opinion = "Damage by the installer's wiring; explained."
        ticket.action_explain()
        self.assertEqual(ticket.state, "answered")
        self.assertEqual(ticket.resolution, "explained")

    def test_assess_needs_a_cause(self):
        ticket = self._ticket()
        ticket.action_record()
        with self.assertRaisesRegex(UserError, "R11"):
            ticket.action_assess()
        self.assertEqual(ticket.state, "received")

    def test_same_batch_check_r12_counts_internal_stock_of_the_lot(self):
        quant = self.env["stock.quant"]
        quant._update_available_quantity(self.product, self.stock, 7, lot_id=self.lot)
        other = self.env["stock.lot"].create({"name": "LOT-OTHER", "product_id": self.product.id})
        quant._update_available_quantity(self.product, self.stock, 100, lot_id=other)
        customers = self.env.ref("stock.stock_location_customers")
        quant._update_available_quantity(self.product, customers, 40, lot_id=self.lot)
        ticket = self._ticket(lot_id=self.lot.id, quality_complaint=True, cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        self.assertEqual(ticket.stock_of_lot, 7)
        self.assertEqual(ticket.responsibility, PAYOUT_AFTER_TESTING)
        self.assertEqual(ticket.same_batch_result, TEST_STOCK)
        self.assertIn("7 units of the same lot", " ".join(ticket.message_ids.mapped("body")))

    def test_same_batch_similar_defect_means_return(self):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock, 3, lot_id=self.lot
        )
        ticket = self._ticket(
            lot_id=self.lot.id,
            quality_complaint=True,
            cause="product_quality",
            similar_defect="yes",
        )
        ticket.action_record()
        ticket.action_assess()
        self.assertEqual(ticket.same_batch_result, CUSTOMER_RETURNS_PRODUCT)

    def test_same_batch_without_stock(self):
        ticket = self._ticket(lot_id=self.lot.id, quality_complaint=True, cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        self.assertEqual(ticket.stock_of_lot, 0)
        self.assertEqual(ticket.same_batch_result, PHOTOS_AND_PRODUCT)

    def test_quality_complaint_without_lot_refused(self):
        ticket = self._ticket(quality_complaint=True, cause="product_quality")
        ticket.action_record()
        with self.assertRaisesRegex(UserError, "R12"):
            ticket.action_assess()
        self.assertEqual(ticket.state, "received")

    def test_wrong_role_refused_and_nothing_changes(self):
        ticket = self._ticket(user=self.salesman)
        ticket.action_record()  # a salesperson may record a complaint
        self.assertEqual(ticket.state, "received")
        ticket.handling_opinion = "Try again."
        before = self._snapshot(ticket)
        with self.assertRaisesRegex(AccessError, "After-sales service"):
            ticket.with_user(self.salesman).action_answer_on_spot()
        self.assertEqual(self._snapshot(ticket), before)

    def test_quality_assesses_but_does_not_answer(self):
        quality = new_test_user(
            self.env, "asA_quality_t", groups="odoo_addon_aftersales.group_aftersales_quality"
        )
        ticket = self._ticket(cause="transport_damage")
        ticket.action_record()
        ticket.handling_opinion = "Replace the pump."
        with self.assertRaises(AccessError):
            ticket.with_user(quality).action_answer_on_spot()
        self.assertEqual(ticket.state, "received")
        ticket.with_user(quality).action_assess()
        self.assertEqual(ticket.state, "assessed")
        self.assertTrue(ticket.responsibility)

    def test_payout_needs_the_manager(self):
        ticket = self._ticket(cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        ticket.write({"payout_amount": 250.0, "handling_opinion": "Refund of the pump."})
        with self.assertRaises(AccessError):
            ticket.action_start_payout()
        self.assertEqual(ticket.state, "assessed")
        ticket.with_user(self.as_manager).action_start_payout()
        self.assertEqual(ticket.state, "payout")
        self.assertEqual(ticket.resolution, "payout")
        payment = ticket.sudo().payment_ids
        self.assertEqual(len(payment), 1, "the payout is an outbound payment to the customer")
        self.assertEqual(payment.payment_type, "outbound")
        self.assertEqual(payment.partner_id, self.customer)
        self.assertEqual(payment.amount, 250.0)
        self.assertEqual(payment.state, "in_process")
        self.assertEqual(ticket.payment_count, 1)

    def test_payout_as_a_credit_note_or_a_deduction(self):
        for settlement in ("credit_note", "deduction"):
            ticket = self._ticket(cause="product_quality")
            ticket.action_record()
            ticket.action_assess()
            ticket.write({"payout_amount": 120.0, "payout_settlement": settlement, "handling_opinion": "Seal."})
            ticket.with_user(self.as_manager).action_start_payout()
            credit = ticket.sudo().invoice_ids
            self.assertEqual(credit.move_type, "out_refund", settlement)
            self.assertEqual(credit.state, "posted")
            self.assertAlmostEqual(credit.amount_total, 120.0)
            self.assertFalse(ticket.sudo().payment_ids)

    def test_illegal_action_refused_and_nothing_changes(self):
        ticket = self._ticket()
        ticket.action_record()
        ticket.customer_accepted = True
        before = self._snapshot(ticket)
        with self.assertRaisesRegex(UserError, "is not possible while it is received"):
            ticket.action_close()
        self.assertEqual(self._snapshot(ticket), before)
        with self.assertRaisesRegex(UserError, "is not possible while it is received"):
            ticket.action_record()  # a second click records nothing twice
        self.assertEqual(self._snapshot(ticket), before)

    def test_request_return(self):
        ticket = self._ticket(cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        with self.assertRaisesRegex(UserError, "resolution must be Return for repair or Refund return"):
            ticket.action_request_return()
        ticket.resolution = "return_for_repair"
        ticket.action_request_return()
        self.assertEqual(ticket.state, "return_requested")
        # Notify: a to-do activity for the users of the salesperson's group
        todo = ticket.activity_ids.filtered(lambda a: "return the goods" in (a.note or ""))
        self.assertTrue(todo)
        self.assertTrue(all(u.has_group("sales_team.group_sale_salesman") for u in todo.user_id))

    def test_cancel_is_for_managers(self):
        ticket = self._ticket()
        ticket.closing_reason = "Filed twice."
        with self.assertRaises(AccessError):
            ticket.action_cancel()
        ticket.with_user(self.as_manager).action_cancel()
        self.assertEqual(ticket.state, "cancelled")

    def test_cancel_from_any_open_state_needs_a_reason(self):
        ticket = self._ticket(cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        ticket.resolution = "return_for_repair"
        ticket.action_request_return()
        before = self._snapshot(ticket)
        with self.assertRaisesRegex(UserError, "missing: Closing Reason"):
            ticket.with_user(self.as_manager).action_cancel()
        self.assertEqual(self._snapshot(ticket), before)
        ticket.closing_reason = "The customer repaired it locally."
        ticket.with_user(self.as_manager).action_cancel()
        self.assertEqual(ticket.state, "cancelled")

    def test_close_without_acceptance_after_the_policy_days(self):
        ticket = self._ticket(cause="product_quality")
        ticket.action_record()
        ticket.action_assess()
        ticket.resolution = "return_for_repair"
        ticket.action_request_return()
        ticket.closing_reason = "Customer unreachable."
        days = self.company.aftersales_unreachable_customer_days
        ticket.last_contact_at = fields.Datetime.now() - timedelta(days=days - 1)
        before = self._snapshot(ticket)
        with self.assertRaisesRegex(UserError, "Unreachable customer days"):
            ticket.with_user(self.as_manager).action_close_unaccepted()
        self.assertEqual(self._snapshot(ticket), before)
        with self.assertRaises(AccessError):
            ticket.action_close_unaccepted()
        ticket.last_contact_at = fields.Datetime.now() - timedelta(days=days)
        ticket.with_user(self.as_manager).action_close_unaccepted()
        self.assertEqual(ticket.state, "closed")
        self.assertFalse(ticket.customer_accepted)

    def test_mail_alias_creates_a_recorded_ticket(self):
        alias = self.env.ref("odoo_addon_aftersales.mail_alias_aftersales")
        to = alias.alias_full_name if "@" in (alias.alias_full_name or "") else (
            f"{alias.alias_name}@example.com"
        )
        if "@" not in (alias.alias_full_name or ""):
            alias.alias_incoming_local = True
        raw = (
            "From: Li Wei <li.wei@harbour.example>\r\n"
            f"To: {to}\r\n"
            "Subject: Pump failure\r\n"
            "Message-ID: <complaint-1@harbour.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Our BP-40 stops after ten minutes, lot LOT-2026-07.\r\n"
        )
        self.env["mail.thread"].message_process(None, raw)
        ticket = self.env["aftersales.ticket"].search(
            [("description", "ilike", "stops after ten minutes, lot")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.state, "received")
        self.assertEqual(ticket.partner_id.email, "li.wei@harbour.example")
        self.assertIn("li.wei@harbour.example", ticket.contact)


@tagged("post_install", "-at_install")
class TestTicketMultiCompany(TicketCase):
    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = self._ticket(user=self.env.user)
        theirs = self.env["aftersales.ticket"].create(
            {
                "partner_id": self.customer.id,
                "description": "Other company's complaint.",
                "company_id": other.id,
            }
        )
        user = new_test_user(
            self.env,
            "asA_mc",
            groups=f"base.group_user,{GROUP_USER}",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        visible = self.env["aftersales.ticket"].with_user(user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(user).read(["name"])


@tagged("post_install", "-at_install")
class TestTicketToReturn(TicketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gauge = cls.env["product.product"].create(
            {"name": "Pressure gauge PG-2", "is_storable": True, "list_price": 80.0}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.gauge, cls.stock, 5)
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [(0, 0, {"product_id": cls.gauge.id, "product_uom_qty": 3})],
            }
        )
        cls.order.action_confirm()
        # after-sales staff who also handle the goods (the return lines read the
        # delivered stock moves)
        cls.as_stock_user = new_test_user(
            cls.env, "asA_stock", groups=f"base.group_user,{GROUP_USER},stock.group_stock_user"
        )
        picking = cls.order.picking_ids
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking.button_validate()

    def _requested(self, resolution):
        ticket = self._ticket(
            user=self.as_stock_user,
            product_id=self.gauge.id,
            sale_order_id=self.order.id,
            quantity=2,
            cause="product_quality",
            remedy_sought="Repair both gauges.",
        )
        ticket.action_record()
        ticket.action_assess()
        ticket.resolution = resolution
        ticket.action_request_return()
        return ticket

    def test_create_return_once(self):
        ticket = self._requested("return_for_repair")
        action = ticket.action_create_return()
        ret = ticket.return_ids
        self.assertEqual(len(ret), 1)
        self.assertEqual(action["res_id"], ret.id)
        self.assertEqual(ret.partner_id, self.customer)
        self.assertEqual(ret.purpose, "repair")
        self.assertIn("Repair both gauges.", ret.reason)
        self.assertEqual(ret.line_ids.product_id, self.gauge)
        self.assertEqual(ret.line_ids.quantity, 2)
        self.assertEqual(ret.line_ids.move_id, self.order.picking_ids.move_ids)
        self.assertEqual(ticket.return_count, 1)
        # a second click opens the same return and creates nothing
        ticket.action_create_return()
        self.assertEqual(ticket.return_ids, ret)
        self.assertEqual(
            self.env["aftersales.return"].search_count([("ticket_id", "=", ticket.id)]), 1
        )

    def test_refund_resolution_gives_a_refund_return(self):
        ticket = self._requested("refund_return")
        ticket.action_create_return()
        self.assertEqual(ticket.return_ids.purpose, "refund")

    def test_no_return_before_it_is_requested(self):
        ticket = self._ticket()
        ticket.action_record()
        with self.assertRaisesRegex(UserError, "return is requested"):
            ticket.action_create_return()
        self.assertFalse(ticket.return_ids)


@tagged("post_install", "-at_install")
class TestOneDecider(TransactionCase):
    """The core decides: no model of the addon imports or calls a rule function."""

    def test_no_rule_function_outside_the_mixin(self):
        import ast
        from pathlib import Path

        import aftersales_core.rules as rules

        names = set(rules.__all__)
        models_dir = Path(__file__).resolve().parent.parent / "models"
        offenders = []
        for path in sorted(models_dir.glob("*.py")):
            if path.name == "aftersales_workflow_mixin.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aftersales_core.rules"):
                    # outcome constants (UPPER_CASE) may be read; functions may not
                    offenders += [
                        f"{path.name}: imports {node.module}.{a.name}"
                        for a in node.names if not a.name.isupper()
                    ]
                elif isinstance(node, ast.Name) and node.id in names and node.id.islower():
                    offenders.append(f"{path.name}: calls {node.id}")
        self.assertFalse(offenders, "\n".join(offenders))
