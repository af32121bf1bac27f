"""aftersales_core: rules, forms and workflows of manufacturers' after-sales service.

Framework-agnostic: it imports pydantic and the standard library, never an ERP.
"""

from aftersales_core.decision import Decision
from aftersales_core.errors import (
    AftersalesError,
    DatabaseBusy,
    GuardFailed,
    IllegalTransition,
    InvalidInput,
    RoleNotAllowed,
    RuleViolation,
)
from aftersales_core.policy import Policy, PolicyError
from aftersales_core.roles import Role

__version__ = "0.1.0"

__all__ = [
    "AftersalesError",
    "DatabaseBusy",
    "Decision",
    "GuardFailed",
    "IllegalTransition",
    "InvalidInput",
    "Policy",
    "PolicyError",
    "Role",
    "RoleNotAllowed",
    "RuleViolation",
    "__version__",
]
