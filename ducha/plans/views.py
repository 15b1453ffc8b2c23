"""Plan pages: the list, a plan's tree with every indicator's status, one indicator."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER, note_label
from ducha.assessments.services import (
    AsOf,
    assess_indicators,
    assess_plan,
    choose_as_of,
    target_of,
)
from ducha.core.params import parse_date
from ducha.core.policies import allows
from ducha.datavalues.models import DataValue
from ducha.engine import assessment as engine
from ducha.engine.periods import decimal_year, parse_period
from ducha.plans.models import PLAN_TRANSITIONS, Indicator, Plan, PlanState
from ducha.plans.services import change_plan_state


def _as_of(request, plan: Plan) -> AsOf:
    """The "as of" date from ?as_of=, else the default (``assessments.services.choose_as_of``).

    A bad date is reported as a message and the default is shown instead.
    """
    raw = request.GET.get("as_of", "").strip()
    asked = None
    if raw:
        asked = parse_date(raw)
        if asked is None:
            messages.error(
                request,
                _("“%(raw)s” is not a date (write it as 2019-12-31); showing the default.")
                % {"raw": raw[:40]},
            )
    return choose_as_of(plan, asked)


def _visible_plan(request, code) -> Plan:
    return get_object_or_404(Plan.objects.for_user(request.user, "view"), code=code)


@login_required
def plan_list(request):
    plans = Plan.objects.for_user(request.user, "view").order_by("-period_start", "code")
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, code):
    plan = _visible_plan(request, code)
    rule = _as_of(request, plan)
    as_of = rule.date
    result = assess_plan(plan, as_of)
    counts = defaultdict(int)
    for r in result.indicators:
        counts[r.status] += 1
    for r in result.milestones:
        counts[r.status] += 1
    legend = [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in STATUS_ORDER]
    start = dt.date(plan.period_start, 1, 1)
    end = dt.date(plan.period_end, 12, 31)
    time_gone = min(max((as_of - start).days / max((end - start).days, 1), 0), 1)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "result": result,
            "as_of": as_of,
            "as_of_rule": rule,
            "as_of_param": not rule.default,
            "legend": legend,
            "time_gone": round(time_gone * 100),
            "can_change": allows(request.user, "change", plan),
            "transitions": _transitions(plan),
        },
    )


def _transitions(plan: Plan):
    return [(s, PlanState(s).label) for s in sorted(PLAN_TRANSITIONS.get(plan.state, ()))]


@login_required
@require_POST
def plan_state(request, code):
    plan = _visible_plan(request, code)
    if not allows(request.user, "change", plan):
        raise PermissionDenied
    try:
        change_plan_state(plan, request.POST.get("state", ""), request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan is now %s.") % plan.get_state_display())
    return redirect("plans:detail", code=plan.code)


@login_required
def indicator_detail(request, code, indicator):
    plan = _visible_plan(request, code)
    ind = (
        Indicator.objects.for_user(request.user, "view")
        .select_related("lead_unit", "node", "plan")
        .prefetch_related("supporting_units")
        .filter(plan=plan, code=indicator)
        .first()
    )
    if ind is None:
        raise Http404
    rule = _as_of(request, plan)
    as_of = rule.date
    [r] = assess_indicators([ind], as_of)
    values = (
        DataValue.objects.for_user(request.user, "view")
        .filter(indicator=ind, period_end__lte=as_of)
        .select_related("org_unit")
        .order_by("org_unit__position", "period_end")
    )
    periods = sorted({v.period for v in values}, key=lambda p: parse_period(p).end)
    rows: dict = {}
    for v in values:
        rows.setdefault(v.org_unit, {})[v.period] = v
    table = [(unit, [cells.get(p) for p in periods]) for unit, cells in rows.items()]
    return render(
        request,
        "plans/indicator_detail.html",
        {
            "plan": plan,
            "ind": ind,
            "r": r,
            "a": r.result,
            "notes": [note_label(n) for n in r.notes],
            "as_of": as_of,
            "as_of_rule": rule,
            "periods": periods,
            "table": table,
            "chart": chart_data(ind, r, as_of),
        },
    )


def chart_data(ind: Indicator, r, as_of: dt.date) -> dict:
    """Series for the indicator chart: actual, the required path, target, forecast."""
    a = r.result
    actual = [[_iso_of_time(p.time), round(p.value, 4)] for p in r.series]
    path = []
    if a.baseline is not None and a.baseline_time is not None:
        times = _path_times(a.baseline_time, decimal_year(ind.deadline))
        values = engine.expected_path(target_of(ind), a.baseline, a.baseline_time, times)
        path = [[_iso_of_time(t), round(v, 4)] for t, v in zip(times, values, strict=True)]
    forecast = []
    if a.forecast is not None and a.value is not None and a.time is not None:
        forecast = [
            [_iso_of_time(a.time), round(a.value, 4)],
            [ind.deadline.isoformat(), round(a.forecast, 4)],
        ]
    return {
        "unit": ind.unit,
        "actual": actual,
        "path": path,
        "forecast": forecast,
        "target": float(a.target_value) if a.target_value is not None else None,
        "target_upper": float(a.target_upper) if a.target_upper is not None else None,
        "as_of": as_of.isoformat(),
        "labels": {
            "actual": _("Actual"),
            "path": _("Required path"),
            "target": _("Target"),
            "forecast": _("Forecast"),
            "as_of": _("As of"),
        },
    }


def _path_times(t0: float, t1: float, steps: int = 24) -> list[float]:
    if t1 <= t0:
        return [t0]
    return [t0 + (t1 - t0) * i / steps for i in range(steps + 1)]


def _iso_of_time(t: float) -> str:
    """A decimal year back to a date, for the chart's time axis."""
    year = int(t)
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    # decimal_year puts day-of-year n at year + n/days, so Dec 31 is the next whole year.
    return (start + dt.timedelta(days=round((t - year) * days) - 1)).isoformat()
