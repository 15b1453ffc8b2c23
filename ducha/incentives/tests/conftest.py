"""Fixtures for the award and subsidy tests: three schemes with 2019 budgets, enterprises in
和平区 and 滨海新区, and a reviewer of the managing unit (工业和信息化局)."""

from decimal import Decimal

import pytest

from ducha.registers.tests.conftest import code


@pytest.fixture
def firms(tianjin_units):
    from ducha.enterprises.models import Enterprise

    return {
        "heping": Enterprise.objects.create(
            name="和平智能软件有限公司",
            credit_code=code("120101", "MA05JJ8K1"),
            district=tianjin_units["120101"],
        ),
        "heping2": Enterprise.objects.create(
            name="和平数据服务有限公司",
            credit_code=code("120101", "MA05JJ8K4"),
            district=tianjin_units["120101"],
        ),
        "binhai": Enterprise.objects.create(
            name="滨海智能机器人有限公司",
            credit_code=code("120116", "MA05JJ8K2"),
            district=tianjin_units["120116"],
        ),
    }


def make_scheme(units, code_, **kw):
    from ducha.incentives.models import Budget, Scheme

    budget = kw.pop("budget", Decimal(1000))
    defaults = {
        "name": code_,
        "managing_unit": units["TJ-GXJ"],
        "kind": "subsidy",
        "amount_kind": "share",
        "rate_percent": Decimal(10),
        "cap": Decimal(500),
        "base_label": "智能化改造投资额",
    }
    defaults.update(kw)
    scheme = Scheme.objects.create(code=code_, **defaults)
    if budget is not None:
        Budget.objects.create(scheme=scheme, year=2019, amount=budget)
    return scheme


@pytest.fixture
def schemes(tianjin_plan, tianjin_units):
    node = tianjin_plan.nodes.get(key="6.3.3")
    return {
        "upgrade": make_scheme(tianjin_units, "ZNGZ", name="智能化改造补助", plan_node=node),
        "award": make_scheme(
            tianjin_units,
            "SFGC",
            name="示范智能工厂奖励",
            kind="award",
            amount_kind="fixed",
            fixed_amount=Decimal(200),
            rate_percent=None,
            cap=Decimal(200),
            plan_node=node,
        ),
        "top500": make_scheme(
            tianjin_units,
            "500",
            name="500强奖励",
            kind="award",
            amount_kind="fixed",
            fixed_amount=Decimal(100),
            rate_percent=None,
            cap=Decimal(100),
            eligibility="listing500",
            plan_node=node,
        ),
        "science": make_scheme(
            tianjin_units, "CGZH", name="成果转化奖励", managing_unit=tianjin_units["TJ-KJJ"]
        ),
    }


@pytest.fixture
def gxj(tianjin_units):
    return _user("gxj", tianjin_units["TJ-GXJ"])


@pytest.fixture
def kjj(tianjin_units):
    return _user("kjj", tianjin_units["TJ-KJJ"])


def _user(username, unit):
    from ducha.accounts.models import User

    return User.objects.create_user(
        username=username, password="pw-for-tests-only", role="reporter", org_unit=unit
    )


def new_app(scheme, firm, *, actor=None, year=2019, requested="300", base="3000", note=""):
    from ducha.incentives import services

    return services.create_application(
        actor,
        scheme=scheme,
        enterprise=firm,
        year=year,
        requested=requested,
        base_amount=base,
        note=note,
    )


def reviewed_app(scheme, firm, **kw):
    from ducha.incentives import services

    app = new_app(scheme, firm, **kw)
    app = services.submit(None, app, expected_version=None)
    return services.review(None, app, expected_version=None)
