# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the printed forms read: the bilingual titles (the core's), the labels in the
reader's language (the fields' strings) and the sign-offs of each form."""

import functools
import re
import subprocess

from aftersales_core.forms import FORMS
from aftersales_core.labels import label
from aftersales_core.roles import Role

from odoo import api, models
from odoo.tools import format_amount, format_date, format_datetime, html2plaintext

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

# The chatter entry of a workflow step (aftersales.workflow.mixin._aftersales_post_step):
# "<p><b>Action</b>: from → to</p>".
_STEP = re.compile(r"^\s*<p><b>(?P<action>[^<]+)</b>:")
# identifiers of the core, comma-separated ("free_repair", "service_card,parts_examined")
_OUTCOMES = re.compile(r"^[a-z]+(?:_[a-z]+)+(?:,[a-z]+(?:_[a-z]+)+)*$")


@functools.cache
def _wkhtmltopdf_prints_headers():
    """Whether wkhtmltopdf prints Odoo's separate header (only its "patched qt" builds do;
    Debian's package does not, and ignores --header-html)."""
    try:
        out = subprocess.run([_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in out


class AftersalesReportForm(models.AbstractModel):
    _name = "aftersales.report.form"
    _description = "After-sales printed form helpers"

    @api.model
    def _aftersales_title(self, form):
        """``(English title, Chinese title)`` of the core form ``form`` (a key of FORMS)."""
        cls = FORMS[form]
        return cls.title, cls.title_zh

    @api.model
    def _aftersales_header_in_body(self):
        """The company header is printed in the page itself when wkhtmltopdf would drop
        the layout's separate header (Debian's unpatched build)."""
        return not _wkhtmltopdf_prints_headers()

    @api.model
    def _aftersales_labels(self, records):
        """``{field: label}`` of ``records``' model in the reader's language."""
        return {name: desc["string"] for name, desc in records.fields_get(attributes=["string"]).items()}

    @api.model
    def _aftersales_value(self, record, fname):
        """The value of ``record.fname`` as the reader reads it: names, the selection's
        label, dates in the reader's time zone and language, amounts with the currency."""
        field = record._fields[fname]
        value = record.sudo()[fname]  # names of linked documents: the reader may read the form
        if field.type in ("many2one", "reference"):
            return value.display_name or "" if value else ""
        if field.type in ("many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "") if value else ""
        if field.type == "datetime":
            return format_datetime(self.env, value) if value else ""
        if field.type == "date":
            return format_date(self.env, value) if value else ""
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if field.type == "monetary":
            currency = record.sudo()[field.get_currency_field(record)]
            return format_amount(self.env, value, currency) if currency else str(value)
        if field.type == "html":
            return html2plaintext(value or "")
        if field.type == "char" and value and _OUTCOMES.match(value):
            # a decision of the core stored as its identifiers (free_repair, a,b): its labels
            return ", ".join(label(v) for v in value.split(","))
        return "" if value is False or value is None else str(value)

    @api.model
    def _aftersales_when(self, value):
        """A sign-off's time (a datetime, or a date) in the reader's language and zone."""
        if not value:
            return ""
        if hasattr(value, "hour"):
            return format_datetime(self.env, value)
        return format_date(self.env, value)

    @api.model
    def _aftersales_role_labels(self, roles):
        return ", ".join(sorted(label(r.value) for r in roles if r != Role.SYSTEM))

    @api.model
    def _aftersales_signoff(self, step, signer, role, at, signature=None):
        return {"step": step, "signer": signer or "", "role": role or "", "at": self._aftersales_when(at),
                "signature": signature or None}

    @api.model
    def _aftersales_step_signoffs(self, records):
        """The people's workflow steps of ``records`` from their chatter, oldest first:
        action, signer, the role the step asked of the signer (the core's table), time.
        Automatic steps (the system's own role) are left out."""
        signoffs = []
        for record in records.sudo():
            workflow = record._aftersales_workflow
            by_label = {}
            for t in workflow.transitions if workflow else ():
                by_label.setdefault(label(t.action), set()).update(t.roles)
            messages = record.message_ids.filtered(
                lambda m: m.message_type in ("notification", "comment") and _STEP.match(m.body or "")
            ).sorted(lambda m: (m.date, m.id))
            for message in messages:
                action = _STEP.match(message.body).group("action").strip()
                allowed = by_label.get(action, set())
                user = message.author_id.user_ids[:1]
                held = user._aftersales_roles() if user else frozenset()
                roles = allowed & held
                if Role.SYSTEM in allowed and not roles - {Role.SYSTEM}:
                    continue  # an automatic step the server took (routing, a receipt)
                roles = roles or held
                signoffs.append(self._aftersales_signoff(
                    action, message.author_id.name, self._aftersales_role_labels(roles), message.date,
                ))
        return signoffs


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    def _aftersales_report_signoffs(self, form=None):
        return self.env["aftersales.report.form"]._aftersales_step_signoffs(self)


class AftersalesContractReview(models.Model):
    _inherit = "aftersales.contract.review"

    def _aftersales_report_signoffs(self, form=None):
        return self.env["aftersales.report.form"]._aftersales_step_signoffs(self)


class AftersalesQualityFeedback(models.Model):
    _inherit = "aftersales.quality.feedback"

    def _aftersales_report_signoffs(self, form=None):
        return self.env["aftersales.report.form"]._aftersales_step_signoffs(self)


class AftersalesReturn(models.Model):
    _inherit = "aftersales.return"

    def _aftersales_report_signoffs(self, form=None):
        helper = self.env["aftersales.report.form"]
        if form != "stock_in":
            return helper._aftersales_step_signoffs(self)
        # The stock-in form: who filled it, the general manager's approval (R6).
        rec = self.sudo()
        signoffs = []
        if rec.stock_in_filled_by_id:
            signoffs.append(helper._aftersales_signoff(
                rec._fields["stock_in_filled_by_id"].get_description(self.env)["string"],
                rec.stock_in_filled_by_id.name,
                helper._aftersales_role_labels(rec.stock_in_filled_by_id._aftersales_roles()),
                False,
            ))
        if rec.stock_in_approval_user_id:
            signoffs.append(helper._aftersales_signoff(
                rec._fields["stock_in_approval_user_id"].get_description(self.env)["string"],
                rec.stock_in_approval_user_id.name,
                label(Role.GENERAL_MANAGER.value),
                rec.stock_in_approval_at,
            ))
        return signoffs


class AftersalesQualityException(models.Model):
    _inherit = "aftersales.quality.exception"

    def _aftersales_report_signoffs(self, form=None):
        """The steps of its return: routing to the exception, R&D's BOM, the rework."""
        return self.env["aftersales.report.form"]._aftersales_step_signoffs(self.return_id)


class AftersalesMaterialRequisition(models.Model):
    _inherit = "aftersales.material.requisition"

    def _aftersales_report_signoffs(self, form=None):
        """The requester's submission, then the ordered sign-offs of R5 as recorded."""
        helper = self.env["aftersales.report.form"]
        rec = self.sudo()
        roles = dict(rec.signoff_ids._fields["role"]._description_selection(self.env))
        steps = [s for s in helper._aftersales_step_signoffs(rec) if s["step"] == label("submit")]
        steps += [
            helper._aftersales_signoff(
                label("sign"), s.user_id.name, roles.get(s.role, s.role), s.signed_at,
            )
            for s in rec.signoff_ids
        ]
        return steps


class AftersalesServiceVisit(models.Model):
    _inherit = "aftersales.service.visit"

    def _aftersales_report_signoffs(self, form=None):
        """The record sheet: the steps; the repair list: the technician's completion and
        the customer's signature (R24); the contract: the salesperson and the customer's
        online signature (R10)."""
        helper = self.env["aftersales.report.form"]
        rec = self.sudo()
        customer = label(Role.CUSTOMER.value)
        if form == "service_contract":
            order = rec.contract_order_id
            signoffs = []
            if order.user_id:
                signoffs.append(helper._aftersales_signoff(
                    order._fields["user_id"].get_description(self.env)["string"],
                    order.user_id.name, label(Role.SALESPERSON.value), order.date_order,
                ))
            if order.signed_by or order.signature:
                signoffs.append(helper._aftersales_signoff(
                    order._fields["signed_by"].get_description(self.env)["string"],
                    order.signed_by, customer, order.signed_on, order.signature,
                ))
            return signoffs
        steps = helper._aftersales_step_signoffs(rec)
        if form != "service_repair_list":
            return steps
        signoffs = [s for s in steps if s["step"] == label("complete")]
        if rec.repair_signed_by or rec.repair_signature:
            signoffs.append(helper._aftersales_signoff(
                rec._fields["repair_signed_by"].get_description(self.env)["string"],
                rec.repair_signed_by, customer, rec.repair_date, rec.repair_signature,
            ))
        return signoffs


class AftersalesCapa(models.Model):
    _inherit = "aftersales.capa"

    def _aftersales_report_signoffs(self, form=None):
        """Quality's verification on the feedback sheets it answers, and the D8 closure."""
        helper = self.env["aftersales.report.form"]
        rec = self.sudo()
        signoffs = helper._aftersales_step_signoffs(rec.feedback_ids)
        closing = rec.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "closed_on"
        ).sorted("id")[-1:]
        if closing:
            message = closing.mail_message_id
            user = message.author_id.user_ids[:1]
            signoffs.append(helper._aftersales_signoff(
                rec._fields["closed_on"].get_description(self.env)["string"], message.author_id.name,
                helper._aftersales_role_labels(user._aftersales_roles()) if user else "", message.date,
            ))
        return signoffs

