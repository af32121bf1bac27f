# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The declarative seam between Odoo records and the core's forms.

A model lists its form's fields once, as ``FormField(core, odoo, converter)`` rows: the
core field, the Odoo field (or a dotted path to read), and a converter that turns the
Odoo value into the core's and, for what the workflow writes, back. :func:`to_form`
builds the form from a record; :func:`values_from_form` turns the workflow's changes
into Odoo values. Lines are a :class:`Lines` converter over a map of their own; each
line's ``ref`` is its database id, so commands come back addressed by it.

Nothing here decides a rule: it only moves values.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from aftersales_core.forms.base import Signature, parse_form

__all__ = [
    "CHAR",
    "DATETIME",
    "DERIVED",
    "FLAG",
    "MONEY",
    "NAME",
    "OPTIONAL",
    "OPTIONAL_MONEY",
    "FormField",
    "IdRef",
    "Lines",
    "Nested",
    "Refs",
    "SignatureOf",
    "UserRef",
    "to_form",
    "values_from_form",
]


class Converter:
    """Odoo value <-> core value. ``writable`` is False for values Odoo derives itself."""

    writable = True

    def to_core(self, record, path):
        return _read(record, path)

    def to_odoo(self, record, value):
        return value


class _Char(Converter):
    def to_core(self, record, path):
        return _read(record, path) or ""

    def to_odoo(self, record, value):
        return value or False


class _Optional(Converter):
    """A selection or char the core holds as ``None`` when empty."""

    def to_core(self, record, path):
        return _read(record, path) or None

    def to_odoo(self, record, value):
        return value if value not in (None, "") else False


class _Flag(Converter):
    def to_core(self, record, path):
        return bool(_read(record, path))

    def to_odoo(self, record, value):
        return bool(value)


class _Datetime(Converter):
    """Odoo's naive UTC datetimes <-> the core's aware ones, stored as the core set them."""

    def to_core(self, record, path):
        value = _read(record, path)
        return value.replace(tzinfo=timezone.utc) if value else None

    def to_odoo(self, record, value):
        if not value:
            return False
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(timezone.utc).replace(tzinfo=None)


class _Money(Converter):
    def __init__(self, optional=False):
        self.optional = optional

    def to_core(self, record, path):
        value = _read(record, path)
        if self.optional and not value:
            return None
        return Decimal(str(value or 0))

    def to_odoo(self, record, value):
        return float(value) if value is not None else 0.0


class _Name(Converter):
    """A many2one shown to the core by its display name (read only: Odoo's own link)."""

    writable = False

    def to_core(self, record, path):
        return _read(record, path).display_name or ""


class UserRef(Converter):
    """A user as the core's actor id (the database id as text) <-> a res.users id."""

    def to_core(self, record, path):
        user = _read(record, path)
        return str(user.id) if user else ""

    def to_odoo(self, record, value):
        return int(value) if value else False


class SignatureOf(Converter):
    """The core's Signature stored as a user and a datetime (``<prefix>_user_id``, ``_at``)."""

    def __init__(self, role):
        self.role = role

    def to_core(self, record, path):
        user = record[f"{path}_user_id"]
        if not user:
            return None
        return Signature(role=self.role, user=str(user.id), at=DATETIME.to_core(record, f"{path}_at"))

    def to_odoo(self, record, value):
        raise AssertionError("SignatureOf is written through values_from_form")  # pragma: no cover


class _Derived(Converter):
    """A form value Odoo keeps in its own documents (e.g. parts on repair orders): the
    workflow may change it, and Odoo records it there, not on this record."""

    writable = False
    derived = True

    def to_core(self, record, path):
        return getattr(record, path)()


class IdRef(Converter):
    """A many2one as the host's key (its id as text) <-> the id."""

    def to_core(self, record, path):
        value = _read(record, path)
        return str(value.id) if value else ""

    def to_odoo(self, record, value):
        return int(value) if value else False


class Refs(Converter):
    """A x2many as a tuple of keys (ids as text) <-> the ids."""

    def to_core(self, record, path):
        return tuple(str(i) for i in _read(record, path).ids)

    def to_odoo(self, record, value):
        return [(6, 0, [int(v) for v in value])]


class Nested(Converter):
    """A sub-form held in fields of the record itself; ``present`` (a field path) says
    whether it exists (``None`` when not)."""

    def __init__(self, fields_map, present=None):
        self.fields_map = fields_map
        self.present = present

    def to_core(self, record, path):
        if self.present and not _read(record, self.present):
            return None
        return {f.core: f.conv.to_core(record, f.odoo) for f in self.fields_map}


