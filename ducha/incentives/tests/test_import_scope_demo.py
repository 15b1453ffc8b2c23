"""The reproduction of issue 10 on the demo data: heping's dry run naming hexi's applicants."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.incentives.models import Application, AppState

pytestmark = pytest.mark.django_db


def test_the_heping_dry_run_on_the_page_shows_nothing_of_hexis_applications(demo, client):
    """The reproduction of issue 10: as heping, a dry run naming hexi's credit codes."""
    hexi = list(
        Application.objects.filter(district__name="河西区", enterprise__isnull=False)
        .exclude(state=AppState.WITHDRAWN)
        .select_related("enterprise", "scheme")[:3]
    )
    assert hexi
    lines = ["奖补政策,申请企业,年度,申请金额（万元）"] + [
        f"{a.scheme.code},{a.enterprise.credit_code},{a.year},10" for a in hexi
    ]
    from ducha.accounts.models import User

    client.force_login(User.objects.get(username="heping"))
    upload = SimpleUploadedFile("a.csv", "\n".join(lines).encode())
    page = client.post("/incentives/applications/import/", {"file": upload, "dry_run": "on"})
    text = page.content.decode()
    assert page.status_code == 200 and "没有登记信用代码为" in text
    for app in hexi:
        assert app.number not in text
        assert app.enterprise.name not in text
        assert "河西区" not in text
