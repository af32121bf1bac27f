"""Pure decision functions, one module per family of rules (SPEC.md R1-R23).

Each returns a :class:`~aftersales_core.decision.Decision` naming the rule, the outcome
(a string constant of its module), reasons a person reads and the facts used. Every
number comes from the :class:`~aftersales_core.policy.Policy` (``policy=None`` means
the seeds' defaults). Bad input raises :class:`~aftersales_core.errors.InvalidInput`
naming the field.
"""

from aftersales_core.rules.acceptance import (
    next_signoff_role,
    requisition_signoff,
    return_acceptance,
    stock_in_approval,
)
from aftersales_core.rules.complaints import (
    complaint_responsibility,
    is_repeated,
    quality_escalation,
    same_batch_check,
)
from aftersales_core.rules.orders import (
    credit_check,
    engineering_release,
    satisfaction_result,
    shipping_cutoff,
    similar_batch,
    survey_due,
)
from aftersales_core.rules.routing import route_return, route_special_order, sum_by_class
from aftersales_core.rules.service_level import (
    arrival_check,
    arrival_deadline,
    arrival_hours,
    region_of,
    resolution_check,
    resolution_deadline,
    travel_expense_check,
    travel_expense_deadline,
)
from aftersales_core.rules.warranty import (
    in_warranty,
    parts_charge,
    warranty_decision,
    warranty_end,
)

__all__ = [
    "arrival_check",
    "arrival_deadline",
    "arrival_hours",
    "complaint_responsibility",
    "credit_check",
    "engineering_release",
    "in_warranty",
    "is_repeated",
    "next_signoff_role",
    "parts_charge",
    "quality_escalation",
    "region_of",
    "requisition_signoff",
    "resolution_check",
    "resolution_deadline",
    "return_acceptance",
    "route_return",
    "route_special_order",
    "same_batch_check",
    "satisfaction_result",
    "shipping_cutoff",
    "similar_batch",
    "stock_in_approval",
    "sum_by_class",
    "survey_due",
    "travel_expense_check",
    "travel_expense_deadline",
    "warranty_decision",
    "warranty_end",
]
