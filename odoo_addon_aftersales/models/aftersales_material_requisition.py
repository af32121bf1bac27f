# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Material Requisition Form (R5): three ordered sign-offs, then an internal transfer."""

from aftersales_core.forms import MaterialRequisitionForm
from aftersales_core.roles import Role
from aftersales_core.workflows.material_requisition import MATERIAL_REQUISITION

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .aftersales_seam import DATETIME, DERIVED, Converter, FormField, Lines, UserRef
from .aftersales_workflow_mixin import aware, workflow_state_selection
from .res_company import SIGNOFF_ROLES

# What a requisition may be for: a repair order, a rework or manufacturing order, a
# service visit or a special order; the models another module (or issue) adds are
# offered once they exist.
PURPOSE_MODELS = [
    ("repair.order", "Repair order"),
    ("mrp.production", "Manufacturing / rework order"),
    ("aftersales.service.visit", "Service visit"),
    ("aftersales.contract.review", "Special order"),
]


class _OptionalName(Converter):
    """A many2one shown by its display name, ``None`` when empty (read only)."""

    writable = False

    def to_core(self, record, path):
        value = record[path]
        return value.display_name if value else None


class _Signoffs(Converter):
    """The core's ordered signatures <-> sign-off records (append only: a sign-off is
    never rewritten, the workflow only adds the next one)."""

    def to_core(self, record, path):
        return tuple(
            {
                "role": s.role,
                "user": str(s.user_id.id),
                "at": aware(s.signed_at),
                "comment": s.comment or "",
            }
            for s in record[path]
        )

    def to_odoo(self, record, value):
        known = len(record.signoff_ids)
        if [Role(s["role"]).value for s in value[:known]] != record.signoff_ids.mapped("role"):
            raise UserError(self.env._("%(record)s: recorded sign-offs cannot be rewritten (R5).",
                              record=record.display_name))
        return [
            Command.create({
                "sequence": known + i + 1,
                "role": Role(s["role"]).value,
                "user_id": int(s["user"]),
                "signed_at": DATETIME.to_odoo(record, s["at"]),
                "comment": s.get("comment") or False,
            })
            for i, s in enumerate(value[known:])
        ]


LINE_MAP = (
    FormField("product", "product_id", _OptionalName()),
    FormField("quantity", "quantity"),
    FormField("lot", "lot_id", _OptionalName()),
)
REQUISITION_MAP = (
    FormField("requester", "requester_id", UserRef()),
    FormField("purpose", "_aftersales_purpose", DERIVED),
    FormField("lines", "line_ids", Lines(LINE_MAP)),
    FormField("signatures", "signoff_ids", _Signoffs()),
    FormField("issued_at", "issued_at", DATETIME),
)


