from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from ducha.accounts.models import Role
from ducha.plans.models import Plan


@login_required
def home(request):
    """Where each role starts: a reporter on its reporting assignments, a unit head on its
    review queue, leaders and the office on the default plan's cockpit; anyone else on the
    default plan (its unit's scorecard, where the user has a unit), else the list of plans."""
    user = request.user
    if user.role == Role.REPORTER:
        return redirect("reporting:index")
    if user.role == Role.UNIT_HEAD:
        return redirect("reporting:review")
    plans = Plan.objects.for_user(user, "view")
    default = plans.filter(code=settings.DUCHA_DEFAULT_PLAN).first()
    if default is None and plans.count() == 1:
        default = plans.first()
    if default is not None:
        if user.sees_everything:
            return redirect("dashboards:cockpit", plan=default.code)
        if user.org_unit_id:
            return redirect("dashboards:unit", plan=default.code, unit=user.org_unit.code)
        return redirect("plans:detail", code=default.code)
    return render(request, "plans/plan_list.html", {"plans": plans})


def healthz(request):
    """Monitoring: database, migrations, the job queue and disk space, as JSON (200 or 503)."""
    from ducha.core.health import report

    result = report()
    response = JsonResponse(result, status=200 if result["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


def favicon(request):
    """/favicon.ico, which browsers and bookmarks ask for whatever the page says: the shipped
    icon, cached for a day (pages link the SVG one)."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.http import FileResponse, Http404

    path = finders.find("ducha/favicon.ico")
    if path is None:
        try:
            path = staticfiles_storage.path("ducha/favicon.ico")
        except (NotImplementedError, FileNotFoundError):
            raise Http404 from None
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115 (FileResponse closes it)
    response["Cache-Control"] = "public, max-age=86400"
    return response
