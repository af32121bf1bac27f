# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer portal under /my, through HTTP as real portal users of two customers."""

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase
from .test_service_visit import ARRIVAL, SIGNATURE


class PortalCase(HttpCase, AftersalesCase):
    """Customer A (Ocean Shipping, its contact Capt. Li holds a portal user) and customer
    B (Harbour Works, its own portal user), each with a delivered order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.state_id = cls.env["res.country.state"].create(
            {"name": "Jiangsu", "code": "XPJ", "country_id": cls.env.ref("base.cn").id}
        )
        cls.contact_a = cls.env["res.partner"].create(
            {"name": "Capt. Li", "parent_id": cls.customer.id, "email": "li@ocean.example"}
        )
        cls.portal_a = new_test_user(
            cls.env, login="as_portal_a", password="as_portal_a", groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )
        cls.customer_b = cls.env["res.partner"].create({"name": "Harbour Works", "email": "hw@harbour.example"})
        cls.portal_b = new_test_user(
            cls.env, login="as_portal_b", password="as_portal_b", groups="base.group_portal",
            partner_id=cls.customer_b.id,
        )
        cls.gauge = cls._product("Portal gauge PG-1", cls.cat_host)
        cls.valve = cls._product("Portal valve PV-9", cls.cat_acc)
        cls.order_a = cls._delivered_order({cls.gauge: 3})
        cls.move_a = cls.order_a.picking_ids.move_ids
        # customer B buys only the valve
        cls.order_b = cls._delivered_order_for(cls.customer_b, {cls.valve: 2})
        cls.move_b = cls.order_b.picking_ids.move_ids

    @classmethod
    def _delivered_order_for(cls, partner, quantities):
        customer = cls.customer
        cls.customer = partner
        try:
            return cls._delivered_order(quantities, invoice=False)
        finally:
            cls.customer = customer

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _get(self, url):
        return self.url_open(url, timeout=60)

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)}, timeout=60)

    def _returns(self, partner):
        return self.env["aftersales.return"].search([("partner_id", "=", partner.id)])

    def _tickets(self, partner):
        return self.env["aftersales.ticket"].search([("partner_id", "=", partner.id)])


@tagged("post_install", "-at_install")
class TestPortal(PortalCase):

    # --- seeing one's own cases -------------------------------------------------------

    def test_lists_show_own_cases_with_state_and_next_step(self):
        ret = self._return(self.order_a, {self.gauge: 1})
        ticket = self.env["aftersales.ticket"].create(
            {"partner_id": self.customer.id, "description": "Needle sticks", "product_id": self.gauge.id}
        )
        ticket.action_record()
        visit = self.env["aftersales.service.visit"].create(
            {"partner_id": self.customer.id, "request": "Gauge reads zero", "product_id": self.gauge.id}
        )
        other = self.env["aftersales.ticket"].create({"partner_id": self.customer_b.id, "description": "B's"})
        self._login(self.portal_a)

        counters = self.make_jsonrpc_request("/my/counters", {"counters": [
            "aftersales_complaint_count", "aftersales_return_count", "aftersales_visit_count",
        ]})
        self.assertEqual(counters, {"aftersales_complaint_count": 1, "aftersales_return_count": 1,
                                    "aftersales_visit_count": 1})
        home = self._get("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/returns/new", home.text)

        page = self._get("/my/complaints")
        self.assertIn(ticket.name, page.text)
        self.assertNotIn(other.name, page.text)
        self.assertIn("Received", page.text, "the core's label of the state")
        self.assertIn("Assess", page.text, "the next step, from the core's table")

        page = self._get("/my/returns?sortby=state")
        self.assertIn(ret.name, page.text)
        self.assertIn("Draft", page.text)
        self.assertIn("Submit", page.text)
        self.assertIn(ret.get_portal_url(), page.text.replace("&amp;", "&"))

        page = self._get("/my/visits")
        self.assertIn(visit.name, page.text)

    def test_detail_pages_documents_contract_and_survey(self):
        ticket = self.env["aftersales.ticket"].create(
            {"partner_id": self.customer.id, "description": "Needle sticks", "product_id": self.gauge.id}
        )
        ticket.action_record()
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        )
        credit = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.customer.id, "journal_id": journal.id,
            "aftersales_ticket_id": ticket.id,
            "invoice_line_ids": [Command.create({"name": "Goodwill", "quantity": 1, "price_unit": 50.0})],
        })
        credit.action_post()
        visit = self.env["aftersales.service.visit"].create(
            {"partner_id": self.customer.id, "request": "Gauge reads zero", "product_id": self.gauge.id,
             "ticket_id": ticket.id}
        )
        visit.action_service_contract()
        contract = visit.contract_order_id
        survey_answer = self.env["survey.user_input"]._aftersales_send_survey(self.customer, case=visit)
        self.assertTrue(survey_answer)
        self._login(self.portal_a)

        page = self._get(f"/my/complaints/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.name, page.text)
        self.assertIn(f"/my/invoices/{credit.id}", page.text, "the credit note, as Odoo's portal shows it")
        self.assertIn(f"/my/visits/{visit.id}", page.text)
        self.assertTrue(ticket.resolution_due_at)
        self.assertIn("o_aftersales_deadline", page.text, "R9: the complaint's resolution deadline")

        page = self._get(f"/my/visits/{visit.id}")
        self.assertIn("Sign the service contract", page.text)
        text = page.text.replace("&amp;", "&")
        self.assertIn(contract.get_portal_url(), text, "the contract is the sale quotation's own portal page")
        self.assertIn(survey_answer.get_start_url(), text, "the survey answer of the invitation")

        # the service contract is signed with Odoo's sale portal signature
        sale_page = self._get(contract.get_portal_url())
        self.assertEqual(sale_page.status_code, 200)
        self.assertIn("modalaccept", sale_page.text)
        self.make_jsonrpc_request(contract.get_portal_url(suffix="/accept"),
                                  {"name": "Capt. Li", "signature": SIGNATURE.decode()})
        contract.invalidate_recordset()
        self.assertEqual(contract.signed_by, "Capt. Li")

    # --- refusals: another customer's records ------------------------------------------

    def test_another_customer_cannot_see_or_open_the_records(self):
        ret = self._return(self.order_a, {self.gauge: 1})
        ticket = self.env["aftersales.ticket"].create({"partner_id": self.customer.id, "description": "A's"})
        visit = self.env["aftersales.service.visit"].create({"partner_id": self.customer.id, "request": "A's"})
        token = ret._portal_ensure_token()
        self._login(self.portal_b)

        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["aftersales_return_count"]})
        self.assertEqual(counters["aftersales_return_count"], 0)
        self.assertNotIn(ret.name, self._get("/my/returns").text)
        for rec in (ret, ticket, visit):
            for suffix in ("", "?access_token=wrong-token"):
                page = self._get(rec.access_url + suffix)
                self.assertTrue(page.url.endswith("/my"), f"{rec.access_url}{suffix} redirects home")
                self.assertNotIn(rec.name, page.text)
        # with the record's own token (a link mailed to the customer) the page opens, as in sale
        page = self._get(f"{ret.access_url}?access_token={token}")
        self.assertIn(ret.name, page.text)

        # and by the ORM: the record rules hide A's records from B's portal user
        for rec in (ret, ticket, visit):
            self.assertFalse(rec.with_user(self.portal_b).search([("id", "=", rec.id)]))
        self.assertEqual(ret.with_user(self.portal_a).search([("id", "=", ret.id)]), ret)
        self.assertEqual(ret.line_ids.with_user(self.portal_a).search([("id", "in", ret.line_ids.ids)]),
                         ret.line_ids)
        self.assertFalse(ret.line_ids.with_user(self.portal_b).search([("id", "in", ret.line_ids.ids)]))

    def test_another_customer_cannot_return_the_first_customers_products(self):
        self._login(self.portal_b)
        page = self._get("/my/returns/new")
        self.assertIn(self.move_b.picking_id.name, page.text)
        self.assertNotIn(self.move_a.picking_id.name, page.text, "only its own deliveries are offered")
        with mute_logger("odoo.http"):
            page = self._post("/my/returns/new", {
                "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": "1", "reason": "broken",
                "purpose": "repair",
            })
        self.assertIn("o_aftersales_error", page.text)
        self.assertIn("your own deliveries", page.text)
        self.assertFalse(self._returns(self.customer_b) | self._returns(self.customer))
        # nor file a complaint on A's product
        page = self._post("/my/complaints/new", {"description": "x", "product_id": str(self.gauge.id)})
        self.assertIn("o_aftersales_error", page.text)
        self.assertFalse(self._tickets(self.customer_b))

    # --- filing a return: the backend's constraints and the core decide --------------

    def test_file_a_return_and_quantity_refusals(self):
        self._login(self.portal_a)
        page = self._get("/my/returns/new")
        self.assertIn(self.move_a.picking_id.name, page.text)
        self.assertIn(self.order_a.name, page.text)

        page = self._post("/my/returns/new", {
            "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": "2",
            f"problem_{self.move_a.id}": "reads zero", "reason": "reads zero after installation",
            "purpose": "repair",
        })
        self.assertTrue(page.url.endswith("/my/returns?message=created"))
        ret = self._returns(self.customer)
        self.assertEqual(len(ret), 1)
        self.assertEqual((ret.state, ret.purpose, ret.partner_id), ("draft", "repair", self.customer))
        self.assertEqual((ret.line_ids.move_id, ret.line_ids.quantity, ret.line_ids.problem),
                         (self.move_a, 2, "reads zero"))
        self.assertIn(self.contact_a, ret.message_partner_ids)
        self.assertIn(ret.name, page.text)
        self.assertIn("Draft", page.text)
        # the salesperson submits it in the backend, as any draft (the core's roles)
        ret.with_user(self.sales_user).action_submit()
        self.assertEqual(ret.state, "requested")

        # 3 delivered, 2 held by the first return: 2 more is refused by the line's constraint
        for qty, words in (("2", "can still be returned"), ("0", "greater than 0"),
                           ("-1", "greater than 0"), ("two", "not a whole number")):
            page = self._post("/my/returns/new", {
                "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": qty,
                "reason": "again", "purpose": "refund",
            })
            self.assertIn("o_aftersales_error", page.text, qty)
            self.assertIn(words, page.text, qty)
            self.assertEqual(len(self._returns(self.customer)), 1, f"{qty}: nothing created")
        # the core validates the request (the Return Form needs the reason)
        page = self._post("/my/returns/new", {
            "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": "1", "reason": "", "purpose": "refund",
        })
        self.assertIn("o_aftersales_error", page.text)
        self.assertIn("Reason", page.text)
        self.assertEqual(len(self._returns(self.customer)), 1)
        # a purpose that is none of the core's choices
        page = self._post("/my/returns/new", {
            "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": "1", "reason": "x", "purpose": "swap",
        })
        self.assertIn("o_aftersales_error", page.text)
        self.assertEqual(len(self._returns(self.customer)), 1)
        # the one left is returnable
        self._post("/my/returns/new", {
            "move_ids": str(self.move_a.id), f"quantity_{self.move_a.id}": "1", "reason": "x", "purpose": "refund",
        })
        self.assertEqual(len(self._returns(self.customer)), 2)

    # --- filing a complaint ------------------------------------------------------------

    def test_file_a_complaint(self):
        self._login(self.portal_a)
        page = self._get("/my/complaints/new")
        self.assertIn(self.gauge.display_name, page.text)
        self.assertNotIn(self.valve.display_name, page.text)
        with mute_logger("odoo.sql_db"):
            page = self._post("/my/complaints/new", {
                "description": "The needle sticks at 3 bar.", "product_id": str(self.gauge.id),
                "sale_order_id": str(self.order_a.id), "quantity": "0", "remedy_sought": "replace",
            })
        self.assertIn("o_aftersales_error", page.text)
        self.assertIn("quantity must be positive", page.text, "the backend's own constraint")
        self.assertFalse(self._tickets(self.customer))

        page = self._post("/my/complaints/new", {
            "description": "The needle sticks at 3 bar.", "product_id": str(self.gauge.id),
            "sale_order_id": str(self.order_a.id), "quantity": "1", "remedy_sought": "replace",
        })
        ticket = self._tickets(self.customer)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(
            (ticket.state, ticket.channel, ticket.product_id, ticket.sale_order_id, ticket.contact),
            ("received", "portal", self.gauge, self.order_a, self.contact_a.email),
        )
        self.assertNotEqual(ticket.user_id, self.portal_a, "a portal user is nobody's responsible")
        self.assertIn(ticket.access_url, page.url)
        self.assertIn("Received", page.text)
        # the step was taken by the customer (the core's customer role), in the chatter
        self.assertIn(self.contact_a, ticket.message_ids.author_id)

    # --- the repair list signature ------------------------------------------------------

    def test_sign_the_repair_list(self):
        technician = new_test_user(self.env, login="as_portal_tech",
                                   groups="odoo_addon_aftersales.group_aftersales_user,stock.group_stock_user")
        visit = self.env["aftersales.service.visit"].with_user(self.as_user).create(
            {"partner_id": self.customer.id, "request": "Gauge reads zero", "product_id": self.gauge.id,
             "contact": "Capt. Li, +86 21 5555"}
        )
        visit.action_record()
        visit.technician_id = technician
        visit.action_dispatch()
        visit.with_user(technician).action_arrive()
        # R24: the technician ticks the on-arrival check lines
        visit.check_ids.filtered(lambda c: c.name in ARRIVAL).with_user(technician).write({"done": True})
        visit.cause = "company"
        visit.with_user(technician).action_decide_warranty()
        self.assertEqual(visit.state, "repairing")
        sign_url = visit.get_portal_url(suffix="/sign")
        params = {"name": "Capt. Li", "signature": SIGNATURE.decode()}

        self._login(self.portal_a)
        self.assertIn("does not wait", self.make_jsonrpc_request(sign_url, params)["error"],
                      "no repair list yet")
        visit.write({"repair_date": fields.Date.today(), "failure_cause": "moisture"})
        visit.check_ids.filtered(lambda c: not c.done).with_user(technician).write({"done": True})
        page = self._get(visit.access_url)
        self.assertIn("Sign the repair list", page.text)

        self._login(self.portal_b)
        self.assertIn("Invalid", self.make_jsonrpc_request(f"{visit.access_url}/sign", params)["error"])
        self.assertFalse(visit.repair_signature)

        self._login(self.portal_a)
        result = self.make_jsonrpc_request(sign_url, params)
        self.assertTrue(result.get("force_refresh"), result)
        visit.invalidate_recordset()
        self.assertEqual(visit.repair_signed_by, "Capt. Li")
        self.assertTrue(visit.repair_signature)
        self.assertIn("error", self.make_jsonrpc_request(sign_url, params), "signed once")
        # the core's R24 guard accepts the customer's signature
        visit.with_user(technician).action_complete()
        self.assertEqual(visit.state, "completed")
        self.assertIn("Signed by", self._get(visit.access_url).text)


@tagged("post_install", "-at_install")
class TestPortalTour(PortalCase):
    """A customer files a return in headless Chromium and follows it."""

    def test_portal_return_tour(self):
        self.start_tour("/my", "aftersales_portal_return", login="as_portal_a")
        ret = self._returns(self.customer)
        self.assertEqual(len(ret), 1)
        self.assertEqual((ret.state, ret.line_ids.move_id, ret.line_ids.quantity), ("draft", self.move_a, 2))
