"""`{% alignment_panel plan %}`: the coverage and links of a plan, on its page and cockpit."""

from django import template

from ducha.alignment.selectors import plan_panel

register = template.Library()


@register.inclusion_tag("alignment/_panel.html", takes_context=True)
def alignment_panel(context, plan):
    request = context["request"]
    return {**plan_panel(plan, request.user), "request": request, "user": request.user}
