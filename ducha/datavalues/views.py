"""Importing values from a file, and the template to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ducha.core.policies import require
from ducha.datavalues import services
from ducha.datavalues.forms import ImportForm
from ducha.datavalues.importer import ImportError_, check_rows, read_table
from ducha.datavalues.models import DataValue
from ducha.datavalues.services import WorkflowError
from ducha.datavalues.workbook import build_csv, build_xlsx
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
            try:
                table = read_table(upload.name, upload.read())
                rows = check_rows(form.cleaned_data["plan"], table, user=request.user)
                report = services.import_values(
                    request.user,
                    rows,
                    status=form.cleaned_data["status"],
                    source_name=upload.name,
                )
            except ImportError_ as exc:
                problems = [str(p) for p in exc.problems]
            except (WorkflowError, PermissionDenied) as exc:
                problems = [str(exc)]
            else:
                if not request.user.is_office:
                    # A unit's import filled its assignments: show them, where they are now.
                    messages.success(
                        request,
                        _(
                            "%(file)s: %(filled)d assignments filled in, %(submitted)d of them "
                            "submitted for review; %(unchanged)d unchanged."
                        )
                        % {
                            "file": upload.name,
                            "filled": report.updated,
                            "submitted": report.submitted,
                            "unchanged": report.unchanged,
                        },
                    )
                    return redirect("reporting:assignments")
                messages.success(
                    request,
                    _("%(file)s: %(created)d new and %(updated)d changed values imported.")
                    % {"file": upload.name, "created": report.created, "updated": report.updated},
                )
                return redirect("plans:detail", code=form.cleaned_data["plan"].code)
    else:
        form = ImportForm(user=request.user)
    return render(
        request,
        "datavalues/import.html",
        {"form": form, "problems": problems, "plans": form.fields["plan"].queryset},
    )


@login_required
def template_download(request):
    """The fill-in template of a plan: XLSX with drop-down lists, or CSV (?format=csv)."""
    require(request.user, "add", DataValue)
    plans = Plan.objects.for_user(request.user, "view")
    code = request.GET.get("plan", "")
    plan = get_object_or_404(plans, code=code) if code else plans.first()
    if plan is None:
        raise Http404
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
