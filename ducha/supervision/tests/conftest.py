import datetime as dt

import pytest
from django.utils import translation

from ducha.reporting import services


@pytest.fixture
def round_(tianjin_plan, office):
    """2019Q3, opened 2019-10-08, due Monday 2019-10-21."""
    return services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the source language); pages default to Chinese, which
    test_pages_are_in_chinese_by_default checks."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
