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

NOTE_LABELS = {
    "baseline_from_earliest": _(
        "The plan states no baseline: the earliest approved value is used."
    ),
    "growth_fallback_linear": _(
        "Growth rates cannot be formed from these values: judged linearly."
    ),
    "single_observation": _("Only one value so far: progress cannot be judged yet."),
}


def status_label(status) -> str:
    return str(STATUS_LABELS.get(Status(status), status))


def note_label(code: str) -> str:
    return str(NOTE_LABELS.get(code, code))
