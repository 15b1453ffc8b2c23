from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.datavalues.models import ValueSource, ValueStatus
from ducha.plans.models import Plan


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("Plan"))
    file = forms.FileField(label=_("File (XLSX or CSV)"))
    status = forms.ChoiceField(label=_("Import as"), choices=ValueStatus.choices)
    default_source = forms.ChoiceField(
        label=_("Source of rows without one"),
        required=False,
        choices=ValueSource.choices,
        initial=ValueSource.UNIT_REPORT,
        help_text=_("Rows whose 来源 column is empty get this source."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.for_user(user, "view")
        # Computed values come from the registers, never from a file.
        self.fields["default_source"].choices = [
            c for c in ValueSource.choices if c[0] != ValueSource.COMPUTED
        ]
        choices = list(ValueStatus.choices)
        if not user.is_office:
            # Units import drafts and submissions; approval is the office's.
            choices = [c for c in choices if c[0] != ValueStatus.APPROVED]
        self.fields["status"].choices = choices
        self.fields["status"].initial = ValueStatus.SUBMITTED

    def clean_default_source(self):
        return self.cleaned_data.get("default_source") or ValueSource.UNIT_REPORT
