"""The history of any object, and the audit log: read-only pages over `AuditEntry`.

Any app links an object's history with `{% load audit %}{% history_link obj %}`. The page is
shown to whoever may read the audit log (the office, leaders) and may view the object itself.
"""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ducha.audit.models import AuditEntry
from ducha.core.policies import allows, policy_for, require

PAGE_SIZE = 50


def _object_or_404(app_label: str, model_name: str, pk: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    obj = model._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    if obj is None:
        raise Http404
    return model, obj


@login_required
def history(request, app_label, model_name, pk):
    require(request.user, "view", AuditEntry)
    model, obj = _object_or_404(app_label, model_name, pk)
    try:
        policy_for(model)
    except LookupError:
        if not request.user.sees_everything:
            raise PermissionDenied from None
    else:
        if not allows(request.user, "view", obj):
            raise PermissionDenied
    entries = (
        AuditEntry.objects.for_user(request.user, "view")
        .filter(content_type=ContentType.objects.get_for_model(model), object_id=str(obj.pk))
        .select_related("actor")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/history.html",
        {"obj": obj, "model": model._meta.verbose_name, "page": page},
    )


@login_required
def log(request):
    require(request.user, "view", AuditEntry)
    entries = AuditEntry.objects.for_user(request.user, "view").select_related(
        "actor", "content_type"
    )
    action = request.GET.get("action", "").strip()[:80]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action})
