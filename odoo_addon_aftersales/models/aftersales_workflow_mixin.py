# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bridge between Odoo records and the core's workflows.

A model that inherits ``aftersales.workflow.mixin`` sets ``_aftersales_workflow`` to a
core :class:`~aftersales_core.workflows.engine.Workflow`, builds its ``state`` field
with :func:`workflow_state_selection` and implements ``_aftersales_to_form()``. Every
button then calls ``self._aftersales_apply(action, params)``: the core decides, the
record stores the result and runs the commands.
"""

import re
from datetime import timezone
from types import SimpleNamespace
from typing import get_args

from aftersales_core.commands import AnyCommand
from aftersales_core.errors import (
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
)
from aftersales_core.i18n import gettext_for, use_locale
from aftersales_core.labels import label
from aftersales_core.ports import Host, dispatch
from aftersales_core.roles import Role
from aftersales_core.rules.acceptance import REFUSED, work_start
from aftersales_core.rules.orders import satisfaction_result, survey_due, survey_recipients
from aftersales_core.rules.service_level import resolution_deadline
from aftersales_core.rules.warranty import warranty_end
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
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
    return [(state, label(state, workflow.name)) for state in workflow.states]


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
                self.env._("%(model)s does not carry out the core command %(kind)s: %(reason)s",
                  model=self.record._description, kind=kind,
                  reason=reason or self.env._("no handler"))
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
        help="The core workflow's actions the current user may take from the current state, "
        "as ',a,b,' (by the core's table and the roles the company's policy accepts, e.g. "
        "R6's approvers): form buttons read it (invisible=\"',close,' not in "
        "aftersales_actions\"), so views keep no copy of the transition table.",
    )

    aftersales_next_step = fields.Text(
        compute="_compute_aftersales_actions",
        string="Next step",
        help="Who may take the next steps (by the core's table and the company's policy), "
        "and why a step is not available now.",
    )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_aftersales_actions(self):
        # The superuser (server code, tests) sees every action of the state.
        with use_locale(self.env.lang):  # the core's labels and reasons in the user's language
            self._aftersales_compute_actions()

    def _aftersales_compute_actions(self):
        actor = None if self.env.su else self.env.user._aftersales_actor()
        policies = {}
        for rec in self:
            workflow = rec._aftersales_workflow
            if not workflow:
                rec.aftersales_actions = ",,"
                rec.aftersales_next_step = False
                continue
            state = rec.state or workflow.initial
            company = rec.company_id or self.env.company
            if company.id not in policies:
                policies[company.id] = company._aftersales_policy()
            policy = policies[company.id]
            if actor is None:
                rec.aftersales_actions = "," + ",".join(workflow.actions_from(state)) + ","
                rec.aftersales_next_step = False
                continue
            shape = SimpleNamespace(**{workflow.state_field: state})
            available = workflow.available_actions(shape, actor, policy=policy)
            blocked = {}
            if available and rec.id:
                try:
                    form = rec._aftersales_to_form()
                except UserError:
                    form = None  # incomplete: every button stays, its click names the field
                if form is not None:
                    blocked = workflow.rule_blocks(form, actor, policy=policy)
            rec.aftersales_actions = "," + ",".join(a for a in available if a not in blocked) + ","
            rec.aftersales_next_step = rec._aftersales_next_step_text(workflow, state, policy, blocked)

    def _aftersales_next_step_text(self, workflow, state, policy, blocked):
        """Lines such as "Approve stock-in: General manager" and why a step is blocked."""
        lines = []
        for t in workflow.transitions:
            if state not in t.sources or t.roles == {Role.SYSTEM} or t.action in blocked:
                continue
            roles = sorted(label(r.value) for r in t.allowed_roles(policy) if r != Role.SYSTEM)
            if roles and label(t.action) not in {ln.split(":")[0] for ln in lines}:
                lines.append(self.env._("%(action)s: %(roles)s", action=label(t.action), roles=", ".join(roles)))
        for action, why in blocked.items():
            lines.append(self.env._("%(action)s is not possible now: %(why)s", action=label(action),
                           why=self._aftersales_humanize(why)))
        return "\n".join(lines) or False

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
                        self.env._("A new %(model)s starts in state %(state)s; its workflow moves it on.",
                          model=self._description, state=initial)
                    )
        return super().create(vals_list)

    # Fields only the workflow writes (decisions, signers, signature times): no client may
    # set them, over RPC either. A model lists its own.
    _aftersales_workflow_fields = ()

    def write(self, vals):
        if not self._aftersales_state_write_allowed():
            if "state" in vals:
                raise UserError(
                    self.env._("The state of %(model)s moves only through its workflow's actions (buttons).",
                      model=self._description)
                )
            forged = sorted(set(vals) & set(self._aftersales_workflow_fields))
            if forged:
                raise UserError(
                    self.env._("%(model)s: %(fields)s are set by the workflow's steps, not by hand.",
                      model=self._description,
                      fields=", ".join(self._fields[f].string for f in forged))
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
            raise UserError(self._aftersales_error(exc)) from exc

    def _aftersales_store(self, changes):
        """The workflow's ``changes`` (core field -> value) through the form map, as
        ``(values, line_updates)``: the record's values (new lines as ``Command.create``)
        and ``[(lines, vals)]``, the existing lines grouped by the values they get, so
        that a step giving n lines the same values (a routing, a received quantity) is
        one write, not n."""
        values, line_writes = values_from_form(self, self._aftersales_form_map(), changes)
        line_updates = []
        for fname, by_id in line_writes.items():
            creates = [Command.create(vals) for key, vals in by_id.items() if isinstance(key, str)]
            if creates:
                values[fname] = creates
            groups = {}
            for key, vals in by_id.items():
                if not isinstance(key, str):
                    groups.setdefault(repr(sorted(vals.items())), (vals, []))[1].append(key)
            line_updates += [(self[fname].browse(ids), vals) for vals, ids in groups.values()]
        return values, line_updates

    def _line(self, ref):
        """The line (of ``line_ids``) a command addresses by its ``ref``, never by a name.

        Membership is tested on the ids, not by filtering the lines, so that carrying out
        one command per line stays linear in the number of lines.
        """
        line_id = int(ref) if ref and ref.isdigit() else 0
        lines = self.line_ids
        if line_id not in lines._ids:
            raise UserError(self.env._("%(record)s: no line %(ref)s", record=self.display_name, ref=ref or "?"))
        return lines.browse(line_id)

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

        Each record's step runs in a savepoint: if carrying out a command fails, the
        record's state, the documents already made for the step and its chatter entry
        are rolled back together, so that nothing is left half done and the same step
        can be taken again.
        """
        actor = self.env.user._aftersales_actor()
        if system:
            actor = actor.model_copy(update={"roles": actor.roles | {Role.SYSTEM}})
        steps = []
        # Odoo's own access rights first: who cannot open the record cannot act on it.
        self.check_access("read")
        with use_locale(self.env.lang):  # the core's reasons and errors in the user's language
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
                    raise AccessError(record._aftersales_error(exc)) from exc
                except (IllegalTransition, GuardFailed, InvalidInput) as exc:
                    raise UserError(record._aftersales_error(exc)) from exc
                before = form.model_dump()
                after = step.record.model_dump()
                state_field = workflow.state_field
                changes = {
                    name: value
                    for name, value in after.items()
                    if name not in (state_field, "number") and before.get(name) != value
                }
                values, line_updates = record._aftersales_store(changes)
                values["state"] = after[state_field]
                # One step of one record is atomic: its state, its documents and its chatter
                # entry are written together or not at all. A failure while carrying out the
                # commands (the second of three repair orders, a transfer, a credit note)
                # rolls back to this savepoint, and the error goes on to the caller.
                with self.env.cr.savepoint():
                    writer = record.with_context(aftersales_state_write=STATE_WRITE).sudo()
                    writer.write(values)
                    for lines, vals in line_updates:
                        lines.with_env(writer.env).write(vals)
                    known = record.sudo()._aftersales_documents()
                    record.sudo()._aftersales_execute_all(step.commands)
                    record._aftersales_post_step(step, record.sudo()._aftersales_documents() - known)
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
        with use_locale(self.env.lang):
            try:
                return self._aftersales_workflow.apply(
                    self._aftersales_to_form(), action, actor, params=params,
                    policy=self.company_id._aftersales_policy(),
                )
            except RoleNotAllowed as exc:
                raise AccessError(self._aftersales_error(exc)) from exc
            except (IllegalTransition, GuardFailed, InvalidInput) as exc:
                raise UserError(self._aftersales_error(exc)) from exc

    def _aftersales_documents(self):
        """The Odoo documents of this case (linked from the chatter when a step makes them)."""
        return set()

    def _aftersales_post_step(self, step, new_documents=()):
        """One chatter entry per step: what happened in words, the core's reasons (rule id
        as a small reference) and links to the documents the step created."""
        if not hasattr(self, "message_post"):
            return
        entry = step.history
        body = Markup("<p><b>%s</b>: %s → %s</p>") % (
            label(entry.action), label(entry.from_state, entry.workflow),
            label(entry.to_state, entry.workflow),
        )
        if step.decisions:
            body += Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s <small class=\"text-muted\">(%s)</small></li>")
                % (" ".join(d.reasons), d.rule)
                for d in step.decisions
            )
        if new_documents:
            links = Markup(", ").join(
                Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>')
                % (doc._name, doc.id, doc.display_name)
                for doc in sorted(new_documents, key=lambda d: (d._name, d.id))
            )
            body += Markup("<p>%s %s</p>") % (self.env._("Created:"), links)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    # --- errors in words ------------------------------------------------------------------

    def _aftersales_field_labels(self):
        """``{core field path: label}`` from the form map (nested and line fields too)."""

        def field_at(model, path):
            # a dotted Odoo path is walked through its relational fields
            field = None
            for part in path.split("."):
                field = model._fields.get(part)
                if field is None:
                    return None
                if field.comodel_name:
                    model = self.env[field.comodel_name]
            return field

        labels = {}
        for row in self._aftersales_form_map():
            field = field_at(self, row.odoo)
            labels[row.core] = field.string if field else label(row.core)
            sub = getattr(row.conv, "fields_map", None)
            top = self._fields.get(row.odoo.split(".")[0])
            # line maps are read on the lines, nested maps on this record
            model = self.env[top.comodel_name] if top is not None and top.type == "one2many" else self
            for srow in sub or ():
                sfield = field_at(model, srow.odoo)
                labels[f"{row.core}.{srow.core}"] = sfield.string if sfield else label(srow.core)
                labels.setdefault(srow.core, labels[f"{row.core}.{srow.core}"])
        return labels

    def _aftersales_humanize(self, text):
        """The core's text with field paths and identifiers read as labels: dotted or
        snake_case identifiers anywhere, plain field names in a "missing: a, b" list."""
        labels = self._aftersales_field_labels()
        text = re.sub(r"^[a-z_]+/[a-z_]+: ", "", text)

        def word(match):
            token = match.group(0)
            bare = re.sub(r"\[\d+\]", "", token)
            return labels.get(bare) or label(token)

        identifier = r"[a-z][a-z0-9]*(?:_[a-z0-9]+|\[\d+\]|\.[a-z][a-z0-9_]*)+"
        head, sep, tail = text.partition("missing: ")
        if not sep:  # the core's sentence in the user's language
            head, sep, tail = text.partition(
                gettext_for(self.env.lang, "required field(s) missing: "))
        head = re.sub(identifier, word, head)
        if sep:
            tail = re.sub(r"[a-z][a-z0-9_.\[\]]*", word, tail)
        return head + sep + tail

    def _aftersales_error(self, exc):
        """A refusal of the core as a sentence for this record (names the field or rule)."""
        name = self.display_name
        if isinstance(exc, RoleNotAllowed):
            return self.env._(
                "%(record)s: “%(action)s” is for %(need)s; you hold %(held)s.",
                record=name, action=label(exc.action),
                need=self.env._(" or ").join(sorted(label(r) for r in exc.required)),
                held=", ".join(sorted(label(r) for r in exc.held)) or self.env._("no after-sales role"),
            )
        if isinstance(exc, IllegalTransition):
            return self.env._(
                "%(record)s: “%(action)s” is not possible while it is %(state)s.",
                record=name, action=label(exc.action), state=label(exc.state).lower(),
            )
        if isinstance(exc, GuardFailed):
            problem = self._aftersales_humanize(exc.message)
            if exc.rule == "form":
                return self.env._("%(record)s: %(problem)s", record=name, problem=problem)
            return self.env._("%(record)s: %(problem)s (rule %(rule)s)", record=name, problem=problem, rule=exc.rule)
        return self.env._(
            "%(record)s: %(field)s: %(problem)s", record=name,
            field=self._aftersales_humanize(exc.field), problem=exc.problem,
        )

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

    # --- small public helpers that ask the core ---------------------------------------

    @api.model
    def _aftersales_warranty_ends(self, company, units):
        """R10/R26: the core's warranty end of each ``(delivered_at, category)`` of
        ``units`` (naive UTC datetimes, as Odoo stores them), under the company's policy."""
        policy = company._aftersales_policy()
        return [
            warranty_end(aware(delivered), category or None, policy=policy)
            .astimezone(timezone.utc).replace(tzinfo=None)
            for delivered, category in units
        ]

    @api.model
    def _aftersales_resolution_deadlines(self, company, starts):
        """R9: the core's resolution deadline of each ``received_at`` (naive UTC)."""
        policy = company._aftersales_policy()
        return [
            resolution_deadline(aware(start), policy=policy)
            .astimezone(timezone.utc).replace(tzinfo=None)
            for start in starts
        ]

    @api.model
    def _aftersales_satisfaction(self, company, scores):
        """R20: the core's decision on a survey's scores (1-5)."""
        try:
            return satisfaction_result(list(scores), policy=company._aftersales_policy())
        except InvalidInput as exc:
            raise UserError(str(exc)) from exc

    @api.model
    def _aftersales_survey_due(self, company, last_survey_at, now):
        """R20: whether the core says a customer is due a regular survey."""
        return survey_due(aware(last_survey_at), aware(now), policy=company._aftersales_policy())

    @api.model
    def _aftersales_survey_recipients(self, company, customer, final_customer):
        """R20: whom the core says to survey about a case, ``(name, is_final)`` pairs."""
        try:
            return survey_recipients(customer, final_customer or "", policy=company._aftersales_policy())
        except InvalidInput as exc:
            raise UserError(str(exc)) from exc

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
                "summary": self.env._("For %(role)s", role=command.role.value.replace("_", " ")),
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
        """R20: the customer, or the case's final customer (``final_partner_id``) when
        the core says so, is invited to the seeded satisfaction survey (Odoo's survey
        invitation, the answer linked to this case); without an e-mail address, a to-do
        reminds the user to survey the customer another way."""
        if command.final_customer:
            partner = self.final_partner_id if "final_partner_id" in self._fields else None
        else:
            partner = self.partner_id.commercial_partner_id if "partner_id" in self._fields else None
        if partner and self.env["survey.user_input"]._aftersales_send_survey(
            partner, case=self, final=command.final_customer
        ):
            return
        if hasattr(self, "activity_schedule"):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Satisfaction survey"),
                note=escape(self.env._("Send %(customer)s the satisfaction survey (R20).",
                              customer=command.customer)),
                user_id=self.env.user.id,
            )
