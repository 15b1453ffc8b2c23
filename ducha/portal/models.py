"""What the office publishes to the public: bulletins (通报) and plans.

Nothing is public unless the office has published it; a bulletin is archived, never deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class BulletinState(models.TextChoices):
    """Where a bulletin stands, read from its published flag and archive date."""

    DRAFT = "draft", _("Not published")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The workflow of a bulletin: what each step ("publish" …) leads to, from which states.
BULLETIN_TRANSITIONS: dict[str, dict[str, str]] = {
    "publish": {BulletinState.DRAFT: BulletinState.PUBLISHED},
    "unpublish": {BulletinState.PUBLISHED: BulletinState.DRAFT},
    "archive": {
        BulletinState.DRAFT: BulletinState.ARCHIVED,
        BulletinState.PUBLISHED: BulletinState.ARCHIVED,
    },
    "restore": {BulletinState.ARCHIVED: BulletinState.DRAFT},
}


class Bulletin(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Drafted from the data (services.draft_bulletin): the round and date it was drafted for,
    # the issuing body, and the tables the body places with lines such as 【表1：…】.
    round = models.ForeignKey(
        "reporting.Round",
        verbose_name=_("reporting round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    tables = models.JSONField(_("tables"), default=list, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    @property
    def state(self) -> str:
        if self.archived_at is not None:
            return BulletinState.ARCHIVED
        return BulletinState.PUBLISHED if self.published else BulletinState.DRAFT


class PlanPublication(models.Model):
    """The published flag of a plan: whether the public portal shows it, and then its latest
    `PlanSnapshot` (what the office published, not the live assessment)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.PROTECT, related_name="publication")
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan publication")
        verbose_name_plural = _("plan publications")

    def __str__(self):
        return str(self.plan)


class PlanSnapshot(models.Model):
    """What the public sees of a plan: its assessment as of a stated date, frozen when the
    office published it. Approvals after publishing change nothing here until the office
    publishes again (a new snapshot; the old ones are kept)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="snapshots")
    as_of = models.DateField(_("as of"))
    data = models.JSONField(_("published content"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("published progress")
        verbose_name_plural = _("published progress")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.plan} {self.as_of}"
