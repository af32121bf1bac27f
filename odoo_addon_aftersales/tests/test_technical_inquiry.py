# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Technical inquiry records (R28): answered, archived for reuse, searched, suggested."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .ticket_common import GROUP_USER, TicketCase


@tagged("post_install", "-at_install")
class TestTechnicalInquiry(TicketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rnd = new_test_user(cls.env, "asA_rnd", groups="base.group_user,odoo_addon_aftersales.group_aftersales_rnd")
        Category = cls.env["aftersales.failure.category"]
        cls.leak = Category.create({"name": "Leak (inquiry test)"})
        cls.noise = Category.create({"name": "Noise (inquiry test)"})
        cls.other_product = cls.env["product.product"].create({"name": "Float switch FS-2"})

    def _inquiry(self, user=None, **values):
        vals = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "failure_category_id": self.leak.id,
            "question": "Water comes out at the shaft seal: how do I tighten it?",
        }
        vals.update(values)
        return self.env["aftersales.technical.inquiry"].with_user(user or self.as_user).create(vals)

    def _answered(self, answer, **values):
        inquiry = self._inquiry(**values)
        inquiry.action_record()
        inquiry.answer = answer
        inquiry.with_user(self.rnd).action_answer()
        return inquiry

    def test_recorded_answered_archived_and_reopened(self):
        inquiry = self._inquiry(user=self.salesman)
        self.assertTrue(inquiry.name.startswith("TI/"))
        inquiry.with_user(self.salesman).action_record()
        self.assertEqual(inquiry.state, "open")
        inquiry.answer = "Tighten the gland nut a quarter turn."
        with self.assertRaises(AccessError):
            inquiry.with_user(self.salesman).action_answer()
        inquiry.with_user(self.rnd).action_answer()
        self.assertEqual(inquiry.state, "answered")
        self.assertEqual(inquiry.answered_by_id, self.rnd)
        self.assertTrue(inquiry.answered_at)
        self.assertIn("Answered", " ".join(inquiry.message_ids.mapped("body")))
        inquiry.with_user(self.as_user).action_archive_answer()
        self.assertEqual(inquiry.state, "archived")
        self.assertTrue(inquiry.knowledge_base)
        inquiry.with_user(self.as_user).action_reopen()
        self.assertEqual((inquiry.state, inquiry.knowledge_base), ("open", False))

    def test_an_answer_is_required_and_the_answerer_is_not_typed(self):
        inquiry = self._inquiry()
        inquiry.action_record()
        with self.assertRaisesRegex(UserError, "R28"):
            inquiry.action_answer()
        self.assertEqual(inquiry.state, "open")
        with self.assertRaises(UserError):
            inquiry.write({"answered_by_id": self.as_user.id})
        with self.assertRaises(UserError):
            inquiry.write({"state": "answered"})

    def test_past_answers_are_suggested_most_recent_first(self):
        old = self._answered("Replace the seal kit SK-40.")
        old.sudo().answered_at = "2026-01-01 08:00:00"  # an older answer
        new = self._answered("Tighten the gland nut a quarter turn.")
        self._answered("Check the bearing.", failure_category_id=self.noise.id)
        self._answered("Another product.", product_id=self.other_product.id)
        hidden = self._answered("Obsolete answer.")
        hidden.active = False
        self._inquiry().action_record()  # open, not answered: not suggested

        ticket = self._ticket(category_id=self.leak.id)
        self.assertEqual(ticket.suggested_inquiry_ids.ids, [new.id, old.id])
        inquiry = self._inquiry()
        self.assertEqual(inquiry.suggested_inquiry_ids.ids, [new.id, old.id])
        self.assertEqual(new.suggested_inquiry_ids, old, "an inquiry does not suggest itself")
        noisy = self._ticket(category_id=self.noise.id)
        plain = self._ticket()
        tickets = ticket | noisy | plain
        tickets.invalidate_recordset(["suggested_inquiry_ids"])
        with self.assertQueryCount(__system__=1):  # one search for the batch
            result = [t.suggested_inquiry_ids.ids for t in tickets]
        self.assertEqual(result[0], [new.id, old.id])
        self.assertEqual(len(result[1]), 1)
        self.assertEqual(result[2], [], "no failure mode: nothing to suggest")

    def test_searchable_by_text_product_and_failure_mode(self):
        answered = self._answered("Tighten the gland nut a quarter turn.")
        self._answered("Check the bearing.", failure_category_id=self.noise.id)
        Inquiry = self.env["aftersales.technical.inquiry"]
        self.assertEqual(Inquiry.name_search("gland nut").__len__(), 1)
        self.assertEqual(Inquiry.name_search("gland nut")[0][0], answered.id)
        self.assertEqual(Inquiry.search([("answer", "ilike", "gland")]), answered)
        self.assertEqual(len(Inquiry.search([("question", "ilike", "shaft seal")])), 2)
        self.assertEqual(
            Inquiry.search([("product_id", "=", self.product.id), ("failure_category_id", "=", self.leak.id)]),
            answered,
        )

    def test_other_company_users_do_not_see_the_inquiries(self):
        inquiry = self._inquiry()
        other = self.env["res.company"].create({"name": "Other Co (inquiry test)"})
        outsider = new_test_user(self.env, "asA_outsider", groups=f"base.group_user,{GROUP_USER}",
                                 company_id=other.id, company_ids=[(6, 0, other.ids)])
        self.assertFalse(
            self.env["aftersales.technical.inquiry"].with_user(outsider).search([("id", "=", inquiry.id)])
        )
