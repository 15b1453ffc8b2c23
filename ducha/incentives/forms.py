"""Forms collect what people type; the services read and check it (amounts as typed, the
rules, the budget), and their refusals are put back on the field they name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.incentives.models import Scheme


class ApplicationForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())
    enterprise = forms.CharField(
        label=_("Enterprise (credit code or full name)"), required=False, max_length=200
    )
    project = forms.CharField(label=_("Project code"), required=False, max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    base_amount = forms.CharField(
        label=_("Base amount (10k yuan)"),
        required=False,
        max_length=40,
        help_text=_("For schemes paying a share, e.g. the investment in the upgrade."),
    )
    requested = forms.CharField(label=_("Amount requested (10k yuan)"), max_length=40)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the amount requested is above what the scheme's rule gives."),
    )

    def __init__(self, *args, schemes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes if schemes is not None else Scheme.objects.all()
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = default_year()
        if editing:
            for name in ("scheme", "enterprise", "project", "year"):
                self.fields[name].disabled = True
                self.fields[name].required = False


def default_year() -> int:
    """The latest year some scheme has a budget for, up to this year (a plan that ended in
    2020 takes applications for 2020, not for today's year)."""
    from ducha.incentives.models import Budget

    this_year = timezone.localdate().year
    latest = (
        Budget.objects.filter(year__lte=this_year).order_by("-year").values_list("year", flat=True)
    ).first()
    return latest or this_year


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    amount = forms.CharField(label=_("Amount (10k yuan)"), max_length=40)
    voucher = forms.CharField(label=_("Voucher number"), max_length=60)
