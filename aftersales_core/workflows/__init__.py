"""The seven workflows of SPEC.md as declarative transition tables."""

from aftersales_core.workflows.engine import (
    Actor,
    Context,
    Guard,
    HistoryEntry,
    Step,
    Transition,
    Workflow,
)

__all__ = ["Actor", "Context", "Guard", "HistoryEntry", "Step", "Transition", "Workflow"]
