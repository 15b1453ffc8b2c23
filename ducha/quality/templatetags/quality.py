"""{% quality_flags a %}: what the quality gate flagged when `a` was submitted, for reviewers."""

from django import template

from ducha.quality import gate

register = template.Library()


@register.inclusion_tag("quality/_flags.html")
def quality_flags(a, explanation=True):
    flags = a.quality_flags or []
    return {
        "items": [(gate.kind_label(f.get("kind")), gate.message(f)) for f in flags],
        "explanation": a.explanation if explanation else "",
    }
