# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Technical inquiry record (000 §Two 1; 004 §5.4; R28): a customer's technical question,
its answer, archived for reuse; the past answers of the same product and failure mode are
suggested to the next complaint or inquiry."""

from aftersales_core.forms.complaint import TechnicalInquiryRecord
from aftersales_core.labels import choices
from aftersales_core.workflows.technical_inquiry import TECHNICAL_INQUIRY

from odoo import api, fields, models

from .aftersales_seam import CHAR, DATETIME, DERIVED, FLAG, NAME, FormField, UserRef
from .aftersales_workflow_mixin import workflow_state_selection

INQUIRY_MAP = (
    FormField("received_at", "received_at", DATETIME),
    FormField("customer", "partner_id", NAME),
    FormField("channel", "channel"),
    FormField("product", "product_id", NAME),
    FormField("tags", "_aftersales_tags", DERIVED),
    FormField("question", "question", CHAR),
    FormField("answer", "answer", CHAR),
    FormField("answered_by", "answered_by_id", UserRef()),
    FormField("answered_at", "answered_at", DATETIME),
    FormField("archived", "knowledge_base", FLAG),
)

ANSWERED_STATES = ("answered", "archived")
"""The states of an inquiry whose answer may be reused."""


class AftersalesSuggestedInquiries(models.AbstractModel):
    """``suggested_inquiry_ids``: the past answered inquiries on the same product and
    failure mode, most recent first (one search for the whole batch)."""

    _name = "aftersales.inquiry.suggestion.mixin"
    _description = "Suggests past answers of technical inquiries"

    # the failure mode field of the inheriting model
    _aftersales_failure_field = "category_id"

    suggested_inquiry_ids = fields.Many2many(
        "aftersales.technical.inquiry",
        string="Past answers",
        compute="_compute_suggested_inquiry_ids",
        help="Answered technical inquiries on the same product and failure mode, most recent "
        "first (R28: answers are archived for reuse).",
    )

    _SUGGESTIONS = 10

    @api.depends("product_id")
    def _compute_suggested_inquiry_ids(self):
        failure = self._aftersales_failure_field
        keyed = self.filtered(lambda r: r.product_id and r[failure])
        (self - keyed).suggested_inquiry_ids = False
        if not keyed:
            return
        found = self.env["aftersales.technical.inquiry"].search(
            [
                ("state", "in", ANSWERED_STATES),
                ("product_id", "in", keyed.product_id.ids),
                ("failure_category_id", "in", keyed[failure].ids),
            ],
            order="answered_at desc, id desc",
        )
        by_key = {}
        for inquiry in found:
            by_key.setdefault((inquiry.product_id.id, inquiry.failure_category_id.id), []).append(inquiry.id)
        for rec in keyed:
            ids = [
                i for i in by_key.get((rec.product_id.id, rec[failure].id), [])
                if not (rec._name == "aftersales.technical.inquiry" and i == rec.id)
            ]
            rec.suggested_inquiry_ids = [fields.Command.set(ids[: self._SUGGESTIONS])]


class AftersalesTechnicalInquiry(models.Model):
    _name = "aftersales.technical.inquiry"
    _description = "Technical inquiry"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin",
        "aftersales.inquiry.suggestion.mixin",
    ]
    _order = "received_at desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "question", "answer"]

    _aftersales_workflow = TECHNICAL_INQUIRY
    _aftersales_form_type = TechnicalInquiryRecord
    _aftersales_workflow_fields = ("answered_by_id", "answered_at", "knowledge_base")
    _aftersales_failure_field = "failure_category_id"

    name = fields.Char(string="Number", default="/", copy=False, readonly=True, index=True)
    active = fields.Boolean(default=True, help="Archive an obsolete answer to hide it from the suggestions.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        workflow_state_selection(TECHNICAL_INQUIRY), string="Status", default="draft",
        required=True, readonly=True, copy=False, index=True,
    )
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    received_at = fields.Datetime(string="Received on", required=True, default=fields.Datetime.now)
    channel = fields.Selection(choices(TechnicalInquiryRecord, "channel"), required=True, default="phone")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, tracking=True, check_company=True)
    product_id = fields.Many2one("product.product", check_company=True, index=True)
    failure_category_id = fields.Many2one(
        "aftersales.failure.category", string="Failure mode", check_company=True, index=True
    )
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", check_company=True)
    question = fields.Text(required=True)
    answer = fields.Text()
    answered_by_id = fields.Many2one("res.users", string="Answered by", readonly=True, copy=False)
    answered_at = fields.Datetime(string="Answered on", readonly=True, copy=False)
    knowledge_base = fields.Boolean(
        string="In the knowledge base", readonly=True, copy=False,
        help="Archived for reuse (R28): set by the Archive step.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "aftersales.technical.inquiry"
                ) or "/"
        return super().create(vals_list)

    def _aftersales_form_map(self):
        return INQUIRY_MAP

    def _aftersales_tags(self):
        return (self.failure_category_id.name,) if self.failure_category_id else ()

    @api.depends("product_id", "failure_category_id")
    def _compute_suggested_inquiry_ids(self):
        return super()._compute_suggested_inquiry_ids()

    # --- buttons --------------------------------------------------------------------

    def action_record(self):
        self._aftersales_apply("record")
        return True

    def action_answer(self):
        for rec in self:
            rec._aftersales_apply("answer", params={"answer": rec.answer or ""})
        return True

    def action_archive_answer(self):
        self._aftersales_apply("archive")
        return True

    def action_reopen(self):
        self._aftersales_apply("reopen")
        return True

    def action_cancel(self):
        self._aftersales_apply("cancel")
        return True

    def action_use_answer(self):
        """Open a past inquiry from the suggestions."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.inquiry.suggestion.mixin"]

    @api.depends("product_id", "category_id")
    def _compute_suggested_inquiry_ids(self):
        return super()._compute_suggested_inquiry_ids()
