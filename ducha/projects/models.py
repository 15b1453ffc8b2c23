"""Projects (六(四), 三, 六(一)(五)): pilots and demonstrations, key R&D and major industrial
projects, investment promotion and cooperation, each moving through an explicit workflow
签约 → 开工 → 投产 → 验收, with the date of every step."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.registers.models import RegisterRecord


class ProjectType(models.TextChoices):
    NATIONAL_PILOT = "national_pilot", _("National pilot or demonstration")
    CITY_PILOT = "city_pilot", _("Municipal pilot or demonstration")
    KEY_RD = "key_rd", _("Key R&D project")
    MAJOR_INDUSTRIAL = "major_industrial", _("Major industrial project")
    INVESTMENT = "investment", _("Investment promotion project")
    COOPERATION = "cooperation", _("Cooperation project")


PROJECT_TYPE_NAMES = {
    ProjectType.NATIONAL_PILOT: ("国家级试点示范", "国家级试点示范项目", "国家试点示范"),
    ProjectType.CITY_PILOT: ("市级试点示范", "市级试点示范项目"),
    ProjectType.KEY_RD: ("重点研发", "重点研发项目"),
    ProjectType.MAJOR_INDUSTRIAL: ("重大产业", "重大产业项目"),
    ProjectType.INVESTMENT: ("招商引资", "招商引资项目"),
    ProjectType.COOPERATION: ("合作", "合作项目", "国际合作", "区域合作"),
}


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Construction started")
    OPERATING = "operating", _("In production")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


STAGE_NAMES = {
    Stage.NEGOTIATING: ("洽谈", "在谈"),
    Stage.SIGNED: ("签约", "已签约", "立项"),
    Stage.STARTED: ("开工", "已开工", "在建"),
    Stage.OPERATING: ("投产", "已投产", "运营"),
    Stage.ACCEPTED: ("验收", "已验收", "建成"),
    Stage.CANCELLED: ("终止", "已终止", "取消"),
}

# The workflow: each stage and the stages that may follow it. Going back is a correction the
# office makes with a reason (services.correct_stage), not a transition.
PROJECT_TRANSITIONS: dict[str, set[str]] = {
    Stage.NEGOTIATING: {Stage.SIGNED, Stage.CANCELLED},
    Stage.SIGNED: {Stage.STARTED, Stage.CANCELLED},
    Stage.STARTED: {Stage.OPERATING, Stage.CANCELLED},
    Stage.OPERATING: {Stage.ACCEPTED, Stage.CANCELLED},
    Stage.ACCEPTED: set(),
    Stage.CANCELLED: set(),
}
# The date field each stage sets, in workflow order.
STAGE_DATES: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.OPERATING: "operating_on",
    Stage.ACCEPTED: "accepted_on",
    Stage.CANCELLED: "cancelled_on",
}
FORWARD = [Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.OPERATING, Stage.ACCEPTED]


class Project(RegisterRecord):
    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    type = models.CharField(_("type"), max_length=20, choices=ProjectType.choices)
    domain = models.ForeignKey(
        "plans.PlanNode",
        verbose_name=_("plan section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    investment = models.DecimalField(
        _("investment (10k yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.NEGOTIATING
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    operating_on = models.DateField(_("in production on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [models.Index(fields=["type", "stage"]), models.Index(fields=["district"])]

    def __str__(self):
        return f"{self.code} {self.name}"
