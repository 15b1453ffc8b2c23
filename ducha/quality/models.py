"""What the office sets for the quality gate: the tolerance between the districts' sum and the
city's figure, and the rules between indicators ("the parts cannot exceed the whole")."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet

DEFAULT_TOLERANCE = Decimal("0.05")


class QualitySettings(models.Model):
    """One row per plan (made with the defaults the first time it is needed)."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.PROTECT, related_name="quality_settings"
    )
    district_tolerance = models.DecimalField(
        _("tolerance between the districts' sum and the city's figure"),
        max_digits=5,
        decimal_places=3,
        default=DEFAULT_TOLERANCE,
        help_text=_("A share of the city's figure, e.g. 0.05 for 5%."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")

    def __str__(self):
        return str(self.plan)


class SumRule(models.Model):
    """The plan-wide values of `parts` together cannot exceed that of `whole`, period by period
    (e.g. the six industry scales and 智能科技产业规模)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    whole = models.ForeignKey(
        "plans.Indicator", verbose_name=_("whole"), on_delete=models.PROTECT, related_name="+"
    )
    parts = models.ManyToManyField("plans.Indicator", verbose_name=_("parts"), related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule between indicators")
        verbose_name_plural = _("rules between indicators")
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.title
