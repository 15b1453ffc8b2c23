"""The project page's own action: recording the next step of the workflow."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.projects import services
from ducha.projects.models import Project, Stage
from ducha.registers.services import recompute


@login_required
@require_POST
def advance_view(request, pk):
    project = get_object_or_404(Project.objects.for_user(request.user, "view"), pk=pk)
    stage = request.POST.get("stage", "")
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        messages.error(request, _("Give the date of the step."))
        return redirect("projects:detail", pk=pk)
    if stage not in Stage.values:
        messages.error(request, _("Choose the next stage."))
        return redirect("projects:detail", pk=pk)
    try:
        services.advance(request.user, project, stage, on)
    except PermissionDenied:
        raise
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        recompute(None, sources={"projects"})
        messages.success(request, _("The project is now %s.") % project.get_stage_display())
    return redirect("projects:detail", pk=pk)
