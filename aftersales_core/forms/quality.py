"""Quality Information Feedback Sheet, CAPA (8D) report, Customer Satisfaction Survey Form.

Seeds: 004 §6.2.1 (feedback sheet, R13), 000/001/002 (corrective and preventive action
report), 000 §Three 5 and 004 §6.1.1-6.1.2 (survey, R20).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from aftersales_core.forms.base import Form, Quantity, Score
from aftersales_core.i18n import _

__all__ = [
    "CapaAction",
    "CapaReport",
    "QualityFeedbackSheet",
    "SatisfactionSurveyForm",
    "SurveyAnswer",
]


class CapaAction(BaseModel):
    """A corrective or preventive action with its owner and due date."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: Literal["corrective", "preventive"]
    description: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due: date
    done: bool = False


class CapaReport(BaseModel):
    """Corrective and Preventive Action Report (糾正預防措施報告), 8D structure."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: ClassVar[str] = "Corrective and Preventive Action Report"
    title_zh: ClassVar[str] = "糾正預防措施報告"

    team: tuple[str, ...] = Field(min_length=1, description="D1 team.")
    problem: str = Field(min_length=1, description="D2 problem description.")
    containment: str = Field("", description="D3 containment actions.")
    root_cause_occurrence: str = Field("", description="D4 why it occurred.")
    root_cause_escape: str = Field("", description="D4 why it was not detected.")
    actions: tuple[CapaAction, ...] = Field((), description="D5/D6 corrective, D7 preventive.")
    verification: str = Field("", description="Verification of effectiveness.")
    closed_on: date | None = Field(None, description="D8 closure.")

    @model_validator(mode="after")
    def _closure_complete(self) -> CapaReport:
        if self.closed_on is not None:
            if not self.verification:
                raise ValueError(
                    _("verification: a CAPA report closes only after its effectiveness is verified")
                )
            if not any(a.kind == "corrective" for a in self.actions):
                raise ValueError(_("actions: a CAPA report closes only with a corrective action"))
        return self


class QualityFeedbackSheet(Form):
    """Quality Information Feedback Sheet: source, product, failure, classification (R13)."""

    title: ClassVar[str] = "Quality Information Feedback Sheet"
    title_zh: ClassVar[str] = "質量信息反饋單"

    received_at: AwareDatetime
    source: Literal["user", "sales_outlet", "visit", "letter", "phone"]
    customer: str = ""
    product: str = Field(min_length=1)
    failure_mode: str = Field(min_length=1)
    description: str = ""
    affected_quantity: Quantity = 1
    abnormal: bool = False
    major: bool = False
    marine: bool = Field(False, description="A marine product (CCS rules of R13).")
    earlier_occurrences: tuple[AwareDatetime, ...] = Field(
        (), description="Earlier reports of the same product and failure mode."
    )
    classification: str = Field("", description="R13 outcome.")
    routed_to: str = ""
    capa: CapaReport | None = None
    correction_verified: bool = False


class SurveyAnswer(BaseModel):
    """One question of a survey and its score (1-5)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    question: str = Field(min_length=1)
    score: Score


class SatisfactionSurveyForm(Form):
    """Customer Satisfaction Survey Form (客戶滿意度調查表)."""

    title: ClassVar[str] = "Customer Satisfaction Survey Form"
    title_zh: ClassVar[str] = "客戶滿意度調查表"

    customer: str = Field(min_length=1)
    final_customer: bool = Field(
        False, description="A final customer, not the direct one (004 §6.1.2)."
    )
    case: str = Field("", description="The closed case that triggered it, if any.")
    sent_at: AwareDatetime
    answers: tuple[SurveyAnswer, ...] = ()
    comments: str = ""
    result: Literal["", "satisfied", "investigate"] = Field("", description="R20 outcome.")
    follow_up: str = Field("", description="Investigation and corrective action taken.")
