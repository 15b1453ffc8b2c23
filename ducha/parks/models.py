"""The parks of the plan's spatial layout (六(二)2) with the industries designated to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class Park(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    district = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="parks",
    )
    zone = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("functional zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_parks",
    )
    industries = models.JSONField(_("designated industries"), default=list, blank=True)
    designation = models.CharField(_("designation in the plan"), max_length=200, blank=True)
    # Where the dashboards' map puts the park's dot: its rough centre, good to a few
    # kilometres (ducha/data/tianjin-2018/parks.yaml), not a surveyed location.
    longitude = models.DecimalField(
        _("longitude (approximate)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude (approximate)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def names(self) -> set[str]:
        return {
            self.code,
            self.name,
            *([self.short_name] if self.short_name else []),
            *self.aliases,
        }

    def industry_labels(self) -> list[str]:
        from ducha.registers.taxonomy import Industry

        return [str(Industry(i).label) for i in self.industries if i in Industry.values]
