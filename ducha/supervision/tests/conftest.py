import datetime as dt

import pytest

from ducha.reporting import services


@pytest.fixture
def round_(tianjin_plan, office):
    """2019Q3, opened 2019-10-08, due Monday 2019-10-21."""
    return services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
