"""The State Council's yearly holiday notice, as the office records it.

A `HolidayYear` is one year's notice (国务院办公厅关于XXXX年部分节假日安排的通知); its
`CalendarDay` rows are the days the notice changes: holidays (放假, including the weekend days
inside a holiday run) and the weekend days that become working days (调休上班). Every other day
of a recorded year is a working day from Monday to Friday. A recorded year overrides the
chinese-calendar package for that year, and extends it past the years it knows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class HolidayYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(_("notice"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    WORKDAY = "workday", _("working weekend day")


class CalendarDay(models.Model):
    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKDAY
