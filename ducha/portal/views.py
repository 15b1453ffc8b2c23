"""The public portal (no sign-in) and the office's page to write and publish bulletins."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER
from ducha.assessments.services import assess_plan
from ducha.core.policies import allows, require
from ducha.plans.models import Plan
from ducha.portal import services
from ducha.portal.models import Bulletin, PlanPublication

PAGE_SIZE = 20


def public_index(request):
    bulletins = Bulletin.objects.for_user(request.user, "view").filter(
        published=True, archived_at=None
    )
    page = Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page"))
    plans = (
        PlanPublication.objects.for_user(request.user, "view")
        .filter(published=True)
        .select_related("plan")
    )
    return render(request, "portal/index.html", {"page": page, "plans": plans})


def public_bulletin(request, pk):
    b = get_object_or_404(
        Bulletin.objects.for_user(request.user, "view").filter(published=True, archived_at=None),
        pk=pk,
    )
    return render(request, "portal/bulletin.html", {"b": b})


def public_plan(request, code):
    pub = (
        PlanPublication.objects.for_user(request.user, "view")
        .filter(published=True, plan__code=code)
        .select_related("plan")
        .first()
    )
    if pub is None:
        raise Http404
    result = assess_plan(pub.plan)
    counts = Counter(r.status for r in result.indicators)
    counts.update(r.status for r in result.milestones)
    legend = [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in STATUS_ORDER]
    return render(
        request, "portal/plan.html", {"plan": pub.plan, "result": result, "legend": legend}
    )


@login_required
def manage(request):
    require(request.user, "change", Bulletin)
    edit = None
    if request.GET.get("edit", "").isdigit():
        edit = get_object_or_404(
            Bulletin.objects.for_user(request.user, "change"), pk=request.GET["edit"]
        )
    plans = Plan.objects.for_user(request.user, "view")
    error = ""
    if request.method == "POST":
        plan = plans.filter(pk=request.POST.get("plan") or 0).first()
        try:
            b = services.save_bulletin(
                request.user,
                edit,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                plan=plan,
                expected_version=int(request.POST["version"]) if edit else None,
            )
        except (services.PortalError, ValueError, KeyError) as exc:
            error = str(exc)
        else:
            messages.success(request, _("Saved: %s") % b)
            return redirect("portal:manage")
    bulletins = Bulletin.objects.for_user(request.user, "change")
    pubs = {p.plan_id: p for p in PlanPublication.objects.all()}
    return render(
        request,
        "portal/manage.html",
        {
            "bulletins": Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page")),
            "edit": edit,
            "plans": [(p, pubs.get(p.pk)) for p in plans],
            "error": error,
            "posted": request.POST if error else None,
        },
    )


@login_required
@require_POST
def bulletin_state(request, pk):
    b = get_object_or_404(Bulletin.objects.for_user(request.user, "change"), pk=pk)
    what = request.POST.get("what")
    states = {
        "publish": {"published": True},
        "unpublish": {"published": False},
        "archive": {"archived": True},
        "restore": {"archived": False},
    }
    if what not in states:
        raise Http404
    services.set_bulletin_state(request.user, b, **states[what])
    messages.success(request, _("Saved: %s") % b)
    return redirect("portal:manage")


@login_required
@require_POST
def plan_publish(request, pk):
    plan = get_object_or_404(Plan.objects.for_user(request.user, "view"), pk=pk)
    if not allows(request.user, "change", PlanPublication):
        raise Http404
    services.publish_plan(request.user, plan, request.POST.get("published") == "1")
    return redirect("portal:manage")
