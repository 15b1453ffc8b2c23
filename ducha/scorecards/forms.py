from django import forms
from django.utils.translation import gettext_lazy as _


class WeightsForm(forms.Form):
    timeliness = forms.DecimalField(
        label=_("Timeliness (on-time reporting rate)"), min_value=0, max_value=100, decimal_places=2
    )
    completeness = forms.DecimalField(
        label=_("Completeness (share approved)"), min_value=0, max_value=100, decimal_places=2
    )
    progress = forms.DecimalField(
        label=_("Progress of the items the unit leads"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    quality = forms.DecimalField(
        label=_("Evidence quality"), min_value=0, max_value=100, decimal_places=2
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the score is wrong"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name the figure or the assignment and what it should be."),
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accepted", _("Accept")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Correction made, or reason for rejecting"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
