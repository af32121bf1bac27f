# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Corrective and Preventive Action Report (8D, 糾正預防措施報告)."""

from typing import get_args

from aftersales_core.forms.quality import CapaAction
from markupsafe import escape

from odoo import api, fields, models

ACTION_KINDS = [(k, k.capitalize()) for k in get_args(CapaAction.model_fields["kind"].annotation)]


class AftersalesCapa(models.Model):
    """The 8D report: D1 team, D2 problem, D3 containment, D4 root causes, D5-D7 actions
    (owners and due dates, each an activity of its owner), verification, D8 closure. The
    core checks it when quality verifies a feedback sheet (R13)."""

    _name = "aftersales.capa"
    _description = "Corrective and preventive action report (8D)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many("res.users", string="D1 Team")
    problem = fields.Text(string="D2 Problem")
    containment = fields.Text(string="D3 Containment")
    root_cause_occurrence = fields.Text(string="D4 Why it occurred")
    root_cause_escape = fields.Text(string="D4 Why it escaped")
    action_ids = fields.One2many("aftersales.capa.action", "capa_id", string="D5-D7 Actions")
    verification = fields.Text(string="Verification of effectiveness")
    closed_on = fields.Date(string="D8 Closed on", tracking=True)
    feedback_ids = fields.One2many("aftersales.quality.feedback", "capa_id", string="Feedback sheets")
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", check_company=True)
    return_id = fields.Many2one("aftersales.return", check_company=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.capa") or "/"
        return super().create(vals_list)


class AftersalesCapaAction(models.Model):
    _name = "aftersales.capa.action"
    _description = "Corrective or preventive action (8D)"
    _order = "due, id"

    capa_id = fields.Many2one("aftersales.capa", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="capa_id.company_id", store=True, index=True)
    kind = fields.Selection(ACTION_KINDS, required=True, default="corrective")
    description = fields.Text(required=True)
    owner_id = fields.Many2one("res.users", required=True)
    due = fields.Date(required=True)
    done = fields.Boolean()
    activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)

    def _prepare_activity_vals(self):
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id("aftersales.capa"),
            "res_id": self.capa_id.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": self.env._("%(kind)s action", kind=dict(ACTION_KINDS)[self.kind]),
            "note": escape(self.description),
            "user_id": self.owner_id.id,
            "date_deadline": self.due,
        }

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        activities = self.env["mail.activity"].sudo().create([a._prepare_activity_vals() for a in actions])
        for action, activity in zip(actions, activities, strict=True):
            action.activity_id = activity
        return actions

    def write(self, vals):
        res = super().write(vals)
        if vals.get("done"):
            self.activity_id.sudo().action_feedback(feedback=self.env._("Done"))
        return res
