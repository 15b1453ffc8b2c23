"""Writes to projects: imports, and moving a project along its workflow
(签约 → 开工 → 投产 → 验收, or 终止), each step with its date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import record
from ducha.core.policies import require
from ducha.projects.models import (
    FORWARD,
    PROJECT_TRANSITIONS,
    STAGE_DATES,
    STAGE_NAMES,
    Project,
    Stage,
)
from ducha.registers.simple import apply_simple, optional, ref

SHEET = "项目"


class WorkflowError(Exception):
    """A project cannot move to the stage asked for."""


def stage_name(stage: str) -> str:
    return STAGE_NAMES[stage][0]


def stage_from_dates(dates: dict[str, dt.date | None]) -> str:
    if dates.get("cancelled_on"):
        return Stage.CANCELLED
    stage = Stage.NEGOTIATING
    for candidate in FORWARD[1:]:
        if dates.get(STAGE_DATES[candidate]):
            stage = candidate
    return stage


def check_dates(dates: dict[str, dt.date | None]) -> list[tuple[str, str]]:
    """(date field, problem) for dates out of workflow order or with a step missing."""
    problems = []
    last_stage, last_value, missing = None, None, None
    for stage in FORWARD[1:]:
        value = dates.get(STAGE_DATES[stage])
        if value is None:
            missing = missing or stage
            continue
        if missing is not None:
            message = _("a project reaches %(stage)s only after %(before)s: give that date too")
            problems.append(
                (
                    STAGE_DATES[stage],
                    message % {"stage": stage_name(stage), "before": stage_name(missing)},
                )
            )
        elif last_value is not None and value < last_value:
            problems.append(
                (STAGE_DATES[stage], _("is before the date of %s") % stage_name(last_stage))
            )
        last_stage, last_value = stage, value
    return problems


def is_forward(old: str, new: str) -> bool:
    """Whether the workflow leads from `old` to `new` (through intermediate stages)."""
    if old == new:
        return True
    seen, frontier = set(), {old}
    while frontier:
        stage = frontier.pop()
        for nxt in PROJECT_TRANSITIONS[stage]:
            if nxt == new:
                return True
            if nxt not in seen:
                seen.add(nxt)
                frontier.add(nxt)
    return False


def _resolve(sheet, row, refs, problems, current):
    v = row.values
    dates = {
        f: (v[f].last_day if f == "cancelled_on" else v[f].date)
        if f in v
        else (getattr(current, f) if current else None)
        for f in STAGE_DATES.values()
    }
    trouble = False
    for name, message in check_dates(dates):
        problems.at(sheet, row, name, message)
        trouble = True
    stage = stage_from_dates(dates)
    if "stage" in v:
        given = v["stage"]
        if given != Stage.NEGOTIATING and given != stage:
            problems.at(
                sheet,
                row,
                "stage",
                _("%(given)s needs its date; the dates say %(stage)s")
                % {"given": stage_name(given), "stage": stage_name(stage)},
            )
            trouble = True
        elif given == Stage.NEGOTIATING and stage != Stage.NEGOTIATING:
            problems.at(sheet, row, "stage", _("the dates say %s") % stage_name(stage))
            trouble = True
    if current is not None and not is_forward(current.stage, stage):
        problems.at(
            sheet,
            row,
            "stage" if "stage" in v else STAGE_DATES.get(stage, "code"),
            _(
                "the project is at %(old)s and cannot go back to %(new)s; the office "
                "corrects a stage on the project's page"
            )
            % {"old": stage_name(current.stage), "new": stage_name(stage)},
        )
        trouble = True
    district = ref(refs.district, sheet, row, "district", problems, required=current is None)
    domain = ref(refs.plan_node, sheet, row, "domain", problems)
    lead = ref(refs.org_unit, sheet, row, "lead_unit", problems)
    enterprise = ref(refs.enterprise, sheet, row, "enterprise", problems)
    if current is None:
        for column in ("name", "type"):
            if column not in v:
                problems.at(sheet, row, column, _("is empty"))
                trouble = True
    if trouble or (district is None and current is None):
        return None
    fields = {
        "name": optional(row, "name", current),
        "type": optional(row, "type", current),
        "partner": optional(row, "partner", current),
        "investment": optional(row, "investment", current, default=None),
        "note": optional(row, "note", current),
        "stage": stage,
        **dates,
    }
    for name, value in (
        ("district", district),
        ("domain", domain),
        ("lead_unit", lead),
        ("enterprise", enterprise),
    ):
        if value is not None:
            fields[name] = value
    return fields


def apply_import(actor, parsed, *, source, is_demo=False, plan=None):
    from ducha.registers.references import References

    return apply_simple(
        actor,
        parsed,
        model=Project,
        sheet=SHEET,
        key="code",
        resolve=_resolve,
        action="projects.project",
        source=source,
        is_demo=is_demo,
        refs=References(plan=plan, user=actor),
        enterprise_columns=("enterprise",),
    )


@transaction.atomic
def advance(actor, project: Project, stage: str, on: dt.date) -> Project:
    """Move a project one step along its workflow, on a date not before the last step."""
    if actor is not None:
        require(actor, "change", project)
    if stage not in PROJECT_TRANSITIONS[project.stage]:
        raise WorkflowError(
            _("a project at %(old)s cannot move to %(new)s")
            % {"old": stage_name(project.stage), "new": stage_name(stage)}
        )
    today = timezone.localdate()
    if on > today:
        # A step recorded ahead of time would block every real later step (dates only move
        # forward), so a step is recorded once it has happened.
        raise WorkflowError(
            _(
                "Date of the step: %(on)s is after today (%(today)s); record a step once it "
                "has happened"
            )
            % {"on": on.isoformat(), "today": today.isoformat()}
        )
    last = max((d for f in STAGE_DATES.values() if (d := getattr(project, f))), default=None)
    if last is not None and on < last:
        raise WorkflowError(_("the date is before the project's last step (%s)") % last)
    old = project.stage
    project.stage = stage
    setattr(project, STAGE_DATES[stage], on)
    project.save()
    record(
        actor,
        "projects.project.advanced",
        project,
        changes={"stage": [old, stage], STAGE_DATES[stage]: [None, on]},
    )
    return project


@transaction.atomic
def correct_stage(actor, project: Project, stage: str, reason: str) -> Project:
    """The office takes a project back to an earlier stage (a correction), with a reason;
    the dates of the later steps are cleared."""
    if actor is not None and not actor.is_office:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the leading-group office corrects a project's stage."))
    if not reason.strip():
        raise WorkflowError(_("say why the stage is corrected"))
    order = [*FORWARD, Stage.CANCELLED]
    old = project.stage
    changes = {"stage": [old, stage]}
    for later in order[order.index(stage) + 1 :]:
        name = STAGE_DATES.get(later)
        if name and getattr(project, name) is not None:
            changes[name] = [getattr(project, name), None]
            setattr(project, name, None)
    project.stage = stage
    project.save()
    record(actor, "projects.project.corrected", project, changes=changes, comment=reason)
    return project
