"""The policy: every number and switch of rules R1-R28, in one place.

``Policy()`` gives the defaults drawn from the seeds (SPEC.md, "Rules"); a company
keeps its own values in a TOML file loaded with :meth:`Policy.from_toml`. No number
of the seeds appears anywhere else in the code: rules and workflows read it from here.
"""

from __future__ import annotations

import re
import sys
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from aftersales_core.errors import InvalidInput
from aftersales_core.roles import Role

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["LEADER_ROLES", "QUANTITY_LIMIT", "Policy", "PolicyError", "ServiceMode", "Weekday"]

QUANTITY_LIMIT = 2**31 - 1
"""The largest quantity a form stores (a signed 32-bit integer): a storage bound, not a
rule. :attr:`Policy.max_quantity` may lower it, never raise it."""

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ServiceMode = Literal["consultation", "remote_guidance", "visit"]
"""R28: how a service request is answered."""

LEADER_ROLES = (
    Role.AFTER_SALES_MANAGER,
    Role.DUTY_MANAGER,
    Role.QUALITY,
    Role.RND,
    Role.GENERAL_MANAGER,
)
"""R25: the roles that may be the leader a difficult problem is reported to."""

_CHECK_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PolicyError(InvalidInput):
    """An invalid policy file or value; ``field`` is the dotted path of the bad field."""


