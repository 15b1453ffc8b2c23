"""A plan as data: its document tree, quantified indicators and qualitative milestones."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.policies import RestrictedQuerySet


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


# Which state may follow which; services.change_plan_state enforces it.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanState.DRAFT: {PlanState.ACTIVE, PlanState.ARCHIVED},
    PlanState.ACTIVE: {PlanState.ARCHIVED},
    PlanState.ARCHIVED: {PlanState.ACTIVE},
}


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("period start year"))
    period_end = models.PositiveSmallIntegerField(_("period end year"))
    outlook_year = models.PositiveSmallIntegerField(_("outlook year"), null=True, blank=True)
    final_grace_months = models.PositiveSmallIntegerField(
        _("grace period for final figures (months)"),
        default=6,
        help_text=_(
            "After a deadline, how long the figures for its period may still arrive; after "
            "that, a target without them counts as not achieved (no data)."
        ),
    )
    region = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The area the plan covers (a district for its own plan); empty: the city."),
    )
    preamble = models.TextField(_("preamble"), blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "code"]

    def __str__(self):
        return self.short_title or self.title

    @property
    def end_date(self) -> dt.date:
        """The last day of the plan period."""
        return dt.date(self.period_end, 12, 31)

    def has_ended(self, as_of: dt.date) -> bool:
        """The plan period is over as of the date: the plan reads 已结束, not 执行中."""
        return as_of > self.end_date

    def state_label(self, as_of: dt.date) -> str:
        """The state as a page shows it as of a date: an active plan past its period's end
        has ended (已结束); otherwise the stored state (草稿, 执行中, 已归档)."""
        if self.state == PlanState.ACTIVE and self.has_ended(as_of):
            return str(_("Ended"))
        return str(self.get_state_display())


class PlanNode(models.Model):
    """A heading of the plan document (一、 / (一) / 1. / ——) with its own original text."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan node")
        verbose_name_plural = _("plan nodes")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="node_key_unique")]

    def __str__(self):
        return self.heading

    @property
    def heading(self) -> str:
        """How the node reads on a page: its label and title (二、重点任务, （一）…); a dash item
        (——) without a title by the start of its text, never as "——1.3.1"."""
        if self.title:
            return f"{self.label}{self.title}"
        # a page that loaded the nodes without their text (the review page's ancestors) is
        # not made to read each one back
        text = "" if "text" in self.get_deferred_fields() else " ".join(self.text.split())
        if text:
            return text if len(text) <= HEADING_LENGTH else text[:HEADING_LENGTH] + "…"
        label = self.label.strip("—-－ ")
        return label or self.key


HEADING_LENGTH = 24


class IndicatorKind(models.TextChoices):
    LEVEL = "level", pgettext_lazy("indicator kind", "Level")  # not a platform's 级别
    CHANGE = "change", pgettext_lazy("indicator kind", "Change")  # not the admin's 修改


class Direction(models.IntegerChoices):
    INCREASE = 1, _("Should rise")
    DECREASE = -1, _("Should fall")


class Trajectory(models.TextChoices):
    GROWTH = "growth", _("Growth (compound rate)")
    LINEAR = "linear", _("Linear (share of the way)")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of units")
    MEAN = "mean", _("Mean of units")
    MAX = "max", _("Largest unit")
    MIN = "min", _("Smallest unit")
    NONE = "none", _("Plan-wide figure only")


class Comparator(models.TextChoices):
    GE = ">=", _("at least")
    LE = "<=", _("at most")
    EQ = "=", _("reach")


class Frequency(models.TextChoices):
    YEAR = "year", _("Yearly")
    QUARTER = "quarter", _("Quarterly")
    MONTH = "month", _("Monthly")


class Source(models.TextChoices):
    MANUAL = "manual", _("Reported by units")
    COMPUTED = "computed", _("Computed from registers")


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.LEVEL
    )
    direction = models.SmallIntegerField(_("direction"), choices=Direction.choices)
    trajectory = models.CharField(_("trajectory"), max_length=10, choices=Trajectory.choices)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    baseline_period = models.CharField(_("baseline period"), max_length=10, blank=True)
    target_min = models.DecimalField(_("target"), max_digits=24, decimal_places=6)
    target_max = models.DecimalField(
        _("target upper bound"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.EQ
    )
    deadline = models.DateField(_("deadline"))
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_indicators",
    )
    supporting_units = models.ManyToManyField(
        "orgunits.OrgUnit",
        verbose_name=_("supporting units"),
        blank=True,
        related_name="supported_indicators",
    )
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTER,
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    computation = models.JSONField(_("computation"), default=dict, blank=True)
    sentence = models.TextField(_("source sentence"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=3, default=1)
    headline = models.BooleanField(_("headline"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_range(self) -> bool:
        return self.target_max is not None and self.target_max != self.target_min

    @property
    def deadline_year(self) -> int:
        return self.deadline.year


class Milestone(models.Model):
    """A qualitative commitment (no number); its status comes from reports with evidence."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    node = models.ForeignKey(PlanNode, on_delete=models.PROTECT, related_name="milestones")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due"))
    lead_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_milestones",
    )
    supporting_units = models.ManyToManyField(
        "orgunits.OrgUnit",
        verbose_name=_("supporting units"),
        blank=True,
        related_name="supported_milestones",
    )
    sentence = models.TextField(_("source sentence"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=3, default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="milestone_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)
