"""A note longer than allowed is refused with its length, never cut to fit."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_long_narrative_is_refused_whole_and_kept_in_the_box(
    client, reporter_heping, heping_suppliers
):
    url = reverse("reporting:assignment", args=[heping_suppliers.pk])
    client.force_login(reporter_heping)
    page = client.get(url).content.decode()
    box = (
        page.split('name="narrative"')[0].rsplit("<textarea", 1)[1]
        + page.split('name="narrative"')[1].split(">", 1)[0]
    )
    assert "maxlength" not in box  # the browser would cut a paste silently
    assert 'data-maxchars="5000"' in box and "data-counter=" in box
    note = "进" * 10_000
    response = client.post(url, {"value": "11", "narrative": note, "version": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "10000 characters long" in html and "at most 5000" in html and "5000 too many" in html
    assert note in html  # what was typed is still there, whole
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.narrative == "" and heping_suppliers.value is None


def test_a_note_at_the_limit_is_saved_whole(client, reporter_heping, heping_suppliers):
    client.force_login(reporter_heping)
    note = "进" * 5000
    url = reverse("reporting:assignment", args=[heping_suppliers.pk])
    client.post(url, {"value": "11", "narrative": note, "version": 1})
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.narrative == note
