"""Who sees and sets notifications: the office sets up the group robots; a unit head turns its
unit's robots on or off; everyone sets their own channels and sees what was sent to them."""

from django.db.models import Q

from ducha.accounts.models import Role
from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.notifications.models import Delivery, Preference, Robot


@register
class RobotPolicy(Policy):
    model = Robot

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        if action == "view" and user.org_unit_id:
            return Q(org_unit=user.org_unit_id)
        if action == "use" and user.org_unit_id and user.role == Role.UNIT_HEAD:
            return Q(org_unit=user.org_unit_id)
        return NOTHING


@register
class PreferencePolicy(Policy):
    model = Preference

    def scope(self, user, action):
        if not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        return Q(user=user.pk)


@register
class DeliveryPolicy(Policy):
    model = Delivery

    def scope(self, user, action):
        if not user.is_authenticated or action != "view":
            return NOTHING
        if user.is_office:
            return EVERYTHING
        return Q(user=user.pk)
