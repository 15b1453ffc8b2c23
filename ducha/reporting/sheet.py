"""The sheet: every open assignment of a unit on one page, prefilled, saved in one request.

A unit's reporter or head sees all it still owes in open rounds as rows (value or progress,
source, narrative, explanation, known evidence), each prefilled with what the system knows
(`reporting.prefill`) and saying where that came from. Moving between cells and pasting a
column from Excel or WPS is `static/reporting/sheet.js`; the page works without it. Saving
goes through `services.save_sheet`: all or nothing, every row at fault named. The office may
open any unit's sheet (`?unit=`); leaders write nothing and have none.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.accounts.models import Role
from ducha.core.params import get_id
from ducha.datavalues.models import MilestoneProgress, ValueSource
from ducha.engine.periods import PeriodError, parse_period
from ducha.orgunits.models import OrgUnit
from ducha.reporting import prefill, services
from ducha.reporting.models import EDITABLE, Assignment, RoundState
from ducha.reporting.views import WITHOUT_EVIDENCE

UNIT_ROLES = (Role.REPORTER, Role.UNIT_HEAD)
# The columns a pasted block fills, left to right (sheet.js reads the same order from the page).
COLUMNS = ["value", "source", "narrative", "explanation"]


def _unit_for(request):
    """The unit whose sheet this is: one's own; the office picks one with ?unit=."""
    user = request.user
    if user.role in UNIT_ROLES and user.org_unit_id:
        return user.org_unit
    if user.is_office:
        unit_id = get_id(request, "unit")
        if unit_id is None and request.method == "POST":
            # a sheet posted without ?unit=: the unit of its first row
            first = request.POST.get("id", "")
            unit_id = (
                Assignment.objects.for_user(user, "change")
                .filter(pk=first)
                .values_list("org_unit", flat=True)
                .first()
                if first.isdigit()
                else None
            )
        return get_object_or_404(OrgUnit, pk=unit_id) if unit_id is not None else None
    raise PermissionDenied


def open_assignments(user, unit):
    return (
        Assignment.objects.for_user(user, "change")
        .filter(org_unit=unit, status__in=EDITABLE, round__state=RoundState.OPEN)
        .select_related("round", "org_unit", "indicator", "milestone")
        .annotate(attached=Count("evidence", filter=Q(evidence__archived_at=None)))
        .order_by(
            "-round__period_end",
            "kind",
            "indicator__position",
            "milestone__position",
            "pk",
        )
    )


@login_required
def sheet(request):
    unit = _unit_for(request)
    if unit is None:
        return _choose_unit(request)
    assignments = list(open_assignments(request.user, unit))
    problems: dict[int, list] = {}
    posted: dict[int, dict] = {}
    no_evidence: list[Assignment] = []
    status = 200
    if request.method == "POST":
        rows, posted = _rows_from_post(request.POST)
        try:
            result = services.save_sheet(
                request.user,
                rows,
                submit_filled="submit" in request.POST,
                without_evidence=request.POST.get("submit") == WITHOUT_EVIDENCE,
            )
        except services.SheetError as exc:
            problems = exc.problems
            status = 409 if exc.stale else 200
            # a stale row takes the current version: saving again is a deliberate overwrite
            current = dict(Assignment.objects.filter(pk__in=exc.stale).values_list("pk", "version"))
            for pk, version in current.items():
                if pk in posted:
                    posted[pk]["version"] = str(version)
        except services.EvidenceMissing as exc:
            # 佐证质量 counts in the unit's score: as on the assignment page, the person attaches
            # a file or confirms; the typed rows stay on the page
            no_evidence = exc.assignments
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
            status = 403
        else:
            messages.success(request, _summary(result))
            url = reverse("reporting:sheet")
            if request.user.role not in UNIT_ROLES:
                url += f"?unit={unit.pk}"
            return redirect(url)
    else:
        services.note_opened(request.user, assignments)
    proposals = prefill.proposals_for(assignments)
    rows = [_row(a, proposals[a.pk], posted.get(a.pk), problems.get(a.pk, [])) for a in assignments]
    waiting = (
        Assignment.objects.for_user(request.user, "view")
        .filter(org_unit=unit, round__state=RoundState.OPEN)
        .exclude(status__in=EDITABLE)
        .count()
    )
    return render(
        request,
        "reporting/sheet.html",
        {
            "unit": unit,
            "rows": rows,
            "problems": problems,
            "problem_rows": [r for r in rows if r["problems"]],
            "waiting": waiting,
            "sources": ValueSource.choices,
            "progress_choices": MilestoneProgress.choices,
            "office_unit": unit.pk if request.user.role not in UNIT_ROLES else None,
            "prefilled": sum(1 for r in rows if r["origins"]),
            "no_evidence": no_evidence,
            "without_evidence": WITHOUT_EVIDENCE,
        },
        status=status,
    )


