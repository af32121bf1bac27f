# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Quality Information Feedback Sheet (SPEC workflow 6, R13)."""

from typing import get_args

from aftersales_core.forms.quality import QualityFeedbackSheet
from aftersales_core.workflows.quality_information import QUALITY_INFORMATION
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .aftersales_seam import (
    CHAR,
    DATETIME,
    DERIVED,
    FLAG,
    NAME,
    OPTIONAL,
    Converter,
    FormField,
    Nested,
    _read,
)
from .aftersales_workflow_mixin import workflow_state_selection

SOURCES = [
    (s, s.replace("_", " ").capitalize())
    for s in get_args(QualityFeedbackSheet.model_fields["source"].annotation)
]


class _UserNames(Converter):
    """Users as the core's tuple of names (the CAPA team, D1); read only."""

    writable = False

    def to_core(self, record, path):
        return tuple(_read(record, path).mapped("name"))


class _CapaActions(Converter):
    """The CAPA's actions (D5-D7) as the core's CapaAction values; read only."""

    writable = False

    def to_core(self, record, path):
        return tuple(
            {
                "kind": a.kind,
                "description": a.description or "",
                "owner": a.owner_id.name or "",
                "due": a.due,
                "done": a.done,
            }
            for a in _read(record, path)
        )


CAPA_MAP = (
    FormField("team", "capa_id.team_ids", _UserNames()),
    FormField("problem", "capa_id.problem", CHAR),
    FormField("containment", "capa_id.containment", CHAR),
    FormField("root_cause_occurrence", "capa_id.root_cause_occurrence", CHAR),
    FormField("root_cause_escape", "capa_id.root_cause_escape", CHAR),
    FormField("actions", "capa_id.action_ids", _CapaActions()),
    FormField("verification", "capa_id.verification", CHAR),
    FormField("closed_on", "capa_id.closed_on", OPTIONAL),
)
FEEDBACK_MAP = (
    FormField("received_at", "received_at", DATETIME),
    FormField("source", "source"),
    FormField("customer", "partner_id", NAME),
    FormField("product", "product_id", NAME),
    FormField("failure_mode", "category_id", NAME),
    FormField("description", "description", CHAR),
    FormField("affected_quantity", "affected_quantity"),
    FormField("abnormal", "abnormal", FLAG),
    FormField("major", "major", FLAG),
    FormField("marine", "product_id.product_tmpl_id.aftersales_marine", FLAG),
    FormField("earlier_occurrences", "_aftersales_earlier_occurrences", DERIVED),
    FormField("classification", "classification", CHAR),
    FormField("routed_to", "routed_to", CHAR),
    FormField("capa", "capa_id", Nested(CAPA_MAP, present="capa_id")),
    FormField("correction_verified", "correction_verified", FLAG),
)


