"""The assessment store: what an assessment needs, kept current by every approval.

An assessment reads, per indicator and period, the plan-wide value (the units' approved values
added up as the indicator says) as it stood at a date. Reading every approval for that on
every request costs as much as there are approvals; the store keeps the answer instead, as a
chain of versions per indicator × period, one for each moment its approvals changed, so that
any date is answered by one index look-up per period: the current assessment and one of years
ago cost the same, at 2,700 or 1.2 million values.

`ApprovedValue` stays the record of truth; the store is derived from it (`store.py`), updated
in the same transaction as every approval, and rebuilt by ``ducha rebuildassessments``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeriesKey(models.Model):
    """One indicator × period with at least one approved value, and when its first approval
    came (the order an assessment meets the periods in)."""

    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.CharField(_("period"), max_length=10)
    first_at = models.DateTimeField()
    first_id = models.BigIntegerField()
    last_at = models.DateTimeField()  # its latest approval

    class Meta:
        verbose_name = _("assessed period")
        verbose_name_plural = _("assessed periods")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_key_per_period")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period}"


class SeriesVersion(models.Model):
    """The plan-wide value of a key from ``valid_from`` on, until the next version.

    ``value`` is None when no unit counts (an indicator aggregated "none" whose lead unit has
    not reported). ``sole_unit`` names the unit whose figure stands alone (the city's own, or a
    lead department's); otherwise every unit approved for the period by then counts except
    those in ``hidden`` (a zone inside a district that reported), comma-separated.
    """

    key = models.ForeignKey(SeriesKey, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateTimeField()
    value = models.FloatField(null=True)
    units = models.PositiveIntegerField()
    whole = models.BooleanField()  # one figure for the whole city
    sole_unit = models.BigIntegerField(null=True)
    hidden = models.TextField(blank=True)

    class Meta:
        verbose_name = _("assessed value version")
        verbose_name_plural = _("assessed value versions")
        indexes = [models.Index(fields=["key", "valid_from"], name="version_at")]

    def __str__(self):
        return f"{self.key_id} {self.valid_from:%Y-%m-%d %H:%M} {self.value}"


class SeriesState(models.Model):
    """Per indicator: what its versions were computed with (the aggregation, the lead unit and
    the org-unit tree, as a digest). A read that finds it out of date rebuilds the indicator
    first (`store.ensure_current`): editing an indicator or the org units needs no hook."""

    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    basis = models.CharField(max_length=64)
    # the latest approval of the indicator (a finished plan's default date depends on it)
    last_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("assessment store state")
        verbose_name_plural = _("assessment store states")

    def __str__(self):
        return f"{self.indicator_id} {self.basis[:8]}"


class StoreMark(models.Model):
    """One row: every approval up to ``last_approval_id`` is in the store. Every refresh
    locks it, so refreshes run one at a time on every server; an approval written by a path
    that did not refresh (a raw insert) is caught up by the next read (`store.sync`)."""

    last_approval_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment store mark")
        verbose_name_plural = _("assessment store marks")

    def __str__(self):
        return str(self.last_approval_id)
