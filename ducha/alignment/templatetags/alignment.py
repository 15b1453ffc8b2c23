"""`{% alignment_panel plan %}`: the coverage and links of a plan, on its page and cockpit."""

from django import template
from django.db import models

from ducha.alignment.selectors import plan_panel

register = template.Library()


@register.inclusion_tag("alignment/_panel.html", takes_context=True)
def alignment_panel(context, plan):
    request = context["request"]
    return {**plan_panel(plan, request.user), "request": request, "user": request.user}


@register.inclusion_tag("alignment/_indicator_links.html", takes_context=True)
def indicator_links(context, indicator):
    """The links of one target to other plans' targets, on its page: what it feeds, what it
    shares its series with (a predecessor's values continue in its chart), and where its
    baseline came from when a predecessor's final value gives it."""
    from ducha.alignment.models import Alignment, LinkState
    from ducha.engine.alignment import SHARING

    user = context["request"].user
    links = list(
        Alignment.objects.for_user(user, "view")
        .filter(state=LinkState.CONFIRMED)
        .filter(models.Q(source=indicator) | models.Q(target=indicator))
        .select_related("source__plan", "target__plan")
    )
    rows = []
    for link in links:
        outgoing = link.source_id == indicator.pk
        other = link.target if outgoing else link.source
        rows.append({"link": link, "other": other, "outgoing": outgoing})
    return {
        "rows": rows,
        "shares": any(r["link"].relation in SHARING for r in rows),
        "inherited": getattr(indicator, "inherited_baseline", None),
        "ind": indicator,
    }
