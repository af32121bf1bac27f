# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal

from aftersales_core import Role
from aftersales_core.forms import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
    Signature,
    StockInForm,
)
from aftersales_core.rules.warranty import FREE_REPAIR, FREE_REPLACEMENT, REFUND, warranty_decision
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

from odoo import Command, _, api, fields, models
from markupsafe import Markup

from odoo.exceptions import UserError

from .aftersales_workflow_mixin import workflow_state_selection as workflow_selection


def _utc(value):
    return value.replace(tzinfo=timezone.utc) if value else None


def _return_states():
    seen = dict(workflow_selection(RETURN_FOR_REPAIR))
    seen.update(workflow_selection(REFUND_RETURN))
    return list(seen.items())


class AftersalesReturn(models.Model):
    """Customer Return Tracking Form + Return Form: a customer return for repair or refund.

    States, guards and routing come from the core workflows RETURN_FOR_REPAIR and
    REFUND_RETURN; this model builds their form from the record and carries out the
    commands with return pickings, repair orders, rework manufacturing orders, credit
    notes and stock transfers.
    """

    _name = "aftersales.return"
    _description = "Customer return"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    purpose = fields.Selection(
        [("repair", "Return for repair"), ("refund", "Refund return")], required=True, default="repair",
        tracking=True,
    )
    state = fields.Selection(_return_states(), default="draft", required=True, readonly=True, tracking=True, copy=False)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, tracking=True)
    user_id = fields.Many2one("res.users", string="Salesperson", default=lambda self: self.env.user)
    ticket_id = fields.Many2one("aftersales.ticket", string="Complaint", index=True)
    reason = fields.Text(required=True, default="")
    requested_at = fields.Datetime(required=True, default=fields.Datetime.now)
    delivered_at = fields.Datetime(compute="_compute_delivered_at", store=True)
    line_ids = fields.One2many("aftersales.return.line", "return_id", string="Lines", copy=True)
    acceptance = fields.Char(readonly=True, copy=False, help="R4 decision.")
    accepted_by = fields.Char(readonly=True, copy=False)
    route = fields.Selection(
        [("after_sales", "After-sales repair"), ("production", "Production rework"),
         ("quality_exception", "Quality exception")],
        readonly=True, copy=False, tracking=True,
    )
    needs_design_change = fields.Boolean(help="R2: a large return needing a design change goes to R&D.")
    test_findings = fields.Text()
    under_warranty = fields.Boolean(help="R10: repairs are free under warranty.")
    repairs_done = fields.Text()
    charges = fields.Monetary(readonly=True, copy=False, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    qe_defect = fields.Text(string="Quality exception: defect", readonly=True, copy=False)
    rework_bom_id = fields.Many2one("mrp.bom", string="Rework BOM", copy=False, help="R&D's answer to the quality exception (R2).")
    stock_in_filled_by = fields.Char(readonly=True, copy=False)
    stock_in_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    stock_in_approved_at = fields.Datetime(readonly=True, copy=False)
    settlement = fields.Selection([("credit_note", "Credit note"), ("deduction", "Deduction"), ("payment", "Payment")])
    deduction_amount = fields.Monetary(currency_field="currency_id")
    shipped_back_at = fields.Datetime(readonly=True, copy=False)
    picking_ids = fields.One2many("stock.picking", "aftersales_return_id", string="Transfers")
    repair_ids = fields.One2many("repair.order", "aftersales_return_id", string="Repairs")
    production_ids = fields.One2many("mrp.production", "aftersales_return_id", string="Rework orders")
    invoice_ids = fields.One2many("account.move", "aftersales_return_id", string="Credit notes")
    picking_count = fields.Integer(compute="_compute_counts")
    repair_count = fields.Integer(compute="_compute_counts")
    production_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")

    @property
    def _aftersales_workflow(self):
        return RETURN_FOR_REPAIR if self.purpose == "repair" else REFUND_RETURN

    @api.depends("state", "purpose")
    def _compute_aftersales_actions(self):
        # The workflow depends on the purpose too.
        return super()._compute_aftersales_actions()

    @api.depends("line_ids.move_id.date")
    def _compute_delivered_at(self):
        for rec in self:
            dates = rec.line_ids.move_id.mapped("date")
            rec.delivered_at = min(dates) if dates else False

    @api.depends("picking_ids", "repair_ids", "production_ids", "invoice_ids")
    def _compute_counts(self):
        for rec in self:
            rec.picking_count = len(rec.picking_ids)
            rec.repair_count = len(rec.repair_ids)
            rec.production_count = len(rec.production_ids)
            rec.invoice_count = len(rec.invoice_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.return") or "/"
        return super().create(vals_list)

    # --- the core form --------------------------------------------------------------

    def _received_by_line(self):
        """Quantity received per return line, from the done moves of our return pickings."""
        self.ensure_one()
        received = defaultdict(float)
        # Read as superuser: R&D or quality users move a return without stock rights.
        moves = self.sudo().picking_ids.filtered(lambda p: p.picking_type_code == "incoming").move_ids
        for move in moves.filtered(lambda m: m.state == "done"):
            received[move.origin_returned_move_id.id] += move.quantity
        return {line.id: int(received.get(line.move_id.id, 0)) for line in self.line_ids}

    def _core_lines(self, received=None):
        received = received if received is not None else {line.id: line.received_quantity for line in self.line_ids}
        return tuple(
            ReturnLine(
                product=line.product_id.display_name,
                product_class=line.product_class,
                quantity=line.quantity,
                received_quantity=min(received.get(line.id, 0), line.quantity),
                lot=line.lot_id.name or "",
                problem=line.problem or "",
                sale_order=line.sale_line_id.order_id.name or "",
                failure_category=line.category_id.name or "",
            )
            for line in self.line_ids
        )

    def _replaced_parts(self, recorded_only=True):
        all_repairs = self.sudo().repair_ids
        repairs = all_repairs.filtered("aftersales_parts_recorded") if recorded_only else all_repairs
        parts = repairs.move_ids.filtered(lambda m: m.repair_line_type == "add" and m.state != "cancel")
        return tuple(
            ReplacedPart(
                product=m.product_id.display_name,
                quantity=max(1, int(m.product_uom_qty)),
                under_warranty=bool(m.repair_id.under_warranty),
                unit_price=Decimal(str(m.product_id.lst_price)),
            )
            for m in parts
        )

    def _aftersales_to_form(self):
        """The core form, read as superuser: the actor's rights are checked by the core's
        roles, and an R&D or quality user need not read pickings and moves itself."""
        self.ensure_one()
        return self.sudo()._build_form()

    def _build_form(self):
        qe = None
        if self.route == "quality_exception" or self.qe_defect:
            qe = QualityExceptionOrder(
                product=", ".join(self.line_ids.product_id.mapped("display_name")) or "?",
                quantity=max(1, sum(self.line_ids.mapped("received_quantity"))),
                defect=self.qe_defect or "design change needed",
                rework_bom=self.rework_bom_id.sudo().code or self.rework_bom_id.sudo().display_name or "",
            )
        stock_in = None
        if self.stock_in_filled_by:
            received = [ln for ln in self._core_lines() if ln.received_quantity]
            approval = None
            if self.stock_in_approved_by_id:
                approval = Signature(
                    role=Role.GENERAL_MANAGER, user=self.stock_in_approved_by_id.login,
                    at=_utc(self.stock_in_approved_at),
                )
            stock_in = StockInForm(
                items=tuple(ln.model_copy(update={"quantity": ln.received_quantity}) for ln in received),
                filled_by=self.stock_in_filled_by,
                approval=approval,
            )
        return ReturnTrackingForm(
            number=self.name,
            state=self.state,
            purpose=self.purpose,
            customer=self.partner_id.display_name,
            salesperson=self.user_id.login or "",
            deliveries=tuple(self.line_ids.move_id.picking_id.mapped("name")),
            delivered_at=_utc(self.delivered_at),
            complaint=self.ticket_id.name or "",
            lines=self._core_lines(),
            return_form=ReturnForm(
                requested_at=_utc(self.requested_at),
                reason=self.reason or _("(no reason given)"),
                acceptance=self.acceptance or "",
                accepted_by=self.accepted_by or "",
                settlement=self.settlement or "",
                deduction_amount=Decimal(str(self.deduction_amount)) if self.deduction_amount else None,
            ),
            test_findings=self.test_findings or "",
            needs_design_change=self.needs_design_change,
            route=self.route or "",
            quality_exception=qe,
            repairs_done=self.repairs_done or "",
            replaced_parts=self._replaced_parts(),
            under_warranty=self.under_warranty,
            charges=Decimal(str(self.charges or 0)),
            stock_in=stock_in,
            shipped_back_at=_utc(self.shipped_back_at),
        )

    def _aftersales_values_from_form(self, changes):
        """Store what the core workflow changed on the return tracking form."""
        vals = {}
        for name, value in changes.items():
            if name in ("route", "repairs_done", "test_findings"):
                vals[name] = value or False
            elif name in ("needs_design_change", "under_warranty"):
                vals[name] = bool(value)
            elif name == "charges":
                vals["charges"] = float(value or 0)
            elif name == "return_form" and value:
                vals["acceptance"] = value.get("acceptance") or False
                vals["accepted_by"] = value.get("accepted_by") or False
            elif name == "quality_exception" and value and not self.qe_defect:
                vals["qe_defect"] = value.get("defect")
            elif name == "stock_in" and value:
                vals["stock_in_filled_by"] = value.get("filled_by")
                if value.get("approval") and not self.stock_in_approved_by_id:
                    vals["stock_in_approved_by_id"] = self.env.user.id
                    vals["stock_in_approved_at"] = fields.Datetime.now()
            elif name == "shipped_back_at" and value:
                vals["shipped_back_at"] = fields.Datetime.now()
            # lines (received quantities) and replaced_parts are read from Odoo documents
        return vals

    # --- buttons ----------------------------------------------------------------------

    def action_submit(self):
        for rec in self:
            rec._aftersales_apply("submit")

    def action_accept(self):
        for rec in self:
            rec._aftersales_apply("accept")

    def action_refuse(self):
        for rec in self:
            rec._aftersales_apply("refuse")

    def action_cancel(self):
        for rec in self:
            rec._aftersales_apply("cancel")
            # The core allowed it (nothing received yet): the expected receipt goes too.
            rec.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()

    def action_close_receipt(self):
        for rec in self:
            rec._aftersales_apply("close_receipt")
            rec._aftersales_system_apply("route", params=rec._warranty_params())

    def action_route(self):
        for rec in self:
            rec._aftersales_apply("route", params=rec._warranty_params())

    def _warranty_params(self):
        """R10 on routing: is the return still under warranty (repairs free)?

        Asked of the core from the delivery date and the product category, with the cause
        still undetermined (treated as the company's until testing decides). The decision's
        reasons go to the chatter.
        """
        self.ensure_one()
        if not self.delivered_at:
            return {}
        category = self.line_ids[:1].product_id.categ_id.name
        decision = warranty_decision(
            _utc(self.delivered_at), datetime.now(timezone.utc), category, "unknown",
            policy=self.company_id._aftersales_policy(),
        )
        self.message_post(
            body=Markup("<b>%s → %s</b>: %s") % (decision.rule, decision.outcome, " ".join(decision.reasons)),
            subtype_xmlid="mail.mt_note",
        )
        return {"under_warranty": decision.outcome in (FREE_REPAIR, FREE_REPLACEMENT, REFUND)}

    def action_issue_bom(self):
        for rec in self:
            if not rec.rework_bom_id:
                raise UserError(_("rework_bom_id: R&D must choose the rework BOM first (R2)."))
            qe = rec._aftersales_to_form().quality_exception
            rec._aftersales_apply("issue_bom", params={"quality_exception": qe})

    def action_finish_repair(self):
        for rec in self:
            open_repairs = rec.repair_ids.filtered(lambda r: r.state not in ("done", "cancel"))
            if open_repairs:
                raise UserError(_("Finish the repair orders first: %s", ", ".join(open_repairs.mapped("name"))))
            summary = rec.repairs_done or ", ".join(rec.repair_ids.mapped("name")) or _("repaired")
            rec._aftersales_apply(
                "finish_repair",
                params={"repairs_done": summary, "replaced_parts": rec._replaced_parts(recorded_only=False)},
            )
            rec.repair_ids.aftersales_parts_recorded = True

    def action_finish_rework(self):
        for rec in self:
            open_mos = rec.production_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            if open_mos:
                raise UserError(_("Finish the rework orders first: %s", ", ".join(open_mos.mapped("name"))))
            summary = rec.repairs_done or ", ".join(rec.production_ids.mapped("name")) or _("reworked")
            rec._aftersales_apply("finish_rework", params={"repairs_done": summary})

    def action_pass_inspection(self):
        for rec in self:
            rec._aftersales_apply("pass_inspection")

    def action_fail_inspection(self):
        for rec in self:
            rec._aftersales_apply("fail_inspection", params={"test_findings": rec.test_findings or ""})

    def action_ship_back(self):
        for rec in self:
            rec._aftersales_apply("ship_back")

    def action_stock_in(self):
        for rec in self:
            rec._aftersales_apply("stock_in")

    def action_approve_stock_in(self):
        for rec in self:
            rec._aftersales_apply("approve_stock_in")

    def action_settle(self):
        for rec in self:
            rec._aftersales_apply("settle")

    def action_close(self):
        for rec in self:
            rec._aftersales_apply("close")

    def _aftersales_system_apply(self, action, params=None):
        """An automatic step, triggered by a validated document: the user plus SYSTEM."""
        return self._aftersales_apply(action, params=params, system=True)

    # --- receipt (called when a return picking is validated) -----------------------------

    def _aftersales_on_receipt(self):
        for rec in self.filtered(lambda r: r.state in ("accepted", "partially_received")):
            received = rec._received_by_line()
            rec._aftersales_system_apply("receive", params={"lines": rec._core_lines(received)})
            for line in rec.line_ids:
                line.received_quantity = min(received.get(line.id, 0), line.quantity)
            if rec.state == "received":
                rec._aftersales_system_apply("route", params=rec._warranty_params())

    # --- commands -----------------------------------------------------------------------

    def _aftersales_cmd_receive_return(self, command):
        """A return picking of each original delivery, through Odoo's return wizard."""
        if self.picking_ids.filtered(lambda p: p.state != "cancel" and p.picking_type_code == "incoming"):
            return  # already created: a second click creates nothing
        by_picking = defaultdict(lambda: self.env["aftersales.return.line"])
        for line in self.line_ids:
            by_picking[line.move_id.picking_id] |= line
        pickings = self.env["stock.picking"]
        for picking, lines in by_picking.items():
            wizard = self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            ).create({"picking_id": picking.id})
            wanted = defaultdict(float)
            for line in lines:
                wanted[line.move_id.id] += line.quantity
            for wline in wizard.product_return_moves:
                wline.quantity = wanted.get(wline.move_id.id, 0.0)
            pickings |= wizard._create_return()
        pickings.write({"aftersales_return_id": self.id})

    def _aftersales_execute_all(self, commands):
        """Repair orders of one routing are created in one batch; the rest one by one."""
        repairs = [c for c in commands if c.kind == "open_repair"]
        if repairs:
            self._open_repairs(repairs)
        for command in commands:
            if command.kind != "open_repair":
                self._aftersales_execute(command)

    def _aftersales_cmd_open_repair(self, command):
        self._open_repairs([command])

    def _open_repairs(self, commands):
        existing = self.sudo().repair_ids.filtered(lambda r: r.state != "cancel")
        done = {(r.product_id.id, r.lot_id.id) for r in existing}
        receipt = self.picking_ids.filtered(lambda p: p.picking_type_code == "incoming" and p.state == "done")[:1]
        index = self._line_index()
        vals_list = []
        for command in commands:
            line = self._line_for(command.item, index)
            if (line.product_id.id, line.lot_id.id) in done:
                continue  # a second click creates no second repair order
            vals_list.append({
                "product_id": line.product_id.id,
                "product_qty": command.item.quantity,
                "lot_id": line.lot_id.id,
                "partner_id": self.partner_id.id,
                "under_warranty": command.under_warranty,
                "picking_id": receipt.id,
                "aftersales_return_id": self.id,
                "company_id": self.company_id.id,
                "repair_request": line.problem or self.reason,
            })
        if vals_list:
            # One batch; the return's chatter already records the step, so the repair
            # orders skip their own creation note and follower subscription.
            self.env["repair.order"].sudo().with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
            ).create(vals_list)

    def _rework_bom(self, product):
        """An archived rework BOM: the returned product (plus parts) gives the repaired product.

        Archived, so that normal replenishment never picks it and the BOM cycle check
        (which skips inactive BOMs) accepts a product that consumes itself.
        """
        Bom = self.env["mrp.bom"].sudo().with_context(active_test=False)
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

    def _aftersales_cmd_start_rework(self, command):
        line = self._line_for(command.item)
        if self.sudo().production_ids.filtered(lambda p: p.product_id == line.product_id and p.state != "cancel"):
            return
        bom = self.rework_bom_id if command.bom and self.rework_bom_id else self._rework_bom(line.product_id)
        # The core authorised this step (R&D may issue the BOM without manufacturing rights).
        production = self.env["mrp.production"].sudo().create({
            "product_id": line.product_id.id,
            "product_qty": command.item.quantity,
            "bom_id": bom.id,
            "origin": self.name,
            "aftersales_return_id": self.id,
            "company_id": self.company_id.id,
        })
        production.action_confirm()

    def _aftersales_cmd_request_bom(self, command):
        if self.activity_ids.filtered(lambda a: a.summary == _("Rework BOM needed (R2)")):
            return
        rnd = self.env.ref("odoo_addon_aftersales.group_aftersales_rnd").users[:1]
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Rework BOM needed (R2)"),
            note=_("Quality exception on %(item)s: %(defect)s", item=command.item.product, defect=command.defect),
            user_id=(rnd or self.env.user).id,
        )

    def _aftersales_cmd_charge_parts(self, command):
        """R7: the replaced parts go on a quotation through Odoo's repair-to-sale flow."""
        for repair in self.repair_ids.filtered(lambda r: not r.sale_order_id and r.move_ids):
            repair.action_create_sale_order()

    def _aftersales_cmd_ship_back(self, command):
        if self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"):
            return
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)], limit=1)
        self._internal_transfer(
            warehouse.out_type_id, warehouse.lot_stock_id, self.partner_id.property_stock_customer,
            command.items, validate=False,
        )

    def _aftersales_cmd_move_to_refurbished(self, command):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)], limit=1)
        self._internal_transfer(warehouse.int_type_id, warehouse.lot_stock_id, self._refurbished_location(), command.items)

    def _aftersales_cmd_restock_for_resale(self, command):
        if not self.env.user.has_group("odoo_addon_aftersales.group_aftersales_general_manager") and self.company_id.aftersales_resale_requires_gm_approval:
            raise UserError(_("R6: only a general manager approves the stock-in form."))
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company_id.id)], limit=1)
        self._internal_transfer(warehouse.int_type_id, self._refurbished_location(), warehouse.lot_stock_id, command.items)

    def _aftersales_cmd_issue_credit_note(self, command):
        """A credit note reversing the original invoices for the returned quantities."""
        if self.invoice_ids.filtered(lambda m: m.state != "cancel"):
            return
        returned = defaultdict(float)
        for line in self.line_ids:
            returned[line.sale_line_id.id] += line.received_quantity
        invoices = self.line_ids.sale_line_id.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not invoices:
            raise UserError(_("No posted invoice to refund for %s: invoice the sale order first.", self.name))
        refunds = invoices._reverse_moves([
            {"ref": _("Refund return %s", self.name), "invoice_date": fields.Date.context_today(self)}
            for _inv in invoices
        ])
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

    def _aftersales_cmd_record_deduction(self, command):
        self.message_post(
            body=_("Deduction of %(amount)s decided by the business: %(note)s", amount=command.amount, note=command.note),
            subtype_xmlid="mail.mt_note",
        )

    # --- helpers ------------------------------------------------------------------------

    def _line_index(self):
        return {(line.product_id.display_name, line.lot_id.name or None): line for line in self.line_ids}

    def _line_for(self, item, index=None):
        line = (index if index is not None else self._line_index()).get((item.product, item.lot))
        if line is None:
            raise UserError(_("No return line for %s", item.product))
        return line

    def _refurbished_location(self):
        return self.env.ref("odoo_addon_aftersales.stock_location_refurbished")

    def _internal_transfer(self, picking_type, source, destination, items, validate=True):
        moves = []
        index = self._line_index()
        for item in items:
            line = self._line_for(item, index)
            moves.append(Command.create({
                "name": self.name,
                "product_id": line.product_id.id,
                "product_uom_qty": item.quantity,
                "product_uom": line.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }))
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "aftersales_return_id": self.id,
            "company_id": self.company_id.id,
            "move_ids": moves,
        })
        picking.action_confirm()
        picking.action_assign()
        if validate:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        return picking

    # --- smart buttons ------------------------------------------------------------------

    def _action_view(self, xmlid, records):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {}
        return action

    def action_view_pickings(self):
        return self._action_view("stock.action_picking_tree_all", self.picking_ids)

    def action_view_repairs(self):
        return self._action_view("repair.action_repair_order_tree", self.repair_ids)

    def action_view_productions(self):
        return self._action_view("mrp.mrp_production_action", self.production_ids)

    def action_view_invoices(self):
        return self._action_view("account.action_move_out_refund_type", self.invoice_ids)
