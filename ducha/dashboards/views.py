"""Dashboard pages: the cockpit, one indicator's trajectories, the district map, unit
scorecards and the filterable plan tree. All read-only; all assessed "as of" a date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_GET

from ducha.assessments.labels import STATUS_LABELS, STATUS_ORDER, note_label
from ducha.assessments.services import AsOf, choose_as_of
from ducha.core import pagecache
from ducha.core.params import get_id, parse_date
from ducha.dashboards import providers, selectors
from ducha.dashboards.models import UnitScorecard
from ducha.datavalues.selectors import UNITS_PER_PAGE, approved_sources
from ducha.plans.models import Indicator, Plan


def _plan(request, code: str) -> Plan:
    return get_object_or_404(Plan.objects.for_user(request.user, "view"), code=code)


def _as_of(request, plan: Plan) -> AsOf:
    """?as_of=YYYY-MM-DD, else the default date (``assessments.services.choose_as_of``)."""
    raw = request.GET.get("as_of", "").strip()
    asked = None
    if raw:
        asked = parse_date(raw)
        if asked is None:
            messages.error(request, _("%s is not a date (YYYY-MM-DD); showing the default.") % raw)
    return choose_as_of(plan, asked)


def _common(request, plan: Plan, as_of: AsOf, section: str) -> dict:
    """What every dashboard page shows around its content: the sub-navigation, the "as of"
    line, and the query string that keeps an explicitly chosen date across links."""
    keep = "" if as_of.default else "?" + urlencode({"as_of": as_of.date.isoformat()})
    others = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in {"as_of", "fragment"}
        for value in values
    ]
    return {
        "default_date_url": "?" + urlencode(others),
        "today_url": "?" + urlencode([*others, ("as_of", as_of.today.isoformat())]),
        "plan": plan,
        "as_of": as_of,
        "keep": keep,
        "section": section,
        "time_gone": round(selectors.time_gone(plan, as_of.date) * 100),
        "plan_state": plan.state_label(as_of.date),
        "plan_ended": plan.has_ended(as_of.date),
        "period_start": dt.date(plan.period_start, 1, 1),
        "hidden": others,
    }


@login_required
def home(request):
    """/dashboards/: the cockpit of the default plan (or of the only plan the user sees)."""
    plans = Plan.objects.for_user(request.user, "view")
    plan = plans.filter(code=settings.DUCHA_DEFAULT_PLAN).first()
    if plan is None and plans.count() == 1:
        plan = plans.first()
    if plan is None:
        return redirect("plans:list")
    return redirect("dashboards:cockpit", plan=plan.code)


@login_required
@gzip_page  # Django's gzip pads against BREACH; CSRF tokens are masked
def cockpit(request, plan):
    plan = _plan(request, plan)
    as_of = _as_of(request, plan)
    common = _common(request, plan, as_of, "cockpit")
    body = _cockpit_body(request, plan, as_of, common)
    if request.GET.get("fragment") == "1":
        # The replay swaps only the body, so the page does not reload between steps.
        return HttpResponse(body)
    steps = selectors.replay_steps(plan, as_of)
    context = {**common, "body": body, "steps": steps, "step_index": _nearest(steps, as_of.date)}
    return render(request, "dashboards/cockpit.html", context)


def _cockpit_body(request, plan, as_of, common) -> str:
    def build():
        data = selectors.cockpit(plan, as_of.date, request.user)
        sections = [
            (n, depth) for n, depth in data.assessment.walk() if depth <= 1 and n.rollup.counts
        ]
        return {**common, "c": data, "sections": sections, "charts": _cockpit_charts(data)}

    return _cached_body(request, plan, as_of, "dashboards/_cockpit_body.html", (), build)


def _cached_body(request, plan, as_of, template, extra, build) -> str:
    """A page's body, rendered once per data stamp, date, language and value scope.

    Leaders open the same pages again and again; once the assessment is memoised, rendering
    is most of their cost. The key holds everything a body depends on: the data stamp (any
    write moves it), the dates, the language, whose values the viewer may count (everyone's
    for the office and leaders, a unit's own otherwise) and what the page adds (``extra``).
    """
    parts = (
        template,
        plan.pk,
        plan.updated_at.timestamp(),
        as_of.date,
        as_of.reason,
        as_of.today,
        pagecache.scope(request.user),
        *extra,
    )
    return pagecache.cached(parts, lambda: render_to_string(template, build(), request=request))


def _nearest(steps: list[dt.date], day: dt.date) -> int:
    return min(range(len(steps)), key=lambda i: abs((steps[i] - day).days)) if steps else 0


def _cockpit_charts(c: selectors.Cockpit) -> dict:
    spread = [row for row in c.spread if row.total]
    return {
        "spread": {
            "statuses": [str(row.status) for row in spread],
            "labels": [str(STATUS_LABELS[row.status]) for row in spread],
            "indicators": [row.indicators for row in spread],
            "milestones": [row.milestones for row in spread],
            "names": {"indicators": _("Indicators"), "milestones": _("Milestones")},
        },
        "focus": (
            selectors.trajectory(c.focus.indicator, c.focus.result, c.as_of)
            if c.focus is not None
            else None
        ),
        "sparklines": {h.indicator.code: h.series for h in c.headline},
        "labels": _chart_labels(),
    }


def _chart_labels() -> dict:
    return {
        "actual": _("Actual"),
        "path": _("Required path"),
        "target": _("Target"),
        "forecast": _("Forecast"),
        "as_of": _("As of"),
        "deadline": _("Deadline"),
        "parks": _("Parks"),
        "central": _("The six central districts"),
        "industries": _("Designated industries"),
        "no_value": _("no value visible"),
        "total": _("Plan-wide"),
    }


@login_required
@gzip_page  # Django's gzip pads against BREACH; CSRF tokens are masked
def indicator(request, plan, indicator):
    plan = _plan(request, plan)
    ind = get_object_or_404(
        Indicator.objects.for_user(request.user, "view").select_related("lead_unit", "node"),
        plan=plan,
        code=indicator,
    )
    as_of = _as_of(request, plan)
    common = _common(request, plan, as_of, "indicator")

    def build():
        r = selectors.assess_one(ind, as_of.date)
        parts = selectors.breakdown(request.user, r, as_of.date)
        page = Paginator(parts.rows, UNITS_PER_PAGE).get_page(page_number)
        return {
            **common,
            "ind": ind,
            "r": r,
            "a": r.result,
            "notes": [note_label(n) for n in r.notes],
            "parts": parts,
            "page": page,
            "sources": approved_sources(
                request.user,
                ind,
                [(row.unit.pk, row.latest_period) for row in page.object_list],
                as_of.date,
            ),
            "drilldown_plan_wide": providers.drilldown(ind, None, r.latest_period),
            "drilldown_missing": ind.source == "computed" and not providers.drilldown.available,
            "charts": {
                "trajectory": selectors.trajectory(ind, r, as_of.date),
                "breakdown": parts.chart(page.object_list),
                "labels": _chart_labels(),
            },
        }

    page_number = get_id(request, "page") or 1
    body = _cached_body(
        request,
        plan,
        as_of,
        "dashboards/_indicator_body.html",
        (ind.pk, ind.code, page_number),
        build,
    )
    return render(request, "dashboards/indicator.html", {**common, "ind": ind, "body": body})


@login_required
@gzip_page  # Django's gzip pads against BREACH; CSRF tokens are masked
def district_map(request, plan):
    plan = _plan(request, plan)
    as_of = _as_of(request, plan)
    indicators = list(Indicator.objects.for_user(request.user, "view").filter(plan=plan))
    chosen_code = request.GET.get("indicator") or next(
        (i.code for i in indicators if i.headline), indicators[0].code if indicators else ""
    )
    chosen = next((i for i in indicators if i.code == chosen_code), None)
    if chosen is None and indicators:
        messages.error(request, _("No indicator %s in this plan.") % chosen_code)
        chosen = indicators[0]
    cells = selectors.district_layer(request.user, plan, chosen, as_of.date)
    measures = [("value", _("Latest value")), ("share_of_target", _("Share of the plan target"))]
    if any(cell.rank is not None for cell in cells):  # a ranking as of the date
        measures.append(("rank", _("Place in the ranking")))
    measure = request.GET.get("measure", "value")
    if measure not in dict(measures):
        measure = "value"
    parks = selectors.park_points(plan)
    keep = {"as_of": as_of.date.isoformat()} if not as_of.default else {}
    units_url = reverse("dashboards:units", kwargs={"plan": plan.code})
    rows = []
    for cell in cells:
        rows.append(
            {
                "code": cell.unit.code,
                "name": cell.unit.name,
                "label": cell.unit.label,
                "value": cell.measure(measure),
                "raw": cell.value,
                "period": cell.period,
                "url": f"{units_url}{cell.unit.code}/" + (f"?{urlencode(keep)}" if keep else ""),
            }
        )
    ranked = sorted(
        (c for c in cells if c.measure(measure) is not None),
        key=lambda c: c.measure(measure),
        reverse=measure != "rank",
    )
    return render(
        request,
        "dashboards/map.html",
        {
            **_common(request, plan, as_of, "map"),
            "indicators": indicators,
            "chosen": chosen,
            "measures": measures,
            "measure": measure,
            "measure_label": dict(measures)[measure],
            "cells": cells,
            "ranked": ranked,
            "missing": [c for c in cells if c.measure(measure) is None],
            "parks": parks,
            "charts": {
                "geo_url": reverse("dashboards:geo", kwargs={"name": "tianjin-districts"}),
                "districts": rows,
                "measure": measure,
                "unit": "%" if measure == "share_of_target" else (chosen.unit if chosen else ""),
                "parks": [
                    {
                        "name": p.name,
                        "value": [p.lng, p.lat],
                        "industries": p.industries,
                        "url": p.url,
                    }
                    for p in parks
                ],
                "labels": _chart_labels(),
            },
        },
    )


@login_required
def unit_list(request, plan):
    plan = _plan(request, plan)
    as_of = _as_of(request, plan)
    units = list(
        UnitScorecard.objects.for_user(request.user, "view")
        .filter(is_active=True)
        .exclude(kind="office")
        .order_by("position", "code")
    )
    if len(units) == 1:
        return redirect(_unit_url(plan, units[0], as_of))
    result = selectors.assessment(plan, as_of.date)
    summaries = selectors.unit_summaries(request.user, plan, units, result, as_of.date)
    groups = {}
    for s in summaries:
        groups.setdefault(s.unit.get_kind_display(), []).append(s)
    return render(
        request,
        "dashboards/unit_list.html",
        {
            **_common(request, plan, as_of, "units"),
            "groups": list(groups.items()),
            "timely_days": selectors.TIMELY_DAYS,
            "has_ranking": any(s.rank is not None for s in summaries),
        },
    )


def _unit_url(plan, unit, as_of) -> str:
    url = reverse("dashboards:unit", kwargs={"plan": plan.code, "unit": unit.code})
    return url if as_of.default else f"{url}?{urlencode({'as_of': as_of.date.isoformat()})}"


@login_required
def unit(request, plan, unit):
    plan = _plan(request, plan)
    org_unit = get_object_or_404(UnitScorecard.objects.for_user(request.user, "view"), code=unit)
    as_of = _as_of(request, plan)
    result = selectors.assessment(plan, as_of.date)
    card = selectors.scorecard(request.user, plan, org_unit, as_of.date, result)
    children = list(UnitScorecard.objects.for_user(request.user, "view").filter(parent=org_unit))
    return render(
        request,
        "dashboards/unit.html",
        {
            **_common(request, plan, as_of, "units"),
            "unit": org_unit,
            "card": card,
            "children": children,
            "timely_days": selectors.TIMELY_DAYS,
            "has_ranking": providers.ranking.available,
            "on_map": org_unit.code in selectors.geo_codes("tianjin-districts"),
        },
    )


@login_required
@gzip_page  # Django's gzip pads against BREACH; CSRF tokens are masked
def tree(request, plan):
    plan = _plan(request, plan)
    as_of = _as_of(request, plan)
    result = selectors.assessment(plan, as_of.date)
    leads = selectors.lead_units(plan)
    years = selectors.plan_years(plan)
    sections = [(n.node.key, n.node, depth) for n, depth in result.walk() if depth <= 1]
    f, problems = _tree_filter(request, leads, years, sections)
    for problem in problems:
        messages.error(request, problem)
    roots, n_ind, n_ms = selectors.filter_tree(result, f)
    return render(
        request,
        "dashboards/tree.html",
        {
            **_common(request, plan, as_of, "tree"),
            "result": result,
            "roots": roots,
            "n_indicators": n_ind,
            "n_milestones": n_ms,
            "f": f,
            "statuses": [(s, STATUS_LABELS[s]) for s in STATUS_ORDER],
            "leads": leads,
            "years": years,
            "sections": sections,
        },
    )


def _tree_filter(request, leads, years, sections) -> tuple[selectors.TreeFilter, list[str]]:
    """The filter from the query string; anything unknown is dropped with a message."""
    problems = []
    statuses = {s for s in request.GET.getlist("status") if s}
    unknown = statuses - {str(s) for s in STATUS_ORDER}
    if unknown:
        problems.append(_("Unknown status: %s") % ", ".join(sorted(unknown)))
    lead = _int_choice(request, "lead", {u.pk for u in leads}, _("lead unit"), problems)
    year = _int_choice(request, "year", set(years), _("year"), problems)
    node = request.GET.get("node") or None
    if node and node not in {key for key, _n, _d in sections}:
        problems.append(_("Unknown section: %s") % node)
        node = None
    return selectors.TreeFilter(frozenset(statuses - unknown), lead, node, year), problems


def _int_choice(request, name, allowed, label, problems) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value not in allowed:
        problems.append(_("Unknown %(what)s: %(value)s") % {"what": label, "value": raw})
        return None
    return value


def _geo_etag(request, name) -> str | None:
    try:
        return selectors.geojson_etag(name)
    except FileNotFoundError:
        return None


@require_GET
@gzip_page
@condition(etag_func=_geo_etag)
def geojson(request, name):
    """The committed district boundaries (ducha/data/geo), served by ducha itself.

    Not secret (Apache-2.0 data, public geography): no login needed, cached for a day, and
    revalidated by ETag.
    """
    try:
        body = selectors.geojson_bytes(name)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
