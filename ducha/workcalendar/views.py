"""The working-day calendar: the years recorded from the State Council's notices, each year's
days, and the office's import and edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.core.policies import allows, require
from ducha.core.tables import ImportError_
from ducha.workcalendar import selectors, services
from ducha.workcalendar.forms import DayForm, ImportForm, NoticeForm
from ducha.workcalendar.models import CalendarDay, DayKind, HolidayYear

MAX_UPLOAD = 1024 * 1024  # a year's notice is a few hundred bytes


def _recounted(request, report_rounds):
    for rnd in report_rounds:
        messages.info(
            request,
            _("Deadline of %(round)s recounted: %(day)s") % {"round": rnd, "day": rnd.deadline},
        )


@login_required
def index(request):
    require(request.user, "view", HolidayYear)
    years = HolidayYear.objects.for_user(request.user, "view").annotate(
        holiday_count=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
    )
    known = selectors.known_years()
    package = known["package"]
    return render(
        request,
        "workcalendar/index.html",
        {
            "years": years,
            "package_range": (package[0], package[-1]) if package else None,
            "missing_year": selectors.missing_next_year(),
            "can_edit": allows(request.user, "add", HolidayYear),
            "import_form": ImportForm(),
            "day_form": DayForm(),
        },
    )


@login_required
def year_detail(request, year):
    require(request.user, "view", HolidayYear)
    obj = get_object_or_404(HolidayYear.objects.for_user(request.user, "view"), year=year)
    return render(
        request,
        "workcalendar/year.html",
        {
            "year": obj,
            "days": obj.days.all(),
            "can_edit": allows(request.user, "change", obj),
            "notice_form": NoticeForm(initial={"notice": obj.notice, "source": obj.source}),
            "day_form": DayForm(),
        },
    )


@login_required
@require_POST
def import_file(request):
    require(request.user, "add", HolidayYear)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect("workcalendar:index")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        messages.error(request, _("The file is larger than 1 MB; a holiday notice is far smaller."))
        return redirect("workcalendar:index")
    try:
        report = services.load_holiday_file(request.user, upload.name, upload.read())
    except ImportError_ as exc:
        messages.error(
            request,
            _("Nothing was recorded: %s") % "；".join(str(p) for p in exc.problems[:20]),
        )
        return redirect("workcalendar:index")
    messages.success(
        request,
        _("Recorded %(years)s: %(holidays)d holidays, %(workdays)d working weekend days.")
        % {
            "years": "、".join(str(y) for y in report.years),
            "holidays": report.holidays,
            "workdays": report.workdays,
        },
    )
    _recounted(request, report.rounds_recounted)
    return redirect("workcalendar:index")


@login_required
@require_POST
def day_save(request):
    require(request.user, "add", CalendarDay)
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a date and say whether it is a holiday or a working day."))
        return redirect("workcalendar:index")
    try:
        day = services.save_day(request.user, **form.cleaned_data)
    except services.CalendarError as exc:
        messages.error(request, exc.message)
        return redirect("workcalendar:index")
    messages.success(request, _("Saved."))
    return redirect("workcalendar:year", year=day.day.year)


@login_required
@require_POST
def day_remove(request, pk):
    obj = get_object_or_404(CalendarDay.objects.for_user(request.user, "view"), pk=pk)
    require(request.user, "delete", obj)
    year = obj.day.year
    services.remove_day(request.user, obj)
    messages.success(request, _("Saved."))
    return redirect("workcalendar:year", year=year)


@login_required
@require_POST
def notice_save(request, year):
    obj = get_object_or_404(HolidayYear.objects.for_user(request.user, "view"), year=year)
    require(request.user, "change", obj)
    form = NoticeForm(request.POST)
    if form.is_valid():
        services.save_notice(request.user, obj, **form.cleaned_data)
        messages.success(request, _("Saved."))
    return redirect("workcalendar:year", year=year)