class Policy(BaseModel):
    """Every threshold, deadline and switch of the after-sales rules.

    Each field documents its rule id and seed. Values are validated: thresholds are
    positive, ratios lie in (0, 1), the time zone exists, provinces are not both home
    and remote.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # Every entry (import, command line, rules, forms): quantities are bounded.
    max_quantity: int = Field(
        1_000_000,
        gt=0,
        le=QUANTITY_LIMIT,
        description=(
            "All rules (R1-R23) and imports: the largest quantity one line, order or "
            "return may hold (not in the seeds; a guard against typing errors)."
        ),
    )
    database_wait_seconds: int = Field(
        60,
        ge=0,
        description=(
            "Embedded host, all rules (R1-R23): seconds a write waits for another writer "
            "on the same SQLite file (e.g. a concurrent import) before it is refused; "
            "0 refuses at once."
        ),
    )

    # R1 / R2: return lot routing (000 Four-4 3a/3b; 001 退貨流程 3)
    return_host_threshold: int = Field(
        5, gt=0, description="R1/R2: hosts at or above which a return goes to production."
    )
    return_accessory_threshold: int = Field(
        15, gt=0, description="R1/R2: accessories at or above which a return goes to production."
    )

    # R3: special order routing (000 Four-3; 001 特供產品)
    special_order_small_max_sets: int = Field(
        10,
        gt=0,
        description=(
            "R3: the largest special order (in sets) that after-sales modifies itself. "
            "The seeds say 'less than 10' (EN) and '10套以下' (ZH); the default follows "
            "the Chinese original, so exactly 10 sets is a small order."
        ),
    )

    # R4: return acceptance (000 Four-4 1)
    return_acceptance_window_days: int | None = Field(
        None,
        gt=0,
        description=(
            "R4: days after delivery within which a return is accepted automatically; "
            "None (the default, the seeds give no window) means a person decides."
        ),
    )

    # R5: material requisition sign-offs (000 Two 5)
    requisition_signoff_roles: tuple[Role, ...] = Field(
        (Role.SALES_HEAD, Role.PRODUCTION_MANAGER, Role.WAREHOUSE),
        min_length=1,
        description="R5: the ordered sign-offs a material requisition needs before issue.",
    )
    requisition_before_work: bool = Field(
        False,
        description=(
            "R5: a repair or manufacturing order that needs requisitioned materials does not "
            "start before its requisitions are signed off and issued (off by default: the "
            "seeds do not say)."
        ),
    )

    # R6: resale of refurbished stock
    resale_requires_gm_approval: bool = Field(
        True, description="R6: a stock-in form needs the general manager's approval."
    )

    # R7: charging replaced parts
    charge_replaced_parts: bool = Field(
        True, description="R7: replaced parts are charged to the customer unless under warranty."
    )

    # R8: on-site arrival deadline (004 §4.1)
    arrival_hours_home: int = Field(
        24, gt=0, description="R8: hours to arrive in the home province."
    )
    arrival_hours_other: int = Field(
        48, gt=0, description="R8: hours to arrive in other provinces."
    )
    arrival_hours_remote: int = Field(
        72, gt=0, description="R8: hours to arrive in remote provinces and regions (3 days)."
    )
    home_province: str = Field(
        "Jiangsu",
        min_length=1,
        description="R8: the company's own province (not in the seeds: set it to yours).",
    )
    remote_provinces: frozenset[str] = Field(
        frozenset(
            {"Xizang", "Tibet", "Xinjiang", "Qinghai", "Inner Mongolia", "Ningxia", "Hainan"}
        ),
        description="R8: provinces and regions counted as remote (not in the seeds).",
    )

    # R9: resolution deadline (004 service capability 1-2)
    resolution_hours: int = Field(
        48, gt=0, description="R9: hours to solve a quality problem of supplied products."
    )

    # R10: warranty, "three guarantees" (004 §3.1.1, §4.5; 002)
    default_warranty_months: int = Field(
        12, ge=0, description="R10: warranty months of a product category not listed below."
    )
    warranty_months: dict[str, int] = Field(
        default_factory=dict,
        description="R10: warranty months per product category (category name -> months).",
    )
    contract_required_out_of_warranty: bool = Field(
        True, description="R10: out-of-warranty service needs a signed service contract first."
    )

    # R13: escalation of quality information (004 §6.1.3-6.3.2)
    repeat_window_days: int = Field(
        30,
        gt=0,
        description="R13: days within which the same product and failure mode count as repeated.",
    )
    repeat_count: int = Field(
        2, ge=2, description="R13: occurrences within the window that make information 'repeated'."
    )
    batch_problem_quantity: int = Field(
        5,
        gt=0,
        description=(
            "R13: affected units at or above which a problem counts as a batch problem for "
            "the general manager (not in the seeds; defaults to the R1 host threshold)."
        ),
    )

    # R14: payment cut-off (003 §1.3)
    payment_cutoff: time = Field(
        time(15, 30), description="R14: orders unpaid by this time do not ship that day."
    )
    timezone: str = Field("Asia/Shanghai", description="R14/R8: the company's time zone (IANA).")

    # R15: engineering orders (003 §1.5)
    engineering_deposit_ratio: Decimal = Field(
        Decimal("0.5"),
        gt=0,
        lt=1,
        description="R15: an engineering order goes into production once MORE than this share is paid.",
    )

    # R27: logistics (003 §1.2, §1.3)
    packing_notice_hours: int = Field(
        24,
        gt=0,
        description=(
            "R27: hours before a delivery leaves by which the warehouse is told, to bundle "
            "the packing (not in the seeds)."
        ),
    )

    # R19: weekly complaint review (000 Three 4)
    weekly_review_weekday: Weekday = Field(
        "monday", description="R19: the weekday of the complaint review meeting (not in the seeds)."
    )

    # R20: satisfaction (000 Three 5; 004 §6.1.1-6.1.2)
    survey_after_closed_case: bool = Field(
        True, description="R20: send a satisfaction survey when a case closes."
    )
    survey_final_customers: bool = Field(
        True,
        description=(
            "R20: survey a case's final customer (the end user, when the case names one "
            "other than the direct customer) as well as the direct customer (004 §6.1.2)."
        ),
    )
    survey_every_months: int = Field(
        3, gt=0, description="R20: months between regular surveys of every customer (quarterly)."
    )
    dissatisfied_below_score: int = Field(
        3,
        ge=1,
        le=5,
        description="R20: an average score (1-5) below this counts as dissatisfied.",
    )

    # Workflow 1: closing a complaint the customer never answers (not in the seeds)
    unreachable_customer_days: int = Field(
        14,
        gt=0,
        description="Workflow 1 / R11 complaints (no seed rule of its own): days since the last "
        "attempt to reach the customer after which an after-sales manager may close the "
        "complaint without the customer's acceptance.",
    )

    # R22: travel expenses (004 §4.6)
    travel_expense_days: int = Field(
        2, gt=0, description="R22: days after returning within which travel expenses are claimed."
    )

    # R24: on-arrival checks and the repair list (004 §4.9, §4.10)
    arrival_checklist: tuple[str, ...] = Field(
        (
            "product_certificate",
            "service_card",
            "parts_examined",
            "main_cause_recorded",
            "hidden_parts_checked",
        ),
        description=(
            "R24: checks the engineer records on arrival before the repair starts: the "
            "product certificate and after-sales service card shown, the parts examined, "
            "the main cause recorded, the hidden parts checked (004 §4.9 A-C)."
        ),
    )
    completion_checklist: tuple[str, ...] = Field(
        ("repaired_parts_qualified",),
        description=(
            "R24: checks recorded before the repair list is signed: the repaired parts "
            "meet the qualified standard (004 §4.9 D)."
        ),
    )

    # R25: difficult problems (004 §4.11)
    difficult_problem_leader: Role = Field(
        Role.AFTER_SALES_MANAGER,
        description=(
            "R25: the leader a problem the engineer cannot solve on the spot is reported "
            "to, who decides the way to solve it (the seeds say 'the leader')."
        ),
    )

    # R26: after-sales user account, the installed base (004 §6.4.2)
    installed_base_required: bool = Field(
        True,
        description=(
            "R26/R10: an on-site warranty is decided from a unit of the customer's "
            "after-sales account (installed base); off, a declared delivery date is "
            "accepted when the unit is not on the account."
        ),
    )

    # R28: service modes (002 ¶6; 004 §5)
    service_modes: tuple[ServiceMode, ...] = Field(
        ("consultation", "remote_guidance", "visit"),
        min_length=1,
        description="R28: the ways the company answers a service request.",
    )

    # R23: statistics (002; 004 §6.4)
    pareto_vital_few_percent: int = Field(
        80,
        gt=0,
        le=100,
        description="R23: cumulative percentage up to which Pareto categories are the vital few.",
    )

    def __init__(self, **data: Any) -> None:
        """Validate the values; a bad one raises :class:`PolicyError` naming the field."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _policy_error(exc, "policy") from exc

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Policy:
        """Validate a mapping; a bad value raises :class:`PolicyError` naming the field."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise _policy_error(exc, "policy") from exc

    @model_validator(mode="before")
    @classmethod
    def _strict_types(cls, data: Any) -> Any:
        """A boolean is not a number and a number is not a boolean (TOML or Python)."""
        if not isinstance(data, dict):
            return data
        for name, value in data.items():
            info = cls.model_fields.get(name)
            if info is None:
                continue
            kind = _FIELD_KINDS.get(name)
            if kind == "bool" and not isinstance(value, bool):
                raise ValueError(f"{name}: must be true or false, got {value!r}")
            if (
                kind == "int"
                and value is not None
                and (isinstance(value, bool) or not isinstance(value, int))
            ):
                raise ValueError(f"{name}: must be a whole number, got {value!r}")
            if kind == "months" and isinstance(value, dict):
                for category, months in value.items():
                    if isinstance(months, bool) or not isinstance(months, int):
                        raise ValueError(
                            f"{name}.{category}: must be a whole number of months, got {months!r}"
                        )
            if kind == "decimal" and isinstance(value, bool):
                raise ValueError(f"{name}: must be a number, got {value!r}")
        return data

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("warranty_months")
    @classmethod
    def _non_negative_months(cls, value: dict[str, int]) -> dict[str, int]:
        for category, months in value.items():
            if months < 0:
                raise ValueError(f"warranty of {category!r} is negative ({months} months)")
        return value

    @field_validator("arrival_checklist", "completion_checklist")
    @classmethod
    def _check_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not _CHECK_NAME.fullmatch(item):
                raise ValueError(
                    f"check {item!r} must be a lower-case name of letters, digits and _"
                )
        if len(set(value)) != len(value):
            raise ValueError("each check may appear only once")
        return value

    @field_validator("service_modes")
    @classmethod
    def _distinct_modes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("each service mode may appear only once")
        return value

    @field_validator("difficult_problem_leader")
    @classmethod
    def _leader_role(cls, value: Role) -> Role:
        if value not in LEADER_ROLES:
            allowed = ", ".join(r.value for r in LEADER_ROLES)
            raise ValueError(f"{value.value!r} is no leader role; one of {allowed}")
        return value

    @field_validator("requisition_signoff_roles")
    @classmethod
    def _distinct_signoffs(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        if len(set(value)) != len(value):
            raise ValueError("each sign-off role may appear only once")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        largest = max(
            self.return_host_threshold,
            self.return_accessory_threshold,
            self.special_order_small_max_sets + 1,
            self.batch_problem_quantity,
        )
        if self.max_quantity < largest:
            raise ValueError(
                f"max_quantity: {self.max_quantity} is below a threshold it must allow "
                f"({largest}: the R1/R13 thresholds, or one set above the R3 limit)"
            )
        if self.home_province in self.remote_provinces:
            raise ValueError(
                f"home_province: {self.home_province!r} is also listed as remote (remote_provinces)"
            )
        if not self.arrival_hours_home <= self.arrival_hours_other <= self.arrival_hours_remote:
            raise ValueError(
                "arrival_hours_other: arrival deadlines must not shrink with distance: "
                "arrival_hours_home <= arrival_hours_other <= arrival_hours_remote"
            )
        return self

    # --- loading ---------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, source: str = "policy") -> Policy:
        """Build a policy from a mapping; an invalid value raises :class:`PolicyError`.

        The error names the first bad field as a dotted path, and lists every problem.
        """
        try:
            return cls.model_validate(data)
        except PolicyError as exc:
            if exc.field == "policy" and source != "policy":
                raise PolicyError(source, exc.problem) from exc
            raise

    @classmethod
    def from_toml(cls, path: str | Path) -> Policy:
        """Load a company's policy file (TOML).

        The file holds top-level keys named as the fields of :class:`Policy` (or a
        ``[policy]`` table of them); a field left out keeps its default. A missing file,
        broken TOML or a bad value raises :class:`PolicyError` naming the file or field.
        """
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise PolicyError(str(p), "file not found") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise PolicyError(str(p), f"not valid TOML: {exc}") from exc
        data = raw.get("policy", raw)
        if not isinstance(data, dict):
            raise PolicyError("policy", "must be a table")
        return cls.from_mapping(data, source=str(p))

    def to_toml(self) -> str:
        """The policy as TOML text that :meth:`from_toml` reads back to an equal policy."""
        lines = ["[policy]"]
        for name, value in self.model_dump(mode="json").items():
            if value is None:
                continue
            lines.append(f"{name} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"

    # --- helpers used by the rules ---------------------------------------------------

    def warranty_months_for(self, category: str | None) -> int:
        """R10: warranty months of a product category (the default when not listed)."""
        if category is not None and category in self.warranty_months:
            return self.warranty_months[category]
        return self.default_warranty_months

    @property
    def zone(self) -> ZoneInfo:
        """The company's time zone."""
        return ZoneInfo(self.timezone)


