"""The admin looks like the site and greets people by name; /favicon.ico is served."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_greets_by_display_name_in_the_sites_colours(client, office):
    office.is_staff = True
    office.save(update_fields=["is_staff"])
    client.force_login(office)
    html = client.get(reverse("admin:index")).content.decode()
    assert "ducha/admin.css" in html
    assert "<strong>市智能办</strong>" in html and "<strong>office</strong>" not in html


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
