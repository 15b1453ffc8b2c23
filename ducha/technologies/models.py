"""Key common technologies and "杀手锏" products broken through (五(二)), by field."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.registers.models import RegisterRecord
from ducha.registers.taxonomy import TechField


class TechKind(models.TextChoices):
    TECHNOLOGY = "technology", _("Key common technology")
    PRODUCT = "product", _("Flagship product")


TECH_KIND_NAMES = {
    TechKind.TECHNOLOGY: ("关键共性技术", "技术"),
    TechKind.PRODUCT: ("杀手锏产品", "“杀手锏”产品", "产品"),
}


class KeyTechnology(RegisterRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=TechKind.choices, default=TechKind.TECHNOLOGY
    )
    field = models.CharField(_("field"), max_length=20, choices=TechField.choices)
    holder = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("holding enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="technologies",
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    district = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    achieved_on = models.DateField(_("achieved on"))

    class Meta:
        verbose_name = _("key technology")
        verbose_name_plural = _("key technologies")
        ordering = ["-achieved_on", "name"]

    def __str__(self):
        return self.name
