"""Reporting pages: rounds, a unit's assignments to fill in, one assignment, the review queue.

Every list goes through `for_user`, every write through `services`; a refused write re-shows
the page with the person's input and the reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ducha.accounts.models import Role
from ducha.core.conflicts import StaleVersion, conflict_page
from ducha.core.params import get_id
from ducha.core.policies import allows, require
from ducha.core.uploads import limit_uploads
from ducha.datavalues.models import MilestoneProgress
from ducha.jobs import services as jobs
from ducha.orgunits.models import OrgUnit
from ducha.reporting import burden, checks, evidence, services
from ducha.reporting import jobs as reporting_jobs
from ducha.reporting.forms import AssignmentForm, EvidenceForm, ReviewForm, RoundForm
from ducha.reporting.models import (
    EDITABLE,
    Assignment,
    AssignmentStatus,
    Evidence,
    Round,
    RoundState,
)
from ducha.reporting.workdays import working_days_between

S = AssignmentStatus
PAGE_SIZE = 50


def _assignments(user, action="view"):
    return Assignment.objects.for_user(user, action).select_related(
        "round", "org_unit", "indicator", "milestone"
    )


@login_required
def index(request):
    require(request.user, "view", Round)
    rounds = list(Round.objects.for_user(request.user, "view").select_related("plan"))
    counts = defaultdict(Counter)
    overdue = Counter()
    rows = (
        Assignment.objects.for_user(request.user, "view")
        .filter(round__in=rounds)
        .values("round", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["round"]][row["status"]] = row["n"]
    for row in (
        Assignment.objects.for_user(request.user, "view")
        .overdue()
        .values("round")
        .annotate(n=Count("id"))
    ):
        overdue[row["round"]] = row["n"]
    table = []
    for r in rounds:
        c = counts[r.pk]
        total = sum(c.values())
        table.append(
            {
                "round": r,
                "total": total,
                "pending": c[S.DRAFT] + c[S.RETURNED],
                "in_review": c[S.SUBMITTED] + c[S.UNIT_APPROVED],
                "approved": c[S.APPROVED],
                "overdue": overdue[r.pk],
                "share": (c[S.APPROVED] / total) if total else 0,
            }
        )
    return render(
        request,
        "reporting/index.html",
        {"table": table, "can_open": allows(request.user, "add", Round)},
    )


@login_required
def round_open(request):
    require(request.user, "add", Round)
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.start(
            request.user,
            reporting_jobs.open_round,
            kind="open_round",
            title=_("Open the reporting round %(period)s of %(plan)s")
            % {"period": data["period"].code, "plan": data["plan"]},
            params={
                "plan": data["plan"].pk,
                "period": data["period"].code,
                "working_days": data["working_days"],
                "opened_on": data["opened_on"].isoformat(),
                "change_threshold": str(data["change_threshold"]),
            },
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "reporting/round_open.html", {"form": form})


@login_required
def round_detail(request, pk):
    rnd = get_object_or_404(
        Round.objects.for_user(request.user, "view").select_related("plan"), pk=pk
    )
    scope = Assignment.objects.for_user(request.user, "view").filter(round=rnd)
    per_unit = defaultdict(Counter)
    for row in scope.values("org_unit", "status").annotate(n=Count("id")):
        per_unit[row["org_unit"]][row["status"]] = row["n"]
    late = Counter(
        dict(
            scope.filter(
                Q(first_submitted_at__date__gt=rnd.deadline)
                | Q(first_submitted_at=None, status__in=EDITABLE)
                if rnd.is_past_deadline()
                else Q(first_submitted_at__date__gt=rnd.deadline)
            )
            .values_list("org_unit")
            .annotate(n=Count("id"))
        )
    )
    units = OrgUnit.objects.filter(pk__in=per_unit).order_by("position", "code")
    rows = []
    for unit in units:
        c = per_unit[unit.pk]
        total = sum(c.values())
        rows.append(
            {
                "unit": unit,
                "total": total,
                "draft": c[S.DRAFT],
                "returned": c[S.RETURNED],
                "submitted": c[S.SUBMITTED],
                "unit_approved": c[S.UNIT_APPROVED],
                "approved": c[S.APPROVED],
                "late": late[unit.pk],
                "done": c[S.APPROVED] == total,
            }
        )
    today = timezone.localdate()
    return render(
        request,
        "reporting/round_detail.html",
        {
            "round": rnd,
            "rows": rows,
            "can_change": allows(request.user, "change", rnd),
            "days_late": working_days_between(rnd.deadline, today) if rnd.is_past_deadline() else 0,
            "days_left": working_days_between(today, rnd.deadline),
            "burden": burden.round_burden(rnd, request.user),
        },
    )


@login_required
@require_POST
def round_state(request, pk):
    rnd = get_object_or_404(Round.objects.for_user(request.user, "change"), pk=pk)
    try:
        services.change_round_state(
            request.user, rnd, request.POST.get("state", ""), reason=request.POST.get("reason", "")
        )
    except services.ReportingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(round)s is now %(state)s.")
            % {"round": rnd, "state": RoundState(request.POST["state"]).label},
        )
    return redirect("reporting:round", pk=rnd.pk)


def _filtered(request, qs):
    """Filters from the query string; each value is checked, never trusted."""
    f = {"round": "", "status": "", "unit": "", "q": ""}
    round_id = get_id(request, "round")
    if round_id is not None:
        qs, f["round"] = qs.filter(round=round_id), str(round_id)
    status = request.GET.get("status", "")
    if status == "overdue":
        qs, f["status"] = qs.overdue(), status
    elif status in S.values:
        qs, f["status"] = qs.filter(status=status), status
    unit = get_id(request, "unit")
    if unit is not None:
        qs, f["unit"] = qs.filter(org_unit=unit), str(unit)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(
            Q(indicator__code__icontains=q)
            | Q(indicator__name__icontains=q)
            | Q(milestone__code__icontains=q)
            | Q(milestone__title__icontains=q)
            | Q(org_unit__name__icontains=q)
        )
        f["q"] = q
    return qs, f


@login_required
def assignment_list(request):
    """A unit's assignments as one sheet to fill in; for the office and leaders, all of them."""
    require(request.user, "view", Assignment)
    qs, filters = _filtered(request, _assignments(request.user))
    if not filters["round"] and not request.GET.get("all"):
        qs = qs.filter(round__state=RoundState.OPEN)
    qs = qs.order_by(
        "-round__period_end",
        "org_unit__position",
        "org_unit__code",
        "indicator__position",
        "milestone__position",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    editable_ids = set(
        Assignment.objects.for_user(request.user, "change")
        .filter(pk__in=[a.pk for a in page], status__in=EDITABLE, round__state=RoundState.OPEN)
        .values_list("pk", flat=True)
        if request.user.role in (Role.REPORTER, Role.UNIT_HEAD)
        else []
    )
    problems: list[str] = []
    posted: dict[int, dict] = {}
    status = 200
    if request.method == "POST":
        rows, posted = _rows_from_post(request.POST)
        submit_after = "submit" in request.POST
        try:
            saved = services.save_many(request.user, rows)
            if submit_after:
                confirmed = request.POST.get("submit") == WITHOUT_EVIDENCE
                submitted, skipped, no_evidence = _submit_ready(request.user, saved, confirmed)
                messages.success(
                    request,
                    _("%(saved)d saved, %(submitted)d submitted.")
                    % {"saved": len(saved), "submitted": submitted},
                )
                for a, why in skipped:
                    messages.warning(request, f"{a.subject_name}：{why}")
                if no_evidence:
                    # as on the assignment page: saved, and the person asked to attach or confirm
                    names = "、".join(a.subject_name for a in no_evidence)
                    messages.warning(
                        request,
                        _("Saved, not submitted yet: no evidence is attached to %(items)s.")
                        % {"items": names},
                    )
                    return redirect(_with_flag(request.get_full_path(), NO_EVIDENCE))
            else:
                messages.success(request, _("%d saved as drafts.") % len(saved))
            return redirect(_without_flag(request.get_full_path(), NO_EVIDENCE))
        except (services.ReportingError, PermissionDenied) as exc:
            problems.append(str(exc))
            status = 409 if isinstance(exc, StaleVersion) else 200
    units = (
        OrgUnit.objects.filter(pk__in=qs.values("org_unit")).order_by("position", "code")
        if request.user.sees_everything
        else []
    )
    return render(
        request,
        "reporting/assignment_list.html",
        {
            "page": page,
            "filters": filters,
            "editable_ids": editable_ids,
            "posted": posted,
            "problems": problems,
            "rounds": Round.objects.for_user(request.user, "view"),
            "statuses": S.choices,
            "units": units,
            "progress_choices": MilestoneProgress.choices,
            "today": timezone.localdate(),
            "confirm_no_evidence": bool(editable_ids) and request.GET.get(NO_EVIDENCE) == "1",
            "without_evidence": WITHOUT_EVIDENCE,
        },
        status=status,
    )


def _with_flag(url: str, flag: str) -> str:
    return f"{_without_flag(url, flag)}{'&' if '?' in url else '?'}{flag}=1"


def _without_flag(url: str, flag: str) -> str:
    path, _sep, query = url.partition("?")
    kept = "&".join(part for part in query.split("&") if part and part.split("=")[0] != flag)
    return f"{path}?{kept}" if kept else path


def _rows_from_post(post) -> tuple[list[dict], dict[int, dict]]:
    rows, posted = [], {}
    for raw_id in post.getlist("id"):
        row = {"id": raw_id, "version": post.get(f"version-{raw_id}", "")}
        for name in ("value", "progress"):
            key = f"{name}-{raw_id}"
            if key in post:
                row[name] = post.get(key, "")
        rows.append(row)
        if raw_id.isdigit():
            posted[int(raw_id)] = row
    return rows, posted


def _submit_ready(user, saved, without_evidence: bool):
    """Submit those of the saved assignments that are complete and have evidence (or the
    person confirmed without); say why the others are not submitted."""
    submitted, skipped, no_evidence = 0, [], []
    for a in saved:
        a.refresh_from_db()
        if a.status not in EDITABLE or not a.round.is_open:
            continue
        problems = services.missing_for_submission(a)
        if problems:
            if (a.value is not None) or a.progress:
                skipped.append((a, "；".join(problems)))
            continue
        if not (without_evidence or services.has_evidence(a)):
            no_evidence.append(a)
            continue
        services.submit(user, a, expected_version=a.version)
        submitted += 1
    return submitted, skipped, no_evidence


@login_required
def assignment_detail(request, pk):
    a = get_object_or_404(_assignments(request.user), pk=pk)
    form = AssignmentForm(
        request.POST or None,
        assignment=a,
        initial={
            "value": "" if a.value is None else format(a.value.normalize(), "f"),
            "progress": a.progress,
            "narrative": a.narrative,
            "explanation": a.explanation,
            "source": a.source,
            "source_note": a.source_note,
            "source_url": a.source_url,
            "source_evidence": str(a.source_evidence_id or ""),
            "version": a.version,
        },
    )
    problems = []
    status = 200
    if request.method == "POST" and allows(request.user, "change", a):
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                k: data[k]
                for k in ("value", "progress", "narrative", "explanation", *form.SOURCE_FIELDS)
                if k in data
            }
            try:
                a = services.save_assignment(
                    request.user, a, expected_version=data["version"], **fields
                )
                if (
                    "submit" in request.POST
                    and not services.missing_for_submission(a)
                    and not _confirmed_without_evidence(request, a)
                ):
                    # 佐证质量 counts in the unit's score: a submission without evidence is
                    # saved, and the unit asked to attach a file or confirm (docs/reporting.md)
                    messages.warning(
                        request, _("Saved, not submitted yet: no evidence is attached.")
                    )
                    url = reverse("reporting:assignment", args=[a.pk])
                    return redirect(f"{url}?{NO_EVIDENCE}=1#submit")
                if "submit" in request.POST:
                    a = services.submit(request.user, a, expected_version=a.version)
                    messages.success(request, _("Submitted."))
                else:
                    messages.success(request, _("Saved."))
                return redirect("reporting:assignment", pk=a.pk)
            except (services.ReportingError, PermissionDenied) as exc:
                # The person's input stays in the form; the version moves on to the current
                # one, so saving again (after comparing) is a deliberate overwrite.
                # named by the field at fault (来源链接：…), where there is one
                name = getattr(exc, "field", "")
                field = form.fields.get(name) if name in ("value", *form.SOURCE_FIELDS) else None
                problems.append(f"{field.label}：{exc}" if field is not None else str(exc))
                status = 409 if isinstance(exc, StaleVersion) else 200
                a.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = a.version
    elif request.method == "POST":
        raise PermissionDenied
    else:
        services.note_opened(request.user, [a])  # the start of the unit's reporting time
    return render(
        request,
        "reporting/assignment_detail.html",
        _detail_context(request, a, form, problems),
        status=status,
    )


