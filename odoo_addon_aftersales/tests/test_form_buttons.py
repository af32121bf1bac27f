# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from aftersales_core.workflows.complaint import COMPLAINT

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestComplaintButtons(TransactionCase):
    def test_buttons_follow_the_core_table(self):
        partner = self.env["res.partner"].create({"name": "Button Co"})
        ticket = self.env["aftersales.ticket"].create({"partner_id": partner.id, "description": "x"})
        self.assertEqual(ticket.aftersales_actions, "," + ",".join(COMPLAINT.actions_from("draft")) + ",")
        arch = self.env.ref("odoo_addon_aftersales.aftersales_ticket_view_form").arch
        for action in COMPLAINT.actions:
            self.assertIn(f"',{action},' not in aftersales_actions", arch)
