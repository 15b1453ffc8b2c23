"""Workflow rules as tables: what every app's ``tests/test_rules.py`` shares.

A workflow's rules are written by hand, from ``docs/reporting.md`` (and the app's own docs),
as one table per workflow: for each transition and each state the object can be in, a row
of marks, one per actor::

    #                               office  leader  head    reporter anon
    #                               o x -   o x -   o x -   o x -    -
    ("submit", "draft"):           "Y Y Y   . . .   Y . .   Y . .    .",

``Y``: the transition must happen; ``.``: it must be refused and change nothing. The actors
are every role (office, leader, unit head, reporter, anonymous) in every relation to the
object's unit: ``o`` own unit, ``x`` another unit, ``-`` no unit. The test then enumerates
every transition × state × actor through every channel (pages, API, commands), and checks
the audit entry of each allowed move (actor and diff). ``complete`` makes sure a table has
a row for every transition × state, so a state added to a workflow fails until someone
writes its row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

ROLES = ("office", "leader", "head", "reporter")
RELATIONS = ("own", "other", "none")
ACTORS = (*(f"{role}/{rel}" for role in ROLES for rel in RELATIONS), "anon")
HEADER = "office o x -  leader o x -  head o x -  reporter o x -  anon"
NOBODY = " ".join("." for _ in ACTORS)


def grid(row: str, actors: tuple[str, ...] = ACTORS) -> frozenset[str]:
    """The actors a row of marks allows: ``"Y Y Y  . . .  Y . .  Y . .  ."``."""
    marks = row.split()
    if len(marks) != len(actors) or not set(marks) <= {"Y", "."}:
        raise ValueError(f"a row needs {len(actors)} marks (Y or .), not {row!r}")
    return frozenset(a for a, mark in zip(actors, marks, strict=True) if mark == "Y")


def pairs(transitions: Iterable[str], states: Iterable[str]) -> list[tuple[str, str]]:
    return [(t, s) for t in transitions for s in states]


def complete(table: dict, wanted: Iterable[tuple[str, str]]) -> None:
    """Every (transition, state) wanted has its row, and no row names an unknown one."""
    wanted = set(wanted)
    missing = sorted(wanted - set(table))
    extra = sorted(set(table) - wanted)
    assert not missing and not extra, f"rows missing: {missing}; rows unknown: {extra}"


def make_actors(units: dict, *, own, other, office_unit, extra: dict | None = None) -> dict:
    """One user per actor: ``{"head/own": <User>, ..., "anon": None}``.

    ``own`` and ``other`` are org units; ``office_unit`` is the office's own unit. An office
    account in a unit is still the office; "office/other" is the usual office account.
    """
    from ducha.accounts.models import User

    unit_of = {"own": own, "other": other, "none": None}
    role_of = {"office": "office", "leader": "leader", "head": "unit_head", "reporter": "reporter"}
    users = {}
    for role in ROLES:
        for rel in RELATIONS:
            unit = unit_of[rel]
            if role == "office" and rel == "other":
                unit = office_unit
            users[f"{role}/{rel}"] = User.objects.create_user(
                username=f"{role}-{rel}",
                password="pw-for-tests-only",
                role=role_of[role],
                org_unit=unit,
                display_name=f"{role}-{rel}",
                is_staff=role == "office",  # as `ducha demo` makes the office's account
            )
    for name, (role, unit) in (extra or {}).items():
        users[name] = User.objects.create_user(
            username=name.replace("/", "-"),
            password="pw-for-tests-only",
            role=role_of[role],
            org_unit=unit,
            display_name=name,
        )
    users["anon"] = None
    return users


def tianjin_actors(units: dict, extra: dict | None = None) -> dict:
    """The actors for an object of 和平区: another unit is 滨海新区, the office's own unit is
    the office (``make_actors``)."""
    return make_actors(
        units,
        own=units["120101"],
        other=units["120116"],
        office_unit=units["TJ-OFFICE"],
        extra=extra,
    )


def verdict(allowed: bool, did: bool, response, obj, mark: int, audit: Callable) -> str | None:
    """What is wrong with one actor's attempt, or None: an allowed move happened and
    `audit()` (an ``audit_problem``) finds its entry; a refused one changed nothing and left
    no audit entry about `obj`."""
    if did != allowed:
        return f"{'done' if did else 'refused'} ({response.status_code})"
    if not did:
        left = writes_since(obj, mark) if obj is not None else []
        return f"refused, yet audited: {left}" if left else None
    return audit()


def client_for(user) -> Client:
    """A browser of `user` (None: not signed in), in Chinese as everyone's is by default."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    if user is not None:
        client.force_login(user)
    return client


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def module_data(django_db_blocker, build: Callable[[], dict]):
    """``yield from module_data(django_db_blocker, build)`` in a module-scoped fixture: the
    data `build` makes is kept for the module (each test still rolls its changes back) and
    flushed after it, as conftest's ``_demo_for_module`` does."""
    with django_db_blocker.unblock():
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                data = build()
            yield data
        finally:
            call_command("flush", interactive=False, verbosity=0)


