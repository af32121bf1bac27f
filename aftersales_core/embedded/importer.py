"""Import complaints and returns from a CSV or JSON file, validated through the forms.

The file is read, validated through the forms and written in ONE transaction
(``executemany`` in chunks, so memory stays flat). The first bad row raises
:class:`ImportFailed` naming its line and field and rolls the transaction back: nothing
of the file is kept. An interruption in the middle (an exception, a crash, a kill)
likewise leaves the database as it was before the import.

Columns (CSV header or JSON keys): ``kind`` (``complaint``, ``repair`` or ``refund``),
``customer``, ``received_at`` (ISO 8601 with offset), ``product``, ``quantity`` and the
optional ``reference``, ``delivered_at``, ``channel``, ``contact``, ``lot``,
``sale_order``, ``description``, ``category``. A complaint becomes a Customer Complaint
Handling Form in state ``received`` with its R9 resolution deadline; a return a Customer
Return Tracking Form in state ``requested`` with its Return Form (requested at
``received_at``, the reason from ``description``) and the original delivery date
(``delivered_at``, or the customer's last delivery of the product on record), so that
``accept`` (R4) works at once. The product's class comes from the catalogue, so the
product must be known.

``reference`` is the case's id in the file's source system. A row whose reference was
imported before with the same values is skipped; with other values it is refused
naming its line. A row without a reference is recognised by its values: importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from aftersales_core.embedded.host import NUMBER_PREFIX, EmbeddedHost
from aftersales_core.embedded.store import iso, parse_iso
from aftersales_core.errors import InvalidInput
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.forms.returns import ReturnTrackingForm
from aftersales_core.rules.service_level import resolution_deadline

__all__ = ["COLUMNS", "ImportFailed", "ImportResult", "import_file", "read_rows"]

COLUMNS = (
    "reference",
    "kind",
    "customer",
    "received_at",
    "product",
    "quantity",
    "delivered_at",
    "channel",
    "contact",
    "lot",
    "sale_order",
    "description",
    "category",
)
"""The columns an import file may have."""
REQUIRED = ("kind", "customer", "received_at", "product", "quantity")
_WORKFLOW = {"complaint": "complaint", "repair": "return_for_repair", "refund": "refund_return"}
_CHUNK = 2000


class ImportFailed(InvalidInput):
    """A bad import file: ``line`` is the 1-based line of the row, ``field`` the bad field."""

    def __init__(self, line: int, field: str, problem: str) -> None:
        self.line = line
        super().__init__(field, problem)
        self.args = (f"line {line}, field {field}: {problem}",)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class ImportResult:
    """How many complaints and returns were imported."""

    complaints: int
    returns: int
    skipped: int = 0
    """Rows already imported before (same reference or same values): left unchanged."""

    @property
    def total(self) -> int:
        """All cases imported."""
        return self.complaints + self.returns


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailed(
            line, "encoding", f"{path.name} is not UTF-8 (byte 0x{data[exc.start]:02x})"
        ) from exc


def read_rows(
    path: str | Path,
    *,
    columns: tuple[str, ...] = COLUMNS,
    required: tuple[str, ...] = REQUIRED,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a CSV, JSON (array of objects) or JSON Lines file, with line numbers.

    ``columns`` are the names a row may have (an unknown one raises), ``required`` the
    columns a CSV header must name.
    """
    for line, row in _rows(path, columns, required):
        for name in row:
            if name not in columns:
                raise ImportFailed(
                    line, name, f"unknown column {name!r}; the columns are: {', '.join(columns)}"
                )
        yield line, row


def _rows(
    path: str | Path, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]]]:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFailed(0, "file", f"cannot read {p}: {exc.strerror}") from exc
    text = _decode(data, p)
    if not text.strip():
        raise ImportFailed(1, "file", f"{p.name} is empty: nothing to import")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(text, columns, required)
    elif suffix == ".json":
        yield from _json_array_rows(text)
    elif suffix in (".jsonl", ".ndjson"):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield n, _json_object(line, n)
    else:
        raise ImportFailed(0, "file", f"unknown file type {suffix!r}: use .csv, .json or .jsonl")


