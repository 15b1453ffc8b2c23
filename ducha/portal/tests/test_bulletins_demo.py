"""The demo's bulletin, in a module of its own: the demo data is loaded once per module and
stays for the module's remaining tests, whose own accounts (``office``) would collide with it."""

from django.urls import reverse

from ducha.portal.models import Bulletin
from ducha.reporting.models import Assignment


def test_demo_leaves_a_published_bulletin_drafted_from_the_data(demo, client):
    b = Bulletin.objects.filter(published=True, round__isnull=False).first()
    assert b is not None and b.tables
    assert client.get(reverse("portal:bulletin", args=[b.pk])).status_code == 200
    assert b.title in client.get(reverse("portal:index")).content.decode()
    assert Assignment.objects.filter(round=b.round).exists()
