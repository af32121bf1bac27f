"""Every workflow of SPEC.md by name."""

from __future__ import annotations

from typing import Any

from aftersales_core.i18n import _
from aftersales_core.workflows.complaint import COMPLAINT
from aftersales_core.workflows.engine import Workflow
from aftersales_core.workflows.material_requisition import MATERIAL_REQUISITION
from aftersales_core.workflows.onsite_service import ONSITE_SERVICE
from aftersales_core.workflows.order_processing import ORDER_PROCESSING
from aftersales_core.workflows.quality_information import QUALITY_INFORMATION
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR
from aftersales_core.workflows.special_order import SPECIAL_ORDER
from aftersales_core.workflows.technical_inquiry import TECHNICAL_INQUIRY

__all__ = ["WORKFLOWS", "get_workflow"]

WORKFLOWS: dict[str, Workflow[Any]] = {
    wf.name: wf
    for wf in (
        COMPLAINT,
        RETURN_FOR_REPAIR,
        SPECIAL_ORDER,
        REFUND_RETURN,
        ONSITE_SERVICE,
        QUALITY_INFORMATION,
        ORDER_PROCESSING,
        MATERIAL_REQUISITION,
        TECHNICAL_INQUIRY,
    )
}
"""The seven workflows of SPEC.md plus the material requisition (R5) and the technical
inquiry (R28)."""


def get_workflow(name: str) -> Workflow[Any]:
    """The workflow called ``name``; an unknown name raises InvalidInput naming the field."""
    from aftersales_core.errors import InvalidInput

    try:
        return WORKFLOWS[name]
    except KeyError:
        raise InvalidInput(
            "workflow", _("unknown workflow {name!r}; known: {value}").format(name=name, value=', '.join(WORKFLOWS))
        ) from None
