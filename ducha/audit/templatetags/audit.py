"""`{% history_link obj %}`: a link to the object's history, for those who may read it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ducha.audit.models import AuditEntry
from ducha.core.policies import allows

register = template.Library()


@register.simple_tag(takes_context=True)
def history_link(context, obj, label=None):
    user = context.get("user")
    if obj is None or user is None or not allows(user, "view", AuditEntry):
        return ""
    url = reverse("audit:history", args=[obj._meta.app_label, obj._meta.model_name, str(obj.pk)])
    return format_html(
        '<a class="history-link noprint" href="{}">{}</a>', url, label or _("History")
    )


def _show(value) -> str:
    return "–" if value is None or value == "" else str(value)


@register.filter
def audit_change(change) -> str:
    """[before, after] as "before → after"; a snapshot value as itself."""
    if isinstance(change, list) and len(change) == 2:
        return f"{_show(change[0])} → {_show(change[1])}"
    return _show(change)


@register.filter
def audit_action(entry) -> str:
    """The entry's action in words ("填报任务 · 审核通过"); the code stays in the title."""
    from ducha.audit.labels import action_label

    return action_label(entry)


@register.filter
def audit_changes(entry) -> list[dict]:
    from ducha.audit.labels import change_rows

    return change_rows(entry)


@register.filter
def audit_actor(entry) -> str:
    """Who: the account, or for a security event nobody signed in, else the command line."""
    if entry.actor_id:
        return str(entry.actor)
    if entry.action.startswith("security."):
        return _("not signed in")
    return _("command line")
