"""Every rule of a bulletin (通报) as a table (docs/reporting.md, "Roles"; the office writes and
publishes, nobody else).

A bulletin is put in each state (``BulletinState``) and every step is tried by every actor
on the office's pages; a new draft is also made by ``ducha bulletin --save``, the command
line's only bulletin step. The table is written by hand; ``ducha/core/tests/rules.py`` says
how to read a row. Bulletins have no API.
"""

from __future__ import annotations

import datetime as dt
import io
from unittest.mock import ANY

import pytest
from django.core.management import call_command
from django.urls import reverse

from ducha.core.tests import rules
from ducha.core.tests.rules import NOBODY, grid
from ducha.portal.models import Bulletin, BulletinState

B = BulletinState
STEPS = ["save", "publish", "unpublish", "archive", "restore"]
PAIRS = [("draft from a round", "new"), *rules.pairs(STEPS, B.values)]

OFFICE = "Y Y Y  . . .  . . .  . . .  ."

# (step, state): who may.
#                                            office  leader  head    reporter anon
#                                            o x -   o x -   o x -   o x -    -
RULES = {
    ("draft from a round", "new"): OFFICE,
    ("save", B.DRAFT): OFFICE,  # the office edits the text in any state
    ("save", B.PUBLISHED): OFFICE,
    ("save", B.ARCHIVED): OFFICE,
    ("publish", B.DRAFT): OFFICE,
    ("unpublish", B.PUBLISHED): OFFICE,
    ("archive", B.DRAFT): OFFICE,
    ("archive", B.PUBLISHED): OFFICE,
    ("restore", B.ARCHIVED): OFFICE,
}
RULES |= {pair: NOBODY for pair in PAIRS if pair not in RULES}

AUDIT = {
    "save": ("portal.bulletin.saved", lambda state: {"title": ["通报", "改过的标题"]}),
    "publish": ("portal.bulletin.state", lambda state: {"published": [False, True]}),
    "unpublish": ("portal.bulletin.state", lambda state: {"published": [True, False]}),
    "archive": (
        "portal.bulletin.state",
        lambda state: (
            {"archived_at": [None, ANY]}
            | ({"published": [True, False]} if state == B.PUBLISHED else {})
        ),
    ),
    "restore": ("portal.bulletin.state", lambda state: {"archived_at": [ANY, None]}),
}
VERSION = 3


def test_the_table_has_a_row_for_every_step_and_state():
    rules.complete(RULES, PAIRS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ducha.portal import services

    def build():
        world = rules.round_world()
        office = world["actors"]["office/other"]
        return world | {"b": services.save_bulletin(office, None, title="通报", body="正文")}

    yield from rules.module_data(django_db_blocker, build)


def put_in(world, state) -> Bulletin:
    Bulletin.objects.filter(pk=world["b"].pk).update(
        title="通报",
        version=VERSION,
        published=state == B.PUBLISHED,
        archived_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC) if state == B.ARCHIVED else None,
    )
    return Bulletin.objects.get(pk=world["b"].pk)


def act(client, world, b, step, version):
    if step == "draft from a round":
        return client.post(
            reverse("portal:bulletin_draft"), {"round": world["round"].pk, "as_of": "2019-12-31"}
        )
    if step == "save":
        return client.post(
            reverse("portal:bulletin_edit", args=[b.pk]),
            {"title": "改过的标题", "body": "正文", "version": version},
        )
    return client.post(
        reverse("portal:bulletin_state", args=[b.pk]), {"what": step, "version": version}
    )


def _drafted_changes(world):
    return {
        "title": [None, ANY],
        "body": [None, ANY],
        "plan_id": [None, world["round"].plan_id],
        "published": [None, False],
        "round_id": [None, world["round"].pk],
        "as_of": [None, "2019-12-31"],
        "issuer": [None, ANY],
        "tables": ANY,
    }


@pytest.mark.parametrize("step,state", PAIRS)
def test_bulletin_rules(world, db, step, state):
    allowed = grid(RULES[(step, state)])

    def run(name, user):
        b = put_in(world, B.DRAFT if state == "new" else state)
        mark = rules.audit_mark()
        response = act(rules.client_for(user), world, b, step, VERSION)
        if step == "draft from a round":
            new = Bulletin.objects.exclude(pk=b.pk).first()
            if (new is not None) != (name in allowed):
                return f"{'done' if new else 'refused'} ({response.status_code})"
            if new is None:
                return None
            return rules.audit_problem(
                new, "portal.bulletin.drafted", user, _drafted_changes(world), mark
            )
        after = Bulletin.objects.get(pk=b.pk)
        did = (after.state, after.title) != (b.state, b.title)
        action, changes = AUDIT[step]
        return rules.verdict(
            name in allowed,
            did,
            response,
            b,
            mark,
            lambda: rules.audit_problem(b, action, user, changes(state), mark),
        )

    assert rules.each_actor(world["actors"], run) == []


def test_the_command_line_drafts_a_bulletin(world, db):
    """``ducha bulletin --save``: the operator (no account) drafts; nothing else changes."""
    mark = rules.audit_mark()
    call_command(
        "bulletin", "--round", "2019Q3", "--as-of", "2019-12-31", "--save", stdout=io.StringIO()
    )
    new = Bulletin.objects.exclude(pk=world["b"].pk).get()
    assert new.state == B.DRAFT and new.created_by is None
    assert (
        rules.audit_problem(new, "portal.bulletin.drafted", None, _drafted_changes(world), mark)
        is None
    )


# Every write with a version the page read before: a conflict (409), nothing changed.
STALE_STEPS = [
    ("save", B.DRAFT),
    ("publish", B.DRAFT),
    ("unpublish", B.PUBLISHED),
    ("archive", B.PUBLISHED),
    ("restore", B.ARCHIVED),
]


@pytest.mark.parametrize("step,state", STALE_STEPS)
def test_a_stale_version_is_a_conflict(world, db, step, state):
    office = world["actors"]["office/other"]
    assert "office/other" in grid(RULES[(step, state)])
    b = put_in(world, state)
    mark = rules.audit_mark()
    response = act(rules.client_for(office), world, b, step, VERSION - 1)
    assert response.status_code == 409
    assert "此通报已被他人修改" in response.content.decode()
    after = Bulletin.objects.get(pk=b.pk)
    assert (after.state, after.title, after.version) == (state, "通报", VERSION)
    assert rules.writes_since(b, mark) == []


def test_a_stale_version_on_the_manage_page_is_a_conflict_and_keeps_the_text(world, db):
    b = put_in(world, B.DRAFT)
    response = rules.client_for(world["actors"]["office/other"]).post(
        reverse("portal:manage") + f"?edit={b.pk}",
        {"title": "改过的标题", "body": "我的正文", "version": VERSION - 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "此通报已被他人修改" in html and "我的正文" in html
    assert Bulletin.objects.get(pk=b.pk).title == "通报"
