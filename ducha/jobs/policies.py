from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.jobs.models import Job


@register
class JobPolicy(Policy):
    model = Job

    def scope(self, user, action):
        # Jobs are started through the pages of what they work on (import, recompute,
        # bulletins), each with its own permission; here only who may follow one.
        if action != "view" or not user.is_authenticated:
            return NOTHING
        if user.is_office:
            return EVERYTHING
        return Q(created_by=user)
