"""Form fields every app shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CountedTextarea(forms.Textarea):
    """A textarea with its counter's words in the language of the page being rendered."""

    def __init__(self, max_chars: int, attrs=None):
        self.max_chars = max_chars
        super().__init__({**(attrs or {}), "data-maxchars": max_chars})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-counter": gettext("%(n)s of %(max)s characters")
                % {"n": "{n}", "max": self.max_chars},
                "data-counter-over": gettext("%(over)s characters over the limit of %(max)s")
                % {"over": "{over}", "max": self.max_chars},
            }
        )
        return context


class LongTextField(forms.CharField):
    """A note or explanation with a length limit that is never cut silently.

    The browser's `maxlength` would drop whatever is pasted past the limit without a word, so
    the textarea carries no `maxlength`: it shows a counter instead (`data-maxchars`, counted
    by ducha.js), and the server refuses a longer text saying by how much it is over.
    """

    default_error_messages = {
        "too_long": _(
            "This is %(length)d characters long; at most %(limit)d are allowed, "
            "%(over)d too many. Shorten it and save again: what you typed is kept in the box."
        ),
    }

    def __init__(self, *, max_chars: int, rows: int = 4, **kwargs):
        self.max_chars = max_chars
        kwargs.setdefault("widget", CountedTextarea(max_chars, attrs={"rows": rows}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.max_chars:
            raise ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={
                    "length": len(value),
                    "limit": self.max_chars,
                    "over": len(value) - self.max_chars,
                },
            )