def _policy_error(exc: ValidationError, source: str) -> PolicyError:
    """A pydantic error as one :class:`PolicyError`: the first bad field, every problem."""
    problems: list[tuple[str, str]] = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"])
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        # A model-level check names its field at the start of its message: use it.
        if not where and ": " in msg and _FIELD_PATH.fullmatch(msg.split(": ", 1)[0]):
            where, msg = msg.split(": ", 1)
        problems.append((where or source, msg))
    # The first field is the error's prefix: do not say it twice.
    first_field, first_problem = problems[0]
    rest = "".join(f"; {w}: {m}" for w, m in problems[1:])
    return PolicyError(first_field, first_problem + rest)


_FIELD_PATH = re.compile(r"[a-z_]+(\.[^\s:]+)?")


def _kind(annotation: Any) -> str:
    text = str(annotation)
    if annotation is bool:
        return "bool"
    if annotation is int or text in ("int | None", "typing.Optional[int]"):
        return "int"
    if text.startswith("dict[str, int]"):
        return "months"
    if annotation is Decimal:
        return "decimal"
    return ""


_FIELD_KINDS: dict[str, str] = {
    name: _kind(info.annotation) for name, info in Policy.model_fields.items()
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return "[" + ", ".join(_toml_value(v) for v in items) + "]"
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{_toml_value(k)} = {_toml_value(v)}" for k, v in value.items())
            + " }"
        )
    raise TypeError(f"cannot write {type(value).__name__} to TOML")  # pragma: no cover
