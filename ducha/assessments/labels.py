"""How statuses read and look to people (the engine only knows their codes)."""

from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from ducha.engine.assessment import SCORES, Rollup, Status

STATUS_LABELS = {
    Status.ACHIEVED: _("Achieved"),
    Status.ON_TRACK: _("On track"),
    Status.NEEDS_ACCELERATION: _("Needs acceleration"),
    Status.LIMITED_PROGRESS: _("Limited progress"),
    Status.DETERIORATION: _("Deterioration"),
    Status.NO_DATA: _("No data"),
    Status.STALE: _("Stale data"),
    Status.ACHIEVED_LATE: _("Achieved late"),
    Status.NOT_ACHIEVED: _("Not achieved"),
    Status.AWAITING_FINAL: _("Awaiting final figures"),
    Status.NOT_ACHIEVED_NO_DATA: _("Not achieved (no data)"),
}

# What each status means, in plain words for officials (tooltips, the method page).
STATUS_HELP = {
    Status.ACHIEVED: _(
        "The target has been reached (after the deadline: reached by the deadline)."
    ),
    Status.ON_TRACK: _("At this pace the target will be reached by the deadline (R ≥ 0.95)."),
    Status.NEEDS_ACCELERATION: _(
        "Progress, but too slow to reach the target by the deadline (0.60 ≤ R < 0.95)."
    ),
    Status.LIMITED_PROGRESS: _("Far too slow to reach the target by the deadline (R < 0.60)."),
    Status.DETERIORATION: _("Moving away from the target (R < 0)."),
    Status.NO_DATA: _("No approved value yet, or too little to judge a pace."),
    Status.STALE: _("The latest approved value is older than two reporting periods."),
    Status.ACHIEVED_LATE: _("The deadline has passed; the target was reached only after it."),
    Status.NOT_ACHIEVED: _(
        "The deadline has passed and the figure for its period falls short of the target."
    ),
    Status.AWAITING_FINAL: _(
        "The deadline has passed; the figure for its period may still arrive within the "
        "grace period the plan allows."
    ),
    Status.NOT_ACHIEVED_NO_DATA: _(
        "The deadline and the grace period have passed without the figure for the deadline’s "
        "period: counted as not achieved."
    ),
}

# Display order: the worst first is what the office reads first.
STATUS_ORDER = [
    Status.NOT_ACHIEVED,
    Status.NOT_ACHIEVED_NO_DATA,
    Status.DETERIORATION,
    Status.LIMITED_PROGRESS,
    Status.NEEDS_ACCELERATION,
    Status.STALE,
    Status.AWAITING_FINAL,
    Status.NO_DATA,
    Status.ON_TRACK,
    Status.ACHIEVED_LATE,
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
    "final_evaluation": _(
        "The deadline has passed: this is the final evaluation, and nothing is forecast."
    ),
    "no_final_value": _("No figure for the deadline’s period arrived within the grace period."),
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


def status_help(status) -> str:
    return str(STATUS_HELP.get(Status(status), ""))


def made_of(node) -> str:
    """What a node's status is rolled up from: "3 项指标、1 项任务、2 个下级部分"."""
    parts = []
    n = len(node.indicators)
    if n:
        parts.append(ngettext("%(n)d indicator", "%(n)d indicators", n) % {"n": n})
    n = len(node.milestones)
    if n:
        parts.append(ngettext("%(n)d milestone", "%(n)d milestones", n) % {"n": n})
    n = sum(1 for c in node.children if c.rollup.counts)
    if n:
        parts.append(ngettext("%(n)d sub-section", "%(n)d sub-sections", n) % {"n": n})
    return pgettext("list separator", ", ").join(parts)


def status_counts(rollup: Rollup) -> str:
    """ "已完成 2、需加快进度 1", worst first."""
    return pgettext("list separator", ", ").join(
        f"{STATUS_LABELS[s]} {rollup.counts[s]}" for s in STATUS_ORDER if rollup.counts.get(s)
    )


def rollup_rule(rollup: Rollup) -> str:
    """Which rule gave the status, in words (``engine.assessment.ROLLUP_RULES``)."""
    values = {"status": STATUS_LABELS[rollup.status], "top": max(SCORES.values())}
    if rollup.score is not None:
        values["score"] = f"{rollup.score:.2f}"
    texts = {
        "empty": _("nothing to assess"),
        "unscored": _("none of them has a current figure to score → %(status)s"),
        "all_achieved": _("every one achieved → %(status)s"),
        "mean": _("weighted mean score %(score)s of %(top)s → %(status)s"),
        "final_missed": _("final evaluation: at least one not achieved → %(status)s"),
        "final_awaiting": _(
            "final evaluation: none missed, some still await their final figures → %(status)s"
        ),
        "final_late": _("final evaluation: all reached, some after the deadline → %(status)s"),
    }
    return str(texts.get(rollup.rule, texts["mean"])) % values


def rollup_explanation(node) -> str:
    """How a node's status was reached, for its page, the tree and the API:
    "由 3 项指标、1 项任务汇总：已完成 2、未完成 2；终期评估：有未完成项 → 未完成"."""
    if not node.rollup.counts:
        return str(_("Nothing to assess under this section."))
    return gettext("From %(parts)s: %(counts)s; %(rule)s.") % {
        "parts": made_of(node),
        "counts": status_counts(node.rollup),
        "rule": rollup_rule(node.rollup),
    }


def overall_explanation(result) -> str:
    """How the plan's overall status was reached (its top-level sections rolled up)."""
    roots = [r for r in result.roots if r.rollup.counts]
    if not roots:
        return str(_("Nothing to assess under this section."))
    n = len(roots)
    return gettext("From %(parts)s: %(counts)s; %(rule)s.") % {
        "parts": ngettext("%(n)d section", "%(n)d sections", n) % {"n": n},
        "counts": status_counts(result.overall),
        "rule": rollup_rule(result.overall),
    }
