"""`{% app_state %}`: an application's state as icon and words; `{% node_schemes node %}`: the
award and subsidy schemes implementing a plan section, for the plan page (one query per
page, not per section)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext_lazy

from ducha.incentives.models import AppState, Scheme

register = template.Library()

ICONS = {
    "draft": "○",
    "submitted": "↑",
    "reviewed": "◐",
    "returned": "↩",
    "approved": "✓",
    "partly_paid": "◑",
    "paid": "✔",
    "rejected": "✖",
    "withdrawn": "–",
}


@register.simple_tag
def app_state(state):
    code = str(state)
    try:
        label = AppState(code).label
    except ValueError:
        label = code
    return format_html(
        '<span class="wf wf-{}"><span aria-hidden="true">{}</span> {}</span>',
        code,
        ICONS.get(code, "•"),
        label,
    )


@register.simple_tag(takes_context=True)
def node_schemes(context, node):
    """Links to the schemes of `node`; the schemes of the whole plan are read once per
    request and kept on it."""
    request = context.get("request")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    cache = getattr(request, "_incentive_schemes", None) if request is not None else None
    if cache is None or cache[0] != node.plan_id:
        by_node: dict[int, list[Scheme]] = {}
        for s in Scheme.objects.for_user(user, "view").filter(plan_node__plan_id=node.plan_id):
            by_node.setdefault(s.plan_node_id, []).append(s)
        cache = (node.plan_id, by_node)
        if request is not None:
            request._incentive_schemes = cache
    schemes = cache[1].get(node.pk)
    if not schemes:
        return ""
    links = format_html_join(
        "、",
        '<a href="{}">{}</a>',
        ((reverse("incentives:scheme", args=[s.code]), s.name) for s in schemes),
    )
    from django.utils.translation import gettext as _

    return format_html('<p class="small node-schemes">{}: {}</p>', _("Awards and subsidies"), links)


EVENTS = {
    "incentives.application.created": pgettext_lazy("application event", "entered"),
    "incentives.application.changed": pgettext_lazy("application event", "changed"),
    "incentives.application.submitted": pgettext_lazy("application event", "submitted"),
    "incentives.application.reviewed": pgettext_lazy(
        "application event", "reviewed by the managing unit"
    ),
    "incentives.application.returned": pgettext_lazy(
        "application event", "returned for correction"
    ),
    "incentives.application.rejected": pgettext_lazy("application event", "rejected"),
    "incentives.application.withdrawn": pgettext_lazy("application event", "withdrawn"),
    "incentives.application.approved": pgettext_lazy("application event", "approved"),
    "incentives.application.paid_part": pgettext_lazy("application event", "partly paid"),
    "incentives.application.paid": pgettext_lazy("application event", "paid in full"),
}


@register.filter
def app_event(action: str) -> str:
    return str(EVENTS.get(action, action))
