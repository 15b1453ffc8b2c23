"""The ranking weights the office sets, and the proxy through which scorecards are scoped."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet
from ducha.orgunits.models import OrgUnit


class RankingWeights(models.Model):
    """One row per plan: how much each component counts in the 考核排名."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.PROTECT, related_name="+")
    timeliness = models.DecimalField(
        _("timeliness"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    completeness = models.DecimalField(
        _("completeness"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    progress = models.DecimalField(
        _("progress of led items"), max_digits=5, decimal_places=2, default=Decimal(30)
    )
    quality = models.DecimalField(
        _("evidence quality"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")

    def __str__(self):
        return str(_("Ranking weights"))

    def as_dict(self) -> dict[str, float]:
        return {
            k: float(getattr(self, k))
            for k in ("timeliness", "completeness", "progress", "quality")
        }


class ScoredUnit(OrgUnit):
    """An org unit seen as the subject of a scorecard (its own policy: a unit sees its own)."""

    class Meta:
        proxy = True
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")


class ObjectionState(models.TextChoices):
    OPEN = "open", _("Waiting for the office's answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


# A unit's objection (申诉) to its score is answered once, by the office, on the record.
OBJECTION_TRANSITIONS: dict[str, set[str]] = {
    ObjectionState.OPEN: {ObjectionState.ACCEPTED, ObjectionState.REJECTED},
    ObjectionState.ACCEPTED: set(),
    ObjectionState.REJECTED: set(),
}


class Objection(models.Model):
    """A unit's objection (申诉) to its score, with the score as it stood when filed, and the
    office's answer: accepted with a note of the correction made, or rejected with a reason."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        "reporting.Round",
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the score over all the plan's rounds."),
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    score = models.JSONField(_("score when filed"), default=dict)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ObjectionState.choices,
        default=ObjectionState.OPEN,
        db_index=True,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection to a score")
        verbose_name_plural = _("objections to scores")
        ordering = ["-filed_at", "-pk"]

    def __str__(self):
        return f"{self.org_unit.label} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == ObjectionState.OPEN
