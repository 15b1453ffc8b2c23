"""The public portal (no sign-in) and the office's page to write and publish bulletins."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER
from ducha.assessments.services import choose_as_of
from ducha.core.conflicts import StaleVersion, conflict_page
from ducha.core.params import get_id
from ducha.core.policies import allows, require
from ducha.jobs.services import result_file
from ducha.plans.models import Plan
from ducha.portal import drafting, export, selectors, services
from ducha.portal import jobs as bulletin_jobs
from ducha.portal.models import Bulletin, PlanPublication, PlanSnapshot
from ducha.reporting.models import Round

PAGE_SIZE = 20


def public_index(request):
    bulletins = Bulletin.objects.for_user(request.user, "view").filter(
        published=True, archived_at=None
    )
    page = Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page"))
    publications = (
        PlanPublication.objects.for_user(request.user, "view")
        .filter(published=True)
        .select_related("plan")
    )
    # each plan with the progress last published (its as-of date), or None
    latest = {}
    for snap in PlanSnapshot.objects.for_user(request.user, "view").filter(
        plan__in=[p.plan_id for p in publications]
    ):
        latest.setdefault(snap.plan_id, snap)  # newest first
    plans = [(p, latest.get(p.plan_id)) for p in publications]
    return render(request, "portal/index.html", {"page": page, "plans": plans})


def public_bulletin(request, pk):
    b = get_object_or_404(
        Bulletin.objects.for_user(request.user, "view").filter(published=True, archived_at=None),
        pk=pk,
    )
    return render(request, "portal/bulletin.html", {"b": b, "blocks": _blocks(b)})


def _blocks(b: Bulletin):
    return drafting.blocks(b.body, b.tables or [])


WEB_FORMATS = ("docx", "pdf")


def _download(request, b: Bulletin, fmt: str):
    """The file of this version of the bulletin; while it is being rendered, a page that
    waits for it (refreshing itself, no script) and then offers it."""
    if fmt not in WEB_FORMATS:
        raise Http404
    job = bulletin_jobs.rendering(request.user, b, fmt)
    path = result_file(job)
    if path is not None and "wait" not in request.GET:
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=export.filename(b, fmt),
            content_type=export.FORMATS[fmt],
        )
    if job.finished and path is None:
        message = job.result.get("message") or _("The file could not be made.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    return render(
        request,
        "portal/preparing.html",
        {"b": b, "job": job, "ready": path is not None, "format": fmt, "url": request.path},
    )


def public_download(request, pk, fmt):
    """Word or PDF of a published bulletin, for anyone."""
    b = get_object_or_404(
        Bulletin.objects.for_user(request.user, "view").filter(published=True, archived_at=None),
        pk=pk,
    )
    return _download(request, b, fmt)


@login_required
def manage_download(request, pk, fmt):
    """Word or PDF of any bulletin the user may read (the office and leaders: drafts too)."""
    b = get_object_or_404(Bulletin.objects.for_user(request.user, "view"), pk=pk)
    return _download(request, b, fmt)


def public_plan(request, code):
    """The plan's progress as the office last published it (frozen then), or a page saying
    nothing has been published yet."""
    plan = get_object_or_404(Plan.objects.exclude(state="draft"), code=code)
    published = (
        PlanPublication.objects.for_user(request.user, "view")
        .filter(published=True, plan=plan)
        .exists()
    )
    latest = (
        PlanSnapshot.objects.for_user(request.user, "view").filter(plan=plan).first()
        if published
        else None
    )
    if latest is None:
        return render(request, "portal/plan_unpublished.html", {"code": plan.code})
    data = latest.data
    counts = data["counts"]
    legend = [(s, STATUS_LABELS[s], counts[str(s)]) for s in STATUS_ORDER if counts.get(str(s))]
    return render(
        request,
        "portal/plan.html",
        {
            "snapshot": latest,
            "data": data,
            "legend": legend,
            # as of the published date: a plan past its period reads 已结束
            "state_label": plan.state_label(dt.date.fromisoformat(data["as_of"])),
        },
    )


@login_required
def manage(request):
    require(request.user, "change", Bulletin)
    edit = None
    edit_id = get_id(request, "edit")
    if edit_id is not None:
        edit = get_object_or_404(Bulletin.objects.for_user(request.user, "change"), pk=edit_id)
    plans = Plan.objects.for_user(request.user, "view")
    error, status = "", 200
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
            error, status = str(exc), 409 if isinstance(exc, StaleVersion) else 200
        else:
            messages.success(request, _("Saved: %s") % b)
            return redirect("portal:manage")
    bulletins = Bulletin.objects.for_user(request.user, "change").select_related("round")
    pubs = {p.plan_id: p for p in PlanPublication.objects.all()}
    latest = {}
    for snap in PlanSnapshot.objects.order_by("published_at", "pk"):
        latest[snap.plan_id] = snap  # the last one wins
    rounds = list(
        Round.objects.for_user(request.user, "view")
        .select_related("plan")
        .order_by("plan__code", "-period_end")
    )
    default_plan = plans.filter(code=settings.DUCHA_DEFAULT_PLAN).first() or plans.first()
    suggested = selectors.default_round(default_plan) if default_plan else None
    return render(
        request,
        "portal/manage.html",
        {
            "bulletins": Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page")),
            "edit": edit,
            "plans": [(p, pubs.get(p.pk)) for p in plans],
            "snapshots": latest,
            # the date publishing proposes: the plan's default "as of" (choose_as_of)
            "default_dates": {p.pk: choose_as_of(p).date for p in plans},
            "error": error,
            "posted": request.POST if error else None,
            "rounds": rounds,
            "suggested": suggested,
        },
        status=status,
    )


@login_required
@require_POST
def bulletin_draft(request):
    """从数据生成通报草稿: a draft from a round's data, opened for editing."""
    require(request.user, "add", Bulletin)
    rnd = Round.objects.for_user(request.user, "view").filter(pk=_int(request.POST.get("round")))
    rnd = rnd.select_related("plan").first()
    if rnd is None:
        messages.error(request, _("Choose a reporting round."))
        return redirect("portal:manage")
    as_of = None
    if request.POST.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.POST["as_of"])
        except ValueError:
            messages.error(
                request, _("as of: %s is not a date (YYYY-MM-DD).") % request.POST["as_of"]
            )
            return redirect("portal:manage")
    try:
        b = services.draft_bulletin(request.user, rnd, as_of=as_of)
    except services.PortalError as exc:
        messages.error(request, str(exc))
        return redirect("portal:manage")
    messages.success(
        request, _("Drafted from the data: %s. Check and edit it before publishing.") % b
    )
    return redirect("portal:bulletin_edit", pk=b.pk)


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


