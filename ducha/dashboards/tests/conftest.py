"""Fixtures for the dashboards: approved values placed at chosen dates, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ducha.datavalues import services
from ducha.datavalues.models import DataValue
from ducha.engine.periods import parse_period


@pytest.fixture
def approve(tianjin_plan, tianjin_units):
    """approve("TJ-GOAL-SCALE", "120101", "2019Q4", 120, on="2020-01-20") -> the approval.

    Approving an already approved value again is a correction, the way the office makes one."""

    def _approve(code, unit, period, value, on):
        ind = tianjin_plan.indicators.get(code=code)
        current = DataValue.objects.filter(
            indicator=ind, org_unit=tianjin_units[unit], period=period, status="approved"
        ).first()
        if current is not None:  # a correction: reopened with a reason, then approved again
            services.reopen_value(None, current, "correction")
        saved = services.save_value(
            None, ind, tianjin_units[unit], parse_period(period), Decimal(str(value))
        )
        day = dt.date.fromisoformat(on)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        return services.approve_value(None, saved, at=at)

    return _approve


@pytest.fixture
def scale_history(approve):
    """智能科技产业规模 for 和平 and 滨海, 2018Q4 to 2019Q4, approved a month after each quarter
    (2019Q4 of 滨海 only in February: late)."""
    rows = [
        ("120101", "2018Q4", 40, "2019-01-25"),
        ("120116", "2018Q4", 400, "2019-01-25"),
        ("120101", "2019Q2", 50, "2019-07-20"),
        ("120116", "2019Q2", 480, "2019-07-20"),
        ("120101", "2019Q4", 60, "2020-01-20"),
        ("120116", "2019Q4", 520, "2020-02-28"),
    ]
    return [approve("TJ-GOAL-SCALE", *row) for row in rows]


@pytest.fixture
def parks(tianjin_units):
    """The park register loaded from the shipped file (with the parks' approximate points)."""
    from ducha.parks.services import load_park_file

    load_park_file()


@pytest.fixture(autouse=True)
def fresh_memo():
    """Each test starts with no memoised assessment or cached cockpit (ids repeat across
    rolled-back tests)."""
    from django.core.cache import cache

    from ducha.dashboards import selectors

    selectors._MEMO.clear()
    cache.clear()
    yield
    selectors._MEMO.clear()
    cache.clear()
