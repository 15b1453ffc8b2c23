"""How API clients sign in: the browser session, or HTTP Basic for scripts and other
systems (a statistics bureau's pipeline reading values, say).

Basic credentials go through Django's ``authenticate`` with the request, so django-axes
counts failures and locks the account exactly as it does for the sign-in page. Basic is
for reading: routers that write keep to the session, which carries the CSRF check.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth, django_auth


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request, username, password):
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active or user.must_set_password:
            return None  # a new account chooses its password on the site first
        request.user = user  # the policies read request.user, as on the pages
        return user


READ_AUTH = [django_auth, BasicAuth()]
