# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The printed forms: each PDF rendered by wkhtmltopdf from records made through the
workflows, read back with pdftotext (number, bilingual title, labels, signers)."""

import base64
import io
import os
import re
import subprocess
import tempfile
import unicodedata

from aftersales_core.forms import FORMS
from PIL import Image, ImageDraw

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase
from .test_service_visit import ARRIVAL


def _signature_png():
    """A drawn signature, as Odoo's signature widget stores it (base64 PNG)."""
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(10, 60), (50, 15), (80, 55), (120, 20), (160, 58), (220, 25)], fill=(20, 20, 120, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return base64.b64encode(out.getvalue())


@tagged("post_install", "-at_install")
class TestPrintedForms(AftersalesCase, HttpCase):
    """Every form of SPEC.md with an Odoo model prints as a PDF (wkhtmltopdf)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        grp = "odoo_addon_aftersales.group_aftersales_"
        cls.env["res.lang"]._activate_lang("zh_TW")
        cls.as_user.name = "Li Wei"
        cls.gm_user.name = "Wang Fang"
        cls.rnd_user.name = "Chen Jie"
        cls.quality_user = new_test_user(
            cls.env, login="rp_quality", name="Zhou Min",
            groups=f"{grp}quality,mrp.group_mrp_user",
        )
        cls.technician = new_test_user(
            cls.env, login="rp_tech", name="Zhao Lei", groups=f"{grp}user,stock.group_stock_user"
        )
        cls.sales_head = new_test_user(cls.env, login="rp_head", name="Sun Hao", groups="sales_team.group_sale_manager")
        cls.prod_manager = new_test_user(cls.env, login="rp_pm", name="Zhu Ming", groups="mrp.group_mrp_manager")
        cls.storekeeper = new_test_user(cls.env, login="rp_wh", name="Hu Jun", groups="stock.group_stock_user")
        cls.salesman = new_test_user(
            cls.env, login="rp_sales", name="Gao Yan", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        cls.customer.state_id = cls.env["res.country.state"].create(
            {"name": "Jiangsu", "code": "XJS", "country_id": cls.env.ref("base.cn").id}
        )
        cls.host = cls._product("Pressure gauge PG-60", cls.cat_host, price=250.0)
        cls.part = cls._product("Bourdon tube", cls.cat_acc, price=40.0)
        cls.order = cls._delivered_order({cls.host: 10})
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.stock, 20)
        cls.signature = _signature_png()

    # --- rendering ------------------------------------------------------------------------

    def _pdf_text(self, report, records, lang=None):
        """The text of the PDF of ``report`` (an xml id) for ``records``, by pdftotext."""
        env = self.env(context=dict(self.env.context, lang=lang or "en_US"))
        pdf, kind = env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            report, res_ids=records.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), f"{report} renders a PDF")
        keep = os.environ.get("AFTERSALES_REPORT_DIR")
        if keep:  # to look at the pages (pdftoppm), outside the repository
            name = f"{report.split('.')[-1]}{'-' + lang if lang else ''}.pdf"
            with open(os.path.join(keep, name), "wb") as out:
                out.write(pdf)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(pdf)
            tmp.flush()
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", tmp.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        # NFKC: Noto CJK maps some characters (戶) to a Kangxi radical (⼾) for extraction
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))

    def _check_form(self, report, records, form, number, signers=(), lang=None):
        text = self._pdf_text(report, records, lang=lang)
        title, title_zh = FORMS[form].title, FORMS[form].title_zh
        self.assertIn(title, text, f"{report}: the English title")
        self.assertIn(title_zh, text.replace(" ", ""), f"{report}: the Chinese title, as characters")
        self.assertIn(number, text, f"{report}: the form's number")
        self.assertIn(self.env.company.name, text, f"{report}: the company header")
        for signer in signers:
            self.assertIn(signer, text, f"{report}: the sign-off of {signer}")
        return text

    def _report_action(self, xmlid, model):
        action = self.env.ref(xmlid)
        self.assertEqual((action.model, action.report_type), (model, "qweb-pdf"))
        self.assertEqual(action.binding_model_id.model, model, "in the form's Print menu")
        return action

    # --- the forms ------------------------------------------------------------------------

    def test_complaint_form_in_english_and_in_chinese(self):
        ticket = self.env["aftersales.ticket"].with_user(self.as_user).create({
            "partner_id": self.customer.id,
            "product_id": self.host.id,
            "description": "The gauge reads zero after installation.",
            "remedy_sought": "Repair under warranty.",
            "channel": "phone",
        })
        ticket.with_user(self.as_user).action_record()
        action = self._report_action("odoo_addon_aftersales.action_report_ticket", "aftersales.ticket")
        self.assertIn(ticket.name, eval_report_name(action, ticket), "the file is named after the number")
        text = self._check_form(
            "odoo_addon_aftersales.report_ticket", ticket, "complaint", ticket.name, signers=["Li Wei"]
        )
        self.assertIn("The gauge reads zero after installation.", text)
        self.assertIn("Customer", text, "the labels are the fields' strings")
        self.assertIn("Ocean Shipping Ltd", text)

        # The reader's language: a label translated in zh_TW prints in Chinese; the title
        # stays bilingual and the template's own Chinese terms print as characters.
        self.env["ir.model.fields"]._get("aftersales.ticket", "remedy_sought").with_context(
            lang="zh_TW").field_description = "客戶要求"
        self.env.registry.clear_cache()
        text = self._check_form(
            "odoo_addon_aftersales.report_ticket", ticket, "complaint", ticket.name,
            signers=["Li Wei"], lang="zh_TW",
        )
        compact = text.replace(" ", "")
        self.assertIn("客戶要求", compact, "a label in the reader's language")
        self.assertIn("簽核", compact, "the sign-off block's Chinese heading")
        self.assertIn("Customer Complaint Handling Form", text, "the title stays bilingual in Chinese")

    def test_return_tracking_return_form_and_stock_in(self):
        ret = self._return(self.order, {self.host: 3}, purpose="refund")
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"))
        for repair in ret.repair_ids:
            self.env["stock.move"].create({
                "repair_id": repair.id, "product_id": self.part.id, "product_uom_qty": 1,
                "repair_line_type": "add",
            })
            repair.action_validate()
            for move in repair.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            repair.action_repair_start()
            repair.action_repair_end()
        ret.action_finish_repair()
        ret.with_user(self.as_user).action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        self.assertEqual(ret.state, "restocked")
        ret.settlement = "credit_note"
        ret.action_settle()

        self._report_action("odoo_addon_aftersales.action_report_return_tracking", "aftersales.return")
        text = self._check_form(
            "odoo_addon_aftersales.report_return_tracking", ret, "return_tracking", ret.name,
            signers=["Li Wei", "Wang Fang"],
        )
        self.assertIn("Pressure gauge PG-60", text)
        self.assertIn("Bourdon tube", text, "the replaced parts (R7)")
        self.assertIn(self.order.picking_ids[:1].name, text, "the original delivery")

        text = self._check_form("odoo_addon_aftersales.report_return_form", ret, "return", ret.name)
        self.assertIn("reads zero after installation", text, "the return request")
        self.assertIn(ret.invoice_ids[:1].name, text, "the refund decided by the business")

        text = self._check_form(
            "odoo_addon_aftersales.report_stock_in", ret, "stock_in", ret.name, signers=["Li Wei", "Wang Fang"],
        )
        self.assertIn("General manager", text, "the GM's approval (R6), with its role")

    def test_quality_exception_order(self):
        ret = self._return(self.order, {self.host: 6}, needs_design_change=True)
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"))
        self.assertEqual(ret.state, "quality_exception")
        order = ret.quality_exception_ids
        bom = self.env["mrp.bom"].create({
            "product_tmpl_id": self.host.product_tmpl_id.id, "product_id": self.host.id, "code": "REWORK-V2",
            "active": False,
            "bom_line_ids": [Command.create({"product_id": self.host.id, "product_qty": 1}),
                             Command.create({"product_id": self.part.id, "product_qty": 1})],
        })
        order.with_user(self.rnd_user).write({"rework_bom_id": bom.id, "rnd_decision": "Stronger tube."})
        order.with_user(self.rnd_user).action_issue_bom()
        self._report_action("odoo_addon_aftersales.action_report_quality_exception", "aftersales.quality.exception")
        text = self._check_form(
            "odoo_addon_aftersales.report_quality_exception", order, "quality_exception", ret.name,
            signers=["Chen Jie"],
        )
        self.assertIn("Stronger tube.", text)
        self.assertIn("REWORK-V2", text)

    def test_material_requisition_with_its_three_signoffs(self):
        repair = self.env["repair.order"].create({
            "product_id": self.host.id, "partner_id": self.customer.id,
            "picking_type_id": self.warehouse.repair_type_id.id,
        })
        req = self.env["aftersales.material.requisition"].with_user(self.as_user).create({
            "requester_id": self.as_user.id,
            "purpose_ref": f"repair.order,{repair.id}",
            "line_ids": [Command.create({"product_id": self.part.id, "quantity": 2})],
        })
        req.with_user(self.as_user).action_submit()
        req.with_user(self.sales_head).action_sign()
        req.with_user(self.prod_manager).action_sign()
        req.with_user(self.storekeeper).action_sign()
        self.assertEqual(req.state, "issued")
        self._report_action("odoo_addon_aftersales.action_report_material_requisition",
                            "aftersales.material.requisition")
        text = self._check_form(
            "odoo_addon_aftersales.report_material_requisition", req, "material_requisition", req.name,
            signers=["Li Wei", "Sun Hao", "Zhu Ming", "Hu Jun"],
        )
        self.assertIn("Bourdon tube", text)
        self.assertIn(repair.name, text, "the purpose (the case)")

    def test_contract_review_form(self):
        bom_product = self.env["product.product"].create({"name": "Level system LS-9", "is_storable": True})
        self.env["mrp.bom"].create({
            "product_tmpl_id": bom_product.product_tmpl_id.id,
            "bom_line_ids": [Command.create({"product_id": self.part.id, "product_qty": 1})],
        })
        order = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": bom_product.id, "product_uom_qty": 4})],
        })
        order.with_user(self.salesman).action_aftersales_contract_review()
        review = order.sudo().aftersales_contract_review_ids
        review.with_user(self.salesman).requirements = "Stainless housing, IP68."
        review.with_user(self.salesman).action_review()
        self.assertEqual(review.state, "modifying")
        self._report_action("odoo_addon_aftersales.action_report_contract_review", "aftersales.contract.review")
        text = self._check_form(
            "odoo_addon_aftersales.report_contract_review", review, "contract_review", review.name,
            signers=["Gao Yan"],
        )
        self.assertIn("Stainless housing, IP68.", text)
        self.assertIn(order.name, text)

    def test_service_record_repair_list_and_contract(self):
        visit = self.env["aftersales.service.visit"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "request": "The gauge reads zero.",
            "product_id": self.host.id, "contact": "Capt. Wu, +86 21 5555",
        })
        visit.with_user(self.as_user).action_record()
        visit.technician_id = self.technician
        visit.with_user(self.as_user).action_dispatch()
        visit.with_user(self.technician).action_arrive()
        # R24: the technician ticks the on-arrival check lines
        visit.check_ids.filtered(lambda c: c.name in ARRIVAL).with_user(self.technician).write({"done": True})
        visit.cause = "company"
        visit.with_user(self.technician).action_decide_warranty()
        visit.write({"repair_date": fields.Date.today(), "failure_cause": "moisture in the sensor",
                     "customer_comments": "Fast and clean.",
                     "repair_signed_by": "Capt. Wu", "repair_signature": self.signature})
        visit.check_ids.filtered(lambda c: not c.done).with_user(self.technician).write({"done": True})
        visit.with_user(self.technician).action_complete()
        self.assertEqual(visit.state, "completed")
        visit.with_user(self.as_user).action_service_contract()
        contract = visit.contract_order_id
        contract.write({"signed_by": "Capt. Wu", "signed_on": fields.Datetime.now(), "signature": self.signature})

        self._report_action("odoo_addon_aftersales.action_report_service_record", "aftersales.service.visit")
        text = self._check_form(
            "odoo_addon_aftersales.report_service_record", visit, "service_record", visit.name,
            signers=["Li Wei", "Zhao Lei"],
        )
        self.assertIn("The gauge reads zero.", text)
        text = self._check_form(
            "odoo_addon_aftersales.report_service_repair_list", visit, "service_repair_list", visit.name,
            signers=["Zhao Lei", "Capt. Wu"],
        )
        self.assertIn("moisture in the sensor", text)
        self.assertIn("Fast and clean.", text)
        text = self._check_form(
            "odoo_addon_aftersales.report_service_contract", visit, "service_contract", contract.name,
            signers=["Li Wei", "Capt. Wu"],
        )
        self.assertIn("paid service out of warranty", text, "the contract's terms")

    def test_quality_feedback_sheet_and_capa(self):
        sheet = self.env["aftersales.quality.feedback"].with_user(self.as_user).create({
            "source": "user", "partner_id": self.customer.id, "product_id": self.host.id,
            "category_id": self.env.ref("odoo_addon_aftersales.failure_category_drift").id,
            "description": "Reads 3 bar high.", "major": True,
        })
        sheet.with_user(self.as_user).action_record()
        sheet.with_user(self.as_user).action_classify()
        self._report_action("odoo_addon_aftersales.action_report_quality_feedback", "aftersales.quality.feedback")
        text = self._check_form(
            "odoo_addon_aftersales.report_quality_feedback", sheet, "quality_feedback", sheet.name,
            signers=["Li Wei"],
        )
        self.assertIn("Reads 3 bar high.", text)

        capa = self.env["aftersales.capa"].create({
            "problem": "Drifting gauges from lot 7.",
            "team_ids": [Command.set((self.quality_user | self.rnd_user).ids)],
            "containment": "Stock of lot 7 held.",
            "root_cause_occurrence": "Spring not annealed.",
            "action_ids": [Command.create({"kind": "corrective", "description": "Anneal springs.",
                                           "owner_id": self.rnd_user.id, "due": fields.Date.today()})],
        })
        sheet.capa_id = capa
        self._report_action("odoo_addon_aftersales.action_report_capa", "aftersales.capa")
        text = self._check_form(
            "odoo_addon_aftersales.report_capa", capa, "capa", capa.name, signers=["Li Wei", "Chen Jie"],
        )
        self.assertIn("Anneal springs.", text)
        self.assertIn("Spring not annealed.", text)

    def test_satisfaction_survey_answer(self):
        ticket = self.env["aftersales.ticket"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "description": "Late delivery.", "channel": "phone",
        })
        ticket.with_user(self.as_user).action_record()
        ticket.write({"handling_opinion": "Explained.", "customer_accepted": True})
        ticket.with_user(self.as_user).action_answer_on_spot()
        ticket.with_user(self.as_user).action_close()
        answer = self.env["survey.user_input"].search([
            ("aftersales_res_model", "=", ticket._name), ("aftersales_res_id", "=", ticket.id)
        ])
        survey = answer.survey_id
        for question in survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"):
            answer._save_lines(question, question.suggested_answer_ids.filtered(lambda a: a.answer_score == 4).id)
        answer._mark_done()
        self._report_action("odoo_addon_aftersales.action_report_satisfaction_survey", "survey.user_input")
        text = self._check_form(
            "odoo_addon_aftersales.report_satisfaction_survey", answer, "satisfaction_survey",
            answer._aftersales_report_number(), signers=["Ocean Shipping Ltd"],
        )
        self.assertIn(ticket.name, text, "the case surveyed")
        question = survey.question_ids.filtered(lambda q: q.question_type == "simple_choice")[:1]
        self.assertIn(question.title.split()[0], text, "the questions")


def eval_report_name(action, record):
    """The file name Odoo gives the PDF (print_report_name)."""
    from odoo.tools.safe_eval import safe_eval, time

    return safe_eval(action.print_report_name, {"object": record, "time": time})
