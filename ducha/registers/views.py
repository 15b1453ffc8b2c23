"""The register pages, the same for every register: index, list (filters, search,
pagination), detail, import, export, template; and the pages of computed indicators (values
with a drill-down to the records behind each), the office's checks and its recompute button."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ducha.audit.services import history
from ducha.core.policies import allows
from ducha.core.tables import ImportError_
from ducha.engine.idnumber import mask
from ducha.jobs import services as jobs
from ducha.jobs import sizing
from ducha.registers import base, checks, drilldown
from ducha.registers import jobs as register_jobs
from ducha.registers.services import archive_record, import_register
from ducha.registers.workbook import XLSX, build_template, export_csv, export_xlsx

PAGE_SIZE = 50


def _register(key: str) -> base.Register:
    try:
        return base.get(key)
    except KeyError:
        raise Http404 from None


def may_see_personal(user, register: base.Register) -> bool:
    return bool(register.personal_fields) and allows(user, "view_personal", register.model)


def filtered(request, register: base.Register):
    """The records the user may see, narrowed by the GET filters and search."""
    qs = register.base_queryset(request.user)
    active = []
    for f in register.filters:
        value = request.GET.get(f.param, "").strip()
        qs, applied = f.apply(qs, value)
        if applied:
            active.append(f.param)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(register.search(q))
    return qs.order_by(*register.ordering), active, q


@login_required
def index(request):
    cards = []
    for register in base.CATALOGUE.values():
        if not allows(request.user, "view", register.model):
            continue
        cards.append(
            {
                "register": register,
                "count": register.model.objects.for_user(request.user, "view").count(),
                "url": reverse(f"{register.namespace}:list"),
            }
        )
    from ducha.plans.models import Indicator, PlanState

    indicators = (
        Indicator.objects.for_user(request.user, "view")
        .filter(source="computed")
        .exclude(plan__state=PlanState.ARCHIVED)
        .select_related("plan")
        .order_by("plan_id", "position")
    )
    return render(
        request,
        "registers/index.html",
        {
            "cards": cards,
            "indicators": indicators,
            "is_office": request.user.is_office,
        },
    )


@login_required
def record_list(request, key):
    register = _register(key)
    if not allows(request.user, "view", register.model):
        raise PermissionDenied
    qs, active, q = filtered(request, register)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    personal = may_see_personal(request.user, register)
    rows = []
    for obj in page.object_list:
        cells = []
        for column in register.list_columns:
            value = column.value(obj)
            if column.personal and not personal:
                value = mask(str(value or ""))
            cells.append((column, value))
        rows.append((obj, cells))
    params = request.GET.copy()
    params.pop("page", None)
    filters = [(f, f.options(), request.GET.get(f.param, "")) for f in register.filters]
    return render(
        request,
        "registers/list.html",
        {
            "register": register,
            "page": page,
            "rows": rows,
            "filters": filters,
            "q": q,
            "active": active,
            "query": params.urlencode(),
            "ns": register.namespace,
            "can_import": allows(request.user, "add", register.model),
            "personal": personal,
        },
    )


@login_required
def record_detail(request, key, pk):
    register = _register(key)
    obj = get_object_or_404(register.base_queryset(request.user), pk=pk)
    return render(
        request,
        register.detail_template or "registers/detail.html",
        {
            "register": register,
            "obj": obj,
            "ns": register.namespace,
            "personal": may_see_personal(request.user, register),
            "can_change": allows(request.user, "change", obj),
            "admin_url": _admin_url(request.user, obj),
            "can_archive": register.archives and allows(request.user, "delete", obj),
            "history": history(obj)[:20] if request.user.is_office else [],
            **register.detail_context(obj, request.user),
        },
    )


def _admin_url(user, obj) -> str:
    """Where the office edits or archives the record (the admin), if this user may."""
    if not (user.is_staff and allows(user, "change", obj)):
        return ""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (XLSX or CSV)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Check only, write nothing"), required=False)


@login_required
def import_view(request, key):
    register = _register(key)
    if not allows(request.user, "add", register.model):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            if sizing.in_background(upload.name, data):
                job = jobs.start_import(
                    request.user,
                    register_jobs.import_register,
                    kind="import_register",
                    title=_("Import %(register)s from %(file)s")
                    % {"register": register.label, "file": upload.name},
                    name=upload.name,
                    data=data,
                    register=register.key,
                    dry_run=form.cleaned_data["dry_run"],
                )
                return redirect("jobs:detail", pk=job.pk)
            try:
                report = import_register(
                    request.user,
                    register,
                    upload.name,
                    data,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportError_ as exc:
                problems = [str(p) for p in exc.problems]
            else:
                text = register_jobs.import_summary(report, upload.name)
                if report.dry_run:
                    messages.info(request, text)
                    return redirect(f"{register.namespace}:import")
                messages.success(request, text)
                return redirect(f"{register.namespace}:list")
    else:
        form = UploadForm()
    return render(
        request,
        "registers/import.html",
        {"register": register, "form": form, "problems": problems, "ns": register.namespace},
    )


EXPORT_FORMATS = {"csv", "xlsx"}


@login_required
def export_view(request, key, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    register = _register(key)
    if not allows(request.user, "view", register.model):
        raise PermissionDenied
    qs, _active, _q = filtered(request, register)
    personal = request.GET.get("personal") == "1" and may_see_personal(request.user, register)
    if fmt == "csv":
        data, content_type = export_csv(register, qs, personal=personal), "text/csv"
    else:
        data, content_type = export_xlsx(register, qs, personal=personal), XLSX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{register.key}.{fmt}"'
    return response


@login_required
def template_view(request, key):
    register = _register(key)
    if not allows(request.user, "view", register.model):
        raise PermissionDenied
    response = HttpResponse(build_template(register), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{register.key}-template.xlsx"'
    return response


# --- computed indicators ---------------------------------------------------------------------


def _computed_indicator(request, plan_code, code):
    from ducha.plans.models import Indicator

    ind = (
        Indicator.objects.for_user(request.user, "view")
        .select_related("plan", "lead_unit")
        .filter(plan__code=plan_code, code=code, source="computed")
        .first()
    )
    if ind is None:
        raise Http404
    return ind


@login_required
def computed_view(request, plan, indicator):
    ind = _computed_indicator(request, plan, indicator)
    table = drilldown.value_table(ind, request.user)
    return render(
        request,
        "registers/computed.html",
        {"ind": ind, "table": table, "explanation": drilldown.explain(ind)},
    )


@login_required
def drilldown_view(request, plan, indicator, period, unit):
    ind = _computed_indicator(request, plan, indicator)
    try:
        result = drilldown.records_behind(ind, period, unit, request.user)
    except drilldown.NotFound:
        raise Http404 from None
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registers/drilldown.html",
        {"ind": ind, "result": result, "page": page, "explanation": drilldown.explain(ind)},
    )


@login_required
def checks_view(request):
    if not request.user.is_office:
        raise PermissionDenied
    return render(request, "registers/checks.html", {"report": checks.run_checks()})


@login_required
@require_POST
def archive_view(request, key, pk):
    """归档 from the record's own page: the record leaves the register (and every computed
    indicator); the admin's list, filtered on archived records, restores it."""
    register = _register(key)
    if not register.archives:
        raise Http404
    obj = get_object_or_404(register.model.objects.for_user(request.user, "view"), pk=pk)
    archive_record(request.user, obj, reason=request.POST.get("reason", "").strip())
    messages.success(
        request,
        _("%s is archived: it no longer counts anywhere. The admin's list restores it.") % obj,
    )
    return redirect(f"{register.namespace}:list")


@login_required
@require_POST
def recompute_view(request):
    if not request.user.is_office:
        raise PermissionDenied
    job = jobs.start(
        request.user,
        register_jobs.recompute,
        kind="recompute",
        title=_("Recompute the indicators counted from the registers"),
    )
    return redirect("jobs:detail", pk=job.pk)
