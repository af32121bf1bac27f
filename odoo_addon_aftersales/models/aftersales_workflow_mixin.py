# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bridge between Odoo records and the core's workflows.

A model that inherits ``aftersales.workflow.mixin`` sets ``_aftersales_workflow`` to a
core :class:`~aftersales_core.workflows.engine.Workflow`, builds its ``state`` field
with :func:`workflow_state_selection` and implements ``_aftersales_to_form()``. Every
button then calls ``self._aftersales_apply(action, params)``: the core decides, the
record stores the result and runs the commands.
"""

from datetime import timezone
from typing import get_args

from aftersales_core.commands import AnyCommand
from aftersales_core.errors import (
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.ports import Host, dispatch
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import REFUSED, work_start
from markupsafe import Markup, escape

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .aftersales_seam import to_form, values_from_form
from .res_users import GROUP_ROLES

# Only _aftersales_apply moves a state: it writes with this object in the context, which
# no RPC call can forge (a client can only send JSON values).
STATE_WRITE = object()

COMMAND_KINDS = tuple(cls.model_fields["kind"].default for cls in get_args(get_args(AnyCommand)[0]))
"""Every kind of command the core emits (``receive_return``, ``open_repair``...)."""


def workflow_state_selection(workflow):
    """The ``state`` selection of a model, read from the workflow's declared states."""
    return [(state, state.replace("_", " ").capitalize()) for state in workflow.states]


def aware(value):
    """An Odoo (naive, UTC) datetime as a timezone-aware one for the core's forms."""
    return value.replace(tzinfo=timezone.utc) if value else None


def check_requisitions_issued(documents):
    """R5, the policy switch: a repair or manufacturing order whose open material
    requisitions are not all signed off and issued does not start (the core decides,
    from the company's policy); refused with the core's reasons, naming R5."""
    if not documents:
        return
    requisitions = documents.env["aftersales.material.requisition"]._aftersales_for_documents(documents)
    for doc, found in requisitions.items():
        decision = work_start(
            [(r.name, r.state == "issued") for r in found],
            work=doc.display_name,
            policy=doc.company_id._aftersales_policy(),
        )
        if decision.outcome == REFUSED:
            raise UserError(" ".join(decision.reasons))


class OdooHost:
    """A record of a workflow model as the core's :class:`~aftersales_core.ports.Host`.

    ``dispatch(command, host)`` calls the port method named after the command's kind;
    each method hands the command to the record's ``_aftersales_cmd_<kind>``. A kind the
    model does not carry out is refused, with the reason the model lists in
    ``_aftersales_not_applicable`` (tested: every kind is handled or listed).
    """

    def __init__(self, record):
        self.record = record

    def _carry_out(self, kind, command):
        handler = getattr(self.record, f"_aftersales_cmd_{kind}", None)
        if handler is None:
            reason = self.record._aftersales_not_applicable().get(kind)
            raise UserError(
                _("%(model)s does not carry out the core command %(kind)s: %(reason)s",
                  model=self.record._description, kind=kind,
                  reason=reason or _("no handler"))
            )
        return handler(command)


def _port_method(kind):
    def method(self, command):
        return self._carry_out(kind, command)

    method.__name__ = kind
    method.__doc__ = f"Carry out the core's {kind!r} command with Odoo documents."
    return method


for _kind in COMMAND_KINDS:
    setattr(OdooHost, _kind, _port_method(_kind))
assert isinstance(OdooHost(None), Host)


