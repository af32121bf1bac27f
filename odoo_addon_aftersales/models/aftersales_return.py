# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from aftersales_core import Role
from aftersales_core.forms import ReturnForm, ReturnTrackingForm
from aftersales_core.labels import choices, label
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

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
    Lines,
    Nested,
    Refs,
    SignatureOf,
    UserRef,
)
from .aftersales_workflow_mixin import workflow_state_selection as workflow_selection


def _choices(form_type, field):
    """A selection list read from a ``Literal`` field of a core form (never retyped)."""
    return choices(form_type, field)


def _return_states():
    """Both workflows' states in workflow order: the refund path's own states merged in
    before the state they lead to (``closed``), the dead ends (refused, cancelled) last."""
    merged = list(RETURN_FOR_REPAIR.states)
    for i, state in enumerate(REFUND_RETURN.states):
        if state in merged:
            continue
        following = next((s for s in REFUND_RETURN.states[i + 1:] if s in merged), None)
        merged.insert(merged.index(following) if following else len(merged), state)
    ends = [s for s in merged if s in (RETURN_FOR_REPAIR.final | REFUND_RETURN.final) and s != "closed"]
    ordered = [s for s in merged if s not in ends] + ends
    labels = dict(workflow_selection(RETURN_FOR_REPAIR) + workflow_selection(REFUND_RETURN))
    return [(s, labels[s]) for s in ordered]


PURPOSES = choices(ReturnTrackingForm, "purpose")

# The form maps: core field, Odoo field, converter (aftersales_seam).
LINE_MAP = (
    FormField("product", "product_id", NAME),
    FormField("product_class", "product_class"),
    FormField("quantity", "quantity"),
    FormField("received_quantity", "received_quantity"),
    FormField("lot", "lot_id", NAME),
    FormField("problem", "problem", CHAR),
    FormField("sale_order", "sale_line_id.order_id", NAME),
    FormField("failure_category", "category_id", NAME),
    FormField("delivered_at", "delivered_at", DATETIME),
    FormField("warranty_category", "warranty_category", CHAR),
    FormField("under_warranty", "under_warranty", Converter()),
)
QUALITY_EXCEPTION_MAP = (
    FormField("line_refs", "line_ids", Refs()),
    FormField("product", "product_name", CHAR),
    FormField("lot", "lot_names", CHAR),
    FormField("quantity", "quantity"),
    FormField("defect", "defect", CHAR),
    FormField("rnd_decision", "rnd_decision", CHAR),
    FormField("rework_bom", "rework_bom_id", IdRef()),
)
RETURN_FORM_MAP = (
    FormField("requested_at", "requested_at", DATETIME),
    FormField("reason", "reason", CHAR),
    FormField("acceptance", "acceptance", CHAR),
    FormField("accepted_by", "accepted_by_id", UserRef()),
    FormField("settlement", "settlement", CHAR),
    FormField("deduction_amount", "deduction_amount", OPTIONAL_MONEY),
)
STOCK_IN_MAP = (
    FormField("items", "_aftersales_stock_in_items", DERIVED),
    FormField("replaced_parts", "_aftersales_replaced_parts", DERIVED),
    FormField("filled_by", "stock_in_filled_by_id", UserRef()),
    FormField("approval", "stock_in_approval", SignatureOf(Role.GENERAL_MANAGER)),
)
RETURN_MAP = (
    FormField("purpose", "purpose"),
    FormField("customer", "partner_id", NAME),
    FormField("salesperson", "user_id", UserRef()),
    FormField("deliveries", "_aftersales_deliveries", DERIVED),
    FormField("delivered_at", "delivered_at", DATETIME),
    FormField("complaint", "ticket_id", NAME),
    FormField("lines", "line_ids", Lines(LINE_MAP)),
    FormField("return_form", "requested_at", Nested(RETURN_FORM_MAP)),
    FormField("test_findings", "test_findings", CHAR),
    FormField("needs_design_change", "needs_design_change", FLAG),
    FormField("route", "route", CHAR),
    FormField("quality_exceptions", "quality_exception_ids", Lines(QUALITY_EXCEPTION_MAP, creatable=True)),
    FormField("repairs_done", "repairs_done", CHAR),
    FormField("replaced_parts", "_aftersales_replaced_parts", DERIVED),
    FormField("under_warranty", "under_warranty", FLAG),
    FormField("charges", "charges", MONEY),
    FormField("stock_in", "stock_in_filled_by_id", Nested(STOCK_IN_MAP, present="stock_in_filled_by_id")),
    FormField("shipped_back_at", "shipped_back_at", DATETIME),
)


