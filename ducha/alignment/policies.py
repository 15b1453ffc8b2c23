"""Who sees and decides alignment links: everyone who reads both plans sees a link; only
the office decides (confirms, edits, rejects) them."""

from django.db.models import Q

from ducha.alignment.models import Alignment
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.plans.models import PlanState


@register
class AlignmentPolicy(Policy):
    model = Alignment

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        if action != "view":
            return NOTHING
        if user.is_leader:
            hidden = [PlanState.DRAFT]
            return ~Q(source__plan__state__in=hidden) & ~Q(target__plan__state__in=hidden)
        return Q(source__plan__state=PlanState.ACTIVE, target__plan__state=PlanState.ACTIVE)
