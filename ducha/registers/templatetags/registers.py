from django import template

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
