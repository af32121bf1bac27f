# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import time
from decimal import Decimal

from aftersales_core.policy import Policy

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .ticket_common import TicketCase


@tagged("post_install", "-at_install")
class TestPolicySettings(TicketCase):
    def test_defaults_come_from_the_core(self):
        company = self.env["res.company"].create({"name": "Fresh Co"})
        self.assertEqual(company._aftersales_policy(), Policy())

    def test_settings_round_trip(self):
        settings = Form(self.env["res.config.settings"])
        settings.aftersales_return_host_threshold = 7
        settings.aftersales_return_accessory_threshold = 20
        settings.aftersales_return_acceptance_window_days = 30
        settings.aftersales_remote_provinces = "Xinjiang, Hainan"
        settings.aftersales_payment_cutoff = 16.5
        settings.aftersales_engineering_deposit_ratio = 0.3
        settings.aftersales_weekly_review_weekday = "friday"
        settings.aftersales_pareto_vital_few_percent = 70
        settings.save().execute()
        policy = self.company._aftersales_policy()
        self.assertEqual(policy.return_host_threshold, 7)
        self.assertEqual(policy.return_accessory_threshold, 20)
        self.assertEqual(policy.return_acceptance_window_days, 30)
        self.assertEqual(policy.remote_provinces, frozenset({"Xinjiang", "Hainan"}))
        self.assertEqual(policy.payment_cutoff, time(16, 30))
        self.assertEqual(policy.engineering_deposit_ratio, Decimal("0.3"))
        self.assertEqual(policy.weekly_review_weekday, "friday")
        self.assertEqual(policy.pareto_vital_few_percent, 70)
        # values the form left alone keep the core's defaults
        self.assertEqual(policy.resolution_hours, Policy().resolution_hours)

    def test_zero_window_means_no_window(self):
        self.company.aftersales_return_acceptance_window_days = 0
        self.assertIsNone(self.company._aftersales_policy().return_acceptance_window_days)

    def test_invalid_value_refused_naming_the_field(self):
        before = self.company.aftersales_return_host_threshold
        with self.assertRaises(ValidationError) as caught:
            self.company.aftersales_return_host_threshold = 0
        self.assertIn("Return: hosts to production", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(self.company.aftersales_return_host_threshold, before)

    def _refused(self, vals, text):
        """``vals`` are refused with a message holding ``text``; nothing is stored."""
        before = {name: self.company[name] for name in vals}
        with self.assertRaises(ValidationError) as caught:  # rolled back to a savepoint
            self.company.write(vals)
        self.assertIn(text, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual({name: self.company[name] for name in vals}, before)

    def test_inconsistent_values_refused(self):
        self._refused(
            {"aftersales_home_province": "Hainan", "aftersales_remote_provinces": "Hainan"},
            "also listed as remote",
        )
        self._refused({"aftersales_payment_cutoff": 25.0}, "Payment cut-off")
        self._refused({"aftersales_pareto_vital_few_percent": 120}, "Pareto vital few")
        # R8 deadlines must not shrink with distance
        self._refused({"aftersales_arrival_hours_remote": 1}, "arrival deadlines must not shrink")
        self._refused({"aftersales_timezone": False}, "time zone")

    def test_policy_is_per_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        other.aftersales_return_host_threshold = 9
        self.assertEqual(other._aftersales_policy().return_host_threshold, 9)
        self.assertEqual(
            self.company._aftersales_policy().return_host_threshold,
            Policy().return_host_threshold,
        )
