"""Shared fixtures: the Tianjin org units and plan, and named users for every role."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "ducha" / "data"
TIANJIN_PLAN = DATA / "tianjin-2018" / "plan.yaml"
TIANJIN_UNITS = DATA / "orgunits-tianjin.yaml"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tianjin_units(db):
    from ducha.orgunits.services import load_orgunit_file

    load_orgunit_file(TIANJIN_UNITS)
    from ducha.orgunits.models import OrgUnit

    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def tianjin_plan(tianjin_units):
    from ducha.plans.services import load_plan_file

    return load_plan_file(TIANJIN_PLAN).plan


def _make_user(username, role, unit=None, **extra):
    from ducha.accounts.models import User

    user = User.objects.create_user(
        username=username, password="pw-for-tests-only", role=role, org_unit=unit, **extra
    )
    return user


@pytest.fixture
def office(tianjin_units):
    return _make_user("office", "office", tianjin_units["TJ-OFFICE"], display_name="市智能办")


@pytest.fixture
def leader(tianjin_units):
    return _make_user("leader", "leader", None, display_name="领导")


@pytest.fixture
def reporter_heping(tianjin_units):
    return _make_user("heping", "reporter", tianjin_units["120101"], display_name="和平区填报员")


@pytest.fixture
def reporter_binhai(tianjin_units):
    return _make_user("binhai", "reporter", tianjin_units["120116"], display_name="滨海新区填报员")


@pytest.fixture
def head_heping(tianjin_units):
    return _make_user("heping_head", "unit_head", tianjin_units["120101"])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness costs a third of a second per demo account; not in tests."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """`ducha demo` loaded once per test module (it takes a second or two), removed after.

    Each test still runs in its own transaction, rolled back at its end, so tests that change
    things do not see each other's changes.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings

    from ducha.demo.services import load_demo

    with django_db_blocker.unblock():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            report = load_demo()
        yield report
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_for_module, db):
    """The demo data (org units, the Tianjin plan, values, one account per role)."""
    from dataclasses import replace

    from ducha.plans.models import Plan

    return replace(_demo_for_module, plan=Plan.objects.get(pk=_demo_for_module.plan.pk))


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese), as a fresh process does.

    The test client's LocaleMiddleware leaves the language of its last request active in the
    thread; a command called afterwards would otherwise answer in that language.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