NO_EVIDENCE = "no-evidence"  # the query flag that shows the warning and its confirmation
WITHOUT_EVIDENCE = "without-evidence"  # the submit button's value that confirms it


def _confirmed_without_evidence(request, a) -> bool:
    """Whether a submission may go: evidence is attached, or the person confirmed without."""
    return (
        request.POST.get("submit") == WITHOUT_EVIDENCE
        or a.evidence.filter(archived_at=None).exists()
    )


def _detail_context(request, a, form, problems):
    reasons = checks.explanation_reasons(a) if not a.is_milestone or a.progress else []
    can_change = allows(request.user, "change", a) and a.is_editable and a.round.is_open
    actions = services.available_actions(request.user, a)
    if can_change:
        # The form's own "save and submit" submits what is on screen; a separate button would
        # submit the stored figures and throw away what the person typed.
        actions = [action for action in actions if action != "submit"]
    evidence_files = list(a.evidence.filter(archived_at=None).select_related("uploaded_by"))
    return {
        "a": a,
        "form": form,
        "problems": problems,
        "reasons": reasons,
        "previous": None if a.is_milestone else checks.previous_value(a),
        "evidence": evidence_files,
        "can_add_evidence": services.can_add_evidence(request.user, a),
        "warn_no_evidence": can_change and not evidence_files,
        "confirm_no_evidence": can_change
        and not evidence_files
        and request.GET.get(NO_EVIDENCE) == "1",
        "without_evidence": WITHOUT_EVIDENCE,
        "archived": a.evidence.exclude(archived_at=None).select_related("archived_by"),
        "evidence_form": EvidenceForm(),
        "review_form": ReviewForm(initial={"version": a.version}),
        "actions": actions,
        "review_heading": actions != ["withdraw"],
        "can_change": can_change,
        "transitions": a.transitions.select_related("actor"),
        "separation": services.separation_problem(request.user, a)
        if a.status == S.SUBMITTED and request.user.role == Role.UNIT_HEAD
        else "",
        "missing": services.missing_for_submission(a) if a.is_editable else [],
    }


