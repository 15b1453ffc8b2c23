"""Register imports resolve references only among the records the importing user may see,
and ask permission before they read the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.registers import base
from ducha.registers.columns import CellError
from ducha.registers.references import References
from ducha.registers.tests.conftest import code

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_firms(tianjin_units):
    from ducha.enterprises.models import Enterprise

    return (
        Enterprise.objects.create(
            name="和平甲公司",
            credit_code=code("120101", "MA05JJ8K1"),
            district=tianjin_units["120101"],
        ),
        Enterprise.objects.create(
            name="滨海乙公司",
            credit_code=code("120116", "MA05JJ8K2"),
            district=tianjin_units["120116"],
        ),
    )


def _message(refs, text):
    with pytest.raises(CellError) as exc:
        refs.enterprise(text)
    return str(exc.value)


def test_an_enterprise_of_another_district_is_not_registered_for_a_district(
    two_firms, reporter_heping
):
    own, other = two_firms
    refs = References(user=reporter_heping)
    texts = [
        own.credit_code,
        other.credit_code,
        code("120116", "MA05JJ8K9"),
        other.name,
        "无此公司",
    ]
    refs.prefetch_enterprises(texts)
    assert refs.enterprise(own.credit_code) == own
    hidden, missing = _message(refs, other.credit_code), _message(refs, texts[2])
    assert hidden.replace(other.credit_code, "…") == missing.replace(texts[2], "…")
    assert _message(refs, other.name).replace(other.name, "…") == _message(
        refs, "无此公司"
    ).replace("无此公司", "…")


def test_the_command_line_and_the_office_resolve_every_enterprise(two_firms, office):
    for user in (None, office):
        refs = References(user=user)
        refs.prefetch_enterprises([f.credit_code for f in two_firms])
        assert [refs.enterprise(f.credit_code) for f in two_firms] == list(two_firms)


@pytest.mark.parametrize("key", sorted(base.CATALOGUE))
def test_every_register_import_asks_permission_before_reading_the_file(
    key, client, leader, tianjin_units
):
    """A user who may not import gets 403 for any file, even one that would be refused for
    its content: the file is never looked at."""
    from ducha.core.tests.bombs import dimension_bomb

    client.force_login(leader)
    url = reverse(f"{base.get(key).namespace}:import")
    upload = SimpleUploadedFile("bomb.xlsx", dimension_bomb())
    assert client.post(url, {"file": upload}).status_code == 403
