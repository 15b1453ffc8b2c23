from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.datavalues.models import ValueStatus
from ducha.plans.models import Plan


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("Plan"))
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    status = forms.ChoiceField(label=_("Import as"), choices=ValueStatus.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.for_user(user, "view")
        choices = list(ValueStatus.choices)
        if not user.is_office:
            # Units import drafts and submissions; approval is the office's.
            choices = [c for c in choices if c[0] != ValueStatus.APPROVED]
        self.fields["status"].choices = choices
        self.fields["status"].initial = ValueStatus.SUBMITTED
