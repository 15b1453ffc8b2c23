from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class NewPasswordMixin:
    """The new password must differ from the one the account has now (a first password the
    office chose is not one's own)."""

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError(
                _("The new password must be different from the current one."), code="unchanged"
            )
        return new


class ChangePasswordForm(NewPasswordMixin, PasswordChangeForm):
    pass


class ChoosePasswordForm(NewPasswordMixin, SetPasswordForm):
    pass
