# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every action of every workflow model against every group, generated from the core's
transition tables; companies isolated; nothing a workflow decides forged by a client."""

from aftersales_core.workflows.complaint import COMPLAINT
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.odoo_addon_aftersales.models.aftersales_workflow_mixin import STATE_WRITE

from .common import AftersalesCase

GROUPS = {
    "after-sales user": "odoo_addon_aftersales.group_aftersales_user",
    "after-sales manager": "odoo_addon_aftersales.group_aftersales_manager",
    "R&D": "odoo_addon_aftersales.group_aftersales_rnd",
    "quality": "odoo_addon_aftersales.group_aftersales_quality",
    "general manager": "odoo_addon_aftersales.group_aftersales_general_manager",
    "salesperson": "sales_team.group_sale_salesman",
    "sales manager": "sales_team.group_sale_manager",
    "inventory": "stock.group_stock_user",
    "manufacturing": "mrp.group_mrp_user",
    "invoicing": "account.group_account_invoice",
    "internal user": "base.group_user",
    "portal": "base.group_portal",
    "public": "base.group_public",
}


@tagged("post_install", "-at_install")
class TestRoleMatrix(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            name: new_test_user(cls.env, login=f"mx_{i}", groups=xmlid)
            for i, (name, xmlid) in enumerate(GROUPS.items())
        }
        cls.host = cls._product("Matrix gauge", cls.cat_host)
        cls.order = cls._delivered_order({cls.host: 50})

    def _records(self):
        repair = self._return(self.order, {self.host: 1}, purpose="repair")
        refund = self._return(self.order, {self.host: 1}, purpose="refund")
        ticket = self.env["aftersales.ticket"].create({
            "partner_id": self.customer.id, "description": "Leaks.", "closing_reason": "x",
        })
        return ((repair, RETURN_FOR_REPAIR), (refund, REFUND_RETURN), (ticket, COMPLAINT))

    def _snapshot(self, record):
        record.invalidate_recordset()
        return (record.state, len(record.message_ids), record.sudo().read()[0]["write_date"])

    def test_every_action_against_every_group(self):
        policy = self.company._aftersales_policy()
        checked = allowed_seen = 0
        for record, workflow in self._records():
            for transition in workflow.transitions:
                for state in sorted(transition.sources):
                    record.with_context(aftersales_state_write=STATE_WRITE).write({"state": state})
                    for name, user in self.users.items():
                        actor = user._aftersales_actor()
                        allowed = bool(transition.allowed_roles(policy) & actor.roles)
                        before = self._snapshot(record)
                        savepoint = self.env.cr.savepoint()
                        try:
                            record.with_user(user)._aftersales_apply(transition.action)
                            outcome = "done"
                        except AccessError:
                            outcome = "access"
                        except UserError:
                            outcome = "refused"
                        finally:
                            after = self._snapshot(record)
                            savepoint.close(rollback=True)
                            self.env.invalidate_all()
                        where = f"{workflow.name}/{transition.action} from {state} as {name}"
                        checked += 1
                        # Odoo's own access rights come first: a portal customer cannot open a
                        # model that has no portal access yet (the customer portal is to come)
                        readable = record.with_user(user).has_access("read")
                        if allowed and readable:
                            allowed_seen += 1
                            self.assertNotEqual(outcome, "access", f"{where}: the table allows it")
                        elif allowed:
                            self.assertEqual(outcome, "access", f"{where}: no access to the model")
                            self.assertEqual(after, before, f"{where}: a refusal changed the record")
                        else:
                            # a role of the table that the company's policy excludes (R6) is
                            # refused by that rule; any other role by the role check
                            by_policy = bool(transition.roles & actor.roles)
                            expected = "refused" if by_policy else "access"
                            self.assertEqual(outcome, expected, f"{where}: the table refuses it")
                            self.assertEqual(after, before, f"{where}: a refusal changed the record")
        self.assertGreater(checked, 500)
        self.assertGreater(allowed_seen, 50)


@tagged("post_install", "-at_install")
class TestCompanies(AftersalesCase):
    def test_a_user_of_company_b_neither_reads_nor_changes_company_a(self):
        company_b = self.env["res.company"].create({"name": "After-sales B"})
        user_b = new_test_user(
            self.env, login="as_company_b", groups="odoo_addon_aftersales.group_aftersales_manager",
            company_id=company_b.id, company_ids=[(6, 0, company_b.ids)],
        )
        host = self._product("Company gauge", self.cat_host)
        order = self._delivered_order({host: 3})
        ret = self._return(order, {host: 1})
        ticket = self.env["aftersales.ticket"].create({"partner_id": self.customer.id, "description": "x"})
        ret.action_submit()
        ret.action_accept()
        self._validate(ret.picking_ids)
        records = [ret, ret.line_ids, ticket]
        records += [self.env[m].search([("company_id", "=", self.company.id)], limit=1)
                    for m in self.env if m.startswith("aftersales.") and not self.env[m]._abstract
                    and not self.env[m]._transient and "company_id" in self.env[m]._fields]
        for record in filter(None, records):
            as_b = record.with_user(user_b)
            self.assertFalse(as_b.search([("id", "=", record.id)]), f"{record._name} visible to B")
            with self.assertRaises(AccessError, msg=f"{record._name} readable by B"):
                as_b.read(["display_name"])
            with self.assertRaises(AccessError, msg=f"{record._name} writable by B"):
                as_b.write({"company_id": company_b.id})
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(user_b).create(
                {"partner_id": self.customer.id, "description": "x", "company_id": self.company.id}
            )


@tagged("post_install", "-at_install")
class TestNoForging(HttpCase, AftersalesCase):
    """A client over JSON-RPC cannot forge a state, a signer, a signature time or a decision."""

    def _rpc(self, record, method, *args, **kwargs):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": record._name, "method": method, "args": [record.ids, *args], "kwargs": kwargs,
        })

    @mute_logger("odoo.http")
    def test_workflow_fields_cannot_be_written_over_rpc(self):
        new_test_user(self.env, login="as_forger", password="as_forger_pw_26",
                      groups="odoo_addon_aftersales.group_aftersales_manager,stock.group_stock_user")
        host = self._product("Forged gauge", self.cat_host)
        order = self._delivered_order({host: 2})
        ret = self._return(order, {host: 1}, purpose="refund")
        self.authenticate("as_forger", "as_forger_pw_26")
        forged = {
            "state": "restocked",
            "stock_in_approval_user_id": self.gm_user.id,
            "stock_in_approval_at": "2026-01-01 00:00:00",
            "accepted_by_id": self.gm_user.id,
            "acceptance": "accept",
            "route": "after_sales",
            "charges": 1.0,
        }
        for field, value in forged.items():
            with self.assertRaises(JsonRpcException, msg=field):
                self._rpc(ret, "write", {field: value})
            ret.invalidate_recordset()
            self.assertNotEqual(ret[field] if field not in ("stock_in_approval_user_id", "accepted_by_id")
                                else ret[field].id, value, field)
        ticket = self.env["aftersales.ticket"].create({"partner_id": self.customer.id, "description": "x"})
        for field, value in {"responsibility": "payout_after_testing", "state": "closed"}.items():
            with self.assertRaises(JsonRpcException, msg=field):
                self._rpc(ticket, "write", {field: value})
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": "aftersales.return", "method": "create",
                "args": [{"partner_id": self.customer.id, "reason": "x", "state": "closed"}], "kwargs": {},
            })
