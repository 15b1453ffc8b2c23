"""Writes of the quality settings: the tolerance and the rules between indicators (office only)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import diff, record, snapshot
from ducha.core.policies import require
from ducha.quality.models import DEFAULT_TOLERANCE, QualitySettings, SumRule

MAX_TOLERANCE = Decimal("0.5")


class QualityError(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def clean_tolerance(raw) -> Decimal:
    """A share between 0 and 0.5, as typed (0.05) or as a percentage (5%)."""
    text = str(raw if raw is not None else "").strip()
    percent = text.endswith(("%", "％"))
    try:
        value = Decimal(text.rstrip("%％").strip())
    except InvalidOperation:
        raise QualityError(
            _("%s is not a number (write 0.05 or 5%%)") % text[:20], "district_tolerance"
        ) from None
    if percent:
        value = value / 100
    if not value.is_finite() or not Decimal(0) <= value <= MAX_TOLERANCE:
        raise QualityError(_("the tolerance must be between 0 and 50%"), "district_tolerance")
    return value.quantize(Decimal("0.001"))


@transaction.atomic
def save_settings(actor, plan, *, district_tolerance) -> QualitySettings:
    settings = QualitySettings.objects.select_for_update().filter(plan=plan).first()
    if actor is not None:
        require(actor, "change", settings or QualitySettings)
    tolerance = clean_tolerance(district_tolerance)
    if settings is None:
        settings = QualitySettings(plan=plan, district_tolerance=DEFAULT_TOLERANCE)
        before = {}
    else:
        before = snapshot(settings, ["district_tolerance"])
    settings.district_tolerance = tolerance
    settings.updated_by = actor
    settings.save()
    record(
        actor,
        "quality.settings.saved",
        settings,
        changes=diff(before, snapshot(settings, ["district_tolerance"])),
    )
    return settings


@transaction.atomic
def add_rule(actor, plan, *, title: str, whole, parts) -> SumRule:
    """A new rule: the parts' plan-wide values together cannot exceed the whole's."""
    if actor is not None:
        require(actor, "add", SumRule)
    parts = list(parts)
    title = (title or "").strip()
    if not title:
        raise QualityError(_("give the rule a title"), "title")
    if whole is None or whole.plan_id != plan.pk:
        raise QualityError(_("choose the whole among the plan's indicators"), "whole")
    if not parts or any(p.plan_id != plan.pk for p in parts):
        raise QualityError(_("choose at least one part among the plan's indicators"), "parts")
    if any(p.pk == whole.pk for p in parts):
        raise QualityError(_("an indicator cannot be a part of itself"), "parts")
    units = {whole.unit, *(p.unit for p in parts)}
    if len(units) > 1:
        raise QualityError(
            _("the whole and its parts must share one unit; these are in %s") % "、".join(units),
            "parts",
        )
    rule = SumRule.objects.create(plan=plan, title=title[:200], whole=whole, created_by=actor)
    rule.parts.set(parts)
    record(
        actor,
        "quality.rule.added",
        rule,
        changes={
            "title": [None, rule.title],
            "whole": [None, whole.code],
            "parts": [None, [p.code for p in parts]],
        },
    )
    return rule


@transaction.atomic
def set_rule_active(actor, rule: SumRule, active: bool) -> SumRule:
    if actor is not None:
        require(actor, "change", rule)
    rule = SumRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active != active:
        rule.is_active = active
        rule.save(update_fields=["is_active"])
        record(
            actor,
            "quality.rule.activated" if active else "quality.rule.deactivated",
            rule,
            changes={"is_active": [not active, active]},
        )
    return rule


def ensure_rule(actor, plan, *, title: str, whole_code: str, part_codes: list[str]):
    """The rule, added once (e.g. by the demo); None when the plan lacks its indicators."""
    indicators = {i.code: i for i in plan.indicators.filter(code__in=[whole_code, *part_codes])}
    if whole_code not in indicators or not all(c in indicators for c in part_codes):
        return None
    found = SumRule.objects.filter(plan=plan, whole=indicators[whole_code], title=title).first()
    if found is not None:
        return found
    return add_rule(
        actor,
        plan,
        title=title,
        whole=indicators[whole_code],
        parts=[indicators[c] for c in part_codes],
    )
