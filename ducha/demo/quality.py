"""The demo's data-quality story: a rule between indicators, the tolerance, and planted
outliers the quality page lists (deterministic: the same units, indicators and factors).

- In the closed round 2020Q3, two districts reported far above their own history (滨海新区's
  智能农业示范园区 five times, 北辰区's 智能物流示范企业 six times the demo's figure), with an
  explanation; the
  city's figure (the districts' sum before the slip) no longer matches the districts' sum, so
  the quality page also lists the districts-against-the-city violation of both indicators.
- In the open round 2020Q4, 滨海新区 reports its 供应商 figure six times too high through the
  real workflow: the gate asks for an explanation before it can be submitted.
"""

from __future__ import annotations

from decimal import Decimal

from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.quality import gate, services
from ducha.reporting.models import Assignment

RULE_TITLE = "六大新兴产业规模之和不超过智能科技产业规模"
INDUSTRIES = [
    "TJ-IND-ROBOT",
    "TJ-IND-SOFTWARE",
    "TJ-IND-HARDWARE",
    "TJ-IND-SENSOR",
    "TJ-IND-VRAR",
    "TJ-IND-ICV",
]
TOLERANCE = "0.05"

# (period, district code, indicator code, factor)
PLANTED = [
    ("2020Q3", "120116", "TJ-SEC-AGRI-PARKS", 5),
    ("2020Q3", "120113", "TJ-SEC-LOG-ENTERPRISES", 6),
]
OPEN_PLANTED = [("2020Q4", "120116", "TJ-IND-SUPPLIER50", 6)]
EXPLANATION = "经核实，本期新认定一批示范单位，数据已与主管部门核对，附认定文件。"


def load_quality_settings(plan) -> None:
    """The office's settings for the demo: the tolerance and the six-industries rule."""
    services.save_settings(None, plan, district_tolerance=TOLERANCE)
    services.ensure_rule(
        None, plan, title=RULE_TITLE, whole_code="TJ-GOAL-SCALE", part_codes=INDUSTRIES
    )


def open_factor(period: str, unit_code: str, indicator_code: str) -> int:
    """How far the open round's figure of this unit is planted off (1: not at all)."""
    for p, unit, code, factor in OPEN_PLANTED:
        if (p, unit, code) == (period, unit_code, indicator_code):
            return factor
    return 1


def _planted_values(plan):
    for period, unit_code, code, factor in PLANTED:
        dv = DataValue.objects.filter(
            indicator__plan=plan,
            indicator__code=code,
            org_unit__code=unit_code,
            period=period,
            is_demo=True,
        ).first()
        if dv is not None:
            yield dv, factor


def original_figures(plan, office, seed) -> dict[int, Decimal]:
    """{data value pk: the figure the demo made for it} of the planted values."""
    from ducha.demo.services import build_values  # imported here: services imports this

    made = {
        (v.indicator_id, v.org_unit_id, v.period): v.value
        for v in build_values(plan, office, seed)
        if v.period in {p for p, *_rest in PLANTED}
    }
    return {
        dv.pk: made[(dv.indicator_id, dv.org_unit_id, dv.period)]
        for dv, _factor in _planted_values(plan)
        if (dv.indicator_id, dv.org_unit_id, dv.period) in made
    }


def _set(dv_pk: int, value: Decimal) -> None:
    DataValue.objects.filter(pk=dv_pk).update(value=value)
    ApprovedValue.objects.filter(data_value_id=dv_pk).update(value=value)


def unplant(originals: dict[int, Decimal]) -> None:
    """Put the planted values back as the demo made them (before the rounds are rebuilt on
    them, so that the city's figure is the districts' true sum)."""
    for pk, value in originals.items():
        _set(pk, value)


def plant_closed(plan, originals: dict[int, Decimal]) -> list[Assignment]:
    """Multiply the planted figures of the closed rounds, everywhere they are kept."""
    planted = []
    for dv, factor in _planted_values(plan):
        a = Assignment.objects.filter(
            round__plan=plan,
            round__period=dv.period,
            org_unit=dv.org_unit,
            indicator=dv.indicator,
            is_demo=True,
        ).first()
        if a is None or dv.pk not in originals:
            continue
        value = max(originals[dv.pk], Decimal(1)) * factor
        _set(dv.pk, value)
        a.value, a.explanation = value, EXPLANATION
        a.quality_flags = gate.stored(a)
        a.save(update_fields=["value", "explanation", "quality_flags"])
        planted.append(a)
    return planted
