# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R19: the weekly complaint review meeting, its minutes and improvement suggestions."""

from datetime import datetime, time, timedelta

from aftersales_core.analytics import review_week
from markupsafe import Markup, escape

from odoo import Command, api, fields, models


class AftersalesReview(models.Model):
    _name = "aftersales.review"
    _description = "Weekly complaint review (R19)"
    _inherit = ["mail.thread"]
    _order = "week_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    week_start = fields.Date(required=True)
    review_on = fields.Date(required=True)
    event_id = fields.Many2one("calendar.event", string="Meeting", readonly=True, copy=False)
    ticket_ids = fields.Many2many("aftersales.ticket", string="Complaints of the week", check_company=True)
    minutes = fields.Html()
    suggestion_ids = fields.One2many("aftersales.review.suggestion", "review_id", string="Improvement suggestions")

    _sql_constraints = [
        ("week_unique", "UNIQUE(company_id, week_start)", "One complaint review per week and company."),
    ]

    def _prepare_review_event_vals(self, attendees):
        self.ensure_one()
        start = datetime.combine(self.review_on, time(2, 0))  # 10:00 in Shanghai, stored in UTC
        unclassified = self.env._("unclassified")
        listed = Markup("").join(
            Markup("<li>%s: %s (%s)</li>") % (t.name, t.partner_id.name, t.category_id.name or unclassified)
            for t in self.ticket_ids
        )
        return {
            "name": self.name,
            "start": start,
            "stop": start + timedelta(hours=1),
            "user_id": self.env.user.id,
            "partner_ids": [Command.set(attendees.partner_id.ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "description": Markup("<ul>%s</ul>") % listed if listed else escape(self.env._("No complaints this week.")),
        }

    @api.model
    def _prepare_review_vals(self, company, start, review_on, tickets):
        return {
            "name": self.env._("Complaint review, week of %(start)s", start=start),
            "company_id": company.id,
            "week_start": start,
            "review_on": review_on,
            "ticket_ids": [Command.set(tickets.ids)],
        }

    @api.model
    def _cron_prepare_weekly_review(self, today=None):
        """R19: on the policy's review day, the review of the week just ended: its
        complaints and a calendar event for the after-sales managers (once a week)."""
        today = today or fields.Date.context_today(self)
        reviews = self.browse()
        managers = self.env.ref("odoo_addon_aftersales.group_aftersales_manager").users.filtered(
            lambda u: not u.share
        )
        # every company has its own policy: a cron over all of them (a handful of rows)
        for company in self.env["res.company"].search([]):  # pylint: disable=no-search-all
            start, review_on = review_week(today - timedelta(days=1), policy=company._aftersales_policy())
            if review_on != today or self.search_count([("company_id", "=", company.id), ("week_start", "=", start)]):
                continue
            tickets = self.env["aftersales.ticket"].search([
                ("company_id", "=", company.id),
                ("received_at", ">=", datetime.combine(start, time.min)),
                ("received_at", "<", datetime.combine(review_on, time.min)),
            ])
            review = self.create(self._prepare_review_vals(company, start, review_on, tickets))
            attendees = managers.filtered(lambda u, c=company: c in u.company_ids)
            review.event_id = self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
                review._prepare_review_event_vals(attendees)
            )
            reviews |= review
        return reviews


class AftersalesReviewSuggestion(models.Model):
    _name = "aftersales.review.suggestion"
    _description = "Improvement suggestion of a complaint review"

    review_id = fields.Many2one("aftersales.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    description = fields.Text(required=True)
    capa_id = fields.Many2one("aftersales.capa", string="CAPA", readonly=True, copy=False)

    def _prepare_suggestion_capa_vals(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "problem": self.description,
            "team_ids": [Command.set(self.env.user.ids)],
        }

    def action_open_capa(self):
        """A suggestion for product improvement becomes a CAPA report (once)."""
        todo = self.filtered(lambda s: not s.capa_id)
        capas = self.env["aftersales.capa"].create([s._prepare_suggestion_capa_vals() for s in todo])
        for suggestion, capa in zip(todo, capas, strict=True):
            suggestion.capa_id = capa
        return True
