# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer portal side of complaints, returns and on-site service visits.

Each model gets Odoo's ``portal.mixin`` (access token, ``access_url`` under ``/my``)
and a few read helpers the portal pages use: the next step in words (the core's
transition table, as the backend shows it), the Odoo documents of the case that a
customer may open in the portal, and the satisfaction survey invitation. The rules
stay in the models and the core: the controller only creates records and calls the
same methods the backend buttons call.
"""

from odoo import api, models

# The delivered moves (done, outgoing) a customer may return goods from.
DELIVERY_DOMAIN = [("state", "=", "done"), ("picking_code", "=", "outgoing")]


class AftersalesPortalMixin(models.AbstractModel):
    _name = "aftersales.portal.mixin"
    _description = "After-sales case in the customer portal"

    # The route under /my of one record (set by each model).
    _aftersales_portal_path = None

    def _aftersales_portal_set_access_url(self):
        for rec in self:
            rec.access_url = f"/my/{self._aftersales_portal_path}/{rec.id}"

    def _aftersales_portal_next_step(self):
        """Who takes the next steps, in words (the core's table and the company's policy):
        what the backend's "Next step" shows to a user who holds none of those roles."""
        self.ensure_one()
        record = self.sudo()
        workflow = record._aftersales_workflow
        if not workflow:
            return False
        policy = (record.company_id or self.env.company)._aftersales_policy()
        return record._aftersales_next_step_text(workflow, record.state or workflow.initial, policy, {})

    def _aftersales_portal_deadline(self):
        """The deadline the customer is given (``False`` when none applies)."""
        return False

    def _aftersales_portal_invoices(self):
        """Customer invoices and credit notes of the case (posted): Odoo shows them in
        the portal (``/my/invoices``), opened with their access token."""
        return self.env["account.move"]

    def _aftersales_portal_surveys(self):
        """The satisfaction survey invitations (R20) of this case, newest first."""
        self.ensure_one()
        return self.env["survey.user_input"].sudo().search([
            ("aftersales_res_model", "=", self._name),
            ("aftersales_res_id", "=", self.id),
        ], order="id desc")

    @api.model
    def _aftersales_portal_posted(self, moves):
        return moves.sudo().filtered(
            lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
        )


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "portal.mixin", "aftersales.portal.mixin"]

    _aftersales_portal_path = "complaints"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        self._aftersales_portal_set_access_url()
        return res

    def _aftersales_portal_deadline(self):
        return self.resolution_due_at

    def _aftersales_portal_invoices(self):
        return self._aftersales_portal_posted(self.sudo().invoice_ids)

    def _prepare_portal_ticket_vals(self, partner, values):
        """Values of a complaint filed in the portal (channel portal), for ``partner``'s
        commercial partner; ``values`` holds the customer's own fields."""
        commercial = partner.commercial_partner_id
        order = values.get("sale_order")
        return {
            "channel": "portal",
            "partner_id": commercial.id,
            "company_id": (order.company_id if order else self.env.company).id,
            "user_id": (order.user_id if order else commercial.user_id).id,
            "contact": values.get("contact") or partner.email or partner.name,
            "product_id": values.get("product").id if values.get("product") else False,
            "sale_order_id": order.id if order else False,
            "quantity": values.get("quantity", 1),
            "description": values.get("description") or "",
            "remedy_sought": values.get("remedy_sought") or "",
        }


class AftersalesReturn(models.Model):
    _name = "aftersales.return"
    _inherit = ["aftersales.return", "portal.mixin", "aftersales.portal.mixin"]

    _aftersales_portal_path = "returns"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        self._aftersales_portal_set_access_url()
        return res

    def _aftersales_portal_deadline(self):
        # R9: the complaint the return comes from is solved by then
        return self.sudo().ticket_id.resolution_due_at

    def _aftersales_portal_invoices(self):
        return self._aftersales_portal_posted(self.sudo().invoice_ids)

    @api.model
    def _aftersales_portal_delivery_domain(self, partner):
        """The delivered moves a customer may return goods from: its commercial
        partner's done outgoing moves (the return line's own domain)."""
        return [*DELIVERY_DOMAIN, ("partner_id", "child_of", partner.commercial_partner_id.id)]

    def _prepare_portal_return_vals(self, partner, moves, lines, purpose, reason):
        """Values of a return request filed in the portal: the customer's commercial
        partner, one line per picked delivered move (``lines``: move id -> quantity,
        problem)."""
        commercial = partner.commercial_partner_id
        salesperson = moves.sale_line_id.order_id.user_id[:1] or commercial.user_id
        return {
            "partner_id": commercial.id,
            "company_id": (moves.company_id[:1] or self.env.company).id,
            "user_id": salesperson.id,
            "purpose": purpose,
            "reason": reason,
            "line_ids": [
                (0, 0, {"move_id": move.id, "quantity": lines[move.id][0], "problem": lines[move.id][1]})
                for move in moves
            ],
        }


class AftersalesServiceVisit(models.Model):
    _name = "aftersales.service.visit"
    _inherit = ["aftersales.service.visit", "portal.mixin", "aftersales.portal.mixin"]

    _aftersales_portal_path = "visits"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        self._aftersales_portal_set_access_url()
        return res

    def _aftersales_portal_deadline(self):
        return self.deadline

    def _aftersales_portal_repair_list_to_sign(self):
        """The repair list waits for the customer's signature (R24): it is filled
        (repair date), unsigned, and the visit is in a state the completion (whose
        guard needs the signature) leaves from."""
        self.ensure_one()
        complete = {t.action: t for t in self._aftersales_workflow.transitions}.get("complete")
        return bool(
            self.repair_date and not self.repair_signature
            and complete is not None and self.state in complete.sources
        )

    def _aftersales_portal_sign_repair_list(self, name, signature):
        """The customer signs the repair list: the signature Odoo's widget draws, the
        signer's name, a note in the chatter."""
        self.ensure_one()
        self.write({"repair_signed_by": name, "repair_signature": signature})
        # signed through a mailed link (the public user): the customer is the author
        author = self.partner_id if self.env.user._is_public() else self.env.user.partner_id
        self.message_post(
            body=self.env._("Repair list signed by %(name)s", name=name),
            author_id=author.id,
            subtype_xmlid="mail.mt_note",
        )