ACTION_LABELS = {
    "submit": _("Submitted."),
    "unit_approve": _("Approved; it goes on to the office."),
    "approve": _("Approved; the figure now counts in the assessment."),
    "return": _("Returned to the unit."),
    "reopen": _("Reopened for a correction."),
    "withdraw": _("Withdrawn: it is a draft again, to correct and submit."),
}


@login_required
@require_POST
def assignment_action(request, pk, action):
    a = get_object_or_404(_assignments(request.user), pk=pk)
    if action not in services.ACTIONS:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("reporting:assignment", pk=a.pk)
    version, comment = form.cleaned_data["version"], form.cleaned_data["comment"]
    kwargs = {"reason": comment} if action in ("return", "reopen") else {"comment": comment}
    if action == "submit":
        kwargs = {"comment": comment}
    try:
        services.ACTIONS[action](request.user, a, expected_version=version, **kwargs)
    except StaleVersion as exc:
        return conflict_page(request, str(exc), reverse("reporting:assignment", args=[a.pk]))
    except (services.ReportingError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, str(ACTION_LABELS[action]))
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("reporting:assignment", pk=a.pk)


@login_required
def review_queue(request):
    """What waits for this user's review: a unit head's submissions, the office's approvals."""
    user = request.user
    qs = _assignments(user, "view")
    if user.is_office:
        qs = qs.filter(
            Q(status=S.UNIT_APPROVED) | Q(status=S.SUBMITTED, org_unit__in=_units_without_head())
        )
    elif user.role == Role.UNIT_HEAD:
        qs = _assignments(user, "unit_review").filter(status=S.SUBMITTED)
    else:
        raise PermissionDenied
    qs, filters = _filtered(request, qs)
    # whether evidence backs each submission: 佐证质量 is part of the unit's score
    qs = qs.annotate(
        evidence_count=Count("evidence", filter=Q(evidence__archived_at=None))
    ).order_by("submitted_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/review.html",
        {
            "page": page,
            "filters": filters,
            "approve_action": "approve" if user.is_office else "unit_approve",
        },
    )


