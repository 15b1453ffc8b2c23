from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ducha.plans.models import Plan


@login_required
def home(request):
    """Straight to the default plan when the user may see it, else the list of plans."""
    plans = Plan.objects.for_user(request.user, "view")
    default = plans.filter(code=settings.DUCHA_DEFAULT_PLAN).first()
    if default is None and plans.count() == 1:
        default = plans.first()
    if default is not None:
        return redirect("plans:detail", code=default.code)
    return render(request, "plans/plan_list.html", {"plans": plans})
