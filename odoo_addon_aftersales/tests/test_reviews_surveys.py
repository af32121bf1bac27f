# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .ticket_common import TicketCase

FRIDAY_5PM = datetime(2026, 5, 8, 9, 0)  # 17:00 in Shanghai, stored in UTC


@tagged("post_install", "-at_install")
class TestResolutionDeadline(TicketCase):
    def test_r9_deadline_and_reminder_across_a_weekend(self):
        hours = self.company._aftersales_policy().resolution_hours
        with freeze_time(FRIDAY_5PM):
            ticket = self._ticket(received_at=FRIDAY_5PM)
            ticket.action_record()
        self.assertEqual(ticket.resolution_due_at, FRIDAY_5PM + timedelta(hours=hours))
        self.assertEqual(ticket.resolution_due_at.strftime("%A"), "Sunday")
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(ticket.resolution_due_at - timedelta(minutes=1)):
            self.assertFalse(Ticket._cron_resolution_reminders())
        with freeze_time(ticket.resolution_due_at + timedelta(minutes=1)):
            self.assertEqual(Ticket._cron_resolution_reminders(), ticket)
            self.assertEqual(Ticket._cron_resolution_reminders(), Ticket, "reminded once")
        reminder = ticket.activity_ids.filtered(lambda a: "R9" in (a.summary or ""))
        self.assertEqual(reminder.user_id, ticket.user_id)

    def test_r9_follows_the_policy_and_closed_cases_are_not_reminded(self):
        self.company.aftersales_resolution_hours = 24
        ticket = self._ticket()
        self.assertEqual(ticket.resolution_due_at, ticket.received_at + timedelta(hours=24))
        ticket.action_record()
        ticket.write({"handling_opinion": "Explained.", "customer_accepted": True})
        ticket.action_answer_on_spot()
        ticket.action_close()
        with freeze_time(fields.Datetime.now() + timedelta(days=3)):
            self.assertFalse(self.env["aftersales.ticket"]._cron_resolution_reminders())


