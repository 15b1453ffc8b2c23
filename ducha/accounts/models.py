from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class Role(models.TextChoices):
    OFFICE = "office", _("Leading-group office")
    UNIT_HEAD = "unit_head", _("Unit head")
    REPORTER = "reporter", _("Unit reporter")
    LEADER = "leader", _("Leader")


class UserQuerySet(RestrictedQuerySet):
    pass


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Their role and org unit decide what every policy lets them do."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Set for an account the office creates: until its owner chooses a password (through the
    # one-time link, or on the page every page sends them to), they can do nothing else.
    must_set_password = models.BooleanField(
        _("must set a password"),
        default=False,
        help_text=_("Until the user chooses a password of their own, every page leads there."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def get_short_name(self):
        """What the admin greets one by (欢迎，市智能办): the display name, not the login."""
        return str(self)

    @property
    def is_office(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.OFFICE)

    @property
    def is_leader(self) -> bool:
        return self.is_active and self.role == Role.LEADER

    @property
    def sees_everything(self) -> bool:
        """Office, leaders and administrators read every unit's data."""
        return self.is_office or self.is_leader
