from ducha.core.policies import Policy, register
from ducha.platforms.models import Platform
from ducha.registers.policies import register_scope


@register
class PlatformPolicy(Policy):
    model = Platform

    def scope(self, user, action):
        return register_scope(user, action)
