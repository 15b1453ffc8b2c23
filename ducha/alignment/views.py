"""Alignment pages: the office's review of suggested links, and the city overview of every
plan side by side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.alignment import selectors, services
from ducha.alignment.models import Alignment, LinkState, Relation
from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.core.policies import allows
from ducha.plans.models import Indicator, Plan


@login_required
def review(request):
    """Every link, suggestions first: the office decides them here, leaders read."""
    if not request.user.sees_everything:
        raise PermissionDenied
    links = Alignment.objects.for_user(request.user, "view").select_related(
        "source__plan", "target__plan", "decided_by"
    )
    plans = Plan.objects.for_user(request.user, "view").order_by("-period_start", "code")
    code = request.GET.get("plan", "")
    plan = plans.filter(code=code).first() if code else None
    if plan is not None:
        links = links.filter(Q(source__plan=plan) | Q(target__plan=plan))
    state = request.GET.get("state", "")
    if state in LinkState.values:
        links = links.filter(state=state)
    order = {LinkState.PROPOSED: 0, LinkState.CONFIRMED: 1, LinkState.REJECTED: 2}
    rows = sorted(
        links, key=lambda a: (order[a.state], a.source.plan.code, a.source.position, -a.score)
    )
    for link in rows:
        link.reason_texts = [reason_text(r) for r in link.reasons]
    can_change = allows(request.user, "change", Alignment)
    targets = []
    if can_change:  # the office may add a link the platform did not suggest
        by_plan: dict[int, list] = {}
        for ind in Indicator.objects.for_user(request.user, "view").order_by("position"):
            by_plan.setdefault(ind.plan_id, []).append(ind)
        targets = [(p, by_plan[p.pk]) for p in plans if p.pk in by_plan]
    return render(
        request,
        "alignment/review.html",
        {
            "links": rows,
            "plans": plans,
            "plan": plan,
            "state": state if state in LinkState.values else "",
            "states": LinkState.choices,
            "relations": Relation.choices,
            "can_change": can_change,
            "targets": targets,
        },
    )


REASON_LABELS = {
    "unit_category": gettext_lazy("same kind of quantity"),
    "region": gettext_lazy("the regions fit"),
    "same_unit": gettext_lazy("same unit"),
    "same_computation": gettext_lazy("counted from the same register"),
}


def reason_text(code: str) -> str:
    """A suggestion's reason as the review screen says it ("名称相似度 0.50")."""
    if code.startswith("name:"):
        return _("names alike %s") % code[5:]
    return str(REASON_LABELS.get(code, code))


@login_required
@require_POST
def decide(request, pk):
    link = get_object_or_404(Alignment.objects.for_user(request.user, "view"), pk=pk)
    if not allows(request.user, "change", link):
        raise PermissionDenied
    action = request.POST.get("action", "")
    state = {"confirm": LinkState.CONFIRMED, "reject": LinkState.REJECTED}.get(action)
    relation = request.POST.get("relation") or None
    if relation is not None and relation not in Relation.values:
        messages.error(request, _("Choose a relation from the list."))
        return _back(request)
    try:
        changes = services.decide(
            link, request.user, state=state, relation=relation, note=request.POST.get("note")
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        if changes:
            messages.success(request, _("The link is saved."))
    return _back(request)


@login_required
@require_POST
def add(request):
    """A link the office adds itself: confirmed at once (services.add_link)."""
    if not allows(request.user, "change", Alignment):
        raise PermissionDenied
    visible = Indicator.objects.for_user(request.user, "view").select_related("plan")
    source = visible.filter(pk=_int(request.POST.get("source"))).first()
    target = visible.filter(pk=_int(request.POST.get("target"))).first()
    relation = request.POST.get("relation", "")
    if source is None or target is None or relation not in Relation.values:
        messages.error(request, _("Choose both targets and a relation from the lists."))
        return _back(request)
    try:
        services.add_link(source, target, relation, request.user, request.POST.get("note", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The link is saved."))
    return _back(request)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("alignment:review")


@login_required
def overview(request):
    """The city overview: every plan the user may see, side by side, each with its status,
    its targets' statuses and the coverage its targets get from the plans below it."""
    today = timezone.localdate()
    rows = []
    plans = Plan.objects.for_user(request.user, "view").select_related("region")
    for plan in plans.order_by("region__position", "-period_start", "code"):
        as_of = choose_as_of(plan, None)
        result = assess_plan(plan, as_of.date)
        counts: dict[str, int] = {}
        for r in result.indicators:
            counts[r.status] = counts.get(r.status, 0) + 1
        coverage = selectors.coverage_summary(selectors.plan_coverage(plan, request.user))
        reached = coverage["covered"] + coverage["short"] + coverage["linked"]
        rows.append(
            {
                "plan": plan,
                "state": plan.state_label(today),
                "as_of": as_of.date,
                "overall": result.overall,
                "legend": [(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER if counts.get(s)],
                "targets": len(result.indicators),
                "coverage": coverage if reached else None,
                "feeds": Alignment.objects.filter(
                    source__plan=plan, state=LinkState.CONFIRMED
                ).count(),
            }
        )
    return render(request, "alignment/overview.html", {"rows": rows})