class AftersalesMaterialRequisition(models.Model):
    """Material Requisition Form: the parts a repair, rework, visit or special order
    needs, issued by an internal transfer after the ordered sign-offs of R5."""

    _name = "aftersales.material.requisition"
    _description = "Material requisition"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Signers (sales head, production manager, warehouse) read the form and sign it; the
    # workflow's note of their step is posted with read access.
    _mail_post_access = "read"

    _aftersales_workflow = MATERIAL_REQUISITION
    _aftersales_form_type = MaterialRequisitionForm

    name = fields.Char(string="Reference", default="/", copy=False, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        workflow_state_selection(MATERIAL_REQUISITION),
        default=MATERIAL_REQUISITION.initial,
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    requester_id = fields.Many2one(
        "res.users", required=True, tracking=True,
        default=lambda self: self.env.user,
    )
    purpose_ref = fields.Reference(
        selection="_selection_purpose_ref", string="For", index=True, tracking=True,
        help="The case the materials are for: a repair order, a rework or manufacturing "
        "order, a service visit or a special order.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", compute="_compute_warehouse_id", store=True, readonly=False,
        precompute=True, check_company=True, required=True,
        help="The materials leave this warehouse's stock.",
    )
    line_ids = fields.One2many(
        "aftersales.material.requisition.line", "requisition_id", string="Materials", copy=True
    )
    signoff_ids = fields.One2many(
        "aftersales.material.requisition.signoff", "requisition_id", string="Sign-offs",
        readonly=True, copy=False,
    )
    awaiting_role = fields.Selection(
        SIGNOFF_ROLES, compute="_compute_awaiting_role",
        help="Whose sign-off the requisition waits for (R5, in the order of the settings).",
    )
    issued_at = fields.Datetime(readonly=True, copy=False)
    picking_ids = fields.One2many("stock.picking", "aftersales_requisition_id", string="Transfers")
    picking_count = fields.Integer(compute="_compute_picking_count")

    @api.model
    def _selection_purpose_ref(self):
        return [(model, label) for model, label in PURPOSE_MODELS if model in self.env]

    @api.depends("purpose_ref", "company_id")
    def _compute_warehouse_id(self):
        for rec in self:
            doc = rec.purpose_ref
            warehouse = doc and "picking_type_id" in doc._fields and doc.picking_type_id.warehouse_id
            rec.warehouse_id = warehouse or rec.warehouse_id or self.env["stock.warehouse"].search(
                [("company_id", "=", rec.company_id.id)], limit=1
            )

    @api.depends("state", "signoff_ids", "company_id")
    def _compute_awaiting_role(self):
        for rec in self:
            order = rec.company_id._aftersales_policy().requisition_signoff_roles
            done = len(rec.signoff_ids)
            waiting = rec.state == "awaiting_signoffs" and done < len(order)
            rec.awaiting_role = order[done].value if waiting else False

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for rec in self:
            # counted as superuser: a signer needs no stock rights to see the count
            rec.picking_count = len(rec.sudo().picking_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "aftersales.material.requisition"
                ) or "/"
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"line_ids", "purpose_ref", "warehouse_id", "requester_id"} & set(vals)
        if frozen and not self._aftersales_state_write_allowed():
            submitted = self.filtered(lambda r: r.state != "draft")
            if submitted:
                raise UserError(self.env._(
                    "%(record)s: the lines, purpose, warehouse and requester are frozen once "
                    "the requisition is submitted (R5: the sign-offs are for what was asked).",
                    record=", ".join(submitted.mapped("display_name")),
                ))
        return super().write(vals)

    # --- the core form ------------------------------------------------------------------

    def _aftersales_form_map(self):
        return REQUISITION_MAP

    def _aftersales_purpose(self):
        doc = self.purpose_ref
        return doc.display_name if doc else ""

    def _aftersales_not_applicable(self):
        reason = self.env._("a material requisition only issues materials (and notifies)")
        return {
            kind: reason
            for kind in (
                "receive_return", "ship_back", "ship_order", "open_repair", "charge_parts",
                "start_rework", "request_bom", "start_production", "plan_purchases",
                "suspend_production", "resume_production", "move_to_refurbished",
                "restock_for_resale", "issue_credit_note", "record_deduction",
                "record_payout", "reimburse_travel", "dispatch_visit", "suspend_delivery",
                "return_old_parts", "claim_supplier",
            )
        }

    # --- buttons --------------------------------------------------------------------

    def action_submit(self):
        self._aftersales_apply("submit")
        return True

    def action_sign(self):
        """The next sign-off, by a user holding the role whose turn it is (R5)."""
        self._aftersales_apply("sign")
        return True

    def action_cancel(self):
        self._aftersales_apply("cancel")
        return True

    def action_view_pickings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {}
        return action

    # --- the issue: an internal transfer to the work's location -------------------------

    def _aftersales_work_location(self):
        """Where the parts go: the component location of the repair or manufacturing
        order when it is an internal location other than the stock they leave, else the
        warehouse's after-sales work location."""
        self.ensure_one()
        doc = self.purpose_ref
        source = self.warehouse_id.lot_stock_id
        location = self.env["stock.location"]
        if doc and doc._name == "repair.order":
            location = doc.location_id
        elif doc and doc._name == "mrp.production":
            location = doc.location_src_id
        if location and location.usage == "internal" and location != source:
            return location
        return self.warehouse_id._aftersales_work_location()

    def _prepare_issue_picking_vals(self, command, destination):
        source = self.warehouse_id.lot_stock_id
        moves = []
        for item in command.items:
            line = self._line(item.ref)
            moves.append(Command.create({
                "name": self.name,
                "product_id": line.product_id.id,
                "product_uom_qty": item.quantity,
                "product_uom": line.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "aftersales_requisition_line_id": line.id,
                "company_id": self.company_id.id,
            }))
        return {
            "picking_type_id": self.warehouse_id.int_type_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": self.name,
            "aftersales_requisition_id": self.id,
            "company_id": self.company_id.id,
            "move_ids": moves,
        }

    def _aftersales_cmd_issue_materials(self, command):
        """R5 signed off: the internal transfer of the parts to the work's location,
        confirmed and reserved (each tracked line's own lot), for the warehouse to
        validate when the parts leave."""
        if self.picking_ids.filtered(lambda p: p.state != "cancel"):
            return  # issued once
        picking = self.env["stock.picking"].create(
            self._prepare_issue_picking_vals(command, self._aftersales_work_location())
        )
        picking.action_confirm()
        tracked = picking.move_ids.filtered(lambda m: m.aftersales_requisition_line_id.lot_id)
        (picking.move_ids - tracked)._action_assign()
        if tracked:
            tracked.move_line_ids.unlink()
            self.env["stock.move.line"].create([
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_id": move.aftersales_requisition_line_id.lot_id.id,
                    "quantity": move.product_uom_qty,
                }
                for move in tracked
            ])
        return picking

    # --- R5 policy switch: the work waits for its requisitions --------------------------

    @api.model
    def _aftersales_for_documents(self, documents):
        """The open requisitions of each document (repair or manufacturing orders), in
        one search: ``{document: requisitions}``."""
        refs = [f"{doc._name},{doc.id}" for doc in documents]
        found = self.sudo().search([("purpose_ref", "in", refs), ("state", "!=", "cancelled")])
        return {doc: found.filtered(lambda r, d=doc: r.purpose_ref == d) for doc in documents}


