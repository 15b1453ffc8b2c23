"""Every rule of an extracted draft as a table (docs/extraction.md: uploading, reviewing and
activating a draft plan is the office's work alone, whatever anyone's unit).

Three workflows, each in every state, each step tried by every actor on its page:
an upload (``UploadState``: waiting → loaded or discarded), an indicator's review
(``ReviewStatus``: pending ↔ confirmed, in a draft plan only) and the draft plan itself
(activated once nothing is pending). No API or command changes them (``ducha extract``
only reads). The table is written by hand; ``ducha/core/tests/rules.py`` says how to read a row.
"""

from __future__ import annotations

from unittest.mock import ANY

import pytest
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.extraction.models import DocumentUpload, ReviewStatus, UploadState
from ducha.plans.models import Indicator, Plan, PlanState

OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (step, state): who may.
#                                                 office  leader  head    reporter anon
#                                                 o x -   o x -   o x -   o x -    -
RULES = {
    # the upload whose plan code was taken: load it under another code, or discard it
    ("load", UploadState.WAITING): OFFICE,
    ("load", UploadState.LOADED): NOBODY,
    ("load", UploadState.DISCARDED): NOBODY,
    ("discard", UploadState.WAITING): OFFICE,
    ("discard", UploadState.LOADED): NOBODY,
    ("discard", UploadState.DISCARDED): NOBODY,
    # an indicator of the draft is confirmed, or its confirmation taken back
    ("confirm", ReviewStatus.PENDING): OFFICE,
    ("confirm", ReviewStatus.CONFIRMED): NOBODY,  # nothing to do: it is confirmed
    ("confirm", "pending, plan active"): NOBODY,  # only a draft's indicators are reviewed
    ("reopen", ReviewStatus.PENDING): NOBODY,
    ("reopen", ReviewStatus.CONFIRMED): OFFICE,
    ("reopen", "confirmed, plan active"): NOBODY,
    # the draft becomes active once every indicator is reviewed
    ("activate", "all reviewed"): OFFICE,
    ("activate", "some pending"): NOBODY,
    ("activate", "active"): NOBODY,
}
PAIRS = list(RULES)


def test_the_table_has_a_row_for_every_step_and_state():
    states = {
        ("load", "discard"): UploadState.values,
        ("confirm", "reopen"): [*ReviewStatus.values],
        ("activate",): ["all reviewed", "some pending", "active"],
    }
    wanted = [(step, s) for steps, ss in states.items() for step in steps for s in ss]
    wanted += [("confirm", "pending, plan active"), ("reopen", "confirmed, plan active")]
    rules.complete(RULES, wanted)


def audited(obj, expected: tuple[str, dict], actor, mark) -> str | None:
    """The audit entry of an allowed move: `expected` is its (action, changes)."""
    action, changes = expected
    return rules.audit_problem(obj, action, actor, changes, mark)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ducha.extraction.services import upload_document
    from ducha.extraction.tests.conftest import SMALL_PLAN
    from ducha.plans.services import indicator_problems

    def build():
        units, _plan = rules.tianjin(with_plan=False)
        actors = rules.tianjin_actors(units)
        data = SMALL_PLAN.encode("utf-8")
        office = actors["office/other"]
        draft = upload_document(office, "small.txt", [data], len(data), code="small-draft")
        waiting = upload_document(office, "small.txt", [data], len(data), code="small-draft")
        assert waiting.conflict is not None and waiting.upload.state == UploadState.WAITING
        plan = draft.upload.plan
        indicators = list(plan.indicators.select_related("plan").order_by("position"))
        sound = [i for i in indicators if not indicator_problems(i)]
        return {
            "actors": actors,
            "upload": waiting.upload,
            "plan_yaml": waiting.upload.plan_yaml,
            "plan": plan,
            "indicator": sound[0],
            "others": [i.pk for i in indicators if i.pk != sound[0].pk],
        }

    yield from rules.module_data(django_db_blocker, build)


def _services():
    from ducha.extraction import services

    return services


def put_in(world, step, state):
    """The object the step acts on, in `state` (set up with the services as the office)."""
    services = _services()
    plan = Plan.objects.get(pk=world["plan"].pk)
    if step in ("load", "discard"):
        DocumentUpload.objects.filter(pk=world["upload"].pk).update(
            state=state, plan_yaml=world["plan_yaml"]
        )
        return DocumentUpload.objects.get(pk=world["upload"].pk)
    if step in ("confirm", "reopen"):
        indicator = Indicator.objects.select_related("plan").get(pk=world["indicator"].pk)
        if state.startswith("confirmed"):
            services.confirm_indicator(indicator, None)
        if state.endswith("plan active"):
            Plan.objects.filter(pk=plan.pk).update(state=PlanState.ACTIVE)
        return Indicator.objects.select_related("plan").get(pk=indicator.pk)
    # activate
    if state != "some pending":
        services.confirm_indicator(
            Indicator.objects.select_related("plan").get(pk=world["indicator"].pk), None
        )
        for pk in world["others"]:
            services.drop_indicator(Indicator.objects.select_related("plan").get(pk=pk), None)
    if state == "active":
        Plan.objects.filter(pk=plan.pk).update(state=PlanState.ACTIVE)
    return Plan.objects.get(pk=plan.pk)


def act(client, world, step, obj):
    plan = world["plan"]
    if step == "load":
        return client.post(reverse("extraction:upload", args=[obj.pk]), {"code": "small-two"})
    if step == "discard":
        return client.post(reverse("extraction:upload", args=[obj.pk]), {"discard": "1"})
    if step in ("confirm", "reopen"):
        return client.post(reverse(f"extraction:{step}", args=[plan.code, obj.code]))
    return client.post(reverse("extraction:activate", args=[plan.code]))


def where(step, obj) -> str:
    """What the step changes, read afresh."""
    if step in ("load", "discard"):
        return DocumentUpload.objects.get(pk=obj.pk).state
    if step in ("confirm", "reopen"):
        return _services().review_status(Indicator.objects.select_related("plan").get(pk=obj.pk))
    return Plan.objects.get(pk=obj.pk).state


def expected_audit(step, obj):
    summary = {"file": "small.txt", "size": ANY, "sha256": ANY, "targets": ANY}
    return {
        "load": ("extraction.upload.loaded", {**summary, "code": "small-two", "replaced": False}),
        "discard": ("extraction.upload.discarded", {**summary, "code": "small-draft"}),
        "confirm": ("extraction.indicator.confirmed", {"review": ["pending", "confirmed"]}),
        "reopen": ("extraction.indicator.reopened", {"review": ["confirmed", "pending"]}),
        "activate": ("plans.plan.state_changed", {"state": ["draft", "active"]}),
    }[step]


@pytest.mark.parametrize("step,state", PAIRS)
def test_extraction_rules(world, db, step, state):
    allowed = grid(RULES[(step, state)])

    def run(name, user):
        obj = put_in(world, step, state)
        before = where(step, obj)
        mark = rules.audit_mark()
        response = act(rules.client_for(user), world, step, obj)
        did = where(step, obj) != before
        return rules.verdict(
            name in allowed,
            did,
            response,
            obj,
            mark,
            lambda: audited(obj, expected_audit(step, obj), user, mark),
        )

    assert rules.each_actor(world["actors"], run) == []
