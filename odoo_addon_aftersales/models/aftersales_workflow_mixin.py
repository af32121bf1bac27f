# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bridge between Odoo records and the core's workflows.

A model that inherits ``aftersales.workflow.mixin`` sets ``_aftersales_workflow`` to a
core :class:`~aftersales_core.workflows.engine.Workflow`, builds its ``state`` field
with :func:`workflow_state_selection` and implements ``_aftersales_to_form()``. Every
button then calls ``self._aftersales_apply(action, params)``: the core decides, the
record stores the result and runs the commands.
"""

from datetime import timezone

from aftersales_core.errors import (
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.roles import Role
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


# Only _aftersales_apply moves a state: it writes with this object in the context, which
# no RPC call can forge (a client can only send JSON values).
_STATE_WRITE = object()


def workflow_state_selection(workflow):
    """The ``state`` selection of a model, read from the workflow's declared states."""
    return [(state, state.replace("_", " ").capitalize()) for state in workflow.states]


def aware(value):
    """An Odoo (naive, UTC) datetime as a timezone-aware one for the core's forms."""
    return value.replace(tzinfo=timezone.utc) if value else None


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
        return self.env.su or self.env.context.get("aftersales_state_write") is _STATE_WRITE

    @api.model_create_multi
    def create(self, vals_list):
        initial = self._aftersales_workflow.initial if self._aftersales_workflow else None
        if not self._aftersales_state_write_allowed():
            for vals in vals_list:
                if vals.get("state") not in (None, False, initial):
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

    def _aftersales_to_form(self):
        """The core form built from this record (one record). Implemented by each model."""
        raise NotImplementedError(f"{self._name} must implement _aftersales_to_form()")

    def _aftersales_values_from_form(self, changes):
        """Odoo values for the form fields the workflow changed (``{field: new value}``).

        The default writes fields of the same name; a model overrides this to convert
        values (e.g. a partner name back to a record). A changed form field that has no
        Odoo field is an error: nothing may be dropped silently.
        """
        missing = sorted(set(changes) - set(self._fields))
        if missing:
            raise NotImplementedError(
                f"{self._name}: the workflow changed {', '.join(missing)} which the model "
                f"does not store; override _aftersales_values_from_form()"
            )
        values = {}
        for name, value in changes.items():
            field = self._fields[name]
            if field.type == "boolean":
                value = bool(value)
            elif field.type in ("char", "text", "selection") and value is None:
                value = False
            values[name] = value
        return values

    def _aftersales_apply(self, action, params=None, system=False):
        """Take the core workflow's ``action`` on each record; return the core steps.

        ``system=True`` marks an automatic step the server itself takes (an e-mail to
        the alias, a validated receipt): the actor also holds the SYSTEM role. It is a
        keyword of this private method, never a context key, so that no RPC call can
        grant it.

        Refusals change nothing: a role the user lacks raises :class:`AccessError`; an
        action not possible in the current state, a failed guard (naming its rule) or
        bad input (naming its field) raises :class:`UserError`.
        """
        workflow = self._aftersales_workflow
        if workflow is None:
            raise NotImplementedError(f"{self._name} has no _aftersales_workflow")
        actor = self.env.user._aftersales_actor()
        if system:
            actor = actor.model_copy(update={"roles": actor.roles | {Role.SYSTEM}})
        steps = []
        for record in self:
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
            values = record._aftersales_values_from_form(changes)
            values["state"] = after[state_field]
            record.with_context(aftersales_state_write=_STATE_WRITE).write(values)
            record._aftersales_post_step(step)
            record._aftersales_execute_all(step.commands)
            steps.append(step)
        return steps

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

    def _aftersales_execute_all(self, commands):
        """Carry out the commands of one step, in order; a model may batch some kinds."""
        for command in commands:
            self._aftersales_execute(command)

    def _aftersales_execute(self, command):
        """Carry out one command of the core with Odoo documents (``_aftersales_cmd_<kind>``)."""
        handler = getattr(self, f"_aftersales_cmd_{command.kind}", None)
        if handler is None:
            raise NotImplementedError(
                f"{self._name} cannot carry out the core command {command.kind!r}"
            )
        return handler(command)

    # --- commands every workflow model understands ------------------------------------

    def _aftersales_cmd_notify(self, command):
        """Notify: a note in the chatter naming the role it is meant for."""
        if hasattr(self, "message_post"):
            self.message_post(
                body=Markup("<p>%s</p>")
                % _("For %(role)s: %(message)s", role=command.role.value, message=command.message),
                subtype_xmlid="mail.mt_note",
            )

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
