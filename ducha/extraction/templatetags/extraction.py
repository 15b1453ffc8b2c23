"""Template helpers of the review screen."""

from django import template
from django.utils.html import format_html

from ducha.extraction import highlight
from ducha.extraction.models import ReviewStatus

register = template.Library()


@register.simple_tag
def highlighted(text, sentence, context=160):
    """The node text with the indicator's sentence in ``<mark>``; context=0 shows it all."""
    return highlight.highlighted(text or "", sentence or "", context or None)


@register.filter
def sentence_found(text, sentence):
    return bool(sentence) and sentence in (text or "")


@register.filter
def text_is_long(text, context=160):
    return len(text or "") > 2 * int(context)


@register.simple_tag
def review_badge(status):
    """The review state in words and an icon, so colour never carries it alone."""
    status = str(status)
    label = ReviewStatus(status).label if status in ReviewStatus.values else status
    return format_html('<span class="review-badge review-{}">{}</span>', status, label)
