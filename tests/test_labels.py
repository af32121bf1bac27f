"""Every value a host shows has a label: states, actions, roles, outcomes, form choices."""

from __future__ import annotations

import pytest

from aftersales_core import rules
from aftersales_core.forms.complaint import ComplaintHandlingForm
from aftersales_core.forms.returns import ReturnForm, ReturnTrackingForm
from aftersales_core.labels import LABELS, choices, label
from aftersales_core.roles import Role
from aftersales_core.workflows.complaint import COMPLAINT
from aftersales_core.workflows.refund_return import REFUND_RETURN
from aftersales_core.workflows.return_for_repair import RETURN_FOR_REPAIR

WORKFLOWS = (COMPLAINT, RETURN_FOR_REPAIR, REFUND_RETURN)


@pytest.mark.parametrize("wf", WORKFLOWS, ids=lambda w: w.name)
def test_every_state_and_action_of_the_shown_workflows_is_labelled(wf: object) -> None:
    assert all(s in LABELS for s in wf.states)  # type: ignore[attr-defined]
    assert all(a in LABELS for a in wf.actions)  # type: ignore[attr-defined]


def test_every_role_is_labelled() -> None:
    assert all(r.value in LABELS for r in Role)


def test_every_outcome_of_routing_warranty_and_complaints_is_labelled() -> None:
    outcomes = [
        getattr(rules, name)
        for name in rules.__all__
        if name.isupper() and isinstance(getattr(rules, name), str)
    ]
    assert outcomes
    assert sorted(o for o in outcomes if o not in LABELS) == []


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (ReturnTrackingForm, "route"),
        (ReturnTrackingForm, "purpose"),
        (ReturnForm, "acceptance"),
        (ReturnForm, "settlement"),
        (ComplaintHandlingForm, "channel"),
        (ComplaintHandlingForm, "cause"),
        (ComplaintHandlingForm, "resolution"),
    ],
)
def test_choices_are_read_from_the_forms_literals(form: type, field: str) -> None:
    pairs = choices(form, field)
    assert pairs and all(value and text and text != value for value, text in pairs)


def test_context_and_fallback() -> None:
    assert label("accept", "acceptance") == "Accepted"
    assert label("accept") == "Accept"
    assert label("some_new_thing") == "Some new thing"
    with pytest.raises(ValueError, match="not a Literal"):
        choices(ReturnTrackingForm, "customer")
