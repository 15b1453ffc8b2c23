"""The holiday calendar as data: the office records the State Council's notice, deadlines in
that year become exact, and from 1 October a missing next year is announced."""

import datetime as dt
import io
from pathlib import Path

import chinese_calendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ducha.audit.models import AuditEntry
from ducha.core.tables import ImportError_
from ducha.reporting import services as reporting
from ducha.reporting import workdays
from ducha.workcalendar import selectors, services
from ducha.workcalendar.models import CalendarDay, HolidayYear

pytestmark = pytest.mark.django_db
FILES = Path(services.__file__).resolve().parent.parent / "data" / "holidays"
EXAMPLE_2027 = f"{FILES}/example-2027.yaml"


def _load(path):
    return services.load_holiday_file(None, Path(path).name, Path(path).read_bytes())


def test_the_shipped_2026_notice_agrees_with_the_package_on_every_day():
    _load(f"{FILES}/2026.yaml")
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        assert workdays.is_working_day(day) == (chinese_calendar.is_workday(day), True), day
        day += dt.timedelta(days=1)
    assert HolidayYear.objects.get().days.count() == 39


def test_a_2027_deadline_is_exact_once_the_2027_notice_is_loaded(tianjin_plan, office):
    rnd = reporting.open_round(office, tianjin_plan, "2026Q4", opened_on=dt.date(2027, 2, 1))
    # 2027 is past what the package knows: Monday to Friday, flagged approximate
    assert (rnd.deadline, rnd.deadline_known) == (dt.date(2027, 2, 15), False)
    out = io.StringIO()
    call_command("loadholidays", EXAMPLE_2027, stdout=out)
    rnd.refresh_from_db()
    # 2, 3, 4 February; the 春节 run 5–13; 15–19; Saturday 20 worked; Monday 22
    assert (rnd.deadline, rnd.deadline_known) == (dt.date(2027, 2, 22), True)
    assert "2027-02-22" in out.getvalue()
    entry = AuditEntry.objects.get(action="reporting.round.deadline_recounted")
    assert entry.changes["deadline"] == ["2027-02-15", "2027-02-22"]
    assert workdays.add_working_days(dt.date(2027, 9, 30), 1).day == dt.date(2027, 10, 8)


def test_a_recorded_year_replaces_the_package_for_that_year(tianjin_plan):
    # an office that records 2019 differently (here: 8 October off) wins over the package
    HolidayYear.objects.create(year=2019)
    services.save_day(None, day=dt.date(2019, 10, 8), kind="holiday", name="试")
    assert workdays.add_working_days(dt.date(2019, 10, 7), 1).day == dt.date(2019, 10, 9)
    # days the record does not list follow Monday to Friday: 1 October is a working day now
    assert workdays.is_working_day(dt.date(2019, 10, 1)) == (True, True)


def test_a_bad_file_names_every_problem_and_records_nothing():
    data = """
year: 2027
holidays:
  - {name: 春节, from: 2027-02-13, to: 2027-02-05}
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 元旦, from: 2027-01-03}
  - {name: 国庆节, from: 2028-10-01}
  - {name: 清明节, from: 2027-04-31}
workdays:
  - {name: 春节, date: 2027-02-17}
""".encode()
    with pytest.raises(ImportError_) as caught:
        services.load_holiday_file(None, "2027.yaml", data)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "2027 holidays[1]：to 早于 from，或连续超过一个月",
        "2027 holidays[3]：2027-01-03 重复出现",
        "2027 holidays[4]：2028-10-01 不在 2027 年内",
        "2027 holidays[5]：from 和 to 须为日期（如 2027-01-01）",
        "2027 workdays[1]：2027-02-17 是工作日（周一至周五）；只有周六、周日可调为上班",
    ]
    assert not HolidayYear.objects.exists()


