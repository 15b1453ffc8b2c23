"""逾期 in red only while something is still to be done; an approved late report says so quietly."""

import pytest
from django.urls import reverse

from ducha.reporting import services

pytestmark = pytest.mark.django_db


def _tags(html: str) -> tuple[bool, bool]:
    return '<span class="late">' in html, '<span class="muted small">submitted late' in html


def test_an_approved_late_report_loses_the_red_tag(
    client, heping_suppliers, reporter_heping, head_heping, office
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="12")
    a = services.submit(reporter_heping, a, expected_version=a.version)  # years past 2019-10-21
    url = reverse("reporting:assignment", args=[a.pk])
    client.force_login(office)
    client.cookies["django_language"] = "en"
    assert _tags(client.get(url).content.decode()) == (True, False)  # waiting: red
    a = services.unit_approve(head_heping, a, expected_version=a.version)
    a = services.approve(office, a, expected_version=a.version)
    assert _tags(client.get(url).content.decode()) == (False, True)
    listing = client.get(reverse("reporting:assignments"), {"unit": a.org_unit_id}).content.decode()
    row = next(r for r in listing.split("<tr") if f'href="{url}"' in r)
    assert _tags(row) == (False, True)
