"""Import complaints and returns from a CSV or JSON file, validated through the forms.

The file is read, validated through the forms and written in ONE transaction
(``executemany`` in chunks, so memory stays flat). The first bad row raises
:class:`ImportFailed` naming its line and field and rolls the transaction back: nothing
of the file is kept. An interruption in the middle (an exception, a crash, a kill)
likewise leaves the database as it was before the import.

Columns (CSV header or JSON keys): ``kind`` (``complaint``, ``repair`` or ``refund``),
``customer``, ``received_at`` (ISO 8601 with offset), ``product``, ``quantity`` and the
optional ``channel``, ``contact``, ``lot``, ``sale_order``, ``description``, ``category``.
A complaint becomes a Customer Complaint Handling Form in state ``received``; a return a
Customer Return Tracking Form in state ``requested`` (the product's class comes from the
product catalogue, so the product must be known).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, TypeAdapter, ValidationError

from aftersales_core.embedded.host import NUMBER_PREFIX, EmbeddedHost
from aftersales_core.embedded.store import iso
from aftersales_core.errors import InvalidInput
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.forms.returns import ReturnTrackingForm

__all__ = ["COLUMNS", "ImportFailed", "ImportResult", "import_file", "read_rows"]

COLUMNS = (
    "kind",
    "customer",
    "received_at",
    "product",
    "quantity",
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


def read_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a CSV, JSON (array of objects) or JSON Lines file, with line numbers."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFailed(0, "file", f"cannot read {p}: {exc.strerror}") from exc
    text = _decode(data, p)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(text)
    elif suffix == ".json":
        yield from _json_array_rows(text)
    elif suffix in (".jsonl", ".ndjson"):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield n, _json_object(line, n)
    else:
        raise ImportFailed(0, "file", f"unknown file type {suffix!r}: use .csv, .json or .jsonl")


def _check_columns(names: list[str], line: int) -> None:
    for name in names:
        if name not in COLUMNS:
            raise ImportFailed(
                line, name, f"unknown column {name!r}; the columns are: {', '.join(COLUMNS)}"
            )
    for name in REQUIRED:
        if name not in names:
            raise ImportFailed(line, name, "required column missing")


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip() for h in header]
    _check_columns(names, 1)
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


class _Validator:
    """Validates rows through the forms against the product catalogue."""

    def __init__(self, host: EmbeddedHost) -> None:
        self.classes = {
            str(r[0]): str(r[1])
            for r in host.conn.execute("SELECT code, product_class FROM products")
        }

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
        quantity = row["quantity"]
        if isinstance(quantity, str):
            try:
                quantity = int(quantity.strip())
            except ValueError:
                raise ImportFailed(line, "quantity", f"not a whole number: {quantity!r}") from None
        try:
            received_at = _MOMENT.validate_python(row["received_at"])
        except ValidationError as exc:
            raise ImportFailed(line, "received_at", exc.errors()[0]["msg"]) from exc
        text = {k: str(row.get(k) or "").strip() for k in _TEXT}
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
                form = ReturnTrackingForm.model_validate(
                    {
                        "state": "requested",
                        "purpose": "repair" if kind == "repair" else "refund",
                        "customer": row["customer"],
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
        return _Row(_WORKFLOW[kind], received_at, form)


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
    complaints = total = 0
    with host.transaction():
        next_id = host._next_case_id()
        cases: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        for line, raw in read_rows(path):
            item = validator.row(line, raw)
            number = f"{NUMBER_PREFIX[item.workflow]}{next_id:06d}"
            form = item.form.model_copy(update={"number": number})
            if isinstance(form, ComplaintHandlingForm):
                category = form.category
                complaints += 1
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
                )
            )
            history.append((next_id, item.workflow, "import", user, now, "draft", form.state))
            next_id += 1
            total += 1
            if len(cases) >= _CHUNK:
                _write(host, cases, history)
                if progress is not None:
                    progress(total, 0)
        _write(host, cases, history)
    if progress is not None:
        progress(total, total)
    return ImportResult(complaints=complaints, returns=total - complaints)


def _write(
    host: EmbeddedHost, cases: list[tuple[Any, ...]], history: list[tuple[Any, ...]]
) -> None:
    host.conn.executemany(
        "INSERT INTO cases (id, number, workflow, form_type, state, customer, category,"
        " opened_at, opened_day, updated_at, form_json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        cases,
    )
    host.conn.executemany(
        "INSERT INTO history (case_id, workflow, action, user, at, from_state, to_state)"
        " VALUES (?,?,?,?,?,?,?)",
        history,
    )
    cases.clear()
    history.clear()
