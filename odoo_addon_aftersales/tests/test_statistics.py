# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from aftersales_core.analytics import pareto

from odoo.tests import tagged

from .ticket_common import TicketCase


@tagged("post_install", "-at_install")
class TestStatistics(TicketCase):
    def test_the_pareto_view_equals_the_core(self):
        categories = self.env["aftersales.failure.category"].create(
            [{"name": n} for n in ("Seal", "Drift", "Fuse", "Zero point", "Cable")]
        )
        plan = [(0, 9), (1, 5), (1, 4), (2, 3), (3, 3), (4, 1), (None, 2)]
        for index, quantity in plan:
            ticket = self._ticket(
                quantity=quantity, category_id=categories[index].id if index is not None else False
            )
            ticket.action_record()
        self._ticket(quantity=50, category_id=categories[0].id)  # a draft: not counted
        self.company.aftersales_pareto_vital_few_percent = 70
        self.env.flush_all()
        groups = self.env["aftersales.failure.line"]._read_group(
            [("kind", "=", "complaint"), ("company_id", "=", self.company.id)],
            ["category_id"], ["quantity:sum"],
        )
        expected = pareto(
            [{"category": c.name or "", "count": q} for c, q in groups],
            policy=self.company._aftersales_policy(),
        )
        rows = self.env["aftersales.pareto"].search(
            [("kind", "=", "complaint"), ("company_id", "=", self.company.id)], order="rank"
        )
        self.assertEqual(rows.mapped("category"), [r.category for r in expected])
        self.assertEqual(rows.mapped("count"), [r.count for r in expected])
        for row, core in zip(rows, expected, strict=True):
            self.assertAlmostEqual(row.percent, core.percent, places=6)
            self.assertAlmostEqual(row.cumulative_percent, core.cumulative_percent, places=6)
            self.assertEqual(row.vital_few, core.vital_few, row.category)
        self.assertEqual(rows[0].category, "Drift")
        self.assertEqual(sum(rows.mapped("count")), 27)
        self.assertEqual([r.vital_few for r in expected], [True, True, True, False, False, False])
