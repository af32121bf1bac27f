# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R20: satisfaction surveys through Odoo's survey module, answers linked to the case."""

from datetime import timedelta

from aftersales_core.labels import label
from aftersales_core.roles import Role
from markupsafe import Markup

from odoo import Command, api, fields, models

from .aftersales_customer_mail import SURVEY_INVITATION


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_res_model = fields.Char(string="After-sales case model", index=True, copy=False)
    aftersales_res_id = fields.Many2oneReference(
        string="After-sales case", model_field="aftersales_res_model", copy=False
    )
    aftersales_final_customer = fields.Boolean(
        string="Final customer", readonly=True, copy=False,
        help="R20: answered by the final customer (end user) of the case, not the direct one.",
    )
    aftersales_result = fields.Char(string="R20 result", readonly=True, copy=False)
    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Investigation", readonly=True, copy=False
    )
    aftersales_capa_id = fields.Many2one("aftersales.capa", string="CAPA", readonly=True, copy=False)

    def _aftersales_scores(self):
        """The scores (1-5) of the answered choices of the satisfaction survey."""
        return [
            int(line.suggested_answer_id.answer_score)
            for line in self.user_input_line_ids
            if line.suggested_answer_id and line.suggested_answer_id.answer_score
        ]

    def _mark_done(self):
        res = super()._mark_done()
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction", raise_if_not_found=False)
        self.filtered(lambda a: a.survey_id == survey)._aftersales_evaluate()
        return res

    def _prepare_investigation_ticket_vals(self, decision, company, case=None):
        """The investigation complaint (R20). A final customer's answer is investigated
        with the case's direct customer, the end user named as the final customer."""
        vals = {
            "company_id": company.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "channel": "portal",
            "description": self.env._("Satisfaction survey %(survey)s: %(why)s", survey=self.survey_id.title,
                             why=" ".join(decision.reasons)),
        }
        if self.aftersales_final_customer:
            direct = case.partner_id if case is not None and "partner_id" in case._fields else None
            vals.update(final_partner_id=self.partner_id.id,
                        partner_id=(direct or self.partner_id).commercial_partner_id.id)
        return vals

    def _prepare_investigation_capa_vals(self, decision, company, ticket):
        customer, why = self.partner_id.display_name, " ".join(decision.reasons)
        if self.aftersales_final_customer:
            problem = self.env._("Final customer dissatisfied (%(customer)s): %(why)s", customer=customer, why=why)
        else:
            problem = self.env._("Customer dissatisfied (%(customer)s): %(why)s", customer=customer, why=why)
        return {
            "company_id": company.id,
            "problem": problem,
            "ticket_id": ticket.id,
        }

    def _aftersales_evaluate(self):
        """R20: the core decides from the scores; dissatisfaction opens an investigation
        (a complaint and a CAPA report), linked to the answer and posted on the case."""
        helper = self.env["aftersales.workflow.mixin"]
        for answer in self.sudo():
            scores = answer._aftersales_scores()
            if not scores:
                continue
            case = (
                self.env[answer.aftersales_res_model].sudo().browse(answer.aftersales_res_id).exists()
                if answer.aftersales_res_model else None
            )
            company = (case.company_id if case else None) or self.env.company
            decision = helper._aftersales_satisfaction(company, scores)
            vals = {"aftersales_result": decision.outcome}
            if decision.outcome == "investigate" and answer.partner_id:
                ticket = self.env["aftersales.ticket"].create(
                    answer._prepare_investigation_ticket_vals(decision, company, case)
                )
                capa = self.env["aftersales.capa"].create(
                    answer._prepare_investigation_capa_vals(decision, company, ticket)
                )
                vals.update(aftersales_ticket_id=ticket.id, aftersales_capa_id=capa.id)
            answer.write(vals)
            if case is not None and hasattr(case, "message_post"):
                case.message_post(
                    body=Markup("<p>%s</p>") % self.env._("Satisfaction survey answered: %(why)s",
                                                 why=decision.explain()),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _aftersales_send_survey(self, partners, case=None, final=False):
        """Invite ``partners`` to the satisfaction survey through Odoo's invite wizard,
        each answer linked to ``case`` (a record) when given, and marked as a final
        customer's (R20, 004 §6.1.2) when ``final``."""
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")
        reachable = partners.filtered("email")
        if not reachable:
            return self.browse()
        # the context of survey's own "Share" button: its invitation template (the link
        # with each answer's token) and e-mail layout
        context = dict(survey.action_send_survey()["context"])
        if case:
            context["aftersales_case"] = (case._name, case.id)
        if final:
            context["aftersales_final_customer"] = True
        wizard = self.env["survey.invite"].with_context(**context).create(
            self._aftersales_invite_values(survey, reachable, case=case)
        )
        wizard.action_invite()
        return self.search([("survey_id", "=", survey.id), ("partner_id", "in", reachable.ids)],
                           order="id desc", limit=len(reachable))

    @api.model
    def _aftersales_invite_values(self, survey, partners, case=None):
        """Values of the ``survey.invite`` wizard that invites ``partners``: with the
        module's invitation template when the company mails its customers."""
        values = {
            "survey_id": survey.id,
            "partner_ids": [Command.set(partners.ids)],
            "existing_mode": "new",
        }
        company = case.company_id if case is not None and "company_id" in case._fields else self.env.company
        template = self.env.ref(SURVEY_INVITATION, raise_if_not_found=False)
        if template and company.aftersales_customer_mails:
            values["template_id"] = template.id
        return values

    @api.model
    def _cron_aftersales_regular_surveys(self):
        """R20: survey active customers (a confirmed sale order in the last year) whose last
        satisfaction survey is older than the policy's interval, per company."""
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")
        helper = self.env["aftersales.workflow.mixin"]
        now = fields.Datetime.now()
        sent = self.browse()
        # every company has its own policy: a cron over all of them (a handful of rows)
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            orders = self.env["sale.order"].sudo()._read_group(
                [("company_id", "=", company.id), ("state", "=", "sale"),
                 ("date_order", ">=", now - timedelta(days=365))],
                ["partner_id"], [],
            )
            customers = self.env["res.partner"].union(*(p.commercial_partner_id for (p,) in orders))
            last = dict(self.sudo()._read_group(
                [("survey_id", "=", survey.id), ("partner_id", "in", customers.ids)],
                ["partner_id"], ["create_date:max"],
            ))
            due = customers.filtered(
                lambda p, c=company, seen=last: helper._aftersales_survey_due(c, seen.get(p), now)
            )
            sent |= self._aftersales_send_survey(due)
            finals = self._aftersales_final_customers(company, now) - customers
            last = dict(self.sudo()._read_group(
                [("survey_id", "=", survey.id), ("partner_id", "in", finals.ids)],
                ["partner_id"], ["create_date:max"],
            ))
            due = finals.filtered(
                lambda p, c=company, seen=last: helper._aftersales_survey_due(c, seen.get(p), now)
            )
            sent |= self._aftersales_send_survey(due, final=True)
        return sent

    @api.model
    def _aftersales_final_customers(self, company, now):
        """R20 (004 §6.1.2): the final customers named on the company's complaints and
        on-site services of the last year whom the core says to survey with their case's
        customer (``survey_recipients``, by the company's policy)."""
        helper = self.env["aftersales.workflow.mixin"]
        finals = self.env["res.partner"]
        since = now - timedelta(days=365)
        for model in ("aftersales.ticket", "aftersales.service.visit"):
            pairs = self.env[model].sudo()._read_group(
                [("company_id", "=", company.id), ("final_partner_id", "!=", False),
                 ("received_at", ">=", since), ("state", "!=", "cancelled")],
                ["partner_id", "final_partner_id"], [],
            )
            for customer, final in pairs:
                recipients = helper._aftersales_survey_recipients(
                    company, customer.display_name, final.display_name
                )
                if any(is_final for _name, is_final in recipients):
                    finals |= final
        return finals

    # --- the printed Customer Satisfaction Survey Form (report/) ---------------------

    def _aftersales_report_signoffs(self, form=None):
        """The customer who answered, when."""
        helper = self.env["aftersales.report.form"]
        rec = self.sudo()
        if rec.state != "done":
            return []
        return [helper._aftersales_signoff(
            self.env._("Answered"),
            rec.partner_id.name or rec.email, label(Role.CUSTOMER.value), rec.end_datetime,
        )]

    def _aftersales_report_number(self):
        """The form's number: the case it surveys and the answer's id (answers have no
        sequence of their own)."""
        self.ensure_one()
        case = self._aftersales_report_case()
        return f"{case.display_name} / {self.id}" if case else str(self.id)

    def _aftersales_report_case(self):
        """The after-sales case the answer belongs to (empty recordset when none)."""
        self.ensure_one()
        if not self.aftersales_res_model or self.aftersales_res_model not in self.env:
            return self.env["res.partner"].browse()
        return self.env[self.aftersales_res_model].sudo().browse(self.aftersales_res_id).exists()
