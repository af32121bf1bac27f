# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, timedelta

from aftersales_core import Policy
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase

# a 1x1 PNG: what Odoo's signature widget stores
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
)
ARRIVAL = Policy().arrival_checklist
FRIDAY_5PM = datetime(2026, 5, 8, 9, 0)  # 17:00 in Shanghai, stored in UTC


@tagged("post_install", "-at_install")
class TestServiceVisit(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        china = cls.env.ref("base.cn")
        states = cls.env["res.country.state"].create([
            {"name": name, "code": code, "country_id": china.id}
            for name, code in (("Jiangsu", "XJS"), ("Guangdong", "XGD"), ("Xinjiang", "XXJ"))
        ])
        cls.home, cls.other, cls.remote = states
        cls.customer.state_id = cls.home
        grp = "odoo_addon_aftersales.group_aftersales_"
        cls.technician = new_test_user(
            cls.env, login="as_tech", groups=f"{grp}user,stock.group_stock_user"
        )
        cls.env["hr.employee"].create({"name": "Zhao Tech", "user_id": cls.technician.id})
        cls.supplier = cls.env["res.partner"].create({"name": "Acme Sensors"})
        cls.gauge = cls._product("Gauge TG-100", cls.cat_host, 500.0)
        cls.sensor = cls._product("Sensor S-1", cls.cat_acc, 40.0)
        cls.seal = cls._product("Seal K-2", cls.cat_acc, 5.0)
        cls.env["product.supplierinfo"].create(
            {"partner_id": cls.supplier.id, "product_tmpl_id": cls.sensor.product_tmpl_id.id, "price": 30.0}
        )
        cls.van = cls.env["stock.location"].create(
            {"name": "Zhao's van", "location_id": cls.warehouse.view_location_id.id, "usage": "internal"}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.sensor, cls.van, 5)
        cls.env["stock.quant"]._update_available_quantity(cls.seal, cls.van, 5)
        cls.order = cls._delivered_order({cls.gauge: 1}, invoice=False)

    def _visit(self, user=None, **vals):
        return self.env["aftersales.service.visit"].with_user(user or self.as_user).create({
            "partner_id": self.customer.id,
            "request": "The gauge reads zero.",
            "product_id": self.gauge.id,
            "contact": "Capt. Wu, +86 21 5555",
            **vals,
        })

    def _on_site(self, **vals):
        visit = self._visit(**vals)
        visit.action_record()
        visit.technician_id = self.technician
        visit.action_dispatch()
        visit.with_user(self.technician).action_arrive()
        return visit

    def _repairing(self, **vals):
        visit = self._on_site(**vals)
        self._tick(visit, ARRIVAL)
        visit.cause = "company"
        visit.with_user(self.technician).action_decide_warranty()
        return visit

    def _tick(self, visit, names, user=None):
        """R24: the technician ticks the check lines ``names`` done on the visit's form."""
        lines = visit.check_ids.filtered(lambda c: c.name in names)
        self.assertEqual(sorted(lines.mapped("name")), sorted(names), "a line per check")
        lines.with_user(user or self.technician).write({"done": True})

    def _snapshot(self, visit):
        self.env.invalidate_all()
        return (visit.state, visit.warranty, visit.unit_id, len(visit.message_ids), len(visit.picking_ids))

    # --- the whole visit ----------------------------------------------------------------

    def test_a_visit_end_to_end_with_odoo_documents(self):
        visit = self._visit()
        visit.action_record()
        self.assertEqual((visit.state, visit.region), ("recorded", "home"))
        self.assertEqual(visit.deadline, visit.received_at + timedelta(hours=24))
        self.assertIn("hours left", visit.time_left)

        visit.technician_id = self.technician
        visit.parts_location_id = self.van
        visit.action_dispatch()
        event = visit.event_id
        self.assertTrue(event, "dispatch makes a calendar event")
        self.assertEqual(event.user_id, self.technician)
        self.assertIn(self.technician.partner_id, event.partner_ids)
        self.assertEqual(event.stop, visit.deadline)
        self.assertEqual((event.res_model, event.res_id), (visit._name, visit.id))

        visit.with_user(self.technician).action_arrive()
        self.assertEqual(visit.state, "on_site")
        self._tick(visit, ARRIVAL)
        visit.cause = "company"
        visit.with_user(self.technician).action_decide_warranty()
        unit = self.order.picking_ids.move_line_ids
        self.assertEqual(visit.unit_id, unit, "R26: the warranty is read from the delivered unit")
        self.assertEqual(visit.warranty, "free_repair")
        self.assertEqual(visit.delivered_at, unit.date)

        visit.action_parts_transfer({self.sensor: 1, self.seal: 2})
        parts = visit.picking_ids
        self.assertEqual((parts.location_id, parts.aftersales_visit_role), (self.van, "parts"))
        self._validate(parts)
        self.assertEqual(self._qty(self.sensor, self.van), 4)

        visit.write({"repair_date": fields.Date.today(), "failure_cause": "moisture in the sensor",
                     "customer_comments": "Fast and clean."})
        with self.assertRaisesRegex(UserError, "Repaired parts qualified.*R24"):
            visit.with_user(self.technician).action_complete()
        self._tick(visit, Policy().completion_checklist)
        with self.assertRaisesRegex(UserError, "signed"):
            visit.with_user(self.technician).action_complete()
        visit.write({"repair_signed_by": "Capt. Wu", "repair_signature": SIGNATURE})
        visit.with_user(self.technician).action_complete()
        self.assertEqual(visit.state, "completed")

        visit.with_user(self.technician).action_return_old_parts()
        receipts = visit.picking_ids.filtered(lambda p: p.aftersales_visit_role == "old_parts")
        self.assertEqual(len(receipts), 2, "one receipt per responsibility (R21)")
        by_who = {r.location_dest_id.aftersales_old_parts_responsibility: r for r in receipts}
        self.assertEqual(set(by_who), {"company", "supplier"})
        self.assertEqual(by_who["supplier"].move_ids.product_id, self.sensor)
        self.assertEqual(by_who["company"].move_ids.product_id, self.seal)
        self.assertEqual(by_who["company"].move_ids.product_uom_qty, 2)
        vendor = visit.picking_ids.filtered(lambda p: p.aftersales_visit_role == "vendor_return")
        self.assertEqual(vendor.partner_id, self.supplier)
        self.assertEqual(vendor.location_dest_id, self.env.ref("stock.stock_location_suppliers"))
        self._validate(by_who["supplier"])
        vendor.action_assign()
        self._validate(vendor)
        self.assertEqual(vendor.state, "done")
        refund = visit.vendor_refund_ids
        self.assertEqual((refund.move_type, refund.state, refund.partner_id), ("in_refund", "draft", self.supplier))
        self.assertEqual(refund.amount_untaxed, 30.0)
        claims = self.env["aftersales.parts.claim"].search([("visit_id", "=", visit.id)])
        self.assertEqual(claims.supplier_id, self.supplier, "the monthly parts-claims statistics (R21/R23)")
        self.assertEqual(claims.product_id, self.sensor)
        self.assertEqual(sum(claims.mapped("amount")), 30.0)
        groups = self.env["aftersales.parts.claim"].read_group(
            [("visit_id", "=", visit.id)], ["quantity:sum"], ["date:month"]
        )
        self.assertEqual(len(groups), 1)

        visit.write({"returned_at": fields.Datetime.now(), "travel_amount": 320.5})
        visit.with_user(self.technician).action_claim_travel()
        sheet = visit.sudo().expense_sheet_id  # the technician's sheet; an approver reads it
        self.assertEqual(sheet.state, "submit")
        self.assertEqual(sheet.employee_id.user_id, self.technician)
        self.assertEqual(sheet.total_amount, 320.5)
        self.assertEqual(visit.expense_due_at, visit.returned_at + timedelta(days=2))
        self.assertFalse(visit.expense_overdue)
        self.assertTrue(visit.activity_ids.filtered(lambda a: "Follow-up" in (a.summary or "")))

        visit.follow_up = "phone"
        with self.assertRaisesRegex(UserError, "missing: Follow Up Result"):
            visit.action_follow_up()
        visit.follow_up_result = "Reads right since the repair."
        visit.action_follow_up()
        self.assertEqual(visit.state, "closed")
        survey = self.env["survey.user_input"].search(
            [("aftersales_res_model", "=", visit._name), ("aftersales_res_id", "=", visit.id)]
        )
        self.assertEqual(survey.partner_id, self.customer, "R20: the closed visit invites the customer")

    def test_overdue_expenses_are_flagged(self):
        visit = self._repairing()
        visit.write({"expense_due_at": fields.Datetime.now() - timedelta(hours=1)})
        self.assertTrue(visit.expense_overdue)
        found = self.env["aftersales.service.visit"].search([("expense_overdue", "=", True)])
        self.assertIn(visit, found)

    # --- R8 deadlines, with a frozen clock across a weekend ---------------------------

    def test_deadlines_per_region_across_a_weekend(self):
        for state, region, hours, weekday in (
            (self.home, "home", 24, "Saturday"),
            (self.other, "other", 48, "Sunday"),
            (self.remote, "remote", 72, "Monday"),
        ):
            self.customer.state_id = state
            with freeze_time(FRIDAY_5PM):
                visit = self._visit(received_at=FRIDAY_5PM)
                visit.action_record()
                self.assertEqual(visit.region, region)
                self.assertEqual(visit.deadline, FRIDAY_5PM + timedelta(hours=hours))
                self.assertEqual(visit.deadline.strftime("%A"), weekday)
                self.assertEqual(visit.time_left, f"{hours:.1f} hours left")
            with freeze_time(FRIDAY_5PM + timedelta(hours=hours + 2)):
                visit.invalidate_recordset(["time_left"])
                self.assertEqual(visit.time_left, "2.0 hours late")
                visit.technician_id = self.technician
                visit.action_dispatch()
                visit.arrived_at = fields.Datetime.now()
                before = self._snapshot(visit)
                with self.assertRaisesRegex(UserError, "Late Explanation.*rule R8"):
                    visit.with_user(self.technician).action_arrive()
                self.assertEqual(self._snapshot(visit), before, "a refused action changes nothing")
                visit.late_explanation = "Snow closed the airport; told the customer by phone."
                visit.with_user(self.technician).action_arrive()
                self.assertEqual(visit.state, "on_site")

    def test_the_company_province_table_decides_the_region(self):
        self.company.aftersales_home_province = "Guangdong"
        self.company.aftersales_remote_provinces = "Jiangsu"
        visit = self._visit()
        visit.action_record()
        self.assertEqual(visit.region, "remote")
        self.customer.state_id = False
        with self.assertRaisesRegex(UserError, "province"):
            self._visit().action_record()

    # --- R28 ------------------------------------------------------------------------

    def test_a_consultation_is_answered_and_never_dispatched(self):
        visit = self._visit(mode="consultation")
        visit.action_record()
        self.assertFalse(visit.deadline)
        visit.technician_id = self.technician
        with self.assertRaisesRegex(UserError, "R28"):
            visit.action_dispatch()
        self.assertFalse(visit.event_id)
        with self.assertRaisesRegex(UserError, "missing: Answer"):
            visit.action_answer_remotely()
        visit.answer = "Reset the zero point with the key behind the cover."
        visit.action_answer_remotely()
        visit.write({"follow_up": "email", "follow_up_result": "Solved."})
        visit.action_follow_up()
        self.assertEqual(visit.state, "closed")

    def test_the_site_s_final_customer_is_surveyed_when_the_visit_closes(self):
        """R20 (004 §6.1.2): the ship owner on site answers the survey too, linked to the visit."""
        self.customer.email = "yard@harbour.example"
        owner = self.env["res.partner"].create({"name": "Blue Whale Lines", "email": "ops@bluewhale.example"})
        visit = self._visit(mode="consultation", final_partner_id=owner.id)
        visit.action_record()
        visit.answer = "Reset the zero point with the key behind the cover."
        visit.action_answer_remotely()
        visit.write({"follow_up": "phone", "follow_up_result": "Solved."})
        visit.action_follow_up()
        answers = self.env["survey.user_input"].search(
            [("aftersales_res_model", "=", visit._name), ("aftersales_res_id", "=", visit.id)]
        )
        self.assertEqual(answers.partner_id, self.customer | owner)
        self.assertEqual(answers.filtered("aftersales_final_customer").partner_id, owner)

    # --- R24, R26, R10 -----------------------------------------------------------------

    def test_checks_are_needed_before_the_warranty(self):
        visit = self._on_site()
        self._tick(visit, ("product_certificate", "service_card"))
        before = self._snapshot(visit)
        with self.assertRaisesRegex(UserError, "Hidden parts checked.*R24"):
            visit.with_user(self.technician).action_decide_warranty()
        self.assertEqual(self._snapshot(visit), before)

    def test_checklists_are_lines_from_the_company_policy(self):
        self.company.write({"aftersales_arrival_checklist": "certificate_shown, main_cause_recorded",
                            "aftersales_completion_checklist": "parts_qualified"})
        visit = self._visit()
        visit.action_record()
        self.assertFalse(visit.check_ids, "no checks before the visit is dispatched")
        visit.technician_id = self.technician
        visit.action_dispatch()
        lines = visit.check_ids
        self.assertEqual(
            [(c.name, c.stage, c.done) for c in lines],
            [("certificate_shown", "arrival", False), ("main_cause_recorded", "arrival", False),
             ("parts_qualified", "completion", False)],
        )
        self.assertEqual(lines[0].label, "Certificate shown")
        # a check the company adds later joins on arrival; none is made twice
        self.company.aftersales_arrival_checklist = "certificate_shown, main_cause_recorded, card_shown"
        visit.with_user(self.technician).action_arrive()
        self.assertEqual(visit.check_ids.mapped("name"),
                         ["certificate_shown", "main_cause_recorded", "card_shown", "parts_qualified"])
        first = visit.check_ids[0]
        first.with_user(self.technician).write({"done": True, "note": "Certificate 2026-0412"})
        self.assertEqual((first.done_by_id, bool(first.done_at)), (self.technician, True))
        first.with_user(self.technician).done = False
        self.assertEqual((first.done_by_id, first.done_at), (self.env["res.users"], False))
        self._tick(visit, ("certificate_shown", "card_shown"))
        before = self._snapshot(visit)
        with self.assertRaisesRegex(UserError, "Main cause recorded.*R24"):
            visit.with_user(self.technician).action_decide_warranty()
        self.assertEqual(self._snapshot(visit), before, "a refused step changes nothing")
        self._tick(visit, ("main_cause_recorded",))
        self.assertEqual(visit._aftersales_to_form().checks,
                         ("certificate_shown", "main_cause_recorded", "card_shown"),
                         "the core reads the done lines")
        visit.cause = "company"
        visit.with_user(self.technician).action_decide_warranty()
        self.assertEqual(visit.state, "repairing")
        visit.write({"repair_date": fields.Date.today(), "failure_cause": "moisture",
                     "repair_signed_by": "Capt. Wu", "repair_signature": SIGNATURE})
        with self.assertRaisesRegex(UserError, "Parts qualified.*R24"):
            visit.with_user(self.technician).action_complete()
        self._tick(visit, ("parts_qualified",))
        visit.with_user(self.technician).action_complete()
        self.assertEqual(visit.state, "completed")
        # the form shows the lines as a list; a salesperson reads them but ticks none
        arch = visit.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="check_ids"', arch)
        with self.assertRaises(AccessError):
            visit.check_ids[:1].with_user(self.sales_user).write({"done": False})

    def test_a_product_not_on_the_account_is_refused(self):
        other = self._product("Level gauge LG-1", self.cat_host)
        visit = self._on_site(product_id=other.id)
        self._tick(visit, ARRIVAL)
        with self.assertRaisesRegex(UserError, "R26"):
            visit.with_user(self.technician).action_decide_warranty()
        self.assertEqual(visit.state, "on_site")

    def test_out_of_warranty_needs_the_contract_signed_online(self):
        with freeze_time(fields.Datetime.now() + timedelta(days=800)):
            visit = self._on_site()
            self._tick(visit, ARRIVAL)
            with self.assertRaisesRegex(UserError, "contract.*rule R10"):
                visit.with_user(self.technician).action_decide_warranty()
            action = visit.action_service_contract()
            order = visit.contract_order_id
            self.assertEqual((action["res_id"], order.partner_id), (order.id, self.customer))
            self.assertTrue(order.require_signature)
            with self.assertRaisesRegex(UserError, "R10"):
                visit.with_user(self.technician).action_decide_warranty()
            order.write({"signed_by": "Capt. Wu", "signed_on": fields.Datetime.now() - timedelta(minutes=5),
                         "signature": SIGNATURE})
            visit.with_user(self.technician).action_decide_warranty()
            self.assertEqual(visit.warranty, "paid_service")

    # --- R25 ------------------------------------------------------------------------

    def test_a_difficult_problem_goes_to_the_leader(self):
        visit = self._repairing()
        visit.difficulty = "Controller firmware corrupt."
        visit.with_user(self.technician).action_escalate()
        self.assertEqual(visit.state, "escalated")
        todo = visit.activity_ids.filtered(lambda a: a.user_id == self.as_manager)
        self.assertTrue(todo, "the after-sales manager (the leader) gets a to-do")
        visit.leader_decision = "Flash firmware v2 from the laptop."
        with self.assertRaisesRegex(UserError, "leader.*rule R25"):
            visit.with_user(self.technician).action_decide_solution()
        visit.with_user(self.as_manager).action_decide_solution()
        self.assertEqual(visit.state, "repairing")
        visit.write({"repair_date": fields.Date.today(), "failure_cause": "firmware",
                     "repair_signed_by": "Capt. Wu", "repair_signature": SIGNATURE})
        self._tick(visit, Policy().completion_checklist)
        with self.assertRaisesRegex(UserError, "factory.*rule R25"):
            visit.with_user(self.technician).action_complete()
        visit.factory_contacted = True
        visit.with_user(self.technician).action_complete()
        self.assertEqual(visit.state, "completed")

    # --- roles, companies, the complaint ----------------------------------------------

    def test_roles_are_checked(self):
        visit = self._visit()
        visit.action_record()
        visit.technician_id = self.technician
        with self.assertRaises(AccessError):
            visit.with_user(self.sales_user).action_dispatch()
        self.assertEqual(visit.state, "recorded")

    def test_rule_isolates_companies(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        theirs = self.env["aftersales.service.visit"].create(
            {"partner_id": self.customer.id, "request": "x", "company_id": other.id}
        )
        mine = self._visit()
        visible = self.env["aftersales.service.visit"].with_user(self.as_user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(self.as_user).read(["name"])

    def test_the_installed_base_shows_units_with_warranty_and_history(self):
        units = self.env["aftersales.installed.unit"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(units.product_id, self.gauge)
        # the delivered unit's own date (its move line's; the picking's date_done may be a
        # second later on a busy machine)
        self.assertEqual(units.delivered_at, self.order.picking_ids.move_line_ids.date)
        self.assertEqual(units.warranty_end_at.date(), (units.delivered_at + timedelta(days=365)).date())
        self._visit()
        units.invalidate_recordset()
        self.assertEqual((units.visit_count, units.ticket_count), (1, 0))

    def test_a_complaint_dispatches_a_visit(self):
        ticket = self.env["aftersales.ticket"].with_user(self.as_user).create({
            "partner_id": self.customer.id, "product_id": self.gauge.id,
            "description": "Gauge reads zero on board.", "cause": "quantity",
        })
        ticket.action_record()
        ticket.action_assess()
        ticket.action_dispatch_service()
        visit = ticket.visit_ids
        self.assertEqual(ticket.state, "on_site")
        self.assertEqual((visit.partner_id, visit.product_id, visit.state), (self.customer, self.gauge, "draft"))
        self.assertIn("reads zero", visit.request)
