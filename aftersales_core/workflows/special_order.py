"""Workflow 3, Special order (000 §Four-3; 001 特供產品).

Contract review form -> route (R3) -> small: after-sales modifies the materials, tests the
small batch, the business ships | large: samples, R&D files the project and issues a BOM
to PMC, purchasing is planned, production builds, quality inspects, the warehouse stores,
the business ships.
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import (
    Command,
    Item,
    Notify,
    PlanPurchases,
    ShipOrder,
    StartProduction,
)
from aftersales_core.forms.orders import ContractReviewForm
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.routing import AFTER_SALES, MASS_PRODUCTION, route_special_order
from aftersales_core.workflows._common import check, required, roles
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["SPECIAL_ORDER"]

Ctx = Context[ContractReviewForm]
T = Transition[ContractReviewForm]


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _item(ctx: Ctx) -> Item:
    return Item(product=ctx.record.product, quantity=ctx.record.quantity)


def _passed(field: str) -> Any:
    def _check(ctx: Ctx) -> str | None:
        value = getattr(ctx.record, field)
        return None if value == "passed" else _("{field} must be 'passed' (is {value!r})").format(field=field, value=value or 'empty')

    return check("R3", _("{field} passed").format(field=field), _check)


def _ship(ctx: Ctx) -> list[Command]:
    return [ShipOrder(reference=_ref(ctx), item=_item(ctx))]


SPECIAL_ORDER: Workflow[ContractReviewForm] = Workflow(
    name="special_order",
    title="Special order",
    record_type=ContractReviewForm,
    initial="draft",
    states=(
        "draft",
        "reviewed",
        "modifying",
        "tested",
        "sampling",
        "rnd_filing",
        "purchasing",
        "producing",
        "inspected",
        "stored",
        "shipped",
        "cancelled",
    ),
    final=frozenset({"shipped", "cancelled"}),
    transitions=(
        T(
            action="review",
            sources=frozenset({"draft"}),
            target="reviewed",
            roles=roles(Role.SALESPERSON, Role.AFTER_SALES),
            guards=(required("requirements"),),
            updates=frozenset({"requirements", "modifications", "salesperson"}),
            description="The follow-up department issues the contract review form from the customer's requirements.",
        ),
        T(
            action="route",
            sources=frozenset({"reviewed"}),
            routes={AFTER_SALES: "modifying", MASS_PRODUCTION: "sampling"},
            decide=lambda ctx: route_special_order(ctx.record.quantity, policy=ctx.policy),
            roles=roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, Role.SYSTEM),
            writes=lambda ctx: {"route": ctx.decision.outcome if ctx.decision else ""},
            description="Small batch or mass production (R3).",
        ),
        T(
            action="test_batch",
            sources=frozenset({"modifying"}),
            target="tested",
            roles=roles(Role.AFTER_SALES),
            updates=frozenset({"modifications", "test_result"}),
            guards=(required("modifications"), _passed("test_result")),
            description="After-sales modifies the materials and tests the small batch.",
        ),
        T(
            action="approve_samples",
            sources=frozenset({"sampling"}),
            target="rnd_filing",
            roles=roles(Role.SALESPERSON, Role.AFTER_SALES),
            updates=frozenset({"sample_result"}),
            guards=(_passed("sample_result"),),
            effects=lambda ctx: [
                Notify(
                    reference=_ref(ctx),
                    role=Role.RND,
                    message=_("Samples approved: file the project and issue a BOM."),
                )
            ],
        ),
        T(
            action="issue_bom",
            sources=frozenset({"rnd_filing"}),
            target="purchasing",
            roles=roles(Role.RND),
            updates=frozenset({"bom"}),
            guards=(required("bom"),),
            effects=lambda ctx: [
                PlanPurchases(reference=_ref(ctx), item=_item(ctx), bom=ctx.record.bom)
            ],
            description="R&D issues the BOM to PMC, which plans the purchase of materials.",
        ),
        T(
            action="start_production",
            sources=frozenset({"purchasing"}),
            target="producing",
            roles=roles(Role.PMC, Role.PRODUCTION_MANAGER),
            effects=lambda ctx: [
                StartProduction(reference=_ref(ctx), item=_item(ctx), bom=ctx.record.bom)
            ],
        ),
        T(
            action="inspect",
            sources=frozenset({"producing"}),
            target="inspected",
            roles=roles(Role.QUALITY),
            updates=frozenset({"inspection_result"}),
            guards=(_passed("inspection_result"),),
        ),
        T(
            action="store",
            sources=frozenset({"inspected"}),
            target="stored",
            roles=roles(Role.WAREHOUSE),
            effects=lambda ctx: [
                Notify(
                    reference=_ref(ctx),
                    role=Role.SALESPERSON,
                    message=_("The special order is in stock: ship it."),
                )
            ],
        ),
        T(
            action="ship",
            sources=frozenset({"tested", "stored"}),
            target="shipped",
            roles=roles(Role.SALESPERSON),
            writes=lambda ctx: {"shipped_at": ctx.now},
            effects=_ship,
        ),
        T(
            action="cancel",
            sources=frozenset({"draft", "reviewed", "sampling"}),
            target="cancelled",
            roles=roles(Role.SALES_HEAD),
        ),
    ),
)
"""The special order workflow over the contract review form."""
