# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""On-site service: the after-sales service information record sheet (SPEC workflow 5)."""

from typing import get_args

from aftersales_core.forms.service import ServiceInformationRecord
from aftersales_core.policy import ServiceMode
from aftersales_core.workflows.onsite_service import ONSITE_SERVICE
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .aftersales_seam import (
    CHAR,
    DATETIME,
    DERIVED,
    FLAG,
    MONEY,
    NAME,
    OPTIONAL_MONEY,
    Converter,
    FormField,
    IdRef,
    Nested,
    UserRef,
    _read,
)
from .aftersales_service_visit_check import DoneChecks
from .aftersales_workflow_mixin import workflow_state_selection


def _literal(field):
    """A selection read from a ``Literal`` field of the core form (never retyped)."""
    return [
        (v, v.replace("_", " ").capitalize())
        for v in get_args(ServiceInformationRecord.model_fields[field].annotation)
        if v
    ]


MODES = [(m, m.replace("_", " ").capitalize()) for m in get_args(ServiceMode)]
REGIONS = _literal("region")
CAUSES = _literal("cause")
FOLLOW_UPS = _literal("follow_up")


class _PlainText(Converter):
    """An Html field shown to the core as plain text (read only)."""

    writable = False

    def to_core(self, record, path):
        return html2plaintext(_read(record, path) or "").strip()


class _SignedBy(Converter):
    """The repair list's signature: the signer's name once Odoo's signature widget holds
    a drawn signature (R24); read only, the customer signs in Odoo."""

    writable = False

    def to_core(self, record, path):
        return (record[path] or "") if record.repair_signature else ""


CONTRACT_MAP = (
    FormField("customer", "partner_id", NAME),
    FormField("terms", "contract_order_id.note", _PlainText()),
    FormField("price", "contract_order_id.amount_total", MONEY),
    FormField("signed_by_customer", "contract_order_id.signed_by", CHAR),
    FormField("signed_by_sales", "contract_order_id.user_id", NAME),
    FormField("signed_at", "contract_order_id.signed_on", DATETIME),
)
REPAIR_LIST_MAP = (
    FormField("product_model", "product_id", NAME),
    FormField("repair_date", "repair_date"),
    FormField("replaced_parts", "_aftersales_replaced_parts", DERIVED),
    FormField("failure_cause", "failure_cause", CHAR),
    FormField("customer_name", "partner_id", NAME),
    FormField("contact", "contact", CHAR),
    FormField("comments", "customer_comments", CHAR),
    FormField("customer_signature", "repair_signed_by", _SignedBy()),
)
VISIT_MAP = (
    FormField("received_at", "received_at", DATETIME),
    FormField("customer", "partner_id", NAME),
    FormField("final_customer", "final_partner_id", NAME),
    FormField("contact", "contact", CHAR),
    FormField("province", "_aftersales_province", DERIVED),
    FormField("region", "region", CHAR),
    FormField("request", "request", CHAR),
    FormField("mode", "mode"),
    FormField("answer", "answer", CHAR),
    FormField("product", "product_id", NAME),
    FormField("lot", "lot_id", NAME),
    FormField("installed_base", "_aftersales_installed_base", DERIVED),
    FormField("unit", "unit_id", IdRef()),
    FormField("checks", "check_ids", DoneChecks("check_ids")),
    FormField("delivered_at", "delivered_at", DATETIME),
    FormField("product_category", "product_category", CHAR),
    FormField("deadline", "deadline", DATETIME),
    FormField("assignee", "technician_id", UserRef()),
    FormField("arrived_at", "arrived_at", DATETIME),
    FormField("late_explanation", "late_explanation", CHAR),
    FormField("cause", "cause"),
    FormField("difficulty", "difficulty", CHAR),
    FormField("leader_decision", "leader_decision", CHAR),
    FormField("factory_contacted", "factory_contacted", FLAG),
    FormField("warranty", "warranty", CHAR),
    FormField("contract", "contract_order_id", Nested(CONTRACT_MAP, present="contract_order_id.signed_on")),
    FormField("repair_list", "repair_date", Nested(REPAIR_LIST_MAP, present="repair_date")),
    FormField("old_parts_returned", "old_parts_returned", FLAG),
    FormField("returned_at", "returned_at", DATETIME),
    FormField("travel_amount", "travel_amount", OPTIONAL_MONEY),
    FormField("follow_up", "follow_up", CHAR),
    FormField("follow_up_result", "follow_up_result", CHAR),
)


