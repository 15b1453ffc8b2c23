"""Two requests at the same moment that both pass a service's duplicate check: the database's
unique constraint stops the second, and it is told which field, never a 500.

The thread tests race for real on PostgreSQL (two connections; a barrier holds both requests
after their checks until both have made them). SQLite takes its write lock at the start of a
transaction, so two writers never overlap there: those tests run in the PostgreSQL pass.
"""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection

from ducha.core.integrity import unique_guard, violated
from ducha.incentives import services
from ducha.incentives.models import Application, Payment
from ducha.incentives.tests.conftest import new_app, reviewed_app


def _approved(scheme, firm):
    # asking more than a scheme's rule gives needs a reason (the award's rule gives 200)
    app = reviewed_app(scheme, firm, note="按企业实际投入申请")
    return services.approve(None, app, expected_version=None, amount="200")


def _pay(app, voucher="PZ-2019-001"):
    return services.record_payment(
        None, app, expected_version=None, paid_on=dt.date(2019, 6, 30), amount="50", voucher=voucher
    )


@pytest.mark.django_db
def test_a_payment_whose_voucher_slipped_past_the_check_is_refused_naming_the_voucher(
    schemes, firms
):
    _pay(_approved(schemes["upgrade"], firms["heping"]))
    second = _approved(schemes["upgrade"], firms["binhai"])
    # what a request that checked a moment before the first payment was written would see
    with mock.patch.object(services.Payment.objects, "filter") as looked:
        looked.return_value.exists.return_value = False
        with pytest.raises(services.IncentiveError) as refused:
            _pay(second)
    assert refused.value.field == "voucher"
    assert "凭证号" in refused.value.message
    assert Payment.objects.count() == 1
    second.refresh_from_db()
    assert second.paid == 0  # nothing of the refused payment was kept


@pytest.mark.django_db
def test_an_application_that_slipped_past_the_duplicate_check_is_refused_naming_the_field(
    schemes, firms
):
    new_app(schemes["upgrade"], firms["heping"])
    with (
        mock.patch.object(services, "_duplicate", return_value=None),
        pytest.raises(services.IncentiveError) as refused,
    ):
        new_app(schemes["upgrade"], firms["heping"])
    assert refused.value.field == "enterprise"
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_violated_names_the_model_and_fields_of_the_constraint(schemes, firms):
    from django.db import IntegrityError, transaction

    _pay(_approved(schemes["upgrade"], firms["heping"]))
    app = Application.objects.get()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Payment.objects.create(
            application=app, paid_on=dt.date(2019, 7, 1), amount=1, voucher="PZ-2019-001"
        )
    assert violated(caught.value) == (Payment, ["voucher"])
    # any other integrity error goes on as it is
    with pytest.raises(IntegrityError), unique_guard(lambda m, f: ValueError(m)):
        raise IntegrityError("CHECK constraint failed: not a unique one")


def _race(targets):
    """Run the callables in threads started together; each one's result or exception."""
    results = [None] * len(targets)

    def run(index, target):
        try:
            results[index] = target()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _held_after(function, barrier):
    """function, waiting at the barrier once it has run (after the duplicate check)."""

    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        barrier.wait(timeout=30)
        return result

    return wrapped


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to have"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_payments_with_one_voucher_at_once_one_is_refused_naming_the_voucher(schemes, firms):
    # two schemes: payments of one scheme's applications queue on its row (locked with them)
    first = _approved(schemes["upgrade"], firms["heping"])
    second = _approved(schemes["award"], firms["binhai"])
    barrier = threading.Barrier(2)
    checked = Payment.objects.filter

    def check_then_wait(*args, **kwargs):
        """The voucher check, then a wait: both requests have checked before either writes."""
        found = checked(*args, **kwargs)
        if "voucher" in kwargs:
            exists = found.exists()
            barrier.wait(timeout=30)
            return mock.Mock(exists=mock.Mock(return_value=exists))
        return found

    with mock.patch.object(Payment.objects, "filter", check_then_wait):
        results = _race([lambda: _pay(first), lambda: _pay(second)])
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], services.IncentiveError) and refused[0].field == "voucher"
    assert Payment.objects.count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_identical_new_applications_at_once_one_is_refused_naming_the_field(schemes, firms):
    barrier = threading.Barrier(2)
    with mock.patch.object(services, "_duplicate", _held_after(services._duplicate, barrier)):
        results = _race([lambda: new_app(schemes["upgrade"], firms["heping"])] * 2)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], services.IncentiveError) and refused[0].field == "enterprise"
    assert Application.objects.count() == 1
