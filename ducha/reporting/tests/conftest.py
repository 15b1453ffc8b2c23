import datetime as dt

import pytest
from django.utils import translation

from ducha.reporting import services


@pytest.fixture
def round_(tianjin_plan, office):
    """An open round for 2019Q3, opened on 2019-10-08 (10 working days: due 2019-10-21)."""
    return services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


@pytest.fixture
def heping_scale(round_, tianjin_units):
    """和平区's own figure for the industry scale (an indicator that adds up)."""
    return round_.assignments.get(org_unit=tianjin_units["120101"], indicator__code="TJ-GOAL-SCALE")


@pytest.fixture
def binhai_scale(round_, tianjin_units):
    return round_.assignments.get(org_unit=tianjin_units["120116"], indicator__code="TJ-GOAL-SCALE")


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the source language); pages default to Chinese, which
    test_pages_are_in_chinese_by_default checks."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
