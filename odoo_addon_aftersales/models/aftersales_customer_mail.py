# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mail to the customer at each customer-facing step of a workflow.

The core decides the step; once Odoo has carried it out (``_aftersales_post_step``), the
table :data:`CUSTOMER_MAILS` names the ``mail.template`` that tells the customer. The
mail is posted in the chatter (``message_post_with_source``) and sent in the customer's
language (the template's ``lang``). A company can switch these mails off.
"""

from odoo import models

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


class AftersalesWorkflowMixin(models.AbstractModel):
    _inherit = "aftersales.workflow.mixin"

    def _aftersales_post_step(self, step, new_documents=()):
        # the mail first: the step's own chatter entry stays the newest message
        self._aftersales_send_customer_mail(step)
        return super()._aftersales_post_step(step, new_documents)

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
