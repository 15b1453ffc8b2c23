"""Importing values from a file, and the template to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ducha.core.policies import require
from ducha.datavalues import jobs as value_jobs
from ducha.datavalues import services
from ducha.datavalues.forms import ImportForm
from ducha.datavalues.importer import ImportError_, check_rows, read_table
from ducha.datavalues.models import DataValue
from ducha.datavalues.services import WorkflowError
from ducha.datavalues.workbook import build_csv, build_xlsx, export_csv, export_xlsx
from ducha.jobs import services as jobs
from ducha.jobs import sizing
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def import_values_view(request):
    require(request.user, "add", DataValue)
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            if sizing.in_background(upload.name, data):
                job = jobs.start_import(
                    request.user,
                    value_jobs.import_values,
                    kind="import_values",
                    title=_("Import values from %s") % upload.name,
                    name=upload.name,
                    data=data,
                    plan=form.cleaned_data["plan"].pk,
                    status=form.cleaned_data["status"],
                    default_source=form.cleaned_data["default_source"],
                )
                return redirect("jobs:detail", pk=job.pk)
            try:
                table = read_table(upload.name, data)
                rows = check_rows(form.cleaned_data["plan"], table, user=request.user)
                report = services.import_values(
                    request.user,
                    rows,
                    status=form.cleaned_data["status"],
                    source_name=upload.name,
                    default_source=form.cleaned_data["default_source"],
                )
            except ImportError_ as exc:
                problems = [str(p) for p in exc.problems]
            except (WorkflowError, PermissionDenied) as exc:
                problems = [str(exc)]
            else:
                text, _link = value_jobs.import_summary(request.user, report, upload.name)
                messages.success(request, text)
                if not request.user.is_office:
                    return redirect("reporting:assignments")
                return redirect("plans:detail", code=form.cleaned_data["plan"].code)
    else:
        form = ImportForm(user=request.user)
    return render(
        request,
        "datavalues/import.html",
        {"form": form, "problems": problems, "plans": form.fields["plan"].queryset},
    )


def _plan_asked(request) -> Plan:
    """?plan=CODE among the plans the user sees, else the first of them."""
    plans = Plan.objects.for_user(request.user, "view")
    code = request.GET.get("plan", "")
    plan = get_object_or_404(plans, code=code) if code else plans.first()
    if plan is None:
        raise Http404
    return plan


@login_required
def template_download(request):
    """The fill-in template of a plan: XLSX with drop-down lists, or CSV (?format=csv)."""
    require(request.user, "add", DataValue)
    plan = _plan_asked(request)
    units = (
        None
        if request.user.sees_everything
        else list(OrgUnit.objects.filter(pk=request.user.org_unit_id))
    )
    if request.GET.get("format") == "csv":
        data, kind, suffix = build_csv(plan, units), "text/csv; charset=utf-8", "csv"
    else:
        data, kind, suffix = build_xlsx(plan, units), XLSX_TYPE, "xlsx"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-values-template.{suffix}"'
    return response


EXPORT_MAX = 200_000


@login_required
def export_values(request):
    """The values of a plan the user may see, with their sources: XLSX, or CSV (?format=csv).
    The columns are the template's, so an export can be corrected and imported again."""
    plan = _plan_asked(request)
    values = (
        DataValue.objects.for_user(request.user, "view")
        .filter(indicator__plan=plan)
        .select_related("indicator", "org_unit")
        .order_by("indicator__position", "period_end", "org_unit__position", "org_unit__code")
    )[:EXPORT_MAX]
    if request.GET.get("format") == "csv":
        data, kind, suffix = export_csv(values), "text/csv; charset=utf-8", "csv"
    else:
        data, kind, suffix = export_xlsx(values), XLSX_TYPE, "xlsx"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-values.{suffix}"'
    return response
