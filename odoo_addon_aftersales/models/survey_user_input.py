# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R20: satisfaction surveys through Odoo's survey module, answers linked to the case."""

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models


class SurveyInvite(models.TransientModel):
    _inherit = "survey.invite"

    def _get_answers_values(self):
        values = super()._get_answers_values()
        case = self.env.context.get("aftersales_case")
        if case:
            values.update(aftersales_res_model=case[0], aftersales_res_id=case[1])
        return values


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_res_model = fields.Char(string="After-sales case model", index=True, copy=False)
    aftersales_res_id = fields.Many2oneReference(
        string="After-sales case", model_field="aftersales_res_model", copy=False
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

    def _prepare_investigation_ticket_vals(self, decision, company):
        return {
            "company_id": company.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "channel": "portal",
            "description": _("Satisfaction survey %(survey)s: %(why)s", survey=self.survey_id.title,
                             why=" ".join(decision.reasons)),
        }

    def _prepare_investigation_capa_vals(self, decision, company, ticket):
        return {
            "company_id": company.id,
            "problem": _("Customer dissatisfied (%(customer)s): %(why)s",
                         customer=self.partner_id.display_name, why=" ".join(decision.reasons)),
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
                    answer._prepare_investigation_ticket_vals(decision, company)
                )
                capa = self.env["aftersales.capa"].create(
                    answer._prepare_investigation_capa_vals(decision, company, ticket)
                )
                vals.update(aftersales_ticket_id=ticket.id, aftersales_capa_id=capa.id)
            answer.write(vals)
            if case is not None and hasattr(case, "message_post"):
                case.message_post(
                    body=Markup("<p>%s</p>") % _("Satisfaction survey answered: %(why)s",
                                                 why=decision.explain()),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _aftersales_send_survey(self, partners, case=None):
        """Invite ``partners`` to the satisfaction survey through Odoo's invite wizard,
        each answer linked to ``case`` (a record) when given."""
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")
        reachable = partners.filtered("email")
        if not reachable:
            return self.browse()
        context = {"aftersales_case": (case._name, case.id)} if case else {}
        wizard = self.env["survey.invite"].with_context(**context).create(
            self._aftersales_invite_values(survey, reachable, case=case)
        )
        wizard.action_invite()
        return self.search([("survey_id", "=", survey.id), ("partner_id", "in", reachable.ids)],
                           order="id desc", limit=len(reachable))

    @api.model
    def _aftersales_invite_values(self, survey, partners, case=None):
        """Values of the ``survey.invite`` wizard that invites ``partners``."""
        return {
            "survey_id": survey.id,
            "partner_ids": [Command.set(partners.ids)],
            "existing_mode": "new",
        }

    @api.model
    def _cron_aftersales_regular_surveys(self):
        """R20: survey active customers (a confirmed sale order in the last year) whose last
        satisfaction survey is older than the policy's interval, per company."""
        survey = self.env.ref("odoo_addon_aftersales.survey_customer_satisfaction")
        helper = self.env["aftersales.workflow.mixin"]
        now = fields.Datetime.now()
        sent = self.browse()
        for company in self.env["res.company"].search([]):
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
                lambda p, c=company: helper._aftersales_survey_due(c, last.get(p), now)
            )
            sent |= self._aftersales_send_survey(due)
        return sent
