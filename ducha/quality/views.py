"""The data-quality page (the office and leaders) and the office's quality settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from ducha.core.policies import allows, require
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan
from ducha.plans.selectors import plan_for_page
from ducha.quality import gate, selectors, services
from ducha.quality.models import QualitySettings, SumRule
from ducha.reporting.models import Round

# The navigation label in core's base.html, kept in this app's catalogue.
NAV_LABEL = gettext_noop("Data quality")


def _plan(request) -> Plan:
    return plan_for_page(request.user, request.GET.get("plan"))


@login_required
def index(request):
    require(request.user, "view", QualitySettings)
    plan = _plan(request)
    rounds = Round.objects.for_user(request.user, "view").filter(plan=plan).order_by("-period_end")
    raw = request.GET.get("round", "")
    rnd = rounds.filter(pk=int(raw)).first() if raw.isdigit() else None
    if raw and rnd is None:
        messages.error(request, _("Unknown reporting round: %s; showing every round.") % raw[:20])
    raw_unit = request.GET.get("unit", "")
    unit = OrgUnit.objects.filter(code=raw_unit).first() if raw_unit else None
    if raw_unit and unit is None:
        messages.error(request, _("Unknown org unit: %s; showing every unit.") % raw_unit[:20])
    kind = request.GET.get("kind", "")
    if kind and kind not in gate.KINDS:
        messages.error(request, _("Unknown kind of problem: %s.") % kind[:20])
        kind = ""
    result = selectors.report(plan, rnd=rnd, unit=unit, kind=kind)
    return render(
        request,
        "quality/index.html",
        {
            "plan": plan,
            "plans": Plan.objects.for_user(request.user, "view"),
            "report": result,
            "rounds": rounds,
            "chosen_round": rnd,
            "chosen_unit": unit,
            "units": OrgUnit.objects.filter(is_active=True).exclude(kind="office"),
            "kind": kind,
            "kinds": [(k, gate.kind_label(k)) for k in gate.KINDS],
            "can_change": allows(request.user, "change", QualitySettings),
        },
    )


@login_required
def settings_page(request):
    require(request.user, "change", QualitySettings)
    plan = _plan(request)
    current = gate.settings_for(plan)
    errors: dict[str, str] = {}
    posted = request.POST if request.method == "POST" else None
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "tolerance":
                services.save_settings(
                    request.user, plan, district_tolerance=request.POST.get("district_tolerance")
                )
                messages.success(request, _("The tolerance is saved."))
            elif what == "rule":
                indicators = plan.indicators.all()
                whole = indicators.filter(pk=_int(request.POST.get("whole"))).first()
                ids = [_int(x) for x in request.POST.getlist("parts")]
                parts = list(indicators.filter(pk__in=ids))
                if len(parts) != len(set(ids)):
                    raise services.QualityError(_("choose the parts from the list"), "parts")
                services.add_rule(
                    request.user,
                    plan,
                    title=request.POST.get("title", ""),
                    whole=whole,
                    parts=parts,
                )
                messages.success(request, _("The rule is added."))
            else:
                raise services.QualityError(_("Nothing to save."))
            return redirect(reverse("quality:settings") + f"?plan={plan.code}")
        except services.QualityError as exc:
            errors[exc.field or "form"] = exc.message
    return render(
        request,
        "quality/settings.html",
        {
            "plan": plan,
            "settings": current,
            "tolerance_percent": float(current.district_tolerance) * 100,
            "rules": SumRule.objects.filter(plan=plan).select_related("whole"),
            "indicators": plan.indicators.order_by("position"),
            "errors": errors,
            "posted": posted,
        },
    )


@login_required
@require_POST
def rule_state(request, pk):
    rule = get_object_or_404(SumRule.objects.for_user(request.user, "change"), pk=pk)
    services.set_rule_active(request.user, rule, request.POST.get("active") == "1")
    messages.success(request, _("Saved: %s") % rule.title)
    return redirect(reverse("quality:settings") + f"?plan={rule.plan.code}")


def _int(raw) -> int:
    return int(raw) if str(raw or "").isdigit() else 0