class AftersalesWorkflowMixin(models.AbstractModel):
    _name = "aftersales.workflow.mixin"
    _description = "After-sales workflow bridge"

    # The core workflow; set by the inheriting model (a class attribute, not a field).
    _aftersales_workflow = None

    aftersales_actions = fields.Char(
        compute="_compute_aftersales_actions",
        help="The core workflow's actions from the current state, as ',a,b,': form buttons "
        "read it (invisible=\"',close,' not in aftersales_actions\"), so views keep no copy "
        "of the transition table.",
    )

    @api.depends("state")
    def _compute_aftersales_actions(self):
        for rec in self:
            workflow = rec._aftersales_workflow
            state = rec.state or (workflow.initial if workflow else "")
            rec.aftersales_actions = "," + ",".join(workflow.actions_from(state) if workflow else ()) + ","

    def _aftersales_state_write_allowed(self):
        return self.env.su or self.env.context.get("aftersales_state_write") is STATE_WRITE

    @api.model_create_multi
    def create(self, vals_list):
        initial = self._aftersales_workflow.initial if self._aftersales_workflow else None
        if not self._aftersales_state_write_allowed():
            # A default from the context (default_state=...) counts as a given value.
            default = self.env.context.get("default_state")
            for vals in vals_list:
                if vals.get("state", default) not in (None, False, initial):
                    raise UserError(
                        _("A new %(model)s starts in state %(state)s; its workflow moves it on.",
                          model=self._description, state=initial)
                    )
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self._aftersales_state_write_allowed():
            raise UserError(
                _("The state of %(model)s moves only through its workflow's actions (buttons).",
                  model=self._description)
            )
        return super().write(vals)

    # --- the seam: one declarative map per form -------------------------------------

    # The core form class (a class attribute, not a field).
    _aftersales_form_type = None

    def _aftersales_form_map(self):
        """The rows ``FormField(core, odoo, converter)`` of this model's form."""
        raise NotImplementedError(f"{self._name} must define _aftersales_form_map()")

    def _aftersales_form_extra(self):
        """Form values that are no field of the record (e.g. quantities read from moves)."""
        return {}

    def _aftersales_to_form(self):
        """The core form of this record (one record), through the form map.

        Read as superuser: the actor's rights are the core's roles, and a user of a role
        (R&D, quality) need not read pickings and moves itself.
        """
        self.ensure_one()
        record = self.sudo()
        try:
            return to_form(
                record,
                self._aftersales_form_type,
                self._aftersales_form_map(),
                number=record.name,
                state=record.state or self._aftersales_workflow.initial,
                **record._aftersales_form_extra(),
            )
        except InvalidInput as exc:
            raise UserError(_("%(record)s: %(error)s", record=self.display_name, error=exc)) from exc

    def _aftersales_store(self, changes):
        """Write the workflow's ``changes`` (core field -> value) through the form map."""
        values, line_writes = values_from_form(self, self._aftersales_form_map(), changes)
        for fname, by_id in line_writes.items():
            values[fname] = [
                Command.create(vals) if isinstance(key, str) else Command.update(key, vals)
                for key, vals in by_id.items()
            ]
        return values

    def _aftersales_not_applicable(self):
        """``{command kind: why this model never carries it out}``."""
        return {}

    def _aftersales_apply(self, action, params=None, system=False):
        """Take the core workflow's ``action`` on each record; return the core steps.

        ``system=True`` marks an automatic step the server itself takes (an e-mail to
        the alias, a validated receipt): the actor also holds the SYSTEM role. It is a
        keyword of this private method, never a context key, so that no RPC call can
        grant it.

        Refusals change nothing: a role the user lacks raises :class:`AccessError`; an
        action not possible in the current state, a failed guard (naming its rule) or
        bad input (naming its field) raises :class:`UserError`. The commands are then
        carried out as the workflow grants (superuser), through ``ports.dispatch``.
        """
        actor = self.env.user._aftersales_actor()
        if system:
            actor = actor.model_copy(update={"roles": actor.roles | {Role.SYSTEM}})
        steps = []
        for record in self:
            workflow = record._aftersales_workflow
            form = record._aftersales_to_form()
            try:
                step = workflow.apply(
                    form,
                    action,
                    actor,
                    params=params,
                    policy=record.company_id._aftersales_policy(),
                )
            except RoleNotAllowed as exc:
                raise AccessError(
                    _("%(record)s: %(error)s", record=record.display_name, error=exc)
                ) from exc
            except (IllegalTransition, GuardFailed, InvalidInput) as exc:
                raise UserError(
                    _("%(record)s: %(error)s", record=record.display_name, error=exc)
                ) from exc
            before = form.model_dump()
            after = step.record.model_dump()
            state_field = workflow.state_field
            changes = {
                name: value
                for name, value in after.items()
                if name not in (state_field, "number") and before.get(name) != value
            }
            values = record._aftersales_store(changes)
            values["state"] = after[state_field]
            record.with_context(aftersales_state_write=STATE_WRITE).sudo().write(values)
            record._aftersales_post_step(step)
            record.sudo()._aftersales_execute_all(step.commands)
            steps.append(step)
        return steps

    def _aftersales_preview(self, action, params=None, system=False):
        """The core's step for ``action`` on this record, without storing anything or
        carrying out its commands: a host asks before it lets its own document move (a
        delivery validated only when the order ships). Refusals raise as in
        :meth:`_aftersales_apply`."""
        self.ensure_one()
        actor = self.env.user._aftersales_actor()
        if system:
            actor = actor.model_copy(update={"roles": actor.roles | {Role.SYSTEM}})
        try:
            return self._aftersales_workflow.apply(
                self._aftersales_to_form(), action, actor, params=params,
                policy=self.company_id._aftersales_policy(),
            )
        except RoleNotAllowed as exc:
            raise AccessError(_("%(record)s: %(error)s", record=self.display_name, error=exc)) from exc
        except (IllegalTransition, GuardFailed, InvalidInput) as exc:
            raise UserError(_("%(record)s: %(error)s", record=self.display_name, error=exc)) from exc

    def _aftersales_post_step(self, step):
        """Post the transition and the reasons of the core's decisions in the chatter."""
        if not hasattr(self, "message_post"):
            return
        entry = step.history
        body = Markup("<p>%s</p>") % _(
            "%(action)s: %(from_state)s → %(to_state)s",
            action=entry.action,
            from_state=entry.from_state,
            to_state=entry.to_state,
        )
        if step.decisions:
            items = Markup("").join(
                Markup("<li><b>%s → %s</b>: %s</li>")
                % (d.rule, d.outcome, " ".join(d.reasons))
                for d in step.decisions
            )
            body += Markup("<ul>%s</ul>") % items
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _aftersales_host(self):
        """This record as the core's ports.Host."""
        return OdooHost(self)

    def _aftersales_execute_all(self, commands):
        """Carry out the commands of one step, in order; a model may batch some kinds."""
        host = self._aftersales_host()
        for command in commands:
            dispatch(command, host)

    def _aftersales_execute(self, command):
        """Carry out one command of the core through the ports (``_aftersales_cmd_<kind>``)."""
        return dispatch(command, self._aftersales_host())

    # --- commands every workflow model understands ------------------------------------

    def _aftersales_role_users(self, role):
        """The users of this record's company who hold ``role`` through their groups."""
        groups = self.env["res.groups"]
        for xmlid, granted in GROUP_ROLES.items():
            if role in granted:
                groups |= self.env.ref(xmlid, raise_if_not_found=False) or groups
        users = groups.sudo().users.filtered(lambda u: not u.share and u.active)
        return users.filtered(lambda u: self.company_id in u.company_ids) or users

    def _prepare_notify_activity_vals(self, command, users):
        """Values of the to-do activities a Notify command schedules (one per user)."""
        model = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        return [
            {
                "res_model_id": model,
                "res_id": self.id,
                "activity_type_id": activity_type.id,
                "summary": _("For %(role)s", role=command.role.value.replace("_", " ")),
                "note": escape(command.message),
                "user_id": user.id,
            }
            for user in users
        ]

    def _aftersales_cmd_notify(self, command):
        """Notify: a to-do activity for every user of the role's group (one batch)."""
        if not hasattr(self, "activity_ids"):
            return
        users = self._aftersales_role_users(command.role) or self.env.user
        self.env["mail.activity"].sudo().create(self._prepare_notify_activity_vals(command, users))

    def _aftersales_cmd_send_survey(self, command):
        """R20: a to-do activity to send the customer the satisfaction survey."""
        if hasattr(self, "activity_schedule"):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Satisfaction survey"),
                note=escape(_("Send %(customer)s the satisfaction survey (R20).",
                              customer=command.customer)),
                user_id=self.env.user.id,
            )
