# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Complaints: the customer complaint handling form (SPEC workflow 1)."""

from datetime import timezone

from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.labels import choices, label
from aftersales_core.rules import RESPONSIBILITY_OUTCOMES, SAME_BATCH_OUTCOMES
from aftersales_core.workflows.complaint import COMPLAINT
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .aftersales_seam import (
    CHAR,
    DATETIME,
    DERIVED,
    FLAG,
    NAME,
    OPTIONAL,
    OPTIONAL_MONEY,
    Converter,
    FormField,
)
from .aftersales_workflow_mixin import workflow_state_selection

CHANNELS = choices(ComplaintHandlingForm, "channel")
CAUSES = choices(ComplaintHandlingForm, "cause")
RESOLUTIONS = choices(ComplaintHandlingForm, "resolution")
RESPONSIBILITIES = [(o, label(o)) for o in RESPONSIBILITY_OUTCOMES]
SAME_BATCH = [(o, label(o)) for o in SAME_BATCH_OUTCOMES]
SIMILAR_DEFECT = [("untested", "Not tested"), ("yes", "Similar defect"), ("no", "No defect")]
_TO_CORE_DEFECT = {"untested": None, "yes": True, "no": False}
_FROM_CORE_DEFECT = {None: "untested", True: "yes", False: "no"}


def _assessed(ticket):
    """The stock of the lot and its test are facts of a quality assessment (R12)."""
    return ticket.state not in ("draft", "received") and ticket.quality_complaint


class _StockOfLot(Converter):
    def to_core(self, record, path):
        return record[path] if _assessed(record) else None

    def to_odoo(self, record, value):
        return value or 0


class _SimilarDefect(Converter):
    def to_core(self, record, path):
        if not _assessed(record) or not record.stock_of_lot:
            return None
        return _TO_CORE_DEFECT[record[path]]

    def to_odoo(self, record, value):
        return _FROM_CORE_DEFECT[value]


