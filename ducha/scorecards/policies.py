from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.reporting.policies import UNIT_ACTIONS
from ducha.scorecards.models import Objection, RankingWeights, ScoredUnit


@register
class ScoredUnitPolicy(Policy):
    """The office and leaders see every unit's scorecard and the ranking; a unit its own."""

    model = ScoredUnit

    def scope(self, user, action):
        if action != "view" or not user.is_authenticated:
            return NOTHING
        if user.sees_everything:
            return EVERYTHING
        if user.org_unit_id and user.role in UNIT_ACTIONS:
            return Q(pk=user.org_unit_id)
        return NOTHING


@register
class RankingWeightsPolicy(Policy):
    model = RankingWeights

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        return EVERYTHING if action == "view" and user.is_leader else NOTHING


@register
class ObjectionPolicy(Policy):
    """Objections (申诉): the office reads and answers all; leaders read all; a unit's own
    reporters and head read and file its own."""

    model = Objection

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        if user.is_leader:
            return EVERYTHING if action == "view" else NOTHING
        if user.org_unit_id and user.role in UNIT_ACTIONS and action in {"view", "add"}:
            return Q(org_unit=user.org_unit_id)
        return NOTHING
