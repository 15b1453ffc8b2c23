"""The one rule of every register (registers/policies.py), asked of an enterprise of 滨海新区
in a park of 天津开发区 and of a talent: the office sees and edits everything; leaders and the
municipal departments read everything; a district reads its own district's records, a
functional zone those in its parks; nobody else sees anything; personal data is the
office's alone. The parks themselves are read by everyone signed in, edited by the office.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from ducha.core.tests.rules import account, policy_marks
from ducha.enterprises.models import Enterprise
from ducha.parks.models import Park
from ducha.registers.tests.conftest import code
from ducha.talents.models import Talent

pytestmark = pytest.mark.django_db
# reader -> may (view, change) the enterprise; may (view, view_personal) the talent of 滨海新区
ENTERPRISE = {
    "office": "Y Y",
    "leader": "Y .",
    "department": "Y .",
    "district": "Y .",
    "other district": ". .",
    "zone": "Y .",  # the enterprise is in one of its parks
    "other zone": ". .",
    "no unit": ". .",
    "anonymous": ". .",
}
TALENT = {
    "office": "Y Y",
    "leader": "Y .",
    "department": "Y .",
    "district": "Y .",
    "other district": ". .",
    "zone": ". .",  # a talent has no park: a zone reads none
    "other zone": ". .",
    "no unit": ". .",
    "anonymous": ". .",
}


@pytest.fixture
def world(tianjin_units):
    units = tianjin_units
    zones = [u for u in units.values() if u.kind == "zone"]
    zone, other_zone = zones[0], zones[1]

    user = account

    readers = {
        "office": user("o", "office", units["TJ-OFFICE"]),
        "leader": user("l", "leader", None),
        "department": user("d", "reporter", units["TJ-GXJ"]),
        "district": user("b", "reporter", units["120116"]),
        "other district": user("h", "unit_head", units["120101"]),
        "zone": user("z", "reporter", zone),
        "other zone": user("z2", "reporter", other_zone),
        "no unit": user("n", "reporter", None),
        "anonymous": AnonymousUser(),
    }
    park = Park.objects.create(code="p", name="园区", district=units["120116"], zone=zone)
    firm = Enterprise.objects.create(
        name="滨海智能机器人有限公司",
        credit_code=code("120116", "MA05JJ8K2"),
        district=units["120116"],
        park=park,
    )
    talent = Talent.objects.create(
        name="张三", district=units["120116"], introduced_on=dt.date(2019, 5, 1)
    )
    return readers, firm, talent, park


@pytest.mark.parametrize("reader", list(ENTERPRISE))
def test_who_reads_and_edits_a_register_record(world, reader):
    readers, firm, talent, _park = world
    assert policy_marks(firm, readers[reader], ["view", "change"]) == ENTERPRISE[reader]
    assert policy_marks(talent, readers[reader], ["view", "view_personal"]) == TALENT[reader]


@pytest.mark.parametrize("reader", list(ENTERPRISE))
def test_the_parks_are_read_by_everyone_signed_in_and_edited_by_the_office(world, reader):
    readers, _firm, _talent, park = world
    signed_in = "." if reader == "anonymous" else "Y"
    office = "Y" if reader == "office" else "."
    assert policy_marks(park, readers[reader], ["view", "change"]) == f"{signed_in} {office}"
