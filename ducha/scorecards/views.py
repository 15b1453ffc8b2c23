"""考核排名 and each unit's scorecard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ducha.core.params import get_id
from ducha.core.policies import allows
from ducha.plans.selectors import plan_for_page
from ducha.reporting.models import Round
from ducha.scorecards import services
from ducha.scorecards.forms import WeightsForm
from ducha.scorecards.models import RankingWeights, ScoredUnit


def _plan(request):
    return plan_for_page(request.user, request.GET.get("plan"))


def _rounds(request, plan):
    rounds = Round.objects.for_user(request.user, "view").filter(plan=plan)
    chosen = get_id(request, "round")
    if chosen is not None:
        return rounds.filter(pk=chosen), str(chosen)
    return rounds, ""


@login_required
def ranking(request):
    visible = ScoredUnit.objects.for_user(request.user, "view")
    if not request.user.sees_everything:
        unit = visible.first()
        if unit is None:
            raise PermissionDenied
        return redirect("scorecards:unit", code=unit.code)
    plan = _plan(request)
    rounds, chosen = _rounds(request, plan)
    cards = services.scorecards(request.user, plan, rounds)
    return render(
        request,
        "scorecards/ranking.html",
        {
            "plan": plan,
            "cards": cards,
            "rounds": Round.objects.filter(plan=plan),
            "chosen": chosen,
            "weights": services.weights_for(plan),
            "can_weigh": allows(request.user, "change", RankingWeights),
        },
    )


@login_required
def unit_card(request, code):
    unit = get_object_or_404(ScoredUnit.objects.for_user(request.user, "view"), code=code)
    plan = _plan(request)
    rounds, chosen = _rounds(request, plan)
    card = next(
        (c for c in services.scorecards(request.user, plan, rounds) if c.key.pk == unit.pk), None
    )
    history = services.cards_by_round(
        request.user, plan, Round.objects.filter(plan=plan).order_by("-period_end")
    )
    per_round = [(rnd, c) for rnd, cards in history for c in cards if c.key.pk == unit.pk]
    return render(
        request,
        "scorecards/unit.html",
        {
            "unit": unit,
            "plan": plan,
            "card": card,
            "per_round": per_round,
            "rounds": Round.objects.filter(plan=plan),
            "chosen": chosen,
            "weights": services.weights_for(plan),
        },
    )


@login_required
def weights(request):
    if not allows(request.user, "change", RankingWeights):
        raise PermissionDenied
    plan = _plan(request)
    current = services.weights_for(plan)
    form = WeightsForm(request.POST or None, initial=current.as_dict())
    if request.method == "POST" and form.is_valid():
        try:
            services.set_weights(request.user, plan, form.cleaned_data)
        except services.ScorecardError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("The ranking weights are saved."))
            return redirect("scorecards:ranking")
    return render(
        request, "scorecards/weights.html", {"form": form, "plan": plan, "weights": current}
    )
