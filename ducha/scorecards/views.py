"""考核排名 and each unit's scorecard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.accounts.models import Role
from ducha.core import pagecache
from ducha.core.conflicts import StaleVersion, conflict_page
from ducha.core.params import get_id
from ducha.core.policies import allows
from ducha.plans.selectors import plan_for_page
from ducha.reporting.models import Round
from ducha.scorecards import scoring, services
from ducha.scorecards.forms import AnswerForm, ObjectionForm, WeightsForm
from ducha.scorecards.models import Objection, ObjectionState, RankingWeights, ScoredUnit


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

    def table() -> str:
        cards = services.scorecards(request.user, plan, rounds)
        context = {"cards": cards, "chosen": chosen}
        return render_to_string("scorecards/_ranking_table.html", context, request=request)

    # The ranking is the same for everyone who sees it (the office and leaders): rendered
    # once per state of the data (reporting, approvals, weights: all audited) and shared.
    today = timezone.localdate()  # the progress is judged as of today, lateness by it
    key = ("scorecards/ranking", plan.pk, plan.updated_at.timestamp(), chosen, today)
    return render(
        request,
        "scorecards/ranking.html",
        {
            "plan": plan,
            "table": pagecache.cached((*key, pagecache.scope(request.user)), table),
            "rounds": Round.objects.filter(plan=plan),
            "chosen": chosen,
            "weights": services.weights_for(plan),
            "can_weigh": allows(request.user, "change", RankingWeights),
            "open_objections": services.open_objections(request.user).count(),
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
    weights = services.weights_for(plan)
    return render(
        request,
        "scorecards/unit.html",
        {
            "unit": unit,
            "plan": plan,
            "card": card,
            "parts": scoring.breakdown(card, weights.as_dict()) if card else [],
            "per_round": per_round,
            "rounds": Round.objects.filter(plan=plan),
            "chosen": chosen,
            "weights": weights,
            "objections": Objection.objects.for_user(request.user, "view")
            .filter(org_unit=unit, plan=plan)
            .select_related("round", "filed_by", "answered_by"),
            "can_object": _may_object(request.user, unit),
            "objection_form": ObjectionForm(),
        },
    )


def _may_object(user, unit) -> bool:
    return (
        user.role in (Role.REPORTER, Role.UNIT_HEAD)
        and user.org_unit_id == unit.pk
        and allows(user, "add", Objection)
    )


@login_required
@require_POST
def objection_new(request, code):
    """A unit files an objection (申诉) to its score (the round chosen, or all rounds)."""
    unit = get_object_or_404(ScoredUnit.objects.for_user(request.user, "view"), code=code)
    plan = _plan(request)
    back = reverse("scorecards:unit", args=[unit.code])
    round_id = get_id(request, "round")  # the form posts to ?round= of the score shown
    rnd = None
    if round_id is not None:
        rnd = get_object_or_404(Round.objects.for_user(request.user, "view"), pk=round_id)
        back += f"?round={rnd.pk}"
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the score is wrong: the office answers the reason."))
        return redirect(back + "#objections")
    try:
        services.file_objection(request.user, plan, unit, form.cleaned_data["reason"], round=rnd)
    except services.ScorecardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your objection is filed; the office will answer it here."))
    return redirect(back + "#objections")


@login_required
def objections(request):
    """Every objection the user may see, open ones first (the office answers them here)."""
    qs = Objection.objects.for_user(request.user, "view").select_related(
        "plan", "round", "org_unit", "filed_by", "answered_by"
    )
    if not allows(request.user, "view", Objection):
        raise PermissionDenied
    items = sorted(qs, key=lambda o: (not o.is_open, -o.filed_at.timestamp()))
    return render(
        request,
        "scorecards/objections.html",
        {
            "objections": items,
            "open_count": sum(1 for o in items if o.is_open),
            "can_answer": allows(request.user, "change", Objection),
            "answer_form": AnswerForm(),
        },
    )


@login_required
@require_POST
def objection_answer(request, pk):
    o = get_object_or_404(Objection.objects.for_user(request.user, "view"), pk=pk)
    form = AnswerForm(request.POST)
    back = reverse("scorecards:objections")
    if not form.is_valid():
        messages.error(request, _("Choose to accept or reject, and write the note."))
        return redirect(back)
    try:
        services.answer_objection(
            request.user,
            o,
            form.cleaned_data["decision"],
            form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleVersion as exc:
        return conflict_page(request, str(exc), back)
    except services.ScorecardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Answered: %s.") % ObjectionState(form.cleaned_data["decision"]).label
        )
    return redirect(back)


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
