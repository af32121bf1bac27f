# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R24: the on-arrival and completion checklists of an on-site service, one line per check."""

from aftersales_core.labels import label
from aftersales_core.rules.onsite import CHECK_STAGES

from odoo import api, fields, models
from odoo.exceptions import UserError

from .aftersales_seam import Converter


class DoneChecks(Converter):
    """The visit's check lines <-> the core's ``checks`` (the names of the checks done,
    in the lines' order). Written back, a name the core adds or drops marks its line done
    or not done; a name no line holds is an error (nothing is dropped)."""

    def __init__(self, field):
        self.field = field

    def to_core(self, record, path):
        return tuple(line.name for line in record[path] if line.done)

    def to_odoo(self, record, value):
        lines = record[self.field]
        unknown = set(value) - set(lines.mapped("name"))
        if unknown:
            raise NotImplementedError(
                f"{record._name}: the workflow recorded checks no line holds: {sorted(unknown)}"
            )
        return [
            fields.Command.update(line.id, {"done": line.name in value})
            for line in lines
            if line.done != (line.name in value)
        ]


class AftersalesServiceVisitCheck(models.Model):
    """One check of the company's R24 checklists on an on-site service: its stage (on
    arrival, or before the repair list is signed), whether it is done, by whom and when,
    and a note. The lines are made from the company's policy when the visit is dispatched
    (and on arrival, for a checklist changed since); the core's rule decides from the
    done ones whether a stage is complete."""

    _name = "aftersales.service.visit.check"
    _description = "On-site service check (R24)"
    _order = "visit_id, sequence, id"
    _check_company_auto = True

    visit_id = fields.Many2one(
        "aftersales.service.visit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, readonly=True)
    label = fields.Char(compute="_compute_label", string="Check name")
    stage = fields.Selection(
        [(s, s.capitalize()) for s in CHECK_STAGES], required=True, readonly=True,
        help="R24: on arrival (before the repair) or at completion (before the repair list).",
    )
    done = fields.Boolean(copy=False)
    done_by_id = fields.Many2one("res.users", string="Done by", readonly=True, copy=False)
    done_at = fields.Datetime(string="Done on", readonly=True, copy=False)
    note = fields.Char(help="What was seen: the certificate's number, the cause found...")

    _sql_constraints = [
        ("name_uniq", "unique(visit_id, name)", "A check appears once per on-site service."),
    ]

    @api.depends("name")
    def _compute_label(self):
        for line in self:
            line.label = label(line.name) if line.name else False

    def _done_values(self, vals):
        if "done" not in vals:
            return vals
        if vals["done"]:
            return {**vals, "done_by_id": self.env.user.id, "done_at": fields.Datetime.now()}
        return {**vals, "done_by_id": False, "done_at": False}

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._done_values(vals) for vals in vals_list])

    def write(self, vals):
        closed = self.filtered(lambda c: c.visit_id.state in ("closed", "cancelled"))
        if closed and {"done", "note"} & set(vals):
            raise UserError(self.env._(
                "%(visit)s: the checks of a closed on-site service are kept as recorded (R24).",
                visit=closed[:1].visit_id.display_name,
            ))
        return super().write(self._done_values(vals))
