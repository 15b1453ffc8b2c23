from django import template
from django.utils.translation import pgettext

from ducha.engine.idnumber import mask

register = template.Library()


@register.filter
def masked(value, allowed=False):
    """Personal data as the user may see it: whole for the office, masked for others."""
    if allowed:
        return value if value not in (None, "") else "–"
    return mask(str(value)) if value not in (None, "") else "–"


@register.filter
def cell(value):
    from ducha.core.templatetags.ducha import num

    if value is None or value == "":
        return "–"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float) or value.__class__.__name__ == "Decimal":
        return num(value)
    return value


@register.filter
def computation_sources(computation):
    """What a computed indicator counts, in words: its register sources' labels."""
    from ducha.registers.computation import SOURCES

    names = [computation.get("register", "")]
    names += [part.get("register", "") for part in computation.get("parts", ())]
    return " + ".join(str(SOURCES[n].label or n) if n in SOURCES else n for n in names if n)


@register.simple_tag(takes_context=True)
def record_link(context, obj, url_name, fallback="–"):
    """A related record as a link when the user may open it (its policy says so), else its
    name as plain text: a team in another district is named, not linked to a 404."""
    from django.urls import reverse
    from django.utils.html import conditional_escape, format_html

    from ducha.core.policies import allows

    if obj is None:
        return conditional_escape(fallback or "–")
    if getattr(obj, "archived_at", None) is not None:  # out of the register: no page to open
        return format_html(
            '{} <span class="muted small">({})</span>', obj, pgettext("register record", "archived")
        )
    user = context.get("user")
    if user is not None and allows(user, "view", obj):
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), obj)
    return conditional_escape(str(obj))
