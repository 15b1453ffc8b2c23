"""Each refusal of the award and subsidy services as the person reads it (in Chinese, with
the form field it points at), and what the services keep beside each step (who changed it,
the audit entry, who is told). Written for the mutation score of
``incentives/services.py`` (docs/testing.md): a message no test reads can break unseen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from ducha.audit.services import history
from ducha.incentives import services
from ducha.incentives.models import AppState
from ducha.incentives.tests.conftest import new_app, reviewed_app

pytestmark = pytest.mark.django_db
S = AppState
PAID_ON = dt.date(2019, 6, 1)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def refusal(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(services.IncentiveError) as exc:
        call(*args, **kwargs)
    return str(exc.value), exc.value.field


@pytest.fixture
def project(firms):
    from ducha.projects.models import Project, ProjectType

    return Project.objects.create(
        code="P1",
        name="滨海机器人项目",
        type=ProjectType.values[0],
        district=firms["binhai"].district,
        enterprise=firms["binhai"],
    )


def test_an_application_is_refused_in_words_naming_its_field(schemes, firms, project):
    upgrade, heping = schemes["upgrade"], firms["heping"]
    cases = [
        (dict(year=1999), "年度：平台不受理1999年的申请", "year"),
        (dict(requested="-5"), "申请金额：金额不能为负数", "requested"),
        (dict(requested="50%"), "申请金额：50% 是百分比，不是金额", "requested"),
        (dict(requested=""), "申请金额：请填写金额", "requested"),
        (dict(requested=True), "申请金额：True 不是金额", "requested"),  # not the number 1
        (dict(base="三百块"), "基数金额：三百块 不是金额", "base_amount"),
        (dict(base=None), "基数金额：该政策按智能化改造投资额的比例计算，请填写", "base_amount"),
        (
            dict(requested="400", base="3000"),
            "备注：申请金额 400 万元高于按政策规则测算的 300 万元；请在备注中说明理由，"
            "或将申请金额改为 300 万元。",
            "note",
        ),
    ]
    for kwargs, message, field in cases:
        assert refusal(new_app, upgrade, heping, **kwargs) == (message, field), kwargs
    assert refusal(
        services.create_application, None, scheme=upgrade, enterprise=heping, project=project,
        year=2019, requested="300", base_amount="3000",
    ) == ("项目“滨海机器人项目”的实施企业不是和平智能软件有限公司。", "project")  # fmt: skip
    assert refusal(new_app, schemes["top500"], heping, requested="100", base=None) == (
        "不符合申报条件：企业库中没有和平智能软件有限公司的500强榜单记录；“500强奖励”面向首次"
        "进入国内、国际500强榜单的企业。",
        "enterprise",
    )


def test_a_correction_and_a_return_are_refused_in_words(schemes, firms, gxj):
    app = new_app(schemes["upgrade"], firms["binhai"])
    assert refusal(
        services.update_application, None, app, expected_version=None, base_amount=""
    ) == (
        "基数金额：该政策按基数比例计算，请填写",
        "base_amount",
    )
    app = services.submit(None, app, expected_version=None)
    for reason in ("", None):
        assert refusal(
            services.return_application, gxj, app, expected_version=None, reason=reason
        ) == ("理由：请说明退回原因，申请方需要知道。", "reason")


def test_submitting_an_applicant_no_longer_eligible_is_refused(schemes, firms):
    from ducha.enterprises.models import RankingListing

    listing = RankingListing.objects.create(
        enterprise=firms["heping"], ranking="china500", year=2019
    )
    app = new_app(schemes["top500"], firms["heping"], requested="100", base=None)
    listing.delete()  # the register corrected meanwhile
    message, field = refusal(services.submit, None, app, expected_version=None)
    assert message.startswith("不符合申报条件：企业库中没有和平智能软件有限公司的500强榜单记录")
    assert field == "enterprise"


def test_approvals_and_payments_are_refused_in_words(schemes, firms, office, gxj):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    assert refusal(services.approve, office, app, expected_version=None, amount="0") == (
        "核定金额：必须大于0；如不支持，请选择“不予支持”",
        "amount",
    )
    pay = dict(expected_version=None, paid_on=PAID_ON, voucher="付款凭证1")
    assert refusal(services.record_payment, office, app, amount="10", **pay) == (
        "只有已批准的申请可以拨付；此申请为“主管部门已审核”。",
        "",
    )
    with pytest.raises(PermissionDenied) as denied:
        services.record_payment(gxj, app, amount="10", **pay)
    assert str(denied.value) == "只有领导小组办公室可以登记拨付。"
    app = services.approve(office, app, expected_version=None, amount="250")
    assert refusal(services.record_payment, office, app, amount="abc", **pay) == (
        "拨付金额：abc 不是金额",
        "amount",
    )


def test_a_stale_decision_says_who_changed_the_application_and_when(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    seen = app.version
    app = services.approve(office, app, expected_version=seen, amount="250")
    with pytest.raises(services.ConflictError) as exc:
        services.record_payment(
            office, app, expected_version=seen, paid_on=PAID_ON, amount="10", voucher="v"
        )
    when = timezone.localtime(app.updated_at).strftime("%Y-%m-%d %H:%M")
    assert str(exc.value) == (
        f"在您查看期间，{office} 于 {when} 修改了此申请（版本 {seen} 已变为 {app.version}）。"
        "未保存任何内容：请查看其当前状态后重新办理。"
    )
    assert exc.value.field == "version"


def test_each_step_keeps_who_made_it(schemes, firms, office, reporter_heping):
    app = new_app(schemes["upgrade"], firms["heping"], actor=reporter_heping)
    assert history(app).get(action="incentives.application.created").actor == reporter_heping
    app = services.update_application(reporter_heping, app, expected_version=None, requested="200")
    changed = history(app).get(action="incentives.application.changed")
    assert (changed.actor, changed.org_unit) == (reporter_heping, firms["heping"].district)
    app = services.submit(reporter_heping, app, expected_version=None)
    assert app.updated_by == reporter_heping
    app = services.review(None, app, expected_version=None)
    app = services.approve(office, app, expected_version=None, amount="200")
    services.record_payment(
        office, app, expected_version=None, paid_on=PAID_ON, amount="50", voucher="v1"
    )
    services.record_payment(
        None, app, expected_version=None, paid_on=PAID_ON, amount="50", voucher="v2"
    )
    app.refresh_from_db()
    assert (app.state, app.updated_by) == (S.PARTLY_PAID, None)  # the command line's part
    services.record_payment(
        office, app, expected_version=None, paid_on=PAID_ON, amount="50", voucher="v3"
    )
    app.refresh_from_db()
    assert (app.state, app.updated_by, app.paid) == (S.PARTLY_PAID, office, Decimal(150))


def test_a_zone_enters_applications_for_the_enterprises_in_its_parks(schemes, firms, tianjin_units):
    from ducha.accounts.models import User
    from ducha.parks.models import Park

    zone = next(u for u in tianjin_units.values() if u.kind == "zone")
    clerk = User.objects.create_user(
        username="zone", password="pw-for-tests-only", role="reporter", org_unit=zone
    )
    with pytest.raises(PermissionDenied):
        new_app(schemes["upgrade"], firms["binhai"], actor=clerk)
    firm = firms["binhai"]
    firm.park = Park.objects.create(code="p", name="园区", district=firm.district, zone=zone)
    firm.save()
    app = new_app(schemes["upgrade"], firm, actor=clerk)
    assert history(app).get(action="incentives.application.created").actor == clerk


def test_the_managing_units_active_people_are_told_of_a_submission(schemes, firms, tianjin_units):
    from ducha.accounts.models import User
    from ducha.notifications.models import Delivery

    def person(name, active):
        return User.objects.create_user(
            username=name, password="pw-for-tests-only", role="reporter",
            org_unit=tianjin_units["TJ-GXJ"], email=f"{name}@example.org", is_active=active,
        )  # fmt: skip

    on, off = person("on", True), person("off", False)
    app = services.submit(None, new_app(schemes["upgrade"], firms["heping"]), expected_version=None)
    told = Delivery.objects.filter(event="incentives.submitted")
    assert {d.user_id for d in told if d.user_id} == {on.pk}
    assert off.pk not in {d.user_id for d in told}
    assert all(d.body.startswith(f"系统 提交了 {app}，请审核：") for d in told)
