"""Template helpers shared by every app: status badges, numbers, percentages."""

from decimal import Decimal
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

from ducha.assessments.labels import rollup_explanation, status_help, status_label
from ducha.engine.units import format_quantity

register = template.Library()


@register.simple_tag
def status_badge(status):
    """A status as colour, icon and words, so colour is never the only carrier."""
    code = str(status)
    return format_html(
        '<span class="status status-{}" title="{}">{}</span>',
        code,
        status_help(code),
        status_label(code),
    )


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
def node_explanation(node) -> str:
    """How a node's status was reached ("由 3 项指标、1 项任务汇总：…"); ``node`` is an
    ``assessments.services.NodeResult``."""
    return rollup_explanation(node)


@register.filter
def qty(value, unit=None):
    """A quantity with the precision of its unit (``engine.units.format_quantity``): counts
    (家, 个, 项 …) as integers, 亿元 and % to one decimal. Pages, bulletins and ``ducha
    assess`` all print quantities through that one helper."""
    return format_quantity(value, unit)


@register.filter
def percent(value, digits=0):
    """A share as a percentage for reading (not clamped): 0.863 -> 86%."""
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(digits)}f}%"


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
def web_link(value) -> str:
    """The address if it is a web page (http or https), else "": a stored link becomes an href
    only through this, so one written past the forms' validator (an import, the admin, the
    database) can never be a javascript: or data: link."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    # browsers drop tabs and newlines inside a scheme ("java\tscript:"), urlsplit does too
    return text if scheme in ("http", "https") and text.isprintable() else ""


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
    unit = getattr(ind, "unit", None)
    text = prefix + format_quantity(ind.target_min, unit)
    if getattr(ind, "is_range", False):
        text += "–" + format_quantity(ind.target_max, unit)
    return text


@register.filter
def year(value):
    """A year as a reader writes it: 2020年 in Chinese, 2020 in English (a date or a number)."""
    if value in (None, ""):
        return "–"
    number = getattr(value, "year", value)
    return pgettext("calendar year", "%(year)s") % {"year": number}


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """This page's address with only the page number changed: the list's filters are kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


def deadline_passed(a) -> bool:
    return a is not None and bool(getattr(a, "final", False))


@register.simple_tag
def deadline_outcome(ind, a):
    """Once the deadline has passed (as of the date assessed), the final evaluation instead
    of a forecast: "终期评估：未完成，最终值 28 个（2020年第三季度数据），完成 90%，差 2 个". ""
    before the deadline."""
    from django.utils.translation import gettext as _

    if not deadline_passed(a):
        return ""
    unit = ind.unit
    goal = format_quantity(a.target_value, unit) if ind.kind == "change" else target(ind)
    values = {
        "status": status_label(a.status),
        "value": format_quantity(a.final_value, unit),
        "target": goal,
        "unit": unit,
        "gap": format_quantity(a.gap, unit),
        "share": "–" if a.progress_share is None else f"{a.progress_share * 100:.0f}%",
    }
    status = str(a.status)
    if status in ("achieved", "achieved_late"):
        return (
            _("Final evaluation: %(status)s — %(value)s %(unit)s against the target %(target)s")
            % values
        )
    if status == "not_achieved":
        return (
            _(
                "Final evaluation: %(status)s — %(value)s %(unit)s against the target "
                "%(target)s: %(share)s of the way, %(gap)s %(unit)s short"
            )
            % values
        )
    if status == "awaiting_final":
        return _("Final evaluation: awaiting the figure for the deadline’s period") % values
    if a.final_value is None:
        return _("Final evaluation: %(status)s — no figure was reported") % values
    return (
        _(
            "Final evaluation: %(status)s — the last figure, %(value)s %(unit)s, is from "
            "before the deadline"
        )
        % values
    )