class AftersalesReturn(models.Model):
    """Customer Return Tracking Form + Return Form: a customer return for repair or refund.

    States, guards and routing come from the core workflows RETURN_FOR_REPAIR and
    REFUND_RETURN; the record meets their form through ``RETURN_MAP`` and carries out
    their commands (as a ``ports.Host``) with return pickings into the warehouse's
    returns location, repair orders, rework manufacturing orders, quality exception
    orders, invoices, credit notes, payments and stock transfers.
    """

    _name = "aftersales.return"
    _description = "Customer return"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _aftersales_form_type = ReturnTrackingForm
    _aftersales_workflow_fields = (
        "acceptance", "accepted_by_id", "route", "under_warranty", "charges",
        "stock_in_filled_by_id", "stock_in_approval_user_id", "stock_in_approval_at",
        "shipped_back_at",
    )

    name = fields.Char(
        string="Reference", default=lambda self: self.env._("New"), copy=False, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    purpose = fields.Selection(PURPOSES, required=True, default="repair", tracking=True)
    # No tracking: each step posts one chatter entry of its own (the mixin).
    state = fields.Selection(
        _return_states(), string="Status", default="draft", required=True, readonly=True,
        copy=False, index=True, group_expand="_group_expand_states",
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, tracking=True)
    user_id = fields.Many2one("res.users", string="Salesperson", default=lambda self: self.env.user)
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index=True)
    reason = fields.Text(required=True, default="", help="The reason the customer gives for the return.")
    requested_at = fields.Datetime(string="Requested on", required=True, default=fields.Datetime.now)
    delivered_at = fields.Datetime(
        string="Delivered on", compute="_compute_delivered_at",
        help="The earliest delivery of the returned goods.",
    )
    line_ids = fields.One2many("aftersales.return.line", "return_id", string="Lines", copy=True)
    acceptance = fields.Selection(_choices(ReturnForm, "acceptance"), readonly=True, copy=False, help="R4 decision.")
    accepted_by_id = fields.Many2one("res.users", string="Accepted by", readonly=True, copy=False)
    route = fields.Selection(_choices(ReturnTrackingForm, "route"), readonly=True, copy=False, tracking=True)
    needs_design_change = fields.Boolean(help="R2: a large return needing a design change goes to R&D.")
    test_findings = fields.Text()
    under_warranty = fields.Boolean(readonly=True, copy=False, help="R10: every routed line is under warranty.")
    repairs_done = fields.Text()
    charges = fields.Monetary(readonly=True, copy=False, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    quality_exception_ids = fields.One2many(
        "aftersales.quality.exception", "return_id", string="Quality exception orders", copy=False
    )
    stock_in_filled_by_id = fields.Many2one("res.users", string="Stock-in filled by", readonly=True, copy=False)
    stock_in_approval_user_id = fields.Many2one("res.users", string="Stock-in approved by", readonly=True, copy=False)
    stock_in_approval_at = fields.Datetime(string="Stock-in approved on", readonly=True, copy=False)
    settlement = fields.Selection(_choices(ReturnForm, "settlement"))
    refusal_reason = fields.Text(
        string="Reason for refusal",
        help="Told to the customer in the refusal mail, with the core's reasons.",
    )
    deduction_amount = fields.Monetary(currency_field="currency_id")
    shipped_back_at = fields.Datetime(string="Shipped back on", readonly=True, copy=False)
    warehouse_id = fields.Many2one(
        "stock.warehouse", compute="_compute_warehouse_id",
        help="The warehouse the goods were delivered from: they come back to its returns location.",
    )
    picking_ids = fields.One2many("stock.picking", "aftersales_return_id", string="Transfers")
    repair_ids = fields.One2many("repair.order", "aftersales_return_id", string="Repairs")
    production_ids = fields.One2many("mrp.production", "aftersales_return_id", string="Rework orders")
    invoice_ids = fields.One2many("account.move", "aftersales_return_id", string="Invoices and credit notes")
    payment_ids = fields.One2many("account.payment", "aftersales_return_id", string="Payments")
    picking_count = fields.Integer(compute="_compute_counts")
    repair_count = fields.Integer(compute="_compute_counts")
    production_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    payment_count = fields.Integer(compute="_compute_counts")
    quality_exception_count = fields.Integer(compute="_compute_counts")

    @api.model
    def _group_expand_states(self, states, domain):
        """Kanban columns in workflow order, only those holding returns."""
        present = {state for (state,) in self._read_group(domain, ["state"])}
        return [key for key, _label in self._fields["state"].selection if key in present]

    @property
    def _aftersales_workflow(self):
        return RETURN_FOR_REPAIR if self.purpose == "repair" else REFUND_RETURN

    def _aftersales_form_map(self):
        return RETURN_MAP

    def _aftersales_documents(self):
        docs = (self.picking_ids, self.repair_ids, self.production_ids, self.invoice_ids,
                self.payment_ids, self.quality_exception_ids)
        return {rec for records in docs for rec in records}

    @api.depends("state", "purpose")
    def _compute_aftersales_actions(self):
        # The workflow depends on the purpose too.
        return super()._compute_aftersales_actions()

    @api.depends("line_ids.move_id")
    def _compute_delivered_at(self):
        for rec in self:
            dates = rec.sudo().line_ids.move_id.mapped("date")
            rec.delivered_at = min(dates) if dates else False

    @api.depends("line_ids.move_id")
    def _compute_warehouse_id(self):
        for rec in self:
            moves = rec.sudo().line_ids.move_id
            rec.warehouse_id = moves.picking_type_id.warehouse_id[:1] or moves.warehouse_id[:1] or (
                self.env["stock.warehouse"].search([("company_id", "=", rec.company_id.id)], limit=1)
            )

    @api.depends("picking_ids", "repair_ids", "production_ids", "invoice_ids", "payment_ids", "quality_exception_ids")
    def _compute_counts(self):
        for rec in self:
            # counted as superuser: a user of one role needs no rights on the others' documents
            rec = rec.sudo()  # noqa: PLW2901
            rec.picking_count = len(rec.picking_ids)
            rec.repair_count = len(rec.repair_ids)
            rec.production_count = len(rec.production_ids)
            rec.invoice_count = len(rec.invoice_ids)
            rec.payment_count = len(rec.payment_ids)
            rec.quality_exception_count = len(rec.quality_exception_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) in (self.env._("New"), "/"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "aftersales.return"
                ) or self.env._("New")
        return super().create(vals_list)

    # --- values of the form that Odoo keeps in its documents ----------------------------

    def _aftersales_deliveries(self):
        return tuple(self.line_ids.move_id.picking_id.mapped("name"))

    def _aftersales_replaced_parts(self, recorded_only=True):
        """R7: parts added on this return's repair orders (ref: the repair's stock move)."""
        repairs = self.repair_ids.filtered("aftersales_parts_recorded") if recorded_only else self.repair_ids
        parts = repairs.move_ids.filtered(lambda m: m.repair_line_type == "add" and m.state != "cancel")
        return tuple(
            {
                "ref": str(m.id),
                "line_ref": str(m.repair_id.aftersales_line_id.id) if m.repair_id.aftersales_line_id else "",
                "product": m.product_id.display_name,
                "quantity": max(1, int(m.product_uom_qty)),
                "under_warranty": bool(m.repair_id.under_warranty),
                "unit_price": str(m.product_id.lst_price),
            }
            for m in parts
        )

    def _aftersales_stock_in_items(self):
        return tuple(
            {
                "ref": str(line.id),
                **{f.core: f.conv.to_core(line, f.odoo) for f in LINE_MAP},
                "quantity": line.received_quantity,
            }
            for line in self.line_ids
            if line.received_quantity
        )

    def _received_by_line(self):
        """Quantity received per return line, from the done moves of our return receipts.

        A received move line belongs to the return line of its delivered move and lot
        (the line without a lot when none matches); each quantity is counted once.
        """
        self.ensure_one()
        received = defaultdict(float)
        lines = self.line_ids
        by_key = {(line.move_id.id, line.lot_id.id): line for line in lines}
        receipts = self.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        for move in receipts.move_ids.filtered(lambda m: m.state == "done"):
            origin = move.origin_returned_move_id.id
            for ml in move.move_line_ids:
                line = by_key.get((origin, ml.lot_id.id)) or by_key.get((origin, False))
                if line is None:
                    candidates = lines.filtered(lambda ln, o=origin: ln.move_id.id == o)
                    line = candidates[:1]
                if line:
                    received[line.id] += ml.quantity
        return {line.id: min(int(received.get(line.id, 0)), line.quantity) for line in lines}

    # --- buttons (each returns True, for RPC clients) ----------------------------------

    def action_submit(self):
        # Quantities commit here: what other returns took since the draft was saved counts.
        self.line_ids._aftersales_check_returnable()
        self._aftersales_apply("submit")
        return True

    def action_accept(self):
        self.line_ids._aftersales_check_returnable()
        self._aftersales_apply("accept")
        return True

    def action_refuse(self):
        self._aftersales_apply("refuse")
        return True

    def action_cancel(self):
        for rec in self:
            rec._aftersales_apply("cancel")
            # The core allowed it (nothing received yet): the expected receipt goes too.
            rec.sudo().picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        return True

    def action_close_receipt(self):
        for rec in self:
            rec._aftersales_apply("close_receipt")
            rec._aftersales_apply("route", system=True)
        return True

    def action_route(self):
        self._aftersales_apply("route")
        return True

    def action_issue_bom(self):
        """R&D answers the quality exception orders (their BOMs are set on each order)."""
        for rec in self:
            orders = rec._aftersales_to_form().quality_exceptions
            rec._aftersales_apply("issue_bom", params={"quality_exceptions": orders})
        return True

    def action_finish_repair(self):
        for rec in self:
            open_repairs = rec.repair_ids.filtered(lambda r: r.state not in ("done", "cancel"))
            if open_repairs:
                raise UserError(
                    self.env._("Finish the repair orders first: %s", ", ".join(open_repairs.mapped("name")))
                )
            summary = rec.repairs_done or ", ".join(rec.repair_ids.mapped("name")) or self.env._("repaired")
            rec._aftersales_apply(
                "finish_repair",
                params={
                    "repairs_done": summary,
                    "replaced_parts": rec.sudo()._aftersales_replaced_parts(recorded_only=False),
                },
            )
            rec.sudo().repair_ids.aftersales_parts_recorded = True
        return True

    def action_finish_rework(self):
        for rec in self:
            open_mos = rec.production_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            if open_mos:
                raise UserError(self.env._("Finish the rework orders first: %s", ", ".join(open_mos.mapped("name"))))
            summary = rec.repairs_done or ", ".join(rec.production_ids.mapped("name")) or self.env._("reworked")
            rec._aftersales_apply("finish_rework", params={"repairs_done": summary})
        return True

    def action_pass_inspection(self):
        self._aftersales_apply("pass_inspection")
        return True

    def action_fail_inspection(self):
        for rec in self:
            rec._aftersales_apply("fail_inspection", params={"test_findings": rec.test_findings or ""})
        return True

    def action_ship_back(self):
        self._aftersales_apply("ship_back")
        return True

    def action_stock_in(self):
        self._aftersales_apply("stock_in")
        return True

    def action_approve_stock_in(self):
        self._aftersales_apply("approve_stock_in")
        return True

    def action_settle(self):
        self._aftersales_apply("settle")
        return True

    def action_close(self):
        self._aftersales_apply("close")
        return True

    # --- receipt (called when a return picking is validated) -----------------------------

    def _aftersales_on_receipt(self):
        for rec in self.filtered(lambda r: r.state in ("accepted", "partially_received")):
            received = rec._received_by_line()
            lines = tuple(
                {"ref": str(line.id), **{f.core: f.conv.to_core(line, f.odoo) for f in LINE_MAP},
                 "received_quantity": received[line.id]}
                for line in rec.sudo().line_ids
            )
            rec._aftersales_apply("receive", params={"lines": lines}, system=True)
            if rec.state == "received":
                rec._aftersales_apply("route", system=True)

    # --- commands (the record as a ports.Host; run as the workflow grants) -------------

    def _aftersales_not_applicable(self):
        reason = self.env._("a customer return has no such step")
        return {
            kind: reason
            for kind in (
                "issue_materials", "plan_purchases", "start_production", "ship_order",
                "dispatch_visit", "suspend_production", "resume_production",
                "reimburse_travel", "record_payout", "return_old_parts", "claim_supplier",
                "suspend_delivery",
            )
        }

    def _aftersales_cmd_receive_return(self, command):
        """A return picking of each original delivery (Odoo's return wizard), into the
        returns location of the delivery's warehouse; lots ride on the moves."""
        if self.picking_ids.filtered(lambda p: p.state != "cancel" and p.picking_type_code == "incoming"):
            return  # already created: a second click creates nothing
        wanted = defaultdict(float)
        by_picking = defaultdict(lambda: self.env["aftersales.return.line"])
        for item in command.items:
            line = self._line(item.ref)
            wanted[line.move_id.id] += item.quantity
            by_picking[line.move_id.picking_id] |= line
        for picking, lines in by_picking.items():
            warehouse = picking.picking_type_id.warehouse_id or self.warehouse_id
            destination = warehouse._aftersales_returns_location()
            wizard = self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking",
                aftersales_receipt_vals=self._prepare_receipt_vals(picking, destination),
            ).create(self._prepare_return_wizard_vals(picking))
            for wline in wizard.product_return_moves:
                wline.quantity = wanted.get(wline.move_id.id, 0.0)
            receipt = wizard._create_return()
            self._assign_lots(receipt, lines)

    def _prepare_return_wizard_vals(self, picking):
        return {"picking_id": picking.id}

    def _prepare_receipt_vals(self, delivery, destination):
        """Values of the return receipt of ``delivery`` (into ``destination``)."""
        return {"aftersales_return_id": self.id, "location_dest_id": destination.id, "origin": self.name}

    def _assign_lots(self, picking, lines):
        """Each return line's lot on the move lines of its product (tracked products)."""
        by_origin = defaultdict(lambda: self.env["aftersales.return.line"])
        for line in lines.filtered("lot_id"):
            by_origin[line.move_id.id] |= line
        for move in picking.move_ids:
            tracked = by_origin.get(move.origin_returned_move_id.id)
            if not tracked or move.product_id.tracking == "none":
                continue
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create([
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_id": line.lot_id.id,
                    "quantity": line.quantity,
                }
                for line in tracked
            ])

    def _lots_on_moves(self, moves):
        """Each move of a return line carries that line's lot (tracked products)."""
        vals_list = []
        for move in moves:
            lot = move.aftersales_line_id.lot_id
            if not lot or move.product_id.tracking == "none":
                continue
            move.move_line_ids.unlink()
            vals_list.append({
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "lot_id": lot.id,
                "quantity": move.product_uom_qty,
            })
        if vals_list:
            self.env["stock.move.line"].create(vals_list)

    def _aftersales_execute_all(self, commands):
        """Repair orders of one routing are created in one batch; the rest one by one."""
        repairs = [c for c in commands if c.kind == "open_repair"]
        if repairs:
            self._open_repairs(repairs)
        rest = [c for c in commands if c.kind != "open_repair"]
        return super()._aftersales_execute_all(rest) if rest else None

    def _aftersales_cmd_open_repair(self, command):
        self._open_repairs([command])

    def _prepare_repair_vals(self, line, command, receipt):
        returns = self.warehouse_id._aftersales_returns_location()
        return {
            "product_id": line.product_id.id,
            "product_qty": command.item.quantity,
            "lot_id": line.lot_id.id,
            "partner_id": self.partner_id.id,
            "under_warranty": command.under_warranty,
            "picking_type_id": self.warehouse_id.repair_type_id.id,
            "product_location_src_id": returns.id,
            "product_location_dest_id": returns.id,
            "picking_id": receipt.id,
            "aftersales_return_id": self.id,
            "aftersales_line_id": line.id,
            "company_id": self.company_id.id,
            "internal_notes": line.problem or self.reason,
        }

    def _open_repairs(self, commands):
        done = set(self.repair_ids.filtered(lambda r: r.state != "cancel").aftersales_line_id.ids)
        receipt = self.picking_ids.filtered(lambda p: p.picking_type_code == "incoming" and p.state == "done")[:1]
        vals_list = []
        for command in commands:
            line = self._line(command.item.ref)
            if line.id in done:
                continue  # a second click creates no second repair order
            vals_list.append(self._prepare_repair_vals(line, command, receipt))
        if vals_list:
            repairs = self.env["repair.order"].with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
            ).create(vals_list)
            repairs._message_log_batch(bodies={r.id: self._origin_note(r.aftersales_line_id) for r in repairs})

    def _rework_bom(self, product):
        """An archived rework BOM: the returned product (plus parts) gives the repaired product.

        Archived, so that normal replenishment never picks it and the BOM cycle check
        (which skips inactive BOMs) accepts a product that consumes itself.
        """
        Bom = self.env["mrp.bom"].with_context(active_test=False)
        bom = Bom.search([("product_id", "=", product.id), ("code", "=", "REWORK"), ("active", "=", False),
                          ("company_id", "in", (False, self.company_id.id))], limit=1)
        if not bom:
            bom = Bom.create({
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_id": product.id,
                "code": "REWORK",
                "type": "normal",
                "active": False,
                "company_id": self.company_id.id,
                "bom_line_ids": [Command.create({"product_id": product.id, "product_qty": 1.0})],
            })
        return bom

    def _origin_note(self, line):
        """The chatter note of a document made for a return line: its case and problem."""
        return Markup("%s <a href=\"#\" data-oe-model=\"aftersales.return\" data-oe-id=\"%s\">%s</a>: %s") % (
            self.env._("Created for the customer return"), self.id, self.name, line.problem or self.reason or "",
        )

    def _prepare_rework_vals(self, line, command, bom):
        returns = self.warehouse_id._aftersales_returns_location()
        return {
            "product_id": line.product_id.id,
            "product_qty": command.item.quantity,
            "bom_id": bom.id,
            "origin": self.name,
            "picking_type_id": self.warehouse_id.manu_type_id.id,
            "location_src_id": returns.id,
            "location_dest_id": returns.id,
            "aftersales_return_id": self.id,
            "aftersales_line_id": line.id,
            "company_id": self.company_id.id,
        }

    def _aftersales_cmd_start_rework(self, command):
        line = self._line(command.item.ref)
        if self.production_ids.filtered(lambda p: p.aftersales_line_id == line and p.state != "cancel"):
            return  # this line's rework order exists
        bom = self.env["mrp.bom"].browse(int(command.bom)) if command.bom else self._rework_bom(line.product_id)
        production = self.env["mrp.production"].create(self._prepare_rework_vals(line, command, bom))
        production._message_log(body=self._origin_note(line))
        production.action_confirm()
        if line.lot_id and line.product_id.tracking != "none":
            # The returned lot is consumed and comes out reworked under the same lot.
            production.lot_producing_id = line.lot_id
            returned = production.move_raw_ids.filtered(lambda m: m.product_id == line.product_id)
            returned.aftersales_line_id = line
            self._lots_on_moves(returned)

    def _aftersales_cmd_request_bom(self, command):
        """R2: the quality exception order (stored by the routing) goes to R&D as a to-do."""
        refs = set(command.line_refs)
        orders = self.quality_exception_ids.filtered(
            lambda q: str(q.id) == command.item.ref or {str(i) for i in q.line_ids.ids} == refs
        )
        rnd = self.env.ref("odoo_addon_aftersales.group_aftersales_rnd").users.filtered(
            lambda u: self.company_id in u.company_ids
        )[:1]
        for order in orders:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Rework BOM needed (R2)"),
                note=self.env._(
                    "Quality exception on %(item)s: %(defect)s", item=order.product_name, defect=command.defect
                ),
                user_id=(rnd or self.env.user).id,
            )

    def _prepare_charge_invoice_vals(self, command):
        lines = []
        for part in command.parts:
            move = self.env["stock.move"].browse(int(part.ref)) if part.ref else self.env["stock.move"]
            if not move:
                raise UserError(self.env._(
                    "%(record)s: the charged part %(part)s has no ref", record=self.display_name, part=part.product
                ))
            lines.append(Command.create({
                "product_id": move.product_id.id,
                "quantity": part.quantity,
                "price_unit": move.product_id.lst_price,
                "name": self.env._(
                    "%(part)s replaced on %(ref)s (R7)",
                    part=move.product_id.display_name,
                    ref=move.repair_id.name or self.name,
                ),
            }))
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            "aftersales_return_id": self.id,
            "invoice_line_ids": lines,
        }

    def _aftersales_cmd_charge_parts(self, command):
        """R7: the parts the command carries go on a posted customer invoice."""
        invoice = self.env["account.move"].create(self._prepare_charge_invoice_vals(command))
        invoice.action_post()

    def _aftersales_cmd_ship_back(self, command):
        """The repaired goods go back by a delivery of the warehouse, validated by a
        warehouse user as any delivery is."""
        if self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"):
            return
        warehouse = self.warehouse_id
        self._transfer(
            warehouse.out_type_id, warehouse._aftersales_returns_location(),
            self.partner_id.property_stock_customer, command.items, validate=False,
        )

    def _aftersales_cmd_move_to_refurbished(self, command):
        warehouse = self.warehouse_id
        self._transfer(
            warehouse.int_type_id, warehouse._aftersales_returns_location(),
            warehouse._aftersales_refurbished_location(), command.items,
        )

    def _aftersales_cmd_restock_for_resale(self, command):
        """R6 approved by the core: refurbished goods go to the warehouse's sellable stock."""
        warehouse = self.warehouse_id
        self._transfer(
            warehouse.int_type_id, warehouse._aftersales_refurbished_location(),
            warehouse.lot_stock_id, command.items,
        )

    def _aftersales_cmd_issue_credit_note(self, command):
        """A credit note reversing the original invoices for the items' quantities, paid
        out to the customer when the command says so (settlement "payment")."""
        if self.invoice_ids.filtered(lambda m: m.move_type == "out_refund" and m.state != "cancel"):
            return
        returned = defaultdict(float)
        for item in command.items:
            returned[self._line(item.ref).sale_line_id.id] += item.quantity
        sale_lines = self.env["sale.order.line"].browse(list(returned))
        invoices = sale_lines.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not invoices:
            raise UserError(self.env._("No posted invoice to refund for %s: invoice the sale order first.", self.name))
        refunds = invoices._reverse_moves([self._prepare_credit_note_vals(inv) for inv in invoices])
        # One write per credit note (not per line): the move is recomputed once.
        for refund in refunds:
            commands = []
            for refund_line in refund.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"):
                qty = sum(returned.get(sl.id, 0.0) for sl in refund_line.sale_line_ids)
                if not qty:
                    commands.append(Command.unlink(refund_line.id))
                    continue
                take = min(qty, refund_line.quantity)
                for sl in refund_line.sale_line_ids:
                    returned[sl.id] = max(0.0, returned.get(sl.id, 0.0) - take)
                if take != refund_line.quantity:
                    commands.append(Command.update(refund_line.id, {"quantity": take}))
            if commands:
                refund.write({"invoice_line_ids": commands})
        refunds.write({"aftersales_return_id": self.id})
        refunds.action_post()
        if command.pay_out:
            self._pay_out(refunds)

    def _prepare_credit_note_vals(self, invoice):
        return {"ref": self.env._("Refund return %s", self.name), "invoice_date": fields.Date.context_today(self)}

    def _prepare_refund_payment_vals(self, refunds):
        return {
            "payment_type": "outbound",
            "partner_type": "customer",
            "partner_id": self.partner_id.commercial_partner_id.id,
            "amount": sum(refunds.mapped("amount_total")),
            "currency_id": self.company_id.currency_id.id,
            "company_id": self.company_id.id,
            "memo": self.env._("Refund of return %s", self.name),
            "aftersales_return_id": self.id,
        }

    def _pay_out(self, refunds):
        """Settlement "payment": a posted outbound payment of the refund to the customer."""
        payment = self.env["account.payment"].create(self._prepare_refund_payment_vals(refunds))
        payment.action_post()

    def _prepare_deduction_vals(self, command):
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )
        return {
            "move_type": "out_refund",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "invoice_origin": self.name,
            "ref": self.env._("Deduction on return %s", self.name),
            "aftersales_return_id": self.id,
            "invoice_line_ids": [Command.create({
                "name": command.note or self.env._("Deduction on return %s", self.name),
                "quantity": 1,
                "price_unit": float(command.amount),
                "account_id": journal.default_account_id.id,
                "tax_ids": [Command.clear()],
            })],
        }

    def _aftersales_cmd_record_deduction(self, command):
        """A deduction is a posted credit note of the deducted amount."""
        deduction = self.env["account.move"].create(self._prepare_deduction_vals(command))
        deduction.action_post()

    # --- helpers ------------------------------------------------------------------------

    def _prepare_transfer_vals(self, picking_type, source, destination, items):
        moves = []
        for item in items:
            line = self._line(item.ref)
            moves.append(Command.create({
                "name": self.name,
                "product_id": line.product_id.id,
                "product_uom_qty": item.quantity,
                "product_uom": line.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "aftersales_line_id": line.id,
            }))
        return {
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "aftersales_return_id": self.id,
            "company_id": self.company_id.id,
            "move_ids": moves,
        }

    def _transfer(self, picking_type, source, destination, items, validate=True):
        picking = self.env["stock.picking"].create(
            self._prepare_transfer_vals(picking_type, source, destination, items)
        )
        picking.action_confirm()
        picking.action_assign()
        self._lots_on_moves(picking.move_ids)
        if validate:
            # Reserved in full by action_assign as a rule: only a short move is topped up.
            short = picking.move_ids.filtered(
                lambda m: not m.move_line_ids.lot_id and m.quantity != m.product_uom_qty
            )
            for move in short:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        return picking

    # --- smart buttons ------------------------------------------------------------------

    def _action_view(self, xmlid, records):
        """A smart button's window on ``records`` (their ids read as superuser: Odoo's own
        access rules still decide what the user sees in the window)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("id", "in", records.sudo().ids)]
        action["context"] = {}
        return action

    def action_view_pickings(self):
        return self._action_view("stock.action_picking_tree_all", self.sudo().picking_ids)

    def action_view_repairs(self):
        return self._action_view("repair.action_repair_order_tree", self.sudo().repair_ids)

    def action_view_productions(self):
        return self._action_view("mrp.mrp_production_action", self.sudo().production_ids)

    def action_view_invoices(self):
        return self._action_view("account.action_move_out_invoice_type", self.sudo().invoice_ids)

    def action_view_payments(self):
        return self._action_view("account.action_account_payments", self.sudo().payment_ids)

    def action_view_quality_exceptions(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "odoo_addon_aftersales.aftersales_quality_exception_action"
        )
        action["domain"] = [("id", "in", self.quality_exception_ids.ids)]
        return action

    # --- customer mails (aftersales_customer_mail.py) -----------------------------------

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
