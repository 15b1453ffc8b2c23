"""Permission decisions, one policy per model, asked by views, the API and commands alike.

A policy answers two questions: which rows may this user act on (`scope`, a Q object that
`Model.objects.for_user(user, action)` applies, as NetBox's RestrictedQuerySet does) and may
this user act on this object (`allows`). Views never filter by org unit on their own.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

NOTHING = Q(pk__in=[])
EVERYTHING = Q()

_registry: dict[type[models.Model], Policy] = {}


class Policy:
    """A subclass's `scope` is asked about an account that counts: a disabled account
    (``is_active`` False) is asked as the anonymous visitor, so it is nobody everywhere (it
    sees what the public sees, which is nothing outside the portal) whatever the policy
    itself checks. Django refuses such an account at sign-in, but a policy is also asked
    about accounts that are not the request's (the command line, the services, the admin)."""

    model: type[models.Model]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "scope" in cls.__dict__:
            cls.scope = _as_counted(cls.__dict__["scope"])

    def scope(self, user, action: str) -> Q:
        """The rows `user` may `action`; NOTHING by default."""
        return NOTHING

    def allows(self, user, action: str, obj: models.Model | None = None) -> bool:
        """Whether `user` may `action` on `obj` (or on the model at all when obj is None)."""
        q = self.scope(user, action)
        if obj is None:
            return q != NOTHING
        if q == EVERYTHING:
            return True
        if q == NOTHING:
            return False
        return type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def _as_counted(scope):
    @functools.wraps(scope)
    def counted_scope(self, user, action: str) -> Q:
        if getattr(user, "is_authenticated", False) and not user.is_active:
            from django.contrib.auth.models import AnonymousUser  # models import this module

            user = AnonymousUser()
        return scope(self, user, action)

    return counted_scope


def reference_scope(user, action: str) -> Q:
    """Reference data (schemes, the holiday calendar …): everyone signed in reads it, the office
    writes it."""
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    return EVERYTHING if action == "view" else NOTHING


def register(policy_class: type[Policy]) -> type[Policy]:
    _registry[policy_class.model] = policy_class()
    return policy_class


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"no policy registered for {model.__name__}") from None


def allows(user, action: str, obj_or_model) -> bool:
    if isinstance(obj_or_model, models.Model):
        return policy_for(type(obj_or_model)).allows(user, action, obj_or_model)
    return policy_for(obj_or_model).allows(user, action)


def require(user, action: str, obj_or_model) -> None:
    """Raise PermissionDenied unless `user` may `action` on the object or model."""
    if not allows(user, action, obj_or_model):
        raise PermissionDenied


class RestrictedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view"):
        return self.filter(policy_for(self.model).scope(user, action))


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
