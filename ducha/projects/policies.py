from ducha.core.policies import Policy, register
from ducha.projects.models import Project
from ducha.registers.policies import register_scope


@register
class ProjectPolicy(Policy):
    model = Project

    def scope(self, user, action):
        return register_scope(user, action)
