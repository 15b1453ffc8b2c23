"""A password must not contain the account's own names.

Django's `UserAttributeSimilarityValidator` compares the whole password with each name, so a
long password that merely repeats the name ("和平区填报员和平区填报员") passes it; this one refuses
any password containing the user name or display name (three characters or more), in any case.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ContainsNameValidator:
    def __init__(self, attributes=("username", "display_name"), min_length=3):
        self.attributes = attributes
        self.min_length = min_length

    def validate(self, password, user=None):
        if user is None:
            return
        folded = password.casefold()
        for name in self.attributes:
            value = getattr(user, name, None)
            if not isinstance(value, str) or len(value) < self.min_length:
                continue
            if value.casefold() in folded:
                field = user._meta.get_field(name).verbose_name
                raise ValidationError(
                    _("The password contains your %(field)s.") % {"field": field},
                    code="password_contains_name",
                )

    def get_help_text(self):
        return _("Your password cannot contain your user name or display name.")
