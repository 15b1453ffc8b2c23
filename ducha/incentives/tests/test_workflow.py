"""The application workflow and the rules the services enforce."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ducha.audit.services import history
from ducha.incentives import services
from ducha.incentives.models import APP_TRANSITIONS, AppState, Budget
from ducha.incentives.tests.conftest import new_app, reviewed_app

pytestmark = pytest.mark.django_db
S = AppState


def test_amount_by_the_rule_is_computed_from_the_base(schemes, firms):
    app = new_app(schemes["upgrade"], firms["heping"], base="8,000")
    assert app.computed == Decimal(500)  # 10% of 8000 is 800, capped at 500
    app = new_app(schemes["upgrade"], firms["binhai"], base="3000万元", requested="3,000,000元")
    assert (app.computed, app.requested) == (Decimal(300), Decimal(300))


def test_full_workflow_to_paid_with_a_part_payment(schemes, firms, office, gxj):
    app = new_app(schemes["upgrade"], firms["heping"])
    app = services.submit(None, app, expected_version=app.version)
    app = services.review(gxj, app, expected_version=app.version)
    app = services.approve(office, app, expected_version=app.version, amount="250")
    services.record_payment(
        office,
        app,
        expected_version=app.version,
        paid_on=dt.date(2019, 8, 1),
        amount="100",
        voucher="V-1",
    )
    app.refresh_from_db()
    assert (app.state, app.paid) == (S.PARTLY_PAID, Decimal(100))
    services.record_payment(
        office,
        app,
        expected_version=app.version,
        paid_on="2019-09-01",
        amount="150",
        voucher="V-2",
    )
    app.refresh_from_db()
    assert (app.state, app.paid) == (S.PAID, Decimal(250))
    actions = [e.action for e in history(app)]
    assert "incentives.application.approved" in actions
    assert "incentives.application.paid" in actions


def test_transitions_outside_the_table_are_refused(schemes, firms):
    app = new_app(schemes["upgrade"], firms["heping"])
    refused = 0
    for state in S.values:
        for target in S.values:
            app.state = state
            if target in APP_TRANSITIONS[state]:
                services._move(None, app, target, "test")
                assert app.state == target
                continue
            with pytest.raises(services.IncentiveError):
                services._move(None, app, target, "test")
            refused += 1
    assert refused > len(S.values)  # most pairs are not transitions


def test_a_draft_cannot_be_approved_or_reviewed(schemes, firms, office, gxj):
    app = new_app(schemes["upgrade"], firms["heping"])
    with pytest.raises(services.IncentiveError):
        services.approve(office, app, expected_version=None, amount="100")
    with pytest.raises(services.IncentiveError):
        services.review(gxj, app, expected_version=None)


def test_approval_above_the_remaining_budget_is_refused_and_says_what_is_left(
    schemes, firms, office
):
    Budget.objects.filter(scheme=schemes["upgrade"]).update(amount=Decimal(500))
    first = reviewed_app(schemes["upgrade"], firms["heping"])
    services.approve(office, first, expected_version=None, amount="300")
    second = reviewed_app(schemes["upgrade"], firms["binhai"])
    with pytest.raises(services.IncentiveError) as exc:
        services.approve(office, second, expected_version=None, amount="250")
    assert exc.value.field == "amount"
    assert "200" in exc.value.message  # 500 − 300 remain
    second.refresh_from_db()
    assert second.state == S.REVIEWED and second.approved is None
    services.approve(office, second, expected_version=None, amount="200")


def test_approval_without_a_budget_for_the_year_is_refused(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"], year=2020)
    with pytest.raises(services.IncentiveError) as exc:
        services.approve(office, app, expected_version=None, amount="100")
    assert "2020" in exc.value.message


def test_approval_above_the_cap_or_the_rule_is_refused(schemes, firms, office):
    app = reviewed_app(
        schemes["upgrade"], firms["heping"], base="3000", requested="600", note="含设备投入"
    )
    with pytest.raises(services.IncentiveError) as exc:
        services.approve(office, app, expected_version=None, amount="600")
    assert "500" in exc.value.message  # the cap
    with pytest.raises(services.IncentiveError) as exc:
        services.approve(office, app, expected_version=None, amount="400")
    assert "300" in exc.value.message  # what the rule gives for a base of 3000


def test_payment_above_the_approved_amount_is_refused(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    app = services.approve(office, app, expected_version=None, amount="200")
    with pytest.raises(services.IncentiveError) as exc:
        services.record_payment(
            office,
            app,
            expected_version=None,
            paid_on=dt.date(2019, 8, 1),
            amount="201",
            voucher="V-9",
        )
    assert exc.value.field == "amount"
    services.record_payment(
        office,
        app,
        expected_version=None,
        paid_on=dt.date(2019, 8, 1),
        amount="150",
        voucher="V-9",
    )
    with pytest.raises(services.IncentiveError):
        services.record_payment(
            office,
            app,
            expected_version=None,
            paid_on=dt.date(2019, 9, 1),
            amount="51",
            voucher="V-10",
        )


def test_a_second_application_for_the_same_scheme_firm_and_year_is_refused(schemes, firms):
    new_app(schemes["upgrade"], firms["heping"])
    with pytest.raises(services.IncentiveError) as exc:
        new_app(schemes["upgrade"], firms["heping"])
    assert "和平智能软件有限公司" in exc.value.message
    new_app(schemes["upgrade"], firms["heping"], year=2020)  # another year is fine


def test_a_withdrawn_application_does_not_block_a_new_one(schemes, firms):
    app = new_app(schemes["upgrade"], firms["heping"])
    services.withdraw(None, app, expected_version=None)
    new_app(schemes["upgrade"], firms["heping"])


def test_the_500_award_needs_a_first_listing_in_the_enterprise_register(schemes, firms):
    from ducha.enterprises.models import RankingListing

    with pytest.raises(services.IncentiveError) as exc:
        new_app(schemes["top500"], firms["heping"], requested="100", base=None)
    assert "500" in exc.value.message and exc.value.field == "enterprise"
    RankingListing.objects.create(enterprise=firms["heping"], ranking="china500", year=2016)
    with pytest.raises(services.IncentiveError):  # listed long before: not a first entry
        new_app(schemes["top500"], firms["heping"], requested="100", base=None)
    RankingListing.objects.create(enterprise=firms["binhai"], ranking="global500", year=2018)
    app = new_app(schemes["top500"], firms["binhai"], requested="100", base=None)
    assert app.computed == Decimal(100)


def test_a_share_scheme_needs_the_base_amount(schemes, firms):
    with pytest.raises(services.IncentiveError) as exc:
        new_app(schemes["upgrade"], firms["heping"], base=None)
    assert exc.value.field == "base_amount"


def test_amounts_as_people_type_them_and_bad_ones_named(schemes, firms):
    app = new_app(
        schemes["upgrade"], firms["heping"], requested="１，２００", base="1.2亿元", note="超出上限"
    )
    assert (app.requested, app.base_amount) == (Decimal(1200), Decimal(12000))
    with pytest.raises(services.IncentiveError) as exc:
        new_app(schemes["upgrade"], firms["binhai"], requested="三百块")
    assert exc.value.field == "requested"


def test_a_decision_on_a_changed_application_is_refused(schemes, firms, office, gxj):
    app = new_app(schemes["upgrade"], firms["heping"])
    app = services.submit(None, app, expected_version=None)
    seen = app.version
    services.return_application(office, app, expected_version=seen, reason="补充材料")
    with pytest.raises(services.ConflictError):
        services.review(gxj, app, expected_version=seen)


def test_returning_and_rejecting_need_a_reason(schemes, firms, gxj):
    app = services.submit(None, new_app(schemes["upgrade"], firms["heping"]), expected_version=None)
    with pytest.raises(services.IncentiveError) as exc:
        services.return_application(gxj, app, expected_version=None, reason="  ")
    assert exc.value.field == "reason"
    services.reject(gxj, app, expected_version=None, reason="不符合条件")
    app.refresh_from_db()
    assert app.state == S.REJECTED and app.reason == "不符合条件"


def test_a_returned_application_is_corrected_and_submitted_again(
    schemes, firms, gxj, reporter_heping
):
    app = new_app(schemes["upgrade"], firms["heping"], actor=reporter_heping)
    app = services.submit(reporter_heping, app, expected_version=None)
    app = services.return_application(gxj, app, expected_version=None, reason="基数有误")
    app = services.update_application(
        reporter_heping, app, expected_version=app.version, base_amount="2000", requested="200"
    )
    assert app.computed == Decimal(200)
    app = services.submit(reporter_heping, app, expected_version=app.version)
    assert app.state == S.SUBMITTED and app.reason == ""


def test_only_the_managing_unit_reviews_and_only_the_office_approves(
    schemes, firms, office, gxj, kjj, reporter_heping
):
    app = services.submit(None, new_app(schemes["upgrade"], firms["heping"]), expected_version=None)
    for someone in (kjj, reporter_heping):
        with pytest.raises(PermissionDenied):
            services.review(someone, app, expected_version=None)
    app = services.review(gxj, app, expected_version=None)
    for someone in (gxj, reporter_heping):
        with pytest.raises(PermissionDenied):
            services.approve(someone, app, expected_version=None, amount="100")
    with pytest.raises(services.IncentiveError):  # gone on to the office
        services.return_application(gxj, app, expected_version=None, reason="x")
    services.approve(office, app, expected_version=None, amount="100")


def test_a_district_enters_applications_for_its_own_enterprises_only(
    schemes, firms, reporter_heping
):
    new_app(schemes["upgrade"], firms["heping"], actor=reporter_heping)
    with pytest.raises(PermissionDenied):
        new_app(schemes["upgrade"], firms["binhai"], actor=reporter_heping)


def test_leaders_write_nothing(schemes, firms, leader):
    with pytest.raises(PermissionDenied):
        new_app(schemes["upgrade"], firms["heping"], actor=leader)


@pytest.mark.parametrize(
    "paid_on,words",
    [(dt.date(2099, 1, 1), "晚于今天"), (dt.date(2010, 1, 1), "早于申请年度")],
)
def test_a_payment_dated_in_the_future_or_before_its_year_is_refused(
    schemes, firms, office, paid_on, words
):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    app = services.approve(office, app, expected_version=None, amount="200")
    with pytest.raises(services.IncentiveError) as exc:
        services.record_payment(
            office, app, expected_version=None, paid_on=paid_on, amount="100", voucher="V-1"
        )
    assert exc.value.field == "paid_on" and words in exc.value.message
    assert not app.payments.exists()


def test_a_budget_cannot_be_cut_below_what_is_already_approved(schemes, firms, office):
    from ducha.incentives.admin import BudgetForm
    from ducha.incentives.models import Budget

    app = reviewed_app(schemes["upgrade"], firms["heping"])
    services.approve(office, app, expected_version=None, amount="200")
    budget = Budget.objects.get(scheme=schemes["upgrade"], year=app.year)
    form = BudgetForm(
        {"scheme": budget.scheme_id, "year": budget.year, "amount": "100"}, instance=budget
    )
    assert not form.is_valid() and "200" in str(form.errors["amount"])
    form = BudgetForm(
        {"scheme": budget.scheme_id, "year": budget.year, "amount": "200"}, instance=budget
    )
    assert form.is_valid(), form.errors
