"""The result of a rule: what was decided, by which rule, and why."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Decision"]


class Decision(BaseModel):
    """An explainable decision of one rule of SPEC.md.

    ``rule`` is the rule id (``"R1"``), ``outcome`` a string constant documented by the
    rule function, ``reasons`` sentences a person understands (naming the numbers used),
    and ``facts`` the inputs and policy values the rule used.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(pattern=r"^R\d{1,2}$")
    outcome: str = Field(min_length=1)
    reasons: tuple[str, ...] = Field(min_length=1)
    facts: dict[str, Any] = Field(default_factory=dict)

    def explain(self) -> str:
        """All reasons as one paragraph, prefixed by the rule id."""
        return f"{self.rule} -> {self.outcome}: " + " ".join(self.reasons)
