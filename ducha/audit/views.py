"""The history of any object, and the audit log: read-only pages over `AuditEntry`.

Any app links an object's history with `{% load audit %}{% history_link obj %}`. The page is
shown to whoever may read the audit log (the office, leaders) and may view the object itself.
"""

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ducha.audit.labels import SECURITY_EVENTS
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


DATE = forms.DateInput(attrs={"type": "date"})


class SecurityFilter(forms.Form):
    """The security log's filters; every one bounded (a bad value is ignored, not a 500)."""

    event = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("All events"))] + [(k, v) for k, v in SECURITY_EVENTS.items()],
    )
    username = forms.CharField(label=_("Account"), required=False, max_length=150)
    ip = forms.CharField(label=_("Address"), required=False, max_length=45)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)


@login_required
def security(request):
    """Refused sign-ins, lockouts and refused writes, newest first: the office's alone."""
    require(request.user, "security", AuditEntry)
    entries = AuditEntry.objects.for_user(request.user, "security").select_related("actor")
    form = SecurityFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    if chosen.get("event"):
        entries = entries.filter(action=chosen["event"])
    if chosen.get("username"):
        entries = entries.filter(changes__username__icontains=chosen["username"])
    if chosen.get("ip"):
        entries = entries.filter(changes__ip__startswith=chosen["ip"])
    if chosen.get("since"):
        entries = entries.filter(created_at__date__gte=chosen["since"])
    if chosen.get("until"):
        entries = entries.filter(created_at__date__lte=chosen["until"])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/security.html", {"page": page, "form": form})
