# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R20: answers to a survey sent from an after-sales case are linked to that case."""

from odoo import models


class SurveyInvite(models.TransientModel):
    _inherit = "survey.invite"

    def _get_answers_values(self):
        values = super()._get_answers_values()
        case = self.env.context.get("aftersales_case")
        if case:
            values.update(aftersales_res_model=case[0], aftersales_res_id=case[1])
        if self.env.context.get("aftersales_final_customer"):
            values["aftersales_final_customer"] = True
        return values
