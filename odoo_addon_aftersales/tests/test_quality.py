# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestQualityFeedback(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality_user = new_test_user(
            cls.env, login="as_quality", groups="odoo_addon_aftersales.group_aftersales_quality,mrp.group_mrp_user"
        )
        cls.drift = cls.env.ref("odoo_addon_aftersales.failure_category_drift")
        cls.gauge = cls._product("Marine thermometer MT-1", cls.cat_host)
        cls.society = cls.env["res.partner"].create({"name": "CCS Shanghai", "email": "survey@ccs.example"})
        cls.company.aftersales_classification_society_id = cls.society

    def _sheet(self, **vals):
        return self.env["aftersales.quality.feedback"].with_user(self.as_user).create({
            "source": "user",
            "partner_id": self.customer.id,
            "product_id": self.gauge.id,
            "category_id": self.drift.id,
            "description": "Reads 3 degrees high.",
            **vals,
        })

    def _classified(self, **vals):
        sheet = self._sheet(**vals)
        sheet.action_record()
        sheet.action_classify()
        return sheet

    def test_normal_information_is_repaired_directly(self):
        sheet = self._classified()
        self.assertEqual((sheet.state, sheet.classification), ("repair", "repair_directly"))
        sheet.action_repair_done()
        self.assertEqual(sheet.state, "closed")

    def test_repeated_information_goes_to_quality_control(self):
        self._sheet(received_at=fields.Datetime.now() - timedelta(days=10))
        sheet = self._classified()
        self.assertEqual((sheet.state, sheet.classification), ("with_quality", "quality_control"))
        self.assertIn(self.quality_user, sheet.activity_ids.user_id)
        old = self._sheet(received_at=fields.Datetime.now() - timedelta(days=100))
        self.assertTrue(old)
        lone = self._classified(category_id=self.env.ref("odoo_addon_aftersales.failure_category_leak").id)
        self.assertEqual(lone.classification, "repair_directly")

    def test_a_batch_goes_to_the_general_manager(self):
        sheet = self._classified(affected_quantity=self.company._aftersales_policy().batch_problem_quantity)
        self.assertEqual((sheet.state, sheet.classification), ("escalated", "general_manager"))
        self.assertIn(self.gm_user, sheet.activity_ids.user_id)

    def test_classification_is_checked_against_the_role(self):
        sheet = self._sheet()
        sheet.action_record()
        with self.assertRaises(AccessError):
            sheet.with_user(self.rnd_user).action_classify()
        self.assertEqual(sheet.state, "recorded")

    def test_marine_product_blocks_manufacturing_until_verified(self):
        self.gauge.aftersales_marine = True
        before = self.env["mrp.production"].create({"product_id": self.gauge.id, "product_qty": 2})
        before.action_confirm()
        sheet = self._classified(abnormal=True)
        self.assertEqual((sheet.state, sheet.classification), ("suspended", "suspend_production"))
        self.assertEqual(self.gauge.product_tmpl_id.aftersales_suspended_by_id, sheet)
        mail = sheet.message_ids.filtered(lambda m: self.society in m.partner_ids)
        self.assertTrue(mail, "the classification society is e-mailed")
        self.assertIn("suspended", mail.body)

        new = self.env["mrp.production"].create({"product_id": self.gauge.id, "product_qty": 1})
        with self.assertRaisesRegex(UserError, "R13.*suspended"):
            new.action_confirm()
        self.assertEqual(new.state, "draft")
        before.qty_producing = 2
        with self.assertRaisesRegex(UserError, "R13"):
            before.button_mark_done()
        self.assertNotEqual(before.state, "done")

        sheet.with_user(self.quality_user).action_open_capa()
        capa = sheet.capa_id
        self.assertEqual(sheet.state, "capa_open")
        self.assertEqual(capa.team_ids, self.quality_user)
        self.env["aftersales.capa.action"].create({
            "capa_id": capa.id, "kind": "corrective", "description": "Recalibrate the sensor batch.",
            "owner_id": self.quality_user.id, "due": fields.Date.today() + timedelta(days=7),
        })
        activity = capa.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline),
                         (self.quality_user, fields.Date.today() + timedelta(days=7)))
        with self.assertRaisesRegex(UserError, "must be closed.*rule R13"):
            sheet.with_user(self.quality_user).action_verify()
        self.assertEqual(self.gauge.product_tmpl_id.aftersales_suspended_by_id, sheet)
        capa.write({"verification": "Three weeks of readings within 0.5 degrees.",
                    "closed_on": fields.Date.today()})
        sheet.with_user(self.quality_user).action_verify()
        self.assertEqual(sheet.state, "verified")
        self.assertFalse(self.gauge.product_tmpl_id.aftersales_suspended_by_id)
        new.action_confirm()
        self.assertEqual(new.state, "confirmed")
        sheet.with_user(self.quality_user).action_close()
        self.assertEqual(sheet.state, "closed")

    def test_a_capa_without_a_team_is_refused_naming_the_field(self):
        sheet = self._classified(major=True)
        capa = self.env["aftersales.capa"].create({"problem": "drift"})
        sheet.capa_id = capa
        with self.assertRaisesRegex(UserError, "Team"):
            sheet.with_user(self.quality_user).action_open_capa()
        self.assertEqual(sheet.state, "escalated")

    def test_feedback_from_a_complaint_carries_its_failure_mode(self):
        ticket = self.env["aftersales.ticket"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "product_id": self.gauge.id, "category_id": self.drift.id,
            "description": "Reads high.", "quantity": 3,
        })
        ticket.action_quality_feedback()
        sheet = self.env["aftersales.quality.feedback"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((sheet.category_id, sheet.affected_quantity, sheet.source), (self.drift, 3, "user"))

    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        theirs = self.env["aftersales.quality.feedback"].create({
            "source": "user", "product_id": self.gauge.id, "category_id": self.drift.id, "company_id": other.id,
        })
        self.assertNotIn(theirs, self.env["aftersales.quality.feedback"].with_user(self.as_user).search([]))
