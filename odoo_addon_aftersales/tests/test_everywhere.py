# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 9, "Everywhere": every model of the module has access rules and, when it holds a
company, a multi-company record rule that hides another company's records."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEveryModel(TransactionCase):
    def _models(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "odoo_addon_aftersales"), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        return models.filtered(
            lambda m: m.model.startswith("aftersales.")
            and not self.env[m.model]._abstract and not self.env[m.model]._transient
        )

    def test_every_model_has_access_and_multi_company_rules(self):
        models = self._models()
        self.assertIn("aftersales.service.visit.check", models.mapped("model"))
        for model in models:
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, "no access rule")
                if "company_id" in self.env[model.model]._fields:
                    rules = model.rule_ids.filtered(lambda r: "company_ids" in (r.domain_force or ""))
                    self.assertTrue(rules, "no multi-company record rule")

    def test_a_check_line_of_another_company_is_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co R24"})
        partner = self.env["res.partner"].create({"name": "Customer R24"})
        visits = self.env["aftersales.service.visit"].create([
            {"partner_id": partner.id, "request": "x", "company_id": company.id}
            for company in (self.env.company, other)
        ])
        checks = self.env["aftersales.service.visit.check"].create([
            {"visit_id": visit.id, "name": "service_card", "stage": "arrival"} for visit in visits
        ])
        user = new_test_user(self.env, login="as_r24_user", groups="odoo_addon_aftersales.group_aftersales_user")
        seen = self.env["aftersales.service.visit.check"].with_user(user).search([("id", "in", checks.ids)])
        self.assertEqual(seen, checks.filtered(lambda c: c.company_id == self.env.company))
