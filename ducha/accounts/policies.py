from django.db.models import Q

from ducha.accounts.models import User
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register


@register
class UserPolicy(Policy):
    model = User

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_superuser:
            return EVERYTHING
        if user.is_office:
            # The office manages every account but the operators': a superuser's name,
            # password and flags are out of its reach, or it could become one.
            return EVERYTHING if action == "view" else Q(is_superuser=False)
        if action == "view" and user.is_leader:
            return EVERYTHING
        if action == "view":
            # Colleagues of one's own unit, and oneself.
            return Q(pk=user.pk) | (Q(org_unit=user.org_unit_id) if user.org_unit_id else NOTHING)
        return NOTHING
