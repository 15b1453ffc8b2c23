"""Published figures beside the plan: {% related_figures indicator %} on an indicator page,
{% published_figures plan %} on the cockpit. Shown as context with their source, never as a
value of the indicator."""

from django import template

from ducha.figures.models import FigureLink, PublishedFigure

register = template.Library()


@register.inclusion_tag("figures/_related.html", takes_context=True)
def related_figures(context, indicator):
    links = (
        FigureLink.objects.for_user(context["user"], "view")
        .filter(indicator=indicator)
        .select_related("figure")
        .order_by("-figure__published_on", "figure__metric")
    )
    return {"links": list(links)}


@register.inclusion_tag("figures/_cockpit.html", takes_context=True)
def published_figures(context, plan):
    figures = (
        PublishedFigure.objects.for_user(context["user"], "view")
        .prefetch_related("links__indicator")
        .order_by("-published_on", "metric")
    )
    return {"figures": list(figures), "plan": plan, "keep": context.get("keep", "")}
