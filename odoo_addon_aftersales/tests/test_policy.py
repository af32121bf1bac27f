# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import time
from decimal import Decimal

from aftersales_core.policy import Policy

from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.odoo_addon_aftersales.models.res_company import POLICY_FIELDS

from .ticket_common import TicketCase

# A valid value other than the default for the entries a generic rule cannot guess.
OTHER_VALUES = {
    "aftersales_home_province": "Guangdong",
    "aftersales_remote_provinces": "Xinjiang",
    "aftersales_payment_cutoff": 16.5,
    "aftersales_timezone": "Europe/Paris",
    "aftersales_engineering_deposit_ratio": 0.3,
    "aftersales_weekly_review_weekday": "friday",
    "aftersales_arrival_checklist": "gas_free_certificate",
    "aftersales_completion_checklist": "pressure_tested, repaired_parts_qualified",
    "aftersales_difficult_problem_leader": "rnd",
    "aftersales_service_modes": "visit",
}


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

    def test_every_policy_field_is_read_and_shown(self):
        """Every entry of POLICY_FIELDS is in the settings view and reaches the company's
        Policy (which every workflow step reads): a changed value changes the policy."""
        arch = self.env.ref("odoo_addon_aftersales.res_config_settings_view_form").arch
        for fname, (key, _convert) in POLICY_FIELDS.items():
            with self.subTest(field=fname):
                self.assertIn(f'name="{fname}"', arch)
                field = self.company._fields[fname]
                value = OTHER_VALUES.get(fname)
                if value is None:
                    current = self.company[fname]
                    value = (not current) if field.type == "boolean" else current + 1
                before = getattr(self.company._aftersales_policy(), key)
                with self.env.cr.savepoint(flush=False) as savepoint:
                    self.company.write({fname: value})
                    after = getattr(self.company._aftersales_policy(), key)
                    savepoint.rollback()
                self.env.invalidate_all()
                self.assertNotEqual(before, after, f"{fname} does not reach Policy.{key}")


@tagged("post_install", "-at_install")
class TestRegionalDefaults(TransactionCase):
    """Issue 13: the R8/R14 regional defaults follow the company, not China for everyone."""

    def test_a_company_abroad_gets_its_own_time_zone_and_province(self):
        france = self.env.ref("base.fr")
        partner = self.env["res.partner"].create({"name": "SAV Lyon", "tz": "Europe/Paris"})
        company = self.env["res.company"].create({
            "name": "SAV Lyon", "partner_id": partner.id, "country_id": france.id,
        })
        self.assertEqual(company.aftersales_timezone, "Europe/Paris")
        self.assertEqual(company.aftersales_home_province, "France")
        self.assertFalse(company.aftersales_remote_provinces)
        self.assertEqual(company._aftersales_policy().remote_provinces, frozenset())

    def test_a_company_in_china_keeps_the_seed_defaults_and_a_given_value_wins(self):
        china = self.env.ref("base.cn")
        company = self.env["res.company"].create({
            "name": "Suzhou Service", "country_id": china.id, "aftersales_home_province": "Zhejiang",
        })
        self.assertEqual(company.aftersales_home_province, "Zhejiang")
        self.assertIn("Xinjiang", company.aftersales_remote_provinces)

    def test_the_settings_button_applies_them(self):
        company = self.env.company
        company.write({"country_id": self.env.ref("base.be").id})
        company.partner_id.tz = "Europe/Brussels"
        company.action_aftersales_regional_defaults()
        self.assertEqual(company.aftersales_timezone, "Europe/Brussels")
        self.assertEqual(company.aftersales_home_province, company.state_id.name or "Belgium")
