"""{% value_source obj %}: a figure's source (来源, 口径, link, attachment) beside it."""

from django import template

register = template.Library()


@register.inclusion_tag("datavalues/_source.html", takes_context=True)
def value_source(context, obj):
    """`obj` has SourceFields (a value, an approval, an assignment) or is None."""
    user = context.get("user")
    # The attachment is an evidence file of a report: its link is shown to those who may read
    # that report, the office, leaders and the unit itself (the evidence view checks again).
    may_see = bool(
        obj is not None
        and user is not None
        and user.is_authenticated
        and (user.sees_everything or getattr(obj, "org_unit_id", None) == user.org_unit_id)
    )
    return {"obj": obj, "show_attachment": may_see}


@register.simple_tag
def lookup(mapping, key):
    """mapping[key], or None: for a dict keyed by org unit, period …"""
    return (mapping or {}).get(key)
