# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer portal under ``/my``: complaints, returns and on-site service visits.

A portal user sees its own commercial partner's cases (the portal record rules), files
a complaint or a return request against its own deliveries, signs the repair list of a
visit and follows the links to the service contract (Odoo's sale portal signature),
its invoices and credit notes and the satisfaction survey.

The controller decides nothing: a record is created as superuser after the ownership
check, through the same model methods and constraints the backend uses, and the core
validates it (the workflow mixin). A refusal is shown on the page and creates nothing.
"""

import binascii

from aftersales_core.forms import ReturnTrackingForm
from aftersales_core.labels import choices
from psycopg2 import IntegrityError

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.service.model import _as_validation_error

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# What each list page shows: model, route, history key of the record pager.
PAGES = {
    "complaints": ("aftersales.ticket", "my_aftersales_complaints_history"),
    "returns": ("aftersales.return", "my_aftersales_returns_history"),
    "visits": ("aftersales.service.visit", "my_aftersales_visits_history"),
}
COUNTERS = {
    "aftersales_complaint_count": "aftersales.ticket",
    "aftersales_return_count": "aftersales.return",
    "aftersales_visit_count": "aftersales.service.visit",
}


class AftersalesPortal(CustomerPortal):

    # --- home counters -------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        for counter, model_name in COUNTERS.items():
            if counter in counters:
                model = request.env[model_name]
                values[counter] = (
                    model.search_count(self._aftersales_domain(partner)) if model.has_access("read") else 0
                )
        return values

    def _aftersales_domain(self, partner):
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    # --- list pages ----------------------------------------------------------------

    def _aftersales_searchbar_sortings(self, page):
        date = {"complaints": "received_at", "returns": "requested_at", "visits": "received_at"}[page]
        return {
            "date": {"label": request.env._("Newest first"), "order": f"{date} desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }

    def _prepare_aftersales_list_values(self, page_name, page=1, sortby=None, **kwargs):
        model_name, _history = PAGES[page_name]
        model = request.env[model_name]
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        domain = self._aftersales_domain(partner)
        sortings = self._aftersales_searchbar_sortings(page_name)
        if sortby not in sortings:
            sortby = "date"
        url = f"/my/{page_name}"
        pager = portal_pager(
            url=url,
            total=model.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby},
        )
        records = model.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        values.update({
            "records": records.sudo(),
            "page_name": f"aftersales_{page_name}",
            "pager": pager,
            "default_url": url,
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "message": kwargs.get("message"),
        })
        return values

    def _aftersales_render_list(self, page_name, **kwargs):
        values = self._prepare_aftersales_list_values(page_name, **kwargs)
        request.session[PAGES[page_name][1]] = values["records"].ids[:100]
        return request.render(f"odoo_addon_aftersales.portal_my_aftersales_{page_name}", values)

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_aftersales_complaints(self, **kwargs):
        return self._aftersales_render_list("complaints", **kwargs)

    @http.route(["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_aftersales_returns(self, **kwargs):
        return self._aftersales_render_list("returns", **kwargs)

    @http.route(["/my/visits", "/my/visits/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_aftersales_visits(self, **kwargs):
        return self._aftersales_render_list("visits", **kwargs)

    # --- detail pages --------------------------------------------------------------

    def _aftersales_render_record(self, page_name, record_id, access_token=None, **kwargs):
        model_name, history = PAGES[page_name]
        try:
            record_sudo = self._document_check_access(model_name, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            "record": record_sudo,
            "page_name": f"aftersales_{page_name[:-1]}",
            "next_step": record_sudo._aftersales_portal_next_step(),
            "deadline": record_sudo._aftersales_portal_deadline(),
            "invoices": record_sudo._aftersales_portal_invoices(),
            "surveys": record_sudo._aftersales_portal_surveys(),
            "message": kwargs.get("message"),
            "res_company": record_sudo.company_id,
        }
        values = self._get_page_view_values(record_sudo, access_token, values, history, False)
        return request.render(f"odoo_addon_aftersales.portal_aftersales_{page_name[:-1]}_page", values)

    @http.route(["/my/complaints/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_aftersales_complaint_page(self, ticket_id, access_token=None, **kwargs):
        return self._aftersales_render_record("complaints", ticket_id, access_token, **kwargs)

    @http.route(["/my/returns/<int:return_id>"], type="http", auth="public", website=True)
    def portal_aftersales_return_page(self, return_id, access_token=None, **kwargs):
        return self._aftersales_render_record("returns", return_id, access_token, **kwargs)

    @http.route(["/my/visits/<int:visit_id>"], type="http", auth="public", website=True)
    def portal_aftersales_visit_page(self, visit_id, access_token=None, **kwargs):
        return self._aftersales_render_record("visits", visit_id, access_token, **kwargs)

    # --- the repair list signature (R24) -------------------------------------------

    @http.route(["/my/visits/<int:visit_id>/sign"], type="json", auth="public", website=True)
    def portal_aftersales_visit_sign(self, visit_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            visit_sudo = self._document_check_access("aftersales.service.visit", visit_id, access_token=access_token)
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid service visit.")}
        if not visit_sudo._aftersales_portal_repair_list_to_sign():
            return {"error": request.env._("The repair list does not wait for your signature.")}
        if not name or not signature:
            return {"error": request.env._("Your name and signature are needed.")}
        try:
            with request.env.cr.savepoint():
                visit_sudo._aftersales_portal_sign_repair_list(name, signature)
        except (TypeError, binascii.Error, UserError, ValidationError):
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": visit_sudo.get_portal_url(query_string="&message=sign_ok"),
        }

    # --- filing a complaint --------------------------------------------------------

    def _aftersales_deliveries(self, partner):
        """The customer's delivered moves (its commercial partner's done outgoing moves),
        newest first, read as superuser: a portal user holds no stock rights."""
        returns = request.env["aftersales.return"]
        return request.env["stock.move"].sudo().search(
            returns._aftersales_portal_delivery_domain(partner), order="date desc, id desc"
        )

    def _aftersales_int(self, value, default=None):
        """A whole number typed in a form; a text that is none is refused in words."""
        if value in (None, ""):
            return default
        try:
            return int(str(value).strip())
        except ValueError:
            raise UserError(request.env._("“%(value)s” is not a whole number.", value=value)) from None

    def _aftersales_refusal(self, exc):
        """The words of a refusal: the model's or the core's message, or the database
        constraint's (as Odoo's backend shows it)."""
        if isinstance(exc, IntegrityError):
            exc = _as_validation_error(request.env, exc)
        return exc.args[0]

    def _aftersales_complaint_form_values(self, partner, post, error=None):
        deliveries = self._aftersales_deliveries(partner)
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "aftersales_complaint_new",
            "products": deliveries.product_id,
            "orders": deliveries.sale_line_id.order_id,
            "post": post,
            "error": error,
        }

    @http.route(["/my/complaints/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_aftersales_complaint_new(self, **post):
        partner = request.env.user.partner_id
        if request.httprequest.method != "POST":
            return request.render(
                "odoo_addon_aftersales.portal_aftersales_complaint_new",
                self._aftersales_complaint_form_values(partner, {}),
            )
        deliveries = self._aftersales_deliveries(partner)
        try:
            with request.env.cr.savepoint():
                # ownership: only the customer's own delivered products and orders
                product_id = self._aftersales_int(post.get("product_id"))
                order_id = self._aftersales_int(post.get("sale_order_id"))
                product = deliveries.product_id.filtered(lambda p: p.id == product_id)
                order = deliveries.sale_line_id.order_id.filtered(lambda o: o.id == order_id)
                if (product_id and not product) or (order_id and not order):
                    raise UserError(request.env._("Choose one of your own delivered products and orders."))
                tickets = request.env["aftersales.ticket"].sudo()
                ticket = tickets.create(tickets._prepare_portal_ticket_vals(partner, {
                    "product": product,
                    "sale_order": order,
                    "quantity": self._aftersales_int(post.get("quantity"), 1),
                    "contact": (post.get("contact") or "").strip(),
                    "description": (post.get("description") or "").strip(),
                    "remedy_sought": (post.get("remedy_sought") or "").strip(),
                }))
                ticket.message_subscribe(partner_ids=partner.ids)
                # the backend's button: the core records it, the customer as the actor
                ticket.action_record()
        except (UserError, ValidationError, IntegrityError) as exc:
            return request.render(
                "odoo_addon_aftersales.portal_aftersales_complaint_new",
                self._aftersales_complaint_form_values(partner, post, error=self._aftersales_refusal(exc)),
            )
        return request.redirect(ticket.get_portal_url(query_string="&message=created"))

    # --- filing a return request ---------------------------------------------------

    def _aftersales_return_form_values(self, partner, post, error=None):
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "aftersales_return_new",
            "deliveries": self._aftersales_deliveries(partner),
            "purposes": choices(ReturnTrackingForm, "purpose"),
            "post": post,
            # the ids as sent (text): a page shown again keeps the customer's picks
            "picked": set(request.httprequest.form.getlist("move_ids")),
            "error": error,
        }

    @http.route(["/my/returns/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_aftersales_return_new(self, **post):
        partner = request.env.user.partner_id
        template = "odoo_addon_aftersales.portal_aftersales_return_new"
        if request.httprequest.method != "POST":
            return request.render(template, self._aftersales_return_form_values(partner, {}))
        try:
            with request.env.cr.savepoint():
                move_ids = [self._aftersales_int(i) for i in request.httprequest.form.getlist("move_ids")]
                if not move_ids:
                    raise UserError(request.env._("Pick at least one delivered product to return."))
                # ownership: only lines of the customer's own deliveries
                moves = self._aftersales_deliveries(partner).filtered(lambda m: m.id in move_ids)
                if len(moves) != len(set(move_ids)):
                    raise UserError(request.env._("Pick the products to return from your own deliveries."))
                lines = {
                    move.id: (
                        self._aftersales_int(post.get(f"quantity_{move.id}"), 0),
                        (post.get(f"problem_{move.id}") or "").strip(),
                    )
                    for move in moves
                }
                returns = request.env["aftersales.return"].sudo()
                ret = returns.create(returns._prepare_portal_return_vals(
                    partner, moves, lines, post.get("purpose") or "repair", (post.get("reason") or "").strip(),
                ))
                # the core validates the return request (its form, through the mixin)
                ret._aftersales_to_form()
                ret.message_subscribe(partner_ids=partner.ids)
                ret.message_post(
                    body=request.env._("Return requested by the customer in the portal."),
                    subtype_xmlid="mail.mt_note",
                )
        except (UserError, ValidationError, ValueError, IntegrityError) as exc:
            # ValueError: a purpose that is none of the core's choices (the ORM refuses it)
            return request.render(
                template, self._aftersales_return_form_values(partner, post, error=self._aftersales_refusal(exc))
            )
        return request.redirect("/my/returns?message=created")
