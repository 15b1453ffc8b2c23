"""Reporting rounds: the office asks every responsible unit for its figures of one period.

A `Round` (e.g. 2019年第三季度) belongs to a plan and a period and has a deadline counted in
Chinese working days. Opening it creates one `Assignment` per thing a unit must report (see
`services.assignment_targets` for the rule). An assignment carries the unit's value (or the
milestone's progress), a narrative, an explanation, `Evidence` files, and a workflow whose every
step is a `Transition` row. Only the office's approval writes the value into
`ducha.datavalues` (DataValue + ApprovedValue, or MilestoneReport), where assessments read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet
from ducha.datavalues.models import MilestoneProgress, SourceFields


class RoundState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


ROUND_TRANSITIONS: dict[str, set[str]] = {
    RoundState.OPEN: {RoundState.CLOSED},
    RoundState.CLOSED: {RoundState.OPEN},  # reopened for late corrections
}


class Round(models.Model):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="rounds"
    )
    period = models.CharField(_("period"), max_length=10)
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=100)
    opened_on = models.DateField(_("opened on"))
    working_days = models.PositiveSmallIntegerField(_("working days to report"))
    deadline = models.DateField(_("deadline"))
    deadline_known = models.BooleanField(
        _("deadline from the official holiday calendar"), default=True
    )
    change_threshold = models.DecimalField(
        _("change that needs an explanation"),
        max_digits=5,
        decimal_places=3,
        help_text=_("A share of the last period's figure, e.g. 0.3."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period_end", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_round_per_period")
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    def is_past_deadline(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class AssignmentKind(models.TextChoices):
    LEAD = "lead", _("Lead unit (city-wide figure)")
    CONTRIBUTOR = "contributor", _("Own figure (adds up to the city)")
    MILESTONE = "milestone", _("Milestone progress")


class AssignmentStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    UNIT_APPROVED = "unit_approved", _("Approved by the unit head")
    APPROVED = "approved", _("Approved by the office")
    RETURNED = "returned", _("Returned for correction")


# The workflow; services check every move against it and against who may make it.
# SUBMITTED -> APPROVED is only taken by the office for a unit that has no unit head.
# SUBMITTED -> DRAFT is the unit withdrawing (撤回) its own submission before review starts.
ASSIGNMENT_TRANSITIONS: dict[str, set[str]] = {
    AssignmentStatus.DRAFT: {AssignmentStatus.SUBMITTED},
    AssignmentStatus.RETURNED: {AssignmentStatus.SUBMITTED},
    AssignmentStatus.SUBMITTED: {
        AssignmentStatus.DRAFT,
        AssignmentStatus.UNIT_APPROVED,
        AssignmentStatus.RETURNED,
        AssignmentStatus.APPROVED,
    },
    AssignmentStatus.UNIT_APPROVED: {AssignmentStatus.APPROVED, AssignmentStatus.RETURNED},
    AssignmentStatus.APPROVED: {AssignmentStatus.RETURNED},  # reopened for a correction
}

EDITABLE = {AssignmentStatus.DRAFT, AssignmentStatus.RETURNED}
PENDING = {AssignmentStatus.DRAFT, AssignmentStatus.RETURNED}  # the unit still owes it
# The unit may still add evidence: while it fills the report in, and after submitting it
# until review starts (the reviewer then sees what was added).
EVIDENCE_OPEN = EDITABLE | {AssignmentStatus.SUBMITTED}


class AssignmentQuerySet(RestrictedQuerySet):
    def overdue(self, today=None):
        """Still owed by the unit in an open round whose deadline has passed."""
        today = today or timezone.localdate()
        return self.filter(
            round__state=RoundState.OPEN, round__deadline__lt=today, status__in=PENDING
        )


class Assignment(SourceFields):
    """What one unit owes a round. Its source (来源, 口径, link, one of its evidence files as
    the source attachment) goes with the figure to the approved value."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="assignments"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AssignmentKind.choices)
    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    milestone = models.ForeignKey(
        "plans.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True, blank=True)
    progress = models.CharField(
        _("progress"), max_length=12, choices=MilestoneProgress.choices, blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    # What the quality gate flagged when the figure was submitted (ducha.quality.gate), kept
    # so that reviewers see it beside the explanation: [{"kind": ..., "params": {...}}].
    quality_flags = models.JSONField(_("quality flags"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    unit_approved_at = models.DateTimeField(
        _("approved by the unit head at"), null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Links to what the office's approval wrote. SET_NULL only matters when `ducha demo`
    # replaces its own demo values; nothing else deletes values.
    data_value = models.ForeignKey(
        "datavalues.DataValue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    milestone_report = models.ForeignKey(
        "datavalues.MilestoneReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "org_unit__position", "org_unit__code", "indicator", "milestone"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, milestone__isnull=True)
                | Q(indicator__isnull=True, milestone__isnull=False),
                name="assignment_indicator_xor_milestone",
            ),
            models.UniqueConstraint(
                fields=["round", "org_unit", "indicator"],
                condition=Q(indicator__isnull=False),
                name="one_assignment_per_indicator",
            ),
            models.UniqueConstraint(
                fields=["round", "org_unit", "milestone"],
                condition=Q(milestone__isnull=False),
                name="one_assignment_per_milestone",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "status"])]

    def __str__(self):
        return f"{self.round.title} · {self.org_unit.label} · {self.subject_code}"

    @property
    def subject(self):
        return self.indicator if self.indicator_id else self.milestone

    @property
    def subject_code(self) -> str:
        return self.subject.code

    @property
    def subject_name(self) -> str:
        return self.indicator.name if self.indicator_id else self.milestone.title

    @property
    def is_milestone(self) -> bool:
        return self.milestone_id is not None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_late(self) -> bool:
        """Submitted after the deadline, or still owed after it."""
        deadline = self.round.deadline
        if self.first_submitted_at is not None:
            return timezone.localdate(self.first_submitted_at) > deadline
        return self.status in PENDING and timezone.localdate() > deadline

    @property
    def unit_of_value(self):
        """The org unit the approved figure is recorded for: a lead unit's city-wide figure is
        the city's (the assessment counts the city's own figure before any sum of districts)."""
        if self.kind == AssignmentKind.LEAD and self.org_unit.parent_id is not None:
            root = self.org_unit
            while root.parent_id is not None:
                root = root.parent
            return root
        return self.org_unit


class Transition(models.Model):
    """One step of an assignment's workflow: who moved it, when, from where to where, why."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=14, choices=AssignmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=14, choices=AssignmentStatus.choices)
    action = models.CharField(_("action"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["assignment", "at", "id"]

    def __str__(self):
        return f"{self.assignment_id}: {self.from_status} → {self.to_status}"


def evidence_path(instance, filename):
    # The stored name is the content hash, never the user's file name.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """A file that backs an assignment. Never deleted: removing it archives it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assignment", "uploaded_at"]

    def __str__(self):
        return self.original_name


class ReportingEffort(models.Model):
    """What reporting one assignment cost its unit: the reporting burden (基层减负).

    Written by the sheet (`reporting.sheet`) and the assignment page: when a person of the
    unit first opened it, which fields the round asked, which of them the system filled in
    (the registers, the last period, the unit's known evidence) and which the person typed
    (left empty by the system, or changed from what it proposed). The time spent is from
    `opened_at` to the assignment's first submission. Counts never include logins or clicks.
    """

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="effort", verbose_name=_("assignment")
    )
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # field names: "value" (or "progress"), "narrative", "source", "evidence", "explanation"
    asked = models.JSONField(_("fields asked"), default=list, blank=True)
    prefilled = models.JSONField(_("fields prefilled"), default=list, blank=True)
    typed = models.JSONField(_("fields typed"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting effort")
        verbose_name_plural = _("reporting efforts")

    def __str__(self):
        return f"{self.assignment_id}: {len(self.typed)}/{len(self.asked)}"
