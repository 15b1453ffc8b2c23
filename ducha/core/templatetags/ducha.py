"""Template helpers shared by every app: status badges, numbers, percentages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from ducha.assessments.labels import status_label

register = template.Library()


@register.simple_tag
def status_badge(status):
    """A status as colour, icon and words, so colour is never the only carrier."""
    code = str(status)
    return format_html('<span class="status status-{}">{}</span>', code, status_label(code))


@register.filter
def num(value, digits=2):
    """A number without needless decimals: 1000, 12.5, 0.33."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.{int(digits)}f}".rstrip("0").rstrip(".")


@register.filter
def pct(value):
    """A share (0..1) as a whole percentage clamped to 0..100, for bar widths."""
    if value is None:
        return 0
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


@register.filter
def dec(value):
    if isinstance(value, Decimal):
        return num(value)
    return value


@register.filter
def clip(value, length=240):
    """The first `length` characters and an ellipsis: truncatechars without its per-character
    scan, which costs milliseconds on the long Chinese texts of a plan's nodes."""
    text = str(value or "")
    length = int(length)
    return text if len(text) <= length else text[: length - 1] + "…"


@register.filter
def target(ind):
    """An indicator's target as the plan page writes it: ≥1,000 · 2–3 · ≤5 (without unit)."""
    if ind is None:
        return "–"
    prefix = {">=": "≥", "<=": "≤"}.get(getattr(ind, "comparator", ""), "")
    text = prefix + str(num(ind.target_min))
    if getattr(ind, "is_range", False):
        text += "–" + str(num(ind.target_max))
    return text


def deadline_passed(a) -> bool:
    return a is not None and "deadline_passed" in (getattr(a, "notes", None) or ())


@register.simple_tag
def deadline_outcome(ind, a):
    """Once the deadline has passed (as of the date assessed), what happened instead of a
    forecast: "期限（2020年底）已过：最新值 951.2 亿元，未达到目标 1,000 亿元". "" before."""
    from django.utils.translation import gettext as _

    if not deadline_passed(a):
        return ""
    deadline = ind.deadline
    when = (
        _("end of %(year)s") % {"year": deadline.year}
        if (deadline.month, deadline.day) == (12, 31)
        else deadline.isoformat()
    )
    goal = num(a.target_value) if getattr(ind, "kind", "level") == "change" else target(ind)
    values = {"deadline": when, "value": num(a.value), "target": goal, "unit": ind.unit}
    if a.value is None:
        return _("Deadline (%(deadline)s) passed with no approved value") % values
    if str(a.status) == "achieved":
        return (
            _(
                "Deadline (%(deadline)s) passed: target %(target)s %(unit)s reached "
                "(latest value %(value)s %(unit)s)"
            )
            % values
        )
    return (
        _(
            "Deadline (%(deadline)s) passed: latest value %(value)s %(unit)s, short of the "
            "target %(target)s %(unit)s"
        )
        % values
    )
