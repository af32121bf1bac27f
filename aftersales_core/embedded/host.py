"""The embedded default host: the core's ports carried out as rows of a SQLite file.

:class:`EmbeddedHost` is a unit of work and an application service at once:
:meth:`EmbeddedHost.open_case` stores a new form as a case, :meth:`EmbeddedHost.act`
loads a case, lets its workflow decide (:meth:`Workflow.apply`, pure), then stores the
new form, the history row and every command's rows **in one transaction**. A refused
action or a crash in the middle leaves the file as it was before the action.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from aftersales_core.commands import (
    ChargeParts,
    ClaimSupplier,
    Command,
    DispatchVisit,
    IssueCreditNote,
    IssueMaterials,
    Item,
    MoveToRefurbished,
    Notify,
    OpenRepair,
    PlanPurchases,
    ReceiveReturn,
    RecordDeduction,
    RecordPayout,
    ReimburseTravel,
    RequestBom,
    RestockForResale,
    ResumeProduction,
    ReturnOldParts,
    SendSurvey,
    ShipBack,
    ShipOrder,
    StartProduction,
    StartRework,
    SuspendDelivery,
    SuspendProduction,
)
from aftersales_core.embedded.store import connect, iso, to_cents
from aftersales_core.errors import DatabaseBusy, InvalidInput
from aftersales_core.forms.base import form_error
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.forms.returns import ReturnTrackingForm
from aftersales_core.forms.service import ServiceInformationRecord
from aftersales_core.policy import Policy
from aftersales_core.ports import dispatch
from aftersales_core.rules._input import count
from aftersales_core.workflows.engine import Actor, Step, Workflow
from aftersales_core.workflows.registry import get_workflow

__all__ = ["NUMBER_PREFIX", "CaseRecord", "EmbeddedHost"]

NUMBER_PREFIX: dict[str, str] = {
    "complaint": "CMP",
    "return_for_repair": "RTR",
    "refund_return": "RFD",
    "special_order": "SPO",
    "onsite_service": "SRV",
    "quality_information": "QIF",
    "order_processing": "ORD",
    "material_requisition": "MRQ",
}
"""Prefix of the case numbers the host gives, per workflow."""


class CaseRecord(BaseModel):
    """A stored case: its id, number, workflow, state and form."""

    id: int
    number: str
    workflow: str
    state: str
    form: BaseModel


def _has_keyed_lines(form_type: type[BaseModel]) -> bool:
    """Whether ``form_type`` has ``lines`` whose model carries a ``ref``."""
    field = form_type.model_fields.get("lines")
    if field is None:
        return False
    return any(
        isinstance(arg, type) and issubclass(arg, BaseModel) and "ref" in arg.model_fields
        for arg in get_args(field.annotation)
    )


def _keyed_lines(lines: Any, number: str) -> Any:
    """Give each line without a ref the host's key ``<number>/<n>`` (n counts from 1).

    Commands come back addressed by these refs; a ref the embedder gave is kept. Lines
    are models or mappings; anything else is left for the form to refuse.
    """
    if not isinstance(lines, (list, tuple)):
        return lines
    keyed: list[Any] = []
    for i, line in enumerate(lines, start=1):
        key = f"{number}/{i}"
        if isinstance(line, BaseModel) and "ref" in type(line).model_fields:
            keyed.append(line if getattr(line, "ref", "") else line.model_copy(update={"ref": key}))
        elif isinstance(line, Mapping):
            keyed.append(line if line.get("ref") else {**line, "ref": key})
        else:
            keyed.append(line)
    return tuple(keyed)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class EmbeddedHost:
    """The core's :class:`~aftersales_core.ports.Host` on a SQLite file.

    ``path`` is the file (``":memory:"`` for a throw-away database), ``policy`` the
    company's policy, ``clock`` the source of "now" for actions that do not give one.
    The host is also a context manager that closes the connection.
    """

    def __init__(
        self,
        path: str | Path = "aftersales.db",
        *,
        policy: Policy | None = None,
        clock: Callable[[], datetime] = _utcnow,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.policy = policy if policy is not None else Policy()
        self.path = str(path)
        self.on_wait = on_wait
        self.conn: sqlite3.Connection = connect(path)
        self.clock = clock
        self._at: datetime | None = None

    # --- lifecycle ------------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def __enter__(self) -> EmbeddedHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises.

        It starts with ``BEGIN IMMEDIATE``: the write lock is taken before anything is
        read, so two processes acting on the same file never both act on a stale case.
        While another process writes (a concurrent import), it waits up to the policy's
        ``database_wait_seconds``, telling ``on_wait`` once, then raises
        :class:`~aftersales_core.errors.DatabaseBusy`; nothing is written then.
        """
        with self.conn:
            if not self.conn.in_transaction:
                self._begin()
            yield self.conn

    def _begin(self) -> None:
        wait = self.policy.database_wait_seconds
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise  # pragma: no cover - any other database failure
        if wait and self.on_wait is not None:
            self.on_wait(
                f"database {self.path} is busy (another import or action is writing): "
                f"waiting up to {wait} s ..."
            )
        self.conn.execute(f"PRAGMA busy_timeout = {int(wait) * 1000}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(self.path, wait) from exc
            raise  # pragma: no cover

    # --- master data ----------------------------------------------------------------

    def add_customer(self, name: str, province: str, contact: str = "") -> int:
        """Register a customer and its province (R8 regions); returns its id."""
        if not name.strip():
            raise InvalidInput("customer.name", "must not be empty")
        if not province.strip():
            raise InvalidInput("customer.province", "must not be empty")
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO customers (name, province, contact) VALUES (?, ?, ?)",
                (name, province, contact),
            )
        return int(cur.lastrowid or 0)

    def add_product(
        self,
        code: str,
        name: str,
        product_class: str,
        *,
        category: str = "",
        warranty_months: int | None = None,
        supplier: str = "",
        unit_price: object = 0,
    ) -> None:
        """Register a product: class host/accessory (R1), category and warranty (R10).

        ``warranty_months`` defaults to the policy's months for the category.
        """
        if product_class not in ("host", "accessory"):
            raise InvalidInput(
                "product_class", f"must be 'host' or 'accessory', got {product_class!r}"
            )
        months = (
            warranty_months
            if warranty_months is not None
            else self.policy.warranty_months_for(category or None)
        )
        with self.conn:
            self.conn.execute(
                "INSERT INTO products (code, name, product_class, category, warranty_months,"
                " supplier, unit_price_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (code, name, product_class, category, months, supplier, to_cents(unit_price)),
            )

    def add_delivery(
        self,
        customer: str,
        product: str,
        quantity: int,
        delivered_at: datetime,
        *,
        lot: str = "",
        sale_order: str = "",
    ) -> int:
        """Record a delivery of ``quantity`` units of ``product`` to ``customer``."""
        row = self.conn.execute("SELECT id FROM customers WHERE name = ?", (customer,)).fetchone()
        if row is None:
            raise InvalidInput("customer", f"unknown customer {customer!r}")
        if self.product(product) is None:
            raise InvalidInput("product", f"unknown product {product!r}")
        count(quantity, "quantity", positive=True, policy=self.policy)
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO deliveries (customer_id, product_code, lot, quantity, delivered_at,"
                " sale_order) VALUES (?, ?, ?, ?, ?, ?)",
                (row[0], product, lot, quantity, iso(delivered_at), sale_order),
            )
        return int(cur.lastrowid or 0)

    def product(self, code: str) -> sqlite3.Row | None:
        """The product row of ``code`` or ``None``."""
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM products WHERE code = ?", (code,)
        ).fetchone()
        return row

    def province_of(self, customer: str) -> str | None:
        """The province of a registered customer, or ``None``."""
        row = self.conn.execute(
            "SELECT province FROM customers WHERE name = ?", (customer,)
        ).fetchone()
        return None if row is None else str(row[0])

    # --- cases ----------------------------------------------------------------------

    def open_case(self, workflow: str, form: BaseModel, *, now: datetime | None = None) -> int:
        """Store ``form`` as a new case of ``workflow`` in its initial state; return the id.

        The host gives the form its number (``CMP000001``...) and each line without a
        ``ref`` the key ``<number>/<n>`` (``RTR000001/2`` is the second line); a ref the
        embedder gave is kept, and a key that would repeat one is refused
        (:class:`InvalidInput` naming ``lines``).
        """
        wf = get_workflow(workflow)
        if not isinstance(form, wf.record_type):
            raise InvalidInput(
                "form",
                f"workflow {workflow!r} needs a {wf.record_type.__name__}, got {type(form).__name__}",
            )
        at = now if now is not None else self.clock()
        with self.transaction():
            case_id = self._next_case_id()
            number = f"{NUMBER_PREFIX.get(workflow, 'CASE')}{case_id:06d}"
            update: dict[str, Any] = {"number": number, wf.state_field: wf.initial}
            if _has_keyed_lines(type(form)):
                update["lines"] = _keyed_lines(getattr(form, "lines", ()), number)
            try:  # validated again: a key the host gives may not repeat an embedder's ref
                record = type(form).model_validate({**dict(form), **update})
            except ValidationError as exc:
                raise form_error(exc) from exc
            self._insert_case(case_id, number, wf, record, at)
        return case_id

    def _next_case_id(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM cases").fetchone()
        return int(row[0])

    def _insert_case(
        self, case_id: int, number: str, wf: Workflow[Any], record: BaseModel, at: datetime
    ) -> None:
        opened = _opened_at(record, at)
        self.conn.execute(
            "INSERT INTO cases (id, number, workflow, form_type, state, customer, category,"
            " opened_at, opened_day, updated_at, form_json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                case_id,
                number,
                wf.name,
                type(record).__name__,
                wf.state_of(record),
                str(getattr(record, "customer", "") or ""),
                _category(record),
                iso(opened),
                opened.astimezone(self.policy.zone).date().isoformat(),
                iso(at),
                record.model_dump_json(),
            ),
        )

    def case(self, case_id: int) -> CaseRecord:
        """Load a case; an unknown id raises :class:`InvalidInput` naming ``case``."""
        row = self.conn.execute(
            "SELECT id, number, workflow, state, form_json FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise InvalidInput("case", f"no case with id {case_id}")
        wf = get_workflow(row["workflow"])
        form = wf.record_type.model_validate_json(row["form_json"])
        return CaseRecord(
            id=row["id"],
            number=row["number"],
            workflow=row["workflow"],
            state=row["state"],
            form=form,
        )

    def case_id(self, number: str) -> int:
        """The id of the case numbered ``number``."""
        row = self.conn.execute("SELECT id FROM cases WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise InvalidInput("case", f"no case numbered {number!r}")
        return int(row[0])

    def act(
        self,
        case_id: int,
        action: str,
        actor: Actor,
        params: Mapping[str, Any] | None = None,
        *,
        now: datetime | None = None,
    ) -> Step[Any]:
        """Take ``action`` on a case as ``actor``: decide, store and carry out, atomically.

        The workflow decides (pure, may refuse: nothing is written then); the new form,
        the history row (who, when, from, to, decisions) and the rows of every command
        are written in ONE transaction.
        """
        at = now if now is not None else self.clock()
        with self.transaction():
            stored = self.case(case_id)
            wf = get_workflow(stored.workflow)
            if params and "lines" in params and _has_keyed_lines(wf.record_type):
                # lines given later (e.g. at submit) get the host's keys too
                params = {**params, "lines": _keyed_lines(params["lines"], stored.number)}
            step = wf.apply(stored.form, action, actor, params=params, policy=self.policy, now=at)
            self._at = at
            try:
                self.conn.execute(
                    "UPDATE cases SET state = ?, form_json = ?, updated_at = ?, category = ?"
                    " WHERE id = ?",
                    (
                        wf.state_of(step.record),
                        step.record.model_dump_json(),
                        iso(at),
                        _category(step.record),
                        case_id,
                    ),
                )
                h = step.history
                self.conn.execute(
                    "INSERT INTO history (case_id, workflow, action, user, at, from_state,"
                    " to_state, decisions_json) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        case_id,
                        h.workflow,
                        h.action,
                        h.user,
                        iso(h.at),
                        h.from_state,
                        h.to_state,
                        json.dumps([d.model_dump(mode="json") for d in h.decisions]),
                    ),
                )
                for command in step.commands:
                    self.carry_out(command)
                self._after_step(case_id, stored.form, step)
            finally:
                self._at = None
        return step

    def record_form(
        self,
        name: str,
        form: BaseModel,
        *,
        case_id: int | None = None,
        outcome: str = "",
        now: datetime | None = None,
    ) -> str:
        """Store a form that has no workflow (a survey, an inquiry); return its number.

        ``name`` is its key in :data:`aftersales_core.forms.FORMS`; ``form`` must be of
        that model.
        """
        from aftersales_core.forms import FORMS

        model = FORMS.get(name)
        if model is None:
            raise InvalidInput("form", f"unknown form {name!r}; known: {', '.join(sorted(FORMS))}")
        if not isinstance(form, model):
            raise InvalidInput(
                "form", f"{name!r} needs a {model.__name__}, got {type(form).__name__}"
            )
        at = now if now is not None else self.clock()
        with self.transaction():
            row = self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM forms").fetchone()
            number = f"F{name[:3].upper()}{int(row[0]):06d}"
            if "number" in type(form).model_fields:
                form = form.model_copy(update={"number": number})
            self.conn.execute(
                "INSERT INTO forms (id, number, form, customer, case_id, outcome, at, form_json)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (
                    int(row[0]),
                    number,
                    name,
                    str(getattr(form, "customer", "") or ""),
                    case_id,
                    outcome,
                    iso(at),
                    form.model_dump_json(),
                ),
            )
        return number

    def history(self, case_id: int) -> list[sqlite3.Row]:
        """The transitions of a case, oldest first."""
        return list(
            self.conn.execute("SELECT * FROM history WHERE case_id = ? ORDER BY id", (case_id,))
        )

    # --- carrying out commands (the ports) -------------------------------------------

    def carry_out(self, command: Command) -> None:
        """Carry out one command through the ports; logs it in ``commands``.

        Inside :meth:`act` this joins the action's transaction; called on its own it runs
        in a transaction of its own.
        """
        if self._at is None:
            with self.transaction():
                self._at = self.clock()
                try:
                    self._carry_out(command)
                finally:
                    self._at = None
        else:
            self._carry_out(command)

    def _carry_out(self, command: Command) -> None:
        self.conn.execute(
            "INSERT INTO commands (case_id, kind, at, payload_json) VALUES (?, ?, ?, ?)",
            (
                self._case_of(command),
                getattr(command, "kind", type(command).__name__),
                self._now(),
                command.model_dump_json(),
            ),
        )
        dispatch(command, self)

    def _now(self) -> str:
        return iso(self._at if self._at is not None else self.clock())

    def _case_of(self, command: Command) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM cases WHERE number = ?", (command.reference,)
        ).fetchone()
        return None if row is None else int(row[0])

    def _move(self, command: Command, item: Item, source: Sequence[str] | str, target: str) -> None:
        """Move ``item`` to ``target`` from the first of ``source`` holding it for the case.

        The move records the item's ``ref`` (its form line); the balance of a source is
        that line's own when the item has a ref, else the product's within the case.
        """
        case_id = self._case_of(command)
        sources = (source,) if isinstance(source, str) else tuple(source)
        origin = sources[0]
        if len(sources) > 1:
            for location in sources:
                if self._balance(case_id, item, location) >= item.quantity:
                    origin = location
                    break
        self.conn.execute(
            "INSERT INTO stock_moves (case_id, line_ref, product, lot, quantity, from_location,"
            " to_location, at) VALUES (?,?,?,?,?,?,?,?)",
            (
                case_id,
                item.ref,
                item.product,
                item.lot or "",
                item.quantity,
                origin,
                target,
                self._now(),
            ),
        )

    def _balance(self, case_id: int | None, item: Item, location: str) -> int:
        key, value = ("line_ref", item.ref) if item.ref else ("product", item.product)
        row = self.conn.execute(
            "SELECT COALESCE(SUM(CASE WHEN to_location = :loc THEN quantity ELSE 0 END), 0)"
            " - COALESCE(SUM(CASE WHEN from_location = :loc THEN quantity ELSE 0 END), 0)"
            f" FROM stock_moves WHERE case_id IS :case AND {key} = :value",
            {"loc": location, "case": case_id, "value": value},
        ).fetchone()
        return int(row[0])

    def _money(
        self, command: Command, kind: str, cents: int, note: str = "", due: datetime | None = None
    ) -> None:
        self.conn.execute(
            "INSERT INTO money_moves (case_id, kind, amount_cents, at, due_at, note)"
            " VALUES (?,?,?,?,?,?)",
            (
                self._case_of(command),
                kind,
                cents,
                self._now(),
                None if due is None else iso(due),
                note,
            ),
        )

    def _price(self, product: str) -> int:
        row = self.conn.execute(
            "SELECT unit_price_cents FROM products WHERE code = ?", (product,)
        ).fetchone()
        return 0 if row is None else int(row[0])

    def _notice(self, command: Command, role: str, message: str) -> None:
        self.conn.execute(
            "INSERT INTO notifications (case_id, role, message, at) VALUES (?,?,?,?)",
            (self._case_of(command), role, message, self._now()),
        )

    def receive_return(self, command: ReceiveReturn) -> None:
        """Returned goods arrive: customer -> received."""
        for item in command.items:
            self._move(command, item, "customer", "received")

    def ship_back(self, command: ShipBack) -> None:
        """Repaired goods leave: repair or rework location -> shipped_back."""
        for item in command.items:
            self._move(command, item, ("in_repair", "in_rework", "received"), "shipped_back")

    def ship_order(self, command: ShipOrder) -> None:
        """A special order leaves the warehouse for the customer."""
        self._move(command, command.item, "warehouse", "customer")

    def suspend_delivery(self, command: SuspendDelivery) -> None:
        """R17: the warehouse suspends the cancelled order's delivery (a notice)."""
        self._notice(
            command,
            "warehouse",
            f"suspend delivery of {command.reference}; picked goods to the holding area: "
            f"{command.reason}",
        )

    def open_repair(self, command: OpenRepair) -> None:
        """Received goods go to the repair shop (or on-site goods into repair)."""
        self._move(command, command.item, ("received", "customer"), "in_repair")

    def charge_parts(self, command: ChargeParts) -> None:
        """R7: charge replaced parts at their unit price."""
        cents = sum(self._price(p.product) * p.quantity for p in command.parts)
        names = ", ".join(f"{p.quantity} x {p.product}" for p in command.parts)
        self._money(command, "charge", cents, f"replaced parts: {names}")

    def start_rework(self, command: StartRework) -> None:
        """Received goods go to production for a second processing."""
        self._move(command, command.item, "received", "in_rework")
        if command.bom:
            self._notice(
                command, "production", f"rework {command.item.product} to BOM {command.bom}"
            )

    def request_bom(self, command: RequestBom) -> None:
        """A quality exception order goes to R&D."""
        self._notice(
            command, "rnd", f"quality exception on {command.item.product}: {command.defect}"
        )

    def start_production(self, command: StartProduction) -> None:
        """Production builds the quantity into the warehouse."""
        self._move(command, command.item, "production", "warehouse")

    def plan_purchases(self, command: PlanPurchases) -> None:
        """PMC plans purchasing for a BOM."""
        self._notice(
            command,
            "pmc",
            f"plan purchases of BOM {command.bom} for {command.item.quantity} x {command.item.product}",
        )

    def suspend_production(self, command: SuspendProduction) -> None:
        """R13: production of a marine product stops; the society is told."""
        extra = " and notify the classification society (CCS)" if command.notify_society else ""
        self._notice(command, "production", f"suspend production of {command.product}{extra}")

    def resume_production(self, command: ResumeProduction) -> None:
        """R13: production resumes after the verified correction."""
        self._notice(command, "production", f"resume production of {command.product}")

    def issue_materials(self, command: IssueMaterials) -> None:
        """R5: materials leave the warehouse for the work."""
        for item in command.items:
            self._move(command, item, "warehouse", "consumed")

    def move_to_refurbished(self, command: MoveToRefurbished) -> None:
        """Refurbished goods await the GM's approval (R6)."""
        for item in command.items:
            self._move(command, item, ("in_repair", "in_rework", "received"), "refurbished")

    def restock_for_resale(self, command: RestockForResale) -> None:
        """R6: approved refurbished goods become sellable stock."""
        for item in command.items:
            self._move(command, item, "refurbished", "sellable")

    def issue_credit_note(self, command: IssueCreditNote) -> None:
        """Refund the returned items at their unit price."""
        cents = sum(self._price(i.product) * i.quantity for i in command.items)
        self._money(command, "refund", cents, "credit note")
        if command.pay_out:
            self._money(command, "payout", cents, "credit note paid out to the customer")

    def record_deduction(self, command: RecordDeduction) -> None:
        """Record a deduction decided by the business."""
        self._money(command, "deduction", to_cents(command.amount), command.note)

    def record_payout(self, command: RecordPayout) -> None:
        """Record a payout on a product-quality complaint."""
        kind = {"payment": "payout", "credit_note": "refund", "deduction": "deduction"}
        self._money(command, kind[command.settlement], to_cents(command.amount), command.note)

    def reimburse_travel(self, command: ReimburseTravel) -> None:
        """R22: travel expenses, due by the command's date."""
        self._money(
            command, "travel", to_cents(command.amount), command.technician, due=command.due
        )

    def dispatch_visit(self, command: DispatchVisit) -> None:
        """Send a technician; the R8 deadline is recorded for the statistics."""
        self._notice(
            command, "after_sales", f"{command.technician} on site by {iso(command.deadline)}"
        )

    def return_old_parts(self, command: ReturnOldParts) -> None:
        """R21: old parts back at the factory, sorted by responsibility."""
        listed = ", ".join(f"{i.quantity} x {i.product}" for i in command.items)
        self._notice(
            command, "warehouse", f"old parts back ({command.responsibility}): {listed}"
        )

    def claim_supplier(self, command: ClaimSupplier) -> None:
        """R21: failed purchased parts claimed from their supplier (PMC handles it)."""
        listed = ", ".join(f"{i.quantity} x {i.product}" for i in command.items)
        self._notice(command, "pmc", f"claim from {command.supplier} (R21): {listed}")

    def send_survey(self, command: SendSurvey) -> None:
        """R20: a satisfaction survey goes to the customer (or the case's final customer)."""
        who = f"{command.customer} (final customer)" if command.final_customer else command.customer
        self._notice(command, "customer", f"satisfaction survey sent to {who}")

    def notify(self, command: Notify) -> None:
        """Tell a role something."""
        self._notice(command, command.role.value, command.message)

    # --- rows for the statistics ----------------------------------------------------

    def _after_step(self, case_id: int, before: BaseModel, step: Step[Any]) -> None:
        record = step.record
        at = self._now()
        if isinstance(record, ServiceInformationRecord):
            self._service_rows(case_id, record, step, at)
        elif isinstance(record, ComplaintHandlingForm):
            self._complaint_rows(case_id, record, step, at)
        elif isinstance(record, ReturnTrackingForm):
            self._return_rows(case_id, before, record, step, at)

    def _deadline(
        self, case_id: int, kind: str, region: str, due: datetime, done: datetime | None
    ) -> None:
        self.conn.execute(
            "INSERT INTO deadlines (case_id, kind, region, due_at, done_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT (case_id, kind) DO UPDATE SET due_at = excluded.due_at,"
            " region = excluded.region, done_at = COALESCE(deadlines.done_at, excluded.done_at)",
            (case_id, kind, region, iso(due), None if done is None else iso(done)),
        )

    def _service_rows(
        self, case_id: int, record: ServiceInformationRecord, step: Step[Any], at: str
    ) -> None:
        if record.deadline is not None:
            self._deadline(case_id, "arrival", record.region, record.deadline, record.arrived_at)
        if step.history.to_state == "completed" and record.repair_list is not None:
            repair = record.repair_list
            cost = 0
            for part in repair.replaced_parts:
                cost += self._price(part.product) * part.quantity
                self.conn.execute(
                    "INSERT INTO replaced_parts (case_id, product, quantity, supplier,"
                    " under_warranty, at) VALUES (?,?,?,?,?,?)",
                    (
                        case_id,
                        part.product,
                        part.quantity,
                        part.supplier if part.purchased else "",
                        int(record.warranty.startswith("free")),
                        at,
                    ),
                )
            self.conn.execute(
                "INSERT INTO failure_lines (case_id, kind, product, failure_category, quantity,"
                " cost_cents, at) VALUES (?, 'repair', ?, ?, 1, ?, ?)",
                (case_id, record.product or repair.product_model, repair.failure_cause, cost, at),
            )

    def _complaint_rows(
        self, case_id: int, record: ComplaintHandlingForm, step: Step[Any], at: str
    ) -> None:
        # R9 applies to every complaint: solved within policy.resolution_hours of receipt.
        due = record.received_at + timedelta(hours=self.policy.resolution_hours)
        done = step.history.at if step.history.to_state in ("answered", "closed") else None
        self._deadline(case_id, "resolution", "", due, done)

    def _return_rows(
        self,
        case_id: int,
        before: BaseModel,
        record: ReturnTrackingForm,
        step: Step[Any],
        at: str,
    ) -> None:
        finished = any(isinstance(c, (ShipBack, MoveToRefurbished)) for c in step.commands)
        if not finished:
            return
        lines = record.received_lines() or record.lines
        parts_cost = 0
        for part in record.replaced_parts:
            parts_cost += (
                to_cents(part.unit_price) * part.quantity
                or self._price(part.product) * part.quantity
            )
            product = self.product(part.product)
            self.conn.execute(
                "INSERT INTO replaced_parts (case_id, product, quantity, supplier,"
                " under_warranty, at) VALUES (?,?,?,?,?,?)",
                (
                    case_id,
                    part.product,
                    part.quantity,
                    "" if product is None else product["supplier"],
                    int(part.under_warranty),
                    at,
                ),
            )
        total_qty = sum(line.quantity for line in lines) or 1
        kind = "repair" if record.purpose == "repair" else "return"
        given = 0
        for i, line in enumerate(lines):
            share = (
                parts_cost - given
                if i == len(lines) - 1
                else parts_cost * line.quantity // total_qty
            )
            given += share
            self.conn.execute(
                "INSERT INTO failure_lines (case_id, kind, product, failure_category, quantity,"
                " cost_cents, at) VALUES (?,?,?,?,?,?,?)",
                (
                    case_id,
                    kind,
                    line.product,
                    line.failure_category or line.problem or "unclassified",
                    line.quantity,
                    share,
                    at,
                ),
            )


def _opened_at(record: BaseModel, fallback: datetime) -> datetime:
    for name in ("received_at", "requested_at", "delivered_at"):
        value = getattr(record, name, None)
        if isinstance(value, datetime) and name != "delivered_at":
            return value
    return fallback


def _category(record: BaseModel) -> str:
    for name in ("category", "failure_mode"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    return ""
