"""The public sees only what the office publishes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ducha.portal import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulletins(office, tianjin_plan):
    public = services.save_bulletin(
        office, None, title="第三季度通报", body="正文", plan=tianjin_plan
    )
    services.set_bulletin_state(office, public, published=True)
    draft = services.save_bulletin(office, None, title="草稿通报", body="未发布")
    return public, draft


def test_anonymous_portal_lists_only_published(client, bulletins):
    public, draft = bulletins
    html = client.get(reverse("portal:index")).content.decode()
    assert "第三季度通报" in html and "草稿通报" not in html
    assert client.get(reverse("portal:bulletin", args=[public.pk])).status_code == 200
    assert client.get(reverse("portal:bulletin", args=[draft.pk])).status_code == 404


def test_archived_bulletin_disappears_but_is_kept(client, office, bulletins):
    public, _ = bulletins
    services.set_bulletin_state(office, public, archived=True)
    assert client.get(reverse("portal:bulletin", args=[public.pk])).status_code == 404
    public.refresh_from_db()
    assert public.archived_at is not None


def test_plan_is_public_only_once_published(client, office, tianjin_plan):
    url = reverse("portal:plan", args=[tianjin_plan.code])
    before = client.get(url)
    assert before.status_code == 200
    assert "尚未发布" in before.content.decode()
    assert tianjin_plan.title not in before.content.decode()
    services.publish_plan(office, tianjin_plan, True)
    after = client.get(url).content.decode()
    assert tianjin_plan.title in after and "尚未发布" not in after
    assert client.get(reverse("portal:plan", args=["no-such-plan"])).status_code == 404


def test_only_the_office_publishes(leader, reporter_heping, tianjin_plan, client):
    for user in (leader, reporter_heping):
        with pytest.raises(PermissionDenied):
            services.save_bulletin(user, None, title="x", body="y")
        client.force_login(user)
        assert client.get(reverse("portal:manage")).status_code == 403


def test_the_public_plan_page_shows_range_targets_as_the_plan_page_does(
    client, office, tianjin_plan
):
    from ducha.core.templatetags.ducha import num

    services.publish_plan(office, tianjin_plan, True)
    html = client.get(reverse("portal:plan", args=[tianjin_plan.code])).content.decode()
    ranged = [i for i in tianjin_plan.indicators.all() if i.is_range]
    assert ranged
    for ind in ranged:
        assert f"{num(ind.target_min)}–{num(ind.target_max)} {ind.unit}" in html
