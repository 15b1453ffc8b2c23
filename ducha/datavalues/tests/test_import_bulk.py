"""The bulk path of an office import: new values written as plain rows, existing ones as
models, in one file; and the row check's shortcuts giving what the full parse gives."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from ducha.audit.models import AuditEntry
from ducha.datavalues.importer import PLAIN_NUMBER, RowChecker
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus
from ducha.engine.numbers import parse_number

pytestmark = pytest.mark.django_db

COUNT = "TJ-IND-SUPPLIER50"  # quarterly, added up over the districts


def run_import(tmp_path, body: str, *args) -> str:
    path = tmp_path / "values.csv"
    path.write_text("指标代码,单位,期间,数值,说明\n" + body, encoding="utf-8")
    out = io.StringIO()
    call_command("importvalues", str(path), *args, stdout=out)
    return out.getvalue()


def test_new_and_held_values_in_one_file_each_get_their_approval_and_entry(tianjin_plan, tmp_path):
    run_import(tmp_path, f"{COUNT},和平区,2019Q3,5,\n")
    held = DataValue.objects.get()
    run_import(
        tmp_path,
        f"{COUNT},河西区,2019Q3,7.50,第一\n{COUNT},和平区,2019Q3,9,\n{COUNT},河东区,2019Q4,0,\n",
    )
    values = {v.org_unit.code: v for v in DataValue.objects.select_related("org_unit")}
    assert values["120101"].pk == held.pk and values["120101"].version == 2
    hexi, hedong = values["120103"], values["120102"]
    assert (hexi.value, hexi.note, hexi.period_end.isoformat()) == (
        Decimal("7.5"),
        "第一",
        "2019-09-30",
    )
    assert (hedong.value, hedong.period, hedong.status) == (0, "2019Q4", ValueStatus.APPROVED)
    assert hexi.version == 1 and hexi.approved_at == hexi.submitted_at == hexi.created_at
    approvals = {
        (a.data_value_id, a.org_unit_id, a.period, a.value) for a in ApprovedValue.objects.all()
    }
    assert approvals == {
        (held.pk, held.org_unit_id, "2019Q3", 5),
        (held.pk, held.org_unit_id, "2019Q3", 9),
        (hexi.pk, hexi.org_unit_id, "2019Q3", Decimal("7.5")),
        (hedong.pk, hedong.org_unit_id, "2019Q4", 0),
    }
    entries = {
        (e.object_id, e.object_repr, e.org_unit_id, tuple(e.changes["value"]))
        for e in AuditEntry.objects.filter(action="datavalues.value.imported")
    }
    assert entries == {
        (str(held.pk), str(held), held.org_unit_id, (None, "5")),
        (str(held.pk), str(held), held.org_unit_id, ("5", "9")),
        (str(hexi.pk), str(hexi), hexi.org_unit_id, (None, "7.5")),
        (str(hedong.pk), str(hedong), hedong.org_unit_id, (None, "0")),
    }


def test_a_submitted_import_writes_no_approval(tianjin_plan, tmp_path):
    run_import(tmp_path, f"{COUNT},和平区,2019Q3,5,\n", "--status", "submitted")
    value = DataValue.objects.get()
    assert value.status == ValueStatus.SUBMITTED and value.submitted_at is not None
    assert value.approved_at is None and not ApprovedValue.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["0", "00", "007", "0.0", "40.5", "40.50", "100.000000", "1234567890123456", "0.000001",
     "99.999999", "3.10"],
)  # fmt: skip
def test_a_plain_number_reads_as_the_full_parse_reads_it(tianjin_plan, typed):
    assert PLAIN_NUMBER.match(typed)
    checker = RowChecker(tianjin_plan)
    value = checker._value(typed, checker.indicators[COUNT], lambda *a: pytest.fail(str(a)))
    expected = parse_number(typed).value
    assert value.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize("typed", ["-3", "1,000", "１２", "1e3", " 4", "1.2万", "0.1234567"])
def test_other_numbers_take_the_full_parse(typed):
    assert not PLAIN_NUMBER.match(typed)


def test_a_repeated_bad_period_is_named_on_every_row(tianjin_plan, tmp_path):
    with pytest.raises(Exception) as refused:
        run_import(tmp_path, f"{COUNT},和平区,2019Q5,5,\n{COUNT},河西区,2019Q5,5,\n")
    assert "第 2 行" in str(refused.value) or "row 2" in str(refused.value)
    assert "第 3 行" in str(refused.value) or "row 3" in str(refused.value)
    assert not DataValue.objects.exists()
