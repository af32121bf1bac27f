# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Order processing (SPEC workflow 7, R14-R18, R27): a sale order as after-sales follows it.

``sale.order`` keeps Odoo's own ``state``; the core's order workflow runs on a companion
record, ``aftersales.order`` (one per confirmed sale order), whose ``state`` is the
core's. Odoo's documents move it: confirming the order (R18, R27), confirming its
manufacturing orders (R15), registering payments (R14/R15), validating its deliveries
(R14, R15, R16), a cancellation by phone (R17), an exception on the way (R27).
"""

from datetime import datetime, timezone
from decimal import Decimal

from aftersales_core.forms import OrderRecord
from aftersales_core.roles import Role
from aftersales_core.workflows.order_processing import ORDER_PROCESSING
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .aftersales_seam import (
    CHAR,
    DATETIME,
    DERIVED,
    FLAG,
    MONEY,
    NAME,
    Converter,
    FormField,
    UserRef,
)
from .aftersales_workflow_mixin import workflow_state_selection


class _Texts(Converter):
    """A tuple of texts <-> one line each in a Text field."""

    def to_core(self, record, path):
        return tuple(line for line in (record[path] or "").split("\n") if line.strip())

    def to_odoo(self, record, value):
        return "\n".join(value) or False


class _Date(Converter):
    def to_core(self, record, path):
        return record[path] or None

    def to_odoo(self, record, value):
        return value or False


class _Stable(Converter):
    """R14: the customer's low-volume / unstable mark, as the core's ``customer_stable``."""

    writable = False

    def to_core(self, record, path):
        return not super().to_core(record, path)


ORDER_MAP = (
    FormField("customer", "partner_id", NAME),
    FormField("product", "_aftersales_product", DERIVED),
    FormField("quantity", "_aftersales_quantity", DERIVED),
    FormField("amount", "amount", MONEY),
    FormField("paid", "paid", MONEY),
    FormField("paid_at", "paid_at", DATETIME),
    FormField("engineering", "sale_order_id.aftersales_engineering", FLAG),
    FormField("urgent", "sale_order_id.aftersales_urgent", FLAG),
    FormField("credit_limit", "_aftersales_credit_limit", DERIVED),
    FormField("open_balance", "_aftersales_open_balance", DERIVED),
    FormField("customer_stable", "partner_id.commercial_partner_id.aftersales_unstable", _Stable()),
    FormField("arrears_guarantee", "arrears_guarantee", FLAG),
    FormField("committed_payment_date", "committed_payment_date", _Date()),
    FormField("ship_date", "ship_date", _Date()),
    FormField("delivery_location", "delivery_location", CHAR),
    FormField("location_changes", "location_changes", _Texts()),
    FormField("cancellation_note", "cancellation_note", CHAR),
    FormField("cancelled_by", "cancelled_by_id", UserRef()),
    FormField("cancelled_at", "cancelled_at", DATETIME),
    FormField("similar_orders", "similar_orders", _Texts()),
    FormField("project_registered_by", "project_registered_by_id", UserRef()),
    FormField("reminded_on", "reminded_on", _Date()),
    FormField("scheduled_ship_at", "scheduled_ship_at", DATETIME),
    FormField("logistics_exception", "exception_note", CHAR),
    FormField("logistics_exceptions", "logistics_exceptions", _Texts()),
)

# The states from which an order still moves (no delivery, no cancellation yet).
OPEN_STATES = ("confirmed", "in_production", "ready", "held")


class AftersalesOrder(models.Model):
    """The order record of the core's order processing workflow, one per sale order."""

    _name = "aftersales.order"
    _description = "Order follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    _aftersales_workflow = ORDER_PROCESSING
    _aftersales_form_type = OrderRecord

    sale_order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    name = fields.Char(related="sale_order_id.name", store=True)
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", store=True)
    user_id = fields.Many2one(related="sale_order_id.user_id", string="Salesperson")
    currency_id = fields.Many2one(related="sale_order_id.currency_id")
    state = fields.Selection(
        workflow_state_selection(ORDER_PROCESSING),
        default=ORDER_PROCESSING.initial,
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    amount = fields.Monetary(related="sale_order_id.amount_total")
    paid = fields.Monetary(readonly=True, copy=False, help="Paid on the order's invoices (R14/R15).")
    paid_at = fields.Datetime(readonly=True, copy=False, help="When the last payment arrived.")
    arrears_guarantee = fields.Boolean(readonly=True, copy=False, tracking=True)
    committed_payment_date = fields.Date(
        copy=False, tracking=True, help="R14: the payment date the customer committed to."
    )
    ship_date = fields.Date(readonly=True, copy=False, help="The day the order is due to ship.")
    delivery_location = fields.Char(readonly=True, copy=False, tracking=True)
    location_changes = fields.Text(readonly=True, copy=False, help="R16: registered changes.")
    cancellation_note = fields.Text(copy=False, tracking=True, help="R17: why the customer cancelled.")
    cancelled_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    cancelled_at = fields.Datetime(readonly=True, copy=False)
    similar_orders = fields.Text(readonly=True, copy=False, help="R18: similar batches under way.")
    project_registered_by_id = fields.Many2one(
        "res.users", string="Project registered by", readonly=True, copy=False,
        help="R15: the duty manager who signed the project registration.",
    )
    reminded_on = fields.Date(readonly=True, copy=False, help="R14: reminder of the unpaid order.")
    scheduled_ship_at = fields.Datetime(readonly=True, copy=False)
    exception_note = fields.Text(string="Logistics exception", copy=False, help="R27: the latest exception on the way.")
    logistics_exceptions = fields.Text(readonly=True, copy=False, help="R27")

    _sql_constraints = [
        ("sale_order_unique", "UNIQUE(sale_order_id)", "A sale order has one order follow-up."),
    ]

    # --- the core form ------------------------------------------------------------------

    def _aftersales_form_map(self):
        return ORDER_MAP

    def _goods_lines(self):
        return self.sale_order_id.order_line.filtered(
            lambda ln: not ln.display_type and not ln.is_downpayment and ln.product_id.type == "consu"
        )

    def _aftersales_product(self):
        names = sorted(set(self._goods_lines().product_id.mapped("display_name")))
        return ", ".join(names) or self.sale_order_id.name

    def _aftersales_quantity(self):
        return max(1, int(sum(self._goods_lines().mapped("product_uom_qty"))))

    def _aftersales_credit_limit(self):
        """R16 through Odoo's own setting and the customer's limit (0: no limit)."""
        company = self.company_id
        partner = self.partner_id.commercial_partner_id.with_company(company).sudo()
        if not company.account_use_credit_limit or not partner.credit_limit:
            return None
        return Decimal(str(partner.credit_limit))

    def _aftersales_open_balance(self):
        """What the customer owes besides this order's unpaid part: Odoo's receivable plus
        the confirmed orders still to invoice (as Odoo's credit warning counts them)."""
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        total = partner.credit + partner.credit_to_invoice
        unpaid_here = self.sale_order_id.amount_total - self.paid
        return Decimal(str(round(max(0.0, total - unpaid_here), 2)))

    # --- values read from Odoo's documents -----------------------------------------------

    def _paid_on_invoices(self):
        """Paid on the order's posted customer invoices (down payments included), from
        Odoo's own residuals: ``amount_total - amount_residual``, less refunds."""
        moves = self.sale_order_id.sudo().invoice_ids.filtered(lambda m: m.state == "posted")
        paid = sum((m.amount_total - m.amount_residual) for m in moves if m.move_type == "out_invoice")
        paid -= sum((m.amount_total - m.amount_residual) for m in moves if m.move_type == "out_refund")
        return min(max(paid, 0.0), self.sale_order_id.amount_total)

    def _local_today(self):
        zone = self.company_id._aftersales_policy().zone
        return datetime.now(timezone.utc).astimezone(zone).date()

    def _local_date(self, value):
        """The date of an Odoo (naive UTC) datetime in the company's after-sales zone."""
        zone = self.company_id._aftersales_policy().zone
        return value.replace(tzinfo=timezone.utc).astimezone(zone).date() if value else False

    def _deliveries(self):
        return self.sale_order_id.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )

    def _productions(self):
        return self.sale_order_id.sudo().mrp_production_ids  # sale_mrp's link

    def _scheduled_ship_at(self):
        dates = self._deliveries().mapped("scheduled_date")
        return min(dates).replace(tzinfo=timezone.utc) if dates else None

    # --- steps Odoo's documents take ---------------------------------------------------

    @api.model
    def _aftersales_on_confirm(self, orders):
        """Sale orders confirmed: their order records, the confirmation (R18: similar
        batches under way flagged) and, for orders from stock, the release of the delivery
        announced to the warehouse (R27). Engineering orders wait for their deposit (R15)."""
        orders = orders.filtered(lambda o: o.company_id.aftersales_order_processing)
        if not orders:
            return self.browse()
        existing = self.sudo().search([("sale_order_id", "in", orders.ids)])
        new = orders - existing.sale_order_id
        records = existing | self.sudo().create([{"sale_order_id": o.id} for o in new])
        under_way = self.sudo().search([
            ("state", "in", OPEN_STATES),
            ("company_id", "in", orders.company_id.ids),
            ("id", "not in", records.ids),
        ])
        for record in records.filtered(lambda r: r.state == "draft"):
            order = record.sale_order_id
            products = record._goods_lines().product_id
            similar = under_way.filtered(
                lambda r, p=products, c=order.company_id: r.company_id == c
                and r._goods_lines().product_id & p
            )
            due = order.commitment_date or order.expected_date
            params = {
                "similar_orders": tuple(similar.mapped("name")),
                "urgent": bool(order.aftersales_urgent),
                "ship_date": record._local_date(due) or None,
                "delivery_location": order.partner_shipping_id.display_name or "",
            }
            record._aftersales_apply("confirm", params, system=True)
            if not order.aftersales_engineering:
                record._aftersales_apply(
                    "prepare", {"scheduled_ship_at": record._scheduled_ship_at()}, system=True
                )
        return records

    def _aftersales_on_payment(self):
        """A payment was reconciled with one of the orders' invoices (R14/R15)."""
        now = datetime.now(timezone.utc)
        for record in self:
            paid = record._paid_on_invoices()
            if "record_payment" not in record._aftersales_workflow.actions_from(record.state):
                continue
            if round(paid - record.paid, 2) == 0:
                continue
            record._aftersales_apply(
                "record_payment", {"paid": Decimal(str(round(paid, 2))), "paid_at": now}, system=True
            )

    def _aftersales_release_production(self):
        """R15: an engineering order's manufacturing order is being confirmed: the core
        releases the order to production (more than the deposit ratio paid) or refuses."""
        for record in self.filtered(lambda r: r.sale_order_id.aftersales_engineering):
            if record.state == "confirmed":
                record._aftersales_apply("release_production", system=True)
            elif record.state not in ("in_production", "ready", "shipped", "delivered"):
                raise UserError(self.env._(
                    "%(order)s: its manufacturing orders are not confirmed while the order is "
                    "%(state)s (R15).", order=record.name, state=record.state,
                ))

    def _aftersales_on_production_done(self):
        """Every manufacturing order of an engineering order is done: the delivery is
        released and announced to the warehouse (R27)."""
        for record in self.filtered(lambda r: r.state == "in_production"):
            productions = record._productions().filtered(lambda p: p.state != "cancel")
            if productions and all(p.state == "done" for p in productions):
                record._aftersales_apply(
                    "finish_production", {"scheduled_ship_at": record._scheduled_ship_at()}, system=True
                )

    def _aftersales_on_delivery(self, pickings):
        """A delivery is validated: the core decides whether it ships today (R14 cut-off,
        R15 balance, R16 credit limit). A refusal names its rule and changes nothing."""
        held = pickings.filtered("aftersales_on_hold")
        if held:
            raise UserError(self.env._(
                "%(pickings)s: the order was cancelled by phone; its delivery is on hold (R17).",
                pickings=", ".join(held.mapped("name")),
            ))
        for record in self:
            if record.state == "ready":
                params = {"ship_date": record._local_today()}
                # asked first: a refused delivery leaves the order as it was
                step = record._aftersales_preview("ship", params)
                if step.record.state != "shipped":
                    reasons = " ".join(" ".join(d.reasons) for d in step.decisions)
                    raise UserError(self.env._("%(order)s does not ship today: %(reasons)s",
                                      order=record.name, reasons=reasons))
                record._aftersales_apply("ship", params)
            elif record.state in ("shipped", "delivered"):
                continue  # a backorder of a shipped order
            else:
                raise UserError(self.env._(
                    "%(order)s is %(state)s: its delivery is not released yet (R14/R15).",
                    order=record.name, state=record.state,
                ))

    @api.model
    def _cron_remind_unpaid(self):
        """R14: before the cut-off, tell the business and the customer of the unpaid orders
        due to ship today (once a day; the core decides which and when)."""
        candidates = self.search([
            ("state", "in", ("confirmed", "in_production", "ready")),
            ("ship_date", "!=", False),
        ])
        for record in candidates:
            if record.reminded_on == record._local_today() or record.ship_date != record._local_today():
                continue
            if record._paid_on_invoices() >= record.sale_order_id.amount_total:
                continue
            try:
                record._aftersales_apply("remind_unpaid", system=True)
            except UserError:
                continue  # the core refused (paid, or past the cut-off): nothing changed

    # --- buttons --------------------------------------------------------------------

    def action_register_project(self):
        self._aftersales_apply("register_project")
        return True

    def action_guarantee_arrears(self):
        for record in self:
            record._aftersales_apply(
                "guarantee_arrears", {"committed_payment_date": record.committed_payment_date or None}
            )
        return True

    def action_cancel_by_phone(self):
        for record in self:
            record._aftersales_apply("cancel", {"cancellation_note": record.cancellation_note or ""})
        return True

    def action_record_exception(self):
        for record in self:
            record._aftersales_apply(
                "record_exception", {"logistics_exception": record.exception_note or ""}
            )
        return True

    def action_confirm_delivery(self):
        self._aftersales_apply("confirm_delivery")
        return True

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "view_mode": "form",
            "res_id": self.sale_order_id.id,
        }

    # --- commands (the record as a ports.Host) -----------------------------------------

    def _aftersales_not_applicable(self):
        reason = self.env._("an order follow-up has no such step: Odoo's sale order delivers and invoices")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "open_repair", "charge_parts", "start_rework",
                "request_bom", "plan_purchases", "suspend_production", "resume_production",
                "issue_materials", "move_to_refurbished", "restock_for_resale",
                "issue_credit_note", "record_deduction", "record_payout", "reimburse_travel",
                "dispatch_visit",
                "return_old_parts", "claim_supplier",
            )
        }

    def _aftersales_cmd_ship_order(self, command):
        """The delivery being validated is the shipment: Odoo's own validation goes on."""

    def _aftersales_cmd_start_production(self, command):
        """R15 released: the order's manufacturing orders go into production, urgent ones
        inserted with priority; draft ones are confirmed (unless one is being confirmed)."""
        productions = self._productions().filtered(lambda p: p.state == "draft")
        if self.sale_order_id.aftersales_urgent:
            self._productions().filtered(lambda p: p.state not in ("done", "cancel")).priority = "1"
        if not self.env.context.get("aftersales_confirming_production"):
            productions.with_context(aftersales_confirming_production=True).action_confirm()

    def _aftersales_cmd_suspend_delivery(self, command):
        """R17: the order's open deliveries are put on hold and unreserved; goods already
        picked go to the warehouse's holding location (a validated internal transfer)."""
        deliveries = self.sale_order_id.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picked = deliveries.move_ids.move_line_ids.filtered(
            lambda ml: ml.picked or ml.location_id != ml.move_id.warehouse_id.lot_stock_id
            and ml.location_id.usage == "internal" and ml.picking_code == "outgoing"
        )
        deliveries.write({"aftersales_on_hold": True})
        picked_quantities = [(ml.product_id, ml.lot_id, ml.location_id, ml.quantity) for ml in picked if ml.quantity]
        deliveries.move_ids.picked = False
        deliveries.do_unreserve()
        if picked_quantities:
            warehouse = deliveries.picking_type_id.warehouse_id[:1]
            self._hold_goods(warehouse, picked_quantities)
        for picking in deliveries:
            picking.message_post(
                body=escape(
                    self.env._("On hold: the order was cancelled by phone (R17): %(note)s", note=command.reason)
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_holding_transfer_vals(self, warehouse, source, quantities):
        holding = warehouse._aftersales_holding_location()
        return {
            "picking_type_id": warehouse.int_type_id.id,
            "location_id": source.id,
            "location_dest_id": holding.id,
            "origin": self.name,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create({
                    "name": self.env._("%(order)s cancelled (R17)", order=self.name),
                    "product_id": product.id,
                    "product_uom_qty": qty,
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": holding.id,
                    "company_id": self.company_id.id,
                    "move_line_ids": [Command.create({
                        "product_id": product.id,
                        "lot_id": lot.id,
                        "quantity": qty,
                        "location_id": source.id,
                        "location_dest_id": holding.id,
                        "product_uom_id": product.uom_id.id,
                    })],
                })
                for product, lot, _loc, qty in quantities
            ],
        }

    def _hold_goods(self, warehouse, quantities):
        """Picked goods, by their location, to the holding location (validated: they are
        moved as the warehouse is told)."""
        by_source = {}
        for entry in quantities:
            by_source.setdefault(entry[2], []).append(entry)
        pickings = self.env["stock.picking"].create([
            self._prepare_holding_transfer_vals(warehouse, source, entries)
            for source, entries in by_source.items()
        ])
        pickings.action_confirm()
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True)._action_done()
        return pickings

    def _aftersales_recipients(self, role):
        """Who a Notify of ``role`` goes to: the order's salesperson for the business,
        the users of the role's groups otherwise."""
        if role == Role.SALESPERSON and self.user_id:
            return self.user_id
        return self._aftersales_role_users(role)

    def _aftersales_notify_target(self, role):
        """Where the warehouse reads its to-do: the open delivery; others: the sale order."""
        if role == Role.WAREHOUSE and self._deliveries():
            return self._deliveries()[:1]
        return self.sale_order_id

    def _prepare_notify_activity_vals(self, command, users):
        target = self._aftersales_notify_target(command.role)
        vals_list = super()._prepare_notify_activity_vals(command, users)
        model = self.env["ir.model"]._get_id(target._name)
        for vals in vals_list:
            vals.update(res_model_id=model, res_id=target.id)
        return vals_list

    def _aftersales_cmd_notify(self, command):
        """Notify: the customer by e-mail on the sale order; a role by to-do activities
        on the sale order (the warehouse: on the delivery)."""
        if command.role == Role.CUSTOMER:
            self.sale_order_id.sudo().message_post(
                body=Markup("<p>%s</p>") % command.message,
                partner_ids=self.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            return
        users = self._aftersales_recipients(command.role) or self.env.user
        self.env["mail.activity"].sudo().create(self._prepare_notify_activity_vals(command, users))
