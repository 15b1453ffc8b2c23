from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.parks.models import Park


@register
class ParkPolicy(Policy):
    """The parks of the plan are public knowledge inside the platform; the office edits them."""

    model = Park

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if action == "view" or user.is_office:
            return EVERYTHING
        return NOTHING
