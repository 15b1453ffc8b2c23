from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ducha.plans.models import Plan


@login_required
def home(request):
    """Straight to the default plan's cockpit (leaders, office) or the unit's scorecard (units)
    when the user may see the plan, else the list of plans."""
    plans = Plan.objects.for_user(request.user, "view")
    default = plans.filter(code=settings.DUCHA_DEFAULT_PLAN).first()
    if default is None and plans.count() == 1:
        default = plans.first()
    if default is not None:
        # Leaders and the office start on the cockpit, a unit on its own scorecard.
        if request.user.sees_everything:
            return redirect("dashboards:cockpit", plan=default.code)
        if request.user.org_unit_id:
            return redirect("dashboards:unit", plan=default.code, unit=request.user.org_unit.code)
        return redirect("plans:detail", code=default.code)
    return render(request, "plans/plan_list.html", {"plans": plans})
