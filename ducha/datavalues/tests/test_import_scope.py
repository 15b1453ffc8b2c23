"""A unit's value import asks permission first: a row for another unit is refused as such,
before anything else about it is looked at; the command line and the office import any unit."""

import pytest

from ducha.core.tables import ImportError_
from ducha.datavalues.importer import check_rows

pytestmark = pytest.mark.django_db

HEADER = ["指标代码", "单位", "期间", "数值"]


def _problems(plan, rows, user):
    with pytest.raises(ImportError_) as exc:
        check_rows(plan, [HEADER, *rows], user=user)
    return [str(p) for p in exc.value.problems]


def test_a_row_for_another_unit_is_refused_before_its_other_cells_are_checked(
    tianjin_plan, reporter_heping
):
    code = tianjin_plan.indicators.exclude(source="computed").first().code
    problems = _problems(
        tianjin_plan,
        [
            [code, "河西区", "2019", "not a number"],
            ["NO-SUCH-CODE", "120103", "2019Q9", "12"],
        ],
        reporter_heping,
    )
    assert len(problems) == 2
    assert all("只能填报和平区" in p for p in problems), problems
    assert not any("不是数字" in p or "NO-SUCH-CODE" in p for p in problems)


def test_the_office_and_the_command_line_check_every_units_rows(tianjin_plan, office):
    code = tianjin_plan.indicators.exclude(source="computed").first().code
    for user in (office, None):
        problems = _problems(tianjin_plan, [[code, "河西区", "2019", "not a number"]], user)
        assert problems and not any("只能填报" in p for p in problems)
        assert any("不是数字" in p for p in problems)
