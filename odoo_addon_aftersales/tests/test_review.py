# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.tests import tagged

from .ticket_common import TicketCase

MONDAY = date(2026, 5, 11)


@tagged("post_install", "-at_install")
class TestWeeklyReview(TicketCase):
    def test_r19_the_review_of_last_week_on_the_policy_day(self):
        in_week = self._ticket(received_at=datetime(2026, 5, 6, 3, 0))
        before = self._ticket(received_at=datetime(2026, 5, 3, 3, 0))
        Review = self.env["aftersales.review"]
        self.assertFalse(Review._cron_prepare_weekly_review(today=date(2026, 5, 12)), "not the review day")
        review = Review._cron_prepare_weekly_review(today=MONDAY)
        self.assertEqual((review.week_start, review.review_on), (date(2026, 5, 4), MONDAY))
        self.assertIn(in_week, review.ticket_ids)
        self.assertNotIn(before, review.ticket_ids)
        event = review.event_id
        self.assertEqual(event.start.date(), MONDAY)
        self.assertIn(in_week.name, str(event.description))
        self.assertIn(self.as_manager.partner_id, event.partner_ids)
        self.assertFalse(Review._cron_prepare_weekly_review(today=MONDAY), "once a week")

    def test_r19_follows_the_policy_weekday_and_a_suggestion_opens_a_capa(self):
        self.company.aftersales_weekly_review_weekday = "friday"
        Review = self.env["aftersales.review"]
        self.assertFalse(Review._cron_prepare_weekly_review(today=MONDAY))
        review = Review._cron_prepare_weekly_review(today=date(2026, 5, 15))
        self.assertEqual(review.week_start, date(2026, 5, 8))
        review.minutes = "<p>Three drift complaints; the sensor supplier is the common factor.</p>"
        suggestion = self.env["aftersales.review.suggestion"].create(
            {"review_id": review.id, "description": "Change the sensor supplier's incoming inspection."}
        )
        suggestion.action_open_capa()
        self.assertEqual(suggestion.capa_id.problem, suggestion.description)
        suggestion.action_open_capa()
        self.assertEqual(len(self.env["aftersales.capa"].search([("problem", "=", suggestion.description)])), 1)
