"""督办 pages: the overview (overdue, lagging, open cases, reminders), and cases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.conflicts import StaleVersion, conflict_page
from ducha.core.params import get_id
from ducha.core.policies import allows, require
from ducha.plans.models import Indicator, Milestone
from ducha.supervision import selectors, services
from ducha.supervision.forms import CaseForm, CaseMoveForm
from ducha.supervision.models import OPEN_STATES, Case, CaseKind, CaseState, Reminder

PAGE_SIZE = 50

# The 督办 list's state filter: each value lists exactly its states. "unfinished" (未办结, the
# default) is every state still in hand; each single state is its own value; "all" is None.
UNFINISHED = "unfinished"
ALL_STATES = "all"
STATE_FILTERS: dict[str, tuple[str, ...] | None] = {
    UNFINISHED: tuple(OPEN_STATES),
    ALL_STATES: None,
    **{code: (code,) for code in CaseState.values},
}


@login_required
def overview(request):
    require(request.user, "view", Case)
    overdue = selectors.overdue_by_unit(request.user)
    lagging = selectors.lagging_items(request.user) if request.user.sees_everything else []
    cases = (
        Case.objects.for_user(request.user, "view")
        .filter(state__in=OPEN_STATES)
        .select_related("org_unit")[:20]
    )
    reminders = Reminder.objects.for_user(request.user, "view").select_related(
        "assignment__org_unit", "assignment__indicator", "assignment__milestone"
    )[:20]
    open_cases = {
        (c.indicator_id, c.milestone_id)
        for c in Case.objects.filter(state__in=OPEN_STATES).only("indicator", "milestone")
    }
    return render(
        request,
        "supervision/overview.html",
        {
            "overdue": overdue,
            "lagging": lagging,
            "cases": cases,
            "reminders": reminders,
            "open_cases": open_cases,
            "can_add": allows(request.user, "add", Case),
        },
    )


@login_required
def case_list(request):
    require(request.user, "view", Case)
    qs = Case.objects.for_user(request.user, "view").select_related("org_unit")
    state = request.GET.get("state", UNFINISHED)
    if state not in STATE_FILTERS:
        state = UNFINISHED
    if STATE_FILTERS[state] is not None:
        qs = qs.filter(state__in=STATE_FILTERS[state])
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/case_list.html",
        {
            "page": page,
            "state": state,
            "kind": kind,
            "states": CaseState.choices,
            "unfinished": UNFINISHED,
            "kinds": CaseKind.choices,
            "can_add": allows(request.user, "add", Case),
        },
    )


@login_required
def case_new(request):
    require(request.user, "add", Case)
    initial = {"kind": request.GET.get("kind", CaseKind.RECTIFICATION)}
    subject = {}
    ind = get_id(request, "indicator")
    ms = get_id(request, "milestone")
    if ind is not None:
        subject["indicator"] = get_object_or_404(Indicator.objects.for_user(request.user), pk=ind)
        initial.update(
            title=_("Rectify: %s") % subject["indicator"].name,
            org_unit=subject["indicator"].lead_unit,
        )
    elif ms is not None:
        subject["milestone"] = get_object_or_404(Milestone.objects.for_user(request.user), pk=ms)
        initial.update(
            title=_("Rectify: %s") % subject["milestone"].title,
            org_unit=subject["milestone"].lead_unit,
        )
    parent = get_id(request, "parent")
    if parent is not None:
        subject["parent"] = get_object_or_404(Case.objects.for_user(request.user), pk=parent)
        initial.update(org_unit=subject["parent"].org_unit)
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(request.user, **form.cleaned_data, **subject)
        except services.SupervisionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Recorded; %s has been told.") % case.org_unit)
            return redirect("supervision:case", pk=case.pk)
    return render(request, "supervision/case_new.html", {"form": form, "subject": subject})


MOVE_LABELS = {
    CaseState.IN_PROGRESS: _("Start handling"),
    CaseState.REPORTED: _("Report it done"),
    CaseState.CLOSED: _("Confirm and close"),
    CaseState.WITHDRAWN: _("Withdraw"),
}


@login_required
def case_detail(request, pk):
    case = get_object_or_404(
        Case.objects.for_user(request.user, "view").select_related("org_unit", "parent"), pk=pk
    )
    moves = services.case_moves_for(request.user, case)
    labels = []
    for to in moves:
        label = MOVE_LABELS.get(to)
        if case.state == CaseState.REPORTED and to == CaseState.IN_PROGRESS:
            label = _("Send back: not done yet")
        labels.append((to, label))
    return render(
        request,
        "supervision/case_detail.html",
        {
            "case": case,
            "moves": labels,
            "events": case.events.select_related("actor"),
            "children": case.children.all(),
            "can_add": allows(request.user, "add", Case),
        },
    )


@login_required
@require_POST
def case_move(request, pk, to):
    case = get_object_or_404(Case.objects.for_user(request.user, "view"), pk=pk)
    form = CaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("supervision:case", pk=case.pk)
    try:
        services.move_case(
            request.user,
            case,
            to,
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except StaleVersion as exc:
        return conflict_page(request, str(exc), reverse("supervision:case", args=[case.pk]))
    except (services.SupervisionError, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, _("Saved."))
    return redirect("supervision:case", pk=case.pk)
