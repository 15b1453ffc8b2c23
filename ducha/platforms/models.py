"""Innovation platforms (五(三)): laboratories, centres and service platforms, by level."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.registers.models import RegisterRecord
from ducha.registers.taxonomy import TechField


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    MINISTERIAL = "ministerial", _("Ministerial")
    MUNICIPAL = "municipal", _("Municipal")


LEVEL_NAMES = {
    Level.NATIONAL: ("国家级", "国家"),
    Level.MINISTERIAL: ("部委级", "省部级", "部级"),
    Level.MUNICIPAL: ("市级", "天津市级"),
}


class PlatformType(models.TextChoices):
    KEY_LAB = "key_lab", _("Key laboratory")
    ENGINEERING_CENTRE = "engineering_centre", _("Engineering (technology) research centre")
    INNOVATION_CENTRE = "innovation_centre", _("Manufacturing or technology innovation centre")
    ENTERPRISE_CENTRE = "enterprise_centre", _("Enterprise technology centre")
    INSTITUTE = "institute", _("New R&D institute")
    SERVICE = "service", _("Public service platform")
    JOINT_CENTRE = "joint_centre", _("Joint research centre")


PLATFORM_TYPE_NAMES = {
    PlatformType.KEY_LAB: ("重点实验室", "实验室"),
    PlatformType.ENGINEERING_CENTRE: ("工程技术研究中心", "工程研究中心", "工程中心"),
    PlatformType.INNOVATION_CENTRE: ("创新中心", "制造业创新中心", "技术创新中心"),
    PlatformType.ENTERPRISE_CENTRE: ("企业技术中心",),
    PlatformType.INSTITUTE: ("新型研发机构", "产业技术研究院", "研究院"),
    PlatformType.SERVICE: ("公共服务平台", "服务平台"),
    PlatformType.JOINT_CENTRE: ("联合研究中心", "联合实验室"),
}


class Platform(RegisterRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    type = models.CharField(_("type"), max_length=20, choices=PlatformType.choices)
    field = models.CharField(_("field"), max_length=20, choices=TechField.choices, blank=True)
    holder = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("holding enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms",
    )
    holder_name = models.CharField(_("holder"), max_length=200, blank=True)
    district = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    established_on = models.DateField(_("recognised on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")
        ordering = ["name"]

    def __str__(self):
        return self.name
