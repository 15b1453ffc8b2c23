"""A unique constraint hit by a race is named, never a 500: the translation of the database's
error (SQLite and PostgreSQL), the API's 409, the pages' 409, and the services that guard their
writes (opening a round, importing a register)."""

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from ducha.core.integrity import UniqueViolationMiddleware, api_conflict, violated
from ducha.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def _duplicate_unit() -> IntegrityError:
    unit = OrgUnit.objects.first()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        OrgUnit.objects.create(code=unit.code, name="另一个单位", kind=unit.kind)
    return caught.value


def test_a_unique_field_is_found_by_table_and_column(tianjin_units):
    assert violated(_duplicate_unit()) == (OrgUnit, ["code"])


def test_the_api_answers_409_naming_the_field(tianjin_units):
    response = api_conflict(RequestFactory().post("/api/x"), _duplicate_unit())
    assert response.status_code == 409
    assert b'"loc": ["body", "code"]' in response.content


def test_a_page_answers_409_in_chinese_naming_the_field(tianjin_units, office):
    request = RequestFactory().post("/x")
    request.user = office
    middleware = UniqueViolationMiddleware(lambda r: None)
    response = middleware.process_exception(request, _duplicate_unit())
    assert response.status_code == 409
    text = response.content.decode()
    assert "已存在" in text and "代码" in text


def test_opening_a_round_that_slipped_past_the_check_names_the_period(tianjin_plan, office):
    from ducha.reporting import services
    from ducha.reporting.models import Round

    services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    real = Round.objects.filter

    def blind(*args, **kwargs):  # the check a request made a moment before the first wrote
        return Round.objects.none() if "period" in kwargs else real(*args, **kwargs)

    with (
        mock.patch.object(Round.objects, "filter", blind),
        pytest.raises(services.ReportingError) as refused,
    ):
        services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    assert refused.value.field == "period"
    assert Round.objects.count() == 1
