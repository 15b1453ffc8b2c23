"""Links between the targets of different plans (a district's plan under the city's, the next
period's plan after this one): `Alignment`, proposed by the platform, decided by the office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class Relation(models.TextChoices):
    CONTRIBUTES = "contributes_to", _("contributes to")
    SAME_MEASURE = "same_measure", _("same measure as")
    SUCCEEDS = "succeeds", _("succeeds")


class LinkState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


# Which state may follow which; services.decide enforces it. A decision can be revisited.
LINK_TRANSITIONS: dict[str, set[str]] = {
    LinkState.PROPOSED: {LinkState.CONFIRMED, LinkState.REJECTED},
    LinkState.CONFIRMED: {LinkState.REJECTED},
    LinkState.REJECTED: {LinkState.CONFIRMED},
}


class Origin(models.TextChoices):
    PROPOSED = "proposed", _("proposed by the platform")
    FILE = "file", _("from the plan file")
    OFFICE = "office", _("added by the office")


class Alignment(models.Model):
    """`source` (a target of one plan) stands in `relation` to `target` (of another plan):
    contributes to it, measures the same thing, or succeeds it in the next period."""

    source = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("target of the plan"),
        on_delete=models.CASCADE,
        related_name="alignments_out",
    )
    target = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("target it is linked to"),
        on_delete=models.CASCADE,
        related_name="alignments_in",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=LinkState.choices, default=LinkState.PROPOSED
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.PROPOSED
    )
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["source__plan", "source__position", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_between_two_targets"
            ),
        ]

    def __str__(self):
        source, target = self.source, self.target
        return f"{source.plan.code}/{source.code} → {target.plan.code}/{target.code}"
