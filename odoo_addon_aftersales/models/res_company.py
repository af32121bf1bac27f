# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The company's after-sales policy: the values of ``aftersales_core.Policy`` it edits."""

from datetime import time
from decimal import Decimal
from typing import get_args

from aftersales_core.policy import LEADER_ROLES, Policy, PolicyError, Weekday
from aftersales_core.roles import Role

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get


def _default(name):
    """A field default read from ``Policy()`` (the seeds live in the core only)."""
    return lambda self: getattr(Policy(), name)


def _hours_to_time(value):
    """Float hours (15.5) -> ``time(15, 30)``; out of range is left to the Policy."""
    minutes = round((value or 0.0) * 60)
    if not 0 <= minutes < 24 * 60:
        raise PolicyError("payment_cutoff", f"{value} is not an hour of the day (0 to 24)")
    return time(minutes // 60, minutes % 60)


def _time_to_hours(value):
    return value.hour + value.minute / 60.0


# company field -> (Policy field, to-policy conversion)
POLICY_FIELDS = {
    "aftersales_return_host_threshold": ("return_host_threshold", None),
    "aftersales_return_accessory_threshold": ("return_accessory_threshold", None),
    "aftersales_special_order_small_max_sets": ("special_order_small_max_sets", None),
    "aftersales_return_acceptance_window_days": (
        "return_acceptance_window_days",
        lambda v: v or None,
    ),
    "aftersales_resale_requires_gm_approval": ("resale_requires_gm_approval", None),
    "aftersales_charge_replaced_parts": ("charge_replaced_parts", None),
    "aftersales_arrival_hours_home": ("arrival_hours_home", None),
    "aftersales_arrival_hours_other": ("arrival_hours_other", None),
    "aftersales_arrival_hours_remote": ("arrival_hours_remote", None),
    "aftersales_home_province": ("home_province", lambda v: (v or "").strip()),
    "aftersales_remote_provinces": (
        "remote_provinces",
        lambda v: frozenset(p.strip() for p in (v or "").split(",") if p.strip()),
    ),
    "aftersales_resolution_hours": ("resolution_hours", None),
    "aftersales_unreachable_customer_days": ("unreachable_customer_days", None),
    "aftersales_default_warranty_months": ("default_warranty_months", None),
    "aftersales_contract_required_out_of_warranty": ("contract_required_out_of_warranty", None),
    "aftersales_repeat_window_days": ("repeat_window_days", None),
    "aftersales_repeat_count": ("repeat_count", None),
    "aftersales_batch_problem_quantity": ("batch_problem_quantity", None),
    "aftersales_payment_cutoff": ("payment_cutoff", _hours_to_time),
    "aftersales_timezone": ("timezone", None),
    "aftersales_engineering_deposit_ratio": (
        "engineering_deposit_ratio",
        lambda v: Decimal(str(v)),
    ),
    "aftersales_survey_after_closed_case": ("survey_after_closed_case", None),
    "aftersales_survey_final_customers": ("survey_final_customers", None),
    "aftersales_survey_every_months": ("survey_every_months", None),
    "aftersales_dissatisfied_below_score": ("dissatisfied_below_score", None),
    "aftersales_weekly_review_weekday": ("weekly_review_weekday", None),
    "aftersales_travel_expense_days": ("travel_expense_days", None),
    "aftersales_pareto_vital_few_percent": ("pareto_vital_few_percent", None),
    # issue 9: R24, R25, R26, R28
    "aftersales_arrival_checklist": ("arrival_checklist", lambda v: _names(v)),
    "aftersales_completion_checklist": ("completion_checklist", lambda v: _names(v)),
    "aftersales_difficult_problem_leader": ("difficult_problem_leader", None),
    "aftersales_installed_base_required": ("installed_base_required", None),
    "aftersales_service_modes": ("service_modes", lambda v: _names(v)),
    "aftersales_requisition_before_work": ("requisition_before_work", None),
}


def _names(value):
    """A comma-separated list of names (R24 checks, R28 modes) as the core's tuple."""
    return tuple(n.strip() for n in (value or "").split(",") if n.strip())


LEADERS = [(r.value, r.value.replace("_", " ").capitalize()) for r in LEADER_ROLES]

# Policy fields held in several company fields, in order (an empty one is left out):
# R5's sign-off roles, one field per step.
POLICY_SEQUENCES = {
    "requisition_signoff_roles": (
        "aftersales_requisition_signoff_1",
        "aftersales_requisition_signoff_2",
        "aftersales_requisition_signoff_3",
    ),
}
SEQUENCE_FIELDS = tuple(f for fnames in POLICY_SEQUENCES.values() for f in fnames)

# The roles a person may hold (the core's values; not the customer, not the system).
SIGNOFF_ROLES = [
    (role.value, role.value.replace("_", " ").capitalize())
    for role in Role
    if role not in (Role.CUSTOMER, Role.SYSTEM)
]


def _default_signoff(step):
    """The R5 role of ``step`` (0-based) in ``Policy()``, or none."""

    def default(self):
        roles = Policy().requisition_signoff_roles
        return roles[step].value if step < len(roles) else False

    return default

WEEKDAYS = [(day, day.capitalize()) for day in get_args(Weekday)]


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_customer_mails = fields.Boolean(
        string="Mail the customer at each step",
        default=True,
        help="Send the customer a mail (in the customer's language) when a complaint is "
        "received, a return is accepted, refused, received, routed, shipped back or "
        "refunded, a service visit is scheduled, and the satisfaction survey invitation "
        "with the company's own text.",
    )

    aftersales_classification_society_id = fields.Many2one(
        "res.partner", string="Classification society contact",
        help="R13: e-mailed when a marine product's production is suspended (e.g. CCS).",
    )
    aftersales_return_host_threshold = fields.Integer(
        string="Return: hosts to production",
        default=_default("return_host_threshold"),
        help="R1/R2: a return of at least this many hosts goes to production.",
    )
    aftersales_return_accessory_threshold = fields.Integer(
        string="Return: accessories to production",
        default=_default("return_accessory_threshold"),
        help="R1/R2: a return of at least this many accessories goes to production.",
    )
    aftersales_special_order_small_max_sets = fields.Integer(
        string="Special order: largest small order (sets)",
        default=_default("special_order_small_max_sets"),
        help="R3: the largest special order after-sales modifies itself.",
    )
    aftersales_return_acceptance_window_days = fields.Integer(
        string="Return acceptance window (days)",
        default=lambda self: Policy().return_acceptance_window_days or 0,
        help="R4: days after delivery within which a return is accepted automatically; "
        "0 means a person always decides.",
    )
    aftersales_resale_requires_gm_approval = fields.Boolean(
        string="Resale needs the general manager",
        default=_default("resale_requires_gm_approval"),
        help="R6: a stock-in form of refurbished goods needs the general manager's approval.",
    )
    aftersales_charge_replaced_parts = fields.Boolean(
        string="Charge replaced parts",
        default=_default("charge_replaced_parts"),
        help="R7: replaced parts are charged to the customer unless under warranty.",
    )
    aftersales_arrival_hours_home = fields.Integer(
        string="Arrival hours (home province)",
        default=_default("arrival_hours_home"),
        help="R8",
    )
    aftersales_arrival_hours_other = fields.Integer(
        string="Arrival hours (other provinces)",
        default=_default("arrival_hours_other"),
        help="R8",
    )
    aftersales_arrival_hours_remote = fields.Integer(
        string="Arrival hours (remote provinces)",
        default=_default("arrival_hours_remote"),
        help="R8",
    )
    aftersales_home_province = fields.Char(
        string="Home province", default=_default("home_province"), help="R8"
    )
    aftersales_remote_provinces = fields.Char(
        string="Remote provinces",
        default=lambda self: ", ".join(sorted(Policy().remote_provinces)),
        help="R8: comma-separated provinces and regions counted as remote.",
    )
    aftersales_resolution_hours = fields.Integer(
        string="Resolution hours",
        default=_default("resolution_hours"),
        help="R9: hours to solve a quality problem of supplied products.",
    )
    aftersales_unreachable_customer_days = fields.Integer(
        string="Unreachable customer (days)",
        default=_default("unreachable_customer_days"),
        help="Complaints: days since the last attempt to reach the customer after which a "
        "manager may close a complaint without the customer's acceptance.",
    )
    aftersales_default_warranty_months = fields.Integer(
        string="Default warranty (months)",
        default=_default("default_warranty_months"),
        help="R10",
    )
    aftersales_contract_required_out_of_warranty = fields.Boolean(
        string="Contract required out of warranty",
        default=_default("contract_required_out_of_warranty"),
        help="R10",
    )
    aftersales_repeat_window_days = fields.Integer(
        string="Repeat window (days)", default=_default("repeat_window_days"), help="R13"
    )
    aftersales_repeat_count = fields.Integer(
        string="Repeat count", default=_default("repeat_count"), help="R13"
    )
    aftersales_batch_problem_quantity = fields.Integer(
        string="Batch problem quantity", default=_default("batch_problem_quantity"), help="R13"
    )
    aftersales_payment_cutoff = fields.Float(
        string="Payment cut-off (hour)",
        default=lambda self: _time_to_hours(Policy().payment_cutoff),
        help="R14: orders unpaid by this hour do not ship that day.",
    )
    aftersales_timezone = fields.Selection(
        _tz_get, string="After-sales time zone", default=_default("timezone"), help="R8/R14"
    )
    aftersales_engineering_deposit_ratio = fields.Float(
        string="Engineering deposit ratio",
        digits=(3, 2),
        default=lambda self: float(Policy().engineering_deposit_ratio),
        help="R15: an engineering order goes into production once more than this share is paid.",
    )
    aftersales_survey_after_closed_case = fields.Boolean(
        string="Survey after a closed case", default=_default("survey_after_closed_case"), help="R20"
    )
    aftersales_survey_final_customers = fields.Boolean(
        string="Survey final customers too", default=_default("survey_final_customers"),
        help="R20: the final customer (end user) named on a case is surveyed as well as "
        "the direct customer (004 §6.1.2).",
    )
    aftersales_survey_every_months = fields.Integer(
        string="Survey every (months)", default=_default("survey_every_months"), help="R20"
    )

    aftersales_dissatisfied_below_score = fields.Integer(
        string="Dissatisfied below score",
        default=_default("dissatisfied_below_score"),
        help="R20: an average survey score (1-5) below this counts as dissatisfied.",
    )
    aftersales_weekly_review_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly complaint review",
        default=_default("weekly_review_weekday"),
        help="R19: the weekday of the complaint review meeting.",
    )
    aftersales_travel_expense_days = fields.Integer(
        string="Travel expenses within (days)",
        default=_default("travel_expense_days"),
        help="R22: days after returning within which travel expenses are claimed.",
    )
    aftersales_pareto_vital_few_percent = fields.Integer(
        string="Pareto vital few (%)",
        default=_default("pareto_vital_few_percent"),
        help="R23: cumulative percentage up to which failure modes are the vital few.",
    )

    aftersales_arrival_checklist = fields.Char(
        string="On-arrival checks",
        default=lambda self: ", ".join(Policy().arrival_checklist),
        help="R24: comma-separated checks recorded on arrival before the repair starts.",
    )
    aftersales_completion_checklist = fields.Char(
        string="Checks before the repair list",
        default=lambda self: ", ".join(Policy().completion_checklist),
        help="R24: comma-separated checks recorded before the customer signs the repair list.",
    )
    aftersales_difficult_problem_leader = fields.Selection(
        LEADERS,
        string="Leader of difficult problems",
        default=lambda self: Policy().difficult_problem_leader.value,
        help="R25: the role a problem not solvable on the spot is reported to.",
    )
    aftersales_installed_base_required = fields.Boolean(
        string="Warranty from the installed base only",
        default=_default("installed_base_required"),
        help="R26: the on-site warranty is read from a unit delivered to the customer.",
    )
    aftersales_service_modes = fields.Char(
        string="Service modes",
        default=lambda self: ", ".join(Policy().service_modes),
        help="R28: comma-separated modes offered: consultation, remote_guidance, visit.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company, vals in zip(companies, vals_list, strict=True):
            given = {f for f in ("aftersales_timezone", "aftersales_home_province",
                                 "aftersales_remote_provinces") if f in vals}
            regional = company._aftersales_regional_defaults()
            if regional and set(regional) - given:
                company.write({k: v for k, v in regional.items() if k not in given})
        return companies

    def _aftersales_regional_defaults(self):
        """R8/R14 defaults that follow the company: its time zone, and outside China (the
        seeds' country) its own state as home province with no remote list."""
        self.ensure_one()
        vals = {}
        tz = self.partner_id.tz or self.env.user.tz
        if tz and tz != self.aftersales_timezone:
            vals["aftersales_timezone"] = tz
        country = self.country_id
        if country and country.code != "CN":
            home = self.state_id.name or country.name
            vals["aftersales_home_province"] = home
            vals["aftersales_remote_provinces"] = ""
        return vals

    def action_aftersales_regional_defaults(self):
        """Settings button: apply the time zone and province defaults of the company."""
        for company in self:
            vals = company._aftersales_regional_defaults()
            if vals:
                company.write(vals)
        return True

    aftersales_requisition_signoff_1 = fields.Selection(
        SIGNOFF_ROLES,
        string="Requisition: first sign-off",
        default=_default_signoff(0),
        help="R5: the role that signs a material requisition first (sales department head).",
    )
    aftersales_requisition_signoff_2 = fields.Selection(
        SIGNOFF_ROLES,
        string="Requisition: second sign-off",
        default=_default_signoff(1),
        help="R5: the role that reviews second (production manager); empty: no such step.",
    )
    aftersales_requisition_signoff_3 = fields.Selection(
        SIGNOFF_ROLES,
        string="Requisition: third sign-off",
        default=_default_signoff(2),
        help="R5: the role that notes last and issues (warehouse); empty: no such step.",
    )
    aftersales_requisition_before_work = fields.Boolean(
        string="Work waits for its requisitions",
        default=_default("requisition_before_work"),
        help="R5: a repair or manufacturing order does not start before its material "
        "requisitions are signed off and issued.",
    )

    aftersales_order_processing = fields.Boolean(
        string="Follow sale orders",
        default=True,
        help="Order processing (R14-R18, R27): each confirmed sale order gets its follow-up, "
        "and its deliveries and manufacturing orders go through the core's rules. Off: "
        "sale orders run as plain Odoo.",
    )

    def _aftersales_policy_mapping(self):
        self.ensure_one()
        data = {}
        for fname, (key, convert) in POLICY_FIELDS.items():
            value = self[fname]
            data[key] = convert(value) if convert else value
        for key, fnames in POLICY_SEQUENCES.items():
            data[key] = tuple(self[f] for f in fnames if self[f])
        # R10: warranty months per product category, edited on the category.
        categories = self.env["product.category"].sudo().search([("aftersales_warranty_months", ">", 0)])
        data["warranty_months"] = {c.complete_name: c.aftersales_warranty_months for c in categories}
        return data

    def _aftersales_policy(self):
        """The company's :class:`aftersales_core.Policy` (the current company if empty).

        Raises :class:`ValidationError` naming the field when a stored value is invalid.
        """
        company = self[:1] or self.env.company
        try:
            return Policy.from_mapping(company._aftersales_policy_mapping(), source=company.name)
        except PolicyError as exc:
            raise ValidationError(company._aftersales_policy_error(exc)) from exc

    def _aftersales_policy_error(self, exc):
        by_key = {key: fname for fname, (key, _convert) in POLICY_FIELDS.items()}
        by_key.update({key: fnames[0] for key, fnames in POLICY_SEQUENCES.items()})
        fname = by_key.get(exc.field.split(".")[0])
        # a field's own problem names the field; a problem between fields names none
        label = self._fields[fname].string if fname else self.env._("the combination of values")
        return self.env._(
            "After-sales policy of %(company)s: %(field)s is invalid: %(problem)s",
            company=self.display_name,
            field=label,
            problem=exc.problem,
        )

    @api.constrains(*POLICY_FIELDS, *SEQUENCE_FIELDS)
    def _check_aftersales_policy(self):
        for company in self:
            company._aftersales_policy()