@tagged("post_install", "-at_install")
class TestSatisfactionSurvey(TicketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "buyer@harbour.example"
        cls.survey = cls.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")

    def _closed_ticket(self, **values):
        ticket = self._ticket(**values)
        ticket.action_record()
        ticket.write({"handling_opinion": "Explained.", "customer_accepted": True})
        ticket.action_answer_on_spot()
        ticket.action_close()
        return ticket

    def _answers(self, ticket):
        return self.env["survey.user_input"].search([
            ("aftersales_res_model", "=", ticket._name), ("aftersales_res_id", "=", ticket.id)
        ])

    def _answer(self, answer, score):
        for question in self.survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"):
            choice = question.suggested_answer_ids.filtered(lambda a, s=score: a.answer_score == s)
            answer._save_lines(question, choice.id)
        answer._mark_done()

    def test_a_closed_case_sends_the_seeded_survey_and_links_the_answer(self):
        ticket = self._closed_ticket()
        answer = self._answers(ticket)
        self.assertEqual((answer.survey_id, answer.partner_id), (self.survey, self.customer))
        self.assertEqual(answer.state, "new")
        self.assertTrue(answer.access_token, "the invitation carries the answer's token")
        self._answer(answer, 4)
        self.assertEqual(answer.aftersales_result, "satisfied")
        self.assertFalse(answer.aftersales_ticket_id)
        self.assertIn("R20", " ".join(ticket.message_ids.mapped("body")))

    def test_a_low_score_opens_an_investigation(self):
        threshold = self.company._aftersales_policy().dissatisfied_below_score
        ticket = self._closed_ticket()
        answer = self._answers(ticket)
        self._answer(answer, threshold - 1)
        self.assertEqual(answer.aftersales_result, "investigate")
        investigation = answer.aftersales_ticket_id
        self.assertEqual((investigation.partner_id, investigation.channel), (self.customer, "portal"))
        self.assertEqual(answer.aftersales_capa_id.ticket_id, investigation)
        self.assertIn("investigate", answer.aftersales_capa_id.problem)

    def test_regular_surveys_of_active_customers(self):
        product = self.env["product.product"].create({"name": "Gauge", "list_price": 10})
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "order_line": [(0, 0, {"product_id": product.id})],
        })
        order.action_confirm()
        Answer = self.env["survey.user_input"]
        sent = Answer._cron_aftersales_regular_surveys()
        self.assertEqual(sent.partner_id, self.customer)
        self.assertFalse(Answer._cron_aftersales_regular_surveys(), "not due again at once")
        months = self.company._aftersales_policy().survey_every_months
        with freeze_time(fields.Datetime.now() + timedelta(days=31 * months + 1)):
            self.assertEqual(Answer._cron_aftersales_regular_surveys().partner_id, self.customer)

    # --- final customers (R20, 004 §6.1.2) ---------------------------------------------

    def _end_user(self):
        return self.env["res.partner"].create(
            {"name": "Ocean Star Shipping", "email": "fleet@oceanstar.example"}
        )

    def test_the_final_customer_is_invited_too_and_its_answer_linked(self):
        end_user = self._end_user()
        ticket = self._closed_ticket(final_partner_id=end_user.id)
        answers = self._answers(ticket)
        self.assertEqual(answers.partner_id, self.customer | end_user)
        theirs = answers.filtered(lambda a: a.partner_id == end_user)
        self.assertEqual((theirs.aftersales_final_customer, theirs.state), (True, "new"))
        self.assertFalse((answers - theirs).aftersales_final_customer)
        invitation = self.env["mail.mail"].search([("recipient_ids", "in", end_user.ids)])
        self.assertTrue(invitation, "the survey invitation is e-mailed to the end user")
        self.assertIn(theirs.access_token, str(invitation[:1].body_html))
        self._answer(theirs, 5)
        self.assertEqual(theirs.aftersales_result, "satisfied")

    def test_final_customers_follow_the_policy(self):
        end_user = self._end_user()
        self.company.aftersales_survey_final_customers = False
        ticket = self._closed_ticket(final_partner_id=end_user.id)
        self.assertEqual(self._answers(ticket).partner_id, self.customer)
        self.company.aftersales_survey_final_customers = True
        same = self._closed_ticket(final_partner_id=self.customer.id)
        self.assertEqual(len(self._answers(same)), 1, "the direct customer is surveyed once")

    def test_a_final_customers_low_score_is_investigated_with_the_customer(self):
        end_user = self._end_user()
        ticket = self._closed_ticket(final_partner_id=end_user.id)
        theirs = self._answers(ticket).filtered("aftersales_final_customer")
        self._answer(theirs, 1)
        self.assertEqual(theirs.aftersales_result, "investigate")
        investigation = theirs.aftersales_ticket_id
        self.assertEqual((investigation.partner_id, investigation.final_partner_id),
                         (self.customer, end_user))
        self.assertEqual(theirs.aftersales_capa_id.ticket_id, investigation)
        self.assertIn("Final customer dissatisfied (Ocean Star Shipping)", theirs.aftersales_capa_id.problem)

    def test_regular_surveys_reach_final_customers_of_the_year(self):
        end_user = self._end_user()
        self._ticket(final_partner_id=end_user.id).action_record()
        Answer = self.env["survey.user_input"]
        sent = Answer._cron_aftersales_regular_surveys()
        self.assertIn(end_user, sent.partner_id)
        self.assertTrue(sent.filtered(lambda a: a.partner_id == end_user).aftersales_final_customer)
        self.assertFalse(Answer._cron_aftersales_regular_surveys().filtered(
            lambda a: a.partner_id == end_user), "not due again at once")
        months = self.company._aftersales_policy().survey_every_months
        later = fields.Datetime.now() + timedelta(days=31 * months + 1)
        with freeze_time(later):
            self.assertIn(end_user, Answer._cron_aftersales_regular_surveys().partner_id)
        self.company.aftersales_survey_final_customers = False
        with freeze_time(later + timedelta(days=31 * months + 1)):
            self.assertNotIn(end_user, Answer._cron_aftersales_regular_surveys().partner_id)
