# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Faults while a step's commands are carried out: nothing is left half done.

A failure is injected into the module's own code (a ``_prepare_*_vals`` hook or a
helper the commands call) on its n-th call, with ``unittest.mock.patch.object`` on the
model's registry class; Odoo's code runs unpatched around it. The exception is caught
with a plain ``try`` (``self.assertRaises`` of Odoo's test case would roll back to a
savepoint of its own and hide a missing one): what is left in the transaction is what
``_aftersales_apply``'s savepoint left. Then the same step, taken again, creates each
document once.
"""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesCase


class InjectedFault(UserError):
    """The failure the tests inject (a UserError, as a failing Odoo call would raise)."""


@tagged("post_install", "-at_install")
class TestFaults(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hosts = [cls._product(f"Transmitter {i}", cls.cat_host, price=200.0) for i in range(3)]
        cls.order = cls._delivered_order({p: 4 for p in cls.hosts})

    @contextmanager
    def fault(self, model, method, on_call):
        """``method`` of ``model`` raises :class:`InjectedFault` on its ``on_call``-th
        call (earlier and later calls run the real code); yields the list of calls."""
        cls = type(self.env[model])
        original = getattr(cls, method)
        calls = []

        def faulty(record, *args, **kwargs):
            calls.append(method)
            if len(calls) == on_call:
                raise InjectedFault(f"injected fault in {method}, call {on_call}")
            return original(record, *args, **kwargs)

        with patch.object(cls, method, faulty):
            yield calls

    def _fails(self, call, *args):
        """Run ``call``; it must raise the injected fault (caught without a savepoint)."""
        try:
            call(*args)
        except InjectedFault:
            self.env.invalidate_all()
            return
        self.fail(f"{call} did not raise the injected fault")

    def _snapshot(self, ret):
        """What a failed step must leave unchanged: the return and every document of it."""
        self.env.invalidate_all()
        ret = ret.sudo()
        return {
            "state": ret.state,
            "route": ret.route,
            "messages": len(ret.message_ids),
            "pickings": self.env["stock.picking"].search_count([("aftersales_return_id", "=", ret.id)]),
            "repairs": self.env["repair.order"].search_count([("aftersales_return_id", "=", ret.id)]),
            "productions": self.env["mrp.production"].search_count([("aftersales_return_id", "=", ret.id)]),
            "moves": self.env["account.move"].search_count([("aftersales_return_id", "=", ret.id)]),
            "payments": self.env["account.payment"].search_count([("aftersales_return_id", "=", ret.id)]),
            "quants": sorted(
                (q.product_id.id, q.location_id.id, q.quantity)
                for q in self.env["stock.quant"].search([("product_id", "in", [p.id for p in self.hosts])])
            ),
            "approver": ret.stock_in_approval_user_id.id,
        }

    def _accepted(self, quantities, purpose):
        ret = self._return(self.order, quantities, purpose=purpose)
        ret.action_submit()
        ret.action_accept()
        return ret

    def _refurbished(self):
        """A one-line refund return, repaired: ready for the stock-in."""
        ret = self._accepted({self.hosts[0]: 1}, "refund")
        self._validate(ret.picking_ids)
        self.assertEqual(ret.state, "in_repair")
        for repair in ret.repair_ids:
            repair.action_validate()
            repair.action_repair_start()
            repair.action_repair_end()
        ret.action_finish_repair()
        self.assertEqual(ret.state, "refurbished")
        return ret

    # --- routing: one document per line ------------------------------------------------

    def test_second_repair_order_fails_while_routing_three_lines(self):
        ret = self._accepted({p: 1 for p in self.hosts}, "repair")
        # The receipt is validated; its routing fails at the second repair order's values.
        with self.fault("aftersales.return", "_prepare_repair_vals", 2) as calls:
            self._fails(self._validate, ret.picking_ids)
        self.assertEqual(len(calls), 2)
        self.assertEqual(ret.state, "received", "the receive step stays; the route step is rolled back")
        before = self._snapshot(ret)
        self.assertEqual(before["repairs"], 0)
        self.assertFalse(ret.route)

        # The same failure, after the first repair orders exist (the second one's note).
        with self.fault("aftersales.return", "_origin_note", 2) as calls:
            self._fails(ret.with_user(self.as_user).action_route)
        self.assertEqual(len(calls), 2, "three repair orders were created, then the fault")
        self.assertEqual(self._snapshot(ret), before, "no orphan repair order, state and chatter unchanged")

        ret.with_user(self.as_user).action_route()
        self.assertEqual(ret.state, "in_repair")
        self.assertEqual(len(ret.repair_ids), 3)
        self.assertEqual(ret.repair_ids.aftersales_line_id, ret.line_ids, "one repair order per line")
        self.assertEqual(
            self.env["repair.order"].search_count([("aftersales_return_id", "=", ret.id)]), 3,
            "each repair order once",
        )

    def test_second_rework_order_fails_while_routing_to_production(self):
        # Five hosts go to production: a confirmed rework order per line.
        ret = self._accepted({self.hosts[0]: 2, self.hosts[1]: 2, self.hosts[2]: 1}, "refund")
        with self.fault("aftersales.return", "_prepare_rework_vals", 2) as calls:
            self._fails(self._validate, ret.picking_ids)
        self.assertEqual(len(calls), 2, "the first rework order was made and confirmed")
        self.assertEqual(ret.state, "received")
        snapshot = self._snapshot(ret)
        self.assertEqual(snapshot["productions"], 0, "no orphan manufacturing order")
        self.assertFalse(
            self.env["stock.move"].search_count([("production_id.aftersales_return_id", "=", ret.id)]),
            "nor its component moves",
        )

        ret.with_user(self.as_user).action_route()
        self.assertEqual(ret.state, "in_rework")
        self.assertEqual(len(ret.production_ids), 3)
        self.assertEqual(ret.production_ids.aftersales_line_id, ret.line_ids)
        self.assertEqual(set(ret.production_ids.mapped("state")), {"confirmed"})

    # --- transfers: stock-in and its approval ----------------------------------------------

    def test_stock_in_transfer_fails(self):
        ret = self._refurbished()
        before = self._snapshot(ret)
        # The transfer is created, confirmed and reserved; then setting its lots fails.
        with self.fault("aftersales.return", "_lots_on_moves", 1):
            self._fails(ret.with_user(self.as_user).action_stock_in)
        self.assertEqual(self._snapshot(ret), before, "no orphan transfer, no stock moved")

        ret.with_user(self.as_user).action_stock_in()
        self.assertEqual(ret.state, "awaiting_approval")
        refurbished = self.warehouse.aftersales_refurbished_location_id
        self.assertEqual(self._qty(self.hosts[0], refurbished), 1)
        self.assertEqual(len(ret.picking_ids.filtered(lambda p: p.location_dest_id == refurbished)), 1)

    def test_approval_transfer_fails(self):
        ret = self._refurbished()
        ret.with_user(self.as_user).action_stock_in()
        before = self._snapshot(ret)
        with self.fault("aftersales.return", "_prepare_transfer_vals", 1):
            self._fails(ret.with_user(self.gm_user).action_approve_stock_in)
        self.assertEqual(self._snapshot(ret), before, "no signer, no transfer, state unchanged")
        with self.fault("aftersales.return", "_lots_on_moves", 1):
            self._fails(ret.with_user(self.gm_user).action_approve_stock_in)
        after = self._snapshot(ret)
        self.assertEqual(after, before, "the transfer made before the fault is gone")
        self.assertFalse(ret.stock_in_approval_user_id)

        ret.with_user(self.gm_user).action_approve_stock_in()
        self.assertEqual(ret.state, "restocked")
        self.assertEqual(ret.stock_in_approval_user_id, self.gm_user)
        self.assertEqual(self._qty(self.hosts[0], self.stock), 1)
        self.assertEqual(self._snapshot(ret)["pickings"], before["pickings"] + 1, "one transfer")

    # --- money: credit note and its payment -------------------------------------------------

    def test_credit_note_payment_fails(self):
        ret = self._refurbished()
        ret.with_user(self.as_user).action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.settlement = "payment"
        before = self._snapshot(ret)
        # The credit note is created and posted; then the payment to the customer fails.
        with self.fault("aftersales.return", "_prepare_refund_payment_vals", 1):
            self._fails(ret.action_settle)
        self.assertEqual(self._snapshot(ret), before, "no orphan credit note, no payment")
        self.assertFalse(
            self.env["account.move"].search_count([("ref", "=", f"Refund return {ret.name}")]),
            "the posted credit note is rolled back",
        )

        ret.action_settle()
        self.assertEqual(ret.state, "settled")
        self.assertEqual(len(ret.invoice_ids), 1, "one credit note")
        self.assertEqual(ret.invoice_ids.move_type, "out_refund")
        self.assertEqual(ret.invoice_ids.state, "posted")
        self.assertEqual(len(ret.payment_ids), 1, "one payment")
        self.assertAlmostEqual(ret.payment_ids.amount, ret.invoice_ids.amount_total)

    def test_credit_note_fails(self):
        ret = self._refurbished()
        ret.with_user(self.as_user).action_stock_in()
        ret.with_user(self.gm_user).action_approve_stock_in()
        ret.settlement = "credit_note"
        before = self._snapshot(ret)
        with self.fault("aftersales.return", "_prepare_credit_note_vals", 1):
            self._fails(ret.action_settle)
        self.assertEqual(self._snapshot(ret), before)
        ret.action_settle()
        self.assertEqual(ret.state, "settled")
        self.assertEqual(len(ret.invoice_ids), 1)
