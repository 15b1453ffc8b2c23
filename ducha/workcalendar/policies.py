"""The holiday calendar: everyone signed in reads it; the office records it."""

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.workcalendar.models import CalendarDay, HolidayYear


def _scope(user, action):
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_office:
        return EVERYTHING
    return EVERYTHING if action == "view" else NOTHING


@register
class HolidayYearPolicy(Policy):
    model = HolidayYear

    def scope(self, user, action):
        return _scope(user, action)


@register
class CalendarDayPolicy(Policy):
    model = CalendarDay

    def scope(self, user, action):
        return _scope(user, action)
