"""督办: chasing what is late or lagging.

`Reminder` rows record every reminder and escalation sent (one per assignment, level and day,
which is what makes `ducha remind` safe to run as often as cron likes). A `Case` is a leader's
instruction (批示) or a rectification (整改) assigned to a unit and tracked to closure; every
move of its state is a `CaseEvent`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class ReminderLevel(models.TextChoices):
    REMINDER = "reminder", _("Reminder to the unit")
    HEAD = "head", _("Escalated to the unit head")
    OFFICE = "office", _("Escalated to the office")


class Reminder(models.Model):
    assignment = models.ForeignKey(
        "reporting.Assignment", on_delete=models.PROTECT, related_name="reminders"
    )
    level = models.CharField(_("level"), max_length=10, choices=ReminderLevel.choices)
    sent_on = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    working_days_late = models.PositiveSmallIntegerField(_("working days late"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "level", "sent_on"], name="one_reminder_per_level_and_day"
            )
        ]

    def __str__(self):
        return f"{self.sent_on} {self.level} {self.assignment_id}"


class CaseKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Leader's instruction (批示)")
    RECTIFICATION = "rectification", _("Rectification (整改)")


class CaseState(models.TextChoices):
    OPEN = "open", _("Waiting for the unit")
    IN_PROGRESS = "in_progress", _("Being handled")
    REPORTED = "reported", _("Reported done, awaiting check")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseState.OPEN: {CaseState.IN_PROGRESS, CaseState.REPORTED, CaseState.WITHDRAWN},
    CaseState.IN_PROGRESS: {CaseState.REPORTED, CaseState.WITHDRAWN},
    CaseState.REPORTED: {CaseState.CLOSED, CaseState.IN_PROGRESS},  # checked, or sent back
    CaseState.CLOSED: set(),
    CaseState.WITHDRAWN: set(),
}
OPEN_STATES = {CaseState.OPEN, CaseState.IN_PROGRESS, CaseState.REPORTED}


class Case(models.Model):
    kind = models.CharField(_("kind"), max_length=14, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("instruction or requirement"))
    leader_name = models.CharField(
        _("instructed by"),
        max_length=100,
        blank=True,
        help_text=_("For an instruction: the leader who gave it (the office records it)."),
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("follows from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    indicator = models.ForeignKey(
        "plans.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    milestone = models.ForeignKey(
        "plans.Milestone", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        "reporting.Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(_("unit's report"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["org_unit", "state"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due

    @property
    def subject(self):
        return self.indicator or self.milestone or self.assignment


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=12, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=CaseState.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "at", "id"]

    def __str__(self):
        return f"{self.case_id}: {self.from_state} → {self.to_state}"
