from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class PasswordRequiredMiddleware:
    """An account that must choose its password (a new one the office made) sees nothing but
    the password page until it has: every other page leads there, the API refuses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        required = user is not None and user.is_authenticated and user.must_set_password
        if required and not self._allowed(request.path):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # no page there: nothing to keep them from
        return match.namespace == "accounts" or match.url_name in {"logout", "set_language"}

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            message = _("Choose your own password first (on the password page).")
            return JsonResponse({"detail": message}, status=403)
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse("accounts:password") + (f"?{query}" if query else ""))
