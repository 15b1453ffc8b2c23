"""The holiday calendar: everyone signed in reads it; the office records it."""

from ducha.core.policies import Policy, reference_scope, register
from ducha.workcalendar.models import CalendarDay, HolidayYear


@register
class HolidayYearPolicy(Policy):
    model = HolidayYear

    def scope(self, user, action):
        return reference_scope(user, action)


@register
class CalendarDayPolicy(Policy):
    model = CalendarDay

    def scope(self, user, action):
        return reference_scope(user, action)
