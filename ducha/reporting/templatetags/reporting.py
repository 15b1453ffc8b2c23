"""Workflow states as icon + words (colour is never the only carrier)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ducha.reporting.models import AssignmentStatus

register = template.Library()

ICONS = {
    "draft": "○",
    "submitted": "↑",
    "unit_approved": "◐",
    "approved": "✓",
    "returned": "↩",
    "open": "●",
    "closed": "■",
}


@register.simple_tag
def state_badge(status, label=None):
    code = str(status)
    if label is None:
        try:
            label = AssignmentStatus(code).label
        except ValueError:
            label = code
    return format_html(
        '<span class="wf wf-{}"><span aria-hidden="true">{}</span> {}</span>',
        code,
        ICONS.get(code, "•"),
        label,
    )


@register.simple_tag
def late_tag(assignment):
    """逾期 in red while something is still to be done about it; once the office has approved
    the report, only a quiet note that it came in late (the scorecards count it)."""
    if not assignment.is_late:
        return ""
    if assignment.status == AssignmentStatus.APPROVED:
        return format_html(' <span class="muted small">{}</span>', _("submitted late"))
    return format_html(' <span class="late">{}</span>', _("late"))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def evidence_status(count):
    """有（2）or 无 in the review queues, in words beside the sign (never colour alone)."""
    if count:
        return format_html(
            '<span class="evidence-yes"><span aria-hidden="true">📎</span> {}</span>',
            _("yes (%(n)d)") % {"n": count},
        )
    return format_html('<span class="late">{}</span>', _("none"))
