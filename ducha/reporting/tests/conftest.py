import datetime as dt

import pytest
from django.utils import translation

from ducha.reporting import services


@pytest.fixture
def round_(tianjin_plan, office):
    """An open round for 2019Q3, opened on 2019-10-08 (10 working days: due 2019-10-21)."""
    return services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


# A manual indicator that adds up over the districts, led by 市工业和信息化局: the number of
# suppliers of intelligent-manufacturing equipment and software with revenue above 5 bn yuan
# (个, a count). The industry scales are computed from the enterprise register, not reported.
SUPPLIERS = "TJ-IND-SUPPLIER50"


@pytest.fixture
def heping_suppliers(round_, tianjin_units):
    """和平区's own figure for the suppliers (an indicator that adds up)."""
    return round_.assignments.get(org_unit=tianjin_units["120101"], indicator__code=SUPPLIERS)


@pytest.fixture
def binhai_suppliers(round_, tianjin_units):
    return round_.assignments.get(org_unit=tianjin_units["120116"], indicator__code=SUPPLIERS)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the source language); pages default to Chinese, which
    test_pages_are_in_chinese_by_default checks."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
