from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class OrgUnitKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    ZONE = "zone", _("Functional zone")
    DEPARTMENT = "department", _("Municipal department")
    OFFICE = "office", _("Leading-group office")


class OrgUnitQuerySet(RestrictedQuerySet):
    def reference_map(self) -> dict[str, "OrgUnit | None"]:
        """Every code, name, short name and alias -> its unit (None where two units share it)."""
        mapping: dict[str, OrgUnit | None] = {}
        for unit in self.all():
            for name in unit.names():
                mapping[name] = None if name in mapping and mapping[name] != unit else unit
        return mapping


class OrgUnit(models.Model):
    """A responsible unit: the city, a district (GB/T 2260), a functional zone, a department."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Separation of duties (docs/reporting.md): whoever submitted a report does not also give
    # the unit's approval of it, unless the office marks the unit as run by one person.
    allow_self_approval = models.BooleanField(
        _("one-person unit: its head may approve what they submitted"),
        default=False,
        help_text=_(
            "Only for a unit with a single person who both reports and approves. Otherwise "
            "the unit's approval must come from someone other than the person who submitted."
        ),
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    def names(self) -> set[str]:
        return {
            self.code,
            self.name,
            *([self.short_name] if self.short_name else []),
            *self.aliases,
        }

    @property
    def label(self) -> str:
        """The one name every page shows: the city's and a district's full name (天津市,
        和平区: their short forms 天津, 和平 read as places, not units), a department's, a
        zone's and the office's short name (市工信局, 天津开发区). Exports and the API give
        the full `name`."""
        if self.kind in (OrgUnitKind.CITY, OrgUnitKind.DISTRICT) or not self.short_name:
            return self.name
        return self.short_name
