"""The providers of the apps ducha ships, plugged into the dashboards' hooks (``providers``).

Each provider only calls the providing app's public functions: the registers' drill-down
page, the park register, reporting rounds, the scorecards' ranking. Nothing is computed
twice here; a provider only translates the app's answer into what the dashboards show.
``connect()`` runs from ``DashboardsConfig.ready()`` and plugs in a provider only when its
app is installed.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ducha.dashboards import providers

# --- the registers: from a computed value to the records behind it ---------------------------


def records_behind(indicator, org_unit, period) -> str | None:
    """The registers' page of the records a computed value was counted from.

    A district's or the city's value opens its records; the plan-wide value opens the city's
    records when the city has a value for that period, else the indicator's table of values
    (every value there links to its records). Zones and departments have no records page.
    """
    if indicator.source != "computed" or not period:
        return None
    plan_code = indicator.plan.code
    if org_unit is None:
        from ducha.datavalues.models import DataValue
        from ducha.orgunits.models import OrgUnitKind

        city = (
            DataValue.objects.filter(
                indicator=indicator, period=period, org_unit__kind=OrgUnitKind.CITY
            )
            .values_list("org_unit__code", flat=True)
            .first()
        )
        if city is None:
            return reverse("registers:computed", args=[plan_code, indicator.code])
        return reverse("registers:drilldown", args=[plan_code, indicator.code, period, city])
    if org_unit.kind not in {"city", "district"}:
        return None
    return reverse("registers:drilldown", args=[plan_code, indicator.code, period, org_unit.code])


# --- the park register -------------------------------------------------------------------------


def park_points(plan) -> list[providers.ParkPoint]:
    """Every park of the park register that has a point (its approximate centre)."""
    from ducha.parks.models import Park

    parks = Park.objects.filter(longitude__isnull=False, latitude__isnull=False).select_related(
        "district"
    )
    return [
        providers.ParkPoint(
            name=park.short_name or park.name,
            district=park.district.code,
            lng=float(park.longitude),
            lat=float(park.latitude),
            industries=_designated(park),
            url=reverse("parks:detail", args=[park.pk]),
        )
        for park in parks
    ]


def _designated(park) -> list[str]:
    """The industries in the plan's own words (智能装备、智能机器人), else their labels."""
    words = [w.strip() for w in park.designation.replace("，", "、").split("、") if w.strip()]
    return words or park.industry_labels()


# --- reporting rounds --------------------------------------------------------------------------


def last_closed_round(plan, as_of: dt.date) -> providers.Round | None:
    """The last reporting round of the plan closed before ``as_of``: the cockpit's "before".

    Its cutoff is the day it closed, when its figures were final; "changed since" then counts
    what was approved after that day (late corrections and the next round's figures).
    """
    from ducha.reporting.models import Round, RoundState

    end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.min))
    rnd = (
        Round.objects.filter(plan=plan, state=RoundState.CLOSED, closed_at__lt=end)
        .order_by("-closed_at", "-pk")
        .first()
    )
    if rnd is None:
        return None
    return providers.Round(timezone.localdate(rnd.closed_at), rnd.title or rnd.period)


# --- the scorecards (考核排名) -------------------------------------------------------------


def _cards(plan, as_of: dt.date, user):
    """The scorecards over the rounds opened by ``as_of``, as the scorecards app ranks them
    (None before the first round). Remembered until the data changes: a unit page asks for
    the ranking and the unit's own card in the same request."""
    from ducha.dashboards.selectors import data_stamp
    from ducha.reporting.models import Round
    from ducha.scorecards.services import scorecards

    rounds = list(
        Round.objects.filter(plan=plan, opened_on__lte=as_of).values_list("pk", flat=True)
    )
    if not rounds:
        return None
    key = (plan.pk, as_of, user.pk, tuple(rounds), data_stamp())
    found = _CARDS.get(key)
    if found is None:
        found = scorecards(user, plan, Round.objects.filter(pk__in=rounds), as_of=as_of)
        if len(_CARDS) >= 32:
            _CARDS.pop(next(iter(_CARDS)))
        _CARDS[key] = found
    return found


_CARDS: dict[tuple, list] = {}


def _scorecard_url(plan, unit) -> str:
    url = reverse("scorecards:unit", args=[unit.code])
    return f"{url}?{urlencode({'plan': plan.code})}"


def ranking(plan, as_of: dt.date, user) -> list[providers.RankRow] | None:
    """The places in the 考核排名 that ``user`` may see (ranked among units of a kind)."""
    cards = _cards(plan, as_of, user)
    if cards is None:
        return None
    return [
        providers.RankRow(
            org_unit_id=card.key.pk,
            rank=card.rank,
            score=card.total,
            label=_("score %(s).1f") % {"s": card.total},
            url=_scorecard_url(plan, card.key),
        )
        for card in cards
        if card.rank is not None
    ]


def unit_scorecard(plan, unit, as_of: dt.date, user) -> list[tuple[str, str, str]] | None:
    """The unit's reporting record from its scorecard: rates over the rounds by ``as_of``."""
    cards = _cards(plan, as_of, user)
    card = next((c for c in cards or [] if c.key.pk == unit.pk), None)
    if card is None:
        return None
    t = card.tally

    def pct(share):
        return "–" if share is None else f"{share * 100:.0f}%"

    def score(value):
        return "–" if value is None else f"{value:.1f}"

    return [
        (_("Reporting rate"), pct(card.reporting_rate), f"{t.reported} / {t.expected}"),
        (_("Reported on time"), pct(card.on_time_rate), f"{t.on_time} / {t.expected}"),
        (
            _("Completeness"),
            score(card.components.get("completeness")),
            f"{t.approved} / {t.expected}",
        ),
        (_("Evidence quality"), score(card.components.get("quality")), ""),
        (_("Score in the ranking"), score(card.total), ""),
    ]


def connect() -> None:
    """Plug in the provider of every installed app (called once, at start-up)."""
    if apps.is_installed("ducha.registers"):
        providers.drilldown.register(records_behind)
    if apps.is_installed("ducha.parks"):
        providers.parks.register(park_points)
    if apps.is_installed("ducha.reporting"):
        providers.previous_round.register(last_closed_round)
    if apps.is_installed("ducha.scorecards"):
        providers.ranking.register(ranking)
        providers.unit_scorecard.register(unit_scorecard)
