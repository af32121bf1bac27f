# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .res_company import SEQUENCE_FIELDS, SIGNOFF_ROLES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_customer_mails = fields.Boolean(
        related="company_id.aftersales_customer_mails", readonly=False
    )

    aftersales_classification_society_id = fields.Many2one(
        related="company_id.aftersales_classification_society_id", readonly=False
    )
    aftersales_return_host_threshold = fields.Integer(
        related="company_id.aftersales_return_host_threshold", readonly=False
    )
    aftersales_return_accessory_threshold = fields.Integer(
        related="company_id.aftersales_return_accessory_threshold", readonly=False
    )
    aftersales_special_order_small_max_sets = fields.Integer(
        related="company_id.aftersales_special_order_small_max_sets", readonly=False
    )
    aftersales_return_acceptance_window_days = fields.Integer(
        related="company_id.aftersales_return_acceptance_window_days", readonly=False
    )
    aftersales_resale_requires_gm_approval = fields.Boolean(
        related="company_id.aftersales_resale_requires_gm_approval", readonly=False
    )
    aftersales_charge_replaced_parts = fields.Boolean(
        related="company_id.aftersales_charge_replaced_parts", readonly=False
    )
    aftersales_arrival_hours_home = fields.Integer(
        related="company_id.aftersales_arrival_hours_home", readonly=False
    )
    aftersales_arrival_hours_other = fields.Integer(
        related="company_id.aftersales_arrival_hours_other", readonly=False
    )
    aftersales_arrival_hours_remote = fields.Integer(
        related="company_id.aftersales_arrival_hours_remote", readonly=False
    )
    aftersales_home_province = fields.Char(
        related="company_id.aftersales_home_province", readonly=False
    )
    aftersales_remote_provinces = fields.Char(
        related="company_id.aftersales_remote_provinces", readonly=False
    )
    aftersales_resolution_hours = fields.Integer(
        related="company_id.aftersales_resolution_hours", readonly=False
    )
    aftersales_unreachable_customer_days = fields.Integer(
        related="company_id.aftersales_unreachable_customer_days", readonly=False
    )
    aftersales_default_warranty_months = fields.Integer(
        related="company_id.aftersales_default_warranty_months", readonly=False
    )
    aftersales_contract_required_out_of_warranty = fields.Boolean(
        related="company_id.aftersales_contract_required_out_of_warranty", readonly=False
    )
    aftersales_repeat_window_days = fields.Integer(
        related="company_id.aftersales_repeat_window_days", readonly=False
    )
    aftersales_repeat_count = fields.Integer(
        related="company_id.aftersales_repeat_count", readonly=False
    )
    aftersales_batch_problem_quantity = fields.Integer(
        related="company_id.aftersales_batch_problem_quantity", readonly=False
    )
    aftersales_payment_cutoff = fields.Float(
        related="company_id.aftersales_payment_cutoff", readonly=False
    )
    aftersales_timezone = fields.Selection(related="company_id.aftersales_timezone", readonly=False)
    aftersales_engineering_deposit_ratio = fields.Float(
        related="company_id.aftersales_engineering_deposit_ratio", readonly=False
    )
    aftersales_survey_after_closed_case = fields.Boolean(
        related="company_id.aftersales_survey_after_closed_case", readonly=False
    )
    aftersales_survey_final_customers = fields.Boolean(
        related="company_id.aftersales_survey_final_customers", readonly=False
    )
    aftersales_survey_every_months = fields.Integer(
        related="company_id.aftersales_survey_every_months", readonly=False
    )
    aftersales_dissatisfied_below_score = fields.Integer(
        related="company_id.aftersales_dissatisfied_below_score", readonly=False
    )
    aftersales_weekly_review_weekday = fields.Selection(
        related="company_id.aftersales_weekly_review_weekday", readonly=False
    )
    aftersales_travel_expense_days = fields.Integer(
        related="company_id.aftersales_travel_expense_days", readonly=False
    )
    aftersales_pareto_vital_few_percent = fields.Integer(
        related="company_id.aftersales_pareto_vital_few_percent", readonly=False
    )
    aftersales_arrival_checklist = fields.Char(
        related="company_id.aftersales_arrival_checklist", readonly=False
    )
    aftersales_completion_checklist = fields.Char(
        related="company_id.aftersales_completion_checklist", readonly=False
    )
    aftersales_difficult_problem_leader = fields.Selection(
        related="company_id.aftersales_difficult_problem_leader", readonly=False
    )
    aftersales_installed_base_required = fields.Boolean(
        related="company_id.aftersales_installed_base_required", readonly=False
    )
    aftersales_service_modes = fields.Char(
        related="company_id.aftersales_service_modes", readonly=False
    )

    def action_aftersales_regional_defaults(self):
        """Apply the company's own time zone and provinces to the after-sales policy."""
        self.company_id.action_aftersales_regional_defaults()
        return {"type": "ir.actions.client", "tag": "reload"}

    # R5's steps are written to the company together (set_values), so that swapping two
    # roles never meets the policy check half done (a role twice).
    aftersales_requisition_signoff_1 = fields.Selection(SIGNOFF_ROLES, string="Requisition: first sign-off")
    aftersales_requisition_signoff_2 = fields.Selection(SIGNOFF_ROLES, string="Requisition: second sign-off")
    aftersales_requisition_signoff_3 = fields.Selection(SIGNOFF_ROLES, string="Requisition: third sign-off")
    aftersales_requisition_before_work = fields.Boolean(
        related="company_id.aftersales_requisition_before_work", readonly=False
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        company = self.env.company
        res.update({fname: company[fname] for fname in SEQUENCE_FIELDS})
        return res

    def set_values(self):
        res = super().set_values()
        for settings in self:
            values = {fname: settings[fname] for fname in SEQUENCE_FIELDS}
            if any(settings.company_id[f] != v for f, v in values.items()):
                settings.company_id.write(values)
        return res
    aftersales_order_processing = fields.Boolean(
        related="company_id.aftersales_order_processing", readonly=False
    )
