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
