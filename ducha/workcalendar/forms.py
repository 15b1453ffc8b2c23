from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.workcalendar.models import DayKind


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Holiday"), max_length=50, required=False)


class NoticeForm(forms.Form):
    notice = forms.CharField(label=_("Notice"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Holiday file"),
        help_text=_("YAML, CSV or XLSX as the help page describes; every year in it is replaced."),
    )
