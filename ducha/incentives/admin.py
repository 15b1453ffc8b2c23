"""Schemes and their budgets are kept by the office in the admin (every save audited, so
budgets have their own page rather than an inline, which the audit would not see);
applications and payments are shown read-only there: their writes go through the services,
which check the rules, the budget and the workflow. Nothing is deleted."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ducha.core.admin import AuditedAdmin, PolicyAdmin
from ducha.incentives.models import Application, Budget, Payment, Scheme
from ducha.incentives.services import budget_lines


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(NoDelete, AuditedAdmin):
    list_display = ["code", "name", "kind", "managing_unit", "amount_kind", "cap", "is_demo"]
    list_filter = ["kind", "managing_unit", "is_demo"]
    search_fields = ["code", "name"]
    raw_id_fields = ["plan_node"]


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["scheme", "year", "amount", "is_demo"]

    def clean(self):
        data = super().clean()
        scheme, year, amount = data.get("scheme"), data.get("year"), data.get("amount")
        if scheme is None or year is None or amount is None:
            return data
        line = budget_lines([scheme.pk], [year]).get((scheme.pk, year))
        committed = line.committed if line is not None else 0
        if amount < committed:
            self.add_error(
                "amount",
                _("%(committed)s 万元 of this budget is already approved; it cannot be less")
                % {"committed": f"{committed:,.1f}"},
            )
        return data


@admin.register(Budget)
class BudgetAdmin(NoDelete, AuditedAdmin):
    form = BudgetForm
    list_display = ["scheme", "year", "amount", "is_demo"]
    list_filter = ["year", "scheme"]


class ReadOnly(NoDelete):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly, PolicyAdmin):
    list_display = ["id", "scheme", "enterprise", "project", "year", "state", "approved", "paid"]
    list_filter = ["state", "year", "scheme", "is_demo"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "project__code"]
    list_select_related = ["scheme", "enterprise", "project"]
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(ReadOnly, PolicyAdmin):
    list_display = ["voucher", "application", "paid_on", "amount"]
    search_fields = ["voucher"]
    list_select_related = ["application__scheme", "application__enterprise", "application__project"]
