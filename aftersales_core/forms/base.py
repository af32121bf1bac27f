"""Shared pieces of the forms: the base model, signatures, product lines, errors."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from aftersales_core.errors import InvalidInput
from aftersales_core.i18n import _
from aftersales_core.policy import QUANTITY_LIMIT
from aftersales_core.roles import Role

__all__ = [
    "Count",
    "Form",
    "ProductClass",
    "Quantity",
    "Score",
    "Signature",
    "form_error",
    "parse_form",
]

ProductClass = Literal["host", "accessory"]
"""The two product classes of R1: a host (main unit) or an accessory."""


def _whole_number(value: object) -> object:
    """A boolean or a float is not a quantity (pydantic would take True as 1)."""
    if isinstance(value, (bool, float)):
        raise ValueError(_("must be a whole number, got {value!r}").format(value=value))
    return value


Quantity = Annotated[int, Field(gt=0, le=QUANTITY_LIMIT), BeforeValidator(_whole_number)]
"""A quantity above 0, at most :data:`~aftersales_core.policy.QUANTITY_LIMIT`; not a bool."""
Count = Annotated[int, Field(ge=0, le=QUANTITY_LIMIT), BeforeValidator(_whole_number)]
"""A count from 0, at most :data:`~aftersales_core.policy.QUANTITY_LIMIT`; not a bool."""
Score = Annotated[int, Field(ge=1, le=5), BeforeValidator(_whole_number)]
"""A survey score from 1 to 5 (R20); not a bool."""


class Form(BaseModel):
    """Base of every form: strict fields, validated assignment, a number and a state.

    ``title`` is the form's name in the seeds' words (class attribute); ``number`` is
    given by the host when the form is stored; ``state`` is moved only by the form's
    workflow.
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        frozen=True,
    )

    title: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""

    number: str | None = Field(None, description="Form number, given by the host.")
    state: str = Field("draft", description="Workflow state; moved only by the workflow.")

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the form (for other systems and the `aftersales schema` command)."""
        schema = cls.model_json_schema()
        if cls.title:
            schema["title"] = cls.title
        return schema


class Signature(BaseModel):
    """A signature on a form: who signed, in which role, when, with an optional comment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    user: str = Field(min_length=1)
    at: AwareDatetime
    comment: str = ""


def form_error(exc: ValidationError) -> InvalidInput:
    """Turn a pydantic error into an :class:`InvalidInput` naming the first bad field."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"]
    named = _NAMED.match(msg)
    if named:
        # A cross-field check (model_validator) is located at its model, not a field;
        # its message starts with the field it blames ("similar_defect: ..."): name it.
        where = f"{where}.{named.group(1)}" if where else named.group(1)
        msg = named.group(2)
    more = len(exc.errors()) - 1
    if more == 1:
        suffix = _(" (and 1 more problem)")
    elif more > 1:
        suffix = _(" (and {more} more problems)").format(more=more)
    else:
        suffix = ""
    return InvalidInput(where or "form", f"{msg}{suffix}")


_NAMED = re.compile(r"^Value error, ([A-Za-z_]\w*): (.*)$", re.DOTALL)


def parse_form(form_type: type[BaseModel], data: Any) -> Any:
    """Validate ``data`` as ``form_type`` (a model of ``FORMS`` or any part of a form);
    bad data raises :class:`InvalidInput` naming the field."""
    try:
        return form_type.model_validate(data)
    except ValidationError as exc:
        raise form_error(exc) from exc
