"""pydantic models of every form of SPEC.md, with JSON Schema export.

``FORMS`` maps a short name to each form model (used by ``aftersales schema FORM``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from aftersales_core.forms.base import Form, ProductClass, Signature, form_error, parse_form
from aftersales_core.forms.complaint import ComplaintHandlingForm, TechnicalInquiryRecord
from aftersales_core.forms.orders import (
    ContractReviewForm,
    MaterialLine,
    MaterialRequisitionForm,
    OrderRecord,
)
from aftersales_core.forms.quality import (
    CapaAction,
    CapaReport,
    QualityFeedbackSheet,
    SatisfactionSurveyForm,
    SurveyAnswer,
)
from aftersales_core.forms.returns import (
    QualityExceptionOrder,
    ReplacedPart,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
    StockInForm,
)
from aftersales_core.forms.service import (
    InstalledUnit,
    PartUsed,
    ServiceContract,
    ServiceInformationRecord,
    ServiceRepairList,
)
from aftersales_core.i18n import _

__all__ = [
    "FORMS",
    "CapaAction",
    "CapaReport",
    "ComplaintHandlingForm",
    "ContractReviewForm",
    "Form",
    "InstalledUnit",
    "MaterialLine",
    "MaterialRequisitionForm",
    "OrderRecord",
    "PartUsed",
    "ProductClass",
    "QualityExceptionOrder",
    "QualityFeedbackSheet",
    "ReplacedPart",
    "ReturnForm",
    "ReturnLine",
    "ReturnTrackingForm",
    "SatisfactionSurveyForm",
    "ServiceContract",
    "ServiceInformationRecord",
    "ServiceRepairList",
    "Signature",
    "StockInForm",
    "SurveyAnswer",
    "TechnicalInquiryRecord",
    "form_error",
    "json_schema",
    "parse_form",
]

FORMS: dict[str, type[BaseModel]] = {
    "complaint": ComplaintHandlingForm,
    "return_tracking": ReturnTrackingForm,
    "return": ReturnForm,
    "capa": CapaReport,
    "contract_review": ContractReviewForm,
    "material_requisition": MaterialRequisitionForm,
    "quality_exception": QualityExceptionOrder,
    "stock_in": StockInForm,
    "service_record": ServiceInformationRecord,
    "service_repair_list": ServiceRepairList,
    "quality_feedback": QualityFeedbackSheet,
    "satisfaction_survey": SatisfactionSurveyForm,
    "service_contract": ServiceContract,
    "technical_inquiry": TechnicalInquiryRecord,
    "order": OrderRecord,
}
"""Every form of SPEC.md by short name."""


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the form called ``name`` (a key of :data:`FORMS`)."""
    from aftersales_core.errors import InvalidInput

    model = FORMS.get(name) if isinstance(name, str) else None
    if model is None:
        raise InvalidInput("form", _("unknown form {name!r}; known: {value}").format(name=name, value=', '.join(sorted(FORMS))))
    schema = model.model_json_schema()
    title = getattr(model, "title", "")
    if isinstance(title, str) and title:
        schema["title"] = title
    return schema
