"""The office sets the quality rules and reads the quality page; leaders read it too."""

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.quality.models import QualitySettings, SumRule


def _office_writes_leaders_read(user, action):
    if not user.is_authenticated:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    return EVERYTHING if action == "view" and user.is_leader else NOTHING


@register
class QualitySettingsPolicy(Policy):
    model = QualitySettings

    def scope(self, user, action):
        return _office_writes_leaders_read(user, action)


@register
class SumRulePolicy(Policy):
    model = SumRule

    def scope(self, user, action):
        return _office_writes_leaders_read(user, action)
