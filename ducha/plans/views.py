"""Plan pages: the list, a plan's tree with every indicator's status, one indicator."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.assessments import charts, final
from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER, note_label, overall_explanation
from ducha.assessments.services import (
    AsOf,
    assess_indicators,
    assess_plan,
    choose_as_of,
)
from ducha.core import pagecache
from ducha.core.params import get_id, parse_date
from ducha.core.policies import allows
from ducha.datavalues.selectors import UNITS_PER_PAGE, unit_summaries, value_table, with_latest
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
    plans = Plan.objects.for_user(request.user, "view").select_related("region")
    plans = plans.order_by("-period_start", "code")
    today = timezone.localdate()
    rows = [(plan, plan.state_label(today)) for plan in plans]
    return render(request, "plans/plan_list.html", {"plans": rows})


@login_required
def plan_detail(request, code):
    plan = _visible_plan(request, code)
    rule = _as_of(request, plan)
    as_of = rule.date
    context = {
        "plan": plan,
        "as_of": as_of,
        "as_of_rule": rule,
        "as_of_param": not rule.default,
        "state_label": plan.state_label(as_of),
        "ended": plan.has_ended(as_of),
        "can_change": allows(request.user, "change", plan),
        "transitions": _transitions(plan),
    }
    # What the assessment decides (the overall status and the node tree) is the same for
    # every viewer: rendered once per state of the data and shared by every process.
    parts = pagecache.cached(
        ("plans/plan_detail", plan.pk, plan.updated_at.timestamp(), rule),
        lambda: _assessed_parts(request, plan, context),
    )
    return render(request, "plans/plan_detail.html", {**context, "parts": parts})


def _assessed_parts(request, plan: Plan, context: dict) -> dict:
    as_of = context["as_of"]
    result = assess_plan(plan, as_of)
    counts = defaultdict(int)
    for r in result.indicators:
        counts[r.status] += 1
    for r in result.milestones:
        counts[r.status] += 1
    start = dt.date(plan.period_start, 1, 1)
    end = dt.date(plan.period_end, 12, 31)
    time_gone = min(max((as_of - start).days / max((end - start).days, 1), 0), 1)
    context = {
        **context,
        "result": result,
        "legend": [(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER if counts.get(s)],
        "overall_explanation": overall_explanation(result),
        "time_gone": round(time_gone * 100),
    }
    return {
        "overall": render_to_string("plans/_plan_overall.html", context, request=request),
        "tree": render_to_string("plans/_plan_tree.html", context, request=request),
    }


@login_required
def final_evaluation(request, code):
    """终期评估: every target of the plan whose deadline has passed, met or missed, with the
    value it rests on, its period and where it came from."""
    plan = _visible_plan(request, code)
    rule = _as_of(request, plan)
    ev = final.final_evaluation(plan, rule.date)
    counts = ev.counts
    return render(
        request,
        "plans/final_evaluation.html",
        {
            "plan": plan,
            "ev": ev,
            "as_of": rule.date,
            "as_of_rule": rule,
            "as_of_param": not rule.default,
            "state_label": plan.state_label(rule.date),
            "legend": [(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER if counts.get(s)],
            "overall_explanation": overall_explanation(ev.assessment),
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
    page_number = get_id(request, "page") or 1
    show_table = request.GET.get("table") == "1"
    # Rendered once per state of the data, date, page and whose values the viewer may see,
    # and shared by every process (core/pagecache.py); messages and the menu stay outside.
    # (the query string as a whole: the page's links repeat it)
    query = sorted(request.GET.lists())
    key = ("plans/indicator", ind.pk, plan.updated_at.timestamp(), rule, query)
    parts = pagecache.cached(
        (*key, pagecache.scope(request.user)),
        lambda: _indicator_parts(request, plan, ind, rule, page_number, show_table),
    )
    return render(
        request, "plans/indicator_detail.html", {"plan": plan, "ind": ind, "parts": parts}
    )


def _indicator_parts(request, plan, ind, rule, page_number, show_table) -> dict:
    as_of = rule.date
    [r] = assess_indicators([ind], as_of)
    # A summary per unit, a page of units at a time; the full unit × period table of that
    # page only when asked (?table=1): at a million values the whole table was 1.4 MB.
    summaries = unit_summaries(request.user, ind, as_of)
    page = Paginator(summaries, UNITS_PER_PAGE).get_page(page_number)
    with_latest(request.user, ind, page.object_list)
    periods, table = (
        value_table(request.user, ind, [s.unit for s in page.object_list], as_of)
        if show_table
        else ([], [])
    )
    chart = chart_data(ind, r, as_of)
    context = {
        "plan": plan,
        "ind": ind,
        "r": r,
        "a": r.result,
        "notes": [note_label(n) for n in r.notes],
        "as_of": as_of,
        "as_of_rule": rule,
        "summary": page.object_list,
        "page": page,
        "show_table": show_table,
        "periods": periods,
        "table": table,
        "chart": chart,
    }
    content = render_to_string("plans/_indicator_content.html", context, request=request)
    return {"content": content, "chart": bool(chart.get("actual"))}


def chart_data(ind: Indicator, r, as_of: dt.date) -> dict:
    """Series for the indicator chart (``assessments.charts.trajectory``, as the dashboards
    draw it), with the chart's labels."""
    return {
        **charts.trajectory(ind, r, as_of),
        "labels": {
            "actual": _("Actual"),
            "path": _("Required path"),
            "target": _("Target"),
            "forecast": _("Forecast"),
            "as_of": _("As of"),
        },
    }
