"""Writes of consequence on accounts: passwords, and the one-time link a new account gets.

A new account (the office creates it in the admin; there is no user import) must choose its
own password before it can do anything: ``must_set_password`` is set, and the office is given
a one-time link to pass on (e-mailed as well when the account has an address). The link is
Django's password-reset token: it stops working once the password is set or the person signs
in, and after ``PASSWORD_RESET_TIMEOUT`` (``DUCHA_SET_PASSWORD_LINK_DAYS``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ducha.accounts.models import User
from ducha.audit.services import record
from ducha.core.policies import require


def set_password(actor, user: User, raw_password: str, *, how: str) -> User:
    """`user` gets a new password (already validated by the form), chosen by themselves.

    `how` says which way: "changed" on the password page, "link" through a one-time link.
    """
    if actor is not None and actor.pk != user.pk:
        # Nobody chooses another person's password here; the office issues a link instead.
        raise PermissionDenied
    with transaction.atomic():
        user.set_password(raw_password)
        was_required = user.must_set_password
        user.must_set_password = False
        user.save(update_fields=["password", "must_set_password"])
        record(
            user,
            f"accounts.user.password_{how}",
            user,
            changes={"must_set_password": [was_required, False]} if was_required else {},
        )
    return user


def set_password_link(user: User) -> str:
    """The one-time address at which `user` chooses a password (absolute, for e-mail)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:set_password", args=[uid, token])
    return settings.DUCHA_BASE_URL.rstrip("/") + path


def issue_set_password_link(actor, user: User, *, new: bool = False) -> str:
    """A one-time link for `user` to choose a password, for the office to pass on; e-mailed
    too when the account has an address. A new account must use it (or its first sign-in
    leads to the password page)."""
    require(actor, "change", user)
    link = set_password_link(user)
    with transaction.atomic():
        if new and not user.must_set_password:
            user.must_set_password = True
            user.save(update_fields=["must_set_password"])
        record(
            actor,
            "accounts.user.password_link_issued",
            user,
            changes={"e-mailed": bool(user.email)},
        )
        if user.email:
            transaction.on_commit(lambda: _send_link(user, link))
    return link


def _send_link(user: User, link: str) -> None:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    send_mail(
        _("Choose your password for the plan supervision platform"),
        _(
            "%(name)s:\n\nAn account has been made for you (user name: %(username)s). "
            "Open this link to choose your password; it works once, for %(days)d days:\n\n"
            "%(link)s\n\nIf you did not expect this, tell the leading-group office."
        )
        % {"name": user, "username": user.username, "days": days, "link": link},
        None,
        [user.email],
    )
