"""Login lockout (django-axes) wired for ducha.

`LockoutBackend` is django-axes' standalone backend, except that an `authenticate()` call
without a request (Django's test client `login()`, a management command) is not a login
attempt over the web and is left to the next backend instead of being refused.
Every sign-in through a page passes its request and is counted.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
