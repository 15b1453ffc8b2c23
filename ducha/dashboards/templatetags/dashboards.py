"""Template helpers of the dashboards: inline sparklines, signed changes, links that keep
the chosen "as of" date."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from ducha.core.templatetags.ducha import num, percent
from ducha.engine.assessment import SCORES, Status
from ducha.engine.units import format_quantity

register = template.Library()


@register.simple_tag
def sparkline(series, target=None, width=120, height=30):
    """A tiny inline SVG of a series ([[date, value], …]) with the target as a dashed line.

    Server-side SVG: no script, crisp in print, a few hundred bytes.
    """
    values = [v for _d, v in series if v is not None]
    if len(values) < 2:
        return ""
    top = max([*values, target or values[0]])
    bottom = min([*values, 0.0])
    span = (top - bottom) or 1.0
    pad = 2
    step = (width - 2 * pad) / (len(values) - 1)

    def y(v):
        return pad + (height - 2 * pad) * (1 - (v - bottom) / span)

    points = " ".join(f"{pad + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    goal = ""
    if target is not None:
        goal = format_html(
            '<line x1="0" x2="{}" y1="{}" y2="{}" class="spark-target"/>',
            width,
            f"{y(target):.1f}",
            f"{y(target):.1f}",
        )
    return format_html(
        '<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true"'
        ' focusable="false">{goal}<polyline points="{p}" class="spark-line"/>'
        '<circle cx="{cx}" cy="{cy}" r="2.5" class="spark-end"/></svg>',
        w=width,
        h=height,
        goal=goal,
        p=points,
        cx=f"{pad + (len(values) - 1) * step:.1f}",
        cy=f"{y(values[-1]):.1f}",
    )


@register.filter
def signed(value, unit=None):
    """+12.5 / −3 / ±0 for a change, with the precision of its unit when one is given."""
    if value is None:
        return "–"
    text = format_quantity(abs(value), unit) if unit else num(abs(value))
    if text == "0":
        return "±0"
    return f"+{text}" if value > 0 else f"−{text}"


@register.filter
def status_score(status):
    return SCORES.get(Status(str(status)))


@register.simple_tag(takes_context=True)
def with_as_of(context, url, **params):
    """``url`` with query parameters, plus the page's explicitly chosen "as of" date."""
    as_of = context.get("as_of")
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if as_of is not None and not as_of.default:
        query["as_of"] = as_of.date.isoformat()
    return f"{url}?{urlencode(query)}" if query else url


# A share as a percentage (core's filter, also registered here for the dashboards' templates).
register.filter("percent", percent)