@login_required
def bulletin_edit(request, pk):
    """The office edits a bulletin's text, downloads it, and publishes or archives it."""
    require(request.user, "change", Bulletin)
    b = get_object_or_404(Bulletin.objects.for_user(request.user, "change"), pk=pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            b = services.save_bulletin(
                request.user,
                b,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                plan=b.plan,
                expected_version=int(request.POST.get("version", "")),
            )
        except (services.PortalError, ValueError) as exc:
            error, status = str(exc), 409 if isinstance(exc, StaleVersion) else 200
        else:
            messages.success(request, _("Saved: %s") % b)
            stray = drafting.unknown_markers(b.body, b.tables or [])
            if stray:
                messages.warning(
                    request,
                    _("%s has no table behind it and will print as plain text.") % "、".join(stray),
                )
            return redirect("portal:bulletin_edit", pk=b.pk)
    return render(
        request,
        "portal/edit.html",
        {
            "b": b,
            "error": error,
            "posted": request.POST if error else None,
            "tables": [(i, t) for i, t in enumerate(b.tables or [], start=1)],
            "blocks": _blocks(b),
        },
        status=status,
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
    back = "portal:bulletin_edit" if request.POST.get("back") == "edit" else "portal:manage"
    try:
        services.set_bulletin_state(
            request.user, b, **states[what], expected_version=_version(request.POST.get("version"))
        )
    except StaleVersion as exc:
        url = reverse(back, args=[b.pk]) if back == "portal:bulletin_edit" else reverse(back)
        return conflict_page(request, str(exc), url)
    except services.PortalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved: %s") % b)
    if back == "portal:bulletin_edit":
        return redirect(back, pk=b.pk)
    return redirect(back)


def _version(raw) -> int | None:
    """The version a form read; a page of an older release without one is not checked."""
    return int(raw) if str(raw or "").isdigit() else None


@login_required
@require_POST
def plan_publish(request, pk):
    """发布当前进展 (a new frozen snapshot as of the date asked, default the plan's default
    date) or 撤下 (published=0)."""
    plan = get_object_or_404(Plan.objects.for_user(request.user, "view"), pk=pk)
    if not allows(request.user, "change", PlanPublication):
        raise Http404
    publish = request.POST.get("published") == "1"
    as_of = None
    if publish and request.POST.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.POST["as_of"])
        except ValueError:
            messages.error(
                request, _("as of: %s is not a date (YYYY-MM-DD).") % request.POST["as_of"][:20]
            )
            return redirect("portal:manage")
    services.publish_plan(request.user, plan, publish, as_of=as_of)
    if publish:
        messages.success(
            request,
            _("Published: the public now sees %(plan)s as of %(day)s.")
            % {"plan": plan, "day": plan.snapshots.first().as_of.isoformat()},
        )
    else:
        messages.success(request, _("Withdrawn: the public no longer sees %s.") % plan)
    return redirect("portal:manage")
