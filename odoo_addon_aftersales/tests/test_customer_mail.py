# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mails to the customer at each customer-facing step, driven through the real workflow."""

import os

from odoo.tests import new_test_user, tagged
from odoo.tools import file_path
from odoo.tools.translate import TranslationImporter

from ..models.aftersales_customer_mail import CUSTOMER_MAILS
from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestCustomerMail(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # keep the outgoing mail.mail (not sent and deleted at once) to check them
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.company.aftersales_customer_mails = True
        cls.company.email = "service@example.com"
        cls.host = cls._product("Pressure gauge", cls.cat_host, price=250.0)
        cls.order = cls._delivered_order({cls.host: 10})

    # --- helpers --------------------------------------------------------------------

    def _customer_mails(self, record, subject):
        """The mail.mail of ``record``'s chatter messages whose subject holds ``subject``,
        addressed to the customer."""
        messages = self.env["mail.message"].search([
            ("model", "=", record._name), ("res_id", "=", record.id), ("subject", "ilike", subject),
        ])
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        return mails.filtered(lambda m: self.customer in m.recipient_ids)

    def _one_mail(self, record, subject, *needles):
        mails = self._customer_mails(record, subject)
        self.assertEqual(len(mails), 1, f"one mail {subject!r}: {record.message_ids.mapped('subject')}")
        self.assertIn(record.name, mails.subject)
        for needle in needles:
            self.assertIn(needle, mails.body_html)
        return mails

    def _received(self, purpose="repair", quantity=2):
        ret = self._return(self.order, {self.host: quantity}, purpose=purpose)
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"))
        return ret

    def _repaired(self, ret):
        for repair in ret.repair_ids:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()
        ret.action_finish_repair()

    # --- the table ------------------------------------------------------------------

    def test_every_template_of_the_table_exists_and_is_bound_to_its_model(self):
        models = {"complaint": "aftersales.ticket", "onsite_service": "aftersales.service.visit",
                  "return_for_repair": "aftersales.return", "refund_return": "aftersales.return"}
        for (workflow, _step), xmlid in CUSTOMER_MAILS.items():
            template = self.env.ref(f"odoo_addon_aftersales.{xmlid}")
            self.assertEqual(template.model, models[workflow], xmlid)
            self.assertEqual(template.lang, "{{ object.partner_id.lang }}")

    # --- each step --------------------------------------------------------------------

    def test_complaint_received(self):
        ticket = self.env["aftersales.ticket"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "product_id": self.host.id,
            "description": "The gauge reads zero.", "channel": "phone",
        })
        self.assertFalse(self._customer_mails(ticket, "complaint"))
        ticket.with_user(self.as_user).action_record()
        mail = self._one_mail(ticket, "we received your complaint", "Pressure gauge")
        self.assertIn("Dear Ocean Shipping Ltd", mail.body_html)
        self.assertIn(ticket.company_id.name, mail.subject)

    def test_return_accepted_with_the_core_reason(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        ret.action_accept()
        mail = self._one_mail(ret, "is accepted", "Reason:")
        decision = ret.message_ids.filtered(lambda m: "R4" in (m.body or ""))
        self.assertTrue(decision, "the chatter keeps the core's R4 decision")
        self.assertFalse(self._customer_mails(ret, "is refused"))
        self.assertIn("send the goods back", mail.body_html)

    def test_return_refused_with_the_reason(self):
        ret = self._return(self.order, {self.host: 1})
        ret.action_submit()
        ret.refusal_reason = "The seal of the gauge was opened by a third party."
        ret.action_refuse()
        self.assertEqual(ret.state, "refused")
        self._one_mail(ret, "is refused", "The seal of the gauge was opened by a third party.")
        self.assertFalse(self._customer_mails(ret, "is accepted"))

    def test_goods_received_then_routed_with_the_deadline(self):
        ret = self._received()
        self.assertEqual(ret.state, "in_repair")
        self._one_mail(ret, "we received the goods", "Pressure gauge: 2")
        routed = self._one_mail(ret, "is being handled", "after-sales service now repairs them",
                                "ship them back", "We aim to finish by")
        (due,) = ret._aftersales_resolution_deadlines(ret.company_id, [routed.create_date])
        self.assertIn(str(due.year), routed.body_html)

    def test_partial_receipt_says_the_rest_is_awaited(self):
        ret = self._return(self.order, {self.host: 3})
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids, {self.host: 1})
        self.assertEqual(ret.state, "partially_received")
        self._one_mail(ret, "we received the goods", "Pressure gauge: 1", "waiting for the rest")
        self.assertFalse(self._customer_mails(ret, "is being handled"))

    def test_shipped_back_and_survey_invitation(self):
        ret = self._received()
        self._repaired(ret)
        ret.repairs_done = "Bourdon tube replaced"
        ret.action_ship_back()
        self._one_mail(ret, "are on their way", "shipped back to you")
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")
        before = self.env["survey.user_input"].search([("survey_id", "=", survey.id)])
        ret.action_close()
        answer = self.env["survey.user_input"].search([("survey_id", "=", survey.id)]) - before
        self.assertEqual(answer.partner_id, self.customer)
        invitation = self.env["mail.mail"].search([
            ("recipient_ids", "in", self.customer.ids),
            ("subject", "ilike", "how satisfied are you with our after-sales service"),
        ])
        self.assertEqual(len(invitation), 1)
        self.assertIn(answer.access_token, invitation.body_html, "the link opens the customer's answer")

    def test_refund_issued_names_the_credit_note(self):
        ret = self._received(purpose="refund", quantity=3)
        self._repaired(ret)
        ret.action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.settlement = "credit_note"
        ret.action_settle()
        refund = ret.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self._one_mail(ret, "refund for your return", refund.name, f"{refund.amount_total:,.2f}")

    def test_visit_scheduled_with_its_deadline(self):
        self.customer.state_id = self.env["res.country.state"].create(
            {"name": "Jiangsu", "code": "XJS", "country_id": self.env.ref("base.cn").id}
        )
        self.company.aftersales_home_province = "Jiangsu"
        technician = new_test_user(self.env, login="as_mail_tech",
                                   groups="odoo_addon_aftersales.group_aftersales_user")
        visit = self.env["aftersales.service.visit"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "request": "The gauge reads zero.",
            "product_id": self.host.id, "contact": "Capt. Wu",
        })
        visit.with_user(self.as_user).action_record()
        self.assertFalse(self._customer_mails(visit, "scheduled"))
        visit.technician_id = technician
        visit.with_user(self.as_user).action_dispatch()
        self.assertTrue(visit.deadline)
        mail = self._one_mail(visit, "scheduled", "on site by", technician.name)
        self.assertIn(str(visit.deadline.year), mail.body_html)

    # --- the company switch, the language ----------------------------------------------

    def test_the_company_switch_stops_the_step_mails(self):
        self.company.aftersales_customer_mails = False
        ret = self._received()
        self.assertEqual(ret.state, "in_repair")
        self.assertFalse(self._customer_mails(ret, ret.name))
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))
        settings = self.env["res.config.settings"].create({"aftersales_customer_mails": True})
        settings.execute()
        self.assertTrue(self.company.aftersales_customer_mails)

    def _load_chinese(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        path = file_path(f"odoo_addon_aftersales/i18n/{lang}.po")
        importer = TranslationImporter(self.env.cr, verbose=False)
        importer.load_file(path, lang)
        importer.save(overwrite=True)

    def test_a_chinese_customer_gets_chinese_mail(self):
        for lang, subject, words in (
            ("zh_TW", "退貨", "已收到"),
            ("zh_CN", "退货", "已收到"),
        ):
            with self.subTest(lang=lang):
                self._load_chinese(lang)
                self.customer.lang = lang
                ret = self._return(self.order, {self.host: 1})
                ret.action_submit()
                ret.action_accept()
                self._validate(ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"))
                mails = self.env["mail.mail"].search([("model", "=", ret._name), ("res_id", "=", ret.id)])
                self.assertEqual(len(mails), 3, mails.mapped("subject"))
                for mail in mails:
                    self.assertIn(subject, mail.subject)
                self.assertTrue(any(words in m.body_html for m in mails), mails.mapped("body_html"))
                self.assertNotIn("Dear", " ".join(mails.mapped("body_html")))

    def test_chinese_catalogs_cover_every_template_term(self):
        for lang in ("zh_TW", "zh_CN"):
            path = file_path(f"odoo_addon_aftersales/i18n/{lang}.po")
            self.assertTrue(os.path.exists(path))
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            self.assertNotIn('msgstr ""\n\n', text + "\n", f"{lang}: an untranslated term")