def _check_columns(
    names: list[str], line: int, columns: tuple[str, ...], required: tuple[str, ...]
) -> None:
    for name in names:
        if name not in columns:
            raise ImportFailed(
                line, name, f"unknown column {name!r}; the columns are: {', '.join(columns)}"
            )
    for name in required:
        if name not in names:
            raise ImportFailed(line, name, "required column missing")


def _csv_rows(
    text: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    while header is not None and not any(h.strip() for h in header):
        header = next(reader, None)
    if header is None:
        raise ImportFailed(1, "header", "a CSV file needs a header row naming its columns")
    names = [h.strip() for h in header]
    _check_columns(names, reader.line_num, columns, required)
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            raise ImportFailed(line, "row", f"{len(values)} values for {len(names)} columns")
        yield line, dict(zip(names, values, strict=True))


def _json_object(text: str, line: int) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(line, "json", exc.msg) from exc
    if not isinstance(value, dict):
        raise ImportFailed(line, "row", "each record must be a JSON object")
    return value


def _json_array_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise ImportFailed(text.count("\n", 0, pos) + 1, "json", "expected a JSON array of objects")
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        line = text.count("\n", 0, pos) + 1
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFailed(exc.lineno, "json", exc.msg) from exc
        if not isinstance(value, dict):
            raise ImportFailed(line, "row", "each record must be a JSON object")
        yield line, value
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    if pos >= len(text):
        raise ImportFailed(text.count("\n") + 1, "json", "the array is not closed")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _field_error(line: int, exc: ValidationError, prefix: str = "") -> ImportFailed:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    # Return lines are built from the row's columns: name the column, not the nested path.
    if loc[:1] == ["lines"] and len(loc) >= 3:
        loc = loc[2:]
    where = ".".join(loc) or "row"
    return ImportFailed(line, prefix + where, err["msg"])


_MOMENT: TypeAdapter[datetime] = TypeAdapter(AwareDatetime)
_TEXT = ("channel", "contact", "lot", "sale_order", "description", "category")


@dataclass(frozen=True)
class _Row:
    workflow: str
    received_at: datetime
    form: ComplaintHandlingForm | ReturnTrackingForm
    reference: str | None
    digest: str


def _quantity(line: int, value: object, limit: int) -> int:
    """A whole quantity above 0 and at most the policy's maximum; a boolean is not one."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ImportFailed(line, "quantity", f"not a whole number: {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportFailed(line, "quantity", f"must be a whole number, got {value!r}")
    if value <= 0:
        raise ImportFailed(line, "quantity", f"must be greater than 0, got {value}")
    if value > limit:
        raise ImportFailed(
            line, "quantity", f"must be at most {limit} (policy max_quantity), got {value}"
        )
    return value


def _moment(line: int, field: str, value: object) -> datetime:
    if isinstance(value, bool) or not isinstance(value, (str, datetime)):
        raise ImportFailed(line, field, f"must be an ISO 8601 date and time, got {value!r}")
    try:
        return _MOMENT.validate_python(value)
    except ValidationError as exc:
        raise ImportFailed(line, field, exc.errors()[0]["msg"]) from exc


class _Validator:
    """Validates rows through the forms against the product catalogue."""

    def __init__(self, host: EmbeddedHost) -> None:
        self.host = host
        self.limit = host.policy.max_quantity
        self.classes = {
            str(r[0]): str(r[1])
            for r in host.conn.execute("SELECT code, product_class FROM products")
        }

    def _delivered_at(
        self, line: int, row: dict[str, Any], product: str, lot: str, received_at: datetime
    ) -> datetime:
        """The original delivery of a returned product: the column, or the last on record."""
        given = row.get("delivered_at")
        if given not in (None, ""):
            delivered = _moment(line, "delivered_at", given)
        else:
            found = self.host.conn.execute(
                "SELECT MAX(d.delivered_at) FROM deliveries d JOIN customers c"
                " ON c.id = d.customer_id WHERE c.name = ? AND d.product_code = ?"
                " AND (? = '' OR d.lot = ?) AND d.delivered_at <= ?",
                (str(row["customer"]).strip(), product, lot, lot, iso(received_at)),
            ).fetchone()[0]
            if found is None:
                raise ImportFailed(
                    line,
                    "delivered_at",
                    "a return needs the date of the original delivery (R4): give "
                    "delivered_at, or record the delivery of the product to the customer",
                )
            delivered = parse_iso(str(found))
        if delivered > received_at:
            raise ImportFailed(
                line,
                "delivered_at",
                "the delivery cannot be after the return request (received_at)",
            )
        return delivered

    def row(self, line: int, row: dict[str, Any]) -> _Row:
        unknown = [k for k in row if k not in COLUMNS]
        if unknown:
            raise ImportFailed(
                line,
                unknown[0],
                f"unknown column {unknown[0]!r}; the columns are: {', '.join(COLUMNS)}",
            )
        for name in REQUIRED:
            if row.get(name) in (None, ""):
                raise ImportFailed(line, name, "required value missing")
        kind = str(row["kind"]).strip()
        if kind not in _WORKFLOW:
            raise ImportFailed(line, "kind", f"must be complaint, repair or refund, got {kind!r}")
        product = str(row["product"]).strip()
        if product not in self.classes:
            raise ImportFailed(line, "product", f"unknown product {product!r}")
        quantity = _quantity(line, row["quantity"], self.limit)
        received_at = _moment(line, "received_at", row["received_at"])
        for name in (*_TEXT, "customer", "reference"):
            value = row.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
                raise ImportFailed(line, name, f"must be text, got {value!r}")
        text = {k: str(row.get(k) or "").strip() for k in _TEXT}
        reference = str(row.get("reference") or "").strip() or None
        try:
            if kind == "complaint":
                form: ComplaintHandlingForm | ReturnTrackingForm = (
                    ComplaintHandlingForm.model_validate(
                        {
                            "state": "received",
                            "channel": text["channel"] or "phone",
                            "received_at": received_at,
                            "customer": row["customer"],
                            "contact": text["contact"],
                            "product": product,
                            "lot": text["lot"],
                            "quantity": quantity,
                            "sale_order": text["sale_order"],
                            "description": text["description"] or "(imported)",
                            "category": text["category"],
                        }
                    )
                )
            else:
                if not text["description"]:
                    raise ImportFailed(
                        line, "description", "a return needs the customer's reason (R4)"
                    )
                delivered_at = self._delivered_at(line, row, product, text["lot"], received_at)
                form = ReturnTrackingForm.model_validate(
                    {
                        "state": "requested",
                        "purpose": "repair" if kind == "repair" else "refund",
                        "customer": row["customer"],
                        "delivered_at": delivered_at,
                        "return_form": {
                            "requested_at": received_at,
                            "reason": text["description"],
                        },
                        "lines": [
                            {
                                "product": product,
                                "product_class": self.classes[product],
                                "quantity": quantity,
                                "lot": text["lot"],
                                "problem": text["description"],
                                "sale_order": text["sale_order"],
                                "failure_category": text["category"],
                            }
                        ],
                    }
                )
        except ValidationError as exc:
            raise _field_error(line, exc) from exc
        workflow = _WORKFLOW[kind]
        digest = hashlib.sha256(
            f"{workflow}\n{iso(received_at)}\n{form.model_dump_json()}".encode()
        ).hexdigest()
        return _Row(workflow, received_at, form, reference, digest)


class _Seen:
    """Which rows are already in the database (or earlier in this file)."""

    def __init__(self, host: EmbeddedHost) -> None:
        self.conn = host.conn
        self.refs: dict[str, tuple[str, str]] = {}  # pending rows of this chunk
        self.digests: set[str] = set()

    def known(self, line: int, item: _Row) -> bool:
        """Whether the row was imported already; a conflicting reference raises."""
        if item.reference is not None:
            pending = self.refs.get(item.reference)
            if pending is not None:
                number, digest = pending
            else:
                found = self.conn.execute(
                    "SELECT number, import_digest FROM cases WHERE external_ref = ?",
                    (item.reference,),
                ).fetchone()
                if found is None:
                    return False
                number, digest = str(found[0]), str(found[1])
            if digest != item.digest:
                raise ImportFailed(
                    line,
                    "reference",
                    f"{item.reference!r} was imported as {number} with other values; "
                    "give the row its own reference or the same values",
                )
            return True
        if item.digest in self.digests:
            return True
        found = self.conn.execute(
            "SELECT 1 FROM cases WHERE import_digest = ? AND external_ref IS NULL",
            (item.digest,),
        ).fetchone()
        return found is not None

    def add(self, item: _Row, number: str) -> None:
        if item.reference is not None:
            self.refs[item.reference] = (number, item.digest)
        else:
            self.digests.add(item.digest)

    def clear(self) -> None:
        self.refs.clear()
        self.digests.clear()


def import_file(
    host: EmbeddedHost,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    user: str = "import",
) -> ImportResult:
    """Import a file in ONE transaction, streaming: validate a chunk of rows, write it.

    Memory stays flat whatever the file's size. ``progress(done, total)`` is called after
    each written chunk with ``total == 0`` (unknown yet) and once at the end with
    ``done == total``. The first bad row raises :class:`ImportFailed` (line and field)
    and the transaction is rolled back, so nothing of the file is kept; any other
    exception, or the process being killed, leaves the database as before too.
    """
    validator = _Validator(host)
    now = iso(host.clock())
    zone = host.policy.zone
    complaints = total = skipped = 0
    with host.transaction():
        seen = _Seen(host)
        next_id = host._next_case_id()
        cases: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        deadlines: list[tuple[Any, ...]] = []
        for line, raw in read_rows(path):
            item = validator.row(line, raw)
            if seen.known(line, item):
                skipped += 1
                continue
            number = f"{NUMBER_PREFIX[item.workflow]}{next_id:06d}"
            seen.add(item, number)
            form = item.form.model_copy(update={"number": number})
            if isinstance(form, ComplaintHandlingForm):
                category = form.category
                complaints += 1
                # R9 applies to every complaint, imported or not.
                due = resolution_deadline(form.received_at, policy=host.policy)
                deadlines.append((next_id, "resolution", "", iso(due)))
            else:
                category = form.lines[0].failure_category
            cases.append(
                (
                    next_id,
                    number,
                    item.workflow,
                    type(form).__name__,
                    form.state,
                    form.customer,
                    category,
                    iso(item.received_at),
                    item.received_at.astimezone(zone).date().isoformat(),
                    now,
                    form.model_dump_json(),
                    item.reference,
                    item.digest,
                )
            )
            history.append((next_id, item.workflow, "import", user, now, "draft", form.state))
            next_id += 1
            total += 1
            if len(cases) >= _CHUNK:
                _write(host, cases, history, deadlines)
                seen.clear()
                if progress is not None:
                    progress(total, 0)
        _write(host, cases, history, deadlines)
    if progress is not None:
        progress(total, total)
    return ImportResult(complaints=complaints, returns=total - complaints, skipped=skipped)


def _write(
    host: EmbeddedHost,
    cases: list[tuple[Any, ...]],
    history: list[tuple[Any, ...]],
    deadlines: list[tuple[Any, ...]],
) -> None:
    host.conn.executemany(
        "INSERT INTO cases (id, number, workflow, form_type, state, customer, category,"
        " opened_at, opened_day, updated_at, form_json, external_ref, import_digest)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        cases,
    )
    host.conn.executemany(
        "INSERT INTO deadlines (case_id, kind, region, due_at) VALUES (?,?,?,?)", deadlines
    )
    deadlines.clear()
    host.conn.executemany(
        "INSERT INTO history (case_id, workflow, action, user, at, from_state, to_state)"
        " VALUES (?,?,?,?,?,?,?)",
        history,
    )
    cases.clear()
    history.clear()
