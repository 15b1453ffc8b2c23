from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.orgunits.models import OrgUnit


@register
class OrgUnitPolicy(Policy):
    model = OrgUnit

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if action == "view":
            # The list of responsible units is not secret: everyone signed in sees it.
            return EVERYTHING
        return EVERYTHING if user.is_office else NOTHING
