"""What the public and each role may see and write of bulletins, plan publications and
published snapshots (portal/policies.py): anyone, signed in or not, reads what is published
(an archived bulletin is no longer shown); leaders read everything; only the office writes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ducha.core.tests.rules import account, policy_may
from ducha.portal.models import Bulletin, PlanPublication, PlanSnapshot

pytestmark = pytest.mark.django_db
READERS = ["office", "leader", "head", "reporter", "anonymous"]
# reader -> sees (a draft, a published, an archived bulletin), writes any
BULLETIN = {
    "office": "Y Y Y Y",
    "leader": "Y Y Y .",
    "head": ". Y . .",
    "reporter": ". Y . .",
    "anonymous": ". Y . .",
}


@pytest.fixture
def readers(tianjin_units):
    user = account

    return {
        "office": user("o", "office", tianjin_units["TJ-OFFICE"]),
        "leader": user("l", "leader", None),
        "head": user("h", "unit_head", tianjin_units["120101"]),
        "reporter": user("r", "reporter", tianjin_units["120101"]),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize("reader", READERS)
def test_who_reads_and_writes_bulletins_in_each_state(readers, reader):
    now = timezone.now()
    draft = Bulletin.objects.create(title="草稿", body="…")
    published = Bulletin.objects.create(title="通报", body="…", published=True, published_at=now)
    archived = Bulletin.objects.create(
        title="旧", body="…", published=True, published_at=now, archived_at=now
    )
    user = readers[reader]
    sees = " ".join(
        "Y" if policy_may(b, user, "view") else "." for b in (draft, published, archived)
    )
    writes = all(policy_may(b, user, a) for b in (draft, published) for a in ("change", "publish"))
    assert f"{sees} {'Y' if writes else '.'}" == BULLETIN[reader]
    if reader != "office":
        assert not any(
            policy_may(b, user, a) for b in (draft, published) for a in ("change", "publish")
        )


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("published", [False, True])
def test_a_plans_publication_and_its_snapshots_are_public_once_published(
    tianjin_plan, readers, reader, published
):
    publication = PlanPublication.objects.create(plan=tianjin_plan, published=published)
    snapshot = PlanSnapshot.objects.create(
        plan=tianjin_plan, as_of=dt.date(2020, 1, 1), data={}, published_at=timezone.now()
    )
    user = readers[reader]
    sees = published or reader in {"office", "leader"}
    assert policy_may(publication, user, "view") == sees
    assert policy_may(snapshot, user, "view") == sees
    for obj in (publication, snapshot):
        assert policy_may(obj, user, "change") == (reader == "office")
