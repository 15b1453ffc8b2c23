"""`ducha demo --with-cascade`: the 滨海新区 plan (2019–2021) beside the city's, with its
reviewed links to the city's targets (in its plan file) and a few yearly figures the district
reported for 2019–2021, so its own cockpit and the city's coverage have something to show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.datavalues.services import approval_of
from ducha.engine.periods import Period
from ducha.orgunits.models import OrgUnit
from ducha.orgunits.services import TIANJIN_FILE
from ducha.plans.models import Plan, PlanState
from ducha.plans.services import load_plan_file

BINHAI_FILE = TIANJIN_FILE.parent / "binhai-2019-ai" / "plan.yaml"

# The share of each target the district reported reaching at the end of 2019, 2020 and 2021
# (invented, plausible: the core industry close, the platforms short, the firms exceeded).
YEARS = (2019, 2020, 2021)
SHARES = {
    "T01": (0.45, 0.72, 0.93),
    "T02": (0.5, 0.78, 1.02),
    "T03": (0.3, 0.62, 0.85),
    "T04": (0.2, 0.4, 0.6),
    "T05": (0.4, 0.6, 1.0),
    "T06": (0.5, 0.83, 1.1),
}


def load_cascade_demo(office) -> Plan:
    """Load the district plan as an active plan and its demo values (flagged ``is_demo``,
    replaced with the rest of the demo data). Call after the city plan is loaded."""
    from ducha.demo.services import _value

    plan = load_plan_file(BINHAI_FILE, state=PlanState.ACTIVE).plan
    binhai = OrgUnit.objects.get(code="120116")
    values = []
    for ind in plan.indicators.order_by("position"):
        for year, share in zip(YEARS, SHARES.get(ind.code, (0.4, 0.7, 0.9)), strict=True):
            amount = Decimal(str(round(float(ind.target_min) * share, 1)))
            if ind.unit != "亿元":
                amount = amount.to_integral_value()
            values.append(_value(ind, binhai, Period("year", year), amount, office))
    approvals = []
    now = timezone.now()
    for v in values:
        at = timezone.make_aware(dt.datetime.combine(v.period_end, dt.time(10)))
        at = min(at + dt.timedelta(days=45), now)
        v.submitted_at, v.approved_at, v.approved_by = at - dt.timedelta(days=5), at, office
        approvals.append(approval_of(v, at, office))
    DataValue.objects.bulk_create(values)
    ApprovedValue.objects.bulk_create(approvals)
    return plan
