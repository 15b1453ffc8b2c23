"""Who sees which applications: districts their own, the managing unit its schemes', the
office and leaders everything, the public nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from ducha.incentives.models import Application
from ducha.incentives.tests.conftest import new_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def apps(schemes, firms):
    return {
        "heping": new_app(schemes["upgrade"], firms["heping"]),
        "binhai": new_app(schemes["upgrade"], firms["binhai"]),
        "science": new_app(schemes["science"], firms["binhai"]),
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_reporter_cannot_see_another_districts_applications(apps, reporter_heping):
    assert set(Application.objects.for_user(reporter_heping)) == {apps["heping"]}
    client = _client(reporter_heping)
    text = client.get(reverse("incentives:list")).content.decode()
    assert apps["heping"].number in text and apps["binhai"].number not in text
    assert client.get(reverse("incentives:detail", args=[apps["binhai"].pk])).status_code == 404
    export = client.get(reverse("incentives:export", args=["csv"])).content.decode("utf-8-sig")
    assert apps["heping"].enterprise.credit_code in export
    assert apps["binhai"].enterprise.credit_code not in export


def test_managing_unit_sees_the_applications_of_its_schemes_only(apps, gxj, kjj):
    assert set(Application.objects.for_user(gxj)) == {apps["heping"], apps["binhai"]}
    assert set(Application.objects.for_user(kjj)) == {apps["science"]}
    assert not Application.objects.for_user(gxj, "add").exists()


def test_office_and_leaders_see_everything_leaders_change_nothing(apps, office, leader):
    assert Application.objects.for_user(office).count() == 3
    assert Application.objects.for_user(leader).count() == 3
    assert not Application.objects.for_user(leader, "change").exists()


def test_the_public_sees_nothing(apps):
    client = Client()
    for url in [reverse("incentives:schemes"), reverse("incentives:list")]:
        assert client.get(url).status_code == 302  # to the login page
    assert not Application.objects.for_user(AnonymousUser()).exists()


def test_district_sees_no_action_buttons_on_anothers_decision(apps, reporter_heping, gxj):
    from ducha.incentives import services

    app = services.submit(None, apps["heping"], expected_version=None)
    assert services.available_actions(reporter_heping, app) == []
    assert services.available_actions(gxj, app) == ["review", "return", "reject"]
    response = _client(reporter_heping).post(
        reverse("incentives:act", args=[app.pk, "review"]), {"version": app.version}
    )
    assert response.status_code == 403


def test_a_zone_sees_the_applications_of_enterprises_in_its_parks(apps, firms, tianjin_units):
    from ducha.accounts.models import User
    from ducha.parks.models import Park
    from ducha.parks.services import load_park_file

    load_park_file()
    zone = tianjin_units["120116-TEDA"]
    park = Park.objects.filter(zone=zone).first()
    firms["binhai"].park = park
    firms["binhai"].save()
    user = User.objects.create_user(username="teda", password="x", role="reporter", org_unit=zone)
    assert set(Application.objects.for_user(user)) == {apps["binhai"], apps["science"]}
    assert set(Application.objects.for_user(user, "submit")) == {apps["binhai"], apps["science"]}


# reader -> may (view, add, change, submit, withdraw, review, approve) 和平区's application
# of a scheme 市工业和信息化局 manages (docs/architecture.md "Awards and subsidies")
APPLICATION_ACTIONS = ["view", "add", "change", "submit", "withdraw", "review", "approve"]
APPLICATION = {
    "office": "Y Y Y Y Y Y Y",
    "leader": "Y . . . . . .",
    "district": "Y Y Y Y Y . .",  # enters and submits for its enterprises, never reviews
    "other district": ". . . . . . .",
    "managing department": "Y . . . . Y .",
    "other department": ". . . . . . .",
    "no unit": ". . . . . . .",
    "disabled district": ". . . . . . .",
    "anonymous": ". . . . . . .",
}


def _marks(obj, user, actions):
    from ducha.core.policies import allows

    out = []
    for action in actions:
        by_scope = type(obj).objects.for_user(user, action).filter(pk=obj.pk).exists()
        assert allows(user, action, obj) == by_scope, (user, action)
        out.append("Y" if by_scope else ".")
    return " ".join(out)


@pytest.fixture
def readers(tianjin_units, office, leader, gxj, kjj):
    from ducha.accounts.models import User

    def user(name, unit, active=True):
        return User.objects.create_user(
            username=name, password="x", role="reporter", org_unit=unit, is_active=active
        )

    return {
        "office": office,
        "leader": leader,
        "district": user("hp", tianjin_units["120101"]),
        "other district": user("bh", tianjin_units["120116"]),
        "managing department": gxj,
        "other department": kjj,
        "no unit": user("nu", None),
        "disabled district": user("dhp", tianjin_units["120101"], active=False),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("reader", list(APPLICATION))
def test_who_may_do_what_with_a_districts_application(apps, readers, reader):
    assert apps["heping"].scheme.managing_unit.code == "TJ-GXJ"
    marks = _marks(apps["heping"], readers[reader], APPLICATION_ACTIONS)
    assert marks == APPLICATION[reader]


@pytest.mark.parametrize("reader", list(APPLICATION))
def test_a_payment_is_seen_with_its_application_and_recorded_by_the_office_only(
    apps, readers, reader
):
    import datetime as dt

    from ducha.incentives.models import Payment

    payment = Payment.objects.create(
        application=apps["heping"], paid_on=dt.date(2019, 12, 1), amount=100, voucher="V1"
    )
    sees = APPLICATION[reader][0]
    office = "Y" if reader == "office" else "."
    assert (
        _marks(payment, readers[reader], ["view", "add", "change"]) == f"{sees} {office} {office}"
    )