class AftersalesServiceVisit(models.Model):
    """After-sales service information record sheet, repair list and service trip.

    States, guards and decisions are the core's ONSITE_SERVICE workflow; the record meets
    its form through ``VISIT_MAP`` and carries out its commands with a calendar event
    (dispatch), stock transfers (parts from the technician's location, old parts back,
    returns to vendors), a requested vendor credit note and an expense sheet.
    """

    _name = "aftersales.service.visit"
    _description = "On-site service"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    _aftersales_workflow = ONSITE_SERVICE
    _aftersales_form_type = ServiceInformationRecord

    name = fields.Char(string="Number", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        workflow_state_selection(ONSITE_SERVICE), default=ONSITE_SERVICE.initial,
        required=True, readonly=True, copy=False, tracking=True, index=True,
    )
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index=True, check_company=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, tracking=True)
    contact = fields.Char(help="Contact person and number.")
    final_partner_id = fields.Many2one(
        "res.partner", string="Final customer", tracking=True,
        help="R20: the end user (e.g. the ship owner on site) when the customer is a dealer "
        "or a yard: surveyed too when the case closes and in the regular surveys (004 §6.1.2).",
    )
    state_id = fields.Many2one(
        related="partner_id.state_id", string="Province",
        help="R8: the region comes from the customer's province through the company's "
        "table (home province, remote provinces) in the settings.",
    )
    request = fields.Text(required=True)
    mode = fields.Selection(MODES, required=True, default="visit", tracking=True, help="R28")
    answer = fields.Text(help="R28: the answer given without a visit, archived for reuse.")
    region = fields.Selection(REGIONS, readonly=True, copy=False, help="R8, set by the core.")
    deadline = fields.Datetime(readonly=True, copy=False, tracking=True, help="R8 arrival deadline.")
    time_left = fields.Char(compute="_compute_time_left", help="Until the arrival deadline (R8).")
    product_id = fields.Many2one("product.product", check_company=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", domain="[('product_id', '=?', product_id)]", check_company=True
    )
    unit_id = fields.Many2one(
        "stock.move.line", string="Installed unit", readonly=True, copy=False,
        help="R26: the delivery on the customer's account the warranty was read from.",
    )
    delivered_at = fields.Datetime(readonly=True, copy=False, help="R26/R10, from the installed unit.")
    product_category = fields.Char(readonly=True, copy=False)
    technician_id = fields.Many2one("res.users", tracking=True)
    parts_location_id = fields.Many2one(
        "stock.location", string="Technician's stock", check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Parts used on site come out of this location.",
    )
    arrived_at = fields.Datetime(copy=False)
    late_explanation = fields.Text(help="R8: the explanation given to the customer.")
    check_ids = fields.One2many(
        "aftersales.service.visit.check", "visit_id", string="Checks", copy=False,
        help="R24: the company's on-arrival and completion checklists, one line per check, "
        "made when the visit is dispatched; the technician ticks each one done.",
    )
    cause = fields.Selection(CAUSES, default="unknown", required=True, help="R10")
    warranty = fields.Char(readonly=True, copy=False, help="R10 outcome.")
    contract_order_id = fields.Many2one(
        "sale.order", string="Service contract", copy=False, check_company=True,
        help="R10: out of warranty, a quotation with the service terms that the customer "
        "signs online before the work starts.",
    )
    difficulty = fields.Text(copy=False, help="R25")
    leader_decision = fields.Text(copy=False, help="R25")
    factory_contacted = fields.Boolean(copy=False, help="R25")
    repair_date = fields.Date(copy=False)
    failure_cause = fields.Char(copy=False)
    customer_comments = fields.Text(copy=False)
    repair_signed_by = fields.Char(copy=False, string="Signed by")
    repair_signature = fields.Image(copy=False, max_width=1024, max_height=1024, attachment=True)
    old_parts_returned = fields.Boolean(readonly=True, copy=False)
    returned_at = fields.Datetime(copy=False, help="Technician back at the factory (R22).")
    currency_id = fields.Many2one(related="company_id.currency_id")
    travel_amount = fields.Monetary(copy=False)
    expense_sheet_id = fields.Many2one("hr.expense.sheet", readonly=True, copy=False)
    expense_due_at = fields.Datetime(readonly=True, copy=False, help="R22")
    expense_overdue = fields.Boolean(compute="_compute_expense_overdue", search="_search_expense_overdue")
    follow_up = fields.Selection(FOLLOW_UPS, copy=False)
    follow_up_result = fields.Text(copy=False)
    event_id = fields.Many2one("calendar.event", readonly=True, copy=False)
    picking_ids = fields.One2many("stock.picking", "aftersales_visit_id", string="Transfers")
    vendor_refund_ids = fields.One2many("account.move", "aftersales_visit_id", string="Vendor credit notes")

    # --- computes -------------------------------------------------------------------

    @api.depends("deadline", "arrived_at")
    def _compute_time_left(self):
        now = fields.Datetime.now()
        for visit in self:
            if not visit.deadline or visit.arrived_at:
                visit.time_left = False
                continue
            hours = (visit.deadline - now).total_seconds() / 3600
            visit.time_left = (
                self.env._("%(h).1f hours left", h=hours) if hours >= 0 else self.env._("%(h).1f hours late", h=-hours)
            )

    @api.depends("expense_due_at", "expense_sheet_id.state")
    def _compute_expense_overdue(self):
        now = fields.Datetime.now()
        for visit in self:
            visit.expense_overdue = bool(
                visit.expense_due_at and visit.expense_due_at < now
                and visit.sudo().expense_sheet_id.state not in ("approve", "post", "done")
            )

    def _search_expense_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue expenses with = True or = False."))
        domain = [
            ("expense_due_at", "<", fields.Datetime.now()),
            "|", ("expense_sheet_id", "=", False),
            ("expense_sheet_id.state", "not in", ("approve", "post", "done")),
        ]
        positive = (operator == "=") == value
        ids = self.sudo()._search(domain)
        return [("id", "in" if positive else "not in", ids)]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.service.visit") or "/"
        return super().create(vals_list)

    # --- the core form ------------------------------------------------------------------

    def _aftersales_form_map(self):
        return VISIT_MAP

    def _aftersales_province(self):
        return self.partner_id.state_id.name or self.partner_id.commercial_partner_id.state_id.name or ""

    def _aftersales_installed_base(self):
        """R26: the customer's after-sales account, from Odoo's delivered move lines."""
        units = self.env["aftersales.installed.unit"].sudo().search(
            [("partner_id", "=", self.partner_id.commercial_partner_id.id),
             ("company_id", "=", self.company_id.id)]
        )
        return tuple(
            {
                "ref": str(u.id),
                "product": u.product_id.display_name,
                "lot": u.lot_id.name or "",
                "delivered_at": DATETIME.to_core(u, "delivered_at"),
                "category": u.product_id.categ_id.complete_name or "",
            }
            for u in units
        )

    def _aftersales_parts_moves(self):
        return self.picking_ids.filtered(lambda p: p.aftersales_visit_role == "parts").move_ids.filtered(
            lambda m: m.state == "done"
        )

    def _aftersales_replaced_parts(self):
        """R21/R24: the parts used on site, from the done moves of the parts transfers."""
        parts = []
        for move in self._aftersales_parts_moves():
            seller = move.product_id.seller_ids[:1]
            parts.append({
                "ref": str(move.id),
                "product": move.product_id.display_name,
                "quantity": int(move.quantity),
                "purchased": bool(seller),
                "supplier": seller.partner_id.name or "",
            })
        return tuple(parts)

    def _aftersales_not_applicable(self):
        reason = self.env._("an on-site service holds no return, order, production or payout")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "ship_order", "open_repair", "charge_parts",
                "start_rework", "request_bom", "start_production", "plan_purchases",
                "suspend_production", "resume_production", "issue_materials",
                "move_to_refurbished", "restock_for_resale", "issue_credit_note",
                "record_deduction", "record_payout",
                "suspend_delivery",             )
        }

    # --- buttons --------------------------------------------------------------------

    def action_record(self):
        self._aftersales_apply("record")
        return True

    def action_answer_remotely(self):
        self._aftersales_apply("answer_remotely")
        return True

    def action_dispatch(self):
        self._aftersales_apply("dispatch")
        self._aftersales_make_checks()
        return True

    def action_arrive(self):
        for visit in self:
            if not visit.arrived_at:
                visit.arrived_at = fields.Datetime.now()
        self._aftersales_apply("arrive")
        self._aftersales_make_checks()
        return True

    def _prepare_check_vals(self, name, stage, sequence):
        """One R24 check line of this visit (a name of the company's checklist)."""
        self.ensure_one()
        return {"visit_id": self.id, "name": name, "stage": stage, "sequence": sequence}

    def _aftersales_make_checks(self):
        """R24: one line per check of the company's on-arrival and completion checklists
        (``arrival_checklist``, ``completion_checklist`` of its policy) that the visit
        does not hold yet; one create for all the visits."""
        vals_list = []
        for visit in self:
            policy = visit.company_id._aftersales_policy()
            held = set(visit.check_ids.mapped("name"))
            # arrival checks first, then completion ones, each in the policy's order
            stages = [("arrival", n, 10 * i) for i, n in enumerate(policy.arrival_checklist, 1)]
            stages += [("completion", n, 10000 + 10 * i)
                       for i, n in enumerate(policy.completion_checklist, 1)]
            for stage, name, sequence in stages:
                if name not in held:
                    held.add(name)
                    vals_list.append(visit._prepare_check_vals(name, stage, sequence))
        lines = self.env["aftersales.service.visit.check"].sudo().create(vals_list)
        self.invalidate_recordset(["check_ids"])  # read again in the lines' order
        return lines

    def action_decide_warranty(self):
        self._aftersales_apply("decide_warranty")
        return True

    def action_escalate(self):
        self._aftersales_apply("escalate")
        return True

    def action_decide_solution(self):
        self._aftersales_apply("decide_solution")
        return True

    def action_complete(self):
        self._aftersales_apply("complete")
        return True

    def action_return_old_parts(self):
        self._aftersales_apply("return_old_parts")
        return True

    def action_claim_travel(self):
        self._aftersales_apply("claim_travel")
        return True

    def action_follow_up(self):
        self._aftersales_apply("follow_up")
        return True

    def action_cancel(self):
        self._aftersales_apply("cancel")
        return True

    # --- documents the user asks for ------------------------------------------------

    def _prepare_contract_order_vals(self):
        """R10: the after-sales service contract, a quotation the customer signs online."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.env.user.id,
            "require_signature": True,
            "origin": self.name,
            "note": escape(self.env._("After-sales service contract for %(visit)s: paid service out of "
                             "warranty (R10). %(request)s", visit=self.name, request=self.request)),
        }

    def action_service_contract(self):
        """Open the visit's service contract quotation, creating it on the first click."""
        self.ensure_one()
        if not self.contract_order_id:
            # an after-sales user opens the contract without sales rights; the salesperson
            # named on it is this user, and the customer signs it online
            self.contract_order_id = self.env["sale.order"].sudo().create(self._prepare_contract_order_vals())
        return {
            "type": "ir.actions.act_window", "res_model": "sale.order",
            "res_id": self.contract_order_id.id, "view_mode": "form",
        }

    def _prepare_parts_picking_vals(self, products=None):
        """A transfer of parts from the technician's stock to the customer (draft)."""
        self.ensure_one()
        if not self.parts_location_id:
            raise UserError(self.env._("%(visit)s: set the technician's stock location (parts_location_id) "
                              "first.", visit=self.display_name))
        warehouse = self.parts_location_id.warehouse_id or self._aftersales_warehouse()
        destination = self.env.ref("stock.stock_location_customers")
        moves = [
            Command.create({
                "name": self.name,
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": self.parts_location_id.id,
                "location_dest_id": destination.id,
            })
            for product, qty in (products or {}).items()
        ]
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": self.parts_location_id.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "aftersales_visit_id": self.id,
            "aftersales_visit_role": "parts",
            "move_ids": moves,
        }

    def action_parts_transfer(self, products=None):
        """Parts out of the technician's stock through a transfer (filled in the picking)."""
        self.ensure_one()
        if self.state not in ("repairing", "escalated"):
            raise UserError(self.env._("%(visit)s: parts are used while repairing (state %(state)s).",
                              visit=self.display_name, state=self.state))
        picking = self.env["stock.picking"].create(self._prepare_parts_picking_vals(products))
        if picking.move_ids:
            picking.action_confirm()
        return {"type": "ir.actions.act_window", "res_model": "stock.picking",
                "res_id": picking.id, "view_mode": "form"}

    def _aftersales_warehouse(self):
        return self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)], limit=1)

    # --- commands of the core ---------------------------------------------------------

    def _prepare_calendar_event_vals(self, command):
        technician = self.env["res.users"]
        if command.technician:
            technician = technician.browse(int(command.technician))
        start = fields.Datetime.now()
        stop = DATETIME.to_odoo(self, command.deadline)
        return {
            "name": self.env._(
                "On-site service %(visit)s: %(customer)s", visit=self.name, customer=self.partner_id.name
            ),
            "start": start,
            "stop": max(stop, start),
            "user_id": technician.id or self.env.user.id,
            "partner_ids": [Command.set((technician.partner_id | self.partner_id).ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "description": escape(self.request),
        }

    def _aftersales_cmd_dispatch_visit(self, command):
        """Dispatch: a calendar event for the technician, from now to the R8 deadline."""
        event = self.env["calendar.event"].with_context(no_mail_to_attendees=True).create(
            self._prepare_calendar_event_vals(command)
        )
        self.event_id = event

    def _aftersales_old_parts_location(self, warehouse, responsibility):
        return warehouse._aftersales_old_parts_location(responsibility)

    def _prepare_old_parts_receipt_vals(self, command, warehouse, destination):
        source = self.env.ref("stock.stock_location_customers")
        moves = self.env["stock.move"].browse([int(i.ref) for i in command.items])
        qty = {int(i.ref): i.quantity for i in command.items}
        return {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "aftersales_visit_id": self.id,
            "aftersales_visit_role": "old_parts",
            "move_ids": [
                Command.create({
                    "name": self.env._("Old part of %(visit)s", visit=self.name),
                    "product_id": move.product_id.id,
                    "product_uom_qty": qty[move.id],
                    "product_uom": move.product_uom.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                })
                for move in moves
            ],
        }

    def _aftersales_cmd_return_old_parts(self, command):
        """R21: a receipt of old parts into the warehouse's old-parts location of their
        responsibility, left for the warehouse to validate."""
        warehouse = self._aftersales_warehouse()
        destination = self._aftersales_old_parts_location(warehouse, command.responsibility)
        receipt = self.env["stock.picking"].create(
            self._prepare_old_parts_receipt_vals(command, warehouse, destination)
        )
        receipt.action_confirm()

    def _prepare_vendor_return_vals(self, supplier, moves, qty, warehouse):
        source = self._aftersales_old_parts_location(warehouse, "supplier")
        destination = self.env.ref("stock.stock_location_suppliers")
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": supplier.id,
            "origin": self.name,
            "company_id": self.company_id.id,
            "aftersales_visit_id": self.id,
            "aftersales_visit_role": "vendor_return",
            "move_ids": [
                Command.create({
                    "name": self.env._("Supplier claim of %(visit)s", visit=self.name),
                    "product_id": move.product_id.id,
                    "product_uom_qty": qty[move.id],
                    "product_uom": move.product_uom.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "partner_id": supplier.id,
                })
                for move in moves
            ],
        }

    def _prepare_vendor_refund_vals(self, supplier, moves, qty):
        lines = []
        for move in moves:
            seller = move.product_id.seller_ids.filtered(lambda s, p=supplier: s.partner_id == p)[:1]
            lines.append(Command.create({
                "product_id": move.product_id.id,
                "quantity": qty[move.id],
                "price_unit": seller.price or move.product_id.standard_price,
                "name": self.env._("Failed part claimed (R21), %(visit)s", visit=self.name),
            }))
        return {
            "move_type": "in_refund",
            "partner_id": supplier.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "ref": self.env._("Supplier claim %(visit)s", visit=self.name),
            "aftersales_visit_id": self.id,
            "invoice_line_ids": lines,
        }

    def _aftersales_cmd_claim_supplier(self, command):
        """R21: a return to the vendor of the failed purchased parts and a requested
        (draft) vendor credit note. The supplier is each part's first vendor, found by the
        part's move (``ref``), never by name."""
        warehouse = self._aftersales_warehouse()
        moves = self.env["stock.move"].browse([int(i.ref) for i in command.items])
        qty = {int(i.ref): i.quantity for i in command.items}
        for supplier in moves.product_id.seller_ids.partner_id:
            mine = moves.filtered(lambda m, s=supplier: m.product_id.seller_ids[:1].partner_id == s)
            if not mine:
                continue
            picking = self.env["stock.picking"].create(
                self._prepare_vendor_return_vals(supplier, mine, qty, warehouse)
            )
            picking.action_confirm()
            self.env["account.move"].create(self._prepare_vendor_refund_vals(supplier, mine, qty))

    def _prepare_expense_vals(self, command, employee):
        product = self.env.ref("hr_expense.expense_product_travel_accommodation", raise_if_not_found=False)
        return {
            "name": self.env._("Service trip %(visit)s", visit=self.name),
            "employee_id": employee.id,
            "product_id": product.id if product else False,
            "total_amount_currency": float(command.amount),
            "company_id": self.company_id.id,
            "date": fields.Date.context_today(self),
            "payment_mode": "own_account",
        }

    def _prepare_expense_sheet_vals(self, expenses, employee):
        return {
            "name": expenses[:1].name,
            "employee_id": employee.id,
            "company_id": self.company_id.id,
            "expense_line_ids": [Command.set(expenses.ids)],
        }

    def _aftersales_cmd_reimburse_travel(self, command):
        """R22: an expense of the technician on a submitted expense sheet, due as the core said."""
        user = self.env["res.users"].browse(int(command.technician))
        employee = user.employee_ids.filtered(lambda e: e.company_id == self.company_id)[:1]
        if not employee:
            raise UserError(self.env._("%(visit)s: the technician %(user)s has no employee in %(company)s to "
                              "claim travel expenses for (R22).", visit=self.display_name,
                              user=user.name, company=self.company_id.name))
        expense = self.env["hr.expense"].create(self._prepare_expense_vals(command, employee))
        sheet = self.env["hr.expense.sheet"].create(self._prepare_expense_sheet_vals(expense, employee))
        sheet.action_submit_sheet()
        self.write({"expense_sheet_id": sheet.id, "expense_due_at": DATETIME.to_odoo(self, command.due)})
        self.activity_schedule(
            "mail.mail_activity_data_call",
            summary=self.env._("Follow-up call or e-mail"),
            note=Markup("<p>%s</p>") % self.env._("Check the service with %(customer)s and record the result.",
                                         customer=self.partner_id.name),
            user_id=self.user_id.id or self.env.user.id,
        )

    def _prepare_quality_feedback_vals(self, category):
        """A quality information feedback sheet from this visit (source: visit, R13)."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "source": "visit",
            "partner_id": self.partner_id.id,
            "product_id": self.product_id.id,
            "category_id": category.id,
            "description": self.failure_cause or self.request,
            "visit_id": self.id,
            "ticket_id": self.ticket_id.id,
        }

    def action_quality_feedback(self, category=None):
        """Open a quality feedback sheet with the visit's (or its complaint's) failure mode."""
        self.ensure_one()
        category = category or self.ticket_id.category_id
        if not (self.product_id and category):
            raise UserError(self.env._("%(visit)s: a quality feedback sheet needs the product and the "
                              "failure mode of the complaint.", visit=self.display_name))
        sheet = self.env["aftersales.quality.feedback"].create(self._prepare_quality_feedback_vals(category))
        return {"type": "ir.actions.act_window", "res_model": "aftersales.quality.feedback",
                "res_id": sheet.id, "view_mode": "form"}

    # --- smart buttons --------------------------------------------------------------

    def action_view_pickings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {}
        return action
