"""Fuzzing the workflows: :meth:`Workflow.apply` on every workflow, from every state,
with any action, actor, params and moment, raises only the project's own errors
(:class:`~aftersales_core.errors.AftersalesError`), and a refused action leaves the
record as it was.

The record is a valid form of the workflow in one of its states, its fields drawn from
the form's own field types; params are drawn from the fields the action may set (and
any other name), their values of the field's type or anything (see ``fuzz_strategies``).
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from fuzz_strategies import (
    NOW,
    aware_datetimes,
    for_annotation,
    json_like,
    naive_datetimes,
    roles,
    valid_value,
    wild,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from aftersales_core import AftersalesError, Policy, Role
from aftersales_core.commands import CommandAdapter
from aftersales_core.forms import (
    ComplaintHandlingForm,
    ContractReviewForm,
    MaterialLine,
    MaterialRequisitionForm,
    OrderRecord,
    QualityFeedbackSheet,
    ReturnForm,
    ReturnLine,
    ReturnTrackingForm,
    ServiceInformationRecord,
    TechnicalInquiryRecord,
)
from aftersales_core.workflows import Actor, Workflow
from aftersales_core.workflows.registry import WORKFLOWS

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def sample(name: str) -> BaseModel:
    """A valid record of the workflow's form (with lines where the form has them)."""
    if name == "complaint":
        return ComplaintHandlingForm(
            number="C/1", channel="phone", received_at=NOW, customer="ACME", description="leaks"
        )
    if name in ("return_for_repair", "refund_return"):
        return ReturnTrackingForm(
            number="RT/1",
            purpose="repair" if name == "return_for_repair" else "refund",
            customer="ACME",
            delivered_at=NOW - timedelta(days=30),
            return_form=ReturnForm(requested_at=NOW - timedelta(days=1), reason="leaks"),
            lines=(
                ReturnLine(ref="1", product="MC-200", product_class="host", quantity=2),
                ReturnLine(ref="2", product="seal", product_class="accessory", quantity=20),
            ),
        )
    if name == "special_order":
        return ContractReviewForm(
            number="CR/1", customer="ACME", product="gauge", quantity=8, requirements="IP68"
        )
    if name == "material_requisition":
        return MaterialRequisitionForm(
            number="MR/1",
            requester="li",
            purpose="RT/1",
            lines=(MaterialLine(product="seal", quantity=2),),
        )
    if name == "onsite_service":
        return ServiceInformationRecord(
            number="S/1", received_at=NOW, customer="ACME", province="Jiangsu", request="no reading"
        )
    if name == "quality_information":
        return QualityFeedbackSheet(
            number="Q/1", received_at=NOW, source="user", product="gauge", failure_mode="drift"
        )
    if name == "order_processing":
        return OrderRecord(
            number="SO/1", customer="ACME", product="gauge", quantity=3, amount=Decimal(100)
        )
    if name == "technical_inquiry":
        return TechnicalInquiryRecord(
            number="TI/1", received_at=NOW, customer="ACME", question="how to zero?"
        )
    raise AssertionError(name)


@functools.cache
def _record(name: str) -> st.SearchStrategy[BaseModel]:
    """A valid record of the workflow in any of its states, some of its fields redrawn."""
    wf: Workflow[Any] = WORKFLOWS[name]
    base = sample(name)
    model = wf.record_type
    fields = {
        n: valid_value(f.annotation)
        for n, f in model.model_fields.items()
        if n not in ("number", wf.state_field)
    }

    def build(state: str, changes: dict[str, Any]) -> BaseModel:
        for data in (
            {**dict(base), **changes, wf.state_field: state},
            {**dict(base), wf.state_field: state},
        ):
            try:
                return model.model_validate(data)
            except ValidationError:
                continue
        return base

    return st.builds(build, st.sampled_from(wf.states), st.fixed_dictionaries({}, optional=fields))


@functools.cache
def _params(name: str, action: str) -> st.SearchStrategy[Any]:
    """Params: mostly the fields ``action`` may set, sometimes those of another action,
    any field of the form, any name; values of the field's type or anything."""
    wf: Workflow[Any] = WORKFLOWS[name]
    model = wf.record_type
    own = sorted({n for t in wf.transitions if t.action == action for n in t.updates})
    every = sorted({n for t in wf.transitions for n in t.updates}) or sorted(model.model_fields)

    def value_for(name: str) -> st.SearchStrategy[Any]:
        field = model.model_fields.get(name)
        return json_like if field is None else for_annotation(field.annotation)

    names = st.one_of(
        *([st.sampled_from(own)] * 4 if own else []),
        st.sampled_from(every),
        st.sampled_from(sorted(model.model_fields)),
        st.text(max_size=8),
    )
    pairs = st.lists(names.flatmap(lambda n: st.tuples(st.just(n), value_for(n))), max_size=4)
    return st.one_of(
        st.none(),
        pairs.map(dict),
        pairs.map(dict),
        pairs.map(dict),
        st.dictionaries(st.text(max_size=6), wild, max_size=3),
    )


@functools.cache
def _action(name: str, state: str) -> st.SearchStrategy[str]:
    """Mostly an action that exists from ``state``; sometimes any, or a made-up one."""
    wf: Workflow[Any] = WORKFLOWS[name]
    here = wf.actions_from(state)
    return st.one_of(
        *([st.sampled_from(here)] * 4 if here else []),
        st.sampled_from(wf.actions),
        st.text(max_size=8),
    )


actors = st.builds(
    lambda user, held: Actor(user=user, roles=held),
    st.sampled_from(["li", "boss", "x"]),
    st.one_of(st.just(frozenset(Role)), st.just(frozenset(Role)), st.frozensets(roles, max_size=4)),
)
moments = st.one_of(
    st.datetimes(
        min_value=datetime(2026, 5, 4),
        max_value=datetime(2027, 5, 4),
        timezones=st.just(timezone.utc),
    ),
    aware_datetimes,
    naive_datetimes,
)
policies = st.sampled_from([None, Policy(), Policy(resale_requires_gm_approval=False)])


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@FUZZ
@given(data=st.data())
def test_apply_takes_anything_and_raises_only_the_projects_errors(
    name: str, data: st.DataObject
) -> None:
    wf: Workflow[Any] = WORKFLOWS[name]
    record = data.draw(_record(name), label="record")
    policy = data.draw(policies, label="policy")
    for _ in range(3):  # a few steps in a row, each from where the last one left
        action = data.draw(_action(name, wf.state_of(record)), label="action")
        actor = data.draw(actors, label="actor")
        params = data.draw(_params(name, action), label="params")
        now = data.draw(moments, label="now")
        before = record.model_dump()
        try:
            step = wf.apply(record, action, actor, params=params, policy=policy, now=now)
        except AftersalesError:
            assert record.model_dump() == before
            continue
        assert wf.state_of(step.record) in wf.states
        assert type(step.record).model_validate_json(step.record.model_dump_json()) == step.record
        for command in step.commands:
            assert CommandAdapter.validate_json(command.model_dump_json()) == command
        record = step.record
