"""Each person's own password: changing it, and choosing it through a one-time link."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import (
    INTERNAL_RESET_SESSION_TOKEN,
    PasswordChangeView,
    PasswordResetConfirmView,
)
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ducha.accounts import services
from ducha.accounts.forms import ChangePasswordForm, ChoosePasswordForm
from ducha.accounts.models import User


def _next(request, default):
    wanted = request.POST.get("next") or request.GET.get("next")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


class ChangePassword(LoginRequiredMixin, PasswordChangeView):
    """The signed-in person's own password (the user menu links here). An account that must
    set its password is sent here by `PasswordRequiredMiddleware` until it has."""

    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next(self.request, "")}

    def form_valid(self, form):
        user = User.objects.get(pk=self.request.user.pk)  # not the request's lazy wrapper
        services.set_password(user, user, form.cleaned_data["new_password1"], how="changed")
        update_session_auth_hash(self.request, user)  # stay signed in here, out elsewhere
        messages.success(self.request, _("Your password has been changed."))
        return redirect(_next(self.request, self.success_url))


class ChoosePassword(PasswordResetConfirmView):
    """The one-time link of a new account: choose a password, then be signed in."""

    template_name = "accounts/set_password.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("home")
    reset_url_token = "choose"
    # Signing in right after choosing: no password is checked, so not the lockout backend.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        user = form.user
        services.set_password(user, user, form.cleaned_data["new_password1"], how="link")
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, self.post_reset_login_backend)
        messages.success(self.request, _("Your password has been set. Welcome."))
        return redirect(self.success_url)
