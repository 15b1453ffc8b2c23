"""Who sees and sets notifications (notifications/policies.py), from its docstring and
docs/notifications.md: the office sets up every group robot; a unit sees its own robots and
its head turns them on or off ("use"); everyone sets their own channels and sees what was
sent to them; a disabled account and the public see nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_marks
from ducha.notifications.models import Channel, Delivery, Preference, Robot

pytestmark = pytest.mark.django_db
# reader -> may (view, use, change) 和平区's robot
ROBOT = {
    "office": "Y Y Y",
    "leader": ". . .",
    "head": "Y Y .",
    "reporter": "Y . .",
    "other head": ". . .",
    "disabled head": ". . .",
    "anonymous": ". . .",
}


@pytest.fixture
def world(tianjin_units):
    heping, binhai = tianjin_units["120101"], tianjin_units["120116"]

    user = account

    readers = {
        "office": user("o", "office", tianjin_units["TJ-OFFICE"]),
        "leader": user("l", "leader", None),
        "head": user("h", "unit_head", heping),
        "reporter": user("r", "reporter", heping),
        "other head": user("bh", "unit_head", binhai),
        "disabled head": user("dh", "unit_head", heping, active=False),
        "anonymous": AnonymousUser(),
    }
    robot = Robot.objects.create(
        name="和平区群", kind=Channel.WECOM, org_unit=heping, webhook_url="https://example.com/h"
    )
    return readers, robot


@pytest.mark.parametrize("reader", list(ROBOT))
def test_who_may_see_use_and_set_up_a_units_group_robot(world, reader):
    readers, robot = world
    assert policy_marks(robot, readers[reader], ["view", "use", "change"]) == ROBOT[reader]


@pytest.mark.parametrize("reader", [r for r in ROBOT if r != "anonymous"])
def test_a_persons_channels_and_messages_are_their_own_and_the_offices(world, reader):
    readers, robot = world
    user = readers[reader]
    office = reader == "office"
    active = reader != "disabled head"
    own_pref = Preference.objects.create(user=user)
    others_pref = Preference.objects.create(user=readers["leader" if office else "office"])
    sent = Delivery.objects.create(
        key=f"k-{reader}", event="e", channel=Channel.EMAIL, recipient="x@example.com",
        user=user, subject="s", body="b",
    )  # fmt: skip
    to_robot = Delivery.objects.create(
        key=f"r-{reader}", event="e", channel=Channel.WECOM, recipient="和平区群",
        robot=robot, subject="s", body="b",
    )  # fmt: skip
    mine = "Y Y" if active else ". ."
    assert policy_marks(own_pref, user, ["view", "change"]) == mine
    assert policy_marks(others_pref, user, ["view", "change"]) == ("Y Y" if office else ". .")
    # what was sent is read, never changed: not even by the office
    assert policy_marks(sent, user, ["view", "change"]) == ("Y ." if active else ". .")
    assert policy_marks(to_robot, user, ["view", "change"]) == ("Y ." if office else ". .")


def test_the_public_sees_no_ones_channels_or_messages(world):
    readers, _robot = world
    pref = Preference.objects.create(user=readers["office"])
    assert policy_marks(pref, AnonymousUser(), ["view", "change"]) == ". ."
