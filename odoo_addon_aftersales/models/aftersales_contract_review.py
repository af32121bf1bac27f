# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Special orders (SPEC workflow 3, R3): the Contract Review Form of a quotation.

Small orders: after-sales copies the product's BOM into a modified BOM per the form and
builds the batch with a manufacturing order on it, tests it, and the business ships
through the sale order's own delivery. Large orders: samples (a sample manufacturing
order and a sample delivery), approval, R&D files the project (``project.project``) and
issues the BOM, PMC plans purchasing through Odoo's procurement (make-to-order with the
buy and manufacture routes: confirming the order creates the components' purchase RFQs
and the manufacturing order), production builds, quality inspects, the warehouse stores,
the business ships.
"""

from aftersales_core.forms import ContractReviewForm
from aftersales_core.roles import Role
from aftersales_core.workflows.special_order import SPECIAL_ORDER
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .aftersales_return import _choices
from .aftersales_seam import CHAR, DATETIME, NAME, FormField, IdRef, UserRef
from .aftersales_workflow_mixin import workflow_state_selection

REVIEW_MAP = (
    FormField("customer", "partner_id", NAME),
    FormField("salesperson", "user_id", UserRef()),
    FormField("product", "product_id", NAME),
    FormField("quantity", "quantity"),
    FormField("requirements", "requirements", CHAR),
    FormField("modifications", "modifications", CHAR),
    FormField("route", "route", CHAR),
    FormField("sample_result", "sample_result", CHAR),
    FormField("test_result", "test_result", CHAR),
    FormField("bom", "bom_id", IdRef()),
    FormField("inspection_result", "inspection_result", CHAR),
    FormField("shipped_at", "shipped_at", DATETIME),
)


class AftersalesContractReview(models.Model):
    _name = "aftersales.contract.review"
    _description = "Contract review"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    _aftersales_workflow = SPECIAL_ORDER
    _aftersales_form_type = ContractReviewForm

    name = fields.Char(string="Reference", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    state = fields.Selection(
        workflow_state_selection(SPECIAL_ORDER), default=SPECIAL_ORDER.initial, required=True,
        readonly=True, copy=False, tracking=True, index=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Quotation", required=True, index=True, ondelete="cascade"
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Special product line", required=True, check_company=True,
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="sale_order_id.user_id", string="Salesperson")
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True, string="Product")
    quantity = fields.Integer(
        compute="_compute_quantity", store=True, readonly=False, precompute=True,
        help="Sets ordered (R3 decides the route from it).",
    )
    requirements = fields.Text(help="The customer's requirements.")
    modifications = fields.Text(help="The material modifications decided.")
    route = fields.Selection(_choices(ContractReviewForm, "route"), readonly=True, copy=False, tracking=True)
    sample_quantity = fields.Integer(default=1, help="Samples built and delivered first (large orders).")
    sample_result = fields.Selection(_choices(ContractReviewForm, "sample_result"), copy=False, tracking=True)
    test_result = fields.Selection(_choices(ContractReviewForm, "test_result"), copy=False, tracking=True)
    inspection_result = fields.Selection(_choices(ContractReviewForm, "inspection_result"), copy=False, tracking=True)
    bom_id = fields.Many2one(
        "mrp.bom", string="BOM issued by R&D", copy=False, check_company=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    modified_bom_id = fields.Many2one("mrp.bom", string="Modified BOM", copy=False, readonly=True)
    project_id = fields.Many2one("project.project", string="R&D project", copy=False, readonly=True)
    shipped_at = fields.Datetime(readonly=True, copy=False)
    production_ids = fields.One2many("mrp.production", "aftersales_contract_review_id", string="Manufacturing orders")
    picking_ids = fields.One2many("stock.picking", "aftersales_contract_review_id", string="Sample deliveries")
    production_count = fields.Integer(compute="_compute_counts")
    picking_count = fields.Integer(compute="_compute_counts")
    purchase_count = fields.Integer(compute="_compute_counts")
    bom_count = fields.Integer(compute="_compute_counts")

    @api.depends("sale_line_id")
    def _compute_quantity(self):
        for rec in self:
            rec.quantity = int(rec.sale_line_id.product_uom_qty) or rec.quantity or 1

    @api.depends("production_ids", "picking_ids", "bom_id", "modified_bom_id")
    def _compute_counts(self):
        for rec in self:
            sudo = rec.sudo()
            rec.production_count = len(sudo.production_ids)
            rec.picking_count = len(sudo._aftersales_pickings())
            rec.purchase_count = len(sudo._aftersales_purchases())
            rec.bom_count = len(sudo.bom_id | sudo.modified_bom_id)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("aftersales.contract.review") or "/"
        return super().create(vals_list)

    # --- the core form ------------------------------------------------------------------

    def _aftersales_form_map(self):
        return REVIEW_MAP

    def _aftersales_not_applicable(self):
        reason = self.env._("a contract review builds and ships a special order only")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "open_repair", "charge_parts", "start_rework",
                "request_bom", "suspend_production", "resume_production", "issue_materials",
                "move_to_refurbished", "restock_for_resale", "issue_credit_note",
                "record_deduction", "record_payout", "reimburse_travel", "dispatch_visit",
                "suspend_delivery",
                "return_old_parts", "claim_supplier",
            )
        }

    # --- documents reachable from the review ---------------------------------------------

    def _aftersales_pickings(self):
        """The sample deliveries and the sale order's own transfers."""
        return self.picking_ids | self.sale_order_id.picking_ids

    def _aftersales_purchases(self):
        purchases = self.env["purchase.order"]
        for production in self.production_ids:
            purchases |= production._get_purchase_orders()
        return purchases

    def _warehouse(self):
        return self.sale_order_id.warehouse_id

    # --- buttons: the core's steps -------------------------------------------------------

    def action_review(self):
        """The contract review form is issued; the core routes it at once (R3)."""
        self._aftersales_apply("review")
        self._aftersales_apply("route", system=True)
        return True

    def action_test_batch(self):
        for rec in self:
            open_mos = rec.production_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            if not rec.production_ids or open_mos:
                raise UserError(self.env._(
                    "%(review)s: build the modified batch first (its manufacturing order done).", review=rec.name
                ))
            rec._aftersales_apply("test_batch")
        return True

    def action_approve_samples(self):
        self._aftersales_apply("approve_samples")
        return True

    def action_issue_bom(self):
        for rec in self:
            if rec.bom_id:
                rec.sudo()._aftersales_planning_check(rec.bom_id)
            rec._aftersales_apply("issue_bom")
        return True

    def action_start_production(self):
        self._aftersales_apply("start_production")
        return True

    def action_inspect(self):
        for rec in self:
            open_mos = rec.production_ids.filtered(lambda p: p.state not in ("done", "cancel"))
            if open_mos:
                raise UserError(self.env._("%(review)s: quality inspects what was built; finish %(mos)s first.",
                                  review=rec.name, mos=", ".join(open_mos.mapped("name"))))
            rec._aftersales_apply("inspect")
        return True

    def action_store(self):
        self._aftersales_apply("store")
        return True

    def action_ship(self):
        self._aftersales_apply("ship")
        return True

    def action_cancel(self):
        self._aftersales_apply("cancel")
        return True

    # --- buttons: documents of a step (the step itself stays the core's) -----------------

    def _prepare_modified_bom_vals(self):
        return {
            "code": self.env._("Special %(review)s", review=self.name),
            "product_id": self.product_id.id,
            "aftersales_contract_review_id": self.id,
        }

    def action_modified_bom(self):
        """Small order: the product's BOM copied for after-sales to modify per the form."""
        self.ensure_one()
        if self.state != "modifying":
            raise UserError(self.env._(
                "%(review)s: the materials are modified on a small order being modified (R3).", review=self.name
            ))
        if not self.modified_bom_id:
            base = self.env["mrp.bom"]._bom_find(self.product_id, company_id=self.company_id.id)[self.product_id]
            if not base:
                raise UserError(self.env._("%(product)s has no BOM to modify.", product=self.product_id.display_name))
            self.sudo().modified_bom_id = base.sudo().copy(self._prepare_modified_bom_vals())
        return self._action_open(self.modified_bom_id)

    def _prepare_production_vals(self, bom, quantity, origin):
        warehouse = self._warehouse()
        return {
            "product_id": self.product_id.id,
            "product_qty": quantity,
            "bom_id": bom.id,
            "origin": origin,
            "picking_type_id": warehouse.manu_type_id.id,
            "company_id": self.company_id.id,
            "aftersales_contract_review_id": self.id,
        }

    def action_make_batch(self):
        """Small order: the batch is built by a manufacturing order on the modified BOM."""
        self.ensure_one()
        if self.state != "modifying" or not self.modified_bom_id:
            raise UserError(
                self.env._("%(review)s: modify the BOM first (small order being modified).", review=self.name)
            )
        if not self.production_ids.filtered(lambda p: p.state != "cancel"):
            production = self.env["mrp.production"].sudo().create(
                self._prepare_production_vals(self.modified_bom_id, self.quantity, self.name)
            )
            production.action_confirm()
        return True

    def _prepare_sample_picking_vals(self):
        warehouse = self._warehouse()
        source = warehouse.lot_stock_id
        destination = self.partner_id.property_stock_customer
        return {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": self.partner_id.id,
            "origin": self.env._("Samples %(review)s", review=self.name),
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "aftersales_contract_review_id": self.id,
            "move_ids": [Command.create({
                "name": self.env._("Samples %(review)s", review=self.name),
                "product_id": self.product_id.id,
                "product_uom_qty": self.sample_quantity,
                "product_uom": self.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
            })],
        }

    def action_make_samples(self):
        """Large order: a sample manufacturing order and the sample delivery to the customer."""
        self.ensure_one()
        if self.state != "sampling":
            raise UserError(
                self.env._("%(review)s: samples are made for a large order being sampled (R3).", review=self.name)
            )
        if self.sample_quantity <= 0:
            raise UserError(self.env._("Sample quantity: must be positive."))
        if not self.production_ids:
            bom = self.env["mrp.bom"]._bom_find(self.product_id, company_id=self.company_id.id)[self.product_id]
            if not bom:
                raise UserError(
                    self.env._("%(product)s has no BOM to build samples with.", product=self.product_id.display_name)
                )
            production = self.env["mrp.production"].sudo().create(
                self._prepare_production_vals(
                    bom, self.sample_quantity, self.env._("Samples %(review)s", review=self.name)
                )
            )
            production.action_confirm()
            picking = self.env["stock.picking"].sudo().create(self._prepare_sample_picking_vals())
            picking.action_confirm()
        return True

    def _prepare_project_vals(self):
        return {
            "name": self.env._("%(review)s: %(product)s for %(customer)s", review=self.name,
                      product=self.product_id.display_name, customer=self.partner_id.display_name),
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "description": Markup("<p>%s</p>") % (self.requirements or ""),
            "aftersales_contract_review_id": self.id,
        }

    def action_file_project(self):
        """R&D files the project of a large order (after the samples are approved)."""
        self.ensure_one()
        if self.state != "rnd_filing":
            raise UserError(
                self.env._("%(review)s: R&D files the project once the samples are approved.", review=self.name)
            )
        if not self.env.user._aftersales_actor().holds(Role.RND):
            raise UserError(self.env._("%(review)s: R&D files the project.", review=self.name))
        if not self.project_id:
            self.sudo().project_id = self.env["project.project"].sudo().create(self._prepare_project_vals())
        return True

    # --- commands (the record as a ports.Host) -----------------------------------------

    def _aftersales_planning_check(self, bom):
        """What purchase planning needs from Odoo before the step is taken (so that a
        refusal changes nothing): R&D's BOM, the make-to-order route, a vendor for every
        component."""
        bom = bom.exists()
        if not bom:
            raise UserError(self.env._("%(review)s: BOM: R&D issues an existing BOM of the product.", review=self.name))
        mto = self.env.ref("stock.route_warehouse0_mto", raise_if_not_found=False)
        if not mto or not mto.active:
            raise UserError(self.env._(
                "Purchase planning uses make-to-order: activate the route 'Replenish on Order "
                "(MTO)' in the Inventory settings (multi-step routes)."
            ))
        unsourced = bom.bom_line_ids.product_id.filtered(lambda p: not p.seller_ids)
        if unsourced:
            raise UserError(self.env._("Purchase planning: no vendor for %(parts)s.",
                              parts=", ".join(unsourced.mapped("display_name"))))
        return bom, mto

    def _aftersales_cmd_plan_purchases(self, command):
        """PMC plans purchasing through procurement: the product is made to order with the
        manufacture route on R&D's BOM (not bought), its components bought to order;
        confirming the quotation creates the components' purchase RFQs and the
        manufacturing order."""
        bom, mto = self._aftersales_planning_check(self.env["mrp.bom"].browse(int(command.bom)))
        manufacture = self.env.ref("mrp.route_warehouse0_manufacture")
        buy = self.env.ref("purchase_stock.route_warehouse0_buy")
        self.product_id.product_tmpl_id.write({"route_ids": [
            Command.link(mto.id), Command.link(manufacture.id), Command.unlink(buy.id),
        ]})
        bom.bom_line_ids.product_id.product_tmpl_id.write({"route_ids": [Command.link(mto.id), Command.link(buy.id)]})
        bom.write({
            "sequence": min(bom.product_tmpl_id.bom_ids.mapped("sequence") or [0]) - 1,  # R&D's BOM first
            "aftersales_contract_review_id": self.id,
        })
        order = self.sale_order_id
        if order.state in ("draft", "sent"):
            order.action_confirm()
        productions = order.mrp_production_ids.filtered(lambda p: not p.aftersales_contract_review_id)
        productions.aftersales_contract_review_id = self

    def _aftersales_cmd_start_production(self, command):
        """Production builds: the order's manufacturing orders are confirmed."""
        productions = self.sale_order_id.mrp_production_ids.filtered(lambda p: p.state == "draft")
        productions.action_confirm()

    def _aftersales_cmd_ship_order(self, command):
        """The business ships through the sale order's own delivery (the quotation of a
        small order is confirmed now); the warehouse validates it."""
        if self.sale_order_id.state in ("draft", "sent"):
            self.sale_order_id.action_confirm()

    # --- smart buttons ------------------------------------------------------------------

    def _action_open(self, records, xmlid=None, name=None):
        if xmlid:
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        else:
            action = {"type": "ir.actions.act_window", "res_model": records._name, "name": name or records._description}
        action["domain"] = [("id", "in", records.ids)]
        action["context"] = {}
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id, views=[(False, "form")])
        return action

    def action_view_sale_order(self):
        return self._action_open(self.sale_order_id, name=self.env._("Quotation"))

    def action_view_productions(self):
        return self._action_open(self.production_ids, "mrp.mrp_production_action")

    def action_view_pickings(self):
        return self._action_open(self._aftersales_pickings(), "stock.action_picking_tree_all")

    def action_view_purchases(self):
        return self._action_open(self._aftersales_purchases(), "purchase.purchase_rfq")

    def action_view_boms(self):
        return self._action_open(self.bom_id | self.modified_bom_id, "mrp.mrp_bom_form_action")

    def action_view_project(self):
        return self._action_open(self.project_id, name=self.env._("Project"))