class AftersalesMaterialRequisitionLine(models.Model):
    _name = "aftersales.material.requisition.line"
    _description = "Material requisition line"
    _check_company_auto = True

    requisition_id = fields.Many2one(
        "aftersales.material.requisition", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="requisition_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Integer(required=True, default=1)
    lot_id = fields.Many2one(
        "stock.lot", check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Required for a product tracked by lot or serial number.",
    )
    tracking = fields.Selection(related="product_id.tracking")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A requisitioned quantity must be positive."),
    ]

    @api.constrains("product_id", "lot_id")
    def _check_lot(self):
        for line in self:
            if line.product_id.tracking != "none" and not line.lot_id:
                raise UserError(self.env._("Lot: %(product)s is tracked; name the lot to issue.",
                                  product=line.product_id.display_name))
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise UserError(self.env._("Lot: %(lot)s is not a lot of %(product)s.",
                                  lot=line.lot_id.name, product=line.product_id.display_name))

    def write(self, vals):
        if not self.env.su and self.requisition_id.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("The lines are frozen once the requisition is submitted (R5)."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su and lines.requisition_id.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("The lines are frozen once the requisition is submitted (R5)."))
        return lines

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if not self.env.su and self.requisition_id.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("The lines are frozen once the requisition is submitted (R5)."))


class AftersalesMaterialRequisitionSignoff(models.Model):
    """One sign-off of R5, as the core recorded it: the role whose turn it was, the
    signer, when. Written only by the workflow."""

    _name = "aftersales.material.requisition.signoff"
    _description = "Material requisition sign-off"
    _order = "sequence, id"

    requisition_id = fields.Many2one(
        "aftersales.material.requisition", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="requisition_id.company_id", store=True, index=True)
    sequence = fields.Integer(required=True)
    role = fields.Selection(SIGNOFF_ROLES, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Signed by", required=True, readonly=True)
    signed_at = fields.Datetime(string="Signed on", required=True, readonly=True)
    comment = fields.Char(readonly=True)
