"""An application import resolves applicants only among those the district may see, and asks
permission first: naming another district's enterprise tells nothing about it."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from ducha.incentives import services
from ducha.registers.tests.conftest import code, csv_bytes, problems_of

pytestmark = pytest.mark.django_db


def _row_messages(problems: list[str]) -> list[str]:
    """Each problem with its row number, the credit code and the scheme taken out."""
    return [re.sub(r"第 \d+ 行|[0-9A-Z]{18}", "…", p) for p in problems]


def test_another_districts_enterprise_reads_as_not_registered(schemes, firms, reporter_heping):
    from ducha.incentives.tests.conftest import new_app

    services.submit(None, new_app(schemes["upgrade"], firms["binhai"]), expected_version=None)
    unknown = code("120116", "MA05JJ8K9")  # valid, but no such enterprise
    data = csv_bytes(
        "奖补政策,申请企业,年度,基数金额(万元),申请金额(万元)\n"
        f"ZNGZ,{firms['binhai'].credit_code},2019,3000,300\n"
        f"ZNGZ,{unknown},2019,3000,300\n"
    )
    problems = problems_of("incentives", data, actor=reporter_heping)
    assert len(problems) == 2
    hidden, missing = _row_messages(problems)
    assert hidden == missing  # the same words for a record one may not see as for none
    text = " ".join(problems)
    assert firms["binhai"].name not in text and "JB2019" not in text and "已提交" not in text


def test_the_service_asks_permission_before_eligibility_or_duplicates(
    schemes, firms, reporter_heping
):
    # the 500强 scheme would say what the register holds about the firm's listings
    with pytest.raises(PermissionDenied) as refused:
        services.create_application(
            reporter_heping,
            scheme=schemes["top500"],
            enterprise=firms["binhai"],
            year=2019,
            requested="100",
        )
    assert firms["binhai"].name not in str(refused.value)
    assert "滨海" not in str(refused.value)