def _choose_unit(request):
    units = OrgUnit.objects.filter(
        pk__in=Assignment.objects.for_user(request.user, "change")
        .filter(status__in=EDITABLE, round__state=RoundState.OPEN)
        .values("org_unit")
    ).order_by("position", "code")
    return render(request, "reporting/sheet_units.html", {"units": units})


def _summary(result: services.SheetResult) -> str:
    text = _("%(saved)d saved, %(submitted)d submitted.") % {
        "saved": len(result.saved),
        "submitted": len(result.submitted),
    }
    if result.left_empty:
        text += " " + _("%d left empty stay drafts.") % len(result.left_empty)
    return text


def _rows_from_post(post) -> tuple[list[dict], dict[int, dict]]:
    rows, posted = [], {}
    for raw_id in post.getlist("id"):
        row = {"id": raw_id, "version": post.get(f"version-{raw_id}", "")}
        for name in services.SHEET_FIELDS:
            key = f"{name}-{raw_id}"
            if key in post:
                row[name] = post.get(key, "")
        row["evidence"] = post.getlist(f"evidence-{raw_id}")
        rows.append(row)
        if raw_id.isdigit():
            posted[int(raw_id)] = row
    return rows, posted


def _plain(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _origin_text(origin: prefill.Origin | None) -> str:
    """Where a proposal came from, in words: 由名录库“项目”计算（2019年第三季度）."""
    if origin is None:
        return ""
    try:
        period = services.round_title(parse_period(origin.period))
    except PeriodError:
        period = origin.period
    if origin.kind == prefill.REGISTER:
        return _("computed from the register “%(register)s” (%(period)s)") % {
            "register": origin.detail,
            "period": period,
        }
    if origin.kind == prefill.LAST_PERIOD:
        return _("the approved figure of %s") % period
    return _("as reported for %s") % period


def _row(a: Assignment, p: prefill.Proposal, posted: dict | None, problems: list) -> dict:
    """One row as the template shows it: the stored input, else the proposal, else empty;
    after a refused save, what the person sent."""

    def pick(name, stored, proposed):
        if posted is not None and name in posted:
            return posted[name]
        return stored if stored not in ("", None) else proposed

    origins = {}
    if p.value is not None:
        origins["value"] = _origin_text(p.value_origin)
    if p.progress:
        origins["progress"] = _origin_text(p.text_origin)
    if p.narrative:
        origins["narrative"] = _origin_text(p.text_origin)
    if p.source:
        origins["source"] = _origin_text(p.text_origin)
    chosen = (
        set(posted.get("evidence", []))
        if posted is not None
        else {str(ev.pk) for ev in p.evidence}  # proposed: ticked, the person unticks
    )
    return {
        "a": a,
        "version": posted["version"] if posted is not None else a.version,
        "value": pick("value", _plain(a.value), _plain(p.value)),
        "prefill_value": _plain(p.value) if a.value is None else "",
        "progress": pick("progress", a.progress, p.progress),
        "narrative": pick("narrative", a.narrative, p.narrative),
        "explanation": pick("explanation", a.explanation, ""),
        "source": pick("source", "" if p.source else a.source, p.source),
        "source_note": pick("source_note", "" if p.source else a.source_note, p.source_note),
        "source_url": pick("source_url", "" if p.source else a.source_url, p.source_url),
        "origins": origins,
        "known_evidence": [(ev, str(ev.pk) in chosen) for ev in p.evidence],
        "attached": a.attached,
        "problems": problems,
        "problem_fields": {field for field, _text in problems},
    }
