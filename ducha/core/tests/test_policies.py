"""The policy framework itself (core/policies.py): scope, allows, require, for_user.

Each app's policy is checked by its workflow's rule table (``tests/test_rules.py``) and by
``test_permission_matrix.py``; here the machinery they all rely on, on a policy made up
for the test.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from ducha.core import policies
from ducha.core.policies import EVERYTHING, NOTHING, Policy
from ducha.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


class OnlyA(Policy):
    """Everyone may view unit A; "edit" is allowed on every unit; nothing else."""

    model = OrgUnit

    def scope(self, user, action):
        return {"view": Q(code="A"), "edit": EVERYTHING}.get(action, NOTHING)


@pytest.fixture
def units(monkeypatch):
    monkeypatch.setitem(policies._registry, OrgUnit, OnlyA())
    a = OrgUnit.objects.create(code="A", name="甲", kind="district")
    b = OrgUnit.objects.create(code="B", name="乙", kind="district")
    return a, b


def test_an_object_is_allowed_exactly_when_the_scope_holds_it(units):
    a, b = units
    assert policies.allows(None, "view", a) is True
    assert policies.allows(None, "view", b) is False
    assert policies.allows(None, "delete", a) is False


def test_everything_and_nothing_are_decided_without_a_query(units, django_assert_num_queries):
    a, _b = units
    with django_assert_num_queries(0):
        assert policies.allows(None, "edit", a) is True
        assert policies.allows(None, "delete", a) is False


def test_the_model_is_allowed_when_the_scope_is_not_nothing(units):
    assert policies.allows(None, "view", OrgUnit) is True
    assert policies.allows(None, "edit", OrgUnit) is True
    assert policies.allows(None, "delete", OrgUnit) is False


def test_require_refuses_what_is_not_allowed(units):
    a, b = units
    policies.require(None, "view", a)  # no exception
    with pytest.raises(PermissionDenied):
        policies.require(None, "view", b)
    with pytest.raises(PermissionDenied):
        policies.require(None, "delete", OrgUnit)


def test_for_user_lists_the_scope(units):
    a, _b = units
    assert list(OrgUnit.objects.for_user(None, "view")) == [a]
    assert OrgUnit.objects.for_user(None, "edit").count() == 2
    assert not OrgUnit.objects.for_user(None, "delete").exists()


def test_a_policy_allows_nothing_unless_it_says_so():
    assert Policy().scope(None, "view") == NOTHING
    assert Policy().allows(None, "view") is False


def test_register_keeps_one_policy_per_model(monkeypatch):
    monkeypatch.setattr(policies, "_registry", {})
    assert policies.register(OnlyA) is OnlyA
    assert isinstance(policies.policy_for(OrgUnit), OnlyA)


def test_a_model_without_a_policy_is_an_error_naming_it(monkeypatch):
    monkeypatch.setattr(policies, "_registry", {})
    with pytest.raises(LookupError, match="no policy registered for OrgUnit"):
        policies.policy_for(OrgUnit)


@pytest.mark.parametrize(
    ("role", "active", "view", "change"),
    [
        ("office", True, EVERYTHING, EVERYTHING),
        ("office", False, NOTHING, NOTHING),  # a disabled office account reads nothing
        ("leader", True, EVERYTHING, NOTHING),
        ("unit_head", True, EVERYTHING, NOTHING),
        ("reporter", True, EVERYTHING, NOTHING),
        ("reporter", False, NOTHING, NOTHING),
    ],
)
def test_reference_data_is_read_by_everyone_signed_in_and_written_by_the_office(
    role, active, view, change
):
    from ducha.accounts.models import User
    from ducha.workcalendar.models import HolidayYear

    user = User(username=f"{role}-{active}", role=role, is_active=active)
    scope = policies.policy_for(HolidayYear).scope  # a policy made of reference_scope
    assert scope(user, "view") == view
    assert scope(user, "change") == change


def test_reference_data_is_read_by_nobody_signed_out():
    from django.contrib.auth.models import AnonymousUser

    assert policies.reference_scope(AnonymousUser(), "view") == NOTHING


class OnlyAlice(Policy):
    """Alice may view every unit; nobody else may do anything: a scope that reads the user."""

    model = OrgUnit

    def scope(self, user, action):
        return EVERYTHING if (user, action) == ("alice", "view") else NOTHING


@pytest.fixture
def alice_policy(monkeypatch):
    monkeypatch.setitem(policies._registry, OrgUnit, OnlyAlice())
    return OrgUnit.objects.create(code="A", name="甲", kind="district")


def test_every_question_is_asked_about_the_user_it_names(alice_policy):
    a = alice_policy
    assert policies.allows("alice", "view", a) and policies.allows("alice", "view", OrgUnit)
    assert not policies.allows("bob", "view", a) and not policies.allows("bob", "view", OrgUnit)
    assert OnlyAlice().allows("alice", "view", a) and not OnlyAlice().allows("bob", "view", a)
    policies.require("alice", "view", a)
    with pytest.raises(PermissionDenied):
        policies.require("bob", "view", a)
    assert list(OrgUnit.objects.for_user("alice", "view")) == [a]
    assert not OrgUnit.objects.for_user("bob", "view").exists()


def test_for_user_lists_what_the_user_may_view_unless_told_another_action(alice_policy):
    assert list(OrgUnit.objects.for_user("alice")) == [alice_policy]
    assert not OrgUnit.objects.for_user("alice", "change").exists()


class EveryoneSignedIn(Policy):
    """Forgets ``is_active``, as a policy might: every signed-in account views every unit;
    the public views unit A."""

    model = OrgUnit

    def scope(self, user, action):
        if action != "view":
            return NOTHING
        return EVERYTHING if user.is_authenticated else Q(code="A")


def test_a_disabled_account_is_nobody_whatever_the_policy_forgets(monkeypatch):
    from ducha.accounts.models import User

    monkeypatch.setitem(policies._registry, OrgUnit, EveryoneSignedIn())
    a = OrgUnit.objects.create(code="A", name="甲", kind="district")
    b = OrgUnit.objects.create(code="B", name="乙", kind="district")
    active = User.objects.create_user(username="on", role="reporter", org_unit=a)
    disabled = User.objects.create_user(username="off", role="office", is_active=False)
    assert OrgUnit.objects.for_user(active, "view").count() == 2
    # asked as the public: what the policy gives the public, and nothing more
    assert list(OrgUnit.objects.for_user(disabled, "view")) == [a]
    assert policies.allows(disabled, "view", a) and not policies.allows(disabled, "view", b)
    assert EveryoneSignedIn().scope(disabled, "view") == Q(code="A")
    with pytest.raises(PermissionDenied):
        policies.require(disabled, "view", b)