def tianjin(with_plan: bool = True):
    """The Tianjin org units ({code: unit}) and, if asked, its plan."""
    from ducha.demo.services import PLAN_FILE
    from ducha.orgunits.models import OrgUnit
    from ducha.orgunits.services import TIANJIN_FILE, load_orgunit_file
    from ducha.plans.services import load_plan_file

    load_orgunit_file(TIANJIN_FILE)
    units = {u.code: u for u in OrgUnit.objects.all()}
    return units, (load_plan_file(PLAN_FILE).plan if with_plan else None)


def round_world() -> dict:
    """The Tianjin units and plan, the tables' actors and the 2019Q3 round the office opened:
    ``{"actors", "round", "plan", "unit"}`` (``unit`` is 和平区, the own unit)."""
    import datetime as dt

    from ducha.reporting import services as reporting

    units, plan = tianjin()
    actors = tianjin_actors(units)
    rnd = reporting.open_round(
        actors["office/other"], plan, "2019Q3", opened_on=dt.date(2019, 10, 8)
    )
    return {"actors": actors, "round": rnd, "plan": plan, "unit": units["120101"]}


def each_actor(actors: dict, run: Callable[[str, object], str | None]) -> list[str]:
    """``run(name, user)`` for every actor, each rolled back afterwards; its complaints."""
    complaints = []
    for name, user in actors.items():
        with transaction.atomic():
            problem = run(name, user)
            transaction.set_rollback(True)
        if problem:
            complaints.append(f"{name}: {problem}")
    return complaints


def audit_problem(obj, action: str, actor, changes: dict, since: int) -> str | None:
    """Why the audit log lacks exactly one `action` entry on `obj` by `actor` with `changes`
    (entries after id `since`); None when it is there."""
    from ducha.audit.services import history

    entries = [e for e in history(obj).filter(pk__gt=since) if e.action == action]
    if len(entries) != 1:
        return f"expected one audit entry {action}, found {[e.action for e in entries]}"
    entry = entries[0]
    if entry.actor_id != (actor.pk if actor is not None else None):
        return f"audit entry {action} credits {entry.actor}, not {actor}"
    if entry.changes != changes:
        return f"audit entry {action} records {entry.changes}, not {changes}"
    return None


def audit_mark() -> int:
    from ducha.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def writes_since(obj, since: int) -> list[str]:
    """The audit entries written about `obj` after `since` (a refusal must leave none)."""
    from ducha.audit.services import history

    return [e.action for e in history(obj).filter(pk__gt=since)]


# --- the policy tables (``<app>/tests/test_policies.py``) ------------------------------------


def account(name: str, role: str, unit, *, active: bool = True):
    """A user for a policy table (the password is never used: policies read the account)."""
    from ducha.accounts.models import User

    return User.objects.create_user(
        username=name, password="pw-for-tests-only", role=role, org_unit=unit, is_active=active
    )


def policy_marks(obj, user, actions: Iterable[str]) -> str:
    """``"Y . Y"``: may `user` do each action on `obj`? Asked both ways a page asks (the
    scope that ``for_user`` lists and ``allows`` on the object), which must agree."""
    from ducha.core.policies import allows

    marks = []
    for action in actions:
        by_scope = type(obj).objects.for_user(user, action).filter(pk=obj.pk).exists()
        assert allows(user, action, obj) == by_scope, (user, action, obj)
        marks.append("Y" if by_scope else ".")
    return " ".join(marks)


def policy_may(obj, user, action: str) -> bool:
    return policy_marks(obj, user, [action]) == "Y"