class Lines(Converter):
    """A one2many of form lines: each line is ``{"ref": str(id), **its map}``.

    Writing back, the core's line is found by its ``ref`` and only its writable fields
    that changed are written (``Command.update``); a line the core does not know is an
    error, never a guess.
    """

    def __init__(self, fields_map, creatable=False):
        self.fields_map = fields_map
        self.creatable = creatable

    def to_core(self, record, path):
        return tuple(
            {"ref": str(line.id), **{f.core: f.conv.to_core(line, f.odoo) for f in self.fields_map}}
            for line in _read(record, path)
        )

    def to_odoo(self, record, value):
        raise AssertionError("Lines are written through values_from_form")  # pragma: no cover


DERIVED = _Derived()
CHAR = _Char()
OPTIONAL = _Optional()
FLAG = _Flag()
DATETIME = _Datetime()
MONEY = _Money()
OPTIONAL_MONEY = _Money(optional=True)
NAME = _Name()


@dataclass(frozen=True)
class FormField:
    """One row of a form map: core field, Odoo field (or dotted path), converter."""

    core: str
    odoo: str
    conv: Converter = Converter()


def _read(record, path):
    value = record
    for part in path.split("."):
        value = value[part]
    return value


def form_data(record, fields_map):
    """The form's fields as a dict read from ``record`` through ``fields_map``."""
    return {f.core: f.conv.to_core(record, f.odoo) for f in fields_map}


def to_form(record, form_type, fields_map, **extra):
    """Build ``form_type`` from ``record``; bad data raises the core's InvalidInput."""
    return parse_form(form_type, {**form_data(record, fields_map), **extra})


def values_from_form(record, fields_map, changes):
    """Odoo values for the core fields the workflow changed (``{core field: new value}``).

    Returns ``(values, line_writes)``: ``values`` for the record, and ``line_writes`` a
    ``{odoo one2many field: {line id: values}}`` for lines addressed by ``ref``. A changed
    field the map does not hold, or holds read-only, is an error: nothing is dropped.
    """
    by_core = {f.core: f for f in fields_map}
    values, line_writes = {}, {}
    for name, value in changes.items():
        field = by_core.get(name)
        if field is None:
            raise NotImplementedError(
                f"{record._name}: the workflow changed {name!r}, which the form map does not hold"
            )
        conv = field.conv
        if getattr(conv, "derived", False):
            continue  # kept in Odoo's own documents (see the converter)
        if isinstance(conv, Lines):
            line_writes[field.odoo] = _line_values(record, field, value)
        elif isinstance(conv, Nested):
            values.update(_nested_values(record, conv, value or {}))
        elif isinstance(conv, SignatureOf):
            values[f"{field.odoo}_user_id"] = int(value["user"]) if value else False
            values[f"{field.odoo}_at"] = DATETIME.to_odoo(record, value["at"]) if value else False
        elif not conv.writable:
            raise NotImplementedError(
                f"{record._name}: the workflow changed {name!r}, which Odoo derives itself"
            )
        else:
            values[field.odoo] = conv.to_odoo(record, value)
    return values, line_writes


def _nested_values(record, conv, value):
    """The values of a sub-form's changed fields (by its own map)."""
    values = {}
    for f in conv.fields_map:
        if f.core not in value or f.conv.to_core(record, f.odoo) == value[f.core]:
            continue
        if getattr(f.conv, "derived", False):
            continue
        if isinstance(f.conv, SignatureOf):
            sig = value[f.core]
            values[f"{f.odoo}_user_id"] = int(sig["user"]) if sig else False
            values[f"{f.odoo}_at"] = DATETIME.to_odoo(record, sig["at"]) if sig else False
        elif not f.conv.writable:
            raise NotImplementedError(f"{record._name}: {f.core} is derived by Odoo, not writable")
        else:
            values[f.odoo] = f.conv.to_odoo(record, value[f.core])
    return values


def _line_values(record, field, lines):
    current = {str(line.id): line for line in record[field.odoo]}
    known = {f.core: f for f in field.conv.fields_map}
    out = {}
    for i, line in enumerate(lines):
        target = current.get(line.get("ref") or "")
        if target is None and field.conv.creatable and not line.get("ref"):
            out[f"new{i}"] = {
                known[core].odoo: known[core].conv.to_odoo(record, value)
                for core, value in line.items()
                if core in known and known[core].conv.writable
            }
            continue
        if target is None:
            raise NotImplementedError(f"{record._name}: lines[{i}] has no ref the record knows")
        before = {f.core: f.conv.to_core(target, f.odoo) for f in known.values()}
        vals = {}
        for core, value in line.items():
            if core == "ref" or before.get(core) == value:
                continue
            sub = known.get(core)
            if sub is None or not sub.conv.writable:
                raise NotImplementedError(f"{record._name}: lines[{i}].{core} is not writable")
            vals[sub.odoo] = sub.conv.to_odoo(target, value)
        if vals:
            out[target.id] = vals
    return out
