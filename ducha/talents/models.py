"""The 人工智能高端人才数据库 (六(六)1): talents and teams.

Identity documents, birth dates, phone numbers and e-mail addresses are personal data: only
the office sees them (policy action ``view_personal``); everyone else sees them masked, and
exports leave them out unless an allowed user asks for them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.registers.models import RegisterRecord
from ducha.registers.taxonomy import TechField


class Category(models.TextChoices):
    TOP = "top", _("Top talent")
    RD = "rd", _("High-end R&D talent")
    SKILLED = "skilled", _("Highly skilled talent")
    ENTREPRENEUR = "entrepreneur", _("Leading entrepreneur")
    YOUNG = "young", _("Outstanding young talent")


CATEGORY_NAMES = {
    Category.TOP: ("顶尖人才",),
    Category.RD: ("高端研发人才", "研发人才"),
    Category.SKILLED: ("高技能人才", "技能人才"),
    Category.ENTREPRENEUR: ("领军企业家", "企业家"),
    Category.YOUNG: ("青年优秀人才", "青年人才"),
}


class IdType(models.TextChoices):
    RESIDENT = "resident", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    PERMIT = "permit", _("Hong Kong, Macao or Taiwan permit")


ID_TYPE_NAMES = {
    IdType.RESIDENT: ("居民身份证", "身份证"),
    IdType.PASSPORT: ("护照",),
    IdType.PERMIT: ("港澳台居民居住证", "港澳通行证", "台胞证", "回乡证"),
}


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


GENDER_NAMES = {Gender.FEMALE: ("女",), Gender.MALE: ("男",)}


class TeamLevel(models.TextChoices):
    TOP = "top", _("Top team")
    KEY = "key", _("Key team")


TEAM_LEVEL_NAMES = {TeamLevel.TOP: ("顶尖团队",), TeamLevel.KEY: ("重点团队", "创新团队")}


class Team(RegisterRecord):
    name = models.CharField(_("name"), max_length=200, unique=True)
    leader_name = models.CharField(_("team leader"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=TeamLevel.choices)
    field = models.CharField(_("field"), max_length=20, choices=TechField.choices, blank=True)
    host = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("host enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    host_name = models.CharField(_("host organisation"), max_length=200, blank=True)
    district = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    introduced_on = models.DateField(_("introduced on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Talent(RegisterRecord):
    name = models.CharField(_("name"), max_length=100, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    id_type = models.CharField(
        _("identity document"), max_length=10, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number = models.CharField(_("identity document number"), max_length=30, unique=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    programme = models.CharField(_("talent programme"), max_length=100, blank=True)
    field = models.CharField(_("field"), max_length=20, choices=TechField.choices, blank=True)
    employer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talents",
    )
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talents",
    )
    district = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    introduced_on = models.DateField(_("introduced on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    PERSONAL_FIELDS = ("id_number", "birth_date", "phone", "email")

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["category", "introduced_on"])]

    def __str__(self):
        return self.name
