"""The roles of SPEC.md: who may take which action in a workflow."""

from __future__ import annotations

from enum import Enum

__all__ = ["Role"]


class Role(str, Enum):
    """A role of the after-sales procedure (SPEC.md, "Roles").

    Hosts map their own users and groups onto these values; the Odoo module maps
    Odoo groups, the embedded host stores them per user.
    """

    CUSTOMER = "customer"
    SALESPERSON = "salesperson"  # the business / business department
    SALES_HEAD = "sales_head"  # sales department head
    AFTER_SALES = "after_sales"
    AFTER_SALES_MANAGER = "after_sales_manager"
    MAINTENANCE = "maintenance"  # repair shop
    PRODUCTION = "production"
    PRODUCTION_MANAGER = "production_manager"
    RND = "rnd"
    PMC = "pmc"  # production and material control
    QUALITY = "quality"
    WAREHOUSE = "warehouse"
    GENERAL_MANAGER = "general_manager"
    DUTY_MANAGER = "duty_manager"
    FINANCE = "finance"
    SYSTEM = "system"  # automatic steps taken by the host (e.g. routing on receipt)
