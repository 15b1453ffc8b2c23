"""A request above what the scheme's rule gives needs a reason; it is never taken silently."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ducha.incentives import services
from ducha.incentives.tests.conftest import new_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_request_above_the_rule_without_a_reason_is_refused(schemes, firms):
    with pytest.raises(services.IncentiveError, match="above the 300") as caught:
        new_app(schemes["upgrade"], firms["heping"], requested="400", base="3000")
    assert caught.value.field == "note"
    assert not services.Application.objects.exists()


def test_with_a_reason_it_is_taken_and_the_page_flags_it(client, office, schemes, firms):
    app = services.create_application(
        None,
        scheme=schemes["upgrade"],
        enterprise=firms["heping"],
        year=2019,
        requested="400",
        base_amount="3000",
        note="含配套设备投入",
    )
    assert (app.requested, app.computed) == (Decimal(400), Decimal(300))
    client.force_login(office)
    html = client.get(reverse("incentives:detail", args=[app.pk])).content.decode()
    assert "高于规则测算金额" in html  # the page is Chinese


def test_raising_the_request_later_needs_the_reason_too(schemes, firms):
    app = new_app(schemes["upgrade"], firms["heping"], requested="300", base="3000")
    with pytest.raises(services.IncentiveError, match="say why"):
        services.update_application(None, app, expected_version=app.version, requested="350")
    app = services.update_application(
        None, app, expected_version=app.version, requested="350", note="追加投资"
    )
    assert app.requested == Decimal(350)


def test_at_or_below_the_rule_no_reason_is_asked(schemes, firms):
    app = new_app(schemes["upgrade"], firms["heping"], requested="250", base="3000")
    assert app.note == ""
