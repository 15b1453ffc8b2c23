"""The reporting JSON API: list my assignments, save and submit, approve and return.

The same services and policies as the pages: an assignment outside the caller's scope is a 404,
a refused step a 400 (or 403) with a message naming the field, a stale `version` a 409 with
nothing changed. Session authentication; unsafe methods need the CSRF token.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from ducha.core.params import MAX_ID, BoundedPagination
from ducha.datavalues.api import SourceOut
from ducha.datavalues.sources import describe
from ducha.quality import gate as quality_gate
from ducha.reporting import checks, services
from ducha.reporting.models import Assignment, AssignmentStatus, RoundState

router = Router(tags=["reporting"], auth=django_auth)


class Problem(Schema):
    detail: str
    field: str = ""


class AssignmentOut(Schema):
    id: int
    round_id: int
    round: str
    period: str
    deadline: dt.date
    round_open: bool
    org_unit: str = Field(description="org-unit code")
    org_unit_name: str
    kind: str
    indicator: str | None = Field(None, description="indicator code")
    milestone: str | None = Field(None, description="milestone code")
    name: str
    unit: str | None = None
    value: Decimal | None = None
    progress: str = ""
    narrative: str = ""
    explanation: str = ""
    status: str
    version: int
    return_reason: str = ""
    late: bool
    source: SourceOut | None = Field(None, description="where the figure comes from")

    @staticmethod
    def of(a: Assignment) -> AssignmentOut:
        return AssignmentOut(
            id=a.pk,
            round_id=a.round_id,
            round=a.round.title,
            period=a.round.period,
            deadline=a.round.deadline,
            round_open=a.round.state == RoundState.OPEN,
            org_unit=a.org_unit.code,
            org_unit_name=a.org_unit.name,
            kind=a.kind,
            indicator=a.indicator.code if a.indicator_id else None,
            milestone=a.milestone.code if a.milestone_id else None,
            name=a.subject_name,
            unit=a.indicator.unit if a.indicator_id else None,
            value=a.value,
            progress=a.progress,
            narrative=a.narrative,
            explanation=a.explanation,
            status=a.status,
            version=a.version,
            return_reason=a.return_reason,
            late=a.is_late,
            source=None if a.is_milestone else SourceOut(**describe(a)),
        )


class AssignmentDetailOut(AssignmentOut):
    explanation_needed: list[str] = Field(
        default_factory=list, description="why an explanation is required, if it is"
    )
    missing: list[str] = Field(default_factory=list, description="what stops submission")
    quality_flags: list[str] = Field(
        default_factory=list, description="what the quality check flagged at submission"
    )
    evidence_files: int = Field(0, description="evidence files attached (removed ones aside)")
    warnings: list[str] = Field(
        default_factory=list,
        description="what a client should ask its user to confirm before submitting",
    )


class SourceIn(Schema):
    kind: str | None = Field(None, description="a source kind (its key or its label)")
    note: str | None = Field(None, description="口径 note")
    url: str | None = Field(None, description="http(s) link")
    attachment: int | None = Field(
        None, description="id of one of the assignment's evidence files; null for none"
    )


class AssignmentIn(Schema):
    version: int = Field(description="the version you read; a stale one is refused (409)")
    value: str | Decimal | None = None
    progress: str | None = None
    narrative: str | None = None
    explanation: str | None = None
    source: SourceIn | None = Field(None, description="only the fields given are changed")
    org_unit: str | None = Field(
        None, description="optional org-unit code; must be the assignment's own"
    )


class StepIn(Schema):
    version: int
    comment: str = ""


class ReasonIn(Schema):
    version: int
    reason: str


def _scope(request, action="view"):
    return Assignment.objects.for_user(request.user, action).select_related(
        "round", "org_unit", "indicator", "milestone"
    )


def _get(request, pk: int) -> Assignment:
    return get_object_or_404(_scope(request), pk=pk)


def _fail(exc: Exception):
    if isinstance(exc, services.ConflictError):
        return Status(409, Problem(detail=exc.message, field=exc.field))
    if isinstance(exc, PermissionDenied):
        return Status(403, Problem(detail=str(exc) or "permission denied"))
    return Status(400, Problem(detail=exc.message, field=exc.field))


def _detail(a: Assignment) -> AssignmentDetailOut:
    out = AssignmentOut.of(a).dict()
    files = a.evidence.filter(archived_at=None).count()
    return AssignmentDetailOut(
        **out,
        explanation_needed=checks.explanation_reasons(a),
        missing=services.missing_for_submission(a) if a.is_editable else [],
        quality_flags=[quality_gate.message(f) for f in a.quality_flags or []],
        evidence_files=files,
        warnings=[_("no evidence is attached")] if a.is_editable and not files else [],
    )


@router.get("/assignments", response=list[AssignmentOut], summary="List my assignments")
@paginate(BoundedPagination)
def list_assignments(
    request,
    round: int | None = Query(None, ge=1, le=MAX_ID),
    status: str | None = None,
    open_only: bool = True,
):
    qs = _scope(request)
    if round is not None:
        qs = qs.filter(round=round)
    elif open_only:
        qs = qs.filter(round__state=RoundState.OPEN)
    if status == "overdue":
        qs = qs.overdue()
    elif status:
        qs = qs.filter(status=status if status in AssignmentStatus.values else "-")
    return [AssignmentOut.of(a) for a in qs.order_by("round", "org_unit__position", "pk")]


@router.get("/assignments/{pk}", response={200: AssignmentDetailOut})
def get_assignment(request, pk: int):
    return _detail(_get(request, pk))


@router.put(
    "/assignments/{pk}",
    response={200: AssignmentDetailOut, 400: Problem, 403: Problem, 409: Problem},
    summary="Save a value (or progress), narrative and explanation as a draft",
)
def save_assignment(request, pk: int, body: AssignmentIn):
    a = _get(request, pk)
    if body.org_unit is not None and body.org_unit != a.org_unit.code:
        return Status(
            400,
            Problem(
                detail=_(
                    "org_unit %(given)s is not this assignment's unit (%(own)s); nothing was saved"
                )
                % {"given": body.org_unit, "own": a.org_unit.code},
                field="org_unit",
            ),
        )
    fields = {
        k: v
        for k, v in body.dict(exclude={"version", "org_unit", "source"}, exclude_unset=True).items()
        if v is not None or k == "value"
    }
    if body.source is not None:
        given = body.source.dict(exclude_unset=True)
        names = {"kind": "source", "note": "source_note", "url": "source_url"}
        fields.update({names[k]: v for k, v in given.items() if k in names})
        if "attachment" in given:
            fields["source_evidence"] = given["attachment"]
    try:
        a = services.save_assignment(request.user, a, expected_version=body.version, **fields)
    except (services.ReportingError, PermissionDenied) as exc:
        return _fail(exc)
    return Status(200, _detail(_get(request, a.pk)))


def _step(request, pk, action, **kwargs):
    a = _get(request, pk)
    try:
        services.ACTIONS[action](request.user, a, **kwargs)
    except (services.ReportingError, PermissionDenied) as exc:
        return _fail(exc)
    return Status(200, _detail(_get(request, pk)))


STEP_RESPONSES = {200: AssignmentDetailOut, 400: Problem, 403: Problem, 409: Problem}


@router.post("/assignments/{pk}/submit", response=STEP_RESPONSES)
def submit(request, pk: int, body: StepIn):
    return _step(request, pk, "submit", expected_version=body.version, comment=body.comment)


@router.post("/assignments/{pk}/unit-approve", response=STEP_RESPONSES)
def unit_approve(request, pk: int, body: StepIn):
    return _step(request, pk, "unit_approve", expected_version=body.version, comment=body.comment)


@router.post("/assignments/{pk}/approve", response=STEP_RESPONSES)
def approve(request, pk: int, body: StepIn):
    return _step(request, pk, "approve", expected_version=body.version, comment=body.comment)


@router.post("/assignments/{pk}/return", response=STEP_RESPONSES)
def return_assignment(request, pk: int, body: ReasonIn):
    return _step(request, pk, "return", expected_version=body.version, reason=body.reason)


@router.post("/assignments/{pk}/reopen", response=STEP_RESPONSES)
def reopen(request, pk: int, body: ReasonIn):
    return _step(request, pk, "reopen", expected_version=body.version, reason=body.reason)


@router.post(
    "/assignments/{pk}/withdraw",
    response=STEP_RESPONSES,
    summary="Withdraw a submission before its review starts (the unit's own people)",
)
def withdraw(request, pk: int, body: StepIn):
    return _step(request, pk, "withdraw", expected_version=body.version, comment=body.comment)
