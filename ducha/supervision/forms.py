from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import LongTextField
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.supervision.models import CaseKind


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Instruction or requirement"), widget=forms.Textarea(attrs={"rows": 4})
    )
    leader_name = forms.CharField(
        label=_("Instructed by"),
        max_length=100,
        required=False,
        help_text=_("Required for a leader's instruction."),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        # the city as a whole answers for nothing: a department or a district does
        queryset=OrgUnit.objects.filter(is_active=True).exclude(kind=OrgUnitKind.CITY),
    )
    due = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CaseMoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = LongTextField(label=_("Comment"), required=False, max_chars=5000, rows=3)
