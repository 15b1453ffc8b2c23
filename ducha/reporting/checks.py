"""When a figure needs an explanation: off track by the assessment engine, or a big move.

A lead unit's city-wide figure is assessed the way the assessments app does it: the approved
values of every unit, with this figure put in for its period, added up to the plan-wide series
and handed to the engine as of the period's end. Off track means the engine's band is
"limited progress" or "deterioration" (R < 0.60). A district's own figure has no target of its
own, so only the change rule applies to it: a move of more than the round's threshold share
from the unit's last approved figure for an earlier period.

On top of these, the quality gate (`ducha.quality.gate`): an outlier against the unit's own
history or its peers, a broken rule between indicators, or districts that do not add up to the
city's figure also need an explanation.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.assessments.labels import status_label
from ducha.assessments.services import UnitTree, approved_values, assess_indicator
from ducha.datavalues.models import ApprovedValue, MilestoneProgress, MilestoneReport, ValueStatus
from ducha.engine import assessment as engine
from ducha.engine.periods import parse_period
from ducha.quality import gate

OFF_TRACK = {engine.Status.LIMITED_PROGRESS, engine.Status.DETERIORATION}
MILESTONE_OFF_TRACK = {MilestoneProgress.DELAYED, MilestoneProgress.BLOCKED}


def explanation_reasons(a) -> list[str]:
    """Why `a` (an Assignment) needs an explanation; empty when it needs none."""
    if a.is_milestone:
        return _milestone_reasons(a)
    if a.value is None:
        return []
    reasons = []
    if a.kind == "lead":
        status = assessed_status(a)
        if status in OFF_TRACK:
            reasons.append(_("the assessment with this figure is %s") % status_label(status))
    previous = previous_value(a)
    if previous is not None and previous != 0:
        change = (a.value - previous) / abs(previous)
        if abs(change) > a.round.change_threshold:
            reasons.append(
                _(
                    "it moves %(change)+.0f%% from %(previous)s in the last period "
                    "(more than %(limit).0f%%)"
                )
                % {
                    "change": float(change) * 100,
                    "previous": _plain(previous),
                    "limit": float(a.round.change_threshold) * 100,
                }
            )
    reasons += [gate.message(flag) for flag in gate.flags_for(a)]
    return reasons


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def previous_value(a) -> Decimal | None:
    """The unit's latest approved figure for a period before this round's."""
    row = (
        ApprovedValue.objects.filter(
            indicator=a.indicator_id,
            org_unit=a.unit_of_value,
            period_end__lt=a.round.period_end,
        )
        .order_by("-period_end", "-approved_at", "-id")
        .values_list("value", flat=True)
        .first()
    )
    return row


def assessed_status(a) -> engine.Status:
    """The indicator's status as of the period's end if this figure were approved."""
    period = parse_period(a.round.period)
    # Everything approved so far (a late correction of an earlier period counts); the engine
    # ignores observations after the period's end. This figure takes the place of whatever
    # the unit has approved for the round's period.
    by_period = approved_values([a.indicator_id], timezone.localdate()).get(a.indicator_id, {})
    by_period = {code: dict(cell) for code, cell in by_period.items()}
    by_period.setdefault(period.code, {})[a.unit_of_value.pk] = float(a.value)
    result = assess_indicator(a.indicator, by_period, period.time, UnitTree.load())
    return result.status


def _milestone_reasons(a) -> list[str]:
    reasons = []
    if a.progress in MILESTONE_OFF_TRACK:
        reasons.append(_("the milestone is %s") % MilestoneProgress(a.progress).label)
    last = (
        MilestoneReport.objects.filter(
            milestone=a.milestone_id,
            org_unit=a.org_unit_id,
            status=ValueStatus.APPROVED,
            period_end__lt=a.round.period_end,
        )
        .order_by("-period_end")
        .values_list("progress", flat=True)
        .first()
    )
    if last == MilestoneProgress.COMPLETED and a.progress and a.progress != last:
        reasons.append(_("it was reported completed before"))
    return reasons