def _units_without_head():
    from ducha.accounts.models import User

    with_head = User.objects.filter(role=Role.UNIT_HEAD, is_active=True).values("org_unit")
    return OrgUnit.objects.exclude(pk__in=with_head)


@login_required
@require_POST
@csrf_exempt
def evidence_upload(request, pk):
    # The size limit must be installed before the body is read, hence csrf_exempt here and
    # csrf_protect on the view that reads it.
    limit_uploads(request, evidence.max_bytes())
    return _evidence_upload(request, pk)


@csrf_protect
def _evidence_upload(request, pk):
    a = get_object_or_404(_assignments(request.user), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if request.upload_too_large:
        messages.error(
            request,
            _("The file is too large: at most %(limit)d MB can be attached.")
            % {"limit": evidence.max_bytes() // (1024 * 1024)},
        )
    elif not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            ev = services.add_evidence(
                request.user,
                a,
                form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except (services.ReportingError, PermissionDenied) as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("%s attached.") % ev.original_name)
    return redirect(reverse("reporting:assignment", args=[a.pk]) + "#evidence")


@login_required
def evidence_download(request, pk):
    ev = get_object_or_404(Evidence.objects.for_user(request.user, "view"), pk=pk)
    response = FileResponse(
        ev.file.open("rb"),
        as_attachment=True,
        filename=ev.original_name,
        content_type=ev.content_type,
    )
    return response


@login_required
@require_POST
def evidence_archive(request, pk):
    ev = get_object_or_404(Evidence.objects.for_user(request.user, "view"), pk=pk)
    try:
        services.archive_evidence(request.user, ev, reason=request.POST.get("reason", ""))
    except (services.ReportingError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, _("%s removed (kept in the archive).") % ev.original_name)
    return redirect(reverse("reporting:assignment", args=[ev.assignment_id]) + "#evidence")