class AftersalesQualityFeedback(models.Model):
    """The Quality Information Feedback Sheet; states and the R13 classification are the
    core's QUALITY_INFORMATION workflow. A marine product's manufacturing orders are
    blocked from the classification until quality control verifies the correction."""

    _name = "aftersales.quality.feedback"
    _description = "Quality information feedback sheet"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    _aftersales_workflow = QUALITY_INFORMATION
    _aftersales_form_type = QualityFeedbackSheet

    name = fields.Char(string="Number", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        workflow_state_selection(QUALITY_INFORMATION), default=QUALITY_INFORMATION.initial,
        required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    source = fields.Selection(SOURCES, required=True, default="user")
    partner_id = fields.Many2one("res.partner", string="Customer")
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    category_id = fields.Many2one(
        "aftersales.failure.category", string="Failure mode", required=True, check_company=True
    )
    description = fields.Text()
    affected_quantity = fields.Integer(default=1, required=True)
    abnormal = fields.Boolean(help="R13: abnormal quality information.")
    major = fields.Boolean(help="R13: a major problem.")
    marine = fields.Boolean(related="product_id.product_tmpl_id.aftersales_marine")
    classification = fields.Char(readonly=True, copy=False, help="R13 outcome.")
    routed_to = fields.Char(readonly=True, copy=False)
    capa_id = fields.Many2one("aftersales.capa", string="CAPA (8D)", copy=False, check_company=True)
    correction_verified = fields.Boolean(readonly=True, copy=False)
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index="btree_not_null", check_company=True)
    return_id = fields.Many2one("aftersales.return", index="btree_not_null", check_company=True)
    visit_id = fields.Many2one(
        "aftersales.service.visit", string="On-site service", index="btree_not_null", check_company=True
    )

    _sql_constraints = [
        ("affected_quantity_positive", "CHECK(affected_quantity > 0)", "The affected quantity must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.quality.feedback") or "/"
        return super().create(vals_list)

    def _aftersales_form_map(self):
        return FEEDBACK_MAP

    def _aftersales_earlier_occurrences(self):
        """R13: earlier sheets of the same product and failure mode (the core counts the window)."""
        earlier = self.search([
            ("id", "!=", self.id),
            ("company_id", "=", self.company_id.id),
            ("product_id", "=", self.product_id.id),
            ("category_id", "=", self.category_id.id),
            ("received_at", "<=", self.received_at),
        ])
        return tuple(DATETIME.to_core(r, "received_at") for r in earlier)

    def _aftersales_not_applicable(self):
        reason = self.env._("a quality feedback sheet moves no goods and no money")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "ship_order", "open_repair", "charge_parts",
                "start_rework", "request_bom", "start_production", "plan_purchases",
                "issue_materials", "move_to_refurbished", "restock_for_resale",
                "issue_credit_note", "record_deduction", "record_payout", "reimburse_travel",
                "dispatch_visit", "return_old_parts", "claim_supplier",
                "suspend_delivery",
            )
        }

    # --- buttons --------------------------------------------------------------------

    def action_record(self):
        self._aftersales_apply("record")
        return True

    def action_classify(self):
        self._aftersales_apply("classify")
        return True

    def action_repair_done(self):
        self._aftersales_apply("repair_done")
        return True

    def _prepare_capa_vals(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "problem": self.env._("%(product)s: %(mode)s. %(description)s", product=self.product_id.display_name,
                         mode=self.category_id.name, description=self.description or ""),
            "team_ids": [fields.Command.set(self.env.user.ids)],
            "ticket_id": self.ticket_id.id,
            "return_id": self.return_id.id,
        }

    def action_open_capa(self):
        """Quality opens the 8D report (created on the first click), then the workflow step."""
        for sheet in self:
            if not sheet.capa_id:
                sheet.capa_id = self.env["aftersales.capa"].create(sheet._prepare_capa_vals())
        self._aftersales_apply("open_capa")
        return True

    def action_verify(self):
        self._aftersales_apply("verify")
        return True

    def action_close(self):
        self._aftersales_apply("close")
        return True

    # --- commands -------------------------------------------------------------------

    def _aftersales_cmd_suspend_production(self, command):
        """R13, marine product: its manufacturing orders are blocked and the
        classification society contact of the company is e-mailed."""
        template = self.product_id.product_tmpl_id
        template.write({"aftersales_suspended_by_id": self.id})
        society = self.company_id.aftersales_classification_society_id
        if command.notify_society:
            if not society.email:
                raise UserError(self.env._("%(sheet)s: set the classification society contact (with an e-mail) "
                                  "in the after-sales settings: R13 notifies it.", sheet=self.display_name))
            self.message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "Quality problem of the marine product %(product)s (%(mode)s): its production is "
                    "suspended until the correction is verified (R13).",
                    product=self.product_id.display_name, mode=self.category_id.name),
                subject=self.env._("Production suspended: %(product)s", product=self.product_id.display_name),
                partner_ids=society.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _aftersales_cmd_resume_production(self, command):
        """R13: the correction is verified; the product's manufacturing orders may go on."""
        self.product_id.product_tmpl_id.filtered(
            lambda t: t.aftersales_suspended_by_id == self
        ).write({"aftersales_suspended_by_id": False})
