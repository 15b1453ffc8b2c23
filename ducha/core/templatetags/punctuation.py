"""Punctuation that follows the page's language, a builtin of every template (settings).

`{% translate "Target" %}{% colon %} 10` reads "目标：10" in Chinese and "Target: 10" in
English: a label's colon is full-width next to Chinese (the catalogue check in
`core/tests/test_punctuation.py` refuses a half-width one after a translated label).
"""

from django import template
from django.utils.translation import get_language

register = template.Library()


def is_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


@register.simple_tag
def colon() -> str:
    return "：" if is_chinese() else ": "
