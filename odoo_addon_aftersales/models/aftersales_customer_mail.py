# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mail to the customer at each customer-facing step of a workflow.

The core decides the step; once Odoo has carried it out (``_aftersales_post_step``), the
table :data:`CUSTOMER_MAILS` names the ``mail.template`` that tells the customer. The
mail is posted in the chatter (``message_post_with_source``) and sent in the customer's
language (the template's ``lang``). A company can switch these mails off.
"""

from aftersales_core.labels import label

from odoo import api, fields, models

# (core workflow, action or target state) -> mail.template xmlid (this module's)
CUSTOMER_MAILS = {
    ("complaint", "received"): "mail_template_complaint_received",
    ("return_for_repair", "accepted"): "mail_template_return_accepted",
    ("refund_return", "accepted"): "mail_template_return_accepted",
    ("return_for_repair", "refused"): "mail_template_return_refused",
    ("refund_return", "refused"): "mail_template_return_refused",
    ("return_for_repair", "receive"): "mail_template_return_goods_received",
    ("refund_return", "receive"): "mail_template_return_goods_received",
    ("return_for_repair", "route"): "mail_template_return_routed",
    ("refund_return", "route"): "mail_template_return_routed",
    ("return_for_repair", "shipped"): "mail_template_return_shipped",
    ("refund_return", "settled"): "mail_template_return_refund",
    ("onsite_service", "dispatched"): "mail_template_visit_scheduled",
}
"""Which template goes to the customer after which step; the action wins over the state."""

SURVEY_INVITATION = "odoo_addon_aftersales.mail_template_survey_invitation"


def customer_mail_template(workflow, action, to_state):
    """The xmlid of the template for a step, or None."""
    xmlid = CUSTOMER_MAILS.get((workflow, action)) or CUSTOMER_MAILS.get((workflow, to_state))
    return f"odoo_addon_aftersales.{xmlid}" if xmlid else None


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_customer_mails = fields.Boolean(
        string="Mail the customer at each step",
        default=True,
        help="Send the customer a mail (in the customer's language) when a complaint is "
        "received, a return is accepted, refused, received, routed, shipped back or "
        "refunded, a service visit is scheduled, and the satisfaction survey invitation "
        "with the company's own text.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_customer_mails = fields.Boolean(
        related="company_id.aftersales_customer_mails", readonly=False
    )


class AftersalesWorkflowMixin(models.AbstractModel):
    _inherit = "aftersales.workflow.mixin"

    def _aftersales_post_step(self, step, new_documents=()):
        # the mail first: the step's own chatter entry stays the newest message
        self._aftersales_send_customer_mail(step)
        super()._aftersales_post_step(step, new_documents)

    def _aftersales_mail_values(self, step):
        """Step specifics the template reads as ``ctx['aftersales_mail']`` (the core's
        reasons, a deadline); ``None`` sends no mail for this step."""
        return {"reasons": " ".join(r for d in step.decisions for r in d.reasons)}

    def _aftersales_send_customer_mail(self, step):
        """Post the step's customer template in the chatter, mailed to the customer."""
        entry = step.history
        xmlid = customer_mail_template(entry.workflow, entry.action, entry.to_state)
        if not xmlid or "partner_id" not in self._fields or not hasattr(self, "message_post_with_source"):
            return
        company = self.company_id or self.env.company
        if not company.aftersales_customer_mails or not self.partner_id.email:
            return
        template = self.env.ref(xmlid, raise_if_not_found=False)
        values = self._aftersales_mail_values(step)
        if not template or values is None:
            return
        # queued (Odoo's mail queue sends it), not sent inside the step's transaction
        self.sudo().with_context(aftersales_mail=values, mail_notify_force_send=False).message_post_with_source(
            template,
            email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            subtype_xmlid="mail.mt_comment",
        )


class AftersalesReturn(models.Model):
    _inherit = "aftersales.return"

    refusal_reason = fields.Text(
        string="Reason for refusal",
        help="Told to the customer in the refusal mail, with the core's reasons.",
    )

    def _aftersales_mail_values(self, step):
        values = super()._aftersales_mail_values(step)
        entry = step.history
        if entry.to_state == "refused":
            values["reasons"] = " ".join(filter(None, [self.refusal_reason, values["reasons"]]))
        if entry.action == "route":
            # R9: the resolution deadline counted from the routing
            (due,) = self._aftersales_resolution_deadlines(self.company_id, [fields.Datetime.now()])
            values.update(due=due, next=label(entry.to_state, entry.workflow))
        if entry.to_state == "settled":
            refunds = self.sudo().invoice_ids.filtered(
                lambda m: m.move_type == "out_refund" and m.state == "posted"
            )
            if not refunds:
                return None  # settled by a payment from the customer: no refund to announce
            values["refunds"] = ", ".join(refunds.mapped("name"))
            values["amount"] = sum(refunds.mapped("amount_total"))
        return values


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    @api.model
    def _aftersales_invite_values(self, survey, partners, case=None):
        values = super()._aftersales_invite_values(survey, partners, case=case)
        company = case.company_id if case is not None and "company_id" in case._fields else self.env.company
        template = self.env.ref(SURVEY_INVITATION, raise_if_not_found=False)
        if template and company.aftersales_customer_mails:
            values["template_id"] = template.id
        return values
