"""How statuses read and look to people (the engine only knows their codes)."""

from django.utils.translation import gettext_lazy as _

from ducha.engine.assessment import Status

STATUS_LABELS = {
    Status.ACHIEVED: _("Achieved"),
    Status.ON_TRACK: _("On track"),
    Status.NEEDS_ACCELERATION: _("Needs acceleration"),
    Status.LIMITED_PROGRESS: _("Limited progress"),
    Status.DETERIORATION: _("Deterioration"),
    Status.NO_DATA: _("No data"),
    Status.STALE: _("Stale data"),
}

# Display order: the worst first is what the office reads first.
STATUS_ORDER = [
    Status.DETERIORATION,
    Status.LIMITED_PROGRESS,
    Status.NEEDS_ACCELERATION,
    Status.STALE,
    Status.NO_DATA,
    Status.ON_TRACK,
    Status.ACHIEVED,
]

# Every note code the engine (ducha.engine.assessment) attaches, in words for people.
NOTE_LABELS = {
    "partial_period_left_out": _(
        "The latest period is left out until every unit's value for it is approved."
    ),
    "baseline_from_earliest": _(
        "The plan states no baseline: the earliest approved value is used."
    ),
    "growth_fallback_linear": _(
        "Growth rates cannot be formed from these values: judged linearly."
    ),
    "single_observation": _("Only one value so far: progress cannot be judged yet."),
    "no_time_since_baseline": _(
        "The latest value is from the baseline period: progress cannot be judged yet."
    ),
    "as_of_before_baseline": _("The date chosen is before the baseline."),
    "deadline_passed": _("The deadline has passed."),
    "deadline_not_after_baseline": _(
        "The deadline is not after the baseline: judged by the share of the way covered."
    ),
    "growth_value_not_positive": _(
        "The value has fallen to zero or below: the forecast is a straight line."
    ),
    "non_finite_ignored": _("Some values were not finite numbers and were left out."),
    "numeric_limit": _("Some figures are too large to compute exactly."),
    "stale_value": _("The target was reached, but the latest value is out of date."),
    "target_behind_baseline": _("The baseline had already met the target."),
    "target_equals_baseline": _("The target equals the baseline: the value must hold its level."),
}


def status_label(status) -> str:
    return str(STATUS_LABELS.get(Status(status), status))


def note_label(code: str) -> str:
    return str(NOTE_LABELS.get(code, code))


def as_of_reason_label(reason: str, period_end: int) -> str:
    """Why an assessment is shown as of its date (``services.AsOfReason``), in words."""
    if reason == "today":
        return str(_("today"))
    if reason == "plan_ended":
        return str(
            _(
                "the plan period ended in %(e)s: a quarter after its end, "
                "when the last figures are in"
            )
        ) % {"e": period_end}
    if reason == "last_approval":
        return str(_("the plan period ended in %(e)s: the day of the last approval")) % {
            "e": period_end
        }
    return str(_("the date chosen"))
