# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13: the screens speak in words, show only buttons that work, and let nothing skip
a state."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestScreens(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host = cls._product("Dial gauge", cls.cat_host, price=120.0)
        cls.order = cls._delivered_order({cls.host: 5})

    def _ticket(self, user, **vals):
        return self.env["aftersales.ticket"].with_user(user).create({
            "partner_id": self.customer.id, "description": "Needle sticks.", **vals,
        })

    def test_rule_blocked_buttons_are_hidden_and_explained(self):
        quality = self._ticket(self.as_manager, cause="product_quality")
        quality.action_record()
        quality.action_assess()
        actions = quality.aftersales_actions
        self.assertIn(",start_payout,", actions)
        self.assertNotIn(",explain,", actions, "R11: a quality complaint is not settled by an explanation")
        self.assertIn("Explain to the customer is not possible now", quality.aftersales_next_step)
        self.assertEqual(quality.aftersales_next_step.count("(R11)"), 1, quality.aftersales_next_step)
        self.assertNotIn("Explain to the customer: ", quality.aftersales_next_step)
        transport = self._ticket(self.as_manager, cause="transport_damage")
        transport.action_record()
        transport.action_assess()
        self.assertIn(",explain,", transport.aftersales_actions)
        self.assertNotIn(",start_payout,", transport.aftersales_actions)

    def test_the_approver_is_named_and_only_the_approver_sees_the_button(self):
        ret = self._return(self.order, {self.host: 1}, purpose="refund")
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids)
        for repair in ret.repair_ids:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()
        ret.action_finish_repair()
        ret.action_stock_in()
        as_manager = ret.with_user(self.as_manager)
        self.assertNotIn(",approve_stock_in,", as_manager.aftersales_actions)
        self.assertIn("Approve stock-in: General manager", as_manager.aftersales_next_step)
        self.assertIn(",approve_stock_in,", ret.with_user(self.gm_user).aftersales_actions)

    def test_one_chatter_entry_per_step_in_words(self):
        ret = self._return(self.order, {self.host: 2})
        before = len(ret.message_ids)
        ret.action_submit()
        ret.invalidate_recordset(["message_ids"])
        new = ret.message_ids[: len(ret.message_ids) - before]
        self.assertEqual(len(new), 1, [m.body for m in new])
        self.assertIn("Submit", new.body)
        self.assertIn("Draft → Requested", new.body)
        self.assertNotIn("submit:", new.body)
        ret.action_accept()
        ret.invalidate_recordset(["message_ids"])
        accepted = ret.message_ids[0]
        self.assertIn("Created:", accepted.body, "the step links the receipt it made")
        self.assertIn(ret.picking_ids.name, accepted.body)

    def test_errors_name_fields_by_their_labels(self):
        ticket = self._ticket(self.as_manager)
        ticket.action_record()
        with self.assertRaises(UserError) as err:
            ticket.action_cancel()
        message = str(err.exception)
        self.assertIn("Closing Reason", message)
        self.assertNotIn("closing_reason", message)
        with self.assertRaises(UserError) as err:
            ticket.action_record()
        self.assertIn("“Record” is not possible while it is received", str(err.exception))

    def test_role_refusals_speak_of_roles(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        rnd = ret.with_user(self.rnd_user)
        with self.assertRaisesRegex(Exception, "“Accept” is for Sales department head or Salesperson; you hold R&D"):
            rnd.action_accept()

    def test_states_in_workflow_order_and_labels(self):
        keys = [k for k, _label in self.env["aftersales.return"]._fields["state"].selection]
        self.assertLess(keys.index("settled"), keys.index("closed"))
        self.assertLess(keys.index("shipped"), keys.index("closed"))
        self.assertEqual(keys[-2:], ["refused", "cancelled"])
        labels = dict(self.env["aftersales.ticket"]._fields["responsibility"].selection)
        self.assertEqual(labels["payout_after_testing"], "Payout after testing")

    def test_kanban_columns_in_workflow_order(self):
        first = self._return(self.order, {self.host: 1})
        second = self._return(self.order, {self.host: 1})
        second.action_submit()
        groups = self.env["aftersales.return"].web_read_group(
            [("id", "in", (first | second).ids)], ["state"], ["state"]
        )["groups"]
        self.assertEqual([g["state"] for g in groups], ["draft", "requested"])

    def test_a_failed_save_uses_no_number(self):
        first = self._return(self.order, {self.host: 1})
        with self.assertRaises(ValidationError):
            self._return(self.order, {self.host: 9})
        second = self._return(self.order, {self.host: 1})
        seq = lambda name: int(name.rsplit("/", 1)[1])  # noqa: E731
        self.assertEqual(seq(second.name), seq(first.name) + 1)
        self.assertEqual(self.env["aftersales.return"].new({}).name, "New")

    def test_a_return_from_a_delivery(self):
        delivery = self.order.picking_ids
        action = delivery.with_user(self.sales_user).action_aftersales_return()
        ret = self.env["aftersales.return"].browse(action["res_id"])
        self.assertEqual(ret.state, "draft")
        self.assertEqual(ret.line_ids.move_id, delivery.move_ids)
        self.assertEqual(ret.line_ids.quantity, 5)
        ret.reason = "Needles stick."
        label = ret.line_ids.move_id.with_context(aftersales_delivered_move=True).display_name
        self.assertIn(delivery.name, label)
        self.assertIn(self.order.name, label)
        self.assertIn("Dial gauge", label)
        ret.action_submit()
        ret.action_accept()
        receipt = ret.picking_ids
        with self.assertRaisesRegex(UserError, "done delivery"):
            receipt.action_aftersales_return()

    def test_documents_link_back_with_the_problem(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        ret.action_accept()
        self.assertEqual(ret.picking_ids.aftersales_return_id, ret)
        self._validate(ret.picking_ids)
        self.assertEqual(ret.repair_ids.aftersales_return_id, ret)
        self.assertEqual(ret.repair_ids.aftersales_problem, "does not read")
        note = ret.repair_ids.message_ids.filtered(lambda m: ret.name in (m.body or ""))
        self.assertTrue(note, "the repair's chatter says where it comes from")
        self.assertIn("does not read", note.body)

    def test_product_class_empty_before_a_product(self):
        line = self.env["aftersales.return.line"].new({})
        self.assertFalse(line.product_class)

    def test_no_state_from_the_context_over_create(self):
        clerk = new_test_user(self.env, login="as_clerk13", groups="odoo_addon_aftersales.group_aftersales_user")
        with self.assertRaisesRegex(UserError, "starts in state"):
            self.env["aftersales.ticket"].with_user(clerk).with_context(default_state="closed").create(
                {"partner_id": self.customer.id, "description": "x"}
            )
