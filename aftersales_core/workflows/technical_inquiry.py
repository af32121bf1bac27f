"""Technical inquiry (000 §Two 1; 004 §5.4; R28): a question answered and archived for reuse.

A customer's technical question about installation or operation (by phone, e-mail or
letter) is recorded, answered in detail by after-sales or R&D, and archived in the
knowledge base so that the next inquiry on the same product and failure reuses the
answer. A follow-up question reopens an answered inquiry.
"""

from __future__ import annotations

from typing import Any

from aftersales_core.forms.complaint import TechnicalInquiryRecord
from aftersales_core.roles import Role
from aftersales_core.workflows._common import required, roles
from aftersales_core.workflows.engine import Context, Transition, Workflow

__all__ = ["TECHNICAL_INQUIRY"]

Ctx = Context[TechnicalInquiryRecord]
T = Transition[TechnicalInquiryRecord]

ANSWERERS = roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER, Role.RND)
"""Who answers a technical question: after-sales (004 §5.4) or R&D engineers."""


def _answer_writes(ctx: Ctx) -> dict[str, Any]:
    return {"answered_by": ctx.actor.user, "answered_at": ctx.now}


TECHNICAL_INQUIRY: Workflow[TechnicalInquiryRecord] = Workflow(
    name="technical_inquiry",
    title="Technical inquiry",
    record_type=TechnicalInquiryRecord,
    initial="draft",
    states=("draft", "open", "answered", "archived", "cancelled"),
    final=frozenset({"cancelled"}),
    transitions=(
        T(
            action="record",
            sources=frozenset({"draft"}),
            target="open",
            roles=ANSWERERS | roles(Role.SALESPERSON, Role.SYSTEM, Role.CUSTOMER),
            guards=(required("customer", "question"),),
            updates=frozenset({"product", "channel", "tags"}),
            description="The question is recorded with its product and failure mode (000 §Two 1).",
        ),
        T(
            action="answer",
            sources=frozenset({"open"}),
            target="answered",
            roles=ANSWERERS,
            updates=frozenset({"answer"}),
            guards=(required("answer", rule="R28"),),
            writes=_answer_writes,
            description="After-sales or R&D answers in detail (004 §5.4); who and when are kept.",
        ),
        T(
            action="archive",
            sources=frozenset({"answered"}),
            target="archived",
            roles=ANSWERERS,
            guards=(required("answer", rule="R28"),),
            writes=lambda ctx: {"archived": True},
            description="The answer is archived in the knowledge base for the next inquiry (R28).",
        ),
        T(
            action="reopen",
            sources=frozenset({"answered", "archived"}),
            target="open",
            roles=ANSWERERS,
            writes=lambda ctx: {"archived": False},
            description="A follow-up question reopens the inquiry; the answer is revised.",
        ),
        T(
            action="cancel",
            sources=frozenset({"draft", "open"}),
            target="cancelled",
            roles=roles(Role.AFTER_SALES, Role.AFTER_SALES_MANAGER),
        ),
    ),
)
"""Record, answer, archive for reuse (R28); a follow-up reopens."""