TICKET_MAP = (
    FormField("channel", "channel"),
    FormField("received_at", "received_at", DATETIME),
    FormField("customer", "partner_id", NAME),
    FormField("final_customer", "final_partner_id", NAME),
    FormField("contact", "contact", CHAR),
    FormField("product", "product_id", NAME),
    FormField("lot", "lot_id", NAME),
    FormField("quantity", "quantity"),
    FormField("sale_order", "sale_order_id", NAME),
    FormField("description", "description", CHAR),
    FormField("remedy_sought", "remedy_sought", CHAR),
    FormField("photos", "_aftersales_photos", DERIVED),
    FormField("category", "category_id", NAME),
    FormField("quality_complaint", "quality_complaint", FLAG),
    FormField("cause", "cause", OPTIONAL),
    FormField("responsibility", "responsibility", OPTIONAL),
    FormField("stock_of_lot", "stock_of_lot", _StockOfLot()),
    FormField("similar_defect", "similar_defect", _SimilarDefect()),
    FormField("same_batch_result", "same_batch_result", OPTIONAL),
    FormField("handling_opinion", "handling_opinion", CHAR),
    FormField("answered_on_spot", "answered_on_spot", FLAG),
    FormField("resolution", "resolution", CHAR),
    FormField("payout_amount", "payout_amount", OPTIONAL_MONEY),
    FormField("payout_settlement", "payout_settlement"),
    FormField("customer_accepted", "customer_accepted", FLAG),
    FormField("last_contact_at", "last_contact_at", DATETIME),
    FormField("closing_reason", "closing_reason", CHAR),
)


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _description = "Customer complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    _aftersales_workflow = COMPLAINT
    _aftersales_form_type = ComplaintHandlingForm
    _aftersales_workflow_fields = ("responsibility", "same_batch_result", "answered_on_spot", "stock_of_lot")

    name = fields.Char(
        string="Number", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # No tracking: each step posts one chatter entry of its own (the mixin).
    state = fields.Selection(
        workflow_state_selection(COMPLAINT),
        string="Status",
        default=COMPLAINT.initial,
        required=True,
        readonly=True,
        copy=False,
        index=True,
        group_expand="_group_expand_states",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    received_at = fields.Datetime(string="Received on", required=True, default=fields.Datetime.now)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, check_company=True
    )
    contact = fields.Char(help="Contact person, phone or e-mail.")
    final_partner_id = fields.Many2one(
        "res.partner", string="Final customer", tracking=True,
        help="R20: the end user (e.g. the ship owner on site) when the customer is a dealer "
        "or a yard: surveyed too when the case closes and in the regular surveys (004 §6.1.2).",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        domain="[('product_id', '=?', product_id)]",
        check_company=True,
    )
    quantity = fields.Integer(default=1, required=True)
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale order",
        domain="[('partner_id', 'child_of', partner_id)]",
        check_company=True,
    )
    description = fields.Text(required=True, help="The problem in the customer's words.")
    remedy_sought = fields.Text(help="What the customer asks for.")
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    category_id = fields.Many2one(
        "aftersales.failure.category",
        string="Failure mode",
        check_company=True,
        help="Used by the statistics (R23).",
    )
    quality_complaint = fields.Boolean(help="A product quality complaint: R12 applies.")
    cause = fields.Selection(CAUSES, help="The determined cause (R11).", tracking=True)
    responsibility = fields.Selection(
        RESPONSIBILITIES, readonly=True, copy=False, help="R11: who handles the complaint, decided at assessment."
    )
    stock_of_lot = fields.Integer(
        readonly=True, copy=False, help="Stock of the same lot found at assessment (R12)."
    )
    similar_defect = fields.Selection(
        SIMILAR_DEFECT, default="untested", required=True, help="Quality's test of that stock (R12)."
    )
    same_batch_result = fields.Selection(
        SAME_BATCH, string="Same-batch check", readonly=True, copy=False,
        help="R12: what the stock of the same lot says.",
    )
    handling_opinion = fields.Text()
    answered_on_spot = fields.Boolean(readonly=True, copy=False)
    resolution = fields.Selection(RESOLUTIONS, tracking=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    payout_amount = fields.Monetary(copy=False)
    customer_accepted = fields.Boolean(copy=False)
    last_contact_at = fields.Datetime(
        string="Last contact attempt", copy=False,
        help="When the customer was last reached for (closing without acceptance).",
    )
    closing_reason = fields.Text(
        copy=False, tracking=True,
        help="Why a manager cancelled the complaint or closed it without the customer's acceptance.",
    )
    payout_settlement = fields.Selection(
        choices(ComplaintHandlingForm, "payout_settlement"), default="payment", copy=False,
        help="How the payout is settled: a payment to the customer, a credit note on its "
        "account, or a deduction from what it owes.",
    )
    payment_ids = fields.One2many("account.payment", "aftersales_ticket_id", string="Payouts")
    invoice_ids = fields.One2many("account.move", "aftersales_ticket_id", string="Credit notes")
    payment_count = fields.Integer(compute="_compute_payment_count")
    return_ids = fields.One2many("aftersales.return", "ticket_id", string="Returns")
    visit_ids = fields.One2many("aftersales.service.visit", "ticket_id", string="On-site service")
    resolution_due_at = fields.Datetime(
        compute="_compute_resolution_deadline", store=True, index=True,
        help="R9: a quality problem of supplied products is solved by then.",
    )
    resolution_reminded = fields.Boolean(copy=False, help="R9: the owner was reminded once overdue.")
    return_count = fields.Integer(compute="_compute_return_count")
    has_draft_return = fields.Boolean(compute="_compute_return_count")
    draft_return_names = fields.Char(compute="_compute_return_count")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "aftersales.ticket"
                ) or self.env._("New")
        return super().create(vals_list)

    @api.model
    def _group_expand_states(self, states, domain):
        """Kanban columns in workflow order, only those holding complaints."""
        present = {state for (state,) in self._read_group(domain, ["state"])}
        return [key for key, _label in self._fields["state"].selection if key in present]

    @api.depends("received_at", "company_id")
    def _compute_resolution_deadline(self):
        helper = self.env["aftersales.workflow.mixin"]
        self.resolution_due_at = False
        for company in self.company_id:
            tickets = self.filtered(lambda t, c=company: t.company_id == c and t.received_at)
            deadlines = helper._aftersales_resolution_deadlines(company, tickets.mapped("received_at"))
            for ticket, deadline in zip(tickets, deadlines, strict=True):
                ticket.resolution_due_at = deadline

    @api.model
    def _cron_resolution_reminders(self):
        """R9: remind the owner of each open complaint past its resolution deadline (once)."""
        overdue = self.search([
            ("resolution_due_at", "<", fields.Datetime.now()),
            ("state", "not in", ("closed", "cancelled")),
            ("resolution_reminded", "=", False),
        ])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create([{
            "res_model_id": model,
            "res_id": ticket.id,
            "activity_type_id": activity_type.id,
            "summary": self.env._("Resolution overdue (R9)"),
            "note": self.env._("%(ticket)s was due to be solved by %(deadline)s (R9).",
                      ticket=ticket.name, deadline=ticket.resolution_due_at),
            "user_id": (ticket.user_id or self.env.user).id,
        } for ticket in overdue])
        overdue.resolution_reminded = True
        return overdue

    @api.depends("return_ids", "return_ids.state")
    def _compute_return_count(self):
        counts = dict(
            self.env["aftersales.return"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.return_count = counts.get(ticket, 0)
            drafts = ticket.sudo().return_ids.filtered(lambda r: r.state == "draft")
            ticket.has_draft_return = bool(drafts)
            ticket.draft_return_names = ", ".join(drafts.mapped("name"))

    # --- the core form ------------------------------------------------------------------

    def _aftersales_form_map(self):
        return TICKET_MAP

    def _aftersales_documents(self):
        return set(self.return_ids) | set(self.payment_ids) | set(self.invoice_ids)

    def _aftersales_photos(self):
        return tuple(self.photo_ids.mapped("name"))

    @api.depends("payment_ids", "invoice_ids")
    def _compute_payment_count(self):
        for ticket in self:
            # counted as superuser: an after-sales user needs no accounting rights to see it
            ticket.payment_count = len(ticket.sudo().payment_ids) + len(ticket.sudo().invoice_ids)

    def _aftersales_not_applicable(self):
        reason = self.env._("a complaint hands goods and documents over to its return or visit")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "ship_order", "open_repair", "charge_parts",
                "start_rework", "request_bom", "start_production", "plan_purchases",
                "suspend_production", "resume_production", "issue_materials",
                "move_to_refurbished", "restock_for_resale", "issue_credit_note",
                "record_deduction", "reimburse_travel", "dispatch_visit",
                "return_old_parts", "claim_supplier", "suspend_delivery",
            )
        }

    def _aftersales_stock_of_lot(self):
        """R12: quantity of each ticket's lot in internal locations, in one read_group."""
        lots = self.lot_id
        if not lots:
            return {}
        groups = self.env["stock.quant"]._read_group(
            [("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")],
            ["lot_id"],
            ["quantity:sum"],
        )
        return {lot.id: qty for lot, qty in groups}

    # --- buttons --------------------------------------------------------------------

    def action_record(self):
        self._aftersales_apply("record")
        return True

    def action_answer_on_spot(self):
        self._aftersales_apply("answer_on_spot")
        return True

    def action_assess(self):
        stock = self._aftersales_stock_of_lot()
        for ticket in self:
            params = {}
            if ticket.quality_complaint:
                if not ticket.lot_id:
                    raise UserError(
                        self.env._("%(ticket)s: a quality complaint needs the lot for the same-batch "
                          "check (R12).", ticket=ticket.display_name)
                    )
                params["stock_of_lot"] = max(int(stock.get(ticket.lot_id.id, 0)), 0)
                params["similar_defect"] = _TO_CORE_DEFECT[ticket.similar_defect]
            ticket._aftersales_apply("assess", params)
        return True

    def action_explain(self):
        self._aftersales_apply("explain")
        return True

    def action_request_return(self):
        self._aftersales_apply("request_return")
        return True

    def action_dispatch_service(self):
        """On-site service (workflow 5): the core's step, then the service visit is opened."""
        self._aftersales_apply("dispatch_service")
        visits = self.env["aftersales.service.visit"].create([t._prepare_service_visit_vals() for t in self])
        for ticket, visit in zip(self, visits, strict=True):
            ticket.message_post(
                body=Markup("<p>%s</p>") % self.env._("On-site service %(name)s opened.", name=visit.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _prepare_service_visit_vals(self):
        """Values of the ``aftersales.service.visit`` a complaint dispatches."""
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "final_partner_id": self.final_partner_id.id,
            "contact": self.contact,
            "received_at": self.received_at,
            "request": "\n".join(filter(None, [self.description, self.remedy_sought])),
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
        }

    def _prepare_quality_feedback_vals(self):
        """A quality information feedback sheet from this complaint (R13), its failure mode."""
        self.ensure_one()
        if not (self.product_id and self.category_id):
            raise UserError(self.env._("%(ticket)s: a quality feedback sheet needs the product and the failure "
                              "mode (category_id).", ticket=self.display_name))
        return {
            "company_id": self.company_id.id,
            "source": "user",
            "partner_id": self.partner_id.id,
            "product_id": self.product_id.id,
            "category_id": self.category_id.id,
            "description": self.description,
            "affected_quantity": self.quantity,
            "ticket_id": self.id,
        }

    def action_quality_feedback(self):
        """Open a quality information feedback sheet from the complaint (R13)."""
        sheets = self.env["aftersales.quality.feedback"].create(
            [t._prepare_quality_feedback_vals() for t in self]
        )
        return {"type": "ir.actions.act_window", "res_model": "aftersales.quality.feedback",
                "domain": [("id", "in", sheets.ids)], "view_mode": "list,form",
                "res_id": sheets[:1].id}

    def action_view_visits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("On-site service"),
            "res_model": "aftersales.service.visit",
            "domain": [("ticket_id", "=", self.id)],
            "view_mode": "list,form",
            "context": {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id},
        }

    def action_start_payout(self):
        self._aftersales_apply("start_payout")
        return True

    def action_close(self):
        self._aftersales_apply("close")
        return True

    def action_cancel(self):
        """A manager cancels from any open state, with the reason in ``closing_reason``."""
        for ticket in self:
            ticket._aftersales_apply("cancel", {"closing_reason": ticket.closing_reason or ""})
        return True

    def action_close_unaccepted(self):
        """A manager closes without the customer's acceptance (customer unreachable)."""
        for ticket in self:
            ticket._aftersales_apply(
                "close_unaccepted",
                {"closing_reason": ticket.closing_reason or "", "last_contact_at": ticket.last_contact_at
                 and ticket.last_contact_at.replace(tzinfo=timezone.utc)},
            )
        return True

    def action_view_payments(self):
        """The payout's documents: its payments, or its credit notes."""
        if self.sudo().invoice_ids and not self.sudo().payment_ids:
            action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_refund_type")
            action["domain"] = [("id", "in", self.sudo().invoice_ids.ids)]
        else:
            action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_payments")
            action["domain"] = [("id", "in", self.sudo().payment_ids.ids)]
        action["context"] = {}
        return action

    # --- turning the complaint into a return (workflow 2 or 4) ------------------------

    def _prepare_return_vals(self):
        """Values of the ``aftersales.return`` this complaint turns into.

        The purpose follows the resolution chosen at ``request_return``; when the
        complaint names a sale order and a product, the line points at the delivered
        move of that product (the return picking is made from it).
        """
        self.ensure_one()
        vals = {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "ticket_id": self.id,
            "purpose": "repair" if self.resolution == "return_for_repair" else "refund",
            "reason": "\n".join(filter(None, [self.description, self.remedy_sought])),
        }
        if self.sale_order_id and self.product_id:
            # read-only lookup of the delivered move: after-sales staff need not hold
            # the sales rights to turn a complaint on a sale order into a return
            move = self.sale_order_id.sudo().order_line.move_ids.filtered(
                lambda m: m.product_id == self.product_id
                and m.state == "done"
                and m.location_dest_id.usage == "customer"
            )[:1]
            if move:
                vals["line_ids"] = [
                    Command.create(
                        {
                            "move_id": move.id,  # an id, not the sudo record
                            "lot_id": self.lot_id.id,
                            "quantity": self.quantity,
                            "problem": self.category_id.name or self.description[:200],
                            "category_id": self.category_id.id,
                        }
                    )
                ]
        return vals

    def action_create_return(self):
        """Open the complaint's return, creating it on the first click only."""
        self.ensure_one()
        if self.state != "return_requested":
            raise UserError(
                self.env._("%(ticket)s: a return is created once the return is requested (state "
                  "%(state)s).", ticket=self.display_name, state=self.state)
            )
        aftersales_return = self.return_ids[:1]
        if not aftersales_return:
            aftersales_return = self.env["aftersales.return"].create(self._prepare_return_vals())
            self.message_post(
                body=Markup('<p>%s <a href="#" data-oe-model="aftersales.return" data-oe-id="%s">%s</a></p>')
                % (self.env._("Return created:"), aftersales_return.id, aftersales_return.name),
                subtype_xmlid="mail.mt_note",
            )
        return self.action_view_returns()

    def action_view_returns(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Returns"),
            "res_model": "aftersales.return",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id},
        }
        if len(self.return_ids) == 1:
            action.update(view_mode="form", res_id=self.return_ids.id)
        else:
            action["view_mode"] = "list,form"
        return action

    # --- commands of the complaint workflow --------------------------------------------

    def _prepare_payout_payment_vals(self, command):
        return {
            "payment_type": "outbound",
            "partner_type": "customer",
            "partner_id": self.partner_id.commercial_partner_id.id,
            "amount": float(command.amount),
            "currency_id": self.company_id.currency_id.id,
            "company_id": self.company_id.id,
            "memo": self.env._("Payout on complaint %(name)s", name=self.name),
            "aftersales_ticket_id": self.id,
        }

    def _prepare_payout_credit_note_vals(self, command):
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )
        label = (
            self.env._("Deduction on complaint %(name)s", name=self.name)
            if command.settlement == "deduction"
            else self.env._("Payout on complaint %(name)s", name=self.name)
        )
        return {
            "move_type": "out_refund",
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "invoice_origin": self.name,
            "ref": label,
            "aftersales_ticket_id": self.id,
            "invoice_line_ids": [Command.create({
                "name": command.note or label,
                "quantity": 1,
                "price_unit": float(command.amount),
                "account_id": journal.default_account_id.id,
                "tax_ids": [Command.clear()],
            })],
        }

    def _aftersales_cmd_record_payout(self, command):
        """The payout process (R11/R12), settled as a refund return is: a posted outbound
        payment, or a posted credit note (credit note or deduction) of the amount."""
        if command.settlement == "payment":
            payment = self.env["account.payment"].create(self._prepare_payout_payment_vals(command))
            payment.action_post()
        else:
            credit = self.env["account.move"].create(self._prepare_payout_credit_note_vals(command))
            credit.action_post()

    # --- mail gateway ---------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the complaints alias opens a ticket and records it (as the system)."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if not author and msg_dict.get("email_from"):
            author = self.env["res.partner"].find_or_create(msg_dict["email_from"])
        customer = author.commercial_partner_id if author else author
        values.setdefault("channel", "email")
        values.setdefault("partner_id", customer.id)
        values.setdefault("contact", msg_dict.get("email_from") or "")
        description = html2plaintext(msg_dict.get("body") or "").strip()
        values.setdefault(
            "description", description or msg_dict.get("subject") or self.env._("(empty e-mail)")
        )
        ticket = super().message_new(msg_dict, custom_values=values)
        if author:
            ticket.message_subscribe(partner_ids=author.ids)
        ticket._aftersales_apply("record", system=True)
        return ticket
