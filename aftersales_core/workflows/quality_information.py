"""Workflow 6, Quality information (004 §6, 002).

Feedback sheet -> classify (R13: repair directly, quality control, general manager, or
suspend a marine product's production) -> CAPA report (8D) -> verification of
effectiveness (production of a suspended product resumes only then) -> closed. The
weekly review (R19) and Pareto statistics (R23) read the closed sheets.
"""

from __future__ import annotations

from typing import Any

from aftersales_core.commands import Command, Notify, ResumeProduction, SuspendProduction
from aftersales_core.decision import Decision
from aftersales_core.forms.quality import QualityFeedbackSheet
from aftersales_core.i18n import _
from aftersales_core.roles import Role
from aftersales_core.rules.complaints import (
    GENERAL_MANAGER,
    QUALITY_CONTROL,
    REPAIR_DIRECTLY,
    SUSPEND_PRODUCTION,
    quality_escalation,
)
from aftersales_core.workflows._common import check, decided, roles
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["QUALITY_INFORMATION"]

Ctx = Context[QualityFeedbackSheet]
T = Transition[QualityFeedbackSheet]

_ROUTED_TO = {
    REPAIR_DIRECTLY: "maintenance",
    QUALITY_CONTROL: "quality control",
    GENERAL_MANAGER: "general manager",
    SUSPEND_PRODUCTION: "general manager and CCS",
}


def _ref(ctx: Ctx) -> str:
    return ctx.record.number or "unnumbered"


def _classify(ctx: Ctx) -> Decision:
    form = ctx.record
    return quality_escalation(
        abnormal=form.abnormal,
        occurrences=(*form.earlier_occurrences, form.received_at),
        affected_quantity=form.affected_quantity,
        major=form.major,
        marine=form.marine,
        now=ctx.now,
        policy=ctx.policy,
    )


def _classify_writes(ctx: Ctx) -> dict[str, Any]:
    decision = decided(ctx)
    return {"classification": decision.outcome, "routed_to": _ROUTED_TO[decision.outcome]}


def _classify_effects(ctx: Ctx) -> list[Command]:
    ref = _ref(ctx)
    form = ctx.record
    what = f"{form.product}: {form.failure_mode}"
    if form.classification == QUALITY_CONTROL:
        return [
            Notify(
                reference=ref,
                role=Role.QUALITY,
                message=_("Quality information feedback sheet: {what} (R13).").format(what=what),
            )
        ]
    if form.classification == GENERAL_MANAGER:
        return [
            Notify(
                reference=ref,
                role=Role.GENERAL_MANAGER,
                message=_("Batch or major quality problem: {what} (R13).").format(what=what),
            )
        ]
    if form.classification == SUSPEND_PRODUCTION:
        return [
            SuspendProduction(reference=ref, product=form.product, notify_society=True),
            Notify(
                reference=ref,
                role=Role.GENERAL_MANAGER,
                message=_("Marine product suspended, CCS notified: {what} (R13).").format(what=what),
            ),
        ]
    return []


def _capa_given(ctx: Ctx) -> str | None:
    return None if ctx.record.capa is not None else _("a CAPA (8D) report is required (capa)")


def _capa_closed(ctx: Ctx) -> str | None:
    capa = ctx.record.capa
    if capa is None or capa.closed_on is None:
        return _("the CAPA report must be closed after verifying its effectiveness (capa.closed_on)")
    return None


def _resume(ctx: Ctx) -> list[Command]:
    if ctx.record.classification != SUSPEND_PRODUCTION:
        return []
    return [ResumeProduction(reference=_ref(ctx), product=ctx.record.product)]


QUALITY_INFORMATION: Workflow[QualityFeedbackSheet] = Workflow(
    name="quality_information",
    title="Quality information",
    record_type=QualityFeedbackSheet,
    initial="draft",
    states=(
        "draft",
        "recorded",
        "repair",
        "with_quality",
        "escalated",
        "suspended",
        "capa_open",
        "verified",
        "closed",
    ),
    final=frozenset({"closed"}),
    transitions=(
        T(
            action="record",
            sources=frozenset({"draft"}),
            target="recorded",
            roles=roles(Role.AFTER_SALES, Role.SALESPERSON, Role.QUALITY),
            updates=frozenset(
                {"description", "abnormal", "major", "affected_quantity", "earlier_occurrences"}
            ),
        ),
        T(
            action="classify",
            sources=frozenset({"recorded"}),
            routes={
                REPAIR_DIRECTLY: "repair",
                QUALITY_CONTROL: "with_quality",
                GENERAL_MANAGER: "escalated",
                SUSPEND_PRODUCTION: "suspended",
            },
            decide=_classify,
            roles=roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER),
            updates=frozenset(
                {"abnormal", "major", "marine", "affected_quantity", "earlier_occurrences"}
            ),
            writes=_classify_writes,
            effects=_classify_effects,
            description="Sort and analyse the information (R13).",
        ),
        T(
            action="repair_done",
            sources=frozenset({"repair"}),
            target="closed",
            roles=roles(Role.AFTER_SALES, Role.MAINTENANCE),
        ),
        T(
            action="open_capa",
            sources=frozenset({"with_quality", "escalated", "suspended"}),
            target="capa_open",
            roles=roles(Role.QUALITY),
            updates=frozenset({"capa"}),
            guards=(check("form", "CAPA report given", _capa_given),),
            description="Quality control opens the corrective and preventive action report (8D).",
        ),
        T(
            action="verify",
            sources=frozenset({"capa_open"}),
            target="verified",
            roles=roles(Role.QUALITY),
            updates=frozenset({"capa"}),
            guards=(check("R13", "CAPA verified and closed", _capa_closed),),
            writes=lambda ctx: {"correction_verified": True},
            effects=_resume,
            description="Effectiveness verified; a suspended product resumes production only now (R13).",
        ),
        T(
            action="close",
            sources=frozenset({"verified"}),
            target="closed",
            roles=roles(Role.QUALITY, Role.AFTER_SALES_MANAGER),
        ),
    ),
)
"""The quality information workflow over the quality information feedback sheet."""
