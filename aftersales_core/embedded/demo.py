"""The demonstration: a seeded, realistic data set run through all workflows on SQLite.

:func:`run_demo` registers customers (home, other and remote provinces), hosts and
accessories and a year of deliveries, then plays the after-sales cases of the seeds
through the core's workflows on an :class:`EmbeddedHost`: complaints answered on the
spot and escalated, small and large returns routed by R1/R2, a quality exception with a
rework BOM, refund returns restocked after the GM's approval, special orders below and
above the R3 limit, a material requisition with its R5 sign-offs, on-site visits with
met and missed R8 deadlines, a CAPA report, surveys with one dissatisfied customer.
Every quantity and deadline that matters is derived from the :class:`Policy`. The same
seed gives the same data and the same narrative.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from aftersales_core.analytics import ParetoRow
from aftersales_core.embedded.host import EmbeddedHost
from aftersales_core.embedded.reports import pareto_report
from aftersales_core.embedded.store import from_cents
from aftersales_core.errors import AftersalesError
from aftersales_core.forms import (
    ComplaintHandlingForm,
    ContractReviewForm,
    InstalledUnit,
    MaterialRequisitionForm,
    OrderRecord,
    QualityFeedbackSheet,
    ReturnTrackingForm,
    SatisfactionSurveyForm,
    ServiceInformationRecord,
)
from aftersales_core.policy import Policy
from aftersales_core.roles import Role
from aftersales_core.rules import in_warranty, region_of, satisfaction_result
from aftersales_core.rules._input import plural
from aftersales_core.workflows.engine import Actor, Step

__all__ = ["DemoResult", "run_demo"]

Say = Callable[[str], None]

_OTHER_PROVINCES = ("Zhejiang", "Guangdong", "Shandong", "Hubei", "Sichuan", "Henan", "Fujian")
_CUSTOMER_NAMES = (
    "Huadong Marine Equipment",
    "Jinling Automation",
    "Yangtze Port Machinery",
    "Qiantang Controls",
    "Pearl River Electric",
    "Qilu Heavy Industry",
    "Chutian Instruments",
    "Bashu Energy",
    "Central Plains Logistics",
    "Minjiang Shipyard",
    "Tianshan Mining",
    "Plateau Power Grid",
    "Haixia Fisheries",
)
# Failure categories and their weights: a few causes dominate, as Pareto expects.
_FAILURES = (
    ("connector corrosion", 30),
    ("firmware fault", 22),
    ("power supply failure", 16),
    ("sensor drift", 10),
    ("transport damage", 7),
    ("display defect", 6),
    ("seal leakage", 5),
    ("operator error", 4),
)
_PRODUCTS = (
    # code, name, class, category, supplier, unit price
    ("MC-200", "Marine controller host", "host", "controller", "", "4800.00"),
    ("PU-90", "Pump control unit", "host", "pump unit", "", "3200.00"),
    ("SN-5", "Level sensor", "accessory", "sensor", "Suzhou Sensing Co.", "260.00"),
    ("CB-12", "Signal cable 12 m", "accessory", "cable", "Wuxi Cable Works", "85.00"),
    ("PS-24", "Power supply 24 V", "accessory", "power", "Changzhou Power Ltd.", "410.00"),
    ("DP-7", "Display panel 7 in", "accessory", "display", "Nanjing Display Tech", "690.00"),
)


@dataclass
class DemoResult:
    """What the demo did: case counts, the Pareto table, the files it wrote."""

    database: Path
    cases: int
    pareto: list[ParetoRow]
    files: dict[str, Path] = field(default_factory=dict)


class _Demo:
    def __init__(self, host: EmbeddedHost, seed: int, say: Say) -> None:
        self.host = host
        self.policy = host.policy
        self.rng = random.Random(seed)
        self.say = say
        zone = self.policy.zone
        # A fixed year, so the same seed always gives the same data and narrative.
        self.start = datetime(2025, 1, 6, 8, 30, tzinfo=zone)
        self.now = self.start
        self.people = {
            role: Actor(user=f"{role.value}.demo", roles=frozenset({role})) for role in Role
        }
        self.customers: list[tuple[str, str]] = []
        self.deliveries: dict[str, list[tuple[str, datetime, str]]] = {}
        self.sections = 0

    # --- helpers --------------------------------------------------------------------

    def section(self, title: str) -> None:
        self.sections += 1
        self.say(f"\n{self.sections}. {title}")

    def who(self, role: Role) -> Actor:
        return self.people[role]

    def act(
        self,
        case_id: int,
        action: str,
        role: Role,
        params: Mapping[str, Any] | None = None,
        *,
        after: timedelta = timedelta(hours=2),
        quiet: bool = False,
    ) -> Step[Any]:
        self.now = self.now + after
        step = self.host.act(case_id, action, self.who(role), params, now=self.now)
        if not quiet:
            h = step.history
            self.say(f"    {h.action} by {role.value}: {h.from_state} -> {h.to_state}")
            for decision in step.decisions:
                self.say(f"      {decision.explain()}")
        return step

    def refused(
        self, case_id: int, action: str, role: Role, params: Mapping[str, Any] | None = None
    ) -> None:
        try:
            self.host.act(case_id, action, self.who(role), params, now=self.now)
        except AftersalesError as exc:
            self.say(f"    refused as expected: {exc}")
        else:  # pragma: no cover - the demo's own consistency check
            raise AssertionError(f"{action} by {role.value} should have been refused")

    def number(self, case_id: int) -> str:
        return self.host.case(case_id).number

    def failure(self) -> str:
        names = [n for n, _ in _FAILURES]
        weights = [w for _, w in _FAILURES]
        return self.rng.choices(names, weights)[0]

    def delivery_of(self, customer: str) -> tuple[str, datetime, str]:
        return self.rng.choice(self.deliveries[customer])

    # --- master data ----------------------------------------------------------------

    def master_data(self) -> None:
        pol = self.policy
        others = [
            p for p in _OTHER_PROVINCES if p != pol.home_province and p not in pol.remote_provinces
        ]
        remotes = sorted(pol.remote_provinces) or [others[-1]]
        provinces = [pol.home_province] * 4 + others[:6] + remotes[:3]
        for name, province in zip(_CUSTOMER_NAMES, provinces, strict=False):
            self.host.add_customer(
                name, province, contact=f"service@{name.split()[0].lower()}.example"
            )
            self.customers.append((name, province))
        for code, name, klass, category, supplier, price in _PRODUCTS:
            self.host.add_product(
                code, name, klass, category=category, supplier=supplier, unit_price=Decimal(price)
            )
        for i, (customer, _) in enumerate(self.customers):
            self.deliveries[customer] = []
            for k in range(3):
                code = _PRODUCTS[(i + k) % len(_PRODUCTS)][0]
                at = self.start - timedelta(days=self.rng.randint(20, 360))
                lot = f"L{at:%y%m}-{self.rng.randint(1, 9)}"
                so = f"SO{at:%y%m}{i:02d}{k}"
                self.host.add_delivery(
                    customer, code, self.rng.randint(5, 60), at, lot=lot, sale_order=so
                )
                self.deliveries[customer].append((code, at, lot))
        self.say(
            f"Master data: {len(self.customers)} customers ({pol.home_province} is the home province; "
            f"remote: {', '.join(remotes[:3])}), {len(_PRODUCTS)} products (hosts and accessories), "
            f"{3 * len(self.customers)} deliveries over the past year."
        )

    # --- workflow 1: complaints -----------------------------------------------------

    def complaint(self, customer: str, *, simple: bool, category: str, quiet: bool = False) -> int:
        code, _, lot = self.delivery_of(customer)
        form = ComplaintHandlingForm(
            channel=self.rng.choice(["phone", "email", "portal"]),
            received_at=self.now,
            customer=customer,
            description=f"{category} reported on {code}",
            product=code,
            lot=lot,
            category=category,
        )
        cid = self.host.open_case("complaint", form, now=self.now)
        self.act(cid, "record", Role.AFTER_SALES, quiet=quiet, after=timedelta(minutes=5))
        if simple:
            self.act(
                cid,
                "answer_on_spot",
                Role.AFTER_SALES,
                {"handling_opinion": "Explained the reset procedure by phone."},
                quiet=quiet,
                after=timedelta(minutes=20),
            )
            self.act(cid, "close", Role.AFTER_SALES, {"customer_accepted": True}, quiet=quiet)
        return cid

    def complaints(self) -> None:
        name = self.customers[0][0]
        self.section("Complaint answered on the spot (workflow 1, complaint)")
        cid = self.complaint(name, simple=True, category="operator error")
        self.say(
            f"  {self.number(cid)}: answered by phone and closed with the customer's acceptance."
        )
        self.section("Complaint escalated: assessed (R11/R12), a return for repair is requested")
        customer = self.customers[4][0]
        cid = self.complaint(customer, simple=False, category="connector corrosion")
        self.act(
            cid,
            "assess",
            Role.QUALITY,
            {"cause": "product_quality", "quality_complaint": True, "stock_of_lot": 0},
        )
        self.act(
            cid,
            "request_return",
            Role.AFTER_SALES,
            {"resolution": "return_for_repair", "handling_opinion": "Return the units for repair."},
        )
        self.escalated = (cid, customer)

    # --- workflows 2 and 4: returns -------------------------------------------------

    def _return_form(
        self,
        purpose: str,
        customer: str,
        hosts: int,
        accessories: int,
        category: str,
        complaint: str = "",
    ) -> ReturnTrackingForm:
        code, delivered, lot = self.delivery_of(customer)
        window = self.policy.return_acceptance_window_days
        if window is not None and (self.now - delivered).days > window:
            # R4 would reject it: a company with a window sees returns of recent deliveries.
            recent = [d for d in self.deliveries[customer] if (self.now - d[1]).days <= window]
            code, delivered, lot = (
                recent[0] if recent else (code, self.now - timedelta(days=window // 2), lot)
            )
        lines = []
        if hosts:
            lines.append(
                {
                    "product": "MC-200",
                    "product_class": "host",
                    "warranty_category": "controller",
                    "quantity": hosts,
                    "lot": lot,
                    "problem": category,
                    "failure_category": category,
                }
            )
        if accessories:
            lines.append(
                {
                    "product": "SN-5",
                    "product_class": "accessory",
                    "warranty_category": "sensor",
                    "quantity": accessories,
                    "lot": lot,
                    "problem": category,
                    "failure_category": category,
                }
            )
        return ReturnTrackingForm.model_validate(
            {
                "purpose": purpose,
                "customer": customer,
                "salesperson": self.who(Role.SALESPERSON).user,
                "deliveries": [f"delivery of {code} on {delivered:%Y-%m-%d}"],
                "delivered_at": delivered,
                "complaint": complaint,
                "lines": lines,
                "return_form": {"requested_at": self.now, "reason": category},
            }
        )

    def _front(self, cid: int, quiet: bool, design_change: bool = False) -> Step[Any]:
        self.act(cid, "submit", Role.SALESPERSON, quiet=quiet)
        self.act(cid, "accept", Role.SALESPERSON, quiet=quiet)
        form = self.host.case(cid).form
        if not isinstance(form, ReturnTrackingForm):  # pragma: no cover - the demo's own check
            raise TypeError(f"case {cid} holds a {type(form).__name__}")
        received = [
            line.model_copy(update={"received_quantity": line.quantity}) for line in form.lines
        ]
        self.act(
            cid,
            "receive",
            Role.WAREHOUSE,
            {"lines": received},
            quiet=quiet,
            after=timedelta(days=3),
        )
        return self.act(
            cid,
            "route",
            Role.AFTER_SALES,
            {"needs_design_change": design_change, "test_findings": "Tested on the bench."},
            quiet=quiet,
        )

    def _parts(self, category: str) -> list[dict[str, Any]]:
        part = {
            "power supply failure": "PS-24",
            "display defect": "DP-7",
            "connector corrosion": "CB-12",
        }.get(category, "SN-5")
        price = next(p[5] for p in _PRODUCTS if p[0] == part)
        return [
            {
                "product": part,
                "quantity": 1,
                "under_warranty": self.rng.random() < 0.6,
                "unit_price": price,
            }
        ]

    def _repair_end(self, cid: int, state: str, category: str, quiet: bool) -> None:
        params = {"repairs_done": f"Fixed: {category}", "replaced_parts": self._parts(category)}
        if state == "in_repair":
            self.act(
                cid, "finish_repair", Role.MAINTENANCE, params, quiet=quiet, after=timedelta(days=2)
            )
        else:
            self.act(
                cid, "finish_rework", Role.PRODUCTION, params, quiet=quiet, after=timedelta(days=4)
            )
            self.act(cid, "pass_inspection", Role.QUALITY, quiet=quiet)

    def return_for_repair(
        self,
        customer: str,
        hosts: int,
        accessories: int,
        *,
        design_change: bool = False,
        quiet: bool = False,
        category: str | None = None,
        complaint: str = "",
    ) -> int:
        cat = category or self.failure()
        cid = self.host.open_case(
            "return_for_repair",
            self._return_form("repair", customer, hosts, accessories, cat, complaint),
            now=self.now,
        )
        step = self._front(cid, quiet, design_change)
        state = step.history.to_state
        if state == "quality_exception":
            form = step.record
            answers = tuple(
                order.model_copy(
                    update={
                        "rnd_decision": "Redesign the connector seal.",
                        "rework_bom": f"BOM-{order.product}-R2",
                    }
                )
                for order in form.quality_exceptions
            )
            qe = answers[0]
            self.act(
                cid,
                "issue_bom",
                Role.RND,
                {"quality_exceptions": answers},
                quiet=quiet,
                after=timedelta(days=2),
            )
            if not quiet:
                self.say(
                    f"      R&D: {qe.rnd_decision} Rework BOM {qe.rework_bom} goes to production (R2)."
                )
            state = "in_rework"
        self._repair_end(cid, state, cat, quiet)
        self.act(cid, "ship_back", Role.WAREHOUSE, quiet=quiet)
        self.act(cid, "close", Role.SALESPERSON, quiet=quiet)
        return cid

    def refund_return(
        self, customer: str, hosts: int, accessories: int, *, settlement: str, quiet: bool = False
    ) -> int:
        cat = self.failure()
        cid = self.host.open_case(
            "refund_return",
            self._return_form("refund", customer, hosts, accessories, cat),
            now=self.now,
        )
        step = self._front(cid, quiet)
        self._repair_end(cid, step.history.to_state, cat, quiet)
        self.act(cid, "stock_in", Role.AFTER_SALES, quiet=quiet)
        if not quiet:
            self.say("    (a salesperson may not approve the stock-in form:)")
            self.refused(cid, "approve_stock_in", Role.SALESPERSON)
        self.act(cid, "approve_stock_in", Role.GENERAL_MANAGER, quiet=quiet)
        form = step.record
        rf = form.return_form.model_dump()
        rf.update({"settlement": settlement, "accepted_by": self.who(Role.SALESPERSON).user})
        if settlement == "deduction":
            rf["deduction_amount"] = Decimal("350.00")
        self.act(cid, "settle", Role.SALESPERSON, {"return_form": rf}, quiet=quiet)
        self.act(cid, "close", Role.SALESPERSON, quiet=quiet)
        return cid

    def _small(self) -> tuple[int, int]:
        """The largest small return of the policy (R1), or (0, 0) when none exists."""
        pol = self.policy
        return pol.return_host_threshold - 1, pol.return_accessory_threshold - 1

    def returns(self) -> None:
        pol = self.policy
        small_h, small_a = self._small()
        cid, customer = self.escalated
        if small_h + small_a:
            self.section(
                f"Return for repair (workflow 2), small: {plural(small_h, 'host')} and "
                f"{plural(small_a, 'accessory')} (R1/R2)"
            )
            done = "repaired by maintenance"
        else:
            # The policy makes every return large: the escalated complaint's return too.
            small_h = 1
            self.section(
                "Return for repair (workflow 2): with thresholds of "
                f"{pol.return_host_threshold} host and {pol.return_accessory_threshold} "
                "accessory no return is small; 1 host goes to production (R1/R2)"
            )
            done = "reworked by production"
        rid = self.return_for_repair(
            customer, small_h, small_a, category="connector corrosion", complaint=self.number(cid)
        )
        self.act(cid, "close", Role.AFTER_SALES, {"customer_accepted": True})
        self.say(
            f"  {self.number(rid)} {done} and shipped back; complaint {self.number(cid)} closed."
        )
        self.section(
            f"Return for repair (workflow 2), large: {pol.return_host_threshold} hosts go back to production (R1)"
        )
        self.return_for_repair(
            self.customers[5][0], pol.return_host_threshold, 0, category="firmware fault"
        )
        self.section(
            f"Return for repair (workflow 2), large with a design problem: {pol.return_accessory_threshold} accessories"
            " -> quality exception order, R&D issues a rework BOM (R2)"
        )
        self.return_for_repair(
            self.customers[1][0],
            0,
            pol.return_accessory_threshold,
            design_change=True,
            category="seal leakage",
        )
        small_h, small_a = self._small()
        if small_h + small_a:
            hosts, accessories = min(1, small_h), min(2, small_a)
            self.section(
                f"Refund return (workflow 4), small ({plural(hosts, 'host')} and "
                f"{plural(accessories, 'accessory')}), refurbished by after-sales and "
                "restocked after the GM's approval (R1, R6)"
            )
            self.refund_return(self.customers[2][0], hosts, accessories, settlement="credit_note")
        self.section(
            f"Refund return (workflow 4), large ({plural(pol.return_host_threshold, 'host')}): "
            "production refurbishes; settled by a deduction"
        )
        self.refund_return(
            self.customers[6][0], pol.return_host_threshold, 0, settlement="deduction"
        )

    # --- workflow 3: special orders -------------------------------------------------

    def special_orders(self) -> None:
        limit = self.policy.special_order_small_max_sets
        small = max(1, limit - 2)
        large = min(limit * 4, self.policy.max_quantity)  # the policy keeps it above the limit
        self.section(f"Special order (workflow 3) of {small} sets (R3)")
        form = ContractReviewForm(
            customer=self.customers[3][0],
            product="MC-200",
            quantity=small,
            requirements="Stainless housing, IP67.",
        )
        cid = self.host.open_case("special_order", form, now=self.now)
        self.act(cid, "review", Role.SALESPERSON, {"modifications": "Swap housing and gaskets."})
        self.act(cid, "route", Role.AFTER_SALES)
        self.act(
            cid, "test_batch", Role.AFTER_SALES, {"test_result": "passed"}, after=timedelta(days=3)
        )
        self.act(cid, "ship", Role.SALESPERSON)
        self.section(f"Special order (workflow 3) of {large} sets (R3)")
        form = ContractReviewForm(
            customer=self.customers[7][0],
            product="PU-90",
            quantity=large,
            requirements="Dual-voltage pump units.",
        )
        cid = self.host.open_case("special_order", form, now=self.now)
        self.act(cid, "review", Role.SALESPERSON)
        self.act(cid, "route", Role.AFTER_SALES)
        self.act(
            cid,
            "approve_samples",
            Role.SALESPERSON,
            {"sample_result": "passed"},
            after=timedelta(days=10),
        )
        self.act(cid, "issue_bom", Role.RND, {"bom": "BOM-PU-90-DV"}, after=timedelta(days=5))
        self.act(cid, "start_production", Role.PMC, after=timedelta(days=7))
        self.act(
            cid, "inspect", Role.QUALITY, {"inspection_result": "passed"}, after=timedelta(days=14)
        )
        self.act(cid, "store", Role.WAREHOUSE)
        self.act(cid, "ship", Role.SALESPERSON)

    # --- material requisition (R5) --------------------------------------------------

    def requisition(self) -> None:
        self.section("Material requisition with its ordered sign-offs (R5)")
        requester = self.who(Role.MAINTENANCE)
        form = MaterialRequisitionForm(
            requester=requester.user,
            purpose="repair of returned hosts",
            lines=({"product": "PS-24", "quantity": 2},),
        )
        cid = self.host.open_case("material_requisition", form, now=self.now)
        self.act(cid, "submit", Role.MAINTENANCE)
        order = self.policy.requisition_signoff_roles
        if len(order) > 1:
            early = order[-1]
            self.say(f"    (the {early.value} may not sign before the {order[0].value}:)")
        else:
            early = Role.CUSTOMER
            self.say(f"    (only the {order[0].value} signs, a customer may not:)")
        self.refused(cid, "sign", early)
        for role in self.policy.requisition_signoff_roles:
            self.act(cid, "sign", role, after=timedelta(hours=1))

    # --- workflow 5: on-site service ------------------------------------------------

    def onsite(self, customer: str, province: str, *, late: bool, quiet: bool = False) -> int:
        code, delivered, lot = self.delivery_of(customer)

        def category(product_code: str) -> str:
            product = self.host.product(product_code)
            return "" if product is None else str(product["category"])

        # R26: the customer's after-sales account, one unit per delivery
        account = tuple(
            InstalledUnit(
                ref=f"{customer}/{k}",
                product=c,
                lot=lt,
                delivered_at=at,
                category=category(c),
            )
            for k, (c, at, lt) in enumerate(self.deliveries[customer])
        )
        form = ServiceInformationRecord(
            received_at=self.now,
            customer=customer,
            province=province,
            request=f"{code} stops during operation",
            product=code,
            lot=lot,
            installed_base=account,
        )
        cid = self.host.open_case("onsite_service", form, now=self.now)
        step = self.act(cid, "record", Role.AFTER_SALES, quiet=quiet, after=timedelta(minutes=10))
        deadline = step.record.deadline
        self.act(
            cid,
            "dispatch",
            Role.AFTER_SALES,
            {"assignee": "wang.technician"},
            quiet=quiet,
            after=timedelta(minutes=30),
        )
        allowed = deadline - form.received_at
        arrived = (
            deadline + timedelta(hours=5)
            if late
            else deadline - min(timedelta(hours=3), allowed / 2)
        )
        params: dict[str, Any] = {"arrived_at": arrived}
        if late:
            params["late_explanation"] = (
                "Flights cancelled by snow; the customer was told by phone."
            )
        self.now = arrived
        self.act(cid, "arrive", Role.MAINTENANCE, params, quiet=quiet, after=timedelta(0))
        cat = self.failure()
        # R24: the on-arrival checks are recorded before the repair starts
        warranty: dict[str, Any] = {"cause": "company", "checks": self.policy.arrival_checklist}
        if not in_warranty(
            delivered, self.now + timedelta(minutes=30), category(code) or None, policy=self.policy
        ):
            # R10: out of warranty, the service contract is signed before the paid work.
            warranty["contract"] = {
                "customer": customer,
                "terms": "Paid repair at list prices for parts and labour.",
                "price": Decimal("900.00"),
                "signed_by_customer": "site engineer",
                "signed_by_sales": self.who(Role.SALESPERSON).user,
                "signed_at": self.now,
            }
        self.act(
            cid,
            "decide_warranty",
            Role.MAINTENANCE,
            warranty,
            quiet=quiet,
            after=timedelta(minutes=30),
        )
        repair = {
            "product_model": code,
            "repair_date": self.now.date(),
            "replaced_parts": [
                {
                    "product": "PS-24",
                    "quantity": 1,
                    "purchased": True,
                    "supplier": "Changzhou Power Ltd.",
                }
            ],
            "failure_cause": cat,
            "customer_name": customer,
            "contact": "site engineer",
            "customer_signature": "site engineer",
        }
        self.act(
            cid,
            "complete",
            Role.MAINTENANCE,
            {
                "repair_list": repair,
                "checks": self.policy.arrival_checklist + self.policy.completion_checklist,
            },
            quiet=quiet,
            after=timedelta(hours=3),
        )
        self.act(cid, "return_old_parts", Role.MAINTENANCE, quiet=quiet, after=timedelta(days=1))
        self.act(
            cid,
            "claim_travel",
            Role.MAINTENANCE,
            {"returned_at": self.now, "travel_amount": Decimal("1260.00")},
            quiet=quiet,
            after=timedelta(hours=20),
        )
        self.act(
            cid,
            "follow_up",
            Role.AFTER_SALES,
            {"follow_up": "phone", "follow_up_result": "Working since the repair; satisfied."},
            quiet=quiet,
            after=timedelta(days=2),
        )
        return cid

    def onsite_visits(self) -> None:
        home = self.customers[0]
        remote = self.customers[-1]
        self.section(
            f"On-site service (workflow 5) in {home[1]} ({region_of(home[1], policy=self.policy)}), on time (R8, R10, R21, R22)"
        )
        self.onsite(home[0], home[1], late=False)
        self.section(
            f"On-site service (workflow 5) in {remote[1]} ({region_of(remote[1], policy=self.policy)}), late: the delay is explained (R8)"
        )
        self.onsite(remote[0], remote[1], late=True)

    # --- workflow 6: quality information and CAPA -----------------------------------

    def quality(self) -> None:
        self.section(
            "Quality information (workflow 6): a repeated failure goes to quality control, with a CAPA report (R13, 8D)"
        )
        window = timedelta(days=self.policy.repeat_window_days)
        # repeat_count - 1 earlier reports within the window: with this one it is repeated.
        earlier = tuple(
            self.now - window * (k + 1) / (self.policy.repeat_count + 1)
            for k in range(self.policy.repeat_count - 1)
        )
        form = QualityFeedbackSheet(
            received_at=self.now,
            source="visit",
            customer=self.customers[1][0],
            product="MC-200",
            failure_mode="connector corrosion",
            description="Green corrosion on the main connector after six months at sea.",
            earlier_occurrences=earlier,
        )
        cid = self.host.open_case("quality_information", form, now=self.now)
        self.act(cid, "record", Role.AFTER_SALES, {"abnormal": True})
        self.act(cid, "classify", Role.AFTER_SALES)
        capa: dict[str, Any] = {
            "team": ["quality.demo", "rnd.demo", "production.demo"],
            "problem": "Connector corrosion on marine controller hosts.",
            "containment": "Sealed connectors on all hosts in stock.",
            "root_cause_occurrence": "Gasket material not salt-spray resistant.",
            "root_cause_escape": "Salt-spray test missing from the release plan.",
            "actions": [
                {
                    "kind": "corrective",
                    "description": "Change gasket to EPDM.",
                    "owner": "rnd.demo",
                    "due": (self.now + timedelta(days=14)).date(),
                },
                {
                    "kind": "preventive",
                    "description": "Add a salt-spray test to release.",
                    "owner": "quality.demo",
                    "due": (self.now + timedelta(days=30)).date(),
                },
            ],
        }
        self.act(cid, "open_capa", Role.QUALITY, {"capa": capa}, after=timedelta(days=1))
        done = dict(capa)
        done["actions"] = [dict(a, done=True) for a in capa["actions"]]
        done.update(
            {
                "verification": "No corrosion after 500 h salt spray.",
                "closed_on": (self.now + timedelta(days=35)).date(),
            }
        )
        self.act(cid, "verify", Role.QUALITY, {"capa": done}, after=timedelta(days=35))
        self.act(cid, "close", Role.QUALITY)
        self.say(
            f"  CAPA (8D) closed. Root cause: {capa['root_cause_occurrence']} Corrective action:"
            f" {capa['actions'][0]['description']} Verification: {done['verification']}"
        )

    # --- workflow 7: order processing -----------------------------------------------

    def order(self) -> None:
        cutoff = self.policy.payment_cutoff
        self.section(
            f"Order processing (workflow 7): paid before the {cutoff:%H:%M} cut-off, an order"
            " ships the same day; paid after it, the next day (R14)"
        )
        local = self.now.astimezone(self.policy.zone)
        at_cutoff = datetime.combine(local.date(), cutoff, tzinfo=self.policy.zone)
        for paid_at in (at_cutoff - timedelta(hours=2), at_cutoff + timedelta(minutes=30)):
            form = OrderRecord(
                customer=self.customers[2][0],
                product="PU-90",
                quantity=6,
                amount=Decimal("19200.00"),
            )
            self.now = paid_at - timedelta(hours=1)
            cid = self.host.open_case("order_processing", form, now=self.now)
            self.say(f"  {self.number(cid)}: payment arrives at {paid_at:%H:%M}")
            self.act(
                cid,
                "confirm",
                Role.SALESPERSON,
                {"delivery_location": "Nantong yard"},
                after=timedelta(0),
            )
            self.act(cid, "prepare", Role.WAREHOUSE, after=timedelta(minutes=20))
            self.act(
                cid,
                "record_payment",
                Role.FINANCE,
                {"paid": form.amount, "paid_at": paid_at},
                after=paid_at - self.now,
            )
            step = self.act(
                cid,
                "ship",
                Role.SALESPERSON,
                {"ship_date": self.now.date()},
                after=timedelta(minutes=10),
            )
            if step.history.to_state != "shipped":
                self.now = at_cutoff + timedelta(hours=18)
                self.act(
                    cid,
                    "ship",
                    Role.SALESPERSON,
                    {"ship_date": self.now.date()},
                    after=timedelta(0),
                )

    # --- R20: surveys ---------------------------------------------------------------

    def surveys(self) -> None:
        self.section("Satisfaction surveys after closed cases (R20)")
        for i, (customer, _) in enumerate(self.customers[:5]):
            scores = [2, 1, 3] if i == 3 else [self.rng.randint(4, 5) for _ in range(3)]
            decision = satisfaction_result(scores, policy=self.policy)
            answers = [
                {"question": q, "score": s}
                for q, s in zip(
                    ("Response time", "Repair quality", "Communication"), scores, strict=True
                )
            ]
            result = "investigate" if decision.outcome != "satisfied" else "satisfied"
            form = SatisfactionSurveyForm.model_validate(
                {
                    "customer": customer,
                    "sent_at": self.now,
                    "answers": answers,
                    "result": result,
                    "follow_up": "Investigation opened; corrective action with the service team."
                    if result == "investigate"
                    else "",
                }
            )
            number = self.host.record_form(
                "satisfaction_survey", form, outcome=result, now=self.now
            )
            if result == "investigate" or i == 0:
                self.say(f"  {number} {customer}: {decision.explain()}")

    # --- what the commands wrote ----------------------------------------------------

    def ledger(self) -> None:
        conn = self.host.conn
        stock = conn.execute(
            "SELECT location, SUM(qty) FROM ("
            " SELECT to_location AS location, quantity AS qty FROM stock_moves"
            " UNION ALL SELECT from_location, -quantity FROM stock_moves)"
            " WHERE location IN ('received', 'in_repair', 'in_rework', 'refurbished', 'sellable',"
            " 'shipped_back') GROUP BY location HAVING SUM(qty) <> 0 ORDER BY location"
        ).fetchall()
        money = conn.execute(
            "SELECT kind, COUNT(*), SUM(amount_cents) FROM money_moves GROUP BY kind ORDER BY kind"
        ).fetchall()
        self.say("\nWhat the commands wrote (stock ledger and money movements):")
        self.say("  stock: " + ", ".join(f"{r[0]} {r[1]}" for r in stock))
        self.say("  money: " + ", ".join(f"{r[0]} {r[1]} x = {from_cents(r[2])}" for r in money))

    # --- background volume for the statistics ---------------------------------------

    def background(self, n: int, progress: Callable[[int, int], None] | None) -> None:
        pol = self.policy
        for i in range(n):
            self.now = self.start + timedelta(days=self.rng.uniform(0, 360))
            customer = self.rng.choice(self.customers)[0]
            roll = self.rng.random()
            if roll < 0.35:
                self.complaint(
                    customer, simple=self.rng.random() < 0.6, category=self.failure(), quiet=True
                )
            elif roll < 0.8:
                big = self.rng.random() < 0.2
                hosts = (
                    pol.return_host_threshold
                    if big
                    else self.rng.randint(0, pol.return_host_threshold - 1)
                )
                acc = self.rng.randint(0, pol.return_accessory_threshold - 1)
                if hosts + acc == 0:
                    acc = 1
                self.return_for_repair(customer, hosts, acc, quiet=True)
            elif roll < 0.9:
                self.refund_return(
                    customer,
                    self.rng.randint(1, 2),
                    self.rng.randint(0, 3),
                    settlement="credit_note",
                    quiet=True,
                )
            else:
                province = dict(self.customers)[customer]
                self.onsite(customer, province, late=self.rng.random() < 0.25, quiet=True)
            if progress is not None:
                progress(i + 1, n)


def run_demo(
    db: str | Path,
    *,
    out: str | Path | None = None,
    cases: int = 120,
    seed: int = 7,
    policy: Policy | None = None,
    say: Say = print,
    progress: Callable[[int, int], None] | None = None,
    charts: bool = True,
) -> DemoResult:
    """Build the demonstration database at ``db`` (replaced if it exists) and tell its story.

    ``cases`` extra cases (complaints, returns, on-site visits) fill the statistics;
    ``out`` is the folder of the Pareto chart and HTML report (skipped when ``None`` or
    ``charts`` is false). Returns what was done.
    """
    path = Path(db)
    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        extra = Path(str(path) + suffix)
        if extra.exists():
            extra.unlink()
    pol = policy if policy is not None else Policy()
    with EmbeddedHost(path, policy=pol) as host:
        demo = _Demo(host, seed, say)
        demo.master_data()
        demo.complaints()
        demo.returns()
        demo.special_orders()
        demo.requisition()
        demo.onsite_visits()
        demo.quality()
        demo.order()
        demo.surveys()
        say(f"\nFilling the statistics with {cases} more cases over the year...")
        demo.background(cases, progress)
        demo.ledger()
        table = pareto_report(host.conn, policy=pol)
        total = int(host.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        result = DemoResult(database=path, cases=total, pareto=table)
        if out is not None and charts:
            from aftersales_core.embedded.render import write_reports

            result.files = write_reports(host, Path(out), today=date(2025, 12, 31))
    return result