def test_loadholidays_refuses_a_bad_file_with_its_problems(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-30,放假,春节\n2027-02-20,休,\n")
    bad.write_text(bad.read_text() + "2027-02-22,加班,春节\n")
    with pytest.raises(CommandError) as caught:
        call_command("loadholidays", str(bad))
    message = str(caught.value)
    assert "第 3 行" in message and "2027-02-30" in message
    assert "第 5 行" in message and "加班" in message
    assert "第 4 行" not in message  # 休 is a holiday: fine
    assert not HolidayYear.objects.exists()


def test_the_office_imports_a_table_on_the_page_and_a_unit_may_not(client, office, reporter_heping):
    csv = "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-20,上班,春节\n".encode()
    client.force_login(reporter_heping)
    response = client.post("/calendar/import/", {"file": SimpleUploadedFile("h.csv", csv)})
    assert response.status_code == 403 and not HolidayYear.objects.exists()
    client.force_login(office)
    response = client.post(
        "/calendar/import/", {"file": SimpleUploadedFile("h.csv", csv)}, follow=True
    )
    assert "已记录 2027" in response.content.decode()
    assert list(CalendarDay.objects.values_list("day", "kind")) == [
        (dt.date(2027, 1, 1), "holiday"),
        (dt.date(2027, 2, 20), "workday"),
    ]
    html = client.get("/calendar/2027/").content.decode()
    assert "2027-02-20" in html and "调休上班" in html
    # a reporter reads the calendar
    client.force_login(reporter_heping)
    assert client.get("/calendar/2027/").status_code == 200


def test_the_office_adds_and_removes_a_day(client, office):
    client.force_login(office)
    response = client.post("/calendar/days/", {"day": "2027-03-01", "kind": "workday"})
    assert response.status_code == 302 and not CalendarDay.objects.exists()  # a Monday
    client.post("/calendar/days/", {"day": "2027-03-01", "kind": "holiday", "name": "试"})
    day = CalendarDay.objects.get()
    assert not workdays.is_working_day(dt.date(2027, 3, 1))[0]
    client.post(f"/calendar/days/{day.pk}/remove/")
    assert not CalendarDay.objects.exists()
    assert workdays.is_working_day(dt.date(2027, 3, 1)) == (True, True)  # 2027 stays recorded


def test_from_october_the_office_is_warned_of_a_missing_next_year(
    client, office, reporter_heping, monkeypatch
):
    assert selectors.missing_next_year(dt.date(2026, 9, 30)) is None
    assert selectors.missing_next_year(dt.date(2026, 10, 1)) == 2027
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 7))
    client.force_login(office)
    html = client.get("/calendar/").content.decode()
    assert "2027 年的节假日安排尚未记录" in html
    client.force_login(reporter_heping)
    assert "尚未记录" not in client.get("/calendar/").content.decode()
    err = io.StringIO()
    call_command("remind", "--date", "2026-12-07", stdout=io.StringIO(), stderr=err)
    assert "2027" in err.getvalue() and "loadholidays" in err.getvalue()
    _load(EXAMPLE_2027)
    assert selectors.missing_next_year(dt.date(2026, 12, 7)) is None
    client.force_login(office)
    assert "尚未记录" not in client.get("/calendar/").content.decode()


def test_a_year_another_server_recorded_counts_from_the_next_request(client, office):
    HolidayYear.objects.create(year=2019)
    assert workdays.is_working_day(dt.date(2019, 10, 8)) == (True, True)  # now cached here
    # another server records 8 October off: this process's copy is not told
    CalendarDay.objects.create(
        year=HolidayYear.objects.get(year=2019), day=dt.date(2019, 10, 8), kind="holiday"
    )
    HolidayYear.objects.filter(year=2019).update(updated_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert workdays.is_working_day(dt.date(2019, 10, 8)) == (True, True)  # within this request
    client.force_login(office)
    client.get("/calendar/")  # any request: the next use compares the table again
    assert workdays.is_working_day(dt.date(2019, 10, 8)) == (False, True)
