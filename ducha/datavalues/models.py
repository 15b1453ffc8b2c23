"""Values reported against indicators, and status reports on milestones.

A `DataValue` is the working copy for one indicator × org unit × period and carries the
workflow. Each approval appends an immutable `ApprovedValue`: assessments read only those, so
an assessment "as of" a past date sees exactly what had been approved by then, corrections
included.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet

WEB_LINK = URLValidator(schemes=["http", "https"])


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


# The workflow of a value; services check every change against it.
VALUE_TRANSITIONS: dict[str, set[str]] = {
    ValueStatus.DRAFT: {ValueStatus.SUBMITTED, ValueStatus.APPROVED},
    ValueStatus.SUBMITTED: {ValueStatus.DRAFT, ValueStatus.APPROVED},
    ValueStatus.APPROVED: {ValueStatus.DRAFT},  # reopened for a correction, with a reason
}


class ValueSource(models.TextChoices):
    """Where a figure comes from (来源). Every value, approval and report carries one."""

    STATS_ANNUAL = "stats_annual", _("Statistics bureau annual report")
    STATS_FLASH = "stats_flash", _("Statistics bureau flash report")
    DEPARTMENT = "department", _("Department statistics")
    UNIT_REPORT = "unit_report", _("Reported by the unit")
    # The same key as Indicator.source "computed": the registers write these values.
    COMPUTED = "computed", _("Computed from the registers")
    PRESS = "press", _("Press release")
    ESTIMATE = "estimate", _("Estimate")


class SourceFields(models.Model):
    """The source of a figure: its kind, an optional 口径 note, URL and attachment (one of the
    evidence files of the report it came with). Shared by the working value, each approval
    and a reporting assignment."""

    source = models.CharField(
        _("source"), max_length=20, choices=ValueSource.choices, default=ValueSource.UNIT_REPORT
    )
    source_note = models.CharField(_("basis (口径)"), max_length=500, blank=True)
    # a CharField checked as a URL: forms.URLField would guess a scheme (http, https in 6.0)
    source_url = models.CharField(
        _("source link"), max_length=500, blank=True, validators=[WEB_LINK]
    )
    # SET_NULL only matters when `ducha demo` replaces its own demo evidence; nothing else
    # deletes evidence (it is archived).
    source_evidence = models.ForeignKey(
        "reporting.Evidence",
        verbose_name=_("source attachment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def source_fields(self) -> dict:
        return {
            "source": self.source,
            "source_note": self.source_note,
            "source_url": self.source_url,
            "source_evidence_id": self.source_evidence_id,
        }


class DataValue(SourceFields):
    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    period = models.CharField(_("period"), max_length=10)
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        ordering = ["indicator", "period_end", "org_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period"], name="one_value_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["org_unit", "status"]),
            # an indicator's values per unit up to a date (the indicator page's summary),
            # answered from the index alone
            models.Index(
                fields=["indicator", "org_unit", "period_end"], name="datavalue_unit_periods"
            ),
            # Every page asks whether demo rows exist (the banner): a partial index answers
            # from a handful of entries, where the column alone scanned a million values.
            models.Index(
                fields=["is_demo"], condition=models.Q(is_demo=True), name="datavalue_demo_rows"
            ),
            # The values the registers computed (registers.services.recompute reads them to
            # drop a district that no longer counts to zero): a few thousand among millions.
            models.Index(
                fields=["indicator"],
                condition=models.Q(source="computed"),
                name="datavalue_computed",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.org_unit} {self.period}"


class ApprovedValue(SourceFields):
    """An approval, never changed afterwards. The latest one per key as of a date counts;
    it keeps the source the figure was approved with."""

    data_value = models.ForeignKey(DataValue, on_delete=models.PROTECT, related_name="approvals")
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    approved_at = models.DateTimeField(_("approved at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approved value")
        verbose_name_plural = _("approved values")
        indexes = [
            # the cockpit counts the approvals (and their units) since the last round from
            # this index alone (an index-only scan on PostgreSQL, not a heap fetch a row)
            models.Index(fields=["indicator", "approved_at", "org_unit"], name="approvals_by_time"),
            # the assessment store recomputes one indicator × period from its approvals
            models.Index(fields=["indicator", "period", "approved_at"], name="approval_key"),
        ]

    def __str__(self):
        return f"{self.period} {self.value}"


class MilestoneProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    BLOCKED = "blocked", _("Blocked")


class MilestoneReport(models.Model):
    """A unit's statement of where a qualitative commitment stands, with its evidence."""

    milestone = models.ForeignKey(
        "plans.Milestone", on_delete=models.PROTECT, related_name="reports"
    )
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    period_end = models.DateField(_("period end"))
    progress = models.CharField(_("progress"), max_length=12, choices=MilestoneProgress.choices)
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")
        ordering = ["milestone", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "org_unit", "period"], name="one_report_per_period"
            )
        ]

    def __str__(self):
        return f"{self.milestone.code} {self.org_unit} {self.period}"
