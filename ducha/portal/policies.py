"""The public (anyone, signed in or not) reads what is published; the office writes;
leaders read everything."""

from django.db.models import Q

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.portal.models import Bulletin, PlanPublication, PlanSnapshot


def _published(user, action, q_published):
    if user.is_authenticated and user.is_office:
        return EVERYTHING
    if action != "view":
        return NOTHING
    if user.is_authenticated and user.is_leader:
        return EVERYTHING
    return q_published


@register
class BulletinPolicy(Policy):
    model = Bulletin

    def scope(self, user, action):
        return _published(user, action, Q(published=True, archived_at=None))


@register
class PlanPublicationPolicy(Policy):
    model = PlanPublication

    def scope(self, user, action):
        return _published(user, action, Q(published=True))


@register
class PlanSnapshotPolicy(Policy):
    model = PlanSnapshot

    def scope(self, user, action):
        return _published(user, action, Q(plan__publication__published=True))
