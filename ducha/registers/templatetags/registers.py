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


@register.filter
def computation_sources(computation):
    """What a computed indicator counts, in words: its register sources' labels."""
    from ducha.registers.computation import SOURCES

    names = [computation.get("register", "")]
    names += [part.get("register", "") for part in computation.get("parts", ())]
    return " + ".join(str(SOURCES[n].label or n) if n in SOURCES else n for n in names if n)
